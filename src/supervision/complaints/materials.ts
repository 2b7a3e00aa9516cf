import type { Kysely } from 'kysely';
import { InvalidInput } from '../../platform/errors.ts';
import type { ComplaintsDb } from './context.ts';
import { getBlobRecord } from './deps.ts';
import type { MaterialInput } from './schemas.ts';
import type { Material } from './tables.ts';

/**
 * Materials are files uploaded first (POST /api/blobs, stored by content): each reference must name a
 * stored file, whose SM3 and size are recorded with the filing — what was filed cannot change afterwards.
 */
export async function resolveMaterials(
  db: Kysely<ComplaintsDb>,
  inputs: readonly MaterialInput[],
): Promise<Material[]> {
  const out: Material[] = [];
  for (const [index, m] of inputs.entries()) {
    const blob = await getBlobRecord(db, m.sha256);
    if (!blob) {
      throw new InvalidInput('MATERIAL_NOT_FOUND', {
        title: '材料文件不存在',
        detail: `第 ${index + 1} 个材料“${m.filename}”未找到，请先上传文件。`,
        extensions: { field: `materials/${index}` },
      });
    }
    out.push({
      sha256: blob.sha256,
      sm3: blob.sm3,
      size: blob.size,
      filename: m.filename,
      kind: m.kind,
      description: m.description,
    });
  }
  return out;
}
