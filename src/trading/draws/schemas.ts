import { z } from 'zod';
import { MAX_DURATION_MINUTES } from './rules.ts';

const REGION = z.string().regex(/^\d{6}$/, '应为 6 位行政区划代码');
const SPECIALTY = z.string().regex(/^[ABC](\d{2}){0,3}$/, '应为评标专家专业分类代码，如 A080101');

export const LotIdParams = z.object({ lotId: z.string().min(1).max(100) });
export const DrawIdParams = z.object({ drawId: z.string().min(1).max(100) });
export const AssignmentIdParams = z.object({ assignmentId: z.string().min(1).max(100) });
export const RegionParams = z.object({ regionCode: REGION });

/**
 * 专家抽取申请. Loose objects on purpose: a body that names experts (指定专家) must reach the use case to
 * be refused with its citation, not be silently stripped.
 */
export const DrawRequestBody = z.looseObject({
  evaluationStartsAt: z.iso.datetime({ offset: true }).describe('评标开始时间（ISO 8601）'),
  durationMinutes: z.number().int().min(30).max(MAX_DURATION_MINUTES).describe('评标时长（分钟）'),
  confirmWindowMinutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .describe('专家确认时限（分钟）'),
  venues: z
    .array(
      z.looseObject({
        role: z.enum(['host', 'away']).describe('host 主场 · away 副场（远程异地评标）'),
        regionCode: REGION,
        roomId: z.string().max(100).nullish(),
        name: z.string().min(1).max(200),
        seats: z.number().int().min(1).max(200),
      }),
    )
    .min(1)
    .max(10),
  groups: z
    .array(
      z.looseObject({
        specialtyCode: SPECIALTY,
        count: z.number().int().min(1).max(50),
        venueIndex: z.number().int().min(0).max(9),
      }),
    )
    .min(1)
    .max(20),
  exclusions: z
    .array(
      z.looseObject({
        name: z.string().trim().min(1).max(200),
        creditCode: z.string().trim().max(18).nullish(),
        reasonCode: z.enum(['1', '2', '3', '4', '9']),
        reasonText: z.string().trim().max(500).nullish(),
      }),
    )
    .max(200)
    .default([]),
});
export type DrawRequestInput = z.infer<typeof DrawRequestBody>;

export const ReasonBody = z.object({ reason: z.string().trim().min(1, '请填写原因').max(500) });
export const ConfirmBody = z.object({
  declareNoConflict: z.literal(true).describe('声明与本项目无利害关系（须为 true）'),
});
export const DrawRuleBody = z.object({
  frequencyMax: z.number().int().min(1).max(100),
  sameInitiatorDays: z.number().int().min(0).max(3650),
});
