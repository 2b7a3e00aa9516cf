import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { formatYuanZh } from '../../platform/money/index.ts';
import { CITATIONS } from './rules.ts';
import type { AuctionProcedureType, AuctionTerms } from './tables.ts';

/** The texts the auction publishes, in Chinese (公告、延期公告、预成交通知、成交通知书、成交公示、不成交与终止公告). */

export const PROCEDURE_NAMES_ZH: Record<AuctionProcedureType, string> = {
  listing: '挂牌',
  auction: '拍卖',
  'online-bidding': '网络竞价',
};

export const STATUS_NAMES_ZH: Record<string, string> = {
  draft: '草稿',
  announced: '公告中（接受竞买申请）',
  bidding: '竞价中',
  closed: '竞价结束',
  'pre-deal': '预成交（资格审核中）',
  dealt: '已成交',
  failed: '不成交（流拍）',
  terminated: '已终止',
};

export const PHASE_NAMES_ZH: Record<string, string> = {
  listing: '挂牌报价期',
  free: '自由竞价期',
  entry: '限时竞价确认期',
  timed: '限时竞价',
  sealed: '一次报价（已达最高限价）',
};

export const FAILURE_REASON_NAMES_ZH: Record<string, string> = {
  'no-bids': '无人报价',
  'below-reserve': '最高报价低于底价',
  'insufficient-bidders': '竞买人数不足',
  'qualification-failed': '竞得人资格审核未通过',
  terminated: '出让（转让）终止',
};

interface Named {
  title: string;
  procedureType: AuctionProcedureType;
  lotCode: string;
  projectName: string;
}

const when = (iso: string | null) => (iso ? formatShanghaiTime(new Date(iso)) : '—');

export function transferNoticeText(a: Named, terms: AuctionTerms, publishedAt: Date) {
  const kind = PROCEDURE_NAMES_ZH[a.procedureType];
  const lines = [
    `${a.projectName}（标的编号 ${a.lotCode}）经批准以${kind}方式公开${a.procedureType === 'online-bidding' ? '转让' : '出让'}，现将有关事项公告如下：`,
    `一、标的：${terms.title}。${terms.description}`,
    `二、起始价 ${formatYuanZh(terms.startPriceYuan)}，加价幅度 ${formatYuanZh(terms.stepYuan)}${terms.priceCapYuan ? `，最高限价 ${formatYuanZh(terms.priceCapYuan)}（达到后转为一次报价）` : ''}；本项目设有底价，底价在竞价结束前保密。`,
    `三、竞买保证金 ${formatYuanZh(terms.depositYuan)}，须于 ${when(terms.depositDeadline)} 前到账（以银行到账时间为准）或提交有效电子保函。`,
    `四、竞买申请截止时间：${when(terms.registrationUntil)}。`,
    a.procedureType === 'listing'
      ? `五、挂牌时间：${when(terms.biddingStartsAt)} 至 ${when(terms.listingEndsAt)}；挂牌期满有两个以上竞买人愿意继续竞价的，转入网上限时竞价（每次报价后倒计时 ${terms.countdownMinutes} 分钟）。`
      : `五、竞价时间：${when(terms.biddingStartsAt)} 开始，自由竞价 ${terms.freeBiddingMinutes ?? 0} 分钟后转入限时竞价（每次报价后倒计时 ${terms.countdownMinutes} 分钟）${terms.bidMode === 'single' ? '；本项目采用一次报价方式' : ''}。`,
    `六、竞价期间竞买人以竞买号参加，互不知悉；${terms.qualification === 'post' ? '竞价结束后对竞得人进行资格审核（2个工作日内），审核通过后发出成交通知书' : '竞价结束后发出成交通知书'}；成交结果公示。`,
    terms.minBidders > 1 || terms.autoExtend
      ? `七、竞价开始时交纳保证金的竞买人不足 ${terms.minBidders} 人的，${terms.autoExtend ? `竞买申请、保证金缴纳截止和竞价开始时间自动延期 ${terms.extensionWorkingDays} 个工作日，最多延期 ${terms.maxExtensions} 次；延期届满仍不足的，不成交` : '不进行竞价'}。`
      : '',
    `公告发布时间：${formatShanghaiTime(publishedAt)}。`,
  ].filter((l) => l.length > 0);
  return {
    title: `${terms.title}${kind}${a.procedureType === 'online-bidding' ? '转让' : '出让'}公告`,
    body: lines.join('\n'),
  };
}

/**
 * 延期公告 (延牌): too few intending buyers with their deposit in at the start; the notice's 竞买申请截止,
 * 保证金缴纳截止 and 竞价开始 (and a listing's end) move on, as the 出让（转让）公告 said they would.
 */
export function extensionText(
  a: Named,
  input: {
    extension: number;
    maxExtensions: number;
    workingDays: number;
    eligibleBidders: number;
    minBidders: number;
    terms: AuctionTerms;
    at: Date;
  },
) {
  const { terms } = input;
  const kind = PROCEDURE_NAMES_ZH[a.procedureType];
  return {
    title: `${a.title}${kind}延期公告`,
    body: [
      `${a.projectName}（标的编号 ${a.lotCode}）“${a.title}”${kind}至原定竞价开始时，交纳保证金的竞买人 ${input.eligibleBidders} 人，少于 ${input.minBidders} 人。依出让（转让）公告载明的延期条件，自动延期 ${input.workingDays} 个工作日（第 ${input.extension} 次，最多 ${input.maxExtensions} 次）：`,
      `一、竞买申请截止时间延至 ${when(terms.registrationUntil)}。`,
      `二、竞买保证金缴纳截止时间延至 ${when(terms.depositDeadline)}。`,
      terms.listingEndsAt
        ? `三、挂牌时间延至 ${when(terms.biddingStartsAt)} 至 ${when(terms.listingEndsAt)}。`
        : `三、竞价开始时间延至 ${when(terms.biddingStartsAt)}。`,
      '已提交的竞买申请和已缴纳的保证金继续有效；其他交易条件不变。',
      `依据：${CITATIONS.extension}。`,
      `公告时间：${formatShanghaiTime(input.at)}。`,
    ].join('\n'),
  };
}

export function preDealText(a: Named, input: { pseudonym: string; priceYuan: string; due: Date; at: Date }) {
  return {
    title: `${a.title}预成交通知`,
    body: [
      `竞买号 ${input.pseudonym}：你单位在“${a.title}”${PROCEDURE_NAMES_ZH[a.procedureType]}中以 ${formatYuanZh(input.priceYuan)} 报价最高，现为预成交人。`,
      `出让（转让）人将于 ${formatShanghaiTime(input.due)} 前完成资格审核，审核通过后发出成交通知书。`,
      `依据：${CITATIONS.qualification}。`,
      `通知时间：${formatShanghaiTime(input.at)}。`,
    ].join('\n'),
  };
}

export function dealPublicityText(
  a: Named,
  input: {
    winnerName: string;
    winnerCreditCode: string;
    priceYuan: string;
    sealedOfferYuan: string | null;
    at: Date;
    endsAt: Date;
  },
) {
  return {
    title: `${a.title}成交公示`,
    body: [
      `${a.projectName}（标的编号 ${a.lotCode}）“${a.title}”经网上${PROCEDURE_NAMES_ZH[a.procedureType]}，结果公示如下：`,
      `竞得人：${input.winnerName}（统一社会信用代码 ${input.winnerCreditCode}）`,
      `成交价：${formatYuanZh(input.priceYuan)}${input.sealedOfferYuan ? `；一次报价 ${formatYuanZh(input.sealedOfferYuan)}` : ''}`,
      `公示期：${formatShanghaiTime(input.at)} 至 ${formatShanghaiTime(input.endsAt)}。对公示结果有异议的，可在公示期内向交易中心或行政监督部门反映。`,
      `依据：${CITATIONS.result}。`,
    ].join('\n'),
  };
}

export function dealNoticeText(a: Named, input: { winnerName: string; priceYuan: string; at: Date }) {
  return `${input.winnerName}：你单位在“${a.title}”（${a.lotCode}）网上${PROCEDURE_NAMES_ZH[a.procedureType]}中竞得该标的，成交价 ${formatYuanZh(input.priceYuan)}。竞买保证金转为成交价款的一部分。请按出让（转让）公告约定的期限与出让（转让）人签订成交确认书及合同。发出时间：${formatShanghaiTime(input.at)}。`;
}

export function failureText(a: Named, input: { reason: string; detail: string; at: Date }) {
  return {
    title: `${a.title}不成交公告`,
    body: [
      `${a.projectName}（标的编号 ${a.lotCode}）“${a.title}”网上${PROCEDURE_NAMES_ZH[a.procedureType]}不成交。`,
      `原因：${FAILURE_REASON_NAMES_ZH[input.reason] ?? input.reason}。${input.detail}`,
      '竞买保证金于5个工作日内原路退还，不计利息。',
      `公告时间：${formatShanghaiTime(input.at)}。`,
    ].join('\n'),
  };
}

export function terminationText(a: Named, input: { reason: string; at: Date; by: string }) {
  return {
    title: `${a.title}终止公告`,
    body: [
      `${a.projectName}（标的编号 ${a.lotCode}）“${a.title}”${PROCEDURE_NAMES_ZH[a.procedureType]}经${input.by}决定终止。`,
      `原因：${input.reason}`,
      '已缴纳的竞买保证金于5个工作日内原路退还，不计利息。',
      `公告时间：${formatShanghaiTime(input.at)}。`,
    ].join('\n'),
  };
}
