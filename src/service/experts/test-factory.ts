import { randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { idNumberCheckCharacter } from '../entities/index.ts';
import type { ExpertsDb } from './common.ts';
import { type ExpertImportRow, importExperts } from './import.ts';

/**
 * Test factory for the expert pool (other modules' tests fill a pool with it — the draw above all).
 * The test platform (test/support/platform.ts) is described by the little used here, since production code
 * may not import test code; pass `makeTestPlatform()`'s result.
 */
export interface ExpertFactoryPlatform {
  db: Kysely<ExpertsDb>;
  sealer: FieldSealer;
  clock: Clock;
  makeAccount(
    roles: string[],
    opts?: { organizationName?: string; displayName?: string },
  ): Promise<{ id: string; username: string; organizationId: string | null; roles: string[] }>;
}

/** The same as test/support/platform.ts's TEST_PASSWORD: `p.as(expert.account)` signs the expert in. */
export const EXPERT_FACTORY_PASSWORD = 'Test@2026pw';

/** A valid, random 居民身份证号 (address code 150102 by default, born 1960–1989). */
export function randomIdNumber(regionCode = '150102'): string {
  const year = 1960 + randomInt(30);
  const month = String(1 + randomInt(12)).padStart(2, '0');
  const day = String(1 + randomInt(28)).padStart(2, '0');
  const body = `${regionCode}${year}${month}${day}${String(randomInt(1000)).padStart(3, '0')}`;
  return body + idNumberCheckCharacter(body);
}

export function randomMobile(): string {
  return `139${String(randomInt(100_000_000)).padStart(8, '0')}`;
}

export interface MadeExpert {
  expertId: string;
  code: string;
  idNumber: string;
  phone: string;
  /** The expert's login (role `expert`), or null when made with `withAccount: false`. */
  account: {
    id: string;
    username: string;
    password: string;
    organizationId: string | null;
    roles: string[];
  } | null;
}

/**
 * An active expert (在库) with an account, created through the module's own import: specialty A080101
 * 土建 and region 150102 unless overridden. `withAccount: false` makes one without a login.
 */
export async function makeExpert(
  p: ExpertFactoryPlatform,
  overrides?: Partial<ExpertImportRow> & { withAccount?: true },
): Promise<MadeExpert & { account: NonNullable<MadeExpert['account']> }>;
export async function makeExpert(
  p: ExpertFactoryPlatform,
  overrides: Partial<ExpertImportRow> & { withAccount: false },
): Promise<MadeExpert>;
export async function makeExpert(
  p: ExpertFactoryPlatform,
  overrides: Partial<ExpertImportRow> & { withAccount?: boolean } = {},
): Promise<MadeExpert> {
  const { withAccount = true, ...row } = overrides;
  const account = withAccount
    ? await p.makeAccount(['expert'], { displayName: row.name ?? '测试专家' })
    : null;
  const idNumber = row.idNumber ?? randomIdNumber();
  const phone = row.phone ?? randomMobile();
  const { experts } = await importExperts(p.db, p.sealer, p.clock, [
    {
      name: `测试专家${randomBytes(2).toString('hex')}`,
      gender: 'male',
      employerName: `测试工作单位${randomBytes(3).toString('hex')}`,
      employerKind: 'enterprise',
      regionCode: '150102',
      title: '高级工程师',
      titleLevel: 'vice-senior',
      education: '本科',
      yearsInField: 12,
      specialtyCodes: ['A080101'],
      ...row,
      idNumber,
      phone,
      accountId: account?.id ?? null,
    },
  ]);
  const made = experts[0]!;
  return {
    expertId: made.expertId,
    code: made.code,
    idNumber,
    phone,
    account: account ? { ...account, password: EXPERT_FACTORY_PASSWORD } : null,
  };
}
