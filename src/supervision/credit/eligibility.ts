import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Clock, shanghaiDateOf } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import {
  appendWitnessEvent,
  canonicalJson,
  SYSTEM_ORIGIN,
  type WitnessOrigin,
} from '../../platform/witness/index.ts';
import { findEntityOfOrganization, normalizeCreditCode } from '../../service/entities/index.ts';
import { getProcedure, type PartyEligibility } from '../../trading/procedures/index.ts';
import { assertMayActForLot, findLot } from '../../trading/projects/index.ts';
import { getLotTimeline } from '../../trading/tenders/index.ts';
import { assertInScope } from '../scopes/index.ts';
import {
  type CreditContext,
  type CreditDb,
  isOperator,
  isSupervisor,
  readerScope,
  requireActor,
} from './policy.ts';
import {
  type CheckScope,
  consortiumCitation,
  EXTERNAL_LISTS,
  externalListOf,
  RESTRICTION_KIND_NAMES_ZH,
  restrictionApplies,
  SUBJECT_CODE_CITATION,
} from './rules.ts';
import * as store from './store.ts';
import type { CheckedParty, CheckHit, ConsultedSource, RestrictionKind } from './tables.ts';
import { STAGE_NAMES_ZH, toCheckView } from './views.ts';

export const CHECK_WITNESS_TYPE = 'credit-check';

// ---- the enforcement port (the lead wires it into registration, bidding and award) ----

export interface CreditCheckParty {
  organizationId: string | null;
  creditCode: string | null;
  name: string;
}
export interface CreditCheckContext {
  stage: 'registration' | 'bid' | 'award';
  lotId: string | null;
  catalogItemCode: string;
  regionCode: string;
  mandatoryTender: boolean;
  law: string;
}
export interface CreditCheckResult {
  checkId: string;
  barred: boolean;
  reasons: string[];
  checkedAt: string;
}

/**
 * 信用核查: whether any of `parties` — one bidder, or every member of a consortium passed together — is
 * barred, at this instant, from this stage of a lot of this kind, by the platform's own restrictions
 * (in force and in scope) or by an imported external list (the batch in force for each source). One barred
 * member bars the consortium. Every check is recorded — parties, context, the sources consulted with their
 * as-of and import dates, the hits and the result — and witnessed, in its own transaction: the evidence the
 * procurement file keeps (财库〔2016〕125号). Pass the database, not an open transaction.
 */
export async function checkCreditEligibility(
  db: Kysely<CreditDb>,
  clock: Clock,
  parties: CreditCheckParty[],
  context: CreditCheckContext,
): Promise<CreditCheckResult> {
  const row = await runCheck(db, clock, parties, context, null, SYSTEM_ORIGIN);
  return {
    checkId: row.id,
    barred: row.barred,
    reasons: row.reasons,
    checkedAt: row.checked_at.toISOString(),
  };
}

const inScope = (prefixes: string[], code: string) =>
  prefixes.length === 0 || prefixes.some((p) => code.startsWith(p));

interface ResolvedParty extends CheckedParty {
  label: string;
}

async function resolveParties(db: Kysely<CreditDb>, parties: CreditCheckParty[]): Promise<ResolvedParty[]> {
  const resolved: ResolvedParty[] = [];
  for (const p of parties) {
    let creditCode = p.creditCode ? normalizeCreditCode(p.creditCode) : null;
    if (!creditCode && p.organizationId) {
      creditCode = (await findEntityOfOrganization(db, p.organizationId))?.creditCode ?? null;
    }
    resolved.push({
      organizationId: p.organizationId,
      creditCode,
      name: p.name,
      label: creditCode ? `${p.name}（${creditCode}）` : p.name,
    });
  }
  return resolved;
}

export async function runCheck(
  db: Kysely<CreditDb>,
  clock: Clock,
  parties: CreditCheckParty[],
  context: CreditCheckContext,
  requestedBy: string | null,
  origin: WitnessOrigin,
): Promise<store.CheckRow> {
  const now = clock.now();
  const today = shanghaiDateOf(now);
  const scope: CheckScope = { mandatoryTender: context.mandatoryTender, law: context.law };
  const resolved = await resolveParties(db, parties);
  const keys: store.SubjectKeys = {
    organizationIds: resolved.flatMap((p) => (p.organizationId ? [p.organizationId] : [])),
    creditCodes: resolved.flatMap((p) => (p.creditCode ? [p.creditCode] : [])),
    idNumbers: [],
  };
  const [restrictions, batches] = await Promise.all([
    store.restrictionsInForce(db, keys, today),
    store.batchesInForce(db, today),
  ]);
  const entries = await store.entriesInForce(
    db,
    batches.map((b) => b.id),
    keys.creditCodes,
    today,
  );
  const batchById = new Map(batches.map((b) => [b.id, b]));

  const hits: CheckHit[] = [];
  const reasons: string[] = [];
  const barredMembers = new Set<string>();
  const verb = STAGE_NAMES_ZH[context.stage];

  for (const party of resolved) {
    for (const r of restrictions) {
      const matches =
        (party.organizationId !== null && r.subject_organization_id === party.organizationId) ||
        (party.creditCode !== null && r.subject_credit_code === party.creditCode);
      if (!matches) continue;
      const barring =
        restrictionApplies(r.kind, scope) &&
        inScope(r.catalog_prefixes, context.catalogItemCode) &&
        inScope(r.region_prefixes, context.regionCode);
      const period = `${r.from_date} 至 ${r.to_date}`;
      const list = `本平台信用记录：限制${RESTRICTION_KIND_NAMES_ZH[r.kind]}`;
      hits.push({
        party: party.name,
        creditCode: party.creditCode,
        barring,
        list,
        source: `${r.deciding_authority} ${r.decision_number}`,
        recordNumber: r.record_code,
        recordId: r.record_id,
        period,
        citation: r.legal_basis,
      });
      if (barring) {
        barredMembers.add(party.label);
        reasons.push(
          `${party.label}被限制${RESTRICTION_KIND_NAMES_ZH[r.kind]}：信用记录 ${r.record_code}（${r.deciding_authority} ${r.decision_number}），限制期间 ${period}，依据${r.legal_basis}。`,
        );
      }
    }
    if (party.creditCode) {
      for (const e of entries) {
        if (e.credit_code !== party.creditCode) continue;
        const batch = batchById.get(e.import_id)!;
        const rule = externalListOf(batch.list_kind);
        const citation = rule?.citationFor(scope) ?? null;
        const period = `${e.restricted_from ?? '（未载明）'} 至 ${e.restricted_until ?? '（未载明，以名单为准）'}`;
        const list = rule?.name ?? batch.list_kind;
        hits.push({
          party: party.name,
          creditCode: party.creditCode,
          barring: citation !== null,
          list,
          source: `${batch.source}（查询时点 ${batch.as_of}）`,
          recordNumber: e.record_number,
          recordId: null,
          period,
          citation: citation ?? '该名单不限制本类交易',
        });
        if (citation) {
          barredMembers.add(party.label);
          reasons.push(
            `${party.label}列入${list}：来源 ${batch.source}（查询时点 ${batch.as_of}），记录编号 ${e.record_number}，期间 ${period}，依据${citation}。`,
          );
        }
      }
    } else {
      hits.push({
        party: party.name,
        creditCode: null,
        barring: false,
        list: '无法核验外部名单',
        source: '—',
        recordNumber: '—',
        recordId: null,
        period: '—',
        citation: `无统一社会信用代码，外部名单只能按代码核验（${SUBJECT_CODE_CITATION}）`,
      });
    }
  }

  const barred = barredMembers.size > 0;
  if (barred && resolved.length > 1) {
    reasons.unshift(
      `联合体成员 ${[...barredMembers].join('、')} 存在限制情形，联合体整体不得${verb}（${consortiumCitation(scope)}）。`,
    );
  }

  const sources: ConsultedSource[] = [
    {
      kind: 'platform',
      importId: null,
      source: '本平台信用记录（限制措施）',
      listKind: null,
      asOf: today,
      importedAt: null,
      rows: null,
    },
    ...batches.map((b) => ({
      kind: 'external' as const,
      importId: b.id,
      source: b.source,
      listKind: b.list_kind,
      asOf: b.as_of,
      importedAt: b.imported_at.toISOString(),
      rows: b.accepted_rows,
    })),
    // A list with no batch yet is recorded as not available, so the file shows what could not be checked.
    ...EXTERNAL_LISTS.filter((l) => !batches.some((b) => b.list_kind === l.kind)).map((l) => ({
      kind: 'external' as const,
      importId: null,
      source: `${l.name}（尚未导入）`,
      listKind: l.kind,
      asOf: null,
      importedAt: null,
      rows: null,
    })),
  ];

  const checkedParties: CheckedParty[] = resolved.map((p) => ({
    organizationId: p.organizationId,
    creditCode: p.creditCode,
    name: p.name,
  }));

  return db.transaction().execute(async (tx) => {
    const id = randomUUID();
    const row = await store.insertCheck(tx, {
      id,
      checked_at: now,
      lot_id: context.lotId,
      stage: context.stage,
      catalog_item_code: context.catalogItemCode,
      region_code: context.regionCode,
      mandatory_tender: context.mandatoryTender,
      law: context.law,
      parties: JSON.stringify(checkedParties),
      sources: JSON.stringify(sources),
      hits: JSON.stringify(hits),
      barred,
      reasons: JSON.stringify(reasons),
      requested_by: requestedBy,
    });
    const eventPayload = {
      lotId: context.lotId,
      stage: context.stage,
      catalogItemCode: context.catalogItemCode,
      regionCode: context.regionCode,
      mandatoryTender: context.mandatoryTender,
      law: context.law,
      parties: checkedParties,
      sources: sources.map((s) => ({ importId: s.importId, source: s.source, asOf: s.asOf })),
      barred,
      reasons,
    };
    await appendWitnessEvent(tx, now, origin, {
      entityType: CHECK_WITNESS_TYPE,
      entityId: id,
      action: 'credit-check.performed',
      // Who obtained the documents or bid is secret until the opening (招标投标法第二十二条; 87号令第二十八条):
      // the witness log then holds only the check's digest, which the stored record matches.
      payload: secretUntilOpening(context)
        ? { stage: context.stage, checkSm3: sm3Hex(canonicalJson({ id, checkedAt: now, ...eventPayload })) }
        : eventPayload,
    });
    return row;
  });
}

/** A check made when a party obtains the documents or bids names a potential bidder of the lot. */
function secretUntilOpening(context: Pick<CreditCheckContext, 'stage' | 'lotId'>): boolean {
  return context.lotId !== null && (context.stage === 'registration' || context.stage === 'bid');
}

/**
 * Drops the checks that would tell, before the lot's opening, who obtained its documents or bid (a lot not
 * yet announced has no opening: its such checks stay hidden).
 */
async function visibleChecks(db: Kysely<CreditDb>, at: Date, rows: store.CheckRow[]) {
  const opened = new Map<string, boolean>();
  const out: store.CheckRow[] = [];
  for (const row of rows) {
    if (!secretUntilOpening({ stage: row.stage, lotId: row.lot_id })) {
      out.push(row);
      continue;
    }
    const lotId = row.lot_id as string;
    if (!opened.has(lotId)) {
      const timeline = await getLotTimeline(db, lotId);
      opened.set(lotId, timeline !== null && at.getTime() >= timeline.openingAt.getTime());
    }
    if (opened.get(lotId)) out.push(row);
  }
  return out;
}

/** A platform restriction in force, as another module shows it (an agency's authorisation, an expert draw). */
export interface RestrictionInForce {
  recordId: string;
  recordCode: string;
  kind: RestrictionKind;
  fromDate: string;
  toDate: string;
  legalBasis: string;
  reason: string;
}

/**
 * The platform's restrictions of these kinds in force now against a subject (by organisation, credit code
 * or ID number), optionally only those whose scope covers a catalog item and region — for the stages the
 * bidder check does not cover: 代理 (acting_as_agency) and 评标专家 (acting_as_expert). Read-only; not
 * recorded as a check.
 */
export async function findRestrictionsInForce(
  db: Kysely<CreditDb>,
  clock: Clock,
  subject: { organizationId?: string | null; creditCode?: string | null; idNumber?: string | null },
  kinds: readonly RestrictionKind[],
  scope?: { catalogItemCode: string; regionCode: string },
): Promise<RestrictionInForce[]> {
  const today = shanghaiDateOf(clock.now());
  const rows = await store.restrictionsInForce(
    db,
    {
      organizationIds: subject.organizationId ? [subject.organizationId] : [],
      creditCodes: subject.creditCode ? [normalizeCreditCode(subject.creditCode)] : [],
      idNumbers: subject.idNumber ? [subject.idNumber.trim().toUpperCase()] : [],
    },
    today,
  );
  return rows
    .filter(
      (r) =>
        kinds.includes(r.kind) &&
        (!scope ||
          (inScope(r.catalog_prefixes, scope.catalogItemCode) &&
            inScope(r.region_prefixes, scope.regionCode))),
    )
    .map((r) => ({
      recordId: r.record_id,
      recordCode: r.record_code,
      kind: r.kind,
      fromDate: r.from_date,
      toDate: r.to_date,
      legalBasis: r.legal_basis,
      reason: `${r.subject_name}被限制${RESTRICTION_KIND_NAMES_ZH[r.kind]}：信用记录 ${r.record_code}（${r.deciding_authority} ${r.decision_number}），限制期间 ${r.from_date} 至 ${r.to_date}，依据${r.legal_basis}。`,
    }));
}

// ---- the check log (采购文件须留存的查询记录) ----

/**
 * Who may read a lot's checks: its initiator or authorised agency, a supervisor whose scope covers the
 * lot, or the trading centre.
 */
async function assertMayReadLotChecks(ctx: CreditContext, actor: Actor, lotId: string) {
  if (isOperator(actor)) {
    const lot = await findLot(ctx.db, lotId);
    if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
    return lot;
  }
  if (isSupervisor(actor)) {
    const lot = await findLot(ctx.db, lotId);
    if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
    await assertInScope(ctx.db, actor, {
      regionCode: lot.regionCode,
      catalogItemCode: lot.catalogItemCode,
      label: `标段（包）${lot.code}`,
    });
    return lot;
  }
  return assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
}

export async function listLotChecks(ctx: CreditContext, lotId: string) {
  const actor = requireActor(ctx.actor);
  await assertMayReadLotChecks(ctx, actor, lotId);
  const rows = await store.listChecksOfLot(ctx.db, lotId);
  return { items: (await visibleChecks(ctx.db, ctx.clock.now(), rows)).map(toCheckView) };
}

/**
 * 信用查询 by the lot's initiator or agency (e.g. at the evaluation, the 查询时点 its documents state), or a
 * supervisor in scope: the same check as the trading steps make, recorded with who asked.
 */
export async function checkLotParties(
  ctx: CreditContext,
  lotId: string,
  input: { stage: CreditCheckContext['stage']; parties: CreditCheckParty[] },
) {
  const actor = requireActor(ctx.actor);
  if (isOperator(actor) && !isSupervisor(actor)) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '交易中心不代为核查',
      detail: '信用核查由招标人（采购人）、代理机构在采购活动中进行，或由行政监督部门进行。',
    });
  }
  const lot = await assertMayReadLotChecks(ctx, actor, lotId);
  const row = await runCheck(
    ctx.db,
    ctx.clock,
    input.parties,
    {
      stage: input.stage,
      lotId: lot.id,
      catalogItemCode: lot.catalogItemCode,
      regionCode: lot.regionCode,
      mandatoryTender: lot.mandatoryTender,
      law: getProcedure(lot.procedureType).law,
    },
    actor.accountId,
    ctx.origin,
  );
  return toCheckView(row);
}

export async function listChecks(ctx: CreditContext, q: { barred: boolean; limit: number; offset: number }) {
  const scope = await readerScope(ctx);
  const { items, total } = await store.listChecks(ctx.db, { barredOnly: q.barred, scope }, q);
  const visible = await visibleChecks(ctx.db, ctx.clock.now(), items);
  return { total: total - (items.length - visible.length), items: visible.map(toCheckView) };
}

/**
 * The credit gate the trading system consults (trading/procedures `PartyEligibility`): at 获取招标文件, at
 * each bid and at the award, for the lot's catalog item, region and law. Every call is a recorded check.
 */
export function createCreditGate(deps: { db: Kysely<CreditDb>; clock: Clock }): PartyEligibility {
  return {
    async barredReasons({ organizationId, lotId, stage }) {
      const lot = await findLot(deps.db, lotId);
      if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
      const entity = await findEntityOfOrganization(deps.db, organizationId);
      const result = await checkCreditEligibility(
        deps.db,
        deps.clock,
        [{ organizationId, creditCode: entity?.creditCode ?? null, name: entity?.name ?? '' }],
        {
          stage,
          lotId,
          catalogItemCode: lot.catalogItemCode,
          regionCode: lot.regionCode,
          mandatoryTender: lot.mandatoryTender,
          law: getProcedure(lot.procedureType).law,
        },
      );
      return result.reasons;
    },
  };
}
