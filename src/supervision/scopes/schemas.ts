import { z } from 'zod';

export const ScopeInput = z.object({
  department: z.string().trim().min(1, '请填写监督部门名称').max(100, '监督部门名称不能超过 100 个字'),
  regionPrefixes: z
    .array(z.string().regex(/^15[0-9]{0,4}$/, '地域须为内蒙古自治区行政区划代码（15 开头，2–6 位）'))
    .min(1, '请至少选择一个地域')
    .max(50),
  catalogPrefixes: z
    .array(z.string().regex(/^0[1-9]([0-9]{2})?$/, '行业须为交易目录编码（2 位大类或 4 位事项）'))
    .min(1, '请至少选择一个行业')
    .max(50),
});
export type ScopeInput = z.infer<typeof ScopeInput>;

export const ScopeView = z.object({
  accountId: z.string(),
  department: z.string(),
  regionPrefixes: z.array(z.string()),
  catalogPrefixes: z.array(z.string()),
  updatedAt: z.string(),
});
export type ScopeView = z.infer<typeof ScopeView>;
