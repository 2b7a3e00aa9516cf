/**
 * Compact state for the fold: organisations interned to dense indexes with their counters in parallel
 * arrays, and the bids of the release being folded read once into reusable arrays. Both keep the hot path
 * free of per-release allocations and of repeated walks over the parsed JSON.
 */

/** A JSON object as JSON.parse returns it: read with care, any member may be of any type. */
export type Node = Record<string, unknown>;

export function node(value: unknown): Node | undefined {
  return value !== null && typeof value === 'object' ? (value as Node) : undefined;
}

/** A numerator over a denominator per organisation (Cardinal's `Fraction`), in growable parallel arrays. */
export class Fractions {
  readonly index = new Map<string, number>();
  readonly ids: string[] = [];
  readonly numerators: number[] = [];
  readonly denominators: number[] = [];

  add(id: string, numerator: number, denominator: number): void {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.index.set(id, i);
      this.ids.push(id);
      this.numerators.push(0);
      this.denominators.push(0);
    }
    this.numerators[i]! += numerator;
    this.denominators[i]! += denominator;
  }
}

/**
 * Tenderers and suppliers (`bids/details[]/tenderers[]/id`, `awards[]/suppliers[]/id`) by dense index, with
 * the counters of R025, R038 and R048. An organisation has a Cardinal entry for an indicator exactly when
 * its denominator there is above zero.
 */
export class Organisations {
  readonly index = new Map<string, number>();
  readonly ids: string[] = [];
  /** R025: processes won, and processes with a valid bid (each counted once per process). */
  readonly wins: number[] = [];
  readonly validProcesses: number[] = [];
  /** R038: disqualified bids, and submitted bids. */
  readonly disqualifiedBids: number[] = [];
  readonly submittedBids: number[] = [];
  /** R048: processes with an active award to it alone (with a classified item), and the item prefixes. */
  readonly awardedProcesses: number[] = [];
  readonly prefixes: (string[] | undefined)[] = [];

  intern(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.index.set(id, i);
      this.ids.push(id);
      this.wins.push(0);
      this.validProcesses.push(0);
      this.disqualifiedBids.push(0);
      this.submittedBids.push(0);
      this.awardedProcesses.push(0);
      this.prefixes.push(undefined);
    }
    return i;
  }
}

/**
 * The bids of the release being folded (`bids.details`), read once into parallel arrays that are reused
 * from release to release.
 */
export class BidTable {
  length = 0;
  /** `status` when it is text. */
  readonly status: (string | undefined)[] = [];
  /** `tenderers` when it is an array. */
  readonly tenderers: (unknown[] | undefined)[] = [];
  /** The id of the only tenderer, when `tenderers` holds exactly one and its id is text. */
  readonly soleTenderer: (string | undefined)[] = [];
  /** Its index in `Organisations` (−1 when there is none, or when not interning). */
  readonly soleIndex: number[] = [];
  /** `value.amount`, NaN when it is not a number. */
  readonly amount: number[] = [];
  /** `value.currency` when it is text. */
  readonly currency: (string | undefined)[] = [];
  /** `date` when it is text (read only when asked for). */
  readonly date: (string | undefined)[] = [];

  load(list: unknown[], organisations: Organisations | undefined, withDates: boolean): void {
    const n = list.length;
    this.length = n;
    for (let i = 0; i < n; i++) {
      const bid = list[i];
      if (bid === null || typeof bid !== 'object') {
        this.status[i] = undefined;
        this.tenderers[i] = undefined;
        this.soleTenderer[i] = undefined;
        this.soleIndex[i] = -1;
        this.amount[i] = Number.NaN;
        this.currency[i] = undefined;
        this.date[i] = undefined;
        continue;
      }
      const b = bid as Node;
      const status = b.status;
      this.status[i] = typeof status === 'string' ? status : undefined;
      const tenderers = b.tenderers;
      let sole: string | undefined;
      if (Array.isArray(tenderers)) {
        this.tenderers[i] = tenderers;
        if (tenderers.length === 1) {
          const id = node(tenderers[0])?.id;
          if (typeof id === 'string') sole = id;
        }
      } else {
        this.tenderers[i] = undefined;
      }
      this.soleTenderer[i] = sole;
      this.soleIndex[i] = sole !== undefined && organisations !== undefined ? organisations.intern(sole) : -1;
      const value = node(b.value);
      const amount = value?.amount;
      const currency = value?.currency;
      this.amount[i] = typeof amount === 'number' ? amount : Number.NaN;
      this.currency[i] = typeof currency === 'string' ? currency : undefined;
      if (withDates) {
        const date = b.date;
        this.date[i] = typeof date === 'string' ? date : undefined;
      }
    }
  }

  /**
   * The textual ids of bid i's tenderers, in order (`distinct`: each once), written into `out` and
   * returned.
   */
  tendererIds(i: number, distinct: boolean, out: string[]): string[] {
    out.length = 0;
    const tenderers = this.tenderers[i];
    if (tenderers === undefined) return out;
    if (tenderers.length === 1) {
      const sole = this.soleTenderer[i];
      if (sole !== undefined) out.push(sole);
      return out;
    }
    for (const tenderer of tenderers) {
      const id = node(tenderer)?.id;
      if (typeof id === 'string' && !(distinct && out.includes(id))) out.push(id);
    }
    return out;
  }
}

/** A submitted bid: pending, valid or disqualified — any textual status but invited and withdrawn. */
export function isSubmitted(status: string | undefined): boolean {
  return status !== undefined && status !== 'invited' && status !== 'withdrawn';
}

/**
 * Cardinal's `get_complete_awards_and_bids_if_all_awards_final`: the active awards, or undefined when an
 * award is still in another state (pending, or not a status of the codelist) — results must be stable.
 * An award without a textual status is ignored.
 */
export function finalActiveAwards(awards: unknown[]): unknown[] | undefined {
  const active: unknown[] = [];
  for (const award of awards) {
    const status = node(award)?.status;
    if (typeof status !== 'string') continue;
    if (status === 'active') active.push(award);
    else if (status !== 'cancelled' && status !== 'unsuccessful') return undefined;
  }
  return active;
}

/** The textual ids of the suppliers of the active awards. */
export function activeSupplierIds(awards: unknown[]): string[] {
  const ids: string[] = [];
  for (const a of awards) {
    const award = node(a);
    if (award === undefined || award.status !== 'active' || !Array.isArray(award.suppliers)) continue;
    for (const supplier of award.suppliers) {
      const id = node(supplier)?.id;
      if (typeof id === 'string') ids.push(id);
    }
  }
  return ids;
}

/** Matches when no methods are set, else when `tender.procurementMethod` is one of them. */
export function matchesProcurementMethod(tender: Node, methods: ReadonlySet<string>): boolean {
  if (methods.size === 0) return true;
  const method = tender.procurementMethod;
  return typeof method === 'string' && methods.has(method);
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (const x of a) if (!b.includes(x)) return false;
  return true;
}

/** The first `n` characters (Unicode scalar values, as Rust's `chars().take(n)`). */
export function firstChars(text: string, n: number): string {
  let units = 0;
  for (let count = 0; count < n && units < text.length; count++) {
    const code = text.charCodeAt(units);
    units += code >= 0xd800 && code <= 0xdbff && units + 1 < text.length ? 2 : 1;
  }
  return text.slice(0, units);
}
