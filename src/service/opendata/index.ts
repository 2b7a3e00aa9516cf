export { type OpendataDb, type OpendataDeps, WEBHOOK_WITNESS_TYPE } from './context.ts';
export { CURSOR_TTL_MS, FeedCursors } from './cursor.ts';
export { factsOfSnapshot } from './facts.ts';
export {
  iterateCompiledProcesses,
  iterateReleases,
  iterateSnapshots,
  ocdsJsonLines,
  processRecordPackage,
  processReleasePackage,
  readFeed,
  reviveSnapshot,
} from './feed.ts';
export { type OpendataJobRegistry, registerOpendataJobs } from './jobs.ts';
export { opendataMigrations } from './migrations.ts';
export * from './ocds/index.ts';
export { type ProjectionResult, PUBLIC_ACTIONS, projectOpenData, publicEventOf } from './projector.ts';
export { type OpendataRouteDeps, registerOpendataRoutes } from './routes.ts';
export { TRIGGER_KINDS, TRIGGER_NAMES_ZH } from './schemas.ts';
export { lawOf, ocidOf, readProcessSnapshot } from './snapshot.ts';
export type { OpendataTables } from './tables.ts';
export type * from './types.ts';
export {
  DELIVERY_HEADERS,
  type DeliveryDeps,
  deliverWebhooks,
  deliverySigningText,
  retryDelayMs,
} from './webhooks.ts';
