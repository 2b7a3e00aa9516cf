import type { Kysely } from 'kysely';
import { type CalendarDate, shanghaiDateOf } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { IdentityTables } from '../../platform/identity/index.ts';
import type { WitnessTables } from '../../platform/witness/index.ts';
import type { ExpertsTables } from './tables.ts';

/** The database the experts module works on: its own tables, identity (accounts) and the witness log. */
export type ExpertsDb = ExpertsTables & IdentityTables & WitnessTables;
export type ExpertsContext = UseCaseContext<ExpertsDb>;
export type ExpertsKysely = Kysely<ExpertsDb>;

/** Witness entity types. */
export const EXPERT_WITNESS_TYPE = 'expert';
export const APPLICATION_WITNESS_TYPE = 'expert-application';
export const IMPORT_WITNESS_TYPE = 'expert-import';

/** Seal contexts: a sealed value opens only under the record it was sealed for. */
export const idNumberContext = (expertId: string) => `expert-id-number:${expertId}`;
export const phoneContext = (expertId: string) => `expert-phone:${expertId}`;
export const applicationIdNumberContext = (applicationId: string) =>
  `expert-application-id-number:${applicationId}`;
export const applicationPhoneContext = (applicationId: string) => `expert-application-phone:${applicationId}`;
/** Blind index parts of an ID number (shared by applications and experts: one person, one index). */
export const ID_INDEX_LABEL = 'expert-id-number';

/** 专家编号: ZJ + the province's two digits + a six-digit (or longer) sequence number. */
export function expertCode(regionCode: string, n: number): string {
  return `ZJ${regionCode.slice(0, 2)}${String(n).padStart(6, '0')}`;
}

/** 138****1234 — a phone number without what identifies the subscriber. */
export function maskPhone(phone: string): string {
  if (phone.length >= 7) return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
  return `${'*'.repeat(Math.max(phone.length - 2, 0))}${phone.slice(-2)}`;
}

/**
 * The code prefix a region covers: a province (150000) all of 15xxxx, a prefecture (150100) all of 1501xx,
 * a county itself.
 */
export function regionPrefixOf(regionCode: string): string {
  if (regionCode.endsWith('0000')) return regionCode.slice(0, 2);
  if (regionCode.endsWith('00')) return regionCode.slice(0, 4);
  return regionCode;
}

export function todayOf(at: Date): CalendarDate {
  return shanghaiDateOf(at);
}

/** The same calendar date `years` earlier (29 Feb → 28 Feb). */
export function yearsBefore(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) - years;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}
