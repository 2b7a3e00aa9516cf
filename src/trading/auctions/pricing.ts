import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { nextValidFen } from './rules.ts';
import type { AuctionRow } from './store.ts';
import type { AuctionTerms } from './tables.ts';

/** Prices of an auction row in fen, for comparison. */
export interface PriceState {
  startFen: bigint;
  stepFen: bigint;
  currentFen: bigint | null;
  floorFen: bigint | null;
  capFen: bigint | null;
}

export const fenOf = (yuan: string | null): bigint | null => (yuan === null ? null : yuanToFen(yuan));

export function priceStateOf(row: AuctionRow): PriceState {
  const terms = row.terms as AuctionTerms;
  return {
    startFen: yuanToFen(row.start_price_yuan),
    stepFen: yuanToFen(row.step_yuan),
    currentFen: fenOf(row.current_price_yuan),
    floorFen: fenOf(row.floor_yuan),
    capFen: fenOf(terms.priceCapYuan),
  };
}

/** 一次报价 mode: every bid is sealed until the close; it is placed from the start price up. */
export function isSingleBid(row: AuctionRow): boolean {
  return (row.terms as AuctionTerms).bidMode === 'single';
}

/** Amounts nobody may see yet: 一次报价 bids and the sealed round's offers, until the bidding closes. */
export function amountsHidden(row: AuctionRow, kind: string): boolean {
  if (row.status !== 'bidding') return false;
  return kind === 'sealed' || isSingleBid(row);
}

export const HIDDEN_AMOUNT = '******';

/** The next three valid amounts (yuan) in the row's state; in 一次报价 mode the grid from the start price. */
export function nextValidYuan(row: AuctionRow): string[] {
  const s = priceStateOf(row);
  if (row.phase === 'sealed' || row.phase === 'entry') return [];
  if (isSingleBid(row)) return nextValidFen({ ...s, currentFen: null, floorFen: s.startFen }).map(fenToYuan);
  return nextValidFen(s).map(fenToYuan);
}
