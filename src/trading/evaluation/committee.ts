import { randomUUID } from 'node:crypto';
import { Forbidden, RuleViolation } from '../../platform/errors.ts';
import { findAccountById, listAccountsOfOrganization } from '../../platform/identity/index.ts';
import { yuanToFen } from '../../platform/money/index.ts';
import { type EvaluationContext, type Tx, witness } from './context.ts';
import { type DrawnCommittee, type LotSummary, readDrawnCommittee, readOpeningOutcome } from './deps.ts';
import { assertDeclaredMember, assertMember, assertOrganiser, requireEvaluation } from './policy.ts';
import { CITATIONS, type CompositionProblem, checkComposition, LATE_GRACE_MINUTES } from './rules.ts';
import * as store from './store.ts';

function compositionError(problems: CompositionProblem[]): RuleViolation {
  return new RuleViolation('COMMITTEE_COMPOSITION', {
    title: '评标委员会组成不符合规定',
    detail: `${problems.map((p) => p.message).join('；')}。`,
    citation: [...new Set(problems.map((p) => p.citation))].join('；'),
    extensions: { problems },
  });
}

async function drawnCommitteeOf(ctx: EvaluationContext, lotId: string): Promise<DrawnCommittee> {
  const drawn = await readDrawnCommittee({ db: ctx.db, sealer: ctx.deps.sealer }, lotId);
  if (!drawn?.revealed) {
    throw new RuleViolation('DRAW_NOT_REVEALED', {
      title: '评标专家名单尚未揭晓',
      detail: '评标专家随机抽取后、评标开始时名单揭晓，方可组建评标委员会。',
      citation: '《中华人民共和国招标投标法》第三十七条第五款',
    });
  }
  return drawn;
}

/** The initiator's accounts named as its representatives (招标人代表); checked one by one. */
async function representativesOf(ctx: EvaluationContext, lot: LotSummary, accountIds: string[]) {
  if (new Set(accountIds).size !== accountIds.length) {
    throw new RuleViolation('REPRESENTATIVE_DUPLICATE', { title: '招标人代表重复' });
  }
  const out = [];
  for (const id of accountIds) {
    const account = await findAccountById(ctx.db, id);
    if (account?.status !== 'active' || account.organizationId !== lot.initiatorOrganizationId) {
      throw new RuleViolation('REPRESENTATIVE_NOT_OF_INITIATOR', {
        title: '招标人代表须为招标人（采购人）本单位人员',
        detail: '所选账号不是招标人（采购人）本单位的有效账号。',
        citation: CITATIONS.composition,
      });
    }
    out.push(account);
  }
  return out;
}

/** The composition the organiser is about to form, checked without forming it (the page shows the messages). */
export async function checkCommittee(
  ctx: EvaluationContext,
  lotId: string,
  representativeAccountIds: string[],
) {
  const lot = await assertOrganiser(ctx, lotId);
  const evaluation = await requireEvaluation(ctx, lotId);
  const drawn = await readDrawnCommittee({ db: ctx.db, sealer: ctx.deps.sealer }, lotId);
  const experts = drawn?.revealed ? drawn.members.length : 0;
  return {
    experts,
    representatives: representativeAccountIds.length,
    revealed: drawn?.revealed ?? false,
    problems: checkComposition({
      law: evaluation.law,
      experts,
      representatives: representativeAccountIds.length,
      estimateFen: yuanToFen(lot.estimateYuan),
    }),
  };
}

/** Accounts of the initiator's organisation that may be named its representatives. */
export async function listRepresentativeCandidates(ctx: EvaluationContext, lotId: string) {
  const lot = await assertOrganiser(ctx, lotId);
  const accounts = await listAccountsOfOrganization(ctx.db, lot.initiatorOrganizationId);
  return accounts
    .filter((a) => a.status === 'active')
    .map((a) => ({ accountId: a.id, displayName: a.displayName, username: a.username }));
}

/**
 * 组建评标委员会: the drawn experts (confirmed, revealed at the evaluation's start) and the initiator's
 * representatives, checked against 招标投标法第三十七条 and, for GP, 87号令第四十七条.
 */
export async function formCommittee(
  ctx: EvaluationContext,
  lotId: string,
  representativeAccountIds: string[],
) {
  const lot = await assertOrganiser(ctx, lotId);
  const evaluation = await requireEvaluation(ctx, lotId);
  if (evaluation.status !== 'planned') {
    throw new RuleViolation('COMMITTEE_ALREADY_FORMED', { title: '评标委员会已组建' });
  }
  const opening = await readOpeningOutcome(ctx.db, lotId);
  if (!opening || (opening.state !== 'published' && opening.state !== 'closed')) {
    throw new RuleViolation('OPENING_NOT_DONE', {
      title: opening?.state === 'failed' ? '开标时已流标，不进行评标' : '开标记录尚未公布',
      detail: '评标在开标记录公布后进行。',
      citation: '《中华人民共和国招标投标法》第三十四条',
    });
  }
  const drawn = await drawnCommitteeOf(ctx, lotId);
  const reps = await representativesOf(ctx, lot, representativeAccountIds);
  if (drawn.members.some((m) => m.accountId && representativeAccountIds.includes(m.accountId))) {
    throw new RuleViolation('REPRESENTATIVE_IS_EXPERT', { title: '同一人不能既是评标专家又是招标人代表' });
  }
  const problems = checkComposition({
    law: evaluation.law,
    experts: drawn.members.length,
    representatives: reps.length,
    estimateFen: yuanToFen(lot.estimateYuan),
  });
  if (problems.length > 0) throw compositionError(problems);
  const hostVenue = drawn.venues.find((v) => v.role === 'host')?.name ?? '主场';
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEvaluation(tx, lotId);
    if (current?.status !== 'planned') {
      throw new RuleViolation('COMMITTEE_ALREADY_FORMED', { title: '评标委员会已组建' });
    }
    const rows = [
      ...drawn.members.map((m, i) => ({
        id: randomUUID(),
        lot_id: lotId,
        seq: i + 1,
        kind: 'expert' as const,
        expert_id: m.expertId,
        assignment_id: m.assignmentId,
        account_id: m.accountId,
        name: m.name,
        venue_role: m.venueRole,
        venue_name: m.venueName,
        specialty_code: m.specialtyCode,
      })),
      ...reps.map((a, i) => ({
        id: randomUUID(),
        lot_id: lotId,
        seq: drawn.members.length + i + 1,
        kind: 'initiator-representative' as const,
        expert_id: null,
        assignment_id: null,
        account_id: a.id,
        name: a.displayName,
        venue_role: 'host' as const,
        venue_name: hostVenue,
        specialty_code: null,
      })),
    ].map((r) => ({
      ...r,
      status: 'active' as const,
      replaced_reason: null,
      joined_at: now,
      signed_in_at: null,
      late: false,
      declared_at: null,
      chair_vote_for: null,
      chair_voted_at: null,
      left_at: null,
      left_reason: null,
    }));
    await store.insertMembers(tx, rows);
    await store.updateEvaluation(tx, lotId, {
      status: 'committee',
      draw_id: drawn.drawId,
      evaluation_starts_at: drawn.evaluationStartsAt,
      evaluation_ends_at: drawn.evaluationEndsAt,
      opening_record_sm3: opening.recordSm3,
      committee_formed_at: now,
      updated_at: now,
    });
    // Names stay out of the public log until the result (87号令第四十七条 评审专家名单在评标结果确定前应当保密).
    await witness(tx, now, ctx.origin, lotId, 'evaluation.committee-formed', {
      drawId: drawn.drawId,
      experts: drawn.members.length,
      representatives: reps.length,
      members: rows.map((r) => ({ memberId: r.id, seq: r.seq, kind: r.kind })),
    });
    return { members: rows.length };
  });
}

/**
 * 更换: an expert who declared a conflict through the draw (实施条例第四十八条) leaves the committee — what
 * that member assessed is void — and the confirmed replacement joins. Safe to run any time.
 */
export async function syncCommittee(ctx: EvaluationContext, lotId: string) {
  await assertOrganiser(ctx, lotId);
  const evaluation = await requireEvaluation(ctx, lotId);
  if (evaluation.status !== 'committee') {
    throw new RuleViolation('COMMITTEE_NOT_CHANGEABLE', {
      title: '当前不能调整评标委员会',
      detail: '评标委员会组建后、汇总前可以按抽取结果更换成员。',
    });
  }
  const drawn = await drawnCommitteeOf(ctx, lotId);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEvaluation(tx, lotId);
    if (current?.status !== 'committee')
      throw new RuleViolation('COMMITTEE_NOT_CHANGEABLE', { title: '当前不能调整评标委员会' });
    const members = await store.listMembers(tx, lotId);
    const confirmed = new Set(drawn.members.map((m) => m.assignmentId));
    const replacedStatus = new Map(drawn.replaced.map((r) => [r.assignmentId, r.status]));
    let left = 0;
    let chairCleared = false;
    for (const m of members) {
      if (m.status !== 'active' || m.kind !== 'expert' || !m.assignment_id) continue;
      if (confirmed.has(m.assignment_id)) continue;
      const why = replacedStatus.get(m.assignment_id) === 'conflict' ? '申报回避' : '不再参加评标';
      await store.updateMember(tx, m.id, { status: 'replaced', replaced_reason: why });
      if (current.chair_member_id === m.id) chairCleared = true;
      left += 1;
      await witness(tx, now, ctx.origin, lotId, 'evaluation.member-replaced', {
        memberId: m.id,
        seq: m.seq,
        reason: why,
        citation: CITATIONS.replacement,
      });
    }
    if (chairCleared) await clearChair(tx, lotId, members);
    const known = new Set(members.map((m) => m.assignment_id).filter((a): a is string => a !== null));
    let seq = await store.maxMemberSeq(tx, lotId);
    let joined = 0;
    for (const m of drawn.members) {
      if (known.has(m.assignmentId)) continue;
      seq += 1;
      joined += 1;
      const id = randomUUID();
      await store.insertMembers(tx, [
        {
          id,
          lot_id: lotId,
          seq,
          kind: 'expert',
          expert_id: m.expertId,
          assignment_id: m.assignmentId,
          account_id: m.accountId,
          name: m.name,
          venue_role: m.venueRole,
          venue_name: m.venueName,
          specialty_code: m.specialtyCode,
          status: 'active',
          replaced_reason: null,
          joined_at: now,
          signed_in_at: null,
          late: false,
          declared_at: null,
          chair_vote_for: null,
          chair_voted_at: null,
          left_at: null,
          left_reason: null,
        },
      ]);
      await witness(tx, now, ctx.origin, lotId, 'evaluation.member-joined', { memberId: id, seq });
    }
    if (left > 0 || joined > 0) {
      await store.updateEvaluation(tx, lotId, {
        updated_at: now,
        ...(chairCleared ? { chair_member_id: null } : {}),
      });
    }
    return { left, joined };
  });
}

async function clearChair(tx: Tx, lotId: string, members: store.MemberRow[]) {
  for (const m of members) {
    if (m.chair_vote_for) await store.updateMember(tx, m.id, { chair_vote_for: null, chair_voted_at: null });
  }
  await store.updateEvaluation(tx, lotId, { chair_member_id: null });
}

function assertEvaluating(evaluation: store.EvaluationRow) {
  if (evaluation.status !== 'committee') {
    throw new RuleViolation('EVALUATION_NOT_IN_PROGRESS', {
      title: '评标不在进行中',
      detail: '该事项在评标委员会组建后、评审结果汇总前办理。',
    });
  }
}

/** 签到: from the host venue (主场) or an away venue (副场); late when past the start's grace. */
export async function signIn(ctx: EvaluationContext, lotId: string) {
  const { evaluation, member } = await assertMember(ctx, lotId);
  assertEvaluating(evaluation);
  if (member.signed_in_at) throw new RuleViolation('ALREADY_SIGNED_IN', { title: '您已签到' });
  const now = ctx.clock.now();
  const startsAt = evaluation.evaluation_starts_at ?? now;
  const late = now.getTime() > startsAt.getTime() + LATE_GRACE_MINUTES * 60_000;
  await ctx.db.transaction().execute(async (tx) => {
    await store.updateMember(tx, member.id, { signed_in_at: now, late });
    await witness(tx, now, ctx.origin, lotId, 'evaluation.member-signed-in', {
      memberId: member.id,
      venueRole: member.venue_role,
      venueName: member.venue_name,
      late,
    });
  });
  return { signedInAt: now, late, venueRole: member.venue_role, venueName: member.venue_name };
}

/** 回避声明: after seeing the bidders, the member declares no conflict (a conflict goes through the draw). */
export async function declareNoConflict(ctx: EvaluationContext, lotId: string) {
  const { evaluation, member } = await assertMember(ctx, lotId);
  assertEvaluating(evaluation);
  if (!member.signed_in_at) {
    throw new RuleViolation('SIGN_IN_REQUIRED', {
      title: '请先签到',
      detail: '签到后查看投标人名单，再签署回避声明。',
    });
  }
  if (member.declared_at) throw new RuleViolation('ALREADY_DECLARED', { title: '您已签署回避声明' });
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await store.updateMember(tx, member.id, { declared_at: now });
    await witness(tx, now, ctx.origin, lotId, 'evaluation.member-declared', { memberId: member.id });
  });
  return { declaredAt: now };
}

/**
 * 推选组长: each member votes; a candidate with the votes of more than half of the active members is the
 * chair. GP: the purchaser's representative may not be the chair (87号令第四十五条).
 */
export async function voteChair(ctx: EvaluationContext, lotId: string, candidateId: string) {
  const { evaluation, member } = await assertDeclaredMember(ctx, lotId);
  assertEvaluating(evaluation);
  if (evaluation.chair_member_id)
    throw new RuleViolation('CHAIR_ALREADY_ELECTED', { title: '组长已推选产生' });
  const members = await store.listMembers(ctx.db, lotId);
  const candidate = members.find((m) => m.id === candidateId && m.status === 'active');
  if (!candidate)
    throw new RuleViolation('CHAIR_CANDIDATE_UNKNOWN', { title: '被推选人不是本委员会在任成员' });
  if (evaluation.law === 'gp' && candidate.kind === 'initiator-representative') {
    throw new Forbidden('CHAIR_REPRESENTATIVE_NOT_ALLOWED', {
      title: '采购人代表不得担任评标委员会组长',
      citation: CITATIONS.gpChair,
    });
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEvaluation(tx, lotId);
    if (current?.status !== 'committee' || current.chair_member_id) {
      throw new RuleViolation('CHAIR_ALREADY_ELECTED', { title: '组长已推选产生' });
    }
    await store.updateMember(tx, member.id, { chair_vote_for: candidateId, chair_voted_at: now });
    const after = (await store.listMembers(tx, lotId)).filter((m) => m.status === 'active');
    const votes = after.filter((m) => m.chair_vote_for === candidateId).length;
    await witness(tx, now, ctx.origin, lotId, 'evaluation.chair-vote', { memberId: member.id, candidateId });
    const elected = votes * 2 > after.length;
    if (elected) {
      await store.updateEvaluation(tx, lotId, { chair_member_id: candidateId, updated_at: now });
      await witness(tx, now, ctx.origin, lotId, 'evaluation.chair-elected', {
        memberId: candidateId,
        votes,
        members: after.length,
      });
    }
    return { votes, members: after.length, elected, chairMemberId: elected ? candidateId : null };
  });
}

/** 离席: a member leaving before the report is signed is recorded (early leave, §40 考核). */
export async function leaveEvaluation(ctx: EvaluationContext, lotId: string, reason: string) {
  const { member } = await assertMember(ctx, lotId);
  if (member.left_at) throw new RuleViolation('ALREADY_LEFT', { title: '已记录离席' });
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await store.updateMember(tx, member.id, { left_at: now, left_reason: reason });
    await witness(tx, now, ctx.origin, lotId, 'evaluation.member-left', { memberId: member.id, reason });
  });
  return { leftAt: now };
}

export { assertEvaluating };
