import { addDays, addWorkingDays, endOfShanghaiDay, shanghaiDateOf } from '../../platform/clock/index.ts';
import { RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, formatYuanZh, yuanToFen } from '../../platform/money/index.ts';

/** The contract rules as data (DESIGN §4), each with its citation. */
export const CITATIONS = {
  terms: '《中华人民共和国招标投标法》第四十六条第一款；《中华人民共和国招标投标法实施条例》第五十七条第一款',
  period:
    '《中华人民共和国招标投标法》第四十六条；《中华人民共和国政府采购法》第四十六条；《政府采购货物和服务招标投标管理办法》（财政部令第87号）第七十一条',
  bondWorks: '《中华人民共和国招标投标法实施条例》第五十八条',
  bondGp: '《中华人民共和国政府采购法实施条例》第四十八条',
  publicationGp: '《中华人民共和国政府采购法实施条例》第五十条',
  refundsWorks: '《中华人民共和国招标投标法实施条例》第五十七条第二款',
  refundsGp: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第三十八条',
  signature: '《中华人民共和国电子签名法》第十三条、第十四条',
} as const;

/** 履约保证金不得超过中标合同金额的10%. */
export const BOND_MAX_PERCENT = 10n;
/** 政府采购: 合同公告 within 2 工作日 of signing. */
export const GP_PUBLICATION_WORKING_DAYS = 2;

export const SIGN_FORMAT = 'ggzy-contract-sign/v1';
export const PDF_SIGN_FORMAT = 'ggzy-contract-pdf/v1';

/** What each party signs online: domain, contract and the contract's SM3, one per line. */
export function signingText(contractId: string, contractSm3: string): string {
  return `${SIGN_FORMAT}\n${contractId}\n${contractSm3}`;
}

/** What each party signs for an already-signed PDF: domain, contract and the PDF's SHA-256. */
export function pdfSigningText(contractId: string, pdfSha256: string): string {
  return `${PDF_SIGN_FORMAT}\n${contractId}\n${pdfSha256}`;
}

/** 实施条例第五十七条: the contract price is the winning bid's price, to the fen. */
export function assertPriceMatchesBid(priceYuan: string, winningYuan: string): void {
  if (yuanToFen(priceYuan) !== yuanToFen(winningYuan)) {
    throw new RuleViolation('CONTRACT_PRICE_MISMATCH', {
      title: '合同价款与中标价不一致',
      detail: `合同价款 ${formatYuanZh(priceYuan)} 与中标人的投标报价 ${formatYuanZh(winningYuan)} 不一致。合同的标的、价款、质量、履行期限等主要条款应当与招标文件和中标人的投标文件的内容一致，招标人和中标人不得再行订立背离合同实质性内容的其他协议。`,
      citation: CITATIONS.terms,
    });
  }
}

/** The largest performance bond the law allows: 10% of the contract price, in yuan (rounded down to the fen). */
export function maxPerformanceBond(priceYuan: string): string {
  return fenToYuan((yuanToFen(priceYuan) * BOND_MAX_PERCENT) / 100n);
}

export function assertPerformanceBond(bondYuan: string | null, priceYuan: string, law: 'works' | 'gp'): void {
  if (bondYuan === null) return;
  if (yuanToFen(bondYuan) * 100n > yuanToFen(priceYuan) * BOND_MAX_PERCENT) {
    throw new RuleViolation('CONTRACT_BOND_OVER_LIMIT', {
      title: '履约保证金超过合同金额的10%',
      detail: `履约保证金 ${formatYuanZh(bondYuan)} 超过合同金额 ${formatYuanZh(priceYuan)} 的10%（上限 ${formatYuanZh(maxPerformanceBond(priceYuan))}）。`,
      citation: law === 'gp' ? CITATIONS.bondGp : CITATIONS.bondWorks,
    });
  }
}

/** 政府采购: the last moment to publish the contract (2 工作日 after signing). */
export function publicationDueAt(signedAt: Date): Date {
  return endOfShanghaiDay(addWorkingDays(shanghaiDateOf(signedAt), GP_PUBLICATION_WORKING_DAYS));
}

/** The last day for a deposit refund started at `at` (5 日 工程 / 5 工作日 政府采购). */
export function refundDueAt(at: Date, period: { days: number; counting: 'calendar' | 'working' }): Date {
  const start = shanghaiDateOf(at);
  return endOfShanghaiDay(
    period.counting === 'working' ? addWorkingDays(start, period.days) : addDays(start, period.days),
  );
}
