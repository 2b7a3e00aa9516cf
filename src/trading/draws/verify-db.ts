import type { DrawsDeps } from './context.ts';
import { assignedCodesByRound, buildDrawRecord, firstCheckpointSize } from './record.ts';
import { type DrawVerification, verifyDrawRecord } from './verify.ts';

/**
 * Verifies a draw from the database with the platform's field key: every round, before the reveal too
 * (the seeds and lists opened from the seal), plus the first-checkpoint and assignment checks. Null when
 * there is no such draw.
 */
export async function verifyDrawInDatabase(
  deps: Pick<DrawsDeps, 'db' | 'sealer'>,
  drawId: string,
): Promise<DrawVerification | null> {
  const record = await buildDrawRecord(deps, drawId, { openSealed: true });
  if (!record) return null;
  const first = new Map<number, number | null>();
  for (const r of record.rounds) {
    first.set(r.round, r.commitEvent ? await firstCheckpointSize(deps.db, r.commitEvent.leaf_index) : null);
  }
  return verifyDrawRecord(record, {
    facts: { firstCheckpointSize: first, assignedCodes: await assignedCodesByRound(deps, drawId) },
  });
}
