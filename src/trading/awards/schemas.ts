import { z } from 'zod';

export const LotIdParams = z.object({ lotId: z.string().min(1).max(100) });
export const ObjectionIdParams = z.object({ objectionId: z.string().min(1).max(100) });

export const PublicityBody = z.object({
  objectionChannel: z
    .string()
    .trim()
    .min(4, '请填写其他利害关系人提出异议的联系方式（联系人、电话或地址）')
    .max(500)
    .describe('异议渠道：联系人、电话、地址（投标人也可在平台提出）'),
});

export const ObjectionBody = z.object({
  text: z.string().trim().min(10, '异议内容不少于10个字，请写明异议事项和理由').max(5000),
});

export const AnswerBody = z.object({
  answer: z.string().trim().min(4, '请写明答复内容').max(5000),
});

export const ConfirmBody = z.object({
  bidId: z.string().min(1).max(100).describe('确定为中标人的投标（须为中标候选人）'),
  reasonCode: z
    .enum(['declined', 'force-majeure', 'no-performance-bond', 'illegal-conduct'])
    .nullish()
    .describe('确定排名在后候选人时的第五十五条情形'),
  reasonText: z.string().trim().max(2000).nullish(),
});

export const FailureBody = z.object({
  reason: z
    .enum(['evaluation-failed', 'all-candidates-declined', 'terminated'])
    .describe('evaluation-failed 评标失败 · all-candidates-declined 候选人均放弃 · terminated 终止'),
  text: z.string().trim().min(1, '请写明原因').max(5000),
});
