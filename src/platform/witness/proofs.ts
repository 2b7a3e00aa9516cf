import type { Db } from '../db/index.ts';
import { InvalidInput, NotFound, RuleViolation } from '../errors.ts';
import { checkpointAtSize, latestCheckpoint, type WitnessCheckpoint } from './checkpoints.ts';
import { consistencyProofRanges, inclusionPathRanges } from './merkle.ts';
import type { WitnessTables } from './tables.ts';
import { readRangeHashes, readTreeSize } from './tree-store.ts';

export interface InclusionProof {
  eventId: number;
  leafIndex: number;
  treeSize: number;
  leafHash: Uint8Array;
  /** RFC 9162 inclusion path, leaf side first. */
  inclusionPath: Uint8Array[];
  /** The signed checkpoint of `treeSize`, when there is one (always, unless a size was asked for). */
  checkpoint: WitnessCheckpoint | null;
}

export interface ConsistencyProof {
  fromSize: number;
  toSize: number;
  proof: Uint8Array[];
}

/**
 * 存在性证明: proves the event is leaf `leafIndex` of the tree of `treeSize` leaves. By default against
 * the latest signed checkpoint, so that the proof ends in a signature a client can check.
 */
export async function getInclusionProof(
  db: Db<WitnessTables>,
  eventId: number,
  opts: { treeSize?: number } = {},
): Promise<InclusionProof> {
  const event = await db
    .selectFrom('witness_events')
    .select(['id', 'leaf_index', 'leaf_hash'])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!event) {
    throw new NotFound('WITNESS_EVENT_NOT_FOUND', {
      title: '见证事件不存在',
      detail: `没有编号为 ${eventId} 的见证事件。`,
    });
  }
  if (event.leaf_index === null || event.leaf_hash === null) {
    throw new RuleViolation('WITNESS_EVENT_NOT_SEQUENCED', {
      title: '见证事件尚未入树',
      detail: `见证事件 ${eventId} 已记录，正在等待排序写入默克尔树（通常在 1 秒内完成），请稍后再取证明。`,
    });
  }
  const leafIndex = Number(event.leaf_index);
  let treeSize: number;
  let checkpoint: WitnessCheckpoint | null;
  if (opts.treeSize === undefined) {
    checkpoint = await latestCheckpoint(db);
    if (!checkpoint || checkpoint.treeSize <= leafIndex) {
      throw new RuleViolation('WITNESS_EVENT_NOT_CHECKPOINTED', {
        title: '见证事件尚未纳入签名检查点',
        detail: `见证事件 ${eventId} 已入树（第 ${leafIndex} 号叶子），但尚无覆盖它的签名检查点，请在下一个检查点发布后再取证明。`,
      });
    }
    treeSize = checkpoint.treeSize;
  } else {
    treeSize = opts.treeSize;
    await assertTreeSize(db, treeSize);
    if (treeSize <= leafIndex) {
      throw new InvalidInput('WITNESS_TREE_SIZE_TOO_SMALL', {
        title: '树大小不包含该事件',
        detail: `见证事件 ${eventId} 是第 ${leafIndex} 号叶子，树大小须大于 ${leafIndex}。`,
      });
    }
    checkpoint = await checkpointAtSize(db, treeSize);
  }
  const inclusionPath = await readRangeHashes(db, inclusionPathRanges(leafIndex, treeSize));
  return { eventId, leafIndex, treeSize, leafHash: event.leaf_hash, inclusionPath, checkpoint };
}

/** 一致性证明: proves the tree of `toSize` leaves extends the tree of `fromSize` leaves unchanged. */
export async function getConsistencyProof(
  db: Db<WitnessTables>,
  fromSize: number,
  toSize: number,
): Promise<ConsistencyProof> {
  if (!Number.isSafeInteger(fromSize) || !Number.isSafeInteger(toSize) || fromSize < 0 || fromSize > toSize) {
    throw new InvalidInput('WITNESS_BAD_TREE_SIZES', {
      title: '树大小不正确',
      detail: `一致性证明需要 0 ≤ from ≤ to，收到 from=${fromSize}、to=${toSize}。`,
    });
  }
  await assertTreeSize(db, toSize);
  const proof = await readRangeHashes(db, consistencyProofRanges(fromSize, toSize));
  return { fromSize, toSize, proof };
}

async function assertTreeSize(db: Db<WitnessTables>, treeSize: number): Promise<void> {
  const current = await readTreeSize(db);
  if (!Number.isSafeInteger(treeSize) || treeSize < 1 || treeSize > current) {
    throw new InvalidInput('WITNESS_TREE_SIZE_OUT_OF_RANGE', {
      title: '树大小超出范围',
      detail: `见证日志当前共有 ${current} 个叶子，所请求的树大小 ${treeSize} 不在 1–${current} 之内。`,
    });
  }
}
