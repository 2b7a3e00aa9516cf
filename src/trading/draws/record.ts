import type { Kysely } from 'kysely';
import {
  getInclusionProof,
  listCheckpointPublicKeys,
  readWitnessLeafRow,
  type WitnessLeafRow,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import type { DrawsDeps, ReadDb } from './context.ts';
import { findLot } from './deps.ts';
import { openRound } from './draws.ts';
import type { EligibleEntry, GroupNeed } from './replay.ts';
import * as store from './store.ts';
import type { DrawGroup, RoundKind, SealedAssignee, SupplementaryReason } from './tables.ts';

export const RECORD_FORMAT = 'ggzy-expert-draw-record/v1';

/** The commit event's leaf columns (docs/witness.md "Leaf format"), so anyone can hash the leaf. */
export type RecordLeafRow = Omit<WitnessLeafRow, 'leaf_hash' | 'leaf_index'> & { leaf_index: number };

export interface RecordRound {
  round: number;
  kind: RoundKind;
  reason: SupplementaryReason | null;
  replacesAssignmentId: string | null;
  needs: GroupNeed[];
  seedCommitment: string;
  listHash: string;
  listSize: number;
  committedAt: string;
  commitEvent: RecordLeafRow | null;
  /** The first signed checkpoint containing the commit event: the public value. */
  checkpoint: {
    treeSize: number;
    rootHash: string;
    issuedAt: string;
    keyId: string;
    signature: string;
  } | null;
  /** RFC 9162 inclusion path of the commit event in the checkpoint's tree (hex). */
  inclusionPath: string[] | null;
  drawnAt: string | null;
  /** After the reveal only (or opened from the seal for the platform's own verification). */
  seed: string | null;
  list: EligibleEntry[] | null;
  selected: { g: number; codes: string[] }[] | null;
}

export interface DrawRecord {
  format: typeof RECORD_FORMAT;
  drawId: string;
  lot: { id: string; code: string; name: string; projectName: string } | null;
  groups: DrawGroup[];
  evaluationStartsAt: string;
  status: string;
  revealed: boolean;
  revealedAt: string | null;
  /** The platform's checkpoint keys (public halves), PEM. */
  checkpointKeys: { keyId: string; publicKeyPem: string }[];
  rounds: RecordRound[];
}

/**
 * The draw record `ggzy-expert-draw-record/v1` (docs/draws.md): commitments, commit events and checkpoints
 * always; seeds, lists and selections after the reveal — or, with `openSealed`, opened from the seal for
 * the platform's own verification before it (the CLI with the field key; never over the API).
 */
export async function buildDrawRecord(
  deps: Pick<DrawsDeps, 'db' | 'sealer'>,
  drawId: string,
  opts: { openSealed?: boolean } = {},
): Promise<DrawRecord | null> {
  const draw = await store.findDraw(deps.db, drawId);
  if (!draw) return null;
  const lot = await findLot(deps.db, draw.lot_id);
  const rounds = await store.listRounds(deps.db, drawId);
  const reveal = draw.revealed_at !== null || opts.openSealed === true;
  const keys = await listCheckpointPublicKeys(deps.db as unknown as Kysely<WitnessTables>);
  const out: RecordRound[] = [];
  for (const r of rounds) {
    const row = await readWitnessLeafRow(
      deps.db as unknown as Kysely<WitnessTables>,
      Number(r.commit_event_id),
    );
    const event: RecordLeafRow | null =
      row && row.leaf_index !== null ? { ...row, leaf_index: row.leaf_index } : null;
    let inclusionPath: string[] | null = null;
    let checkpoint: RecordRound['checkpoint'] = null;
    if (r.checkpoint_tree_size !== null) {
      const cp = await store.checkpointRow(deps.db, Number(r.checkpoint_tree_size));
      if (cp) {
        checkpoint = {
          treeSize: Number(cp.tree_size),
          rootHash: Buffer.from(cp.root_hash).toString('hex'),
          issuedAt: cp.issued_at.toISOString(),
          keyId: cp.key_id,
          signature: Buffer.from(cp.signature).toString('base64url'),
        };
        const proof = await getInclusionProof(deps.db, Number(r.commit_event_id), {
          treeSize: checkpoint.treeSize,
        });
        inclusionPath = proof.inclusionPath.map((h) => Buffer.from(h).toString('hex'));
      }
    }
    const opened = reveal && r.status === 'drawn' ? openRound(deps as DrawsDeps, r) : null;
    out.push({
      round: r.round,
      kind: r.kind,
      reason: r.reason,
      replacesAssignmentId: r.replaces_assignment_id,
      needs: r.needs as GroupNeed[],
      seedCommitment: r.seed_commitment,
      listHash: r.list_hash,
      listSize: r.list_size,
      committedAt: r.committed_at.toISOString(),
      commitEvent: event,
      checkpoint,
      inclusionPath,
      drawnAt: r.drawn_at?.toISOString() ?? null,
      seed: opened ? opened.seed.toString('hex') : null,
      list: opened ? opened.list : null,
      selected: opened ? opened.selected : null,
    });
  }
  return {
    format: RECORD_FORMAT,
    drawId,
    lot: lot ? { id: lot.id, code: lot.code, name: lot.name, projectName: lot.projectName } : null,
    groups: draw.groups as DrawGroup[],
    evaluationStartsAt: draw.evaluation_starts_at.toISOString(),
    status: draw.status,
    revealed: draw.revealed_at !== null,
    revealedAt: draw.revealed_at?.toISOString() ?? null,
    checkpointKeys: keys.map((k) => ({ keyId: k.keyId, publicKeyPem: k.publicKeyPem })),
    rounds: out,
  };
}

/** The codes the assignments of each round hold (opened from the seal), for the database verification. */
export async function assignedCodesByRound(deps: Pick<DrawsDeps, 'db' | 'sealer'>, drawId: string) {
  const byRound = new Map<number, { g: number; position: number; code: string }[]>();
  for (const a of await store.listAssignmentsOfDraw(deps.db, drawId)) {
    const who = JSON.parse(deps.sealer.open(a.expert_sealed, `expert-assignment:${a.id}`)) as SealedAssignee;
    const list = byRound.get(a.round) ?? [];
    list.push({ g: a.group_index, position: a.position, code: who.code });
    byRound.set(a.round, list);
  }
  return byRound;
}

/** The earliest checkpoint covering a leaf (the database verification checks the record named it). */
export async function firstCheckpointSize(db: ReadDb, leafIndex: number): Promise<number | null> {
  const row = await store.firstCheckpointCovering(db, leafIndex);
  return row ? Number(row.tree_size) : null;
}
