import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where resumable uploads land before completion: `<dataDir>/bid-staging/<uploadId>/<no>`, written at the
 * declared offset and fsync'd before the new offset is recorded. While chunks arrive in order the SM3 and
 * SHA-256 of each part are kept in memory; after a restart (or on another instance) the state is gone
 * and completion hashes the file from disk instead.
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

export interface PartHashState {
  /** Bytes hashed so far (== the part's recorded offset when in step). */
  offset: number;
  sm3: Hash;
  sha256: Hash;
}

/** Per-process hash states and the lock that lets one PATCH at a time write a part. */
export class StagingState {
  private readonly hashes = new Map<string, PartHashState>();
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

  /** A copy of the state at `offset` to extend (fresh at 0), or null when the state was lost. */
  forkAt(uploadId: string, no: number, offset: number): PartHashState | null {
    if (offset === 0) return { offset: 0, sm3: createHash('sm3'), sha256: createHash('sha256') };
    const state = this.hashes.get(this.key(uploadId, no));
    if (!state || state.offset !== offset) return null;
    return { offset, sm3: state.sm3.copy(), sha256: state.sha256.copy() };
  }

  commit(uploadId: string, no: number, state: PartHashState): void {
    this.hashes.set(this.key(uploadId, no), state);
  }

  /** The digests of a part whose state covers `length` bytes, or null. Consumes the state. */
  take(uploadId: string, no: number, length: number): { sm3: string; sha256: string } | null {
    const key = this.key(uploadId, no);
    const state = this.hashes.get(key);
    this.hashes.delete(key);
    if (!state || state.offset !== length) return null;
    return { sm3: state.sm3.digest('hex'), sha256: state.sha256.digest('hex') };
  }

  forget(uploadId: string): void {
    for (const key of [...this.hashes.keys()]) if (key.startsWith(`${uploadId}/`)) this.hashes.delete(key);
  }
}

export class ChunkLimitExceeded extends Error {}

const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Writes `body` at `offset` of the staging file (cut to `offset` first, so bytes a crash left beyond the
 * recorded offset never count), at most `maxBytes`, hashing into `state` when given; fsyncs before it
 * returns. Returns the bytes written. `inspect` sees the first bytes of a chunk written at offset 0.
 */
export async function writeChunk(
  file: string,
  offset: number,
  body: AsyncIterable<Uint8Array | string>,
  maxBytes: number,
  state: PartHashState | null,
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
      state?.sm3.update(bytes);
      state?.sha256.update(bytes);
      batch.push(bytes);
      batched += bytes.byteLength;
      if (batched >= WRITE_BATCH_BYTES) await flush();
    }
    if (head !== null && head.length > 0) inspect!(head);
    await flush();
    await handle.sync();
    if (state) state.offset = offset + written;
    return written;
  } finally {
    await handle.close();
  }
}

/** SM3 and SHA-256 of a whole staging file, read from disk. */
export async function hashFile(file: string): Promise<{ sm3: string; sha256: string; size: number }> {
  const sm3 = createHash('sm3');
  const sha256 = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    sm3.update(bytes);
    sha256.update(bytes);
    size += bytes.length;
  }
  return { sm3: sm3.digest('hex'), sha256: sha256.digest('hex'), size };
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
