/**
 * 风险监测预警 — the shapes the monitoring API answers with (src/supervision/monitoring/schemas.ts) and the
 * names the pages show.
 */

export type AlertLevel = 'high' | 'medium' | 'low';
export type AlertStatus = 'new' | 'acknowledged' | 'investigating' | 'concluded' | 'fed-back';

export const LEVEL_NAMES: Record<AlertLevel, string> = { high: '高', medium: '中', low: '低' };
/** Element Plus tag types by level: red, orange, yellow-ish. */
export const LEVEL_TAGS: Record<AlertLevel, 'danger' | 'warning' | 'info'> = {
  high: 'danger',
  medium: 'warning',
  low: 'info',
};

export const STATUS_NAMES: Record<AlertStatus, string> = {
  new: '待处理',
  acknowledged: '已签收',
  investigating: '核查中',
  concluded: '已办结',
  'fed-back': '已反馈交易中心',
};

export interface AlertSummary {
  id: string;
  ruleCode: string;
  ruleVersion: number;
  title: string;
  category: string;
  categoryNameZh: string;
  level: AlertLevel;
  levelNameZh: string;
  summary: string;
  subjectType: 'lot' | 'organization' | 'expert';
  subjectTypeNameZh: string;
  subjectId: string;
  subjectLabel: string;
  lotId: string | null;
  lotCode: string | null;
  regionCode: string;
  catalogItemCode: string;
  source: string;
  sourceNameZh: string;
  status: AlertStatus;
  statusNameZh: string;
  finding: 'founded' | 'unfounded' | null;
  findingNameZh: string | null;
  raisedAt: string;
  updatedAt: string;
}

export interface AlertStep {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  toStatusNameZh: string;
  accountId: string | null;
  department: string | null;
  text: string | null;
  at: string;
}

export interface AlertDetail extends AlertSummary {
  citation: string;
  evidenceKey: string;
  evidence: Record<string, unknown>;
  evidenceSm3: string;
  routedTo: { accountId: string; department: string }[];
  conclusion: string | null;
  feedback: string | null;
  ruleVersionDetail: {
    version: number;
    enabled: boolean;
    level: AlertLevel;
    thresholds: Record<string, unknown>;
    effectiveFrom: string;
    reason: string;
  } | null;
  steps: AlertStep[];
}

export interface AlertList {
  total: number;
  page: number;
  pageSize: number;
  items: AlertSummary[];
}

export interface RunView {
  id: string;
  kind: 'rules' | 'cardinal';
  kindNameZh: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  statusNameZh: string;
  requestedBy: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  processed: number;
  alertsRaised: number;
  error: string | null;
}

export interface Dashboard {
  scope: { department: string; regionPrefixes: string[]; catalogPrefixes: string[] } | null;
  total: number;
  open: number;
  byLevel: { level: AlertLevel; nameZh: string; count: number }[];
  byStatus: { status: AlertStatus; nameZh: string; count: number }[];
  byRule: { ruleCode: string; titleZh: string; count: number }[];
  follower: { lastLeafIndex: number; updatedAt: string };
  recentRuns: RunView[];
}

export interface ThresholdField {
  key: string;
  labelZh: string;
  kind: 'number' | 'integer' | 'strings' | 'choices' | 'map';
  options?: { value: string; labelZh: string }[];
  hintZh?: string;
}

export interface RuleVersion {
  id: number;
  code: string;
  version: number;
  enabled: boolean;
  level: AlertLevel;
  levelNameZh: string;
  thresholds: Record<string, unknown>;
  effectiveFrom: string;
  changedBy: string | null;
  changedByName: string | null;
  reason: string;
  createdAt: string;
}

export interface RuleView {
  code: string;
  titleZh: string;
  descriptionZh: string;
  category: string;
  categoryNameZh: string;
  subject: 'lot' | 'organization' | 'expert';
  trigger: string;
  citation: { works: string; gp: string };
  fields: ThresholdField[];
  defaultThresholds: Record<string, unknown>;
  current: RuleVersion | null;
  scheduled: RuleVersion | null;
}

export const TRIGGER_NAMES: Record<string, string> = {
  opening: '开标记录公布时',
  evaluation: '评标报告完成时',
  award: '确定中标人时',
  split: '项目登记标记化整为零时',
  cardinal: 'Cardinal 全平台计算时',
};

/** Thresholds in one line: `离散系数低于此值即预警 0.05；最少有效报价数 3`. */
export function thresholdsText(fields: ThresholdField[], values: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const f of fields) {
    const v = values[f.key];
    if (v === undefined || v === null) continue;
    let text: string;
    if (Array.isArray(v)) {
      text =
        f.kind === 'choices'
          ? v.map((x) => f.options?.find((o) => o.value === x)?.labelZh ?? String(x)).join('、')
          : v.length === 0
            ? '无'
            : v.join('、');
    } else if (typeof v === 'object') {
      text = JSON.stringify(v);
    } else {
      text = String(v);
    }
    parts.push(`${f.labelZh} ${text}`);
  }
  return parts.length > 0 ? parts.join('；') : '（无阈值，默认设置）';
}
