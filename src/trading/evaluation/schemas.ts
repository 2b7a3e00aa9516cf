import { z } from 'zod';
import { YuanAmount } from '../../platform/money/index.ts';

export const LotIdParams = z.object({ lotId: z.string().min(1).max(100) });
export const ClarificationIdParams = z.object({ clarificationId: z.string().min(1).max(100) });
export const StepParams = LotIdParams.extend({
  step: z
    .enum(['qualification', 'preliminary', 'detailed'])
    .describe('qualification 资格审查 · preliminary 初步评审 · detailed 详细评审'),
});

const POINTS = z.number().min(0).max(100);
const TEXT = (max: number, message: string) => z.string().trim().min(1, message).max(max);

export const CriterionBody = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '评审因素编号应为 1–40 位字母、数字、下划线或连字符'),
  step: z.enum(['qualification', 'preliminary', 'detailed']),
  name: TEXT(200, '请填写评审因素名称'),
  kind: z.enum(['pass-fail', 'scored']).describe('pass-fail 合格制 · scored 打分制'),
  min: POINTS.nullable().default(null),
  max: POINTS.nullable().default(null),
  objective: z.boolean().default(false).describe('客观分'),
  ground: z
    .string()
    .max(60)
    .nullable()
    .default(null)
    .describe('合格制：不合格对应的法定否决（无效）情形代码'),
});

/** 评标办法. */
export const PlanBody = z.object({
  method: z.enum(['lowest-evaluated-price', 'comprehensive', 'lowest-price']),
  criteria: z.array(CriterionBody).min(1, '至少应有一项评审因素').max(200),
  priceWeight: POINTS.nullable().default(null),
  abnormalLowPercent: z.number().min(1).max(99).default(80),
  candidateCount: z.number().int().min(1).max(3).default(3),
});

export const CommitteeBody = z.object({
  representativeAccountIds: z.array(z.string().min(1).max(100)).max(20).default([]),
});

export const VoteBody = z.object({ memberId: z.string().min(1).max(100) });
export const DeclarationBody = z.object({
  declareNoConflict: z.literal(true).describe('声明与各投标人无利害关系（须为 true）'),
});
export const ReasonBody = z.object({ reason: TEXT(1000, '请填写原因') });

export const SheetBody = z.object({
  items: z
    .array(
      z.object({
        bidId: z.string().min(1).max(100),
        criterionId: z.string().min(1).max(100),
        passed: z.boolean().nullish(),
        score: z.number().min(-1000).max(1000).nullish(),
        reason: z.string().max(1000).nullish(),
      }),
    )
    .max(20_000),
});

export const PriceCorrectionBody = z.object({
  bidId: z.string().min(1).max(100),
  correctedPriceYuan: YuanAmount,
  rule: z.string().min(1).max(60),
  reason: TEXT(1000, '请写明修正理由'),
  dueAt: z.iso.datetime({ offset: true }).describe('投标人确认截止时间'),
});

export const RejectionBody = z.object({
  bidId: z.string().min(1).max(100),
  ground: z.string().min(1).max(60).describe('法定否决（无效）情形代码'),
  reason: TEXT(1000, '请写明否决理由'),
});

export const ClarificationBody = z.object({
  bidId: z.string().min(1).max(100),
  kind: z.enum(['general', 'abnormally-low']).default('general'),
  question: TEXT(2000, '请填写澄清问题'),
  dueAt: z.iso.datetime({ offset: true }).describe('答复截止时间'),
});

export const AnswerBody = z.object({ answer: TEXT(5000, '请填写答复内容') });

export const CorrectionBody = z.object({
  memberId: z.string().min(1).max(100),
  bidId: z.string().min(1).max(100),
  criterionId: z.string().min(1).max(100),
  ground: z.string().min(1).max(60).describe('第六十四条情形代码'),
  reason: TEXT(1000, '请写明更正理由'),
  score: z.number().min(-1000).max(1000).nullish(),
  passed: z.boolean().nullish(),
});

export const SignatureBody = z.object({
  decision: z
    .enum(['sign', 'dissent', 'refuse'])
    .describe('sign 签署 · dissent 签署并注明不同意见 · refuse 拒签（书面理由）'),
  signature: z
    .string()
    .max(400)
    .optional()
    .describe('SM2 签名（DER，base64url），签署的是评标报告的签署文本'),
  text: z.string().max(5000).optional().describe('不同意见或拒签理由'),
});
