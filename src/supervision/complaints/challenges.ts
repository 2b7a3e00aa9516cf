import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type CalendarDate,
  type Clock,
  compareDates,
  formatShanghaiTime,
  shanghaiDateOf,
} from '../../platform/clock/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import {
  CHALLENGE_ANSWER_DUE_JOB,
  CHALLENGE_WITNESS_TYPE,
  type ComplaintsContext,
  type ComplaintsDb,
  witness,
} from './context.ts';
import { assertMayActForLot } from './deps.ts';
import { lawOf, requireLot, tookPart } from './filing.ts';
import { resolveMaterials } from './materials.ts';
import { requireResponder, requireSignedIn } from './policy.ts';
import {
  afterWorkingDays,
  CITATIONS,
  GP_ANSWER_WORKING_DAYS,
  GP_CHALLENGE_WORKING_DAYS,
  STAGE_NAMES_ZH,
} from './rules.ts';
import type { ChallengeInput, MaterialInput } from './schemas.ts';
import * as store from './store.ts';
import { toChallengeView } from './views.ts';

/**
 * 质疑 on the 采购过程 and on the 中标/成交结果 of a 政府采购 lot (政府采购法第五十二条; 94号令第十条), filed
 * with the purchaser (or its agency) — the 质疑 on the 采购文件 is filed in the tender process
 * (trading/tenders). Within 7 个工作日 of knowing; answered within 7 个工作日 (第十三条); a complaint may
 * follow within 15 个工作日 of the answer period's end (第十七条).
 */
export async function fileChallenge(ctx: ComplaintsContext, lotId: string, input: ChallengeInput) {
  const actor = requireResponder(ctx.actor);
  const lot = await requireLot(ctx, lotId);
  if (lawOf(lot) !== 'gp') {
    throw new RuleViolation('CHALLENGE_GP_ONLY', {
      title: '质疑程序适用于政府采购项目',
      detail: '工程建设项目对招标文件、开标、评标结果有异议的，在相应环节向招标人提出异议。',
      citation: CITATIONS.gpChallenge,
    });
  }
  if (!(await tookPart(ctx, lot.id, actor.organizationId))) {
    throw new Forbidden('CHALLENGE_NOT_PARTICIPANT', {
      title: '提出质疑的供应商应当是参与所质疑项目采购活动的供应商',
      detail: '本单位未获取该标段（包）的采购文件，也没有提交响应文件。',
      citation: CITATIONS.gpChallengeWho,
    });
  }
  const now = ctx.clock.now();
  const knownOn = input.knownOn as CalendarDate;
  if (compareDates(knownOn, shanghaiDateOf(now)) > 0) {
    throw new InvalidInput('KNOWN_DATE_IN_FUTURE', {
      title: '知道或者应当知道之日不能晚于今天',
      extensions: { field: 'knownOn' },
    });
  }
  const deadline = afterWorkingDays(knownOn, GP_CHALLENGE_WORKING_DAYS);
  if (now.getTime() > deadline.getTime()) {
    throw new RuleViolation('CHALLENGE_OUT_OF_TIME', {
      title: '已超过质疑期限',
      detail: `知道或者应当知道其权益受到损害之日为 ${knownOn}，应在7个工作日内、即 ${formatShanghaiTime(deadline)} 前提出质疑；当前时间为 ${formatShanghaiTime(now)}。`,
      citation: CITATIONS.gpChallenge,
      extensions: { deadline: deadline.toISOString() },
    });
  }
  const materials = await resolveMaterials(ctx.db, input.materials);
  const answerDueAt = afterWorkingDays(now, GP_ANSWER_WORKING_DAYS);
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertChallenge(tx, {
      id: randomUUID(),
      lot_id: lot.id,
      lot_code: lot.code,
      lot_name: lot.name,
      project_name: lot.projectName,
      stage: input.stage,
      step: input.step,
      organization_id: actor.organizationId,
      organization_name: actor.organizationName ?? '',
      account_id: actor.accountId,
      contact_name: input.contactName,
      contact_phone: input.contactPhone,
      known_on: knownOn,
      known_evidence: input.knownEvidence,
      items: JSON.stringify(
        input.items.map((i, index) => ({ no: index + 1, matter: i.matter, text: i.text })),
      ),
      facts: input.facts,
      requests: input.requests,
      legal_basis: input.legalBasis,
      materials: JSON.stringify(materials),
      filed_at: now,
      deadline_at: deadline,
      answer_due_at: answerDueAt,
      answer: null,
      answer_materials: '[]',
      answered_at: null,
      answered_by: null,
      answer_late: false,
      overdue_flagged_at: null,
      initiator_organization_id: lot.initiatorOrganizationId,
      agency_organization_id: lot.agencyOrganizationId,
    });
    await witness(tx, now, ctx.origin, CHALLENGE_WITNESS_TYPE, row.id, 'complaint-challenge.filed', {
      lotId: lot.id,
      stage: input.stage,
      stageName: STAGE_NAMES_ZH[input.stage],
      items: row.items.map((i) => ({ no: i.no, matter: i.matter })),
      materials: materials.map((m) => ({ sha256: m.sha256, sm3: m.sm3 })),
      knownOn,
      answerDueAt: answerDueAt.toISOString(),
      citation: CITATIONS.gpChallenge,
    });
    await enqueueJob(tx, {
      type: CHALLENGE_ANSWER_DUE_JOB,
      payload: { challengeId: row.id },
      runAt: new Date(answerDueAt.getTime() + 1),
      dedupeKey: `${CHALLENGE_ANSWER_DUE_JOB}:${row.id}`,
    });
    return toChallengeView(row, now);
  });
}

/**
 * 答复质疑 in writing by the purchaser or its agency (94号令第十三条). The law forbids refusing a 质疑 filed in
 * time, so there is no "refuse": an answer is the only way out; a late answer is recorded as late.
 */
export async function answerChallenge(
  ctx: ComplaintsContext,
  challengeId: string,
  input: { answer: string; materials: MaterialInput[] },
) {
  const actor = requireSignedIn(ctx.actor);
  const challenge = await store.findChallenge(ctx.db, challengeId);
  if (!challenge) throw new NotFound('CHALLENGE_NOT_FOUND', { title: '质疑不存在' });
  const now = ctx.clock.now();
  await assertMayActForLot(ctx.db, actor, challenge.lot_id, now);
  const materials = await resolveMaterials(ctx.db, input.materials);
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockChallenge(tx, challengeId);
    if (!current) throw new NotFound('CHALLENGE_NOT_FOUND', { title: '质疑不存在' });
    if (current.answered_at) {
      throw new RuleViolation('CHALLENGE_ALREADY_ANSWERED', {
        title: '该质疑已答复',
        detail: `已于 ${formatShanghaiTime(current.answered_at)} 答复。`,
      });
    }
    const late = now.getTime() > current.answer_due_at.getTime();
    const row = await store.updateChallenge(tx, challengeId, {
      answer: input.answer,
      answer_materials: JSON.stringify(materials),
      answered_at: now,
      answered_by: actor.accountId,
      answer_late: late,
      overdue_flagged_at: late ? (current.overdue_flagged_at ?? now) : current.overdue_flagged_at,
    });
    await witness(tx, now, ctx.origin, CHALLENGE_WITNESS_TYPE, challengeId, 'complaint-challenge.answered', {
      lotId: current.lot_id,
      late,
      materials: materials.map((m) => ({ sha256: m.sha256, sm3: m.sm3 })),
      citation: CITATIONS.gpChallengeAnswer,
    });
    return toChallengeView(row, now);
  });
}

/** A lot's 质疑: its own for a supplier, all of them for the purchaser and its agency. */
export async function listChallengesOfLot(ctx: ComplaintsContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  const now = ctx.clock.now();
  const party = actor.roles.some((r) => r === 'initiator' || r === 'agency');
  if (!party) {
    const responder = requireResponder(actor);
    return (await store.listChallengesOfLot(ctx.db, lotId, responder.organizationId)).map((r) =>
      toChallengeView(r, now),
    );
  }
  await assertMayActForLot(ctx.db, actor, lotId, now);
  return (await store.listChallengesOfLot(ctx.db, lotId, null)).map((r) => toChallengeView(r, now));
}

export async function listMyChallenges(ctx: ComplaintsContext) {
  const actor = requireResponder(ctx.actor);
  const now = ctx.clock.now();
  return (await store.listChallengesOfOrganization(ctx.db, actor.organizationId)).map((r) =>
    toChallengeView(r, now),
  );
}

/** 质疑 addressed to the actor's organisation as purchaser or agency (答复 screen). */
export async function listChallengesToAnswer(ctx: ComplaintsContext) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return [];
  const now = ctx.clock.now();
  return (await store.listChallengesAddressedTo(ctx.db, actor.organizationId)).map((r) =>
    toChallengeView(r, now),
  );
}

/** The answer-due job: a 质疑 still unanswered after its 7 个工作日 is flagged (witnessed). Idempotent. */
export async function flagChallengeOverdue(db: Kysely<ComplaintsDb>, clock: Clock, challengeId: string) {
  const now = clock.now();
  await db.transaction().execute(async (tx) => {
    const row = await store.lockChallenge(tx, challengeId);
    if (!row || row.answered_at || row.overdue_flagged_at) return;
    if (now.getTime() <= row.answer_due_at.getTime()) return;
    await store.updateChallenge(tx, challengeId, { overdue_flagged_at: now });
    await witness(
      tx,
      now,
      SYSTEM_ORIGIN,
      CHALLENGE_WITNESS_TYPE,
      challengeId,
      'complaint-challenge.answer-overdue',
      {
        lotId: row.lot_id,
        answerDueAt: row.answer_due_at.toISOString(),
        citation: CITATIONS.gpChallengeAnswer,
      },
    );
  });
}
