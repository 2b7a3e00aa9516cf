export {
  appendWitnessEvent,
  appendWitnessEvents,
  SYSTEM_ORIGIN,
  type WitnessAppend,
  type WitnessEventInput,
  type WitnessOrigin,
} from './append.ts';
export { canonicalJson } from './canonical-json.ts';
export {
  checkpointAtSize,
  checkpointText,
  createCheckpoint,
  latestCheckpoint,
  listCheckpoints,
  verifyCheckpointSignature,
  type WitnessCheckpoint,
} from './checkpoints.ts';
export { type FeedQuery, listSequencedEvents, type SequencedEvent } from './feed.ts';
export {
  CHECKPOINT_KEY_PURPOSE,
  type CheckpointSigner,
  keyIdOf,
  listCheckpointPublicKeys,
  loadCheckpointSigner,
  signerFromPrivateKey,
  type WitnessPublicKey,
} from './keys.ts';
export { LEAF_FORMAT_VERSION, leafBytes, readWitnessLeafRow, type WitnessLeafRow } from './leaf.ts';
export { startWitnessLoop, type WitnessLoopLogger, type WitnessLoopOptions } from './loop.ts';
export {
  type ConsistencyClaim,
  EMPTY_ROOT,
  hashChildren,
  hashLeaf,
  type InclusionClaim,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';
export { witnessMigrations } from './migrations.ts';
export {
  type ConsistencyProof,
  getConsistencyProof,
  getInclusionProof,
  type InclusionProof,
} from './proofs.ts';
export { registerWitnessRoutes, type WitnessHttpApp, type WitnessRouteDeps } from './routes.ts';
export { type SequenceOptions, type SequenceResult, sequenceWitnessEvents } from './sequencer.ts';
export type {
  PlatformKeysTable,
  WitnessCheckpointsTable,
  WitnessEventsTable,
  WitnessNodesTable,
  WitnessTables,
  WitnessTreeHeadTable,
} from './tables.ts';
export {
  type VerifyWitnessLogOptions,
  verifyWitnessLog,
  type WitnessProblem,
  type WitnessProblemKind,
  type WitnessVerificationReport,
} from './verify-log.ts';
