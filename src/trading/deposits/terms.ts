import type { Kysely } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import { InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import type { WitnessOrigin } from '../../platform/witness/index.ts';
import { type DepositsDb, WITNESS, witness } from './context.ts';
import { findLot, getLotTimeline, getProcedure } from './deps.ts';
import { DEFAULT_BID_VALIDITY_MS, type Law } from './rules.ts';
import * as store from './store.ts';

/**
 * What a lot asks of a deposit, whatever way it trades: a tendered lot's tender timeline (投标截止, 开标,
 * 投标保证金) or, for a lot that is not tendered (挂牌、拍卖、网络竞价), the terms the auction module set
 * (竞买保证金, 保证金到账截止). Every rule of this module reads the lot through here.
 */
export interface LotTerms {
  source: 'tender' | 'terms';
  /** Cash must be valued and a guarantee in force before this instant (投标截止 / 保证金到账截止). */
  deadline: Date;
  /** From this instant who paid may be known (开标 / the end of the bidding); secret before. */
  revealAt: Date;
  /** Null (or zero) when no deposit is asked. */
  depositYuan: string | null;
  law: Law;
  /** A guarantee must stay valid at least until here (the bid validity period). */
  validityUntil: Date;
}

export async function lotTerms(anyDb: Db<DepositsDb>, lotId: string): Promise<LotTerms | null> {
  const db: Kysely<DepositsDb> = anyDb;
  const terms = await store.findTerms(db, lotId);
  if (terms) {
    const lot = await findLot(db, lotId);
    return {
      source: 'terms',
      deadline: terms.deadline,
      revealAt: terms.reveal_at,
      depositYuan: fenToYuan(yuanToFen(terms.deposit_yuan)),
      law: lot ? getProcedure(lot.procedureType).law : 'rights',
      validityUntil: terms.validity_until,
    };
  }
  const timeline = await getLotTimeline(db, lotId);
  if (!timeline) return null;
  return {
    source: 'tender',
    deadline: timeline.bidDeadline,
    revealAt: new Date(Math.max(timeline.openingAt.getTime(), timeline.bidDeadline.getTime())),
    depositYuan: timeline.depositYuan,
    law: getProcedure(timeline.procedureType as Parameters<typeof getProcedure>[0]).law,
    validityUntil: new Date(timeline.bidDeadline.getTime() + DEFAULT_BID_VALIDITY_MS),
  };
}

/** The law a lot's deposits follow: its terms', else its procedure's (a lot not yet announced). */
export async function lawOfLot(anyDb: Db<DepositsDb>, lotId: string): Promise<Law> {
  const db: Kysely<DepositsDb> = anyDb;
  const terms = await lotTerms(db, lotId);
  if (terms) return terms.law;
  const lot = await findLot(db, lotId);
  return lot ? getProcedure(lot.procedureType).law : 'works';
}

/** How the texts a person reads name things, by the law the lot trades under. */
export function wordingOf(law: Law) {
  return law === 'rights'
    ? {
        deposit: '竞买保证金',
        deadline: '保证金缴纳截止时间',
        notice: '出让（转让）公告',
        lot: '交易标的',
        bidder: '竞买人',
        reveal: '竞价结束',
        deadlineCitation:
          '出让（转让）公告载明的保证金到账截止时间；《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）',
      }
    : {
        deposit: '投标保证金',
        deadline: '投标截止时间',
        notice: '招标（采购）公告',
        lot: '标段（包）',
        bidder: '投标人',
        reveal: '开标',
        deadlineCitation: '《电子招标投标办法》第二十六条',
      };
}

export interface DepositTermsInput {
  lotId: string;
  depositYuan: string;
  deadline: Date;
  revealAt: Date;
  validityUntil: Date;
  setBy: string;
  /**
   * 延期 (延牌, the auction module's extension when too few bidders came): allowed after the deadline too,
   * but only to move the deadline later with the amount unchanged — the bidders who paid stay paid.
   */
  extension?: boolean | undefined;
}

/**
 * In the caller's transaction: the deposit a non-tendered lot asks (竞买保证金), paid before `deadline`
 * (保证金到账截止); who paid stays sealed until `revealAt`. Re-setting is allowed until the deadline; after
 * it only an `extension` (a later deadline, the same amount).
 * Witnessed (`deposit-terms.set`, entity the lot: the terms are public, who paid is not).
 */
export async function setDepositTerms(
  anyTx: Db<DepositsDb>,
  at: Date,
  origin: WitnessOrigin,
  input: DepositTermsInput,
): Promise<void> {
  const tx: Kysely<DepositsDb> = anyTx;
  const lot = await findLot(tx, input.lotId);
  if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  if (getProcedure(lot.procedureType).law !== 'rights') {
    throw new RuleViolation('DEPOSIT_TERMS_TENDERED_LOT', {
      title: '招标（采购）项目的保证金由招标（采购）公告规定',
      detail: `标段（包）${lot.code} 以招标（采购）方式交易，投标保证金在招标（采购）公告中载明，不另设竞买保证金。`,
    });
  }
  let depositFen: bigint;
  try {
    depositFen = yuanToFen(input.depositYuan);
  } catch {
    throw new InvalidInput('DEPOSIT_AMOUNT_INVALID', { title: '竞买保证金金额格式错误' });
  }
  if (depositFen < 0n) throw new InvalidInput('DEPOSIT_AMOUNT_INVALID', { title: '竞买保证金金额不能为负' });
  const times = [input.deadline, input.revealAt, input.validityUntil];
  if (times.some((t) => Number.isNaN(t.getTime()))) {
    throw new InvalidInput('DEPOSIT_TERMS_TIME_INVALID', { title: '保证金时间格式错误' });
  }
  if (input.deadline.getTime() <= at.getTime()) {
    throw new InvalidInput('DEPOSIT_DEADLINE_PASSED', {
      title: '保证金缴纳截止时间须晚于当前时间',
      detail: `保证金缴纳截止时间 ${input.deadline.toISOString()} 已过。`,
    });
  }
  if (input.revealAt.getTime() < input.deadline.getTime()) {
    throw new InvalidInput('DEPOSIT_REVEAL_BEFORE_DEADLINE', {
      title: '保证金缴纳情况的公开时间不得早于缴纳截止时间',
      detail: '截止前任何人不得知悉竞买人及其数量。',
    });
  }
  if (input.validityUntil.getTime() < input.deadline.getTime()) {
    throw new InvalidInput('DEPOSIT_VALIDITY_BEFORE_DEADLINE', {
      title: '保函有效期要求不得早于保证金缴纳截止时间',
    });
  }
  const existing = await store.lockTerms(tx, input.lotId);
  const extending =
    input.extension === true &&
    existing !== undefined &&
    input.deadline.getTime() > existing.deadline.getTime() &&
    yuanToFen(existing.deposit_yuan) === depositFen;
  if (existing && at.getTime() >= existing.deadline.getTime() && !extending) {
    throw new RuleViolation('DEPOSIT_TERMS_LOCKED', {
      title: '保证金缴纳截止时间已过，不得变更竞买保证金',
      detail: `原定保证金缴纳截止时间 ${existing.deadline.toISOString()} 已过。`,
      citation: wordingOf('rights').deadlineCitation,
    });
  }
  const row = await store.upsertTerms(tx, {
    lot_id: input.lotId,
    deposit_yuan: fenToYuan(depositFen),
    deadline: input.deadline,
    reveal_at: input.revealAt,
    validity_until: input.validityUntil,
    set_at: at,
    set_by: input.setBy,
  });
  await witness(tx, at, origin, WITNESS.terms, input.lotId, 'deposit-terms.set', {
    depositYuan: fenToYuan(yuanToFen(row.deposit_yuan)),
    deadline: input.deadline.toISOString(),
    revealAt: input.revealAt.toISOString(),
    validityUntil: input.validityUntil.toISOString(),
    setBy: input.setBy,
    replaced: existing !== undefined,
    ...(extending ? { extended: true } : {}),
  });
}
