import { z } from 'zod';
import { PROCEDURE_TYPES } from './definitions.ts';

export const ProcedureTypeSchema = z.enum(PROCEDURE_TYPES as [string, ...string[]]).describe('交易方式');

export const ProcedureParams = z.strictObject({ type: ProcedureTypeSchema });

const DayCountView = z.object({ days: z.number().int(), counting: z.enum(['calendar', 'working']) });

export const RuleView = z.object({
  id: z.string(),
  kind: z.enum(['period', 'same-instant', 'clarification', 'objection', 'deposit-cap']),
  descriptionZh: z.string(),
  citation: z.string(),
  effectiveFrom: z.string(),
  effectiveUntil: z.string().nullable(),
  minimum: DayCountView.nullable().describe('期间类规则的最短期限'),
});

export const ProcedureView = z.object({
  type: z.string(),
  nameZh: z.string(),
  law: z.enum(['works', 'gp', 'rights']),
  basis: z.string(),
  firstAnnouncementKind: z.string(),
  announcementKinds: z.array(z.string()),
  requiresDocuments: z.boolean(),
  hasPublicOpening: z.boolean(),
  minimumResponders: z.object({ count: z.number().int(), citation: z.string() }),
  invitation: z
    .object({ minimumInvitees: z.number().int(), citation: z.string() })
    .nullable()
    .describe('邀请招标：投标邀请书至少邀请的单位数及依据；其他方式为 null'),
  stages: z.array(z.object({ code: z.string(), nameZh: z.string() })),
  documentsNameZh: z.string(),
  responseNameZh: z.string(),
  rules: z.array(RuleView).describe('规则，按当日有效的法律'),
});

const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 时间');

export const TimelineInput = z.strictObject({
  publishedAt: Instant,
  documentsFrom: Instant,
  documentsUntil: Instant,
  bidDeadline: Instant,
  openingAt: Instant,
});

export const TimelineView = z.object({
  publishedAt: z.string(),
  documentsFrom: z.string(),
  documentsUntil: z.string(),
  bidDeadline: z.string(),
  openingAt: z.string(),
});

export const TimelineCheckView = z.object({
  lawful: z.boolean(),
  violations: z.array(
    z.object({
      code: z.string(),
      title: z.string(),
      detail: z.string().nullable(),
      citation: z.string().nullable(),
    }),
  ),
});

export const SuggestQuery = z.strictObject({
  publishedAt: Instant.optional().describe('公告发布时间，默认当前服务器时间'),
});
