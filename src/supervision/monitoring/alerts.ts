import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalJson, sm3Hex } from '../../platform/crypto/index.ts';
import { Forbidden, NotFound, RuleViolation, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import {
  CITATIONS,
  type MonitoringContext,
  type MonitoringDb,
  type ReadDb,
  type Tx,
  WITNESS,
} from './context.ts';
import {
  assertInScope,
  covers,
  listSupervisorScopes,
  requireSupervisorScope,
  type SupervisorScope,
} from './deps.ts';
import { CATEGORY_NAMES_ZH, findRule, LEVEL_NAMES_ZH, type RuleDefinition } from './rules.ts';
import type { AlertQuery, ConcludeInput, FeedbackInput, StepNoteInput } from './schemas.ts';
import * as store from './store.ts';
import type { AlertFinding, AlertSource, AlertStatus, SubjectType } from './tables.ts';

export const STATUS_NAMES_ZH: Record<AlertStatus, string> = {
  new: '待处理',
  acknowledged: '已签收',
  investigating: '核查中',
  concluded: '已办结',
  'fed-back': '已反馈交易中心',
};

export const FINDING_NAMES_ZH: Record<AlertFinding, string> = { founded: '属实', unfounded: '不属实' };

export const SUBJECT_NAMES_ZH: Record<SubjectType, string> = {
  lot: '标段（包）',
  organization: '市场主体',
  expert: '评标专家',
};

export const SOURCE_NAMES_ZH: Record<AlertSource, string> = {
  incremental: '数据入库即时计算',
  rerun: '全量重算',
  cardinal: 'Cardinal 全平台计算',
};

/** A finding ready to be raised under the rule version in force. */
export interface AlertDraft {
  rule: RuleDefinition;
  version: store.RuleVersionRow;
  subjectType: SubjectType;
  subjectId: string;
  subjectLabel: string;
  /** With rule and subject, identifies the finding: the same key twice is one alert. */
  evidenceKey: string;
  summary: string;
  evidence: Record<string, unknown>;
  citation: string;
  lotId: string | null;
  lotCode: string | null;
  regionCode: string;
  catalogItemCode: string;
}

/** The supervisors whose scope covers a subject (预警推送对象). */
export function routeOf(scopes: SupervisorScope[], subject: { regionCode: string; catalogItemCode: string }) {
  return scopes
    .filter((s) => covers(s, subject))
    .map((s) => ({ accountId: s.accountId, department: s.department }));
}

export async function loadScopes(db: Kysely<MonitoringDb>): Promise<SupervisorScope[]> {
  return (await listSupervisorScopes(db)).map((s) => ({
    accountId: s.accountId,
    department: s.department,
    regionPrefixes: s.regionPrefixes,
    catalogPrefixes: s.catalogPrefixes,
  }));
}

/**
 * Raises each draft not raised before (per rule, subject and evidence key), under the version it was
 * computed with, routed to the supervisors in scope; each new alert is witnessed in the same transaction.
 * Returns the alerts that are new.
 */
export async function raiseAlerts(
  tx: Tx,
  at: Date,
  drafts: AlertDraft[],
  source: AlertSource,
  scopes: SupervisorScope[],
): Promise<store.AlertRow[]> {
  const raised: store.AlertRow[] = [];
  for (const d of drafts) {
    const evidenceJson = canonicalJson(d.evidence);
    const evidenceSm3 = sm3Hex(new TextEncoder().encode(evidenceJson));
    const row = await store.insertAlertIfNew(tx, {
      id: randomUUID(),
      rule_code: d.rule.code,
      rule_version_id: Number(d.version.id),
      rule_version: d.version.version,
      level: d.version.level,
      title: d.rule.titleZh,
      summary: d.summary,
      citation: d.citation,
      subject_type: d.subjectType,
      subject_id: d.subjectId,
      subject_label: d.subjectLabel,
      evidence_key: d.evidenceKey,
      evidence: evidenceJson,
      evidence_sm3: evidenceSm3,
      lot_id: d.lotId,
      lot_code: d.lotCode,
      region_code: d.regionCode,
      catalog_item_code: d.catalogItemCode,
      routed_to: JSON.stringify(routeOf(scopes, d)),
      source,
      status: 'new',
      finding: null,
      conclusion: null,
      feedback: null,
      raised_at: at,
      updated_at: at,
    });
    if (!row) continue;
    await store.insertStep(tx, {
      alert_id: row.id,
      action: 'raised',
      from_status: null,
      to_status: 'new',
      account_id: null,
      department: null,
      text: null,
      at,
    });
    // The payload names the finding, not its evidence (the evidence stays in the alert; its SM3 is witnessed).
    await appendWitnessEvent(tx, at, SYSTEM_ORIGIN, {
      entityType: WITNESS.alert,
      entityId: row.id,
      action: 'monitoring-alert.raised',
      payload: {
        rule: d.rule.code,
        ruleVersion: d.version.version,
        level: d.version.level,
        subjectType: d.subjectType,
        subjectId: d.subjectId,
        lotId: d.lotId,
        evidenceSm3,
        source,
      },
    });
    raised.push(row);
  }
  return raised;
}

// ------------------------------------------------------------------------------------ who sees what

/** The trading centre sees every alert; a supervisor those its scope covers. */
async function viewerScope(db: ReadDb, actor: Actor | null): Promise<SupervisorScope | null> {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  if (actor.roles.includes('supervisor')) return requireSupervisorScope(db, actor);
  if (actor.roles.includes('operator')) return null;
  throw new Forbidden('ROLE_FORBIDDEN', {
    title: '无权查看预警信息',
    detail: '预警信息仅供行政监督部门和交易中心内部使用，不对外公开。',
  });
}

async function visibleAlert(ctx: MonitoringContext, id: string): Promise<store.AlertRow> {
  const row = await store.findAlert(ctx.db, id);
  if (!row) throw new NotFound('ALERT_NOT_FOUND', { title: '预警信息不存在' });
  const scope = await viewerScope(ctx.db, ctx.actor);
  if (scope) await assertInScope(ctx.db, ctx.actor, subjectOf(row));
  return row;
}

const subjectOf = (row: store.AlertRow) => ({
  regionCode: row.region_code,
  catalogItemCode: row.catalog_item_code,
  label: `预警“${row.title}”（${row.subject_label}）`,
});

// ------------------------------------------------------------------------------------------ views

export function toAlertSummary(row: store.AlertRow) {
  const rule = findRule(row.rule_code);
  return {
    id: row.id,
    ruleCode: row.rule_code,
    ruleVersion: row.rule_version,
    title: row.title,
    category: rule?.category ?? 'cardinal',
    categoryNameZh: rule ? CATEGORY_NAMES_ZH[rule.category] : '',
    level: row.level,
    levelNameZh: LEVEL_NAMES_ZH[row.level],
    summary: row.summary,
    subjectType: row.subject_type,
    subjectTypeNameZh: SUBJECT_NAMES_ZH[row.subject_type],
    subjectId: row.subject_id,
    subjectLabel: row.subject_label,
    lotId: row.lot_id,
    lotCode: row.lot_code,
    regionCode: row.region_code,
    catalogItemCode: row.catalog_item_code,
    source: row.source,
    sourceNameZh: SOURCE_NAMES_ZH[row.source],
    status: row.status,
    statusNameZh: STATUS_NAMES_ZH[row.status],
    finding: row.finding,
    findingNameZh: row.finding ? FINDING_NAMES_ZH[row.finding] : null,
    raisedAt: row.raised_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

async function toAlertDetail(db: ReadDb, row: store.AlertRow) {
  const [steps, version] = await Promise.all([
    store.listSteps(db, row.id),
    store.findVersion(db, Number(row.rule_version_id)),
  ]);
  return {
    ...toAlertSummary(row),
    citation: row.citation,
    evidenceKey: row.evidence_key,
    evidence: row.evidence,
    evidenceSm3: row.evidence_sm3,
    routedTo: row.routed_to,
    conclusion: row.conclusion,
    feedback: row.feedback,
    ruleVersionDetail: version
      ? {
          version: version.version,
          enabled: version.enabled,
          level: version.level,
          thresholds: version.thresholds,
          effectiveFrom: version.effective_from.toISOString(),
          reason: version.reason,
        }
      : null,
    steps: steps.map((s) => ({
      action: s.action,
      fromStatus: s.from_status,
      toStatus: s.to_status,
      toStatusNameZh: STATUS_NAMES_ZH[s.to_status],
      accountId: s.account_id,
      department: s.department,
      text: s.text,
      at: s.at.toISOString(),
    })),
  };
}

export async function getAlert(ctx: MonitoringContext, id: string) {
  return toAlertDetail(ctx.db, await visibleAlert(ctx, id));
}

function filterOf(query: AlertQuery, scope: SupervisorScope | null): store.AlertFilter {
  return {
    ...(scope ? { scope } : {}),
    status: query.status,
    level: query.level,
    ruleCodes: query.rule ? [query.rule] : undefined,
    lotId: query.lotId,
    subjectType: query.subjectType,
    subjectId: query.subjectId,
    q: query.q,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  };
}

export async function listAlerts(ctx: MonitoringContext, query: AlertQuery) {
  const scope = await viewerScope(ctx.db, ctx.actor);
  const pageSize = query.pageSize;
  const { rows, total } = await store.listAlerts(ctx.db, filterOf(query, scope), {
    limit: pageSize,
    offset: (query.page - 1) * pageSize,
  });
  return { total, page: query.page, pageSize, items: rows.map(toAlertSummary) };
}

/** 预警看板: counts by level, status and rule of the alerts the viewer may see (with the list's filters). */
export async function alertDashboard(ctx: MonitoringContext, query: AlertQuery) {
  const scope = await viewerScope(ctx.db, ctx.actor);
  const counts = await store.countAlerts(ctx.db, filterOf(query, scope));
  const [cursor, runs] = await Promise.all([store.readCursor(ctx.db), store.listRuns(ctx.db, 5)]);
  const total = counts.byStatus.reduce((s, r) => s + Number(r.n), 0);
  return {
    scope: scope
      ? {
          department: scope.department,
          regionPrefixes: scope.regionPrefixes,
          catalogPrefixes: scope.catalogPrefixes,
        }
      : null,
    total,
    open: counts.open,
    byLevel: (['high', 'medium', 'low'] as const).map((level) => ({
      level,
      nameZh: LEVEL_NAMES_ZH[level],
      count: Number(counts.byLevel.find((r) => r.level === level)?.n ?? 0),
    })),
    byStatus: (Object.keys(STATUS_NAMES_ZH) as AlertStatus[]).map((status) => ({
      status,
      nameZh: STATUS_NAMES_ZH[status],
      count: Number(counts.byStatus.find((r) => r.status === status)?.n ?? 0),
    })),
    byRule: counts.byRule
      .map((r) => ({
        ruleCode: r.rule_code as string,
        titleZh: findRule(r.rule_code as string)?.titleZh ?? (r.rule_code as string),
        count: Number(r.n),
      }))
      .sort((a, b) => b.count - a.count || a.ruleCode.localeCompare(b.ruleCode)),
    follower: { lastLeafIndex: cursor.lastLeafIndex, updatedAt: cursor.updatedAt.toISOString() },
    recentRuns: runs.map(toRunView),
  };
}

export function toRunView(run: store.RunRow) {
  return {
    id: run.id,
    kind: run.kind,
    kindNameZh: run.kind === 'rules' ? '全部规则全量重算' : 'Cardinal 指标全平台计算',
    status: run.status,
    statusNameZh: { queued: '排队中', running: '计算中', done: '已完成', failed: '失败' }[run.status],
    requestedBy: run.requested_by,
    requestedAt: run.requested_at.toISOString(),
    startedAt: run.started_at?.toISOString() ?? null,
    finishedAt: run.finished_at?.toISOString() ?? null,
    processed: run.processed,
    alertsRaised: run.alerts_raised,
    error: run.error,
  };
}

// ------------------------------------------------------------------------------------ the workflow

type Step = 'acknowledge' | 'investigate' | 'conclude' | 'feedback';

const STEP_FROM: Record<Step, AlertStatus> = {
  acknowledge: 'new',
  investigate: 'acknowledged',
  conclude: 'investigating',
  feedback: 'concluded',
};
const STEP_TO: Record<Step, AlertStatus> = {
  acknowledge: 'acknowledged',
  investigate: 'investigating',
  conclude: 'concluded',
  feedback: 'fed-back',
};
const STEP_NAMES_ZH: Record<Step, string> = {
  acknowledge: '签收',
  investigate: '开始核查',
  conclude: '办结',
  feedback: '反馈交易中心',
};

async function takeStep(
  ctx: MonitoringContext,
  id: string,
  step: Step,
  change: { text: string | null; finding?: AlertFinding; conclusion?: string; feedback?: string },
) {
  const existing = await store.findAlert(ctx.db, id);
  if (!existing) throw new NotFound('ALERT_NOT_FOUND', { title: '预警信息不存在' });
  // 行政监督部门 handle the alerts of their own scope only (办法第五条).
  const scope = await assertInScope(ctx.db, ctx.actor, subjectOf(existing));
  const actor = ctx.actor as Actor;
  const now = ctx.clock.now();
  const updated = await ctx.db.transaction().execute(async (tx) => {
    const row = await store.lockAlert(tx, id);
    if (!row) throw new NotFound('ALERT_NOT_FOUND', { title: '预警信息不存在' });
    if (row.status !== STEP_FROM[step]) {
      throw new RuleViolation('ALERT_STEP_NOT_ALLOWED', {
        title: `当前状态不能${STEP_NAMES_ZH[step]}`,
        detail: `该预警当前为“${STATUS_NAMES_ZH[row.status]}”，只有“${STATUS_NAMES_ZH[STEP_FROM[step]]}”的预警可以${STEP_NAMES_ZH[step]}（签收 → 核查 → 办结 → 反馈交易中心）。`,
        citation: CITATIONS.handling,
      });
    }
    const next = STEP_TO[step];
    const saved = await store.updateAlert(tx, id, {
      status: next,
      updated_at: now,
      ...(change.finding ? { finding: change.finding } : {}),
      ...(change.conclusion !== undefined ? { conclusion: change.conclusion } : {}),
      ...(change.feedback !== undefined ? { feedback: change.feedback } : {}),
    });
    await store.insertStep(tx, {
      alert_id: id,
      action: step,
      from_status: row.status,
      to_status: next,
      account_id: actor.accountId,
      department: scope.department,
      text: change.text,
      at: now,
    });
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: WITNESS.alert,
      entityId: id,
      action: `monitoring-alert.${step === 'feedback' ? 'fed-back' : STEP_TO[step]}`,
      payload: {
        from: row.status,
        to: next,
        department: scope.department,
        ...(change.finding ? { finding: change.finding } : {}),
        ...(change.text ? { textSm3: sm3Hex(new TextEncoder().encode(change.text)) } : {}),
      },
    });
    return saved;
  });
  return toAlertDetail(ctx.db, updated);
}

/** 签收: the supervisor has received the alert. */
export function acknowledgeAlert(ctx: MonitoringContext, id: string, input: StepNoteInput) {
  return takeStep(ctx, id, 'acknowledge', { text: input.note ?? null });
}

/** 核查: the supervisor starts checking the evidence (调查核实). */
export function investigateAlert(ctx: MonitoringContext, id: string, input: StepNoteInput) {
  return takeStep(ctx, id, 'investigate', { text: input.note ?? null });
}

/** 办结: the finding (属实 / 不属实) with its written conclusion. */
export function concludeAlert(ctx: MonitoringContext, id: string, input: ConcludeInput) {
  return takeStep(ctx, id, 'conclude', {
    text: input.conclusion,
    finding: input.finding,
    conclusion: input.conclusion,
  });
}

/** 反馈: the handling result goes back to the trading centre (办法第三十九条). */
export function feedBackAlert(ctx: MonitoringContext, id: string, input: FeedbackInput) {
  return takeStep(ctx, id, 'feedback', { text: input.feedback, feedback: input.feedback });
}
