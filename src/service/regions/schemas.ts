import { z } from 'zod';

export const RegionView = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'prefecture', 'county']),
  parentCode: z.string().nullable(),
  hasChildren: z.boolean(),
});

// Lenient on purpose: a malformed code simply has no children / is not found, and the answer says so in
// Chinese rather than as a schema error about a pattern.
export const RegionListQuery = z.strictObject({
  parent: z.string().min(1).max(12).optional(),
});

export const RegionCodeParams = z.strictObject({ code: z.string().min(1).max(12) });

export const RegionDetailView = RegionView.extend({
  path: z.array(z.object({ code: z.string(), name: z.string() })),
  pathName: z.string(),
});
