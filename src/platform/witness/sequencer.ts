import { type Kysely, sql } from 'kysely';
import { LEAF_TAIL_SQL, LeafHasher } from './leaf.ts';
import { MerkleFrontier, toHex } from './merkle.ts';
import type { WitnessTables } from './tables.ts';
import { lockTree, readFrontier, readTreeSize } from './tree-store.ts';

export interface SequenceOptions {
  /** Events per transaction (default 5,000). */
  batchSize?: number;
  /** Stop after this many batches even if more are waiting (default: until none are left). */
  maxBatches?: number;
}

export interface SequenceResult {
  /** Events given a leaf index by this call. */
  sequenced: number;
  treeSize: number;
  /** True when another instance held the sequencer lock, so this call did nothing. */
  busy: boolean;
}

/**
 * 排序入树: gives committed events without a leaf index the next leaf indices in id order, stores their
 * leaf hashes and the tree nodes they complete, and moves the tree head — all in one transaction per
 * batch, under an advisory lock, so that two app instances never hand out the same index. Events still
 * inside an open transaction are not visible yet; they get later indices when they commit, so the tree
 * order is commit order as the sequencer saw it.
 */
export async function sequenceWitnessEvents(
  db: Kysely<WitnessTables>,
  opts: SequenceOptions = {},
): Promise<SequenceResult> {
  const batchSize = opts.batchSize ?? 5000;
  const maxBatches = opts.maxBatches ?? Number.POSITIVE_INFINITY;
  const hasher = new LeafHasher();
  let sequenced = 0;
  let treeSize = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await db.transaction().execute(async (tx) => {
      if (!(await lockTree(tx, false))) return null;
      const size = await readTreeSize(tx);
      const { rows } = await sql<{ id: number; tail: Uint8Array }>`
        select id, ${LEAF_TAIL_SQL} as tail from witness_events
        where leaf_index is null order by id limit ${batchSize}`.execute(tx);
      if (rows.length === 0) return { added: 0, size };

      const frontier = MerkleFrontier.resume(size, await readFrontier(tx, size));
      const ids: number[] = [];
      const leafIndices: number[] = [];
      const leafHashes: string[] = [];
      const nodeLevels: number[] = [];
      const nodeIndices: number[] = [];
      const nodeHashes: string[] = [];
      const onNode = (level: number, index: number, hash: Uint8Array) => {
        nodeLevels.push(level);
        nodeIndices.push(index);
        nodeHashes.push(toHex(hash));
      };
      for (const row of rows) {
        const leafIndex = frontier.size;
        const leafHash = hasher.hash(leafIndex, row.tail);
        ids.push(Number(row.id));
        leafIndices.push(leafIndex);
        leafHashes.push(toHex(leafHash));
        frontier.append(leafHash, onNode);
      }
      // Arrays of hex travel the same way through pg and PGlite; bytea[] parameters do not.
      const updated = await sql`
        update witness_events as e set leaf_index = v.leaf_index, leaf_hash = decode(v.leaf_hash, 'hex')
        from unnest(${ids}::int8[], ${leafIndices}::int8[], ${leafHashes}::text[]) as v(id, leaf_index, leaf_hash)
        where e.id = v.id and e.leaf_index is null`.execute(tx);
      if (Number(updated.numAffectedRows ?? 0) !== rows.length) {
        // Only a hand outside the platform deletes or sequences events; give the tree no wrong indices.
        throw new Error(
          `witness sequencer: ${rows.length} events read but ${updated.numAffectedRows} updated`,
        );
      }
      if (nodeLevels.length > 0) {
        await sql`
          insert into witness_nodes (level, index, hash)
          select level, index, decode(hash, 'hex')
          from unnest(${nodeLevels}::int2[], ${nodeIndices}::int8[], ${nodeHashes}::text[]) as v(level, index, hash)`.execute(
          tx,
        );
      }
      await tx.updateTable('witness_tree_head').set({ tree_size: frontier.size }).execute();
      return { added: rows.length, size: frontier.size };
    });
    if (result === null) return { sequenced, treeSize, busy: true };
    sequenced += result.added;
    treeSize = result.size;
    if (result.added < batchSize) break;
  }
  return { sequenced, treeSize, busy: false };
}
