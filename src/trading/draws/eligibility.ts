import type { DrawsDeps, ReadDb } from './context.ts';
import {
  type DrawAvoidEntry,
  type DrawCandidate,
  listBidderOrganizationsForDraw,
  listDrawCandidates,
} from './deps.ts';
import { codesOfTags } from './refs.ts';
import { type EligibleEntry, type GroupNeed, orderList, shortGroup } from './replay.ts';
import {
  FREQUENCY_WINDOW_DAYS,
  MAX_DURATION_MINUTES,
  POOL_STEP,
  RULE_ORDER,
  type RuleCode,
  ruleNameZh,
} from './rules.ts';
import type { DrawRow, ExclusionRow } from './store.ts';
import * as store from './store.ts';
import type { DrawGroup, DrawShortfall, DrawVenue, FunnelStep } from './tables.ts';

const DAY_MS = 86_400_000;

/** A lot's bidder as the round keeps it, sealed. */
export interface RoundBidder {
  organizationId: string;
  creditCode: string;
  name: string;
}

export interface EligibleResult {
  /** Ordered by (g, c). */
  list: EligibleEntry[];
  /** Code → expert id, for the experts of the list. */
  ids: Map<string, string>;
  funnel: { g: number; steps: FunnelStep[] }[];
  bidders: RoundBidder[];
  shortfall: Omit<DrawShortfall, 'round' | 'at'> | null;
}

/**
 * The eligible list of a round, with the funnel: per group ONE candidates query (experts module: its five
 * rules), then ONE query for the draw's own rules over the serving assignments of the period (their code
 * tags decrypted in one cipher call, refs.ts), matched in memory.
 */
export async function eligibleList(
  deps: Pick<DrawsDeps, 'sealer'> & { db: ReadDb },
  draw: DrawRow,
  exclusions: ExclusionRow[],
  needs: GroupNeed[],
  drawnCodes: ReadonlySet<string>,
  asOf: Date,
): Promise<EligibleResult> {
  const { db, sealer } = deps;
  const groups = draw.groups as DrawGroup[];
  const venues = draw.venues as DrawVenue[];
  const bidders = await listBidderOrganizationsForDraw(db, sealer, draw.lot_id);
  const avoid: DrawAvoidEntry[] = [
    ...exclusions.map((e) => ({
      creditCode: e.credit_code,
      organizationId: e.organization_id,
      name: e.name,
      reasonCode: e.reason_code,
    })),
    ...bidders.map((b) => ({
      creditCode: b.creditCode,
      organizationId: b.organizationId,
      name: b.name,
      reasonCode: '1',
    })),
  ];
  const period = { from: draw.evaluation_starts_at, to: draw.evaluation_ends_at };
  // The draw's own rules read serving assignments whose evaluation starts in the window any rule looks at.
  const start = draw.evaluation_starts_at.getTime();
  const end = draw.evaluation_ends_at.getTime();
  const lookBack =
    Math.max(FREQUENCY_WINDOW_DAYS, draw.same_initiator_days) * DAY_MS + MAX_DURATION_MINUTES * 60_000;
  const lookAhead = Math.max(end, start + draw.same_initiator_days * DAY_MS + 1);
  // Independent reads, run side by side on the pool's connections (one after another on PGlite).
  const [serving, ...perGroup] = await Promise.all([
    store.listServingAssignments(db, new Date(start - lookBack), new Date(lookAhead)),
    ...needs.map((need) => {
      const group = groups[need.g]!;
      return listDrawCandidates(db, {
        specialtyCode: group.specialtyCode,
        regionCode: venues[group.venueIndex]!.regionCode,
        period,
        avoid,
        regulatorName: draw.regulator_name,
        asOf,
      });
    }),
  ]);
  const candidatesByGroup = new Map<number, DrawCandidate[]>(needs.map((need, i) => [need.g, perGroup[i]!]));
  const codes = codesOfTags(
    sealer,
    serving.map((s) => s.code_tag),
  );
  const busy = new Set<string>();
  const recentCount = new Map<string, number>();
  const sameInitiator = new Set<string>();
  serving.forEach((s, i) => {
    if (s.draw_id === draw.id) return; // this draw's own experts fall under 'already-drawn'
    const code = codes[i]!;
    const from = s.period_from.getTime();
    if (from < end && s.period_to.getTime() > start) busy.add(code);
    if (from > start - FREQUENCY_WINDOW_DAYS * DAY_MS && from <= start) {
      recentCount.set(code, (recentCount.get(code) ?? 0) + 1);
    }
    if (
      s.initiator_organization_id === draw.initiator_organization_id &&
      Math.abs(from - start) < draw.same_initiator_days * DAY_MS
    ) {
      sameInitiator.add(code);
    }
  });
  const ownRule = (code: string): RuleCode | null => {
    if (drawnCodes.has(code)) return 'already-drawn';
    if (busy.has(code)) return 'busy';
    if ((recentCount.get(code) ?? 0) >= draw.frequency_max) return 'frequency';
    if (sameInitiator.has(code)) return 'same-initiator';
    return null;
  };

  const entries: EligibleEntry[] = [];
  const ids = new Map<string, string>();
  const funnel: { g: number; steps: FunnelStep[] }[] = [];
  let shortfall: EligibleResult['shortfall'] = null;
  for (const need of needs) {
    const candidates = candidatesByGroup.get(need.g)!;
    const blocked = new Map<RuleCode, number>();
    for (const c of candidates) {
      const rule: RuleCode | null = c.blockedBy ?? ownRule(c.code);
      if (rule) {
        blocked.set(rule, (blocked.get(rule) ?? 0) + 1);
      } else {
        entries.push({ g: need.g, c: c.code });
        ids.set(c.code, c.expertId);
      }
    }
    let remaining = candidates.length;
    const steps: FunnelStep[] = [{ rule: POOL_STEP, nameZh: ruleNameZh(POOL_STEP), remaining }];
    for (const rule of RULE_ORDER) {
      remaining -= blocked.get(rule) ?? 0;
      steps.push({ rule, nameZh: ruleNameZh(rule), remaining });
    }
    funnel.push({ g: need.g, steps });
    if (!shortfall && remaining < need.count) {
      const after = steps.find((s) => s.remaining < need.count)!;
      const group = groups[need.g]!;
      shortfall = {
        groupIndex: need.g,
        specialtyCode: group.specialtyCode,
        needed: need.count,
        available: remaining,
        rule: after.rule,
        ruleNameZh: after.nameZh,
        funnel: steps,
      };
    }
  }
  const list = orderList(entries);
  if (!shortfall) {
    // Groups sharing experts: an earlier group may take some of a later group's entries.
    const short = shortGroup(list, needs);
    if (short) {
      const group = groups[short.g]!;
      const steps = funnel.find((f) => f.g === short.g)!.steps;
      shortfall = {
        groupIndex: short.g,
        specialtyCode: group.specialtyCode,
        needed: needs.find((n) => n.g === short.g)!.count,
        available: short.available,
        rule: 'overlap',
        ruleNameZh: '与前序分组共用的专家被先行抽取后',
        funnel: steps,
      };
    }
  }
  return { list, ids, funnel, bidders, shortfall };
}
