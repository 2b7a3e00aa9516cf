import { randomUUID } from 'node:crypto';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { sm3Hex, toBase64Url } from '../../platform/crypto/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob, type JobTables } from '../../platform/jobs/index.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { canonicalJson, SYSTEM_ORIGIN, type WitnessOrigin } from '../../platform/witness/index.ts';
import {
  AWARD_WITNESS_TYPE,
  type AwardsContext,
  type AwardsDeps,
  CONTRACT_DEADLINE_JOB,
  DECISION_DUE_JOB,
  NOTICE_DUE_JOB,
  OBJECTION_DUE_JOB,
  OBJECTION_WITNESS_TYPE,
  PUBLICATION_DUE_JOB,
  type Tx,
  witness,
} from './context.ts';
import {
  assertLotNotSuspended,
  CREDIT_CITATION,
  findLot,
  getEvaluationOutcome,
  getProcedure,
  type LotSummary,
  publishSystemAnnouncement,
  readOpeningOutcome,
  scheduleDepositRefunds,
  tenderLawOf,
} from './deps.ts';
import {
  assertActsForLot,
  assertInitiatorOfLot,
  assertResponder,
  noReport,
  requireSignedIn,
} from './policy.ts';
import {
  CITATIONS,
  CONTRACT_REMINDER_DAYS,
  checkWinnerChoice,
  contractDueAt,
  FAILURE_REASON_NAMES_ZH,
  firstDueAt,
  gpNoticeDueAt,
  type Law,
  objectionAnswerDueAt,
  publicityEndsAt,
  resultPublicityEndsAt,
} from './rules.ts';
import * as store from './store.ts';
import type { AwardCandidate, FailureReason, SkipReasonCode } from './tables.ts';
import { candidatesText, failureText, resultText } from './texts.ts';

const DAY = 86_400_000;
export const NOTICE_FORMAT = 'ggzy-award-notice/v1';

type Deps = Pick<AwardsDeps, 'db' | 'clock'>;

function namesOf(lot: LotSummary) {
  return { projectName: lot.projectName, lotName: lot.name, lotCode: lot.code };
}

function lawOf(lot: LotSummary): Law {
  return tenderLawOf(lot.procedureType);
}

function stringFields(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

function lotColumns(lot: LotSummary, law: Law) {
  return {
    lot_id: lot.id,
    project_id: lot.projectId,
    lot_code: lot.code,
    lot_name: lot.name,
    project_name: lot.projectName,
    procedure_type: lot.procedureType,
    law,
    mandatory_tender: lot.mandatoryTender,
    initiator_organization_id: lot.initiatorOrganizationId,
    agency_organization_id: lot.agencyOrganizationId,
    regulator: lot.regulator,
  };
}

const EMPTY_AWARD = {
  report_id: null,
  report_sm3: null,
  reported_at: null,
  method: null,
  due_at: null,
  late_flagged_at: null,
  publicity_announcement_id: null,
  publicity_published_at: null,
  publicity_ends_at: null,
  objection_channel: null,
  winner_bid_id: null,
  winner_organization_id: null,
  winner_name: null,
  winner_credit_code: null,
  winner_price_yuan: null,
  winner_rank: null,
  confirmed_at: null,
  confirmed_by: null,
  deemed: false,
  skip_reason_code: null,
  skip_reason_text: null,
  notice_due_at: null,
  notice_late_flagged_at: null,
  notice_issued_at: null,
  notice_json: null,
  notice_sm3: null,
  notice_signature: null,
  notice_key_id: null,
  result_announcement_id: null,
  result_publicity_ends_at: null,
  failure_reason: null,
  failure_text: null,
  failed_at: null,
  termination_announcement_id: null,
  contracted_at: null,
} as const;

/**
 * Opens the award file of a lot once its evaluation has reported (or failed): the candidates are copied
 * from the report with their 开标一览表 fields, the first legal deadline is set and its job enqueued —
 * 工程: publish the candidates within 3 日; 政府采购: the platform delivers the report to the purchaser at
 * once (87号令第六十八条 asks 2 工作日) and the purchaser decides within 5 工作日. Idempotent; null while there
 * is no outcome.
 */
export async function openAward(deps: Deps, lotId: string): Promise<store.AwardRow | null> {
  const existing = await store.findAward(deps.db, lotId);
  if (existing) return existing;
  const outcome = await getEvaluationOutcome(deps.db, lotId);
  if (!outcome) return null;
  const lot = await findLot(deps.db, lotId);
  if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  const opening = await readOpeningOutcome(deps.db, lotId);
  const entryOf = new Map((opening?.entries ?? []).map((e) => [e.bidId, e]));
  const law = lawOf(lot);
  const candidates: AwardCandidate[] =
    outcome.status === 'reported'
      ? outcome.candidates.map((c) => ({
          rank: c.rank,
          bidId: c.bidId,
          organizationId: c.organizationId,
          bidderName: c.bidderName,
          creditCode: c.creditCode,
          priceYuan: fenToYuan(yuanToFen(c.priceYuan)),
          score: c.score,
          fields: stringFields(entryOf.get(c.bidId)?.fields ?? {}),
        }))
      : [];
  const reported = outcome.status === 'reported' && candidates.length > 0;
  const dueAt = reported ? firstDueAt(law, outcome.reportedAt) : null;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const inserted = await store.insertAwardIfAbsent(tx, {
      ...lotColumns(lot, law),
      ...EMPTY_AWARD,
      status: reported ? 'reported' : 'evaluation-failed',
      report_id: outcome.reportId,
      report_sm3: outcome.reportSm3,
      reported_at: outcome.reportedAt,
      method: outcome.method,
      candidates: JSON.stringify(candidates),
      due_at: dueAt,
      created_at: now,
      updated_at: now,
    });
    if (!inserted) return;
    await witness(tx, now, SYSTEM_ORIGIN, AWARD_WITNESS_TYPE, lotId, 'award.opened', {
      reportId: outcome.reportId,
      reportSm3: outcome.reportSm3,
      reportedAt: outcome.reportedAt.toISOString(),
      evaluationStatus: outcome.status,
      candidates: candidates.map((c) => ({ rank: c.rank, bidId: c.bidId, priceYuan: c.priceYuan })),
      dueAt: dueAt?.toISOString() ?? null,
      citation: law === 'works' ? CITATIONS.publicity : CITATIONS.gpDecision,
    });
    if (dueAt) {
      const type = law === 'works' ? PUBLICATION_DUE_JOB : DECISION_DUE_JOB;
      await enqueueJob(tx, { type, payload: { lotId }, runAt: dueAt, dedupeKey: `${type}:${lotId}` });
    }
  });
  return (await store.findAward(deps.db, lotId)) ?? null;
}

async function requireAward(ctx: AwardsContext, lotId: string) {
  const award = await openAward(ctx, lotId);
  if (!award) throw noReport();
  return award;
}

function stateConflict(title: string, detail: string, citation?: string): RuleViolation {
  return new RuleViolation('AWARD_STATE', { title, detail, ...(citation ? { citation } : {}) });
}

const CLOSED = new Set(['contracted', 'failed', 'terminated']);

function candidatesOf(award: store.AwardRow): AwardCandidate[] {
  return award.candidates;
}

/**
 * 中标候选人公示 (工程, 实施条例第五十四条): published as a 'candidates' announcement with the law's content,
 * for 3 日 after the publication day. Late publication is allowed and stays flagged.
 */
export async function publishCandidates(
  ctx: AwardsContext,
  lotId: string,
  input: { objectionChannel: string },
) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertActsForLot(ctx, lotId);
  await assertLotNotSuspended(ctx.db, lotId, ctx.clock.now());
  const award = await requireAward(ctx, lotId);
  if (award.law !== 'works') {
    throw new RuleViolation('AWARD_PUBLICITY_WORKS_ONLY', {
      title: '政府采购项目不进行中标候选人公示',
      detail: '采购人在收到评审报告后5个工作日内按顺序确定中标人，随后发布中标结果公告。',
      citation: CITATIONS.gpDecision,
    });
  }
  if (award.status !== 'reported') {
    throw stateConflict('当前不能发布中标候选人公示', `定标状态为“${award.status}”，公示只能发布一次。`);
  }
  const now = ctx.clock.now();
  const endsAt = publicityEndsAt(now);
  const text = candidatesText(namesOf(lot), candidatesOf(award), {
    reportedAt: award.reported_at ?? now,
    publishedAt: now,
    endsAt,
    objectionChannel: input.objectionChannel,
  });
  const late = award.due_at !== null && now > award.due_at;
  const announcementId = await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAward(tx, lotId);
    if (current?.status !== 'reported') throw stateConflict('中标候选人公示已发布', '请刷新页面。');
    const published = await publishSystemAnnouncement(tx, now, ctx.origin, actor.accountId, {
      lotId,
      kind: 'candidates',
      title: text.title,
      body: text.body,
    });
    await store.updateAward(tx, lotId, {
      status: 'publicity',
      publicity_announcement_id: published.id,
      publicity_published_at: now,
      publicity_ends_at: endsAt,
      objection_channel: input.objectionChannel,
      late_flagged_at: late ? (current.late_flagged_at ?? now) : current.late_flagged_at,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, AWARD_WITNESS_TYPE, lotId, 'award.candidates-published', {
      announcementId: published.id,
      endsAt: endsAt.toISOString(),
      dueAt: award.due_at?.toISOString() ?? null,
      late,
      citation: CITATIONS.publicity,
    });
    return published.id;
  });
  return { announcementId, endsAt };
}

/**
 * 异议 on the evaluation result (实施条例第五十四条第二款): only a bidder of the lot, only during the
 * publicity. The initiator answers within 3 日; until then the award is suspended.
 */
export async function raiseObjection(ctx: AwardsContext, lotId: string, text: string) {
  const actor = assertResponder(ctx.actor);
  const award = await requireAward(ctx, lotId);
  const opening = await readOpeningOutcome(ctx.db, lotId);
  const entry = opening?.entries.find((e) => e.organizationId === actor.organizationId);
  if (!entry) throw new Forbidden('NO_BID_IN_LOT', { title: '本单位不是该标段已开标的投标人' });
  const now = ctx.clock.now();
  const during =
    award.status === 'publicity' && award.publicity_ends_at !== null && now <= award.publicity_ends_at;
  if (!during) {
    throw new RuleViolation('AWARD_OBJECTION_OUTSIDE_PUBLICITY', {
      title: '不在中标候选人公示期内，不能提出异议',
      detail:
        award.law === 'gp'
          ? '政府采购项目对采购结果有疑问的，应当依照《中华人民共和国政府采购法》第五十二条向采购人提出质疑。'
          : award.publicity_ends_at
            ? `对评标结果的异议应当在公示期间提出；公示期已于 ${formatShanghaiTime(award.publicity_ends_at)} 结束。`
            : '中标候选人公示尚未发布。',
      citation: CITATIONS.objection,
    });
  }
  const id = randomUUID();
  const dueAt = objectionAnswerDueAt(now);
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAward(tx, lotId);
    if (current?.status !== 'publicity') throw stateConflict('公示已结束', '请刷新页面。');
    const seq = await store.insertObjection(tx, {
      id,
      lot_id: lotId,
      organization_id: actor.organizationId,
      bidder_name: entry.bidderName,
      account_id: actor.accountId,
      text,
      raised_at: now,
      answer_due_at: dueAt,
      answer: null,
      answered_at: null,
      answered_by: null,
      late_flagged_at: null,
    });
    await store.updateAward(tx, lotId, { updated_at: now });
    await witness(tx, now, ctx.origin, OBJECTION_WITNESS_TYPE, id, 'award-objection.raised', {
      lotId,
      seq,
      organizationId: actor.organizationId,
      textSm3: sm3Hex(new TextEncoder().encode(text)),
      answerDueAt: dueAt.toISOString(),
      citation: CITATIONS.objection,
    });
    await enqueueJob(tx, {
      type: OBJECTION_DUE_JOB,
      payload: { objectionId: id },
      runAt: dueAt,
      dedupeKey: `${OBJECTION_DUE_JOB}:${id}`,
    });
  });
  return { id, answerDueAt: dueAt };
}

/** The initiator (or its agency) answers an objection in writing; a late answer is allowed and stays flagged. */
export async function answerObjection(ctx: AwardsContext, objectionId: string, answer: string) {
  const actor = requireSignedIn(ctx.actor);
  const objection = await store.findObjection(ctx.db, objectionId);
  if (!objection) throw new NotFound('OBJECTION_NOT_FOUND', { title: '异议不存在' });
  await assertActsForLot(ctx, objection.lot_id);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockObjection(tx, objectionId);
    if (!current || current.answered_at) {
      throw new RuleViolation('OBJECTION_ALREADY_ANSWERED', { title: '该异议已答复' });
    }
    const late = now > current.answer_due_at;
    await store.updateObjection(tx, objectionId, {
      answer,
      answered_at: now,
      answered_by: actor.accountId,
      late_flagged_at: late ? (current.late_flagged_at ?? now) : current.late_flagged_at,
    });
    await store.updateAward(tx, current.lot_id, { updated_at: now });
    await witness(tx, now, ctx.origin, OBJECTION_WITNESS_TYPE, objectionId, 'award-objection.answered', {
      lotId: current.lot_id,
      answerSm3: sm3Hex(new TextEncoder().encode(answer)),
      late,
      citation: CITATIONS.objection,
    });
  });
  return { id: objectionId, answeredAt: now };
}

export interface ConfirmInput {
  bidId: string;
  reasonCode?: SkipReasonCode | null | undefined;
  reasonText?: string | null | undefined;
}

/**
 * 定标 (§22 确认) by the initiator: after the publicity with every objection answered (工程), or within
 * 5 工作日 of the report (政府采购); the first candidate, or a later one on a 第五十五条 ground with its reason.
 */
export async function confirmWinner(ctx: AwardsContext, lotId: string, input: ConfirmInput) {
  const actor = requireSignedIn(ctx.actor);
  await assertInitiatorOfLot(ctx, lotId);
  await assertLotNotSuspended(ctx.db, lotId, ctx.clock.now());
  const award = await requireAward(ctx, lotId);
  const now = ctx.clock.now();
  assertConfirmable(award, now);
  if ((await store.countUnansweredObjections(ctx.db, lotId)) > 0) throw suspendedByObjection();
  const { candidate, skipped } = checkWinnerChoice(candidatesOf(award), input, {
    law: award.law,
    mandatory: award.mandatory_tender,
  });
  const barred = await ctx.deps.eligibility.barredReasons({
    organizationId: candidate.organizationId,
    lotId,
    stage: 'award',
    at: now,
  });
  if (barred.length > 0) {
    throw new Forbidden('WINNER_BARRED', {
      title: `${candidate.bidderName}被限制参加公共资源交易活动，不能确定为中标人`,
      detail: `${barred.join('；')}。可依法另行确定其他中标候选人或重新招标（采购）。`,
      citation: CREDIT_CITATION,
    });
  }
  const skip = skipped.length > 0 && input.reasonCode ? input.reasonCode : null;
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAward(tx, lotId);
    if (!current) throw noReport();
    assertConfirmable(current, now);
    if ((await store.countUnansweredObjections(tx, lotId)) > 0) throw suspendedByObjection();
    await setWinner(tx, ctx.origin, current, candidate, now, {
      by: actor.accountId,
      deemed: false,
      skip: skip ? { code: skip, text: input.reasonText?.trim() ?? '' } : null,
      skipped,
    });
  });
  return store.findAward(ctx.db, lotId);
}

function suspendedByObjection(): RuleViolation {
  return new RuleViolation('AWARD_SUSPENDED_BY_OBJECTION', {
    title: '有异议尚未答复，定标暂停',
    detail: '投标人在公示期间提出的异议，招标人作出答复前，应当暂停招标投标活动。请先答复全部异议。',
    citation: CITATIONS.objection,
  });
}

function assertConfirmable(award: store.AwardRow, now: Date): void {
  if (award.law === 'works') {
    if (award.status === 'reported') {
      throw new RuleViolation('AWARD_PUBLICITY_REQUIRED', {
        title: '中标候选人公示后方可确定中标人',
        detail: '请先发布中标候选人公示，公示期满后确定中标人。',
        citation: CITATIONS.publicity,
      });
    }
    if (award.status !== 'publicity') {
      throw stateConflict('当前不能确定中标人', `定标状态为“${award.status}”。`);
    }
    if (award.publicity_ends_at && now <= award.publicity_ends_at) {
      throw new RuleViolation('AWARD_PUBLICITY_NOT_ENDED', {
        title: '公示期未满',
        detail: `中标候选人公示期至 ${formatShanghaiTime(award.publicity_ends_at)} 止，期满后方可确定中标人。`,
        citation: CITATIONS.publicity,
      });
    }
    return;
  }
  if (award.status !== 'reported') {
    throw stateConflict('当前不能确定中标人', `定标状态为“${award.status}”。`, CITATIONS.gpDecision);
  }
}

async function setWinner(
  tx: Tx,
  origin: WitnessOrigin,
  award: store.AwardRow,
  candidate: AwardCandidate,
  now: Date,
  how: {
    by: string | null;
    deemed: boolean;
    skip: { code: SkipReasonCode; text: string } | null;
    skipped: AwardCandidate[];
  },
) {
  const noticeDueAt = award.law === 'gp' ? gpNoticeDueAt(now) : null;
  await store.updateAward(tx, award.lot_id, {
    status: 'confirmed',
    winner_bid_id: candidate.bidId,
    winner_organization_id: candidate.organizationId,
    winner_name: candidate.bidderName,
    winner_credit_code: candidate.creditCode,
    winner_price_yuan: candidate.priceYuan,
    winner_rank: candidate.rank,
    confirmed_at: now,
    confirmed_by: how.by,
    deemed: how.deemed,
    skip_reason_code: how.skip?.code ?? null,
    skip_reason_text: how.skip?.text ?? null,
    notice_due_at: noticeDueAt,
    updated_at: now,
  });
  await witness(
    tx,
    now,
    origin,
    AWARD_WITNESS_TYPE,
    award.lot_id,
    how.deemed ? 'award.winner-deemed' : 'award.winner-confirmed',
    {
      bidId: candidate.bidId,
      organizationId: candidate.organizationId,
      rank: candidate.rank,
      priceYuan: candidate.priceYuan,
      skipped: how.skipped.map((c) => ({ rank: c.rank, bidId: c.bidId })),
      reasonCode: how.skip?.code ?? null,
      reasonText: how.skip?.text ?? null,
      noticeDueAt: noticeDueAt?.toISOString() ?? null,
      citation:
        award.law === 'gp'
          ? CITATIONS.gpDecision
          : how.skip
            ? CITATIONS.firstCandidate
            : CITATIONS.candidatesOnly,
    },
  );
  if (noticeDueAt) {
    await enqueueJob(tx, {
      type: NOTICE_DUE_JOB,
      payload: { lotId: award.lot_id },
      runAt: noticeDueAt,
      dedupeKey: `${NOTICE_DUE_JOB}:${award.lot_id}`,
    });
  }
}

/**
 * 政府采购 (87号令第六十八条): the purchaser has not decided within 5 工作日 of the report — the first
 * candidate is deemed the winner, by the platform, witnessed.
 */
export async function deemWinnerIfUndecided(
  deps: Pick<AwardsDeps, 'db' | 'clock' | 'eligibility'>,
  lotId: string,
): Promise<boolean> {
  const now = deps.clock.now();
  const firstOf = (award: store.AwardRow) => [...candidatesOf(award)].sort((a, b) => a.rank - b.rank)[0];
  const due = (award: store.AwardRow | undefined | null): award is store.AwardRow =>
    award?.law === 'gp' && award.status === 'reported' && !!award.due_at && now > award.due_at;
  const seen = await store.findAward(deps.db, lotId);
  if (!due(seen)) return false;
  const candidate = firstOf(seen);
  if (!candidate) return false;
  // A barred first candidate is never deemed the winner: the purchaser must decide; the file stays late.
  // (Checked before the transaction: the check records its evidence in a transaction of its own.)
  const barred = await deps.eligibility.barredReasons({
    organizationId: candidate.organizationId,
    lotId,
    stage: 'award',
    at: now,
  });
  return deps.db.transaction().execute(async (tx) => {
    const award = await store.lockAward(tx, lotId);
    if (!due(award)) return false;
    const first = firstOf(award);
    if (!first || first.bidId !== candidate.bidId) return false;
    if (barred.length > 0) {
      if (!award.late_flagged_at) await store.updateAward(tx, lotId, { late_flagged_at: now });
      return false;
    }
    await setWinner(tx, SYSTEM_ORIGIN, award, first, now, {
      by: null,
      deemed: true,
      skip: null,
      skipped: [],
    });
    await store.updateAward(tx, lotId, { late_flagged_at: now });
    return true;
  });
}

/**
 * 中标通知书 (招标投标法第四十五条; 87号令第六十九条) and 中标结果公告: the notice is canonical JSON, hashed
 * (SM3) and signed by the platform key; the result announcement is published in the same transaction.
 * 政府采购: the deposits of the bidders not awarded are refunded from now (5 工作日, 87号令第三十八条);
 * 工程: at the contract (条例第五十七条). Reminders of the 30-day contract limit are scheduled.
 */
export async function issueNotice(ctx: AwardsContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertActsForLot(ctx, lotId);
  await assertLotNotSuspended(ctx.db, lotId, ctx.clock.now());
  const award = await requireAward(ctx, lotId);
  if (award.status !== 'confirmed' || !award.winner_bid_id || !award.confirmed_at) {
    throw stateConflict(
      '尚未确定中标人，不能发出中标通知书',
      award.status === 'notified' || award.status === 'contracted'
        ? '中标通知书已经发出。'
        : '请先确定中标人。',
      CITATIONS.notice,
    );
  }
  const [outcome, opening, signer] = await Promise.all([
    getEvaluationOutcome(ctx.db, lotId),
    readOpeningOutcome(ctx.db, lotId),
    ctx.deps.signer(),
  ]);
  const now = ctx.clock.now();
  const winner = {
    bidId: award.winner_bid_id,
    organizationId: award.winner_organization_id ?? '',
    name: award.winner_name ?? '',
    creditCode: award.winner_credit_code ?? '',
    priceYuan: fenToYuan(yuanToFen(award.winner_price_yuan ?? '0')),
    rank: award.winner_rank,
  };
  const dueAt = contractDueAt(now);
  const notice = {
    format: NOTICE_FORMAT,
    lot: { id: lot.id, code: lot.code, name: lot.name },
    project: { id: lot.projectId, code: lot.projectCode, name: lot.projectName },
    procedureType: lot.procedureType,
    initiatorOrganizationId: lot.initiatorOrganizationId,
    agencyOrganizationId: lot.agencyOrganizationId,
    winner,
    report: { id: award.report_id, sm3: award.report_sm3 },
    confirmedAt: award.confirmed_at.toISOString(),
    deemed: award.deemed,
    skipReason: award.skip_reason_code
      ? { code: award.skip_reason_code, text: award.skip_reason_text }
      : null,
    issuedAt: now.toISOString(),
    contractDueAt: dueAt.toISOString(),
    text: `${winner.name}：你单位在${lot.projectName}${lot.name}（${lot.code}）的投标被确定为中标，中标价 ${winner.priceYuan} 元。请自本通知书发出之日起30日内，按照招标文件和你单位的投标文件与招标人订立书面合同（${CITATIONS.contractPeriod}）。`,
    citation: CITATIONS.notice,
  };
  const json = canonicalJson(notice);
  const bytes = new TextEncoder().encode(json);
  const sm3 = sm3Hex(bytes);
  const signature = toBase64Url(signer.sign(bytes));
  const resultEndsAt = resultPublicityEndsAt(award.law, now);
  const text = resultText(namesOf(lot), {
    law: award.law,
    winner,
    confirmedAt: award.confirmed_at,
    deemed: award.deemed,
    skip: award.skip_reason_code
      ? { code: award.skip_reason_code, text: award.skip_reason_text ?? '' }
      : null,
    publishedAt: now,
    endsAt: resultEndsAt,
    experts: (outcome?.members ?? []).filter((m) => m.kind === 'expert').map((m) => m.name),
  });
  const losers = [
    ...new Set(
      (opening?.entries ?? []).map((e) => e.organizationId).filter((o) => o !== winner.organizationId),
    ),
  ];
  const late = award.notice_due_at !== null && now > award.notice_due_at;
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAward(tx, lotId);
    if (current?.status !== 'confirmed') throw stateConflict('中标通知书已经发出', '请刷新页面。');
    const published = await publishSystemAnnouncement(tx, now, ctx.origin, actor.accountId, {
      lotId,
      kind: 'result',
      title: text.title,
      body: text.body,
      linkedTo: current.publicity_announcement_id,
    });
    await store.updateAward(tx, lotId, {
      status: 'notified',
      notice_issued_at: now,
      notice_json: json,
      notice_sm3: sm3,
      notice_signature: signature,
      notice_key_id: signer.keyId,
      result_announcement_id: published.id,
      result_publicity_ends_at: resultEndsAt,
      notice_late_flagged_at: late ? (current.notice_late_flagged_at ?? now) : current.notice_late_flagged_at,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, AWARD_WITNESS_TYPE, lotId, 'award.notice-issued', {
      noticeSm3: sm3,
      keyId: signer.keyId,
      winnerOrganizationId: winner.organizationId,
      resultAnnouncementId: published.id,
      contractDueAt: dueAt.toISOString(),
      late,
      citation: award.law === 'gp' ? CITATIONS.gpNotice : CITATIONS.notice,
    });
    if (award.law === 'gp' && losers.length > 0) {
      await scheduleDepositRefunds(tx, now, ctx.origin, {
        lotId,
        organizationIds: losers,
        reason: 'not-awarded',
      });
    }
    await scheduleContractDeadline(tx, now, lotId, dueAt);
  });
  return { noticeSm3: sm3, issuedAt: now, contractDueAt: dueAt };
}

/**
 * The contract limit's jobs (handled by trading/contracts): reminders to both parties N days before, and
 * at the limit the overdue alert. Enqueued with the notice — the award's 中标通知书 or an auction's
 * 成交通知书 — in its transaction.
 */
export async function scheduleContractDeadline(
  tx: Db<JobTables>,
  now: Date,
  lotId: string,
  dueAt: Date,
): Promise<void> {
  for (const days of CONTRACT_REMINDER_DAYS) {
    const runAt = new Date(dueAt.getTime() - days * DAY);
    if (runAt <= now) continue;
    await enqueueJob(tx, {
      type: CONTRACT_DEADLINE_JOB,
      payload: { lotId, kind: 'reminder', daysBefore: days },
      runAt,
      dedupeKey: `${CONTRACT_DEADLINE_JOB}:${lotId}:${days}`,
    });
  }
  await enqueueJob(tx, {
    type: CONTRACT_DEADLINE_JOB,
    payload: { lotId, kind: 'overdue', daysBefore: 0 },
    runAt: new Date(dueAt.getTime() + 1),
    dedupeKey: `${CONTRACT_DEADLINE_JOB}:${lotId}:overdue`,
  });
}

/**
 * 流标 / 终止 after the opening, at any later stage: the reason recorded, a 'termination' announcement
 * published, every deposit not yet settled refunded ('lot-failed' / 'terminated'), witnessed.
 */
export async function declareFailure(
  ctx: AwardsContext,
  lotId: string,
  input: { reason: FailureReason; text: string },
) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertActsForLot(ctx, lotId);
  const opening = await readOpeningOutcome(ctx.db, lotId);
  if (!opening || (opening.state !== 'published' && opening.state !== 'closed')) {
    throw new RuleViolation('LOT_NOT_OPENED', {
      title: '尚未开标或已在开标时流标',
      detail: '开标前终止招标请在招标公告中办理；开标时流标的，由开标环节处理。',
    });
  }
  const award = await openAward(ctx, lotId);
  if (award && CLOSED.has(award.status)) {
    throw stateConflict(
      '当前不能宣布流标或终止',
      award.status === 'contracted' ? '合同已经签订。' : '本标段已经流标或终止。',
    );
  }
  if (input.reason === 'evaluation-failed' && award?.status !== 'evaluation-failed') {
    throw new RuleViolation('AWARD_FAILURE_REASON_MISMATCH', {
      title: '评标未失败',
      detail: '只有评标委员会否决全部投标或有效投标不足、评标失败时，才能以“评标失败”宣布流标。',
      citation: CITATIONS.failure,
    });
  }
  if (input.reason === 'all-candidates-declined' && (!award || candidatesOf(award).length === 0)) {
    throw new RuleViolation('AWARD_FAILURE_REASON_MISMATCH', {
      title: '尚无中标候选人',
      detail: '评标报告推荐中标候选人后，候选人均放弃或不能确定中标人的，方可以此理由宣布流标。',
      citation: CITATIONS.failure,
    });
  }
  if (input.text.trim().length < 4) {
    throw new InvalidInput('AWARD_FAILURE_TEXT_REQUIRED', {
      title: '请写明流标或终止的具体原因',
      detail: `原因“${FAILURE_REASON_NAMES_ZH[input.reason]}”须附具体说明（不少于4个字）。`,
    });
  }
  const now = ctx.clock.now();
  const terminated = input.reason === 'terminated';
  const text = failureText(namesOf(lot), { reason: input.reason, text: input.text.trim(), at: now });
  const law = lawOf(lot);
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAward(tx, lotId);
    if (!current) {
      await store.insertAwardIfAbsent(tx, {
        ...lotColumns(lot, law),
        ...EMPTY_AWARD,
        status: 'reported',
        candidates: JSON.stringify([]),
        created_at: now,
        updated_at: now,
      });
    } else if (CLOSED.has(current.status)) {
      throw stateConflict('本标段已经流标、终止或签订合同', '请刷新页面。');
    }
    const published = await publishSystemAnnouncement(tx, now, ctx.origin, actor.accountId, {
      lotId,
      kind: 'termination',
      title: text.title,
      body: text.body,
    });
    await store.updateAward(tx, lotId, {
      status: terminated ? 'terminated' : 'failed',
      failure_reason: input.reason,
      failure_text: input.text.trim(),
      failed_at: now,
      termination_announcement_id: published.id,
      updated_at: now,
    });
    await scheduleDepositRefunds(tx, now, ctx.origin, {
      lotId,
      reason: terminated ? 'terminated' : 'lot-failed',
    });
    await witness(
      tx,
      now,
      ctx.origin,
      AWARD_WITNESS_TYPE,
      lotId,
      terminated ? 'award.terminated' : 'award.failed',
      {
        reason: input.reason,
        textSm3: sm3Hex(new TextEncoder().encode(input.text.trim())),
        announcementId: published.id,
        citation: CITATIONS.failure,
      },
    );
  });
  return store.findAward(ctx.db, lotId);
}

/**
 * The contract was signed (called by the contracts module in its own transaction): the award is closed.
 */
export async function markAwardContracted(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  lotId: string,
  contractId: string,
): Promise<void> {
  const award = await store.lockAward(tx, lotId);
  if (award?.status !== 'notified') {
    throw stateConflict(
      '中标通知书尚未发出，不能签订合同',
      '合同依据中标通知书订立。',
      CITATIONS.contractPeriod,
    );
  }
  await store.updateAward(tx, lotId, { status: 'contracted', contracted_at: at, updated_at: at });
  await witness(tx, at, origin, AWARD_WITNESS_TYPE, lotId, 'award.contracted', { contractId });
}

/** 工程: flags a publicity not published by its due date (3 日 after the report). */
export async function flagPublicationLate(deps: Deps, lotId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const award = await store.lockAward(tx, lotId);
    if (award?.status !== 'reported' || award.late_flagged_at || !award.due_at) return;
    if (now <= award.due_at) return;
    await store.updateAward(tx, lotId, { late_flagged_at: now, updated_at: now });
    await witness(tx, now, SYSTEM_ORIGIN, AWARD_WITNESS_TYPE, lotId, 'award.publication-late', {
      dueAt: award.due_at.toISOString(),
      citation: CITATIONS.publicity,
    });
  });
}

/** 政府采购: flags a notice not issued within 2 工作日 of the decision. */
export async function flagNoticeLate(deps: Deps, lotId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const award = await store.lockAward(tx, lotId);
    if (award?.status !== 'confirmed' || award.notice_late_flagged_at || !award.notice_due_at) return;
    if (now <= award.notice_due_at) return;
    await store.updateAward(tx, lotId, { notice_late_flagged_at: now, updated_at: now });
    await witness(tx, now, SYSTEM_ORIGIN, AWARD_WITNESS_TYPE, lotId, 'award.notice-late', {
      dueAt: award.notice_due_at.toISOString(),
      citation: CITATIONS.gpNotice,
    });
  });
}

/** Flags an objection not answered within 3 日. */
export async function flagObjectionLate(deps: Deps, objectionId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const objection = await store.lockObjection(tx, objectionId);
    if (!objection || objection.answered_at || objection.late_flagged_at) return;
    if (now <= objection.answer_due_at) return;
    await store.updateObjection(tx, objectionId, { late_flagged_at: now });
    await witness(
      tx,
      now,
      SYSTEM_ORIGIN,
      OBJECTION_WITNESS_TYPE,
      objectionId,
      'award-objection.answer-late',
      {
        lotId: objection.lot_id,
        dueAt: objection.answer_due_at.toISOString(),
        citation: CITATIONS.objection,
      },
    );
  });
}
