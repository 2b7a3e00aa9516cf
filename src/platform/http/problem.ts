import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/index.ts';
import { AppError } from '../errors.ts';

/** RFC 9457 problem document, with the platform's stable `code`, the citation and the request id. */
export interface Problem {
  type: string;
  status: number;
  code: string;
  title: string;
  detail?: string;
  citation?: string;
  instance?: string;
  requestId: string;
  [extension: string]: unknown;
}

const PROBLEM_TYPE_BASE = 'https://ggzy.example/problems/';

export function problemOf(error: unknown, request: FastifyRequest): Problem {
  const base = (status: number, code: string, title: string, detail?: string): Problem => ({
    type: PROBLEM_TYPE_BASE + code.toLowerCase().replaceAll('_', '-'),
    status,
    code,
    title,
    ...(detail ? { detail } : {}),
    instance: request.url,
    requestId: String(request.id),
  });

  if (error instanceof AppError) {
    return {
      ...base(error.status, error.code, error.title, error.detail),
      ...(error.citation ? { citation: error.citation } : {}),
      ...error.extensions,
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((v) => {
      const keys = (v.params as { keys?: unknown }).keys;
      return {
        field: `${error.validationContext ?? 'body'}${v.instancePath === '/' ? '' : v.instancePath}`,
        message: zhMessage(v.keyword, Array.isArray(keys) ? keys.join(', ') : (v.message ?? '')),
      };
    });
    return {
      ...base(
        400,
        'VALIDATION_FAILED',
        '请求内容不符合要求',
        errors.map((e) => `${e.field}: ${e.message}`).join('；'),
      ),
      errors,
    };
  }
  if (isResponseSerializationError(error)) {
    return base(500, 'INTERNAL_ERROR', '服务器内部错误', '服务器处理请求时出错，请稍后重试或联系交易中心。');
  }
  if (isDatabaseUnavailable(error)) {
    return base(503, 'DATABASE_UNAVAILABLE', '数据库暂时不可用', '平台暂时无法访问数据库，请稍后重试。');
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return base(413, 'BODY_TOO_LARGE', '请求内容过大', '请求体超过平台允许的大小。');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return base(400, 'MALFORMED_JSON', '请求内容不是有效的 JSON', '请检查请求体的 JSON 格式。');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return base(415, 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型', '请以 application/json 提交请求。');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return base(400, 'BAD_CONTENT_LENGTH', '请求长度与内容不符');
  }
  if (fastifyError.statusCode === 429) {
    return base(429, 'TOO_MANY_REQUESTS', '操作过于频繁', '请稍后再试。');
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return base(400, 'MALFORMED_JSON', '请求内容不是有效的 JSON', '请检查请求体的 JSON 格式。');
  }
  if (
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return base(fastifyError.statusCode, 'BAD_REQUEST', '请求无效', fastifyError.message);
  }
  return base(500, 'INTERNAL_ERROR', '服务器内部错误', '服务器处理请求时出错，请稍后重试或联系交易中心。');
}

function zhMessage(issueCode: unknown, fallback: string): string {
  switch (issueCode) {
    case 'unrecognized_keys':
      return `包含不允许的字段（${fallback}）`;
    case 'invalid_type':
      return `类型或必填项不符（${fallback}）`;
    case 'too_small':
      return `过短或过小（${fallback}）`;
    case 'too_big':
      return `过长或过大（${fallback}）`;
    case 'invalid_format':
      return `格式不正确（${fallback}）`;
    case 'invalid_value':
      return `取值不在允许范围内（${fallback}）`;
    default:
      return fallback;
  }
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}
