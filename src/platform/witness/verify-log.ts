import { type Kysely, sql } from 'kysely';
import { importSm2PublicKeyPem, type Sm2PublicKey } from '../crypto/index.ts';
import { allCheckpoints, verifyCheckpointSignature, type WitnessCheckpoint } from './checkpoints.ts';
import { keyIdOf, listCheckpointPublicKeys } from './keys.ts';
import { LEAF_TAIL_SQL, LeafHasher } from './leaf.ts';
import { equalHashes, MerkleFrontier, toHex } from './merkle.ts';
import type { WitnessTables } from './tables.ts';
import { readTreeSize } from './tree-store.ts';

export type WitnessProblemKind = 'deleted' | 'altered' | 'checkpoint-mismatch' | 'bad-signature';

export interface WitnessProblem {
  kind: WitnessProblemKind;
  leafIndex?: number;
  eventId?: number;
  /** The checkpoint concerned, for checkpoint-mismatch and bad-signature. */
  checkpointTreeSize?: number;
  /** Chinese, fit for an auditor's report. */
  detail: string;
}

export interface WitnessVerificationReport {
  ok: boolean;
  eventsChecked: number;
  checkpointsChecked: number;
  firstProblem?: WitnessProblem;
}

export interface VerifyWitnessLogOptions {
  onProgress?: (progress: { eventsChecked: number; treeSize: number }) => void;
  /** Rows per read (default 20,000). */
  batchSize?: number;
  /**
   * Public keys to trust (PEM). Default: the platform's own keys from the database — which an
   * attacker with write access could replace, so an independent auditor passes the published key.
   */
  trustedPublicKeysPem?: string[];
}

/**
 * 见证日志核验 (`ggzy audit verify`): recomputes every leaf hash and every checkpoint root from the rows,
 * checks every checkpoint signature, and reports the first problem in log order. Reads in keyset pages
 * (the next page is fetched while the current one is hashed) and keeps O(log n) tree state, so a
 * million events take a few seconds and little memory.
 */
export async function verifyWitnessLog(
  db: Kysely<WitnessTables>,
  opts: VerifyWitnessLogOptions = {},
): Promise<WitnessVerificationReport> {
  const batchSize = opts.batchSize ?? 20_000;
  const headSize = await readTreeSize(db);
  const checkpoints = await allCheckpoints(db);
  const keys = await trustedKeys(db, opts.trustedPublicKeysPem);
  // Checkpoints beyond the head mean the head was wound back; the stream must still reach them.
  const treeSize = Math.max(headSize, checkpoints.at(-1)?.treeSize ?? 0);

  const hasher = new LeafHasher();
  const frontier = new MerkleFrontier();
  let checkpointsChecked = 0;
  let nextCheckpoint = 0;
  const report = (problem: WitnessProblem): WitnessVerificationReport => ({
    ok: false,
    eventsChecked: frontier.size,
    checkpointsChecked,
    firstProblem: problem,
  });

  /** Checks the checkpoints the frontier has just reached; a problem or null. */
  const checkReachedCheckpoints = (): WitnessProblem | null => {
    while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.treeSize === frontier.size) {
      const problem = checkCheckpoint(checkpoints[nextCheckpoint]!, frontier.root(), keys);
      if (problem) return problem;
      nextCheckpoint++;
      checkpointsChecked++;
    }
    return null;
  };

  let page = prefetchPage(db, 0, Math.min(batchSize, treeSize));
  while (frontier.size < treeSize) {
    const rows = await page;
    const last = rows.at(-1);
    const from = last ? Number(last.leaf_index) + 1 : treeSize;
    // Start the next read before hashing this page: the database and the hashing overlap.
    if (from < treeSize) page = prefetchPage(db, from, Math.min(batchSize, treeSize - from));
    else if (rows.length > 0) page = Promise.resolve([]);

    for (const row of rows) {
      const leafIndex = Number(row.leaf_index);
      if (leafIndex !== frontier.size) {
        return report({
          kind: 'deleted',
          leafIndex: frontier.size,
          detail: `第 ${frontier.size} 号叶子缺失：该见证事件已被删除（下一个存在的是第 ${leafIndex} 号叶子，事件 ${row.id}）。`,
        });
      }
      const recomputed = hasher.hash(leafIndex, row.tail);
      if (!row.leaf_hash || !equalHashes(recomputed, row.leaf_hash)) {
        return report({
          kind: 'altered',
          leafIndex,
          eventId: Number(row.id),
          detail: `事件 ${row.id}（第 ${leafIndex} 号叶子）的内容与其叶子哈希不符：该事件被修改，或与其他事件调换了位置。`,
        });
      }
      frontier.append(recomputed);
      if (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.treeSize === frontier.size) {
        const problem = checkReachedCheckpoints();
        if (problem) return report(problem);
      }
    }
    opts.onProgress?.({ eventsChecked: frontier.size, treeSize });
    if (rows.length === 0) {
      return report({
        kind: 'deleted',
        leafIndex: frontier.size,
        detail: `日志应有 ${treeSize} 个叶子，但第 ${frontier.size} 号起的见证事件已全部缺失（被删除）。`,
      });
    }
  }
  return { ok: true, eventsChecked: frontier.size, checkpointsChecked };
}

interface LeafPageRow {
  id: number;
  leaf_index: number;
  leaf_hash: Uint8Array | null;
  tail: Uint8Array;
}

function checkCheckpoint(
  checkpoint: WitnessCheckpoint,
  recomputedRoot: Uint8Array,
  keys: Map<string, Sm2PublicKey>,
): WitnessProblem | null {
  const key = keys.get(checkpoint.keyId);
  // Signature first: a root that matches means nothing if the checkpoint itself was forged.
  if (!key || !verifyCheckpointSignature(checkpoint, key)) {
    return {
      kind: 'bad-signature',
      checkpointTreeSize: checkpoint.treeSize,
      detail: key
        ? `树大小为 ${checkpoint.treeSize} 的检查点签名无效：检查点被篡改。`
        : `树大小为 ${checkpoint.treeSize} 的检查点由未知密钥 ${checkpoint.keyId.slice(0, 16)}… 签名，无法验证。`,
    };
  }
  if (!equalHashes(checkpoint.rootHash, recomputedRoot)) {
    return {
      kind: 'checkpoint-mismatch',
      leafIndex: checkpoint.treeSize - 1,
      checkpointTreeSize: checkpoint.treeSize,
      detail:
        `按数据库重新计算的前 ${checkpoint.treeSize} 个叶子的根哈希 ${toHex(recomputedRoot).slice(0, 16)}… ` +
        `与已签名检查点的根哈希 ${toHex(checkpoint.rootHash).slice(0, 16)}… 不符：` +
        `该检查点之前的见证事件被改动过，且叶子哈希也被重新计算。`,
    };
  }
  return null;
}

async function trustedKeys(
  db: Kysely<WitnessTables>,
  pems: string[] | undefined,
): Promise<Map<string, Sm2PublicKey>> {
  const keys = new Map<string, Sm2PublicKey>();
  if (pems) {
    for (const pem of pems) {
      const key = importSm2PublicKeyPem(pem);
      keys.set(keyIdOf(key), key);
    }
    return keys;
  }
  for (const key of await listCheckpointPublicKeys(db)) {
    // The id is recomputed, not trusted from the row.
    keys.set(keyIdOf(key.publicKey), key.publicKey);
  }
  return keys;
}

/**
 * Starts reading a page. A read error surfaces where the page is awaited; the handler attached here
 * only keeps a page that is abandoned (a problem was found first) from becoming an unhandled rejection.
 */
function prefetchPage(db: Kysely<WitnessTables>, fromLeaf: number, limit: number): Promise<LeafPageRow[]> {
  const page = readPage(db, fromLeaf, limit);
  page.catch(() => undefined);
  return page;
}

async function readPage(db: Kysely<WitnessTables>, fromLeaf: number, limit: number): Promise<LeafPageRow[]> {
  const { rows } = await sql<LeafPageRow>`
    select id, leaf_index, leaf_hash, ${LEAF_TAIL_SQL} as tail from witness_events
    where leaf_index >= ${fromLeaf} order by leaf_index limit ${limit}`.execute(db);
  return rows;
}
