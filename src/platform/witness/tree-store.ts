import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import {
  foldSubtrees,
  frontierSubtrees,
  type LeafRange,
  perfectSubtrees,
  type SubtreeRef,
} from './merkle.ts';
import type { WitnessTables } from './tables.ts';

/**
 * Reading and writing the stored tree. Level-0 nodes are the events' leaf hashes; higher levels live in
 * witness_nodes. Every read is one query for however many nodes it needs.
 */

/** Same lock class for every ggzy advisory lock on the witness tree; the schema picks the tree. */
const LOCK_CLASS = 0x67677a79; // 'ggzy'

/**
 * The advisory lock that serialises changes to the tree, per schema (tests and benches keep their own
 * trees in their own schemas). `wait: false` answers false at once when another instance holds it.
 */
export async function lockTree(tx: Db<WitnessTables>, wait: boolean): Promise<boolean> {
  if (wait) {
    await sql`select pg_advisory_xact_lock(${LOCK_CLASS}::int4, hashtext(current_schema()))`.execute(tx);
    return true;
  }
  const { rows } = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(${LOCK_CLASS}::int4, hashtext(current_schema())) as locked`.execute(tx);
  return rows[0]?.locked === true;
}

export async function readTreeSize(db: Db<WitnessTables>): Promise<number> {
  const head = await db.selectFrom('witness_tree_head').select('tree_size').executeTakeFirst();
  if (!head) throw new Error('witness_tree_head has no row: the witness migration did not run');
  return Number(head.tree_size);
}

export class TreeDamaged extends Error {}

/** Hashes of the given perfect subtrees, in the order asked; throws TreeDamaged when one is missing. */
export async function readSubtreeHashes(db: Db<WitnessTables>, refs: SubtreeRef[]): Promise<Uint8Array[]> {
  if (refs.length === 0) return [];
  const leaves = refs.filter((r) => r.level === 0).map((r) => r.index);
  const inner = refs.filter((r) => r.level > 0);
  const found = new Map<string, Uint8Array>();
  if (leaves.length > 0) {
    const { rows } = await sql<{ leaf_index: number; leaf_hash: Uint8Array | null }>`
      select leaf_index, leaf_hash from witness_events where leaf_index = any(${leaves}::int8[])`.execute(db);
    for (const row of rows) if (row.leaf_hash) found.set(`0:${Number(row.leaf_index)}`, row.leaf_hash);
  }
  if (inner.length > 0) {
    const { rows } = await sql<{ level: number; index: number; hash: Uint8Array }>`
      select n.level, n.index, n.hash
      from witness_nodes n
      join unnest(${inner.map((r) => r.level)}::int2[], ${inner.map((r) => r.index)}::int8[]) as want(level, index)
        on n.level = want.level and n.index = want.index`.execute(db);
    for (const row of rows) found.set(`${row.level}:${Number(row.index)}`, row.hash);
  }
  return refs.map((ref) => {
    const hash = found.get(`${ref.level}:${ref.index}`);
    if (!hash) {
      throw new TreeDamaged(
        `witness tree node (level ${ref.level}, index ${ref.index}) is missing; run \`ggzy audit verify\``,
      );
    }
    return hash;
  });
}

/** The hashes of the tree's right edge, to resume appending (largest subtree first). */
export function readFrontier(db: Db<WitnessTables>, treeSize: number): Promise<Uint8Array[]> {
  return readSubtreeHashes(db, frontierSubtrees(treeSize));
}

/** MTH of each range, from stored nodes, in one read. */
export async function readRangeHashes(db: Db<WitnessTables>, ranges: LeafRange[]): Promise<Uint8Array[]> {
  const plans = ranges.map(perfectSubtrees);
  const hashes = await readSubtreeHashes(db, plans.flat());
  let at = 0;
  return plans.map((plan) => {
    const part = hashes.slice(at, at + plan.length);
    at += plan.length;
    return foldSubtrees(part);
  });
}

/** The root hash of the tree's first `treeSize` leaves, from stored nodes. */
export async function readRootHash(db: Db<WitnessTables>, treeSize: number): Promise<Uint8Array> {
  const [root] = await readRangeHashes(db, [[0, treeSize]]);
  return root!;
}
