import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { fromBase64Url, sm3Hex } from '../../platform/crypto/index.ts';
import { AppError, Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { canonicalJson, SYSTEM_ORIGIN, type WitnessOrigin } from '../../platform/witness/index.ts';
import {
  type EvaluationContext,
  type EvaluationDeps,
  REPORT_COMPLETED_JOB,
  REPORT_WINDOW_END_JOB,
  type ReadDb,
  type Tx,
  witness,
} from './context.ts';
import {
  assertLotNotSuspended,
  findBoundCertificatesOfAccount,
  findLot,
  parseCertificateDer,
  parseCertificates,
  recordExpertPerformance,
  verifyDetached,
} from './deps.ts';
import { type PdfBlock, renderPdf } from './pdf.ts';
import { assertChair, assertMember, assertOrganiser, isSupervisor, requireEvaluation } from './policy.ts';
import {
  AFTER_AGGREGATION_GROUNDS,
  CITATIONS,
  CORRECTION_RULES,
  centiText,
  METHOD_NAMES_ZH,
  REJECTION_GROUNDS,
  REPORT_SIGNING_MINUTES,
  STEP_NAMES_ZH,
  scoreDeviations,
} from './rules.ts';
import type { AggregationSnapshot } from './scoring.ts';
import { type EvaluationState, loadState } from './state.ts';
import * as store from './store.ts';
import type { MemberKind, PlanCriterion, SignatureKind } from './tables.ts';

export const REPORT_FORMAT = 'ggzy-evaluation-report/v1';
export const REPORT_SIGN_FORMAT = 'ggzy-evaluation-report-sign/v1';

/** What a member signs: domain, lot and the report's SM3, one per line (the browser signs the same text). */
export function reportSigningText(lotId: string, reportSm3: string): string {
  return `${REPORT_SIGN_FORMAT}\n${lotId}\n${reportSm3}`;
}

export const MEMBER_KIND_NAMES_ZH: Record<MemberKind, string> = {
  expert: '评标专家',
  'initiator-representative': '招标人（采购人）代表',
};

export const SIGNATURE_KIND_NAMES_ZH: Record<SignatureKind, string> = {
  signed: '同意并签署',
  dissent: '签署（持不同意见）',
  refused: '拒绝签署（已书面说明理由）',
  'deemed-agreed': '未签署且未说明理由，视为同意',
};

/** 评标报告 (实施条例第五十三条; 87号令第五十八条): everything the committee did, from the record. */
export interface ReportContent {
  format: typeof REPORT_FORMAT;
  lot: {
    id: string;
    code: string;
    name: string;
    projectName: string;
    projectCode: string;
    procedureType: string;
  };
  law: 'works' | 'gp';
  method: string;
  methodNameZh: string;
  planSm3: string;
  openingRecordSm3: string | null;
  criteria: PlanCriterion[];
  priceWeight: number | null;
  committee: {
    memberId: string;
    seq: number;
    name: string;
    kind: MemberKind;
    isChair: boolean;
    venueRole: 'host' | 'away';
    venueName: string;
    signedInAt: string | null;
    late: boolean;
    declaredAt: string | null;
  }[];
  replacedMembers: { memberId: string; seq: number; name: string; reason: string | null }[];
  sheets: { memberId: string; step: string; sheetSm3: string; submittedAt: string }[];
  /** Every score of every active member: [bidId, criterionId, 'pass' | 'fail' | points, reason]. */
  scores: { memberId: string; items: [string, string, string, string | null][] }[];
  priceCorrections: {
    bidId: string;
    originalYuan: string;
    correctedYuan: string;
    rule: string;
    reason: string;
  }[];
  rejections: { bidId: string; ground: string; groundNameZh: string; reason: string }[];
  adjustments: {
    memberId: string;
    bidId: string;
    criterionId: string;
    ground: string;
    groundNameZh: string;
    reason: string;
    from: string | null;
    to: string | null;
    recordedBy: string;
    recordedAt: string;
  }[];
  clarifications: {
    bidId: string;
    kind: string;
    question: string;
    answer: string | null;
    answeredAt: string | null;
  }[];
  bidders: AggregationSnapshot['bidders'];
  candidates: {
    rank: number;
    bidId: string;
    bidderName: string;
    creditCode: string;
    priceYuan: string;
    score: string | null;
  }[];
  outcome: 'candidates' | 'failed';
  failedReason: string | null;
  generatedAt: string;
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export async function buildReportContent(
  db: ReadDb,
  state: EvaluationState,
  at: Date,
): Promise<ReportContent> {
  const { evaluation } = state;
  const snapshot = evaluation.aggregation as AggregationSnapshot | null;
  if (!snapshot) throw new Error('report before aggregation');
  const lot = await findLot(db, evaluation.lot_id);
  const activeIds = new Set(state.active.map((m) => m.id));
  const grounds = REJECTION_GROUNDS[state.law];
  const byBid = new Map(snapshot.bidders.map((b) => [b.bidId, b]));
  const scoresByMember = new Map<string, [string, string, string, string | null][]>();
  for (const s of state.scores) {
    if (!activeIds.has(s.member_id)) continue;
    const list = scoresByMember.get(s.member_id) ?? [];
    const value = s.passed === null ? centiText(s.score_centi ?? 0) : s.passed ? 'pass' : 'fail';
    list.push([s.bid_id, s.criterion_id, value, s.reason]);
    scoresByMember.set(s.member_id, list);
  }
  const adjustments = await store.listAdjustments(db, evaluation.lot_id);
  return {
    format: REPORT_FORMAT,
    lot: {
      id: evaluation.lot_id,
      code: lot?.code ?? '',
      name: lot?.name ?? '',
      projectName: lot?.projectName ?? '',
      projectCode: lot?.projectCode ?? '',
      procedureType: evaluation.procedure_type,
    },
    law: state.law,
    method: evaluation.method,
    methodNameZh: METHOD_NAMES_ZH[evaluation.method],
    planSm3: evaluation.plan_sm3,
    openingRecordSm3: evaluation.opening_record_sm3,
    criteria: state.plan.criteria,
    priceWeight: state.plan.priceWeight,
    committee: state.active.map((m) => ({
      memberId: m.id,
      seq: m.seq,
      name: m.name,
      kind: m.kind,
      isChair: evaluation.chair_member_id === m.id,
      venueRole: m.venue_role,
      venueName: m.venue_name,
      signedInAt: iso(m.signed_in_at),
      late: m.late,
      declaredAt: iso(m.declared_at),
    })),
    replacedMembers: state.members
      .filter((m) => m.status === 'replaced')
      .map((m) => ({ memberId: m.id, seq: m.seq, name: m.name, reason: m.replaced_reason })),
    sheets: state.sheets
      .filter((s) => activeIds.has(s.member_id))
      .map((s) => ({
        memberId: s.member_id,
        step: s.step,
        sheetSm3: s.sheet_sm3,
        submittedAt: s.submitted_at.toISOString(),
      }))
      .sort((a, b) => a.memberId.localeCompare(b.memberId) || a.step.localeCompare(b.step)),
    scores: state.active.map((m) => ({
      memberId: m.id,
      items: (scoresByMember.get(m.id) ?? []).sort(
        (a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]),
      ),
    })),
    priceCorrections: state.corrections.map((c) => ({
      bidId: c.bid_id,
      originalYuan: c.original_yuan,
      correctedYuan: c.corrected_yuan,
      rule: c.rule,
      reason: c.reason,
    })),
    rejections: snapshot.bidders
      .filter((b) => b.rejected)
      .map((b) => ({
        bidId: b.bidId,
        ground: b.rejectionGround ?? '',
        groundNameZh: grounds[b.rejectionGround ?? ''] ?? b.rejectionGround ?? '',
        reason: b.rejectionReason ?? '',
      })),
    adjustments: adjustments.map((a) => ({
      memberId: a.member_id,
      bidId: a.bid_id,
      criterionId: a.criterion_id,
      ground: a.ground,
      groundNameZh: AFTER_AGGREGATION_GROUNDS[a.ground] ?? a.ground,
      reason: a.reason,
      from:
        a.old_centi !== null ? centiText(a.old_centi) : a.old_passed === null ? null : String(a.old_passed),
      to: a.new_centi !== null ? centiText(a.new_centi) : a.new_passed === null ? null : String(a.new_passed),
      recordedBy: a.recorded_by_name,
      recordedAt: a.recorded_at.toISOString(),
    })),
    clarifications: state.clarifications.map((c) => ({
      bidId: c.bid_id,
      kind: c.kind,
      question: c.question,
      answer: c.answer,
      answeredAt: iso(c.answered_at),
    })),
    bidders: snapshot.bidders,
    candidates: snapshot.candidates.map((bidId, i) => {
      const b = byBid.get(bidId);
      return {
        rank: i + 1,
        bidId,
        bidderName: b?.bidderName ?? '',
        creditCode: b?.creditCode ?? '',
        priceYuan: b?.priceYuan ?? '0.00',
        score: b?.score ?? null,
      };
    }),
    outcome: snapshot.failed ? 'failed' : 'candidates',
    failedReason: snapshot.failedReason,
    generatedAt: at.toISOString(),
  };
}

/** The report's canonical JSON and its SM3 (what every member signs). */
export function reportDigest(content: ReportContent): { json: string; sm3: string } {
  const json = canonicalJson(content);
  return { json, sm3: sm3Hex(json) };
}

/** 生成评标报告 (chair): from the aggregated record; members then sign within the window. */
export async function generateReport(ctx: EvaluationContext, lotId: string) {
  const { actor, evaluation } = await assertChair(ctx, lotId);
  await assertLotNotSuspended(ctx.db, lotId, ctx.clock.now());
  if (evaluation.status !== 'aggregated') {
    throw new RuleViolation('REPORT_NOT_READY', {
      title: evaluation.status === 'committee' ? '评审结果尚未汇总' : '评标报告已生成',
    });
  }
  const now = ctx.clock.now();
  const signingUntil = new Date(now.getTime() + REPORT_SIGNING_MINUTES * 60_000);
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEvaluation(tx, lotId);
    if (current?.status !== 'aggregated')
      throw new RuleViolation('REPORT_NOT_READY', { title: '评标报告已生成' });
    const state = await loadState(tx, current);
    const content = await buildReportContent(tx, state, now);
    const { json, sm3 } = reportDigest(content);
    const id = randomUUID();
    await store.insertReport(tx, {
      id,
      lot_id: lotId,
      content: json,
      sm3,
      generated_at: now,
      generated_by: actor.accountId,
      signing_until: signingUntil,
      completed_at: null,
      pdf_sha256: null,
      pdf_sm3: null,
      pdf_size: null,
    });
    await store.updateEvaluation(tx, lotId, { status: 'reporting', updated_at: now });
    await enqueueJob(tx, {
      type: REPORT_WINDOW_END_JOB,
      payload: { lotId },
      runAt: signingUntil,
      dedupeKey: `${REPORT_WINDOW_END_JOB}:${lotId}`,
    });
    await witness(tx, now, ctx.origin, lotId, 'evaluation.report-generated', {
      reportId: id,
      reportSm3: sm3,
      signingUntil: signingUntil.toISOString(),
    });
    return { reportId: id, reportSm3: sm3, signingUntil };
  });
}

/**
 * 签署评标报告: an SM2 signature over the report's SM3 by the member's bound signing certificate (checked
 * against the trust store now), optionally with the member's dissent; or a refusal with a written reason.
 */
export async function signReport(
  ctx: EvaluationContext,
  lotId: string,
  input: {
    decision: 'sign' | 'dissent' | 'refuse';
    signature?: string | undefined;
    text?: string | undefined;
  },
) {
  const { actor, evaluation, member } = await assertMember(ctx, lotId);
  const report = await store.findReport(ctx.db, lotId);
  if (evaluation.status !== 'reporting' || !report) {
    throw new RuleViolation('REPORT_NOT_SIGNABLE', { title: '当前没有待签署的评标报告' });
  }
  const now = ctx.clock.now();
  if (now.getTime() >= report.signing_until.getTime()) {
    throw new RuleViolation('REPORT_WINDOW_CLOSED', {
      title: '签署时间已截止',
      detail: '截止时未签署也未书面说明理由的，视为同意评标结果。',
      citation: CITATIONS.report,
    });
  }
  const text = input.text?.trim() || null;
  if ((input.decision === 'dissent' || input.decision === 'refuse') && !text) {
    throw new InvalidInput('REASON_REQUIRED', {
      title: input.decision === 'dissent' ? '请写明不同意见及理由' : '拒绝签署须书面说明理由',
      citation: CITATIONS.report,
    });
  }
  let fingerprint: string | null = null;
  let signature: string | null = null;
  if (input.decision !== 'refuse') {
    if (!input.signature) {
      throw new InvalidInput('SIGNATURE_REQUIRED', { title: '请用签名证书签署评标报告' });
    }
    fingerprint = await verifyMemberSignature(ctx.deps, actor.accountId, lotId, report.sm3, input.signature);
    signature = input.signature;
  }
  const kind: SignatureKind =
    input.decision === 'sign' ? 'signed' : input.decision === 'dissent' ? 'dissent' : 'refused';
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEvaluation(tx, lotId);
    if (current?.status !== 'reporting')
      throw new RuleViolation('REPORT_NOT_SIGNABLE', { title: '当前没有待签署的评标报告' });
    const inserted = await store.insertSignature(tx, {
      report_id: report.id,
      member_id: member.id,
      kind,
      signature,
      certificate_fingerprint: fingerprint,
      text,
      signed_at: now,
    });
    if (!inserted) throw new RuleViolation('ALREADY_SIGNED', { title: '您已签署（或已说明拒签理由）' });
    await witness(tx, now, ctx.origin, lotId, 'evaluation.report-signed', {
      reportId: report.id,
      reportSm3: report.sm3,
      memberId: member.id,
      kind,
      certificateFingerprint: fingerprint,
      text,
    });
  });
  await finalizeReport(ctx.deps, lotId, { force: false, origin: ctx.origin });
  return { kind, reportSm3: report.sm3 };
}

async function verifyMemberSignature(
  deps: EvaluationDeps,
  accountId: string,
  lotId: string,
  reportSm3: string,
  signatureText: string,
): Promise<string> {
  const signature = fromBase64Url(signatureText);
  if (!signature || signature.length > 128) {
    throw new InvalidInput('SIGNATURE_MALFORMED', {
      title: '签名格式错误',
      detail: '签名应为 base64url 编码的 DER。',
    });
  }
  const bound = await findBoundCertificatesOfAccount(deps.db, accountId);
  if (!bound) {
    throw new Forbidden('NO_BOUND_CERTIFICATE', {
      title: '账号未绑定签名证书',
      detail: '请先在“证书管理”中绑定本人的 SM2 签名证书。',
    });
  }
  const cert = parseCertificateDer(bound.signCertificateDer);
  const message = new TextEncoder().encode(reportSigningText(lotId, reportSm3));
  if (!verifyDetached(cert, message, signature)) {
    throw new Forbidden('SIGNATURE_INVALID', {
      title: '签名验证失败',
      detail: '签名不是由本人已绑定的签名证书对本评标报告的 SM3 作出的。',
      citation: CITATIONS.report,
    });
  }
  try {
    await deps.certs.trust.validate(cert, {
      purpose: 'signing',
      intermediates: bound.chainPem ? parseCertificates(bound.chainPem) : [],
    });
  } catch (error) {
    if (error instanceof AppError) {
      throw new Forbidden('CERTIFICATE_NOT_VALID', {
        title: '签名证书当前无效',
        detail: `签名证书已过期、被吊销或不受信任：${error.message.slice(0, 200)}`,
      });
    }
    throw error;
  }
  return bound.signFingerprint;
}

/** The PDF's blocks: the report as people read it, with the signatures and dissent. */
export function reportPdfBlocks(
  content: ReportContent,
  reportSm3: string,
  signatures: {
    memberId: string;
    kind: SignatureKind;
    text: string | null;
    at: Date;
    fingerprint: string | null;
  }[],
): PdfBlock[] {
  const names = new Map(content.committee.map((m) => [m.memberId, m.name]));
  const criteria = new Map(content.criteria.map((c) => [c.id, c.name]));
  const bidName = new Map(content.bidders.map((b) => [b.bidId, b.bidderName]));
  const when = (s: string | null) => (s ? formatShanghaiTime(new Date(s)) : '—');
  const blocks: PdfBlock[] = [
    { kind: 'title', text: '评 标 报 告' },
    {
      kind: 'paragraph',
      text: `项目：${content.lot.projectName}（${content.lot.projectCode}）\n标段（包）：${content.lot.name}（${content.lot.code}）\n评标办法：${content.methodNameZh}；评标办法 SM3：${content.planSm3}\n开标记录 SM3：${content.openingRecordSm3 ?? '—'}\n报告生成时间：${when(content.generatedAt)}`,
    },
    { kind: 'heading', text: '一、评标委员会成员' },
    {
      kind: 'table',
      columns: [
        { title: '序号', width: 30 },
        { title: '姓名', width: 80 },
        { title: '身份', width: 110 },
        { title: '职务', width: 40 },
        { title: '评标地点', width: 120 },
        { title: '签到时间', width: 119 },
      ],
      rows: content.committee.map((m) => [
        String(m.seq),
        m.name,
        MEMBER_KIND_NAMES_ZH[m.kind],
        m.isChair ? '组长' : '成员',
        `${m.venueRole === 'host' ? '主场' : '副场'} ${m.venueName}`,
        `${when(m.signedInAt)}${m.late ? '（迟到）' : ''}`,
      ]),
    },
  ];
  if (content.replacedMembers.length > 0) {
    blocks.push({
      kind: 'paragraph',
      text: `更换的成员（其评审结论无效，${CITATIONS.replacement}）：${content.replacedMembers.map((m) => `${m.name}（${m.reason ?? ''}）`).join('、')}`,
    });
  }
  blocks.push({ kind: 'heading', text: '二、评审因素' });
  blocks.push({
    kind: 'table',
    columns: [
      { title: '步骤', width: 70 },
      { title: '评审因素', width: 260 },
      { title: '方式', width: 60 },
      { title: '分值', width: 109 },
    ],
    rows: [
      ...content.criteria.map((c) => [
        STEP_NAMES_ZH[c.step],
        c.name,
        c.kind === 'pass-fail' ? '合格制' : c.objective ? '客观分' : '主观分',
        c.kind === 'pass-fail' ? '—' : `${c.min}～${c.max}`,
      ]),
      ...(content.priceWeight !== null
        ? [
            [
              '价格评分',
              '价格分（低价优先法：评标基准价/投标报价×价格分值）',
              '平台计算',
              String(content.priceWeight),
            ],
          ]
        : []),
    ],
  });
  blocks.push({ kind: 'heading', text: '三、评审结果汇总' });
  const memberIds = content.committee.map((m) => m.memberId);
  blocks.push({
    kind: 'table',
    columns: [
      { title: '序号', width: 28 },
      { title: '投标人', width: 110 },
      { title: '报价（元）', width: 70 },
      ...(content.priceWeight !== null ? [{ title: '价格分', width: 40 }] : []),
      ...memberIds.map((_, i) => ({ title: `成员${i + 1}`, width: 36 })),
      { title: '得分', width: 40 },
      { title: '排名', width: 30 },
      { title: '结论', width: 60 },
    ],
    rows: content.bidders.map((b) => {
      const totals = new Map(b.memberTotals.map((t) => [t.memberId, t.score]));
      return [
        String(b.seq),
        b.bidderName,
        `${b.priceYuan ?? '—'}${b.priceYuan !== b.openedPriceYuan ? `（修正前 ${b.openedPriceYuan ?? '—'}）` : ''}`,
        ...(content.priceWeight !== null ? [b.priceScore ?? '—'] : []),
        ...memberIds.map((id) => totals.get(id) ?? '—'),
        b.score ?? '—',
        b.rank === null ? '—' : String(b.rank),
        b.rejected ? '否决/无效' : b.abnormallyLow ? '异常低价（已说明）' : '通过',
      ];
    }),
  });
  blocks.push({
    kind: 'paragraph',
    size: 8,
    text: `成员逐项评分见评标报告数据（${REPORT_FORMAT}，SM3 ${reportSm3}）；成员编号按第一部分序号。`,
  });
  blocks.push({ kind: 'heading', text: '四、否决投标（投标无效）情况' });
  blocks.push(
    content.rejections.length === 0
      ? { kind: 'paragraph', text: '无。' }
      : {
          kind: 'table',
          columns: [
            { title: '投标人', width: 140 },
            { title: '法定情形', width: 180 },
            { title: '理由', width: 179 },
          ],
          rows: content.rejections.map((r) => [bidName.get(r.bidId) ?? r.bidId, r.groundNameZh, r.reason]),
        },
  );
  blocks.push({ kind: 'heading', text: '五、算术修正、澄清和汇总后更正' });
  const notes: string[] = [];
  for (const c of content.priceCorrections) {
    const rule = CORRECTION_RULES.find((r) => r.code === c.rule)?.nameZh ?? c.rule;
    notes.push(
      `${bidName.get(c.bidId) ?? c.bidId}：报价由 ${c.originalYuan} 元修正为 ${c.correctedYuan} 元（${rule}；${c.reason}）。`,
    );
  }
  for (const c of content.clarifications) {
    notes.push(
      `向${bidName.get(c.bidId) ?? c.bidId}提出澄清：${c.question} —— 答复：${c.answer ?? '（未答复）'}`,
    );
  }
  for (const a of content.adjustments) {
    notes.push(
      `${names.get(a.memberId) ?? a.memberId} 对 ${bidName.get(a.bidId) ?? a.bidId} 的“${criteria.get(a.criterionId) ?? a.criterionId}”由 ${a.from} 更正为 ${a.to}（${a.groundNameZh}；${a.reason}；记录人 ${a.recordedBy}）。`,
    );
  }
  blocks.push({ kind: 'paragraph', text: notes.length === 0 ? '无。' : notes.join('\n') });
  blocks.push({ kind: 'heading', text: '六、评标结论' });
  blocks.push({
    kind: 'paragraph',
    text:
      content.outcome === 'failed'
        ? `${content.failedReason ?? '流标'}`
        : `推荐中标候选人（按排序）：\n${content.candidates
            .map(
              (c) =>
                `第${c.rank}名：${c.bidderName}（${c.creditCode}），投标报价 ${c.priceYuan} 元${c.score ? `，得分 ${c.score}` : ''}`,
            )
            .join('\n')}`,
  });
  blocks.push({ kind: 'heading', text: '七、评标委员会成员签署' });
  blocks.push({
    kind: 'table',
    columns: [
      { title: '成员', width: 80 },
      { title: '签署情况', width: 150 },
      { title: '不同意见或理由', width: 170 },
      { title: '时间', width: 99 },
    ],
    rows: signatures.map((s) => [
      names.get(s.memberId) ?? s.memberId,
      `${SIGNATURE_KIND_NAMES_ZH[s.kind]}${s.fingerprint ? `\n证书 ${s.fingerprint.slice(0, 16)}…` : ''}`,
      s.text ?? '—',
      formatShanghaiTime(s.at),
    ]),
  });
  blocks.push({
    kind: 'paragraph',
    size: 8,
    text: `评标委员会成员拒绝在评标报告上签字且不陈述其不同意见和理由的，视为同意评标结果（${CITATIONS.report}）。`,
  });
  return blocks;
}

/**
 * 评标报告完成: when every member has answered — or, at the window's end, with the silent members recorded
 * as agreeing (实施条例第五十三条) — the PDF is rendered and archived, the evaluation is 'reported' and each
 * expert's behaviour is recorded (§40, §52). Idempotent: a second run finds the report complete.
 */
export async function finalizeReport(
  deps: EvaluationDeps,
  lotId: string,
  opts: { force: boolean; origin?: WitnessOrigin },
): Promise<boolean> {
  const evaluation = await store.findEvaluation(deps.db, lotId);
  const report = await store.findReport(deps.db, lotId);
  if (evaluation?.status !== 'reporting' || !report || report.completed_at) return false;
  const now = deps.clock.now();
  const state = await loadState(deps.db, evaluation);
  const answered = await store.listSignatures(deps.db, report.id);
  const answeredIds = new Set(answered.map((s) => s.member_id));
  const silent = state.active.filter((m) => !answeredIds.has(m.id));
  if (silent.length > 0 && !opts.force && now.getTime() < report.signing_until.getTime()) return false;
  const deemedAt = now.getTime() < report.signing_until.getTime() ? now : report.signing_until;
  const signatures = [
    ...answered.map((s) => ({
      memberId: s.member_id,
      kind: s.kind,
      text: s.text,
      at: s.signed_at,
      fingerprint: s.certificate_fingerprint,
    })),
    ...silent.map((m) => ({
      memberId: m.id,
      kind: 'deemed-agreed' as const,
      text: null,
      at: deemedAt,
      fingerprint: null,
    })),
  ];
  const content = report.content as ReportContent;
  const pdf = await renderReportPdf(content, report.sm3, signatures);
  const stored = await deps.blobs.put(Readable.from([pdf]), {
    maxBytes: 256 * 1024 * 1024,
    contentType: 'application/pdf',
    filename: `评标报告-${content.lot.code}.pdf`,
  });
  const origin = opts.origin ?? SYSTEM_ORIGIN;
  return deps.db.transaction().execute(async (tx) => {
    const current = await store.lockEvaluation(tx, lotId);
    if (current?.status !== 'reporting') return false;
    for (const m of silent) {
      const inserted = await store.insertSignature(tx, {
        report_id: report.id,
        member_id: m.id,
        kind: 'deemed-agreed',
        signature: null,
        certificate_fingerprint: null,
        text: null,
        signed_at: deemedAt,
      });
      // A member signed between the read and the lock: the PDF would not match — let the next run redo it.
      if (!inserted)
        throw new RuleViolation('REPORT_SIGNATURES_CHANGED', { title: '签署情况已变化，请重试' });
    }
    await store.updateReport(tx, report.id, {
      completed_at: now,
      pdf_sha256: stored.sha256,
      pdf_sm3: stored.sm3,
      pdf_size: stored.size,
    });
    await store.updateEvaluation(tx, lotId, { status: 'reported', updated_at: now });
    await recordPerformances(tx, state, now, origin);
    await enqueueJob(tx, {
      type: REPORT_COMPLETED_JOB,
      payload: { lotId },
      runAt: now,
      dedupeKey: `${REPORT_COMPLETED_JOB}:${lotId}`,
    });
    await witness(tx, now, origin, lotId, 'evaluation.reported', {
      reportId: report.id,
      reportSm3: report.sm3,
      pdfSha256: stored.sha256,
      pdfSm3: stored.sm3,
      deemedAgreed: silent.map((m) => m.id),
      outcome: evaluation.outcome,
    });
    return true;
  });
}

export function renderReportPdf(
  content: ReportContent,
  reportSm3: string,
  signatures: Parameters<typeof reportPdfBlocks>[2],
): Promise<Uint8Array> {
  return renderPdf({
    title: `评标报告 ${content.lot.code}`,
    footer: `${content.lot.code} 评标报告 SM3 ${reportSm3}`,
    blocks: reportPdfBlocks(content, reportSm3, signatures),
  });
}

/** 专家评标表现 (§40, §52): time spent, deviation ≥30% from the committee's median, late sign-in, early leave. */
async function recordPerformances(tx: Tx, state: EvaluationState, now: Date, origin: WitnessOrigin) {
  const snapshot = state.evaluation.aggregation as AggregationSnapshot | null;
  const deviations = snapshot
    ? scoreDeviations(
        snapshot.bidders.map((b) => ({
          bidId: b.bidId,
          rejection: null,
          priceFen: null,
          priceScoreCenti: null,
          memberTotals: b.memberTotals.map((t) => ({
            memberId: t.memberId,
            centi: Math.round(Number(t.score) * 100),
          })),
          scoreCenti: null,
          rank: null,
        })),
      )
    : new Map<string, string[]>();
  const names = new Map((snapshot?.bidders ?? []).map((b) => [b.bidId, b.bidderName]));
  for (const m of state.active) {
    if (m.kind !== 'expert' || !m.expert_id) continue;
    const end = m.left_at ?? now;
    const minutes = m.signed_in_at
      ? Math.max(0, Math.round((end.getTime() - m.signed_in_at.getTime()) / 60_000))
      : 0;
    const flags: string[] = [];
    if (!m.signed_in_at) flags.push('未签到');
    if (m.late) flags.push('迟到签到');
    if (m.left_at) flags.push(`提前离席（${m.left_reason ?? ''}）`);
    const deviated = deviations.get(m.id) ?? [];
    if (deviated.length > 0) {
      flags.push(`评分偏离委员会中位数30%以上：${deviated.map((b) => names.get(b) ?? b).join('、')}`);
    }
    await recordExpertPerformance(tx, {
      expertId: m.expert_id,
      title: '评标表现',
      detail: `评标用时 ${minutes} 分钟；${flags.length === 0 ? '按时签到，独立评审，无异常' : flags.join('；')}。`,
      result: flags.length === 0 ? '正常' : '需关注',
      lotId: state.evaluation.lot_id,
      at: now,
      origin,
    });
  }
}

/** The archived PDF for the parties (organiser, members) and supervisors. */
export async function openReportPdf(ctx: EvaluationContext, lotId: string) {
  await requireEvaluation(ctx, lotId);
  const isMember = ctx.actor
    ? await store.findActiveMemberOfAccount(ctx.db, lotId, ctx.actor.accountId)
    : undefined;
  if (!isMember && !isSupervisor(ctx.actor)) await assertOrganiser(ctx, lotId);
  const report = await store.findReport(ctx.db, lotId);
  if (!report?.pdf_sha256) {
    throw new NotFound('REPORT_PDF_NOT_READY', {
      title: '评标报告尚未签署完成',
      detail: '全体成员签署（或签署期满）后生成 PDF。',
    });
  }
  const lot = await findLot(ctx.db, lotId);
  return {
    stream: await ctx.deps.blobs.get(report.pdf_sha256),
    sha256: report.pdf_sha256,
    sm3: report.pdf_sm3,
    filename: `评标报告-${lot?.code ?? lotId}.pdf`,
  };
}
