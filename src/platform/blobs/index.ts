export {
  type BlobStore,
  formatBytes,
  PayloadTooLarge,
  type PutBlobOptions,
  SHA256_HEX,
  type StoredBlob,
} from './blob-store.ts';
export {
  type BlobDb,
  type BlobDeps,
  type BlobRecord,
  getBlobRecord,
  openBlob,
  type UploadBlobInput,
  uploadBlob,
} from './blobs.ts';
export { LocalBlobStore } from './local-blob-store.ts';
export { blobsMigrations } from './migrations.ts';
export { type BlobRouteDeps, registerBlobRoutes } from './routes.ts';
export type { BlobsTable, BlobTables } from './tables.ts';
