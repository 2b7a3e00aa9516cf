/**
 * The one way the browser app talks to the server: same-origin fetch with the session cookie, JSON in and
 * out, and every failure turned into an ApiError carrying the server's RFC 9457 problem document
 * (DESIGN §4 "Errors"), whose Chinese `title`/`detail` are fit to show the person.
 */

export interface Problem {
  type?: string;
  status: number;
  code: string;
  title: string;
  detail?: string;
  citation?: string;
  requestId?: string;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(`${problem.code}: ${problem.title}${problem.detail ? ` — ${problem.detail}` : ''}`);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  /** One line for a message box: title, detail and the legal citation when a rule blocked the action. */
  get userMessage(): string {
    const { title, detail, citation } = this.problem;
    return `${title}${detail ? `：${detail}` : ''}${citation ? `（${citation}）` : ''}`;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  /**
   * A 401 on most calls means the session ended (expired, revoked, 强制下线): the app sends the person to the
   * login page. Calls that expect a 401 as an answer (login, who-am-I) opt out.
   */
  expectUnauthenticated?: boolean;
}

type UnauthorizedHandler = (problem: Problem) => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** Set by the app shell: what to do when the session is found to have ended. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

const STATUS_TITLES: Record<number, string> = {
  400: '请求无效',
  401: '请先登录',
  403: '无权执行此操作',
  404: '请求的资源不存在',
  409: '操作与当前状态冲突',
  413: '请求内容过大',
  429: '操作过于频繁',
  500: '服务器内部错误',
  502: '服务暂时不可用',
  503: '服务暂时不可用',
  504: '服务响应超时',
};

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.title === 'string' && (typeof v.code === 'string' || typeof v.status === 'number');
}

async function problemOf(response: Response): Promise<Problem> {
  let body: unknown = null;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      body = await response.json();
    } catch {
      body = null; // a proxy's broken error page: fall back to the status below
    }
  }
  if (isProblem(body)) {
    return { ...body, status: body.status ?? response.status, code: body.code ?? `HTTP_${response.status}` };
  }
  return {
    status: response.status,
    code: `HTTP_${response.status}`,
    title: STATUS_TITLES[response.status] ?? `请求失败（${response.status}）`,
    requestId: response.headers.get('x-request-id') ?? undefined,
  };
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let url = path;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const init: RequestInit = {
    method: options.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    signal: options.signal,
  };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      status: 0,
      code: 'NETWORK_ERROR',
      title: '网络连接失败',
      detail: '无法连接到平台服务器，请检查网络后重试。',
    });
  }

  if (!response.ok) {
    const problem = await problemOf(response);
    if (problem.status === 401 && !options.expectUnauthenticated) onUnauthorized?.(problem);
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await response.text()) as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PUT', body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'DELETE' }),
};

/** Turn whatever was thrown into a message fit for the person. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.userMessage;
  if (error instanceof Error) return `操作失败：${error.message}`;
  return '操作失败，请稍后重试。';
}

// ---- shapes the server answers with (see src/platform/identity/schemas.ts, src/platform/http/server.ts) ----

export type RoleCode =
  | 'operator'
  | 'initiator'
  | 'agency'
  | 'responder'
  | 'expert'
  | 'supervisor'
  | 'auditor';

export interface Organization {
  id: string;
  name: string | null;
}

export interface Account {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  organization: Organization | null;
}

export interface LoginResponse {
  account: Account;
  expiresAt: string;
}

export interface Health {
  status: string;
  database: string;
  version: string;
  serverTime: string;
  timeScale?: number;
}

export interface AccountListItem extends Account {
  status: 'active' | 'disabled';
  createdAt: string;
}

export interface Page<T> {
  total: number;
  items: T[];
}

export interface CreateAccountInput {
  username: string;
  displayName: string;
  password: string;
  roles: string[];
  organizationId?: string;
}

/**
 * 见证检查点 (src/platform/witness/schemas.ts CheckpointView). `issuedAt` is the server's name for the
 * signing time; `signedAt` is accepted too, as first specified.
 */
export interface WitnessCheckpoint {
  treeSize: number;
  rootHash: string;
  issuedAt?: string;
  signedAt?: string;
  keyId?: string;
  /** SM2 signature (DER, Base64). */
  signature: string;
  signedText?: string;
  [extra: string]: unknown;
}

export function checkpointTime(checkpoint: WitnessCheckpoint): string | undefined {
  return checkpoint.issuedAt ?? checkpoint.signedAt;
}

// ---- 市场主体 (src/service/entities/schemas.ts) and 行政区划 (src/service/regions/schemas.ts) ----

export type EntityKind = 'legal_person' | 'other_organization' | 'natural_person';
export type EntityStatus = 'submitted' | 'returned' | 'active';

export interface RegionItem {
  code: string;
  name: string;
  level: 'province' | 'prefecture' | 'county';
  parentCode: string | null;
  hasChildren: boolean;
}

export interface RegionDetail extends RegionItem {
  path: { code: string; name: string }[];
  pathName: string;
}

export interface RegionRef {
  code: string;
  name: string;
  pathName: string;
}

export interface EntityRoleView {
  code: string;
  name: string;
  platformRole: string;
}

export interface QualificationView {
  id: string;
  category: string;
  name: string;
  level: string | null;
  certificateNumber: string;
  issuingAuthority: string;
  validFrom: string | null;
  validUntil: string | null;
  expired: boolean;
  expiredFlaggedAt: string | null;
}

/** What the entity itself and the trading centre see: ID numbers masked, everything else in full. */
export interface EntityView {
  id: string;
  organizationId: string;
  kind: EntityKind;
  kindName: string;
  name: string;
  creditCode: string | null;
  category: {
    registrationAuthority: { code: string; name: string };
    institutionCategory: { code: string; name: string };
  } | null;
  roles: EntityRoleView[];
  legalRepresentative: { name: string; idType: string; idNumberMasked: string; phone: string | null } | null;
  person: { idType: string; idNumberMasked: string; idValidUntil: string | null } | null;
  basicAccount: { bankName: string; branchCode: string | null; accountNumber: string; accountName: string };
  region: RegionRef;
  address: string;
  zipCode: string | null;
  contact: { name: string; phone: string; email: string | null };
  licence: { validFrom: string | null; validUntil: string | null } | null;
  registeredCapital: { amount: string; currency: string; unit: '万元' } | null;
  qualifications: QualificationView[];
  status: EntityStatus;
  statusName: string;
  returnReason: string | null;
  acceptedVersion: number | null;
  acceptedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** `/api/my/entity…`: the entity as its own accounts see it, and whether this account administers it. */
export interface MyEntityView extends EntityView {
  isOrganizationAdmin: boolean;
}

export interface EntityListItem {
  id: string;
  name: string;
  kind: EntityKind;
  kindName: string;
  creditCode: string | null;
  region: RegionRef;
  roles: EntityRoleView[];
  status: EntityStatus;
  statusName: string;
  version: number;
  updatedAt: string;
}

export interface PublicEntityView {
  id: string;
  name: string;
  creditCode: string | null;
  kindName: string;
  region: RegionRef;
  roles: { code: string; name: string }[];
  status: EntityStatus;
  statusName: string;
  qualifications: {
    category: string;
    name: string;
    level: string | null;
    validUntil: string | null;
    expired: boolean;
  }[];
}

export interface EntityVersion {
  version: number;
  action: string;
  actionName: string;
  changedBy: string | null;
  /** Display name of the account that made the change. */
  changedByName: string | null;
  changedAt: string;
  snapshotSm3: string;
  /** The declared data of that version (ID numbers masked): `{ details, qualifications }`. */
  snapshot: unknown;
}

export interface OrganizationAccount {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  status: 'active' | 'disabled';
  isAdmin: boolean;
  createdAt: string;
}

/**
 * Which form field a problem is about, when the server says so: either the `errors` list of a schema
 * failure (`body/entity/creditCode`) or the `field` member a use case adds (`entity.creditCode`,
 * `qualifications/0`). Paths come back dotted (`entity.creditCode`, `qualifications.0.validUntil`).
 */
export function fieldErrorsOf(problem: Problem): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const norm = (path: string) =>
    path
      .replace(/^(body|querystring|params)(?=[/.]|$)/, '')
      .split(/[/.]/)
      .filter(Boolean)
      .join('.');
  if (Array.isArray(problem.errors)) {
    for (const e of problem.errors as unknown[]) {
      if (typeof e !== 'object' || e === null) continue;
      const { field, message } = e as { field?: unknown; message?: unknown };
      if (typeof field === 'string')
        out.push({ field: norm(field), message: String(message ?? problem.title) });
    }
  }
  if (typeof problem.field === 'string') {
    out.push({ field: norm(problem.field), message: problem.detail ?? problem.title });
  }
  return out;
}
