import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { formatYuanZh } from '../../platform/money/index.ts';
import { CITATIONS, FAILURE_REASON_NAMES_ZH, type Law, SKIP_REASON_NAMES_ZH } from './rules.ts';
import type { AwardCandidate, FailureReason, SkipReasonCode } from './tables.ts';

/**
 * The texts of the announcements the award publishes (plain text, zh-CN), built from the record only.
 * Pure functions: what they say is tested without a database.
 */

/** Labels of the usual 开标一览表 fields; others are shown by their key. The price has its own line. */
const FIELD_LABELS: Record<string, string> = {
  duration: '工期（日历天）',
  period: '工期',
  durationDays: '工期（日历天）',
  quality: '质量标准',
  warranty: '质保期',
  deliveryDays: '交货期（日）',
  projectManager: '项目负责人',
  projectManagerCertificate: '项目负责人证书',
};
const PRICE_KEYS = new Set(['price', 'priceYuan', 'bidPrice']);

export function fieldLines(fields: Record<string, string>): string[] {
  return Object.entries(fields)
    .filter(([key, value]) => !PRICE_KEYS.has(key) && value.trim() !== '')
    .map(([key, value]) => `${FIELD_LABELS[key] ?? key}：${value}`);
}

export interface AnnouncementText {
  title: string;
  body: string;
}

interface LotNames {
  projectName: string;
  lotName: string;
  lotCode: string;
}

const RANK_ZH = ['第一', '第二', '第三', '第四', '第五'];

/**
 * 中标候选人公示 (实施条例第五十四条; content after 国家发展改革委令第10号: rank, name, price, quality and
 * 工期 as bid, the objection channel and its period).
 */
export function candidatesText(
  lot: LotNames,
  candidates: AwardCandidate[],
  input: { reportedAt: Date; publishedAt: Date; endsAt: Date; objectionChannel: string },
): AnnouncementText {
  const lines = [
    `${lot.projectName}（标段编号 ${lot.lotCode}，${lot.lotName}）的评标工作已结束，评标报告于 ${formatShanghaiTime(input.reportedAt)} 提交招标人。根据${CITATIONS.publicity}，现将中标候选人公示如下：`,
    '',
  ];
  for (const c of [...candidates].sort((a, b) => a.rank - b.rank)) {
    lines.push(`${RANK_ZH[c.rank - 1] ?? `第${c.rank}`}中标候选人：${c.bidderName}`);
    lines.push(`统一社会信用代码：${c.creditCode}`);
    lines.push(`投标报价：${formatYuanZh(c.priceYuan)}`);
    if (c.score !== null) lines.push(`评标得分：${c.score}`);
    lines.push(...fieldLines(c.fields));
    lines.push('');
  }
  lines.push(
    `公示期：${formatShanghaiTime(input.publishedAt)} 起至 ${formatShanghaiTime(input.endsAt)} 止（不少于3日）。`,
    `投标人或者其他利害关系人对评标结果有异议的，应当在公示期间提出：投标人可在本平台“定标”中提出异议；其他利害关系人请联系：${input.objectionChannel}。`,
    `招标人自收到异议之日起3日内作出答复；作出答复前，暂停招标投标活动（${CITATIONS.objection}）。`,
  );
  return { title: `${lot.projectName}${lot.lotName}中标候选人公示`, body: lines.join('\n') };
}

/**
 * 中标结果公告. 政府采购 (87号令第六十九条): the winner, its address-free identity and amount, the period
 * (1 工作日) and the 评审专家名单; 工程: the winner and price (招标投标法第四十五条).
 */
export function resultText(
  lot: LotNames,
  input: {
    law: Law;
    winner: { name: string; creditCode: string; priceYuan: string };
    confirmedAt: Date;
    deemed: boolean;
    skip: { code: SkipReasonCode; text: string } | null;
    publishedAt: Date;
    endsAt: Date;
    experts: string[];
  },
): AnnouncementText {
  const lines = [
    `${lot.projectName}（标段编号 ${lot.lotCode}，${lot.lotName}）已确定${input.law === 'gp' ? '中标（成交）供应商' : '中标人'}，现公告如下：`,
    '',
    `${input.law === 'gp' ? '中标供应商' : '中标人'}：${input.winner.name}`,
    `统一社会信用代码：${input.winner.creditCode}`,
    `中标金额：${formatYuanZh(input.winner.priceYuan)}`,
    `确定时间：${formatShanghaiTime(input.confirmedAt)}`,
  ];
  if (input.deemed) {
    lines.push(
      `采购人在收到评审报告后5个工作日内未确定中标人，视为确定评审报告提出的排名第一的中标候选人为中标人（${CITATIONS.gpDecision}）。`,
    );
  }
  if (input.skip) {
    lines.push(
      `排名在前的中标候选人未被确定为中标人，理由：${SKIP_REASON_NAMES_ZH[input.skip.code]}——${input.skip.text}（${CITATIONS.firstCandidate}）。`,
    );
  }
  if (input.law === 'gp' && input.experts.length > 0) {
    lines.push(`评审专家名单：${input.experts.join('、')}`);
  }
  lines.push(
    `公告期限：${formatShanghaiTime(input.publishedAt)} 起至 ${formatShanghaiTime(input.endsAt)} 止${input.law === 'gp' ? '（1个工作日）' : ''}。`,
  );
  return {
    title: `${lot.projectName}${lot.lotName}${input.law === 'gp' ? '中标（成交）结果公告' : '中标结果公告'}`,
    body: lines.join('\n'),
  };
}

/** 流标公告 / 终止公告: the reason as recorded, and what happens to the deposits. */
export function failureText(
  lot: LotNames,
  input: { reason: FailureReason; text: string; at: Date },
): AnnouncementText {
  const terminated = input.reason === 'terminated';
  return {
    title: `${lot.projectName}${lot.lotName}${terminated ? '终止公告' : '流标公告'}`,
    body: [
      `${lot.projectName}（标段编号 ${lot.lotCode}，${lot.lotName}）于 ${formatShanghaiTime(input.at)} ${terminated ? '终止' : '流标'}。`,
      `原因：${FAILURE_REASON_NAMES_ZH[input.reason]}。`,
      `说明：${input.text}`,
      `已收取的投标保证金及银行同期存款利息将依法退还（${CITATIONS.failure}）。`,
    ].join('\n'),
  };
}
