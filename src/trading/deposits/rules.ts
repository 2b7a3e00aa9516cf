import {
  addDays,
  addWorkingDays,
  type CalendarDate,
  endOfShanghaiDay,
  shanghaiDateOf,
} from '../../platform/clock/index.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';

/**
 * The deposit rules as data (DESIGN §4 "Legal rules are data"): refund periods, interest and forfeiture,
 * each with its citation. The law a lot runs under is its procedure's (工程建设 'works' / 政府采购 'gp').
 */
export type Law = 'works' | 'gp' | 'rights';
export type RefundReason = 'withdrawn' | 'lot-failed' | 'not-awarded' | 'contract-signed' | 'terminated';

/** Why an instruction other than a refund was issued: 'deal' — the winner of an auction (竞得人). */
export type SettlementReason = 'deal';

export const REFUND_REASON_NAMES_ZH: Record<
  RefundReason | SettlementReason | 'wrong-payer' | 'late-arrival',
  string
> = {
  withdrawn: '投标截止前撤回投标文件',
  'lot-failed': '流标（招标失败）',
  'not-awarded': '未中标',
  'contract-signed': '合同已签订',
  terminated: '终止招标（采购）',
  'wrong-payer': '非投标人基本账户转入，原路退回',
  'late-arrival': '截止后到账，不计入保证金，原路退回',
  deal: '竞得（成交）：现金保证金转为成交价款，保函释放',
};

export const CITATIONS = {
  basicAccount:
    '《中华人民共和国招标投标法实施条例》第二十六条；《内蒙古自治区公共资源交易管理办法》第十八条',
  samePayer: '《中华人民共和国招标投标法实施条例》第四十条第（六）项',
  forfeit: '《中华人民共和国招标投标法实施条例》第三十五条第二款',
  neverKeeps: '《内蒙古自治区公共资源交易管理办法》第四十八条第（五）项',
  lateInterestGp: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第三十八条',
  deadline: '《电子招标投标办法》第二十六条',
  guaranteeValidity: '《中华人民共和国招标投标法实施条例》第二十六条（投标保证金有效期应当与投标有效期一致）',
} as const;

const RIGHTS_REFUND_CITATION =
  '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）；《企业国有产权交易操作规则》（国资发产权〔2009〕120号）：竞买保证金于交易结束后5个工作日内退还未竞得人，不计利息';

interface RefundPeriod {
  days: number;
  counting: 'calendar' | 'working';
  /** Whether bank interest for the same period (银行同期存款利息) is refunded with the principal. */
  depositInterest: boolean;
  citation: string;
}

/**
 * How long the initiator has to refund, by law and reason, counted from the event (`at`) under 87号令
 * 第八十五条 (the start day not counted; a last day on a holiday moves on).
 * 条例第三十一条 says "及时" for a terminated tender: 5 日 is used as the outer limit there, like its neighbours.
 */
export const REFUND_PERIODS: Record<Law, Record<RefundReason, RefundPeriod>> = {
  works: {
    withdrawn: {
      days: 5,
      counting: 'calendar',
      depositInterest: false,
      citation: '《中华人民共和国招标投标法实施条例》第三十五条',
    },
    'lot-failed': {
      days: 5,
      counting: 'calendar',
      depositInterest: true,
      citation: '《中华人民共和国招标投标法实施条例》第三十一条',
    },
    terminated: {
      days: 5,
      counting: 'calendar',
      depositInterest: true,
      citation: '《中华人民共和国招标投标法实施条例》第三十一条',
    },
    'not-awarded': {
      days: 5,
      counting: 'calendar',
      depositInterest: true,
      citation: '《中华人民共和国招标投标法实施条例》第五十七条',
    },
    'contract-signed': {
      days: 5,
      counting: 'calendar',
      depositInterest: true,
      citation: '《中华人民共和国招标投标法实施条例》第五十七条',
    },
  },
  gp: {
    withdrawn: {
      days: 5,
      counting: 'working',
      depositInterest: false,
      citation: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第三十八条',
    },
    'lot-failed': {
      days: 5,
      counting: 'working',
      depositInterest: false,
      citation: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十九条',
    },
    terminated: {
      days: 5,
      counting: 'working',
      depositInterest: false,
      citation: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十九条',
    },
    'not-awarded': {
      days: 5,
      counting: 'working',
      depositInterest: false,
      citation:
        '《中华人民共和国政府采购法实施条例》第三十三条；《政府采购货物和服务招标投标管理办法》（财政部令第87号）第三十八条',
    },
    'contract-signed': {
      days: 5,
      counting: 'working',
      depositInterest: false,
      citation:
        '《中华人民共和国政府采购法实施条例》第三十三条；《政府采购货物和服务招标投标管理办法》（财政部令第87号）第三十八条',
    },
  },
  // 拍卖、挂牌、网络竞价 (竞买保证金): refunded to those who did not win within 5 working days of the result,
  // without interest; the winner's is turned into part of the price (trading/auctions).
  rights: {
    withdrawn: { days: 5, counting: 'working', depositInterest: false, citation: RIGHTS_REFUND_CITATION },
    'lot-failed': { days: 5, counting: 'working', depositInterest: false, citation: RIGHTS_REFUND_CITATION },
    terminated: { days: 5, counting: 'working', depositInterest: false, citation: RIGHTS_REFUND_CITATION },
    'not-awarded': { days: 5, counting: 'working', depositInterest: false, citation: RIGHTS_REFUND_CITATION },
    'contract-signed': {
      days: 5,
      counting: 'working',
      depositInterest: false,
      citation: RIGHTS_REFUND_CITATION,
    },
  },
};

/**
 * 转为成交价款: after an auction the winner's cash deposit is paid over to the 出让人（转让方）'s 基本账户 as part
 * of the price, and a guarantee it gave is released (the price is then paid in full off the platform). The
 * rules say the deposit "转作定金/价款" on the deal without a period; the platform gives the institution the same
 * 5 working days as the refunds of the others, so the monitor flags a conversion left undone.
 */
export const CONVERSION_PERIOD = {
  days: 5,
  counting: 'working' as const,
  depositInterest: false,
  citation:
    '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）：竞得人支付的竞买保证金转作受让地块的定金；《企业国有产权交易操作规则》（国资发产权〔2009〕120号）：受让方交纳的保证金按约定转为交易价款',
};

/** A transfer that does not count (wrong payer, after the deadline) goes back at once: no legal period applies. */
export const RETURN_PERIOD_DAYS = 1;

export function refundPeriod(law: Law, reason: RefundReason): RefundPeriod {
  return REFUND_PERIODS[law][reason];
}

/** The end (23:59:59.999 Shanghai) of the period's last day. */
export function refundDueAt(at: Date, period: { days: number; counting: 'calendar' | 'working' }): Date {
  const start: CalendarDate = shanghaiDateOf(at);
  const last =
    period.counting === 'working' ? addWorkingDays(start, period.days) : addDays(start, period.days);
  return endOfShanghaiDay(last);
}

/** An annual interest rate in force from a date, with where it comes from. */
export interface InterestRate {
  /** Percent per year, decimal text ("0.35"). */
  annualPercent: string;
  effectiveFrom: CalendarDate;
  source: string;
}

/**
 * 银行同期存款利息 (条例第三十一条、第五十七条): the People's Bank of China benchmark demand-deposit rate
 * (活期存款基准利率), unchanged since 2015-10-24. A deposit is held for weeks, at call — 活期 is the deposit
 * "of the same period". Newer rates are appended here with their effective date.
 */
export const DEPOSIT_INTEREST_RATES: InterestRate[] = [
  {
    annualPercent: '0.35',
    effectiveFrom: '2015-10-24',
    source: '中国人民银行金融机构人民币活期存款基准利率（2015年10月24日起执行）',
  },
];

/**
 * 87号令第三十八条: a late GP refund carries 超期资金占用费 at the PBoC benchmark lending rate (同期贷款基准利率,
 * 1 year and under: 4.35% since 2015-10-24) raised by 20%, i.e. 5.22% a year.
 */
export const LATE_INTEREST_RATES: InterestRate[] = [
  {
    annualPercent: '5.22',
    effectiveFrom: '2015-10-24',
    source:
      '中国人民银行一年期以内贷款基准利率4.35%（2015年10月24日起执行）上浮20%（财政部令第87号第三十八条）',
  },
];

export function rateOn(rates: InterestRate[], date: CalendarDate): InterestRate {
  let found: InterestRate | undefined;
  for (const rate of rates) if (rate.effectiveFrom <= date) found = rate;
  if (!found) throw new RangeError(`no rate in force on ${date}`);
  return found;
}

const DAY_MS = 86_400_000;

/** Whole days between two instants' Shanghai dates (the value day counts, the end day does not). */
export function daysBetween(from: Date, to: Date): number {
  const a = Date.parse(`${shanghaiDateOf(from)}T00:00:00Z`);
  const b = Date.parse(`${shanghaiDateOf(to)}T00:00:00Z`);
  return Math.max(0, Math.round((b - a) / DAY_MS));
}

/**
 * Simple interest in yuan: principal × rate × days / 360 (人民银行《人民币利率管理规定》: 日利率 = 年利率 ÷ 360),
 * rounded half up to the fen. All in bigint: the rate is taken in millionths of a percent.
 */
export function simpleInterest(principalYuan: string, annualPercent: string, days: number): string {
  if (days <= 0) return '0.00';
  const [whole = '0', frac = ''] = annualPercent.split('.');
  const rateMicro = BigInt(whole) * 1_000_000n + BigInt(`${frac}000000`.slice(0, 6)); // percent × 10^6
  const numerator = yuanToFen(principalYuan) * rateMicro * BigInt(days);
  const denominator = 100n * 1_000_000n * 360n;
  return fenToYuan((numerator * 2n + denominator) / (2n * denominator));
}

/** Without a bid validity period in the tender, a guarantee must cover the deadline and 90 days after it. */
export const DEFAULT_BID_VALIDITY_DAYS = 90;
export const DEFAULT_BID_VALIDITY_MS = DEFAULT_BID_VALIDITY_DAYS * DAY_MS;
