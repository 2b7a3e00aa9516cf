import { performance } from 'node:perf_hooks';
import { type CalendarDate, shanghaiDateOf, workingDaysBetween } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { type AlertDraft, loadScopes, raiseAlerts } from './alerts.ts';
import type { MonitoringDeps, ReadDb, Tx } from './context.ts';
import {
  type BidEvidence,
  type DepositPayerEvidence,
  findLot,
  getAward,
  getLotTimeline,
  getProcedure,
  type LotSummary,
  type LotTimeline,
  readBidEvidence,
  readDepositEvidence,
  readEvaluationScores,
  readOpeningOutcome,
  rulesInForce,
  SPLIT_CITATION,
} from './deps.ts';
import { enabledVersion, versionsInForce } from './rule-versions.ts';
import { citationOf, MACHINE_IDENTIFIER_NAMES_ZH, type RuleDefinition } from './rules.ts';
import {
  arithmeticProgression,
  coefficientOfVariation,
  groupsOf,
  type MachineIdentifier,
  machineGroups,
  type PricedBid,
  pricePairs,
  relativeDistance,
  round4,
  scoreDeviations,
  sharedValues,
} from './signals.ts';
import * as store from './store.ts';
import type { AlertSource, ScanStage } from './tables.ts';

/**
 * 增量计算 (incremental): what one lot's new records raise, computed when they land — the published opening
 * record (collusion signals, price screens, periods), the finished evaluation (expert signals) and the
 * award (winners). Each stage reads the lot's records through the trading modules' ports, computes the
 * rules in force, and raises what is new in one transaction with its witness events.
 */
export interface ScanResult {
  lotId: string;
  stage: ScanStage;
  /** Why nothing was computed (the records are not there yet), or null. */
  skipped: string | null;
  /** New alerts raised (a finding raised before is not raised again). */
  raised: number;
  ms: number;
}

export interface ScanOptions {
  source: AlertSource;
  /** When the records landed (the witness event's time); default now. */
  at?: Date;
}

type Versions = Awaited<ReturnType<typeof versionsInForce>>;

const hashKey = (parts: string[]) => sm3Hex(new TextEncoder().encode(parts.join('\n'))).slice(0, 32);

function lotBase(lot: LotSummary) {
  return {
    subjectType: 'lot' as const,
    subjectId: lot.id,
    subjectLabel: `${lot.code} ${lot.projectName} ${lot.name}`,
    lotId: lot.id,
    lotCode: lot.code,
    regionCode: lot.regionCode,
    catalogItemCode: lot.catalogItemCode,
  };
}

function lawOf(lot: LotSummary): string {
  return getProcedure(lot.procedureType).law;
}

function draft(
  on: { rule: RuleDefinition; version: store.RuleVersionRow },
  lot: LotSummary,
  fields: Pick<AlertDraft, 'evidenceKey' | 'summary' | 'evidence'> & Partial<AlertDraft>,
): AlertDraft {
  return {
    rule: on.rule,
    version: on.version,
    citation: citationOf(on.rule, lawOf(lot)),
    ...lotBase(lot),
    ...fields,
  };
}

async function finish(
  deps: MonitoringDeps,
  tx: Tx,
  lot: LotSummary,
  stage: ScanStage,
  source: AlertSource,
  started: number,
  drafts: AlertDraft[],
): Promise<ScanResult> {
  const now = deps.clock.now();
  const rows = await raiseAlerts(tx, now, drafts, source, await loadScopes(tx));
  await store.upsertLotScan(tx, {
    lot_id: lot.id,
    stage,
    scanned_at: now,
    duration_ms: Math.round(performance.now() - started),
    alerts_raised: rows.length,
  });
  return { lotId: lot.id, stage, skipped: null, raised: rows.length, ms: performance.now() - started };
}

const skipped = (lotId: string, stage: ScanStage, why: string, started: number): ScanResult => ({
  lotId,
  stage,
  skipped: why,
  raised: 0,
  ms: performance.now() - started,
});

// ------------------------------------------------------------------------------------- the opening

/** The lot's signals from its published opening record, its bids' evidence and its deposits. */
export async function scanOpenedLot(
  deps: MonitoringDeps,
  tx: Tx,
  lotId: string,
  opts: ScanOptions,
): Promise<ScanResult> {
  const started = performance.now();
  // A transaction reads as the database does (the ports take a Kysely).
  const db = tx as unknown as ReadDb;
  const outcome = await readOpeningOutcome(db, lotId);
  if (!outcome || (outcome.state !== 'published' && outcome.state !== 'closed')) {
    return skipped(lotId, 'opening', '开标记录尚未公布', started);
  }
  const lot = await findLot(db, lotId);
  if (!lot) return skipped(lotId, 'opening', '标段（包）不存在', started);
  const versions = await versionsInForce(db, deps.clock.now());
  const on = (code: string) => enabledVersion(versions, code);
  const needBids = on('same-machine') || on('same-ip') || on('same-file');
  const [bids, deposits, timeline] = await Promise.all([
    needBids ? readBidEvidence(db, deps.sealer, deps.clock, lotId) : Promise.resolve([] as BidEvidence[]),
    on('same-payer')
      ? readDepositEvidence(db, deps.sealer, deps.clock, lotId)
      : Promise.resolve([] as DepositPayerEvidence[]),
    on('short-period') ? getLotTimeline(db, lotId) : Promise.resolve(null),
  ]);

  const names = new Map<string, { name: string; creditCode: string }>();
  for (const e of outcome.entries)
    names.set(e.organizationId, { name: e.bidderName, creditCode: e.creditCode });
  for (const b of bids) names.set(b.organizationId, { name: b.bidderName, creditCode: b.creditCode });
  const who = (id: string) => ({ organizationId: id, ...(names.get(id) ?? { name: id, creditCode: '' }) });
  const nameList = (ids: string[]) => ids.map((id) => names.get(id)?.name ?? id).join('、');

  const priced: PricedBid[] = outcome.entries
    .filter((e) => e.priceYuan !== null)
    .map((e) => ({
      organizationId: e.organizationId,
      bidderName: e.bidderName,
      priceFen: yuanToFen(e.priceYuan!),
    }));
  const bidsTable = [...priced]
    .sort((a, b) => (a.priceFen < b.priceFen ? -1 : a.priceFen > b.priceFen ? 1 : 0))
    .map((b) => ({
      organizationId: b.organizationId,
      bidderName: b.bidderName,
      priceYuan: fenToYuan(b.priceFen),
    }));

  const drafts: AlertDraft[] = [
    ...machineDrafts(on('same-machine'), lot, bids, who, nameList),
    ...ipDrafts(on('same-ip'), lot, bids, who, nameList),
    ...fileDrafts(on('same-file'), lot, bids, who, nameList),
    ...payerDrafts(on('same-payer'), lot, deposits, who, nameList),
    ...priceDrafts(versions, lot, priced, bidsTable),
    ...periodDrafts(on('short-period'), lot, timeline),
  ];

  {
    // R023's read model: this lot's pairs, then the same pairs at the same ratio in other lots.
    const pairs = pricePairs(priced);
    const recordedAt = opts.at ?? deps.clock.now();
    await store.replacePricePairs(
      tx,
      lot.id,
      pairs.map((p) => ({
        lot_id: lot.id,
        lot_code: lot.code,
        organization_a: p.a.organizationId,
        organization_b: p.b.organizationId,
        name_a: p.a.bidderName,
        name_b: p.b.bidderName,
        price_a: fenToYuan(p.a.priceFen),
        price_b: fenToYuan(p.b.priceFen),
        ratio: p.ratio,
        recorded_at: recordedAt,
      })),
    );
    const ratioRule = on('fixed-ratio');
    const minRepeats = Number(ratioRule?.version.thresholds.minRepeats ?? 2);
    const matches =
      ratioRule && pairs.length > 0
        ? await store.findSameRatioPairs(
            tx,
            lot.id,
            pairs.map((p) => ({
              organization_a: p.a.organizationId,
              organization_b: p.b.organizationId,
              ratio: p.ratio,
            })),
          )
        : [];
    for (const p of ratioRule ? pairs : []) {
      const others = matches.filter(
        (m) =>
          m.organization_a === p.a.organizationId &&
          m.organization_b === p.b.organizationId &&
          Number(m.ratio) === Number(p.ratio),
      );
      if (others.length + 1 < minRepeats) continue;
      drafts.push(
        draft(ratioRule!, lot, {
          evidenceKey: `pair:${p.a.organizationId}|${p.b.organizationId}|${p.ratio}`,
          summary: `${p.a.bidderName} 与 ${p.b.bidderName} 的投标报价之比在 ${others.length + 1} 个项目中均为 ${p.ratio}`,
          evidence: {
            ratio: p.ratio,
            minRepeats,
            organizationA: who(p.a.organizationId),
            organizationB: who(p.b.organizationId),
            processes: [
              ...others.map((m) => ({
                lotId: m.lot_id,
                lotCode: m.lot_code,
                priceA: String(m.price_a),
                priceB: String(m.price_b),
                ratio: String(m.ratio),
                recordedAt: m.recorded_at.toISOString(),
              })),
              {
                lotId: lot.id,
                lotCode: lot.code,
                priceA: fenToYuan(p.a.priceFen),
                priceB: fenToYuan(p.b.priceFen),
                ratio: p.ratio,
                recordedAt: recordedAt.toISOString(),
              },
            ],
            method: 'R023：同一对投标人报价之比（保留两位小数）在不同项目中重复出现',
          },
        }),
      );
    }
  }
  return finish(deps, tx, lot, 'opening', opts.source, started, drafts);
}

type On = ReturnType<typeof enabledVersion>;
type Who = (id: string) => { organizationId: string; name: string; creditCode: string };

function machineDrafts(
  on: On,
  lot: LotSummary,
  bids: BidEvidence[],
  who: Who,
  nameList: (ids: string[]) => string,
) {
  if (!on) return [];
  const identifiers = (on.version.thresholds.identifiers ?? ['mac', 'disk']) as MachineIdentifier[];
  const groups = machineGroups(
    bids.map((b) => ({ organizationId: b.organizationId, ...b.machine })),
    identifiers,
  );
  return groups.map((g) => {
    const kinds = [...new Set(g.shared.map((s) => s.kind))].map((k) =>
      k === 'hostname' ? '计算机名' : MACHINE_IDENTIFIER_NAMES_ZH[k],
    );
    return draft(on, lot, {
      evidenceKey: `machine:${hashKey(g.organizationIds)}`,
      summary: `${nameList(g.organizationIds)} 的投标文件制作机器信息一致（${kinds.join('、')}）`,
      evidence: {
        identifiers,
        bidders: g.organizationIds.map((id) => {
          const b = bids.find((x) => x.organizationId === id);
          return {
            ...who(id),
            bidId: b?.bidId ?? null,
            machine: b?.machine ?? null,
            receivedAt: b?.receivedAt.toISOString() ?? null,
          };
        }),
        shared: g.shared,
        corroborating: g.corroborating,
      },
    });
  });
}

function ipDrafts(
  on: On,
  lot: LotSummary,
  bids: BidEvidence[],
  who: Who,
  nameList: (ids: string[]) => string,
) {
  if (!on) return [];
  const excluded = new Set((on.version.thresholds.excludeIps ?? []) as string[]);
  const shared = sharedValues(
    bids.map((b) => ({ organizationId: b.organizationId, values: b.ips.filter((ip) => !excluded.has(ip)) })),
  );
  return groupsOf(shared).map((g) =>
    draft(on, lot, {
      evidenceKey: `ip:${hashKey(g.organizationIds)}`,
      summary: `${nameList(g.organizationIds)} 从同一 IP 地址（${g.shared.map((s) => s.value).join('、')}）上传或递交投标文件`,
      evidence: {
        excludedIps: [...excluded],
        bidders: g.organizationIds.map((id) => {
          const b = bids.find((x) => x.organizationId === id);
          return {
            ...who(id),
            bidId: b?.bidId ?? null,
            ips: b?.ips ?? [],
            userAgents: b?.userAgents ?? [],
            receivedAt: b?.receivedAt.toISOString() ?? null,
          };
        }),
        shared: g.shared,
      },
    }),
  );
}

function fileDrafts(
  on: On,
  lot: LotSummary,
  bids: BidEvidence[],
  who: Who,
  nameList: (ids: string[]) => string,
) {
  if (!on) return [];
  const shared = sharedValues(
    bids.map((b) => ({ organizationId: b.organizationId, values: b.parts.map((p) => p.sealedSha256) })),
  );
  return groupsOf(shared).map((g) =>
    draft(on, lot, {
      evidenceKey: `file:${hashKey(g.organizationIds)}`,
      summary: `${nameList(g.organizationIds)} 递交的投标文件中有相同的文件（摘要一致）`,
      evidence: {
        bidders: g.organizationIds.map(who),
        files: g.shared.map((s) => ({
          sha256: s.value,
          organizationIds: s.organizationIds,
          parts: bids
            .filter((b) => s.organizationIds.includes(b.organizationId))
            .flatMap((b) =>
              b.parts
                .filter((p) => p.sealedSha256 === s.value)
                .map((p) => ({
                  organizationId: b.organizationId,
                  bidId: b.bidId,
                  no: p.no,
                  name: p.name,
                  filename: p.filename,
                  sealedLength: p.sealedLength,
                })),
            ),
        })),
      },
    }),
  );
}

function payerDrafts(
  on: On,
  lot: LotSummary,
  deposits: DepositPayerEvidence[],
  who: Who,
  nameList: (ids: string[]) => string,
) {
  if (!on) return [];
  const shared = sharedValues(
    deposits.map((d) => ({ organizationId: d.organizationId, values: [d.payer.accountNumber] })),
  );
  return groupsOf(shared).map((g) =>
    draft(on, lot, {
      evidenceKey: `payer:${hashKey(g.organizationIds)}`,
      summary: `${nameList(g.organizationIds)} 的投标保证金从同一账户转出`,
      evidence: {
        bidders: g.organizationIds.map(who),
        transfers: deposits
          .filter((d) => g.shared.some((s) => s.value === d.payer.accountNumber))
          .map((d) => ({
            organizationId: d.organizationId,
            bankTransferId: d.bankTransferId,
            amountYuan: d.amountYuan,
            status: d.status,
            payerAccountNumber: d.payer.accountNumber,
            payerAccountName: d.payer.accountName,
            payerBankName: d.payer.bankName,
            valueAt: d.valueAt.toISOString(),
          })),
      },
    }),
  );
}

function priceDrafts(
  versions: Versions,
  lot: LotSummary,
  priced: PricedBid[],
  bidsTable: { organizationId: string; bidderName: string; priceYuan: string }[],
): AlertDraft[] {
  const out: AlertDraft[] = [];
  const ap = enabledVersion(versions, 'regular-difference');
  if (ap) {
    const tolerance = yuanToFen(String(ap.version.thresholds.toleranceYuan ?? 0));
    const found = arithmeticProgression(priced, Number(ap.version.thresholds.minBids ?? 3), tolerance);
    if (found) {
      out.push(
        draft(ap, lot, {
          evidenceKey: 'progression',
          summary: `${found.sorted.length} 家投标人的报价从低到高依次相差 ${fenToYuan(found.steps[0]!)} 元，呈规律性差异`,
          evidence: {
            bids: bidsTable,
            differencesYuan: found.steps.map(fenToYuan),
            toleranceYuan: fenToYuan(tolerance),
          },
        }),
      );
    }
  }
  const cvRule = enabledVersion(versions, 'price-cv');
  if (cvRule) {
    const maxCv = Number(cvRule.version.thresholds.maxCv);
    const cv = coefficientOfVariation(priced, Number(cvRule.version.thresholds.minBids ?? 3));
    if (cv && cv.cv < maxCv) {
      out.push(
        draft(cvRule, lot, {
          evidenceKey: 'cv',
          summary: `${cv.n} 家有效报价的离散系数为 ${round4(cv.cv)}，低于阈值 ${maxCv}`,
          evidence: {
            cv: round4(cv.cv),
            threshold: maxCv,
            meanYuan: round4(cv.mean),
            sampleSdYuan: round4(cv.sd),
            bids: bidsTable,
            method: '离散系数 = 样本标准差（n−1）÷ 平均值（Imhof；PSPC 实务阈值 0.04–0.06）',
          },
        }),
      );
    }
  }
  const rdRule = enabledVersion(versions, 'price-rd');
  if (rdRule) {
    const minRd = Number(rdRule.version.thresholds.minRd);
    const rd = relativeDistance(priced, Number(rdRule.version.thresholds.minBids ?? 3));
    if (rd && rd.rd > minRd) {
      out.push(
        draft(rdRule, lot, {
          evidenceKey: 'rd',
          summary: `最低报价与次低报价的相对距离为 ${round4(rd.rd)}，高于阈值 ${minRd}`,
          evidence: {
            rd: round4(rd.rd),
            threshold: minRd,
            lowestYuan: rd.lowest,
            secondYuan: rd.second,
            losingSampleSdYuan: round4(rd.losingSd),
            bids: bidsTable,
            method: '相对距离 =（次低价 − 最低价）÷ 最低价以外报价的样本标准差（Imhof；PSPC 阈值 1）',
          },
        }),
      );
    }
  }
  return out;
}

/** Calendar days after `from` up to and including `to` (开始当天不计入, 87号令第八十五条). */
function calendarDaysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** 投标（响应）期限: the lot's period from documents (or publication) to the deadline against the law's minimum. */
function periodDrafts(on: On, lot: LotSummary, timeline: LotTimeline | null): AlertDraft[] {
  if (!on || !timeline) return [];
  const margin = Number(on.version.thresholds.marginDays ?? 0);
  const out: AlertDraft[] = [];
  for (const rule of rulesInForce(lot.procedureType, 'period', lot.rulesAsOf)) {
    if (rule.to !== 'bidDeadline' || (rule.from !== 'documentsFrom' && rule.from !== 'publishedAt')) continue;
    const fromInstant = rule.from === 'documentsFrom' ? timeline.documentsFrom : timeline.publishedAt;
    const from = shanghaiDateOf(fromInstant);
    const to = shanghaiDateOf(timeline.bidDeadline);
    const days =
      rule.minimum.counting === 'working' ? workingDaysBetween(from, to) : calendarDaysBetween(from, to);
    const needed = rule.minimum.days + margin;
    if (days >= needed) continue;
    const unit = rule.minimum.counting === 'working' ? '个工作日' : '日';
    out.push({
      ...draft(on, lot, {
        evidenceKey: `period:${rule.id}`,
        summary:
          days < rule.minimum.days
            ? `${rule.titleZh}：实际 ${days}${unit}，法定不少于 ${rule.minimum.days}${unit}`
            : `投标（响应）期限 ${days}${unit}，仅达到法定最短期限 ${rule.minimum.days}${unit}（预警余量 ${margin} 日）`,
        evidence: {
          rule: rule.id,
          from: rule.from,
          fromAt: fromInstant.toISOString(),
          bidDeadline: timeline.bidDeadline.toISOString(),
          days,
          counting: rule.minimum.counting,
          legalMinimum: rule.minimum.days,
          marginDays: margin,
          belowLegalMinimum: days < rule.minimum.days,
          ruleCitation: rule.citation,
        },
      }),
      citation: rule.citation,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------- the evaluation

/** The committee's expert signals once the evaluation report is complete. */
export async function scanEvaluatedLot(
  deps: MonitoringDeps,
  tx: Tx,
  lotId: string,
  opts: ScanOptions,
): Promise<ScanResult> {
  const started = performance.now();
  // A transaction reads as the database does (the ports take a Kysely).
  const db = tx as unknown as ReadDb;
  let scores: Awaited<ReturnType<typeof readEvaluationScores>>;
  try {
    scores = await readEvaluationScores(db, lotId);
  } catch (error) {
    if (error instanceof RuleViolation && error.code === 'EVALUATION_NOT_FINISHED') {
      return skipped(lotId, 'evaluation', '评标尚未结束', started);
    }
    throw error;
  }
  const lot = await findLot(db, lotId);
  if (!lot) return skipped(lotId, 'evaluation', '标段（包）不存在', started);
  const versions = await versionsInForce(db, deps.clock.now());
  const drafts: AlertDraft[] = [];

  const deviation = enabledVersion(versions, 'score-deviation');
  if (deviation) {
    const maxPercent = Number(deviation.version.thresholds.maxDeviationPercent);
    const found = scoreDeviations(scores, maxPercent, Number(deviation.version.thresholds.minMembers ?? 3));
    for (const member of scores.members) {
      const mine = found.filter((d) => d.memberId === member.memberId);
      if (mine.length === 0) continue;
      drafts.push(
        draft(deviation, lot, {
          evidenceKey: `member:${member.memberId}`,
          summary: `评标委员会成员 ${member.name} 对 ${mine.length} 家投标人的评分偏离委员会平均分超过 ${maxPercent}%`,
          evidence: {
            member: {
              memberId: member.memberId,
              name: member.name,
              kind: member.kind,
              expertId: member.expertId,
            },
            thresholdPercent: maxPercent,
            deviations: mine,
            reportedAt: scores.reportedAt.toISOString(),
          },
        }),
      );
    }
  }

  const experts = scores.members.filter((m) => m.kind === 'expert' && m.expertId);
  const frequency = enabledVersion(versions, 'expert-frequency');
  {
    await store.replaceCommittee(
      tx,
      lot.id,
      experts.map((m) => ({
        lot_id: lot.id,
        expert_id: m.expertId!,
        expert_name: m.name,
        reported_at: scores.reportedAt,
      })),
    );
    const maxCommittees = Number(frequency?.version.thresholds.maxCommittees ?? 0);
    const windowDays = Number(frequency?.version.thresholds.windowDays ?? 0);
    const to = scores.reportedAt;
    const from = new Date(to.getTime() - windowDays * 86_400_000);
    for (const m of frequency ? experts : []) {
      const served = await store.listCommitteesOfExpert(tx, m.expertId!, from, to);
      if (served.length <= maxCommittees) continue;
      drafts.push(
        draft(frequency!, lot, {
          subjectType: 'expert',
          subjectId: m.expertId!,
          subjectLabel: `评标专家 ${m.name}`,
          evidenceKey: `month:${shanghaiDateOf(to).slice(0, 7)}`,
          summary: `评标专家 ${m.name} 在 ${windowDays} 日内参加评标委员会 ${served.length} 次，超过 ${maxCommittees} 次`,
          evidence: {
            expert: { expertId: m.expertId, name: m.name },
            windowDays,
            maxCommittees,
            committees: served.map((c) => ({ lotId: c.lot_id, reportedAt: c.reported_at.toISOString() })),
          },
        }),
      );
    }
  }
  return finish(deps, tx, lot, 'evaluation', opts.source, started, drafts);
}

// ------------------------------------------------------------------------------------------ the award

/** The winner's signals once the winner is confirmed (or deemed). */
export async function scanAwardedLot(
  deps: MonitoringDeps,
  tx: Tx,
  lotId: string,
  opts: ScanOptions,
): Promise<ScanResult> {
  const started = performance.now();
  // A transaction reads as the database does (the ports take a Kysely).
  const db = tx as unknown as ReadDb;
  const award = await getAward(db, lotId);
  if (!award?.winner) return skipped(lotId, 'award', '尚未确定中标人', started);
  const lot = await findLot(db, lotId);
  if (!lot) return skipped(lotId, 'award', '标段（包）不存在', started);
  const winner = award.winner;
  const versions = await versionsInForce(db, deps.clock.now());
  const sameWinner = enabledVersion(versions, 'expert-same-winner');
  const singleSource = enabledVersion(versions, 'repeat-single-source');
  const awardedAt = opts.at ?? award.noticeIssuedAt ?? deps.clock.now();
  await store.upsertWinner(tx, {
    lot_id: lot.id,
    winner_organization_id: winner.organizationId,
    winner_name: winner.bidderName,
    initiator_organization_id: lot.initiatorOrganizationId,
    procedure_type: lot.procedureType,
    awarded_at: awardedAt,
  });
  const drafts: AlertDraft[] = [];
  if (sameWinner) {
    const min = Number(sameWinner.version.thresholds.minCommittees);
    const windowDays = Number(sameWinner.version.thresholds.windowDays);
    const from = new Date(awardedAt.getTime() - windowDays * 86_400_000);
    for (const member of await store.listCommittee(tx, lot.id)) {
      const wins = await store.listWinsWithExpert(
        tx,
        member.expert_id,
        winner.organizationId,
        from,
        awardedAt,
      );
      if (wins.length < min) continue;
      drafts.push(
        draft(sameWinner, lot, {
          subjectType: 'expert',
          subjectId: member.expert_id,
          subjectLabel: `评标专家 ${member.expert_name}`,
          evidenceKey: `winner:${winner.organizationId}`,
          summary: `评标专家 ${member.expert_name} 在 ${windowDays} 日内参评的 ${wins.length} 个项目均由 ${winner.bidderName} 中标`,
          evidence: {
            expert: { expertId: member.expert_id, name: member.expert_name },
            winner: {
              organizationId: winner.organizationId,
              name: winner.bidderName,
              creditCode: winner.creditCode,
            },
            windowDays,
            minCommittees: min,
            lots: wins.map((w) => ({ lotId: w.lot_id, awardedAt: w.awarded_at.toISOString() })),
          },
        }),
      );
    }
  }
  if (singleSource && lot.procedureType === 'single-source') {
    const min = Number(singleSource.version.thresholds.minCount);
    const windowDays = Number(singleSource.version.thresholds.windowDays);
    const from = new Date(awardedAt.getTime() - windowDays * 86_400_000);
    const list = await store.listSingleSourceAwards(
      tx,
      lot.initiatorOrganizationId,
      winner.organizationId,
      from,
      awardedAt,
    );
    if (list.length >= min) {
      drafts.push(
        draft(singleSource, lot, {
          evidenceKey: `supplier:${winner.organizationId}`,
          summary: `采购人 ${windowDays} 日内以单一来源方式向 ${winner.bidderName} 采购 ${list.length} 次`,
          evidence: {
            initiatorOrganizationId: lot.initiatorOrganizationId,
            supplier: { organizationId: winner.organizationId, name: winner.bidderName },
            windowDays,
            minCount: min,
            lots: list.map((w) => ({ lotId: w.lot_id, awardedAt: w.awarded_at.toISOString() })),
          },
        }),
      );
    }
  }
  return finish(deps, tx, lot, 'award', opts.source, started, drafts);
}

// -------------------------------------------------------------------------------- split projects

/** 化整为零: the projects module's split flag (its witness event carries the flag's evidence). */
export async function raiseSplitAlert(
  deps: MonitoringDeps,
  tx: Tx,
  lotId: string,
  payload: Record<string, unknown>,
  opts: ScanOptions,
): Promise<number> {
  const lot = await findLot(tx as unknown as ReadDb, lotId);
  if (!lot) return 0;
  const on = enabledVersion(await versionsInForce(tx, deps.clock.now()), 'split-project');
  if (!on) return 0;
  const lots = Array.isArray(payload.lots) ? payload.lots : [];
  const d = draft(on, lot, {
    evidenceKey: `flag:${String(payload.flagId ?? lotId)}`,
    summary: `同一招标人（采购人）12 个月内同一交易目录事项低于限额的 ${lots.length} 个标段（包）合计 ${String(payload.totalYuan ?? '')} 元，达到限额 ${String(payload.thresholdYuan ?? '')} 元`,
    evidence: { ...payload },
    citation: typeof payload.citation === 'string' ? payload.citation : SPLIT_CITATION,
  });
  const rows = await raiseAlerts(tx, deps.clock.now(), [d], opts.source, await loadScopes(tx));
  return rows.length;
}
