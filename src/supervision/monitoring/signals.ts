/**
 * The signals themselves, pure: no database, no clock. Each takes a lot's evidence (or a committee's
 * scores) and returns what it found, with the figures a supervisor needs to check it by hand.
 */

// -------------------------------------------------------------------------------- shared values

export interface Holder {
  organizationId: string;
  values: string[];
}

export interface SharedValue {
  value: string;
  organizationIds: string[];
}

/** Values held by two or more different organisations (each organisation counted once per value). */
export function sharedValues(holders: Holder[]): SharedValue[] {
  const byValue = new Map<string, Set<string>>();
  for (const h of holders) {
    for (const value of new Set(h.values)) {
      const set = byValue.get(value) ?? new Set<string>();
      set.add(h.organizationId);
      byValue.set(value, set);
    }
  }
  return [...byValue.entries()]
    .filter(([, orgs]) => orgs.size >= 2)
    .map(([value, orgs]) => ({ value, organizationIds: [...orgs].sort() }))
    .sort((a, b) => a.value.localeCompare(b.value));
}

export interface SharedGroup<T extends SharedValue = SharedValue> {
  /** The organisations linked by one or more shared values, sorted. */
  organizationIds: string[];
  shared: T[];
}

/** Connected groups of organisations (two are linked when they share a value), with the values that link them. */
export function groupsOf<T extends SharedValue>(shared: T[]): SharedGroup<T>[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    let node = x;
    while (node !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const s of shared) for (const org of s.organizationIds) if (!parent.has(org)) parent.set(org, org);
  for (const s of shared) {
    const [first, ...rest] = s.organizationIds;
    for (const other of rest) parent.set(find(other), find(first!));
  }
  const groups = new Map<string, SharedGroup<T>>();
  for (const s of shared) {
    const root = find(s.organizationIds[0]!);
    const group = groups.get(root) ?? { organizationIds: [], shared: [] };
    group.shared.push(s);
    group.organizationIds = [...new Set([...group.organizationIds, ...s.organizationIds])].sort();
    groups.set(root, group);
  }
  return [...groups.values()].sort((a, b) => a.organizationIds[0]!.localeCompare(b.organizationIds[0]!));
}

// ----------------------------------------------------------------------------- machine identity

export type MachineIdentifier = 'mac' | 'disk' | 'cpu';

export interface MachineOf {
  organizationId: string;
  macs: string[];
  cpu: string | null;
  diskSerial: string | null;
  hostname: string | null;
}

/** A MAC as one spelling (upper-case hex pairs with colons); null for the all-zero or broadcast address. */
export function normalizeMac(mac: string): string | null {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (hex.length !== 12 || /^0{12}$/.test(hex) || /^F{12}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

const clean = (value: string | null | undefined) => {
  const text = value?.trim();
  return text ? text : null;
};

export function machineValues(m: MachineOf, kind: MachineIdentifier | 'hostname'): string[] {
  switch (kind) {
    case 'mac':
      return m.macs.map(normalizeMac).filter((x): x is string => x !== null);
    case 'disk':
      return [clean(m.diskSerial)].filter((x): x is string => x !== null);
    case 'cpu':
      return [clean(m.cpu)].filter((x): x is string => x !== null);
    case 'hostname':
      return [clean(m.hostname)].filter((x): x is string => x !== null);
  }
}

export interface MachineHit extends SharedValue {
  kind: MachineIdentifier | 'hostname';
}

/**
 * Groups of bidders whose machines share an identifier that counts on its own (`identifiers`), with every
 * shared identifier of the group listed — the ones that do not count alone (a CPU model, a host name) as
 * corroboration.
 */
export function machineGroups(machines: MachineOf[], identifiers: readonly MachineIdentifier[]) {
  const hits = (kind: MachineHit['kind']): MachineHit[] =>
    sharedValues(
      machines.map((m) => ({ organizationId: m.organizationId, values: machineValues(m, kind) })),
    ).map((s) => ({ ...s, kind }));
  const counting = identifiers.flatMap(hits);
  const corroborating = (['mac', 'disk', 'cpu', 'hostname'] as const)
    .filter((k) => !identifiers.includes(k as MachineIdentifier))
    .flatMap(hits);
  return groupsOf(counting).map((group) => ({
    ...group,
    corroborating: corroborating.filter(
      (c) => c.organizationIds.filter((o) => group.organizationIds.includes(o)).length >= 2,
    ),
  }));
}

// ---------------------------------------------------------------------------------------- prices

export interface PricedBid {
  organizationId: string;
  bidderName: string;
  /** 投标报价 in fen. */
  priceFen: bigint;
}

const yuan = (fen: bigint) => Number(fen) / 100;

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Sample standard deviation (n − 1). */
function sampleSd(values: number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

export const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** 离散系数 CV = sample sd / mean of the bids; null with fewer than `minBids` or a non-positive mean. */
export function coefficientOfVariation(bids: PricedBid[], minBids: number) {
  if (bids.length < minBids) return null;
  const values = bids.map((b) => yuan(b.priceFen));
  const m = mean(values);
  if (m <= 0) return null;
  const sd = sampleSd(values);
  return { cv: sd / m, mean: m, sd, n: values.length };
}

/**
 * 相对距离 RD = (b₂ − b₁) / sd(b₂ … bₙ), the losing bids' sample standard deviation (Imhof). Null with
 * fewer than `minBids` bids or when the losing bids are all equal (no dispersion to measure against).
 */
export function relativeDistance(bids: PricedBid[], minBids: number) {
  if (bids.length < Math.max(3, minBids)) return null;
  const sorted = bids.map((b) => yuan(b.priceFen)).sort((a, b) => a - b);
  const losing = sorted.slice(1);
  const sd = sampleSd(losing);
  if (sd === 0) return null;
  return {
    rd: (sorted[1]! - sorted[0]!) / sd,
    lowest: sorted[0]!,
    second: sorted[1]!,
    losingSd: sd,
    n: sorted.length,
  };
}

/**
 * 规律性差异: the bids from low to high step by the same difference (within `toleranceFen`), the step > 0.
 * Returns the sorted bids and the step, or null.
 */
export function arithmeticProgression(bids: PricedBid[], minBids: number, toleranceFen: bigint) {
  if (bids.length < Math.max(3, minBids)) return null;
  const sorted = [...bids].sort((a, b) => (a.priceFen < b.priceFen ? -1 : a.priceFen > b.priceFen ? 1 : 0));
  const steps: bigint[] = [];
  for (let i = 1; i < sorted.length; i++) steps.push(sorted[i]!.priceFen - sorted[i - 1]!.priceFen);
  const first = steps[0]!;
  if (first <= 0n) return null;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (!steps.every((d) => d > 0n && abs(d - first) <= toleranceFen)) return null;
  return { sorted, steps };
}

/** price_a / price_b rounded half up to two decimals, exactly (R023); a and b in fen, b > 0. */
export function priceRatio(a: bigint, b: bigint): string {
  const hundredths = (a * 200n + b) / (2n * b);
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, '0');
  return `${whole}.${frac}`;
}

export interface PricePair {
  a: PricedBid;
  b: PricedBid;
  ratio: string;
}

/** Every pair of bidders with different prices, ordered by organisation id, and their price ratio. */
export function pricePairs(bids: PricedBid[]): PricePair[] {
  const sorted = [...bids]
    .filter((b) => b.priceFen > 0n)
    .sort((x, y) => x.organizationId.localeCompare(y.organizationId));
  const out: PricePair[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      if (a.organizationId === b.organizationId || a.priceFen === b.priceFen) continue;
      out.push({ a, b, ratio: priceRatio(a.priceFen, b.priceFen) });
    }
  }
  return out;
}

// ------------------------------------------------------------------------------- expert scoring

export interface MemberScores {
  bidders: { bidId: string; bidderName: string; memberTotals: { memberId: string; score: string }[] }[];
}

export interface Deviation {
  memberId: string;
  bidId: string;
  bidderName: string;
  score: number;
  mean: number;
  deviationPercent: number;
}

/**
 * 评分偏离: a member's total for a bid that lies more than `maxPercent` % from the committee's mean for that
 * bid, for bids scored by at least `minMembers` members (mean > 0).
 */
export function scoreDeviations(scores: MemberScores, maxPercent: number, minMembers: number): Deviation[] {
  const out: Deviation[] = [];
  for (const b of scores.bidders) {
    if (b.memberTotals.length < minMembers) continue;
    const values = b.memberTotals.map((t) => Number(t.score));
    if (values.some((v) => !Number.isFinite(v))) continue;
    const m = mean(values);
    if (m <= 0) continue;
    for (const t of b.memberTotals) {
      const score = Number(t.score);
      const deviationPercent = (Math.abs(score - m) / m) * 100;
      if (deviationPercent > maxPercent) {
        out.push({
          memberId: t.memberId,
          bidId: b.bidId,
          bidderName: b.bidderName,
          score,
          mean: round4(m),
          deviationPercent: Math.round(deviationPercent * 100) / 100,
        });
      }
    }
  }
  return out;
}
