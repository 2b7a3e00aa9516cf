import type { Kysely } from 'kysely';
import { shanghaiDateOf } from '../../platform/clock/index.ts';
import type { FactoryClient, FactoryPlatform } from '../../trading/projects/test-factory.ts';
import type { ScopesTables } from '../scopes/index.ts';
import { giveTestScope } from '../scopes/test-factory.ts';
import { addMonths } from './rules.ts';
import type { RestrictionKind } from './tables.ts';

/**
 * Test factories for credit (other modules' tests use them to make a barred bidder). A fresh supervisor
 * with the whole region in scope records the decision through the API, as in production.
 */
export interface BanOptions {
  /** A key of the ban table or 'other'; default 'tiaoli-68' (1–3 years from 依法必须招标 projects). */
  basisCode?: string;
  kind?: RestrictionKind;
  legalBasis?: string;
  fromDate?: string;
  toDate?: string;
  catalogPrefixes?: string[];
  regionPrefixes?: string[];
  regionCode?: string;
  catalogItemCode?: string;
}

export interface RecordedBan {
  recordId: string;
  recordCode: string;
  restrictionId: string;
  fromDate: string;
  toDate: string;
  supervisorClient: FactoryClient;
}

const BASIS_KIND: Record<string, RestrictionKind> = {
  'tiaoli-67': 'bidding_mandatory_tender',
  'tiaoli-68': 'bidding_mandatory_tender',
  'zbtbf-60': 'bidding_mandatory_tender',
  'zbtbf-50': 'acting_as_agency',
  'zfcgf-77': 'government_procurement',
};

/** Records a serious violation with one restriction (default: one year from today) against an organisation. */
export async function recordTestBan<C extends FactoryClient>(
  platform: FactoryPlatform<C>,
  subject: { creditCode: string; name: string },
  opts: BanOptions = {},
): Promise<RecordedBan> {
  const supervisor = await platform.makeAccount(['supervisor'], { displayName: '监督科工作人员' });
  // The test platform's database holds every table; the projects factory only names the ones it uses.
  await giveTestScope(platform.db as unknown as Kysely<ScopesTables>, supervisor.id);
  const client = await platform.as(supervisor);
  const today = shanghaiDateOf(platform.clock.now());
  const basisCode = opts.basisCode ?? 'tiaoli-68';
  const fromDate = opts.fromDate ?? today;
  const toDate = opts.toDate ?? addMonths(fromDate as typeof today, 12);
  const res = await client.post('/api/credit/records', {
    kind: 'violation',
    subject: { kind: 'organization', name: subject.name, creditCode: subject.creditCode },
    regionCode: opts.regionCode ?? '150102',
    catalogItemCode: opts.catalogItemCode ?? '0101',
    severity: 'serious',
    facts: '在投标中提供虚假业绩证明材料，弄虚作假骗取中标。',
    legalBasis: '《中华人民共和国招标投标法实施条例》第六十八条',
    penalty: '处中标项目金额千分之十的罚款，取消其参加依法必须进行招标的项目的投标资格。',
    decidingAuthority: '呼和浩特市住房和城乡建设局',
    decisionNumber: `呼建罚〔2026〕${Math.floor(Math.random() * 900 + 100)}号`,
    decisionDate: today,
    restrictions: [
      {
        kind: opts.kind ?? BASIS_KIND[basisCode] ?? 'bidding_all',
        basisCode,
        legalBasis: opts.legalBasis ?? null,
        catalogPrefixes: opts.catalogPrefixes ?? [],
        regionPrefixes: opts.regionPrefixes ?? [],
        fromDate,
        toDate,
      },
    ],
  });
  if (res.statusCode !== 201) throw new Error(`credit record not made: ${res.body}`);
  const body = res.json() as { id: string; code: string; restrictions: { id: string }[] };
  return {
    recordId: body.id,
    recordCode: body.code,
    restrictionId: body.restrictions[0]!.id,
    fromDate,
    toDate,
    supervisorClient: client,
  };
}
