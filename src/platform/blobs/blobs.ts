import type { Readable } from 'node:stream';
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../clock/index.ts';
import { NotFound } from '../errors.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../witness/index.ts';
import { type BlobStore, SHA256_HEX } from './blob-store.ts';
import * as store from './store.ts';
import type { BlobsTable, BlobTables } from './tables.ts';

export type BlobDb = BlobTables & WitnessTables;

export interface BlobDeps {
  db: Kysely<BlobDb>;
  blobs: BlobStore;
  clock: Clock;
}

/** A stored file's record (文件记录). */
export interface BlobRecord {
  sha256: string;
  sm3: string;
  size: number;
  contentType: string | null;
  createdAt: Date;
  createdBy: string | null;
}

function toRecord(row: Selectable<BlobsTable>): BlobRecord {
  return {
    sha256: row.sha256,
    sm3: row.sm3,
    size: Number(row.size),
    contentType: row.content_type,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

export interface UploadBlobInput {
  source: AsyncIterable<Uint8Array | string>;
  maxBytes: number;
  contentType?: string;
  filename?: string;
  origin: WitnessOrigin;
}

/**
 * Stores uploaded content and records it. The bytes go to the blob store first (streamed, hashed, size
 * limited); the row and the witness event then commit together. If that transaction fails, the stored
 * file stays without a row: harmless (a later upload of the same content records it) and never served
 * by the routes, which look the row up first.
 */
export async function uploadBlob(
  deps: BlobDeps,
  input: UploadBlobInput,
): Promise<{ blob: BlobRecord; created: boolean }> {
  const stored = await deps.blobs.put(input.source, {
    maxBytes: input.maxBytes,
    ...(input.contentType ? { contentType: input.contentType } : {}),
    ...(input.filename ? { filename: input.filename } : {}),
  });
  const at = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const { created } = await store.insertBlobIfAbsent(tx, {
      sha256: stored.sha256,
      sm3: stored.sm3,
      size: stored.size,
      content_type: input.contentType?.slice(0, 255) || null,
      created_at: at,
      created_by: input.origin.accountId,
    });
    await appendWitnessEvent(tx, at, input.origin, {
      entityType: 'blob',
      entityId: stored.sha256,
      action: 'blob.uploaded',
      payload: {
        sm3: stored.sm3,
        size: stored.size,
        contentType: input.contentType ?? null,
        filename: input.filename ?? null,
        firstUpload: created,
      },
    });
    const row = await store.findBlob(tx, stored.sha256);
    if (!row) throw new Error(`blob row ${stored.sha256} vanished inside its transaction`);
    return { blob: toRecord(row), created };
  });
}

export async function getBlobRecord(db: Kysely<BlobDb>, sha256: string): Promise<BlobRecord | null> {
  if (!SHA256_HEX.test(sha256)) return null;
  const row = await store.findBlob(db, sha256);
  return row ? toRecord(row) : null;
}

/** The record and a stream of the content; `NotFound` unless both exist. */
export async function openBlob(
  deps: BlobDeps,
  sha256: string,
): Promise<{ blob: BlobRecord; stream: Readable }> {
  const blob = await getBlobRecord(deps.db, sha256);
  if (!blob) {
    throw new NotFound('BLOB_NOT_FOUND', {
      title: '文件不存在',
      detail: `未找到摘要为 ${sha256.slice(0, 64)} 的文件。`,
    });
  }
  return { blob, stream: await deps.blobs.get(sha256) };
}
