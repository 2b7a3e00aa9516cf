import { z } from 'zod';

const Scores = z.record(z.string().regex(/^[a-z-]{1,32}$/), z.number().int().min(1).max(5));

export const RatingInput = z.object({
  relation: z.enum([
    'initiator-expert',
    'agency-expert',
    'expert-initiator',
    'expert-agency',
    'bidder-agency',
    'bidder-platform',
  ]),
  rateeId: z.string().min(1).max(100),
  scores: Scores,
  comment: z.string().trim().max(1000, '评价意见不能超过 1000 个字').nullable().default(null),
});
export type RatingInput = z.infer<typeof RatingInput>;

export const LotParams = z.object({ lotId: z.string().min(1) });
export const PerformanceParams = z.object({ subject: z.enum(['experts', 'agencies']) });
export const PerformanceDetailParams = PerformanceParams.extend({ id: z.string().min(1) });

export const SelfAssessmentInput = z.object({
  period: z.string().regex(/^20[0-9]{2}-Q[1-4]$/, '评价周期格式为 2026-Q1'),
  scores: Scores,
  summary: z.string().trim().min(10, '请填写自评价报告摘要（不少于 10 个字）').max(4000),
});

export const ServiceRatingInput = z.object({
  scores: Scores,
  comment: z.string().trim().max(1000).nullable().default(null),
});
