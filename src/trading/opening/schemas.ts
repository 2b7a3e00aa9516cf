import { z } from 'zod';
import { HOST_STEPS } from './states.ts';

export const LotIdParams = z.object({ lotId: z.string().min(1).max(100) });
export const StepParams = LotIdParams.extend({
  step: z.enum(HOST_STEPS as unknown as [string, ...string[]]),
});
export const BidParams = LotIdParams.extend({ bidId: z.string().min(1).max(100) });
export const ObjectionParams = LotIdParams.extend({ objectionId: z.string().min(1).max(100) });

export const StepBody = z.object({ reason: z.string().max(500).optional() }).optional();
export const ReasonBody = z.object({ reason: z.string().min(1).max(500) });
export const ContentKeysBody = z.object({
  keys: z
    .array(
      z.object({
        no: z.number().int().min(0).max(1000),
        key: z
          .string()
          .min(16)
          .max(64)
          .regex(/^[A-Za-z0-9_-]+$/),
      }),
    )
    .min(1)
    .max(64),
});
export const ShareBody = z.object({
  index: z.number().int().min(1).max(255),
  share: z
    .string()
    .min(2)
    .max(2048)
    .regex(/^[A-Za-z0-9_-]+$/),
});
export const ObjectionBody = z.object({ text: z.string().min(1).max(2000) });
export const AnswerBody = z.object({ answer: z.string().min(1).max(2000) });
export const ConfirmBody = z
  .object({
    signature: z
      .string()
      .min(8)
      .max(256)
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
  })
  .optional();

export const OkView = z.object({ ok: z.literal(true) });
