import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import type {
  AuctionsDb,
  AwardsDb,
  ContractsDb,
  DrawsDb,
  EntitiesDb,
  OpeningDb,
  ProjectsTables,
  StatisticsTables,
  TendersDb,
} from './deps.ts';
import type { OpendataTables } from './tables.ts';

/** The tables the open-data module reads: its own, and its neighbours' through their functions. */
export type OpendataDb = OpendataTables &
  ProjectsTables &
  TendersDb &
  OpeningDb &
  AwardsDb &
  AuctionsDb &
  ContractsDb &
  DrawsDb &
  EntitiesDb &
  StatisticsTables;

export interface OpendataDeps {
  db: Kysely<OpendataDb>;
  clock: Clock;
  /** Opens the expert draw's sealed assignments (only the draw's id is published). */
  sealer: FieldSealer;
  /** OCDS ocid prefix (GGZY_OCID_PREFIX). */
  ocidPrefix: string;
  /** The public URL the packages name as their `uri` (GGZY_PUBLIC_URL), or null. */
  publicUrl: string | null;
}

/** Witness entity type of subscriptions (数据推送订阅). */
export const WEBHOOK_WITNESS_TYPE = 'opendata-webhook';

/**
 * The absolute base the packages' URIs are made from: GGZY_PUBLIC_URL, or the default local address when
 * none is configured (OCDS wants absolute URIs; a deployment sets its public address).
 */
export function publicBaseOf(publicUrl: string | null | undefined): string {
  return publicUrl ?? 'http://127.0.0.1:3000';
}
