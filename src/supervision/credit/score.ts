import { type CalendarDate, compareDates, shanghaiDateOf } from '../../platform/clock/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { appendWitnessEvent } from '../../platform/witness/index.ts';
import {
  findEntityOfOrganization,
  normalizeCreditCode,
  normalizeIdNumber,
} from '../../service/entities/index.ts';
import { type CreditContext, isSupervisor, readerScope, requireActor } from './policy.ts';
import { addMonths, FAIR_COMPETITION_CITATION, FORBIDDEN_FACTOR_KINDS, SCORE_FACTOR_KINDS } from './rules.ts';
import type { ScoreRuleInput } from './schemas.ts';
import * as store from './store.ts';
import type { ScoreFactor } from './tables.ts';
import { restrictionInForce, type ScoreRuleViewT, toScoreRuleView } from './views.ts';

export const SCORE_RULE_WITNESS_TYPE = 'credit-score-rule';

/**
 * Refuses a factor outside the allow-list; one the law names (locality, ownership, registered address or
 * capital, size, local tax or social insurance …) is refused with the article that forbids it.
 */
export function assertFactorsAllowed(factors: { kind: string }[]): void {
  const seen = new Set<string>();
  factors.forEach((f, i) => {
    const kind = f.kind.trim();
    const forbidden = FORBIDDEN_FACTOR_KINDS[kind];
    if (forbidden) {
      throw new RuleViolation('CREDIT_SCORE_FACTOR_FORBIDDEN', {
        title: '信用评分不得设置该评价因素',
        detail: `评价因素“${kind}”（${forbidden}）以所在地、所有制、注册地址或资本、规模、本地纳税社保等对经营主体实行差别评价，违反公平竞争审查规则。`,
        citation: FAIR_COMPETITION_CITATION,
        extensions: { field: `factors.${i}.kind`, kind },
      });
    }
    if (!SCORE_FACTOR_KINDS[kind]) {
      throw new RuleViolation('CREDIT_SCORE_FACTOR_NOT_ALLOWED', {
        title: '评价因素不在允许范围内',
        detail: `“${kind}”不是允许的评价因素。信用评分只能依据信用记录、限制措施、外部失信名单、守信和履约记录：${Object.keys(SCORE_FACTOR_KINDS).join('、')}。`,
        citation: FAIR_COMPETITION_CITATION,
        extensions: { field: `factors.${i}.kind`, kind },
      });
    }
    if (seen.has(kind)) {
      throw new InvalidInput('CREDIT_SCORE_FACTOR_DUPLICATE', {
        title: '评价因素重复',
        detail: `“${SCORE_FACTOR_KINDS[kind]}”出现了不止一次。`,
        extensions: { field: `factors.${i}.kind` },
      });
    }
    seen.add(kind);
  });
}

/**
 * 信用评分规则: a supervisor publishes a new version, in force from a date not in the past — a later
 * version never rewrites how an earlier date was scored. Witnessed.
 */
export async function createScoreRule(ctx: CreditContext, input: ScoreRuleInput): Promise<ScoreRuleViewT> {
  const actor = requireActor(ctx.actor);
  if (!isSupervisor(actor)) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '信用评分规则由行政监督部门制定。',
    });
  }
  assertFactorsAllowed(input.factors);
  if (!(input.minScore <= input.baseScore && input.baseScore <= input.maxScore)) {
    throw new InvalidInput('CREDIT_SCORE_RANGE_INVALID', {
      title: '分值范围不正确',
      detail: `须满足 最低分 ≤ 基础分 ≤ 最高分，填写的是 ${input.minScore} / ${input.baseScore} / ${input.maxScore}。`,
      extensions: { field: 'baseScore' },
    });
  }
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const effectiveFrom = input.effectiveFrom as CalendarDate;
  if (compareDates(effectiveFrom, today) < 0) {
    throw new RuleViolation('CREDIT_SCORE_RULE_RETROACTIVE', {
      title: '评分规则不能溯及既往',
      detail: `生效日期 ${effectiveFrom} 早于今天（${today}）。新版本只能自今天或以后生效。`,
      extensions: { field: 'effectiveFrom' },
    });
  }
  const factors: ScoreFactor[] = input.factors.map((f) => ({
    kind: f.kind.trim(),
    weight: f.weight,
    cap: f.cap,
    windowMonths: f.windowMonths,
  }));
  return ctx.db.transaction().execute(async (tx) => {
    await store.lockScoreRules(tx);
    const version = (await store.latestScoreRuleVersion(tx)) + 1;
    const row = await store.insertScoreRule(tx, {
      version,
      effective_from: effectiveFrom,
      base_score: input.baseScore,
      min_score: input.minScore,
      max_score: input.maxScore,
      factors: JSON.stringify(factors),
      note: input.note ?? null,
      created_by: actor.accountId,
      created_by_name: actor.displayName,
      created_at: now,
    });
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: SCORE_RULE_WITNESS_TYPE,
      entityId: String(version),
      action: 'credit-score-rule.published',
      payload: {
        version,
        effectiveFrom,
        baseScore: input.baseScore,
        minScore: input.minScore,
        maxScore: input.maxScore,
        factors,
      },
    });
    return toScoreRuleView(row);
  });
}

export async function listScoreRules(ctx: CreditContext) {
  await readerScope(ctx);
  return { items: (await store.listScoreRules(ctx.db)).map(toScoreRuleView) };
}

/**
 * A subject's credit score on a date (today by default) by the rule version in force that day, with each
 * factor's count and points. Repaired and withdrawn records no longer count (停止共享和使用).
 */
export async function computeScore(
  ctx: CreditContext,
  q: {
    creditCode?: string | undefined;
    organizationId?: string | undefined;
    idNumber?: string | undefined;
    date?: string | undefined;
  },
) {
  await readerScope(ctx);
  const date = (q.date ?? shanghaiDateOf(ctx.clock.now())) as CalendarDate;
  let creditCode = q.creditCode ? normalizeCreditCode(q.creditCode) : null;
  const idNumber = q.idNumber ? normalizeIdNumber(q.idNumber) : null;
  let name: string | null = null;
  if (q.organizationId) {
    const entity = await findEntityOfOrganization(ctx.db, q.organizationId);
    if (entity) {
      creditCode ??= entity.creditCode;
      name = entity.name;
    }
  }
  if (!creditCode && !idNumber && !q.organizationId) {
    throw new InvalidInput('CREDIT_SUBJECT_REQUIRED', { title: '请填写统一社会信用代码、单位或身份证号码' });
  }
  const rule = await store.scoreRuleOn(ctx.db, date);
  if (!rule) {
    throw new NotFound('CREDIT_SCORE_RULE_NOT_SET', {
      title: '尚无生效的信用评分规则',
      detail: `${date} 没有生效的评分规则版本。`,
    });
  }
  const keys: store.SubjectKeys = {
    organizationIds: q.organizationId ? [q.organizationId] : [],
    creditCodes: creditCode ? [creditCode] : [],
    idNumbers: idNumber ? [idNumber] : [],
  };
  const records = (await store.listRecordsOfSubject(ctx.db, keys)).filter(
    (r) =>
      compareDates(r.decision_date, date) <= 0 &&
      !(r.revoked_on && compareDates(r.revoked_on, date) <= 0) &&
      !(r.repaired_on && compareDates(r.repaired_on, date) <= 0),
  );
  name ??= records[0]?.subject_name ?? null;
  const restrictions = (
    await store.listRestrictionsOf(
      ctx.db,
      records.map((r) => r.id),
    )
  ).filter((r) => restrictionInForce(r, date));
  const batches = await store.batchesInForce(ctx.db, date);
  const entries = creditCode
    ? await store.entriesInForce(
        ctx.db,
        batches.map((b) => b.id),
        [creditCode],
        date,
      )
    : [];

  const within = (months: number) => (r: store.RecordRow) =>
    compareDates(r.decision_date, addMonths(date, -months)) > 0;
  const countOf = (f: ScoreFactor): number => {
    const recent = records.filter(within(f.windowMonths));
    switch (f.kind) {
      case 'violation_serious':
      case 'violation_general':
      case 'violation_minor': {
        const severity = f.kind.slice('violation_'.length);
        return recent.filter(
          (r) => (r.kind === 'violation' || r.kind === 'dishonest') && r.severity === severity,
        ).length;
      }
      case 'restriction_active':
        return restrictions.length;
      case 'external_list_active':
        return entries.length;
      case 'commendation':
        return recent.filter((r) => r.kind === 'commendation').length;
      case 'performance_good':
      case 'performance_qualified':
      case 'performance_poor': {
        const rating = f.kind.slice('performance_'.length);
        return recent.filter((r) => r.kind === 'performance' && r.performance_rating === rating).length;
      }
      default:
        return 0;
    }
  };
  const breakdown = rule.factors.map((f) => {
    const count = countOf(f);
    let points = count * f.weight;
    if (f.cap !== null && Math.abs(points) > f.cap) points = Math.sign(points) * f.cap;
    return { kind: f.kind, name: SCORE_FACTOR_KINDS[f.kind] ?? f.kind, count, weight: f.weight, points };
  });
  const raw = rule.base_score + breakdown.reduce((sum, b) => sum + b.points, 0);
  const score = Math.round(Math.min(rule.max_score, Math.max(rule.min_score, raw)) * 100) / 100;
  return {
    subject: { name, creditCode, organizationId: q.organizationId ?? null },
    date,
    ruleVersion: rule.version,
    score,
    baseScore: rule.base_score,
    breakdown,
  };
}
