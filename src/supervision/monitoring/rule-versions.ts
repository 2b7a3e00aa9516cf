import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { CITATIONS, type MonitoringContext, type MonitoringDb, type ReadDb, WITNESS } from './context.ts';
import { requireSupervisorScope } from './deps.ts';
import {
  CATEGORY_NAMES_ZH,
  findRule,
  LEVEL_NAMES_ZH,
  RULES,
  type RuleDefinition,
  validateThresholds,
} from './rules.ts';
import type { RuleChangeInput } from './schemas.ts';
import * as store from './store.ts';

/** The defaults are in force "since always": version 1 of every rule, effective from 2000-01-01. */
const DEFAULTS_EFFECTIVE_FROM = new Date('2000-01-01T00:00:00.000Z');

/**
 * Writes version 1 (the catalogue's defaults) of every rule that has no version yet — once, witnessed,
 * idempotent (a second instance or start finds them there).
 */
export async function seedMonitoringRules(db: Kysely<MonitoringDb>, clock: Clock): Promise<number> {
  const existing = await store.codesWithVersions(db);
  const missing = RULES.filter((r) => !existing.has(r.code));
  if (missing.length === 0) return 0;
  const now = clock.now();
  return db.transaction().execute(async (tx) => {
    let seeded = 0;
    for (const rule of missing) {
      const row = await store.insertVersion(tx, {
        code: rule.code,
        version: 1,
        enabled: rule.defaultEnabled,
        level: rule.defaultLevel,
        thresholds: JSON.stringify(rule.defaultThresholds),
        effective_from: DEFAULTS_EFFECTIVE_FROM,
        changed_by: null,
        changed_by_name: null,
        reason: '系统默认规则（首次启用）',
        created_at: now,
      });
      if (!row) continue;
      seeded++;
      await appendWitnessEvent(tx, now, SYSTEM_ORIGIN, {
        entityType: WITNESS.rule,
        entityId: rule.code,
        action: 'monitoring-rule.seeded',
        payload: { version: 1, enabled: row.enabled, level: row.level, thresholds: rule.defaultThresholds },
      });
    }
    return seeded;
  });
}

/** The rule versions in force now, by code (every rule, enabled or not). */
export async function versionsInForce(db: ReadDb, at: Date): Promise<Map<string, store.RuleVersionRow>> {
  return new Map((await store.listVersionsInForce(db, at)).map((v) => [v.code, v]));
}

/** The version in force of an enabled rule, or null when the rule is off (or unknown). */
export function enabledVersion(
  versions: Map<string, store.RuleVersionRow>,
  code: string,
): { rule: RuleDefinition; version: store.RuleVersionRow } | null {
  const version = versions.get(code);
  const rule = findRule(code);
  if (!version || !rule || !version.enabled) return null;
  return { rule, version };
}

export function toVersionView(v: store.RuleVersionRow) {
  return {
    id: Number(v.id),
    code: v.code,
    version: v.version,
    enabled: v.enabled,
    level: v.level,
    levelNameZh: LEVEL_NAMES_ZH[v.level],
    thresholds: v.thresholds,
    effectiveFrom: v.effective_from.toISOString(),
    changedBy: v.changed_by,
    changedByName: v.changed_by_name,
    reason: v.reason,
    createdAt: v.created_at.toISOString(),
  };
}

function toRuleView(
  rule: RuleDefinition,
  current: store.RuleVersionRow | undefined,
  latest?: store.RuleVersionRow,
) {
  return {
    code: rule.code,
    titleZh: rule.titleZh,
    descriptionZh: rule.descriptionZh,
    category: rule.category,
    categoryNameZh: CATEGORY_NAMES_ZH[rule.category],
    subject: rule.subject,
    trigger: rule.trigger,
    citation: rule.citation,
    fields: rule.fields,
    defaultThresholds: rule.defaultThresholds,
    current: current ? toVersionView(current) : null,
    scheduled: latest && latest.id !== current?.id ? toVersionView(latest) : null,
  };
}

/** 预警规则: every rule with the version in force and any scheduled one. */
export async function listRules(ctx: MonitoringContext) {
  const now = ctx.clock.now();
  const [inForce, latest] = await Promise.all([
    versionsInForce(ctx.db, now),
    store.listLatestVersions(ctx.db),
  ]);
  const latestByCode = new Map(latest.map((v) => [v.code, v]));
  return RULES.map((rule) => toRuleView(rule, inForce.get(rule.code), latestByCode.get(rule.code)));
}

function ruleOrNotFound(code: string): RuleDefinition {
  const rule = findRule(code);
  if (!rule)
    throw new NotFound('RULE_NOT_FOUND', {
      title: '预警规则不存在',
      detail: `没有编码为 ${code} 的预警规则。`,
    });
  return rule;
}

export async function listRuleVersions(ctx: MonitoringContext, code: string) {
  ruleOrNotFound(code);
  return (await store.listVersionsOf(ctx.db, code)).map(toVersionView);
}

/**
 * 调整预警规则: a supervisor appends a new version (switch, level, thresholds) with the reason; the thresholds
 * are checked against the rule's own limits. Nothing already raised changes: each alert keeps its version.
 */
export async function changeRule(ctx: MonitoringContext, code: string, input: RuleChangeInput) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const rule = ruleOrNotFound(code);
  const thresholds = validateThresholds(rule, input.thresholds);
  const now = ctx.clock.now();
  const effectiveFrom = input.effectiveFrom ? new Date(input.effectiveFrom) : now;
  if (effectiveFrom.getTime() < now.getTime() - 60_000) {
    throw new InvalidInput('RULE_EFFECTIVE_IN_PAST', {
      title: '生效时间不能早于当前时间',
      detail: '规则调整只对今后的计算生效，已产生的预警不因规则调整而改变。',
    });
  }
  const actor = ctx.actor!;
  await ctx.db.transaction().execute(async (tx) => {
    const latest = await store.lockLatestVersion(tx, code);
    const inserted = await store.insertVersion(tx, {
      code,
      version: (latest?.version ?? 0) + 1,
      enabled: input.enabled,
      level: input.level,
      thresholds: JSON.stringify(thresholds),
      effective_from: effectiveFrom,
      changed_by: actor.accountId,
      changed_by_name: `${actor.displayName}（${scope.department}）`,
      reason: input.reason,
      created_at: now,
    });
    if (!inserted) {
      throw new RuleViolation('RULE_CHANGED_CONCURRENTLY', {
        title: '规则刚被他人调整，请刷新后重试',
        citation: CITATIONS.monitoring,
      });
    }
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: WITNESS.rule,
      entityId: code,
      action: 'monitoring-rule.changed',
      payload: {
        version: inserted.version,
        enabled: inserted.enabled,
        level: inserted.level,
        thresholds,
        effectiveFrom: effectiveFrom.toISOString(),
        reason: input.reason,
        department: scope.department,
      },
    });
  });
  const latest = (await store.listLatestVersions(ctx.db)).find((v) => v.code === code);
  const inForce = (await versionsInForce(ctx.db, ctx.clock.now())).get(code);
  return toRuleView(rule, inForce, latest);
}
