export {
  appendWitnessEvent,
  SYSTEM_ORIGIN,
  type WitnessEventInput,
  type WitnessOrigin,
} from './append.ts';
export { canonicalJson } from './canonical-json.ts';
export { witnessMigrations } from './migrations.ts';
export type { WitnessEventsTable, WitnessTables } from './tables.ts';
