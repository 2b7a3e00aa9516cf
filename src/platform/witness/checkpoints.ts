import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../clock/index.ts';
import { type Sm2PublicKey, sm2Verify } from '../crypto/index.ts';
import type { Db } from '../db/index.ts';
import type { CheckpointSigner } from './keys.ts';
import { toHex } from './merkle.ts';
import type { WitnessCheckpointsTable, WitnessTables } from './tables.ts';
import { lockTree, readRootHash, readTreeSize } from './tree-store.ts';

/** 检查点: the platform's signed statement "the log had these leaves, with this root, at this time". */
export interface WitnessCheckpoint {
  treeSize: number;
  rootHash: Uint8Array;
  issuedAt: Date;
  keyId: string;
  /** SM2 (GM/T 0009 default ID) DER signature over `checkpointText(...)`. */
  signature: Uint8Array;
}

/**
 * The exact text that is signed (UTF-8, each line ending in \n; the time in ISO 8601 UTC with
 * milliseconds, as JavaScript's toISOString writes it). Verifiers rebuild it from the published fields.
 */
export function checkpointText(treeSize: number, rootHash: Uint8Array, issuedAt: Date): string {
  return `ggzy-witness-checkpoint v1\n${treeSize}\n${toHex(rootHash)}\n${issuedAt.toISOString()}\n`;
}

export function verifyCheckpointSignature(checkpoint: WitnessCheckpoint, publicKey: Sm2PublicKey): boolean {
  const text = checkpointText(checkpoint.treeSize, checkpoint.rootHash, checkpoint.issuedAt);
  return sm2Verify(publicKey, text, checkpoint.signature);
}

/**
 * Signs the current tree if it grew since the last checkpoint; null when it did not. Holds the tree lock
 * (waiting for a running sequencer batch) so the size and root it signs belong together.
 */
export async function createCheckpoint(
  db: Kysely<WitnessTables>,
  clock: Clock,
  signer: CheckpointSigner,
): Promise<WitnessCheckpoint | null> {
  return db.transaction().execute(async (tx) => {
    await lockTree(tx, true);
    const treeSize = await readTreeSize(tx);
    const latest = await latestCheckpoint(tx);
    if (treeSize === 0 || (latest && latest.treeSize >= treeSize)) return null;
    const rootHash = await readRootHash(tx, treeSize);
    // Millisecond time: the signed text carries what timestamptz stores and toISOString writes back.
    const issuedAt = new Date(clock.now().getTime());
    const signature = signer.sign(Buffer.from(checkpointText(treeSize, rootHash, issuedAt), 'utf8'));
    const checkpoint: WitnessCheckpoint = { treeSize, rootHash, issuedAt, keyId: signer.keyId, signature };
    await tx
      .insertInto('witness_checkpoints')
      .values({
        tree_size: treeSize,
        root_hash: rootHash,
        issued_at: issuedAt,
        key_id: signer.keyId,
        signature,
      })
      .execute();
    return checkpoint;
  });
}

export async function latestCheckpoint(db: Db<WitnessTables>): Promise<WitnessCheckpoint | null> {
  const row = await db
    .selectFrom('witness_checkpoints')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function checkpointAtSize(
  db: Db<WitnessTables>,
  treeSize: number,
): Promise<WitnessCheckpoint | null> {
  const row = await db
    .selectFrom('witness_checkpoints')
    .selectAll()
    .where('tree_size', '=', treeSize)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Checkpoints newest first, `limit` of them with a tree size below `beforeSize` when given. */
export async function listCheckpoints(
  db: Db<WitnessTables>,
  opts: { beforeSize?: number; limit: number },
): Promise<WitnessCheckpoint[]> {
  let query = db.selectFrom('witness_checkpoints').selectAll().orderBy('tree_size', 'desc').limit(opts.limit);
  if (opts.beforeSize !== undefined) query = query.where('tree_size', '<', opts.beforeSize);
  return (await query.execute()).map(fromRow);
}

/** Every checkpoint, oldest first (for the verifier). */
export async function allCheckpoints(db: Db<WitnessTables>): Promise<WitnessCheckpoint[]> {
  const rows = await db.selectFrom('witness_checkpoints').selectAll().orderBy('tree_size', 'asc').execute();
  return rows.map(fromRow);
}

function fromRow(row: Selectable<WitnessCheckpointsTable>): WitnessCheckpoint {
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    issuedAt: row.issued_at,
    keyId: row.key_id,
    signature: row.signature,
  };
}
