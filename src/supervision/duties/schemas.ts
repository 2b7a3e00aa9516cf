import { z } from 'zod';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .default(null)
    .transform((v) => (v === '' ? null : v));

export const DutyItemInput = z.object({
  code: z.string().trim().min(1, '请填写事项编码').max(30),
  name: z.string().trim().min(1, '请填写事项名称').max(200),
  type: z.string().trim().min(1, '请填写事项类型').max(50),
  basis: z.string().trim().min(1, '请填写设定依据（法律法规条款）').max(2000),
  department: z.string().trim().min(1, '请填写责任部门（实施主体）').max(200),
  process: optionalText(2000),
  timeLimit: optionalText(200),
  serviceTarget: optionalText(200),
  coordination: optionalText(2000),
  accountability: optionalText(2000),
});

export const DraftInput = z.object({
  note: z.string().trim().max(2000).default(''),
  items: z.array(DutyItemInput).min(1, '清单至少包含一个事项').max(500),
});
export type DraftInput = z.infer<typeof DraftInput>;

export const KindParams = z.object({ kind: z.enum(['power', 'service']) });
export const VersionParams = z.object({
  kind: z.enum(['power', 'service']),
  version: z.coerce.number().int().min(1),
});

const ItemView = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  basis: z.string(),
  department: z.string(),
  process: z.string().nullable(),
  timeLimit: z.string().nullable(),
  serviceTarget: z.string().nullable(),
  coordination: z.string().nullable(),
  accountability: z.string().nullable(),
});

export const VersionView = z.object({
  id: z.string(),
  kind: z.string(),
  kindNameZh: z.string(),
  version: z.number().nullable(),
  status: z.string(),
  statusNameZh: z.string(),
  note: z.string(),
  items: z.array(ItemView),
  itemsSm3: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  supersededAt: z.string().nullable(),
});

export const VersionSummary = z.object({
  version: z.number(),
  status: z.string(),
  statusNameZh: z.string(),
  note: z.string(),
  itemCount: z.number(),
  itemsSm3: z.string(),
  publishedAt: z.string(),
  supersededAt: z.string().nullable(),
});

export const PublicListsView = z.object({
  citation: z.string(),
  lists: z.array(
    z.object({
      kind: z.string(),
      kindNameZh: z.string(),
      requiredFieldsZh: z.string(),
      current: VersionView.nullable(),
      versions: z.array(VersionSummary),
    }),
  ),
});

export const AdminListView = z.object({
  kind: z.string(),
  kindNameZh: z.string(),
  citation: z.string(),
  current: VersionView.nullable(),
  draft: VersionView.nullable(),
  versions: z.array(VersionSummary),
});
