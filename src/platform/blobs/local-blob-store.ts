import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, type FileHandle, link, mkdir, open, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { NotFound } from '../errors.ts';
import {
  type BlobStore,
  PayloadTooLarge,
  type PutBlobOptions,
  SHA256_HEX,
  type StoredBlob,
} from './blob-store.ts';

/**
 * Content in a local directory:
 *   <dir>/tmp/<uuid>.part            an upload being written
 *   <dir>/sha256/ab/cd/<sha256>      stored content, read-only
 * An upload streams into a temporary file while SHA-256 and SM3 are computed, is fsynced, then linked
 * to its hash path. `link` fails when the path exists, so two uploads of the same content race safely:
 * one wins, the other finds it stored and drops its copy.
 */
export class LocalBlobStore implements BlobStore {
  private readonly tmpDir: string;

  constructor(readonly dir: string) {
    this.tmpDir = path.join(dir, 'tmp');
  }

  pathOf(sha256: string): string {
    return path.join(this.dir, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(source: AsyncIterable<Uint8Array | string>, options: PutBlobOptions): Promise<StoredBlob> {
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 0) {
      throw new RangeError(`maxBytes must be a non-negative integer: ${options.maxBytes}`);
    }
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${randomUUID()}.part`);
    const sha256 = createHash('sha256');
    const sm3 = createHash('sm3');
    let size = 0;
    let written = false;
    const file = await open(tmp, 'wx', 0o600);
    try {
      try {
        for await (const chunk of source) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          size += bytes.byteLength;
          // Checked before writing, so at most maxBytes ever reach the disk.
          if (size > options.maxBytes) throw new PayloadTooLarge(options.maxBytes, options.filename);
          sha256.update(bytes);
          sm3.update(bytes);
          await writeAll(file, bytes);
        }
        // Stored content never changes: read-only from here on (the hash path shares this inode).
        await file.chmod(0o440);
        await file.sync();
        written = true;
      } finally {
        await file.close();
      }
    } finally {
      if (!written) await rm(tmp, { force: true });
    }

    const stored: StoredBlob = { sha256: sha256.digest('hex'), sm3: sm3.digest('hex'), size };
    const target = this.pathOf(stored.sha256);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await link(tmp, target);
      await syncDirectory(path.dirname(target));
    } catch (error) {
      // EEXIST: the same content is stored already (dedup); anything else is a real failure.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await rm(tmp, { force: true });
    }
    return stored;
  }

  /**
   * Links a finished staging file (fsync'd by the caller) to its hash path and removes the staging name:
   * a 2 GB bid part is not copied a second time. Across file systems (EXDEV) it falls back to `put`.
   */
  async adoptFile(file: string, expected: StoredBlob): Promise<void> {
    if (!SHA256_HEX.test(expected.sha256)) throw new RangeError(`not a SHA-256: ${expected.sha256}`);
    const target = this.pathOf(expected.sha256);
    await mkdir(path.dirname(target), { recursive: true });
    await chmod(file, 0o440);
    try {
      await link(file, target);
      await syncDirectory(path.dirname(target));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EXDEV') {
        const stored = await this.put(createReadStream(file), { maxBytes: expected.size });
        if (stored.sha256 !== expected.sha256) throw new Error(`adopted file changed: ${file}`);
      } else if (code !== 'EEXIST') {
        throw error;
      }
    }
    await rm(file, { force: true });
  }

  async get(sha256: string): Promise<Readable> {
    if (!SHA256_HEX.test(sha256)) throw notFound(sha256);
    try {
      const file = await open(this.pathOf(sha256), 'r');
      return file.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(sha256);
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    if (!SHA256_HEX.test(sha256)) return false;
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async delete(sha256: string): Promise<boolean> {
    if (!SHA256_HEX.test(sha256)) return false;
    const target = this.pathOf(sha256);
    try {
      await chmod(target, 0o640);
      await unlink(target);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}

async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Makes a new directory entry durable (a crash after the link must not lose it). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function notFound(sha256: string): NotFound {
  return new NotFound('BLOB_NOT_FOUND', {
    title: '文件不存在',
    detail: `未找到摘要为 ${sha256.slice(0, 64)} 的文件。`,
  });
}
