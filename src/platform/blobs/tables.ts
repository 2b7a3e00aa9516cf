/**
 * 文件 — one row per distinct content, keyed by its SHA-256 (DESIGN §4 "Security": uploads are stored by
 * content hash). The SM3 digest is kept beside it for the 国密 checks (GB/T 32905). The file name belongs to
 * whatever record refers to the content (a bid attachment, an announcement), not to the content itself.
 */
export interface BlobsTable {
  sha256: string;
  sm3: string;
  /** int8; bytes. */
  size: number;
  content_type: string | null;
  created_at: Date;
  /** Account that first uploaded this content. */
  created_by: string | null;
}

export interface BlobTables {
  blobs: BlobsTable;
}
