import type { IndicatorCode } from './codes.ts';
import { parseRfc3339, wholeDaysBetween } from './rfc3339.ts';
import type { CardinalSettings } from './settings.ts';
import { percentile, quantile, round4, sortedCopy, tukeyFence } from './statistics.ts';
import {
  activeSupplierIds,
  BidTable,
  Fractions,
  finalActiveAwards,
  firstChars,
  isSubmitted,
  matchesProcurementMethod,
  type Node,
  node,
  Organisations,
  sameSet,
} from './tables.ts';

/**
 * Cardinal's `indicators` command as one streaming fold: `add` each compiled release (one contracting
 * process, one line of the JSON Lines file), then `result` once. Process-level flags (R003, R018, R028,
 * R030, R035, R036) are decided as a release is added; the flags relative to the population (R024, R025,
 * R038, R048, R058) keep only compact per-process ratios and per-organisation counters until `result`,
 * where the quartiles and Tukey fences are computed over the whole file.
 *
 * Semantics follow open-contracting/cardinal-rs (src/lib.rs, src/indicators/*.rs) rule by rule; the
 * comments name the rule each check implements. Memory is O(processes with a bid ratio + organisations).
 */

type Scores = Partial<Record<IndicatorCode, number>>;
type MetaValues = Record<string, number | null>;

/** Cardinal's output: flags per group and identifier (absent where nothing was flagged), and Meta. */
export interface CardinalResult {
  /** Per `ocid`. */
  OCID?: Record<string, Scores>;
  /** Per `buyer/id`. */
  Buyer?: Record<string, Scores>;
  /** Per `tender/procuringEntity/id`. */
  ProcuringEntity?: Record<string, Scores>;
  /** Per `bids/details[]/tenderers[]/id` (and award supplier). */
  Tenderer?: Record<string, Scores>;
  /** The quartiles and fences used, per indicator, rounded to four decimals (null where there was no data). */
  Meta?: Partial<Record<IndicatorCode, MetaValues>>;
}

/**
 * The state of a fold before `result`, as plain data a worker thread can post: Cardinal's `reduce` input.
 * Organisations are named by id (indexes are private to each fold).
 */
export interface CardinalPartial {
  releases: number;
  processes: number;
  currency: string | undefined;
  ocid: [string, Scores][];
  tenderer: [string, Scores][];
  ratioOcids: string[];
  ratios: number[];
  /** Indexes into `organisations.ids`. */
  winners: number[];
  runnersUp: number[];
  organisations: {
    ids: string[];
    wins: number[];
    validProcesses: number[];
    disqualifiedBids: number[];
    submittedBids: number[];
    awardedProcesses: number[];
    prefixes: (string[] | undefined)[];
  } | null;
  buyer: { ids: string[]; numerators: number[]; denominators: number[] };
  procuringEntity: { ids: string[]; numerators: number[]; denominators: number[] };
}

export type CardinalGroup = 'OCID' | 'Buyer' | 'ProcuringEntity' | 'Tenderer';
export const CARDINAL_GROUPS: readonly CardinalGroup[] = ['OCID', 'Buyer', 'ProcuringEntity', 'Tenderer'];

const DEFAULT_R018_METHODS = ['open', 'selective'];

function fractionsOf({ ids, numerators, denominators }: Fractions): CardinalPartial['buyer'] {
  return { ids, numerators, denominators };
}

export class CardinalScan {
  readonly #on: Record<IndicatorCode, boolean>;
  readonly #secondLowestBidRatio: boolean;
  readonly #settings: CardinalSettings;
  readonly #excluded: ReadonlySet<string>;
  readonly #priceComparison: ReadonlySet<string>;
  readonly #noPriceComparison: ReadonlySet<string>;
  readonly #r003Threshold: number;
  readonly #r003Methods: ReadonlySet<string>;
  readonly #r003Details: ReadonlyMap<string, number>;
  readonly #r018Methods: ReadonlySet<string>;
  readonly #r035Threshold: number;
  readonly #r048Digits: number;

  /** Cardinal's `item.currency`: the main currency, once known (shared by R024/R058 and R036). */
  #currency: string | undefined;
  #releases = 0;
  #processes = 0;
  #finished: CardinalResult | undefined;

  readonly #ocid = new Map<string, Scores>();
  readonly #tenderer = new Map<string, Scores>();
  readonly #buyer = new Map<string, Scores>();
  readonly #procuringEntity = new Map<string, Scores>();
  readonly #meta: Partial<Record<IndicatorCode, MetaValues>> = {};

  /** Tenderers and suppliers with their R025, R038 and R048 counters; undefined when none of those is on. */
  readonly #organisations: Organisations | undefined;
  // R024/R058: per ocid, (second-lowest valid bid − winning bid) / winning bid and the two tenderers.
  readonly #ratioSlot = new Map<string, number>();
  readonly #ratioOcids: string[] = [];
  readonly #ratios: number[] = [];
  readonly #winners: number[] = [];
  readonly #runnersUp: number[] = [];
  // R038: disqualified over submitted bids per buyer and per procuring entity.
  readonly #r038Buyer = new Fractions();
  readonly #r038ProcuringEntity = new Fractions();

  // Scratch space reused from release to release.
  readonly #bids = new BidTable();
  readonly #priceBids: number[] = [];
  readonly #ids: string[] = [];
  readonly #otherIds: string[] = [];
  readonly #disqualified: string[] = [];
  readonly #observed: number[] = [];

  constructor(settings: CardinalSettings) {
    this.#settings = settings;
    const on = {} as Record<IndicatorCode, boolean>;
    for (const code of [
      'R003',
      'R018',
      'R024',
      'R025',
      'R028',
      'R030',
      'R035',
      'R036',
      'R038',
      'R048',
      'R058',
    ] as const) {
      on[code] = settings.enabled.includes(code);
    }
    this.#on = on;
    this.#secondLowestBidRatio = on.R024 || on.R058;
    this.#organisations =
      this.#secondLowestBidRatio || on.R025 || on.R038 || on.R048 ? new Organisations() : undefined;
    this.#currency = undefined;
    this.#excluded = new Set(settings.exclusions?.procurementMethodDetails ?? []);
    this.#priceComparison = new Set(settings.priceComparisonProcurementMethods ?? []);
    this.#noPriceComparison = new Set(settings.noPriceComparisonProcurementMethods ?? []);
    const per = settings.perIndicator;
    this.#r003Threshold = per.R003?.threshold ?? 15;
    this.#r003Methods = new Set(per.R003?.procurement_methods ?? []);
    this.#r003Details = new Map(Object.entries(per.R003?.procurement_method_details ?? {}));
    this.#r018Methods = new Set(per.R018?.procurement_methods ?? DEFAULT_R018_METHODS);
    this.#r035Threshold = Math.max(per.R035?.threshold ?? 1, 1);
    this.#r048Digits = per.R048?.digits ?? 2;
  }

  /** Lines folded (every value `add` received). */
  get releases(): number {
    return this.#releases;
  }

  /** Contracting processes the indicators looked at: an `ocid`, not cancelled, not excluded. */
  get processes(): number {
    return this.#processes;
  }

  /**
   * Whether amounts can be compared already: the main currency is known, or no enabled indicator needs
   * it. Until then the fold must stay in file order (the first currency observed becomes the main one).
   */
  get currencySettled(): boolean {
    return (
      this.#currency !== undefined ||
      this.#settings.currency !== undefined ||
      !(this.#secondLowestBidRatio || this.#on.R036)
    );
  }

  /** The main currency, once known. */
  get currency(): string | undefined {
    return this.#currency ?? this.#settings.currency;
  }

  /** The fold so far as plain data (Cardinal's fold output), for `merge` into another scan. */
  partial(): CardinalPartial {
    const organisations = this.#organisations;
    return {
      releases: this.#releases,
      processes: this.#processes,
      currency: this.#currency,
      ocid: [...this.#ocid],
      tenderer: [...this.#tenderer],
      ratioOcids: this.#ratioOcids,
      ratios: this.#ratios,
      winners: this.#winners,
      runnersUp: this.#runnersUp,
      organisations:
        organisations === undefined
          ? null
          : {
              ids: organisations.ids,
              wins: organisations.wins,
              validProcesses: organisations.validProcesses,
              disqualifiedBids: organisations.disqualifiedBids,
              submittedBids: organisations.submittedBids,
              awardedProcesses: organisations.awardedProcesses,
              prefixes: organisations.prefixes,
            },
      buyer: fractionsOf(this.#r038Buyer),
      procuringEntity: fractionsOf(this.#r038ProcuringEntity),
    };
  }

  /**
   * Cardinal's `reduce`: adds the fold of the lines that come after this one's (same settings). Counters
   * add up, a repeated ocid overwrites, flags of the same identifier join.
   */
  merge(other: CardinalPartial): void {
    if (this.#finished !== undefined) throw new Error('CardinalScan.merge after result()');
    this.#releases += other.releases;
    this.#processes += other.processes;
    this.#currency ??= other.currency;
    for (const [id, scores] of other.ocid) this.#join(this.#ocid, id, scores);
    for (const [id, scores] of other.tenderer) this.#join(this.#tenderer, id, scores);
    const organisations = this.#organisations;
    if (organisations !== undefined && other.organisations !== null) {
      const o = other.organisations;
      // Their organisation indexes → ours.
      const indexOf = new Int32Array(o.ids.length);
      for (let i = 0; i < o.ids.length; i++) {
        const index = organisations.intern(o.ids[i]!);
        indexOf[i] = index;
        organisations.wins[index]! += o.wins[i]!;
        organisations.validProcesses[index]! += o.validProcesses[i]!;
        organisations.disqualifiedBids[index]! += o.disqualifiedBids[i]!;
        organisations.submittedBids[index]! += o.submittedBids[i]!;
        organisations.awardedProcesses[index]! += o.awardedProcesses[i]!;
        const prefixes = o.prefixes[i];
        if (prefixes === undefined) continue;
        const mine = organisations.prefixes[index];
        if (mine === undefined) organisations.prefixes[index] = [...prefixes];
        else for (const prefix of prefixes) if (!mine.includes(prefix)) mine.push(prefix);
      }
      for (let i = 0; i < other.ratioOcids.length; i++) {
        this.#setRatio(
          other.ratioOcids[i]!,
          other.ratios[i]!,
          indexOf[other.winners[i]!]!,
          indexOf[other.runnersUp[i]!]!,
        );
      }
    }
    for (const [mine, theirs] of [
      [this.#r038Buyer, other.buyer],
      [this.#r038ProcuringEntity, other.procuringEntity],
    ] as const) {
      for (let i = 0; i < theirs.ids.length; i++)
        mine.add(theirs.ids[i]!, theirs.numerators[i]!, theirs.denominators[i]!);
    }
  }

  #join(map: Map<string, Scores>, id: string, scores: Scores): void {
    const mine = map.get(id);
    if (mine === undefined) map.set(id, { ...scores });
    else Object.assign(mine, scores);
  }

  /** Folds one compiled release (a parsed JSON value; anything that is not a release is ignored). */
  add(release: unknown): void {
    if (this.#finished !== undefined) throw new Error('CardinalScan.add after result()');
    this.#releases++;
    const r = node(release);
    if (r === undefined || Array.isArray(r)) return;
    const ocid = r.ocid;
    if (typeof ocid !== 'string') return;
    const tender = node(r.tender);
    // Cancelled contracting processes are left out of every indicator (is_cancelled_contracting_process).
    if (tender !== undefined && tender.status === 'cancelled') return;
    const details = tender?.procurementMethodDetails;
    const methodDetails = typeof details === 'string' ? details : undefined;
    // [exclusions] procurement_method_details: a deny list.
    if (methodDetails !== undefined && this.#excluded.has(methodDetails)) return;
    this.#processes++;

    const on = this.#on;
    // Price comparison applies unless the method is on the deny list, or, with an allow list, not on it.
    const comparesPrices =
      this.#priceComparison.size > 0
        ? methodDetails !== undefined && this.#priceComparison.has(methodDetails)
        : methodDetails === undefined || !this.#noPriceComparison.has(methodDetails);

    const bidsValue = node(r.bids)?.details;
    const bidList = Array.isArray(bidsValue) ? (bidsValue as unknown[]) : undefined;
    const awardsValue = r.awards;
    const awards = Array.isArray(awardsValue) ? (awardsValue as unknown[]) : undefined;
    // Every indicator below reads the bids from this table, filled once per release.
    const bids = this.#bids;
    if (bidList !== undefined) bids.load(bidList, this.#organisations, on.R030);
    else bids.length = 0;

    // The active awards of a process whose awards are all final; then its single active award's single
    // supplier, the precondition of R024, R025 and R058 (no lots, no consortia: cardinal-rs #14, #17).
    let completeAwards: unknown[] | undefined;
    if (bidList !== undefined && awards !== undefined && (this.#secondLowestBidRatio || on.R025 || on.R035)) {
      completeAwards = finalActiveAwards(awards);
    }
    let soleSupplier: string | undefined;
    if (completeAwards !== undefined && completeAwards.length === 1) {
      const suppliers = node(completeAwards[0])?.suppliers;
      if (Array.isArray(suppliers) && suppliers.length === 1) {
        const id = node(suppliers[0])?.id;
        if (typeof id === 'string') soleSupplier = id;
      }
    }

    if (this.#secondLowestBidRatio && comparesPrices && soleSupplier !== undefined) {
      this.#foldSecondLowestBidRatio(ocid, soleSupplier);
    }
    if (on.R003 && tender !== undefined) this.#foldR003(ocid, tender, methodDetails);
    if (on.R018 && tender !== undefined) this.#foldR018(ocid, tender);
    if (on.R025 && soleSupplier !== undefined) this.#foldR025(soleSupplier);
    if (on.R028 && comparesPrices) this.#foldR028(ocid);
    if (on.R030 && tender !== undefined && awards !== undefined && bidList !== undefined) {
      this.#foldR030(ocid, tender, awards);
    }
    if (on.R035 && completeAwards !== undefined) this.#foldR035(ocid, completeAwards);
    if (on.R036 && comparesPrices && awards !== undefined && bidList !== undefined)
      this.#foldR036(ocid, awards);
    if (on.R038) this.#foldR038(r, tender);
    if (on.R048 && awards !== undefined) this.#foldR048(awards);
  }

  /** Finalizes: computes the fences and the population-relative flags. Call once, after the last `add`. */
  result(): CardinalResult {
    if (this.#finished !== undefined) return this.#finished;
    const on = this.#on;
    if (on.R024) this.#finalizeR024();
    if (on.R025) this.#finalizeR025();
    if (on.R038) this.#finalizeR038();
    if (on.R048) this.#finalizeR048();
    if (on.R058) this.#finalizeR058();

    const result: CardinalResult = {};
    const groups: [CardinalGroup, Map<string, Scores>][] = [
      ['OCID', this.#ocid],
      ['Buyer', this.#buyer],
      ['ProcuringEntity', this.#procuringEntity],
      ['Tenderer', this.#tenderer],
    ];
    for (const [group, map] of groups) {
      if (map.size === 0) continue;
      const out: Record<string, Scores> = {};
      for (const [id, scores] of map) out[id] = scores;
      result[group] = out;
    }
    result.Meta = this.#meta;
    this.#finished = result;
    return result;
  }

  // ------------------------------------------------------------------------------------- folds

  #flag(map: Map<string, Scores>, id: string, code: IndicatorCode, value: number): void {
    const scores = map.get(id);
    if (scores === undefined) map.set(id, { [code]: value });
    else scores[code] = value;
  }

  /** Cardinal's `item.currency.get_or_insert_with(...)`: is this the main currency (fixing it if unknown)? */
  #isMainCurrency(currency: string): boolean {
    if (this.#currency === undefined) this.#currency = this.#settings.currency ?? currency;
    return currency === this.#currency;
  }

  /** SecondLowestBidRatio (src/indicators/util.rs): the winner's lowest valid bid against the next one. */
  #foldSecondLowestBidRatio(ocid: string, supplierId: string): void {
    const bids = this.#bids;
    const { status, soleTenderer, soleIndex, amount, currency } = bids;
    let winner = -1;
    let winnerAmount = 0;
    let runnerUp = -1;
    let runnerUpAmount = 0;
    for (let i = 0; i < bids.length; i++) {
      // get_tenderer_and_value_of_valid_bids: a valid bid with an amount, a currency and one tenderer.
      const tendererId = soleTenderer[i];
      const value = amount[i]!;
      const code = currency[i];
      if (status[i] !== 'valid' || tendererId === undefined || Number.isNaN(value) || code === undefined)
        continue;
      if (!this.#isMainCurrency(code)) continue;
      if (tendererId === supplierId) {
        // If the winner submitted several bids, take the lowest.
        if (winner === -1 || value < winnerAmount) {
          winner = soleIndex[i]!;
          winnerAmount = value;
        }
      } else if (runnerUp === -1 || value < runnerUpAmount) {
        runnerUp = soleIndex[i]!;
        runnerUpAmount = value;
      }
    }
    // If the lowest bid did not win, the award criteria are not price only, as the indicator assumes.
    if (winner === -1 || runnerUp === -1 || !(runnerUpAmount >= winnerAmount)) return;
    this.#setRatio(ocid, (runnerUpAmount - winnerAmount) / winnerAmount, winner, runnerUp);
  }

  #setRatio(ocid: string, ratio: number, winner: number, runnerUp: number): void {
    const slot = this.#ratioSlot.get(ocid);
    if (slot === undefined) {
      this.#ratioSlot.set(ocid, this.#ratioOcids.length);
      this.#ratioOcids.push(ocid);
      this.#ratios.push(ratio);
      this.#winners.push(winner);
      this.#runnersUp.push(runnerUp);
    } else {
      // A repeated ocid overwrites, as Cardinal's HashMap insert does.
      this.#ratios[slot] = ratio;
      this.#winners[slot] = winner;
      this.#runnersUp[slot] = runnerUp;
    }
  }

  /** R003 Short submission period: fewer whole days than the threshold (per procurementMethodDetails). */
  #foldR003(ocid: string, tender: Node, methodDetails: string | undefined): void {
    if (!matchesProcurementMethod(tender, this.#r003Methods)) return;
    const period = node(tender.tenderPeriod);
    if (period === undefined) return;
    const startText = period.startDate;
    const endText = period.endDate;
    if (typeof startText !== 'string' || typeof endText !== 'string') return;
    const start = parseRfc3339(startText);
    const end = start === undefined ? undefined : parseRfc3339(endText);
    if (start === undefined || end === undefined) return;
    const threshold =
      methodDetails !== undefined
        ? (this.#r003Details.get(methodDetails) ?? this.#r003Threshold)
        : this.#r003Threshold;
    if (wholeDaysBetween(start, end) < threshold) this.#flag(this.#ocid, ocid, 'R003', 1);
  }

  /** R018 Single bid received: `tender.numberOfTenderers` is 1 in a competitive method. */
  #foldR018(ocid: string, tender: Node): void {
    if (tender.numberOfTenderers === 1 && matchesProcurementMethod(tender, this.#r018Methods)) {
      this.#flag(this.#ocid, ocid, 'R018', 1);
    }
  }

  /** R025 Excessive unsuccessful bids: count each tenderer with a valid bid once per process, and its win. */
  #foldR025(supplierId: string): void {
    const bids = this.#bids;
    const organisations = this.#organisations!;
    const { status, soleTenderer, soleIndex } = bids;
    for (let i = 0; i < bids.length; i++) {
      const index = soleIndex[i]!;
      if (status[i] !== 'valid' || index === -1) continue;
      // Once per contracting process, however many valid bids.
      let repeat = false;
      for (let j = 0; j < i && !repeat; j++) repeat = soleIndex[j] === index && status[j] === 'valid';
      if (repeat) continue;
      organisations.validProcesses[index]!++;
      if (soleTenderer[i] === supplierId) organisations.wins[index]!++;
    }
  }

  /** R028 Identical bid prices: submitted bids of different tenderer sets with the same amount and currency. */
  #foldR028(ocid: string): void {
    const bids = this.#bids;
    const { status, tenderers, amount, currency } = bids;
    // Per distinct (amount, currency), the last submitted bid at that price.
    const priceBids = this.#priceBids;
    priceBids.length = 0;
    for (let i = 0; i < bids.length; i++) {
      const value = amount[i]!;
      const code = currency[i];
      if (!isSubmitted(status[i]) || tenderers[i] === undefined || Number.isNaN(value) || code === undefined)
        continue;
      const ids = bids.tendererIds(i, true, this.#ids);
      if (ids.length === 0) continue;
      let j = 0;
      while (j < priceBids.length && !(amount[priceBids[j]!] === value && currency[priceBids[j]!] === code))
        j++;
      if (j < priceBids.length) {
        const other = bids.tendererIds(priceBids[j]!, true, this.#otherIds);
        // A tenderer may submit further bids at the same price.
        if (!sameSet(ids, other)) {
          this.#flag(this.#ocid, ocid, 'R028', 1);
          for (const id of ids) this.#flag(this.#tenderer, id, 'R028', 1);
          for (const id of other) this.#flag(this.#tenderer, id, 'R028', 1);
        }
      }
      priceBids[j] = i;
    }
  }

  /** R030 Late bid won: a valid bid dated after `tender.tenderPeriod.endDate` (compared as text) won. */
  #foldR030(ocid: string, tender: Node, awards: unknown[]): void {
    const endDate = node(tender.tenderPeriod)?.endDate;
    if (typeof endDate !== 'string') return;
    const bids = this.#bids;
    const { status, tenderers, date } = bids;
    let suppliers: string[] | undefined;
    for (let i = 0; i < bids.length; i++) {
      const dated = date[i];
      // Compared as strings, as Cardinal does: the timestamps must share a format and an offset.
      if (status[i] !== 'valid' || dated === undefined || tenderers[i] === undefined || !(dated > endDate))
        continue;
      suppliers ??= activeSupplierIds(awards);
      for (const id of bids.tendererIds(i, false, this.#ids)) {
        if (suppliers.includes(id)) {
          this.#flag(this.#ocid, ocid, 'R030', 1);
          this.#flag(this.#tenderer, id, 'R030', 1);
        }
      }
    }
  }

  /** R035 All except winning bid disqualified: one valid tenderer, the sole winner, others disqualified. */
  #foldR035(ocid: string, completeAwards: unknown[]): void {
    const bids = this.#bids;
    const { status, tenderers } = bids;
    let valid: string | undefined;
    const disqualified = this.#disqualified;
    disqualified.length = 0;
    for (let i = 0; i < bids.length; i++) {
      const s = status[i];
      if ((s !== 'valid' && s !== 'disqualified') || tenderers[i] === undefined) continue;
      for (const id of bids.tendererIds(i, true, this.#ids)) {
        if (s === 'disqualified') {
          if (!disqualified.includes(id)) disqualified.push(id);
        } else if (valid === undefined) {
          valid = id;
        } else if (id !== valid) {
          // Not applicable to several tenderers: a buyer may aggregate bids into one award.
          return;
        }
      }
    }
    if (valid === undefined) return;
    // The suppliers of the active awards must be exactly this tenderer.
    let supplied = false;
    for (const award of completeAwards) {
      const suppliers = node(award)?.suppliers;
      if (!Array.isArray(suppliers)) continue;
      for (const supplier of suppliers) {
        const id = node(supplier)?.id;
        if (typeof id !== 'string') continue;
        if (id !== valid) return;
        supplied = true;
      }
    }
    if (!supplied) return;
    let others = 0;
    for (const id of disqualified) if (id !== valid) others++;
    if (others >= this.#r035Threshold) {
      this.#flag(this.#ocid, ocid, 'R035', others);
      this.#flag(this.#tenderer, valid, 'R035', 0);
    }
  }

  /** R036 Lowest bid disqualified: some award is active, a valid bid has an amount, the lowest is disqualified. */
  #foldR036(ocid: string, awards: unknown[]): void {
    if (!awards.some((award) => node(award)?.status === 'active')) return;
    const bids = this.#bids;
    const { status, amount, currency } = bids;
    let lowest = 0;
    let seen = false;
    let lowestDisqualified = false;
    let validWithAmount = false;
    for (let i = 0; i < bids.length; i++) {
      const s = status[i];
      const value = amount[i]!;
      const code = currency[i];
      if (!isSubmitted(s) || Number.isNaN(value) || code === undefined) continue;
      if (!this.#isMainCurrency(code)) continue;
      if (!seen || value < lowest) {
        seen = true;
        lowest = value;
        lowestDisqualified = s === 'disqualified';
      }
      if (s === 'valid') validWithAmount = true;
    }
    if (validWithAmount && lowestDisqualified) this.#flag(this.#ocid, ocid, 'R036', 1);
  }

  /** R038 Excessive disqualified bids: count submitted and disqualified bids per organisation. */
  #foldR038(release: Node, tender: Node | undefined): void {
    const bids = this.#bids;
    const organisations = this.#organisations!;
    const { status, tenderers, soleIndex } = bids;
    let submitted = 0;
    let disqualified = 0;
    for (let i = 0; i < bids.length; i++) {
      const s = status[i];
      if (!isSubmitted(s)) continue;
      submitted++;
      const increment = s === 'disqualified' ? 1 : 0;
      disqualified += increment;
      const list = tenderers[i];
      if (list === undefined) continue;
      if (list.length === 1) {
        const index = soleIndex[i]!;
        if (index === -1) continue;
        organisations.disqualifiedBids[index]! += increment;
        organisations.submittedBids[index]!++;
        continue;
      }
      // Every tenderer of the bid, as often as it is listed.
      for (const id of bids.tendererIds(i, false, this.#ids)) {
        const index = organisations.intern(id);
        organisations.disqualifiedBids[index]! += increment;
        organisations.submittedBids[index]!++;
      }
    }
    if (submitted === 0) return;
    const buyerId = node(release.buyer)?.id;
    if (typeof buyerId === 'string') this.#r038Buyer.add(buyerId, disqualified, submitted);
    const entityId = node(tender?.procuringEntity)?.id;
    if (typeof entityId === 'string') this.#r038ProcuringEntity.add(entityId, disqualified, submitted);
  }

  /** R048 Heterogeneous supplier: classification prefixes of the items of a supplier's active awards. */
  #foldR048(awards: unknown[]): void {
    const organisations = this.#organisations!;
    const observed = this.#observed;
    observed.length = 0;
    for (const a of awards) {
      const award = node(a);
      if (award === undefined || award.status !== 'active') continue;
      const items = award.items;
      const suppliers = award.suppliers;
      // Do not assume that all suppliers supply all items: that overcounts heterogeneous suppliers.
      if (!Array.isArray(items) || !Array.isArray(suppliers) || suppliers.length !== 1) continue;
      const supplierId = node(suppliers[0])?.id;
      if (typeof supplierId !== 'string') continue;
      let index = -1;
      for (const item of items) {
        const classificationId = node(node(item)?.classification)?.id;
        if (typeof classificationId !== 'string') continue;
        if (index === -1) {
          index = organisations.intern(supplierId);
          // A supplier counts at most once per contracting process.
          if (!observed.includes(index)) {
            observed.push(index);
            organisations.awardedProcesses[index]!++;
          }
        }
        const prefix = firstChars(classificationId, this.#r048Digits);
        const prefixes = organisations.prefixes[index];
        if (prefixes === undefined) organisations.prefixes[index] = [prefix];
        else if (!prefixes.includes(prefix)) prefixes.push(prefix);
      }
    }
  }

  // ---------------------------------------------------------------------------------- finalize

  #setMeta(code: IndicatorCode, key: string, value: number): void {
    const meta = this.#meta[code] ?? {};
    meta[key] = Number.isFinite(value) ? round4(value) : null;
    this.#meta[code] = meta;
  }

  /** R024 Price close to winning bid: ratio ≤ Q1 − 1.5·IQR (or ≤ threshold); winner and runner-up noted. */
  #finalizeR024(): void {
    const threshold = this.#settings.perIndicator.R024?.threshold;
    let lowerFence: number;
    let q1: number;
    if (threshold === undefined) {
      const sorted = sortedCopy(this.#ratios);
      q1 = quantile(sorted, 0.25);
      const q3 = quantile(sorted, 0.75);
      this.#setMeta('R024', 'q1', q1);
      this.#setMeta('R024', 'q3', q3);
      lowerFence = tukeyFence(q1, q3 - q1, -1.5);
    } else {
      lowerFence = threshold;
      q1 = 1; // passes the guard below, as in Cardinal
    }
    this.#setMeta('R024', 'lower_fence', lowerFence);
    // Skip when a quarter of the processes have no difference at all; otherwise 75% would be flagged.
    if (!(q1 > 0 && lowerFence > 0)) return;
    const ratios = this.#ratios;
    const ids = this.#organisations!.ids;
    for (let i = 0; i < ratios.length; i++) {
      if (!(ratios[i]! <= lowerFence)) continue;
      this.#flag(this.#ocid, this.#ratioOcids[i]!, 'R024', ratios[i]!);
      this.#flag(this.#tenderer, ids[this.#winners[i]!]!, 'R024', 0);
      this.#flag(this.#tenderer, ids[this.#runnersUp[i]!]!, 'R024', 0);
    }
  }

  /** R025 Excessive unsuccessful bids: many valid bids (≥ P75) and a win ratio ≤ Q1 − 1.5·IQR. */
  #finalizeR025(): void {
    const setting = this.#settings.perIndicator.R025;
    const { ids: allIds, wins, validProcesses } = this.#organisations!;
    const ids: string[] = [];
    const counts: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < allIds.length; i++) {
      const count = validProcesses[i]!;
      if (count === 0) continue;
      ids.push(allIds[i]!);
      counts.push(count);
      ratios.push(wins[i]! / count);
    }
    const upperFence = percentile(sortedCopy(counts), setting?.percentile ?? 75);
    let lowerFence: number;
    let q1: number;
    if (setting?.threshold === undefined) {
      const sorted = sortedCopy(ratios);
      q1 = quantile(sorted, 0.25);
      const q3 = quantile(sorted, 0.75);
      this.#setMeta('R025', 'q1', q1);
      this.#setMeta('R025', 'q3', q3);
      lowerFence = tukeyFence(q1, q3 - q1, -1.5);
    } else {
      lowerFence = setting.threshold;
      q1 = 1;
    }
    this.#setMeta('R025', 'upper_fence', upperFence);
    this.#setMeta('R025', 'lower_fence', lowerFence);
    // Skip when a quarter of the tenderers never win; otherwise most frequent tenderers would be flagged.
    if (!(q1 > 0 && lowerFence > 0)) return;
    for (let i = 0; i < ids.length; i++) {
      if (counts[i]! >= upperFence && ratios[i]! <= lowerFence) {
        this.#flag(this.#tenderer, ids[i]!, 'R025', ratios[i]!);
      }
    }
  }

  /** R038 Excessive disqualified bids: ratio ≥ Q3 + 1.5·IQR (or ≥ threshold), per group. */
  #finalizeR038(): void {
    const setting = this.#settings.perIndicator.R038;
    const minimumProcesses = setting?.minimum_contracting_processes ?? 2;
    const minimumBids = setting?.minimum_submitted_bids ?? 2;
    const organisations = this.#organisations!;
    // Cardinal compares both minimums with the number of submitted bids (the fraction's denominator).
    const groups: [CardinalGroup, string[], number[], number[], number, Map<string, Scores>][] = [
      [
        'Buyer',
        this.#r038Buyer.ids,
        this.#r038Buyer.numerators,
        this.#r038Buyer.denominators,
        minimumProcesses,
        this.#buyer,
      ],
      [
        'ProcuringEntity',
        this.#r038ProcuringEntity.ids,
        this.#r038ProcuringEntity.numerators,
        this.#r038ProcuringEntity.denominators,
        minimumProcesses,
        this.#procuringEntity,
      ],
      [
        'Tenderer',
        organisations.ids,
        organisations.disqualifiedBids,
        organisations.submittedBids,
        minimumBids,
        this.#tenderer,
      ],
    ];
    for (const [group, allIds, numerators, denominators, minimum, target] of groups) {
      const ids: string[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < allIds.length; i++) {
        const denominator = denominators[i]!;
        // Organisations without a submitted bid have no entry at all (denominator 0).
        if (denominator === 0 || denominator < minimum) continue;
        ids.push(allIds[i]!);
        ratios.push(numerators[i]! / denominator);
      }
      if (ids.length === 0) continue;
      let upperFence = setting?.threshold;
      if (upperFence === undefined) {
        const sorted = sortedCopy(ratios);
        const q1 = quantile(sorted, 0.25);
        const q3 = quantile(sorted, 0.75);
        this.#setMeta('R038', `${group}_q1`, q1);
        this.#setMeta('R038', `${group}_q3`, q3);
        upperFence = tukeyFence(q3, q3 - q1, 1.5);
      }
      this.#setMeta('R038', `${group}_upper_fence`, upperFence);
      // Skip when three quarters have no disqualified bid; otherwise 75% would be flagged.
      if (!(upperFence > 0)) continue;
      for (let i = 0; i < ids.length; i++) {
        if (ratios[i]! >= upperFence) this.#flag(target, ids[i]!, 'R038', ratios[i]!);
      }
    }
  }

  /** R048 Heterogeneous supplier: distinct prefixes ≥ Q3 + 1.5·IQR over suppliers awarded often enough. */
  #finalizeR048(): void {
    const setting = this.#settings.perIndicator.R048;
    const minimum = setting?.minimum_contracting_processes ?? 20;
    const { ids: allIds, awardedProcesses, prefixes } = this.#organisations!;
    const ids: string[] = [];
    const varieties: number[] = [];
    for (let i = 0; i < allIds.length; i++) {
      const codes = prefixes[i];
      if (codes === undefined || awardedProcesses[i]! < minimum) continue;
      ids.push(allIds[i]!);
      varieties.push(codes.length);
    }
    let upperFence = setting?.threshold;
    if (upperFence === undefined) {
      const sorted = sortedCopy(varieties);
      const q1 = quantile(sorted, 0.25);
      const q3 = quantile(sorted, 0.75);
      this.#setMeta('R048', 'q1', q1);
      this.#setMeta('R048', 'q3', q3);
      upperFence = tukeyFence(q3, q3 - q1, 1.5);
    }
    this.#setMeta('R048', 'upper_fence', upperFence);
    for (let i = 0; i < ids.length; i++) {
      if (varieties[i]! >= upperFence) this.#flag(this.#tenderer, ids[i]!, 'R048', varieties[i]!);
    }
  }

  /** R058 Heavily discounted bid: ratio ≥ Q3 + 1.5·IQR (or ≥ threshold); the winner noted. */
  #finalizeR058(): void {
    let upperFence = this.#settings.perIndicator.R058?.threshold;
    if (upperFence === undefined) {
      const sorted = sortedCopy(this.#ratios);
      const q1 = quantile(sorted, 0.25);
      const q3 = quantile(sorted, 0.75);
      this.#setMeta('R058', 'q1', q1);
      this.#setMeta('R058', 'q3', q3);
      upperFence = tukeyFence(q3, q3 - q1, 1.5);
    }
    this.#setMeta('R058', 'upper_fence', upperFence);
    // Skip when three quarters of the processes have no difference; otherwise 75% would be flagged.
    if (!(upperFence > 0)) return;
    const ratios = this.#ratios;
    const ids = this.#organisations!.ids;
    for (let i = 0; i < ratios.length; i++) {
      if (!(ratios[i]! >= upperFence)) continue;
      this.#flag(this.#ocid, this.#ratioOcids[i]!, 'R058', ratios[i]!);
      this.#flag(this.#tenderer, ids[this.#winners[i]!]!, 'R058', 0);
    }
  }
}
