import { sql } from 'kysely';
import type { CalendarDate } from '../../platform/clock/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { RuleViolation } from '../../platform/errors.ts';
import type { ProjectsTables } from './tables.ts';

/**
 * Codes of the data specification (数据规范 V4; reference/standards.md §4):
 *
 *   project code        (PROJECT_CODE, 17)        Z RRRRRR YYMMDD NNNN
 *                                                 │ │      │      └ sequence of the region-day, 0001–9999
 *                                                 │ │      └ registration date, Asia/Shanghai
 *                                                 │ └ GB/T 2260 region of the project
 *                                                 └ 'Z': registered on this platform (自治区公共资源交易平台)
 *   tender project code (TENDER_PROJECT_CODE, 20) = project code + 3-digit sequence ('001' for the first)
 *   lot code            (BID_SECTION_CODE, 23)    = tender project code + 3-digit lot sequence (001–999)
 *
 * The region-day sequence is handed out by one `insert … on conflict do update … returning` statement,
 * which PostgreSQL executes atomically under the row lock: concurrent registrations get distinct numbers,
 * and the unique index on `projects.code` is the last guard. Lot numbers come from the project row
 * (`last_lot_seq`, incremented under its lock) and are never reused.
 */
export const PROJECT_CODE_PREFIX = 'Z';
export const PROJECT_CODE_LENGTH = 17;
export const TENDER_PROJECT_CODE_LENGTH = 20;
export const LOT_CODE_LENGTH = 23;
const MAX_PER_REGION_DAY = 9999;

type CodesDb = Db<ProjectsTables>;

export async function nextProjectCode(tx: CodesDb, regionCode: string, day: CalendarDate): Promise<string> {
  const yymmdd = day.slice(2).replaceAll('-', '');
  const row = await tx
    .insertInto('project_code_sequences')
    .values({ region_code: regionCode, day: yymmdd, last_seq: 1 })
    .onConflict((oc) =>
      oc.columns(['region_code', 'day']).doUpdateSet({
        last_seq: sql<number>`least(project_code_sequences.last_seq + 1, ${MAX_PER_REGION_DAY + 1})`,
      }),
    )
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  if (row.last_seq > MAX_PER_REGION_DAY) {
    throw new RuleViolation('PROJECT_CODES_EXHAUSTED', {
      title: '当日项目编号已用完',
      detail: `区划 ${regionCode} 在 ${day} 已登记 ${MAX_PER_REGION_DAY} 个项目，请次日再登记。`,
    });
  }
  return `${PROJECT_CODE_PREFIX}${regionCode}${yymmdd}${String(row.last_seq).padStart(4, '0')}`;
}

export function tenderProjectCodeOf(projectCode: string, seq = 1): string {
  return `${projectCode}${String(seq).padStart(3, '0')}`;
}

export function lotCodeOf(tenderProjectCode: string, seq: number): string {
  return `${tenderProjectCode}${String(seq).padStart(3, '0')}`;
}
