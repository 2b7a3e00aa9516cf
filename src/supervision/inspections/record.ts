import {
  checkpointAtSize,
  getInclusionProof,
  listCheckpointPublicKeys,
  readWitnessLeafRow,
  type WitnessLeafRow,
} from '../../platform/witness/index.ts';
import type { InspectionsDeps, ReadDb } from './context.ts';
import { firstCheckpointCovering } from './draw.ts';
import * as store from './store.ts';
import type {
  DrawGroupInfo,
  ExcludedTarget,
  InspectorEntry,
  ListEntry,
  RoundKind,
  RoundSelection,
  TargetEntry,
} from './tables.ts';

export const SPOT_CHECK_RECORD_FORMAT = 'ggzy-spot-check-draw-record/v1';

/** The commit event's leaf columns (docs/witness.md "Leaf format"), so anyone can hash the leaf. */
export type RecordLeafRow = Omit<WitnessLeafRow, 'leaf_hash' | 'leaf_index'> & { leaf_index: number };

export interface SpotCheckRecordRound {
  round: number;
  kind: RoundKind;
  targetCode: string | null;
  needs: { g: number; count: number }[];
  inspectorsPerTarget: number;
  seedCommitment: string;
  targetListHash: string | null;
  targetListSize: number | null;
  inspectorListHash: string;
  inspectorListSize: number;
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
  /** Published once the round is drawn. */
  seed: string | null;
  targetList: ListEntry[] | null;
  inspectorList: ListEntry[];
  selection: RoundSelection | null;
}

export interface SpotCheckRecord {
  format: typeof SPOT_CHECK_RECORD_FORMAT;
  batchId: string;
  department: string;
  plan: { id: string; name: string; year: number } | null;
  batch: {
    seq: number;
    name: string;
    itemCodes: string[];
    exclusionYears: number;
    inspectorsPerTarget: number;
  };
  status: string;
  versions: Record<'items' | 'targets' | 'inspectors', { id: string; version: number; sm3: string } | null>;
  groups: DrawGroupInfo[];
  excluded: ExcludedTarget[];
  /** Who the codes of the lists are. */
  targets: { code: string; name: string; kind: string; reference: string; riskLevel: string }[];
  inspectors: { code: string; name: string; department: string }[];
  checkpointKeys: { keyId: string; publicKeyPem: string }[];
  rounds: SpotCheckRecordRound[];
}

async function versionRef(db: ReadDb, id: string | null) {
  if (!id) return null;
  const v = await store.findVersion(db, id);
  return v ? { id: v.id, version: v.version, sm3: v.entries_sm3 } : null;
}

/**
 * The draw record `ggzy-spot-check-draw-record/v1` (docs/inspections.md): per round the commitments, the
 * commit event's leaf, the checkpoint and the inclusion path, and — once drawn — the seed, the lists and
 * the selection. Who may read it is the caller's concern (public after publication).
 */
export async function buildSpotCheckRecord(
  deps: Pick<InspectionsDeps, 'db'>,
  batchId: string,
): Promise<SpotCheckRecord | null> {
  const db = deps.db;
  const batch = await store.findBatch(db, batchId);
  if (!batch) return null;
  const [plan, rounds, keys, targetsV, inspectorsV] = await Promise.all([
    store.findPlan(db, batch.plan_id),
    store.listRounds(db, batchId),
    listCheckpointPublicKeys(db),
    batch.targets_version_id ? store.findVersion(db, batch.targets_version_id) : undefined,
    batch.inspectors_version_id ? store.findVersion(db, batch.inspectors_version_id) : undefined,
  ]);
  const out: SpotCheckRecordRound[] = [];
  const listed = new Set<string>();
  for (const r of rounds) {
    const row = await readWitnessLeafRow(db, Number(r.commit_event_id));
    const commitEvent: RecordLeafRow | null =
      row && row.leaf_index !== null ? { ...row, leaf_index: Number(row.leaf_index) } : null;
    let checkpoint: SpotCheckRecordRound['checkpoint'] = null;
    let inclusionPath: string[] | null = null;
    if (r.checkpoint_tree_size !== null) {
      const cp = await checkpointAtSize(db, Number(r.checkpoint_tree_size));
      if (cp) {
        checkpoint = {
          treeSize: cp.treeSize,
          rootHash: Buffer.from(cp.rootHash).toString('hex'),
          issuedAt: cp.issuedAt.toISOString(),
          keyId: cp.keyId,
          signature: Buffer.from(cp.signature).toString('base64url'),
        };
        const proof = await getInclusionProof(db, Number(r.commit_event_id), { treeSize: cp.treeSize });
        inclusionPath = proof.inclusionPath.map((h) => Buffer.from(h).toString('hex'));
      }
    }
    const targetList = r.target_list as ListEntry[] | null;
    const inspectorList = r.inspector_list as ListEntry[];
    for (const e of targetList ?? []) listed.add(e.c);
    const needs = r.needs as { g: number; count: number }[];
    out.push({
      round: r.round,
      kind: r.kind,
      targetCode: r.target_code,
      needs,
      inspectorsPerTarget: r.inspectors_per_target,
      seedCommitment: r.seed_commitment,
      targetListHash: r.target_list_hash,
      targetListSize: targetList ? targetList.length : null,
      inspectorListHash: r.inspector_list_hash,
      inspectorListSize: inspectorList.length,
      committedAt: r.committed_at.toISOString(),
      commitEvent,
      checkpoint,
      inclusionPath,
      drawnAt: r.drawn_at?.toISOString() ?? null,
      seed: r.seed_hex,
      targetList,
      inspectorList,
      selection: r.status === 'drawn' ? (r.selection as RoundSelection | null) : null,
    });
  }
  const excluded = batch.excluded as ExcludedTarget[];
  for (const e of excluded) listed.add(e.code);
  return {
    format: SPOT_CHECK_RECORD_FORMAT,
    batchId,
    department: batch.department,
    plan: plan ? { id: plan.id, name: plan.name, year: plan.year } : null,
    batch: {
      seq: batch.seq,
      name: batch.name,
      itemCodes: batch.item_codes,
      exclusionYears: batch.exclusion_years,
      inspectorsPerTarget: batch.inspectors_per_target,
    },
    status: batch.status,
    versions: {
      items: await versionRef(db, batch.items_version_id),
      targets: await versionRef(db, batch.targets_version_id),
      inspectors: await versionRef(db, batch.inspectors_version_id),
    },
    groups: batch.groups as DrawGroupInfo[],
    excluded,
    targets: ((targetsV?.entries ?? []) as TargetEntry[])
      .filter((t) => listed.has(t.code))
      .map((t) => ({
        code: t.code,
        name: t.name,
        kind: t.kind,
        reference: t.reference,
        riskLevel: t.riskLevel,
      })),
    inspectors: ((inspectorsV?.entries ?? []) as InspectorEntry[]).map((i) => ({
      code: i.code,
      name: i.name,
      department: i.department,
    })),
    checkpointKeys: keys.map((k) => ({ keyId: k.keyId, publicKeyPem: k.publicKeyPem })),
    rounds: out,
  };
}

/** What only the database knows, for the platform's own verification. */
export interface SpotCheckFacts {
  /** Tree size of the earliest checkpoint covering each round's commit leaf. */
  firstCheckpointSize: Map<number, number | null>;
  /** The targets drawn (group, position, code) and each round's team members per target. */
  assignments: { g: number; position: number; code: string }[];
  members: { round: number; target: string; inspector: string }[];
}

export async function spotCheckFacts(
  db: ReadDb,
  batchId: string,
  record: SpotCheckRecord,
): Promise<SpotCheckFacts> {
  const firstCheckpointSize = new Map<number, number | null>();
  for (const r of record.rounds) {
    if (!r.commitEvent) continue;
    const cp = await firstCheckpointCovering(db, r.commitEvent.leaf_index);
    firstCheckpointSize.set(r.round, cp ? cp.treeSize : null);
  }
  const assignments = await store.listAssignments(db, batchId);
  const members = await store.listMembersOfBatch(db, batchId);
  const codeOf = new Map(assignments.map((a) => [a.id, a.target_code]));
  return {
    firstCheckpointSize,
    assignments: assignments.map((a) => ({ g: a.group_index, position: a.position, code: a.target_code })),
    members: members.map((m) => ({
      round: m.round,
      target: codeOf.get(m.assignment_id) ?? '',
      inspector: m.inspector_code,
    })),
  };
}
