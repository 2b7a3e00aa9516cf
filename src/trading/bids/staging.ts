import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { hashPool } from './hash-pool.ts';

/**
 * Where resumable uploads land before completion: `<dataDir>/bid-staging/<uploadId>/<no>`, written at the
 * declared offset and fsync'd before the new offset is recorded. Each committed chunk is then hashed (SM3 and
 * SHA-256) on a worker thread (hash-pool.ts); after a restart (or on another instance) the state is gone and
 * completion hashes the file from disk instead.
 */
export function stagingDir(dataDir: string, uploadId: string): string {
  return path.join(dataDir, 'bid-staging', uploadId);
}

export function stagingFile(dataDir: string, uploadId: string, no: number): string {
  return path.join(stagingDir(dataDir, uploadId), String(no));
}

export async function removeStaging(dataDir: string, uploadId: string): Promise<void> {
  await rm(stagingDir(dataDir, uploadId), { recursive: true, force: true });
}

/** The per-process lock that lets one PATCH at a time write a part (the hashes are in hash-pool.ts). */
export class StagingState {
  private readonly busy = new Set<string>();

  private key(uploadId: string, no: number) {
    return `${uploadId}/${no}`;
  }

  /** Takes the part's write lock; false when another request holds it. */
  tryLock(uploadId: string, no: number): boolean {
    const key = this.key(uploadId, no);
    if (this.busy.has(key)) return false;
    this.busy.add(key);
    return true;
  }

  unlock(uploadId: string, no: number): void {
    this.busy.delete(this.key(uploadId, no));
  }

  /** Drops the upload's hash states on the workers (given up, reset or completed). */
  forget(uploadId: string): void {
    hashPool.forget(`${uploadId}/`).catch(() => undefined);
  }
}

export class ChunkLimitExceeded extends Error {}

const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Writes `body` at `offset` of the staging file (cut to `offset` first, so bytes a crash left beyond the
 * recorded offset never count), at most `maxBytes`; fsyncs before it returns. Returns the bytes written. `inspect` sees the first bytes of a chunk written at offset 0.
 */
export async function writeChunk(
  file: string,
  offset: number,
  body: AsyncIterable<Uint8Array | string>,
  maxBytes: number,
  inspect?: (head: Uint8Array) => void,
): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const handle = await open(file, offset === 0 ? 'w' : 'r+', 0o600);
  try {
    await handle.truncate(offset);
    let written = 0;
    let head: Buffer | null = offset === 0 && inspect ? Buffer.alloc(0) : null;
    // Socket reads arrive in ~64 KiB pieces; writing them in batches keeps the thread pool (shared with
    // fsync) from drowning in small writes when hundreds of bidders upload at once.
    let batch: Uint8Array[] = [];
    let batched = 0;
    const flush = async () => {
      if (batched === 0) return;
      const data = batch.length === 1 ? batch[0]! : Buffer.concat(batch, batched);
      batch = [];
      const at0 = offset + written;
      let at = 0;
      while (at < data.byteLength) {
        const { bytesWritten } = await handle.write(data, at, data.byteLength - at, at0 + at);
        at += bytesWritten;
      }
      written += data.byteLength;
      batched = 0;
    };
    for await (const piece of body) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
      if (written + batched + bytes.byteLength > maxBytes) throw new ChunkLimitExceeded();
      if (head !== null) {
        head = Buffer.concat([head, bytes.subarray(0, 8 - head.length)]);
        if (head.length >= 8) {
          inspect!(head);
          head = null;
        }
      }
      batch.push(bytes);
      batched += bytes.byteLength;
      if (batched >= WRITE_BATCH_BYTES) await flush();
    }
    if (head !== null && head.length > 0) inspect!(head);
    await flush();
    await handle.sync();
    return written;
  } finally {
    await handle.close();
  }
}

export async function readHead(file: string, length: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
