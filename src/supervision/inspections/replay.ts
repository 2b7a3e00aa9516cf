import { type EligibleEntry, type GroupNeed, replayDraw } from './deps.ts';
import type { ListEntry, RiskLevel, RoundSelection } from './tables.ts';

/**
 * The spot-check draw, pure and deterministic (docs/inspections.md "可复核的随机抽取"). It is the expert
 * draw's construction (src/trading/draws/replay.ts), reused through the draws module's public face: the
 * same seed commitment SM3("ggzy-draw-seed/v1" ‖ seed), the same list hash SM3(canonicalJson(list)), the
 * same SM3 counter-mode generator keyed by (seed, checkpoint root, tree size, drawId, round) and the same
 * partial Fisher–Yates (`replayDraw`). What is ours is only how the batch maps onto it:
 *   targets  drawId = batchId,                 list = [{g: group, c: target code}], needs per group;
 *   team     drawId = `${batchId}:${target}`,  list = [{g: 0, c: inspector code}], needs [{g: 0, count}]
 * so every target's team is an independent stream of the same committed seed, and an inspector may serve
 * on several targets' teams (never twice on one).
 */

export const RISK_LEVELS: readonly RiskLevel[] = ['high', 'mid-high', 'mid', 'low'];

export const RISK_LEVEL_NAMES_ZH: Record<RiskLevel, string> = {
  high: '高风险',
  'mid-high': '较高风险',
  mid: '一般风险',
  low: '低风险',
};

/** ceil(population × ratio%), in integers (ratios carry at most two decimals). */
export function neededFor(population: number, ratioPercent: number): number {
  const hundredths = Math.round(ratioPercent * 100);
  return Math.ceil((population * hundredths) / 10_000);
}

/** The list is ordered by (g, c), codes compared by UTF-16 code units, no entry twice. */
export function isOrderedList(list: ListEntry[]): boolean {
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1]!;
    const b = list[i]!;
    if (a.g > b.g || (a.g === b.g && a.c >= b.c)) return false;
  }
  return true;
}

export function orderList(list: ListEntry[]): ListEntry[] {
  return [...list].sort((a, b) => a.g - b.g || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
}

/**
 * What each group can certainly draw: a target may sit in several items' groups, and a target drawn for
 * an earlier group is not drawn again in the round, so group k can count only on its entries minus the
 * most that earlier groups could take from them. The count is `needed`, or less when fewer are certain.
 */
export function safeCounts(list: ListEntry[], needed: { g: number; needed: number }[]): Map<number, number> {
  const byGroup = new Map<number, Set<string>>();
  for (const e of list) {
    const set = byGroup.get(e.g) ?? new Set<string>();
    set.add(e.c);
    byGroup.set(e.g, set);
  }
  const counts = new Map<number, number>();
  for (let k = 0; k < needed.length; k++) {
    const need = needed[k]!;
    const own = byGroup.get(need.g) ?? new Set<string>();
    let taken = 0;
    for (let h = 0; h < k; h++) {
      const earlier = needed[h]!;
      const other = byGroup.get(earlier.g);
      if (!other) continue;
      let shared = 0;
      for (const c of other) if (own.has(c)) shared++;
      taken += Math.min(counts.get(earlier.g) ?? 0, shared);
    }
    counts.set(need.g, Math.max(0, Math.min(need.needed, own.size - taken)));
  }
  return counts;
}

export interface RoundReplayInput {
  batchId: string;
  round: number;
  kind: 'initial' | 'redraw';
  /** Redraw: the target whose team is completed. */
  targetCode: string | null;
  seed: Uint8Array;
  rootHash: Uint8Array;
  treeSize: number;
  targetList: ListEntry[] | null;
  inspectorList: ListEntry[];
  /** Initial: targets per group; redraw: [{g: 0, count: inspectors to add}]. */
  needs: GroupNeed[];
  inspectorsPerTarget: number;
}

function team(input: RoundReplayInput, target: string, count: number): string[] {
  const [drawn] = replayDraw({
    drawId: `${input.batchId}:${target}`,
    round: input.round,
    seed: input.seed,
    rootHash: input.rootHash,
    treeSize: input.treeSize,
    list: input.inspectorList as EligibleEntry[],
    needs: [{ g: 0, count }],
  });
  return drawn?.codes ?? [];
}

/** Replays one round: the same function runs the draw and every verification. Throws when a list is short. */
export function replayRound(input: RoundReplayInput): RoundSelection {
  if (input.kind === 'redraw') {
    if (!input.targetCode) throw new Error('a redraw names its target');
    const count = input.needs[0]?.count ?? 0;
    return {
      targets: null,
      teams: [{ target: input.targetCode, inspectors: team(input, input.targetCode, count) }],
    };
  }
  const targets = replayDraw({
    drawId: input.batchId,
    round: input.round,
    seed: input.seed,
    rootHash: input.rootHash,
    treeSize: input.treeSize,
    list: (input.targetList ?? []) as EligibleEntry[],
    needs: input.needs,
  });
  const teams = targets.flatMap((s) =>
    s.codes.map((code) => ({ target: code, inspectors: team(input, code, input.inspectorsPerTarget) })),
  );
  return { targets, teams };
}
