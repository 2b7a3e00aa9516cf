import type { Readable } from 'node:stream';
import { AppError } from '../errors.ts';

export interface PutBlobOptions {
  /** Largest accepted size in bytes; one byte more aborts the upload (GGZY_UPLOAD_LIMIT). */
  maxBytes: number;
  contentType?: string;
  /** The uploader's file name — for messages only; content is stored by hash. */
  filename?: string;
}

export interface StoredBlob {
  /** Lower-case hex. */
  sha256: string;
  /** Lower-case hex, SM3 (GB/T 32905-2016). */
  sm3: string;
  size: number;
}

/**
 * Where file content lives, addressed by its SHA-256 (DESIGN §4 "Scale": a local directory by default,
 * S3-compatible object storage in production). Implementations hash while they write, never hold a whole
 * file in memory, and store identical content once.
 *
 * Only `LocalBlobStore` exists. An S3 store would implement the same four methods: `put` streams a
 * multipart upload to a temporary key while hashing, aborts it past `maxBytes`, then copies it to
 * `sha256/<hash>` unless that key exists; `get` is a GetObject stream; `has` a HeadObject.
 */
export interface BlobStore {
  put(source: AsyncIterable<Uint8Array | string>, options: PutBlobOptions): Promise<StoredBlob>;
  /** Throws `NotFound` (BLOB_NOT_FOUND) when the content is not stored. */
  get(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
  /** Removes stored content; false when there was none. Whether content may go is a retention decision. */
  delete?(sha256: string): Promise<boolean>;
  /**
   * Takes over a finished, fsync'd file whose hashes the caller computed (a resumable upload's staging
   * file), without copying it where the store allows: renamed into place. The file is gone afterwards;
   * if the content was stored already, the file is simply removed. The caller vouches for `expected`.
   */
  adoptFile?(file: string, expected: StoredBlob): Promise<void>;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The upload is larger than the platform accepts (413). */
export class PayloadTooLarge extends AppError {
  constructor(maxBytes: number, filename?: string) {
    super(413, 'UPLOAD_TOO_LARGE', {
      title: '文件超过大小限制',
      detail: `${filename ? `文件“${filename}”` : '上传的文件'}超过平台允许的最大大小 ${formatBytes(maxBytes)}，未予保存。`,
      extensions: { maxBytes },
    });
  }
}

export function formatBytes(bytes: number): string {
  const units = ['字节', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0
    ? `${bytes} 字节`
    : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
