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
  /** 出让（转让）合同 after an auction's deal. */
  termsRights:
    '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）：出让人与竞得人按成交结果签订出让合同；《企业国有资产交易监督管理办法》（国资委 财政部令第32号）：交易双方按交易结果签订交易合同',
  periodRights:
    '成交通知书（成交确认书）约定的签约期限；未约定的，平台默认成交通知书发出后10个工作日内签订（交易公告另有约定的从其约定）',
  bondRights:
    '竞价交易的竞得人保证金在成交时已转为成交价款（《企业国有产权交易操作规则》；各地网上交易规则），出让（转让）合同不另收履约保证金',
} as const;

export type ContractLaw = 'works' | 'gp' | 'rights';

/** The contract's legal basis (terms, period) by the law it was traded under. */
export function termsCitation(law: ContractLaw): string {
  return law === 'rights' ? CITATIONS.termsRights : CITATIONS.terms;
}

export function periodCitation(law: ContractLaw): string {
  return law === 'rights' ? CITATIONS.periodRights : CITATIONS.period;
}

/** Who the parties are, by the law the lot was traded under. */
export function partyNamesZh(law: ContractLaw): { initiator: string; supplier: string } {
  return law === 'rights'
    ? { initiator: '出让人（转让方）', supplier: '竞得人（受让方）' }
    : { initiator: '招标人（采购人）', supplier: '中标人（供应商）' };
}

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

/** 实施条例第五十七条: the contract price is the winning bid's price, to the fen (an auction's: the deal price). */
export function assertPriceMatchesBid(priceYuan: string, winningYuan: string, law: ContractLaw): void {
  if (yuanToFen(priceYuan) === yuanToFen(winningYuan)) return;
  if (law === 'rights') {
    throw new RuleViolation('CONTRACT_PRICE_MISMATCH', {
      title: '合同价款与成交价不一致',
      detail: `合同价款 ${formatYuanZh(priceYuan)} 与成交通知书载明的成交价 ${formatYuanZh(winningYuan)} 不一致。出让（转让）合同的价款应当与成交结果一致。`,
      citation: CITATIONS.termsRights,
    });
  }
  throw new RuleViolation('CONTRACT_PRICE_MISMATCH', {
    title: '合同价款与中标价不一致',
    detail: `合同价款 ${formatYuanZh(priceYuan)} 与中标人的投标报价 ${formatYuanZh(winningYuan)} 不一致。合同的标的、价款、质量、履行期限等主要条款应当与招标文件和中标人的投标文件的内容一致，招标人和中标人不得再行订立背离合同实质性内容的其他协议。`,
    citation: CITATIONS.terms,
  });
}

/** The largest performance bond the law allows: 10% of the contract price, in yuan (rounded down to the fen). */
export function maxPerformanceBond(priceYuan: string): string {
  return fenToYuan((yuanToFen(priceYuan) * BOND_MAX_PERCENT) / 100n);
}

export function assertPerformanceBond(bondYuan: string | null, priceYuan: string, law: ContractLaw): void {
  if (bondYuan === null) return;
  if (law === 'rights') {
    throw new RuleViolation('CONTRACT_BOND_NOT_APPLICABLE', {
      title: '出让（转让）合同不设履约保证金',
      detail: '竞得人的竞买保证金已在成交时转为成交价款，请不要填写履约保证金。',
      citation: CITATIONS.bondRights,
    });
  }
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
