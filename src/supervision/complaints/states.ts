import { RuleViolation } from '../../platform/errors.ts';
import type { ComplaintStatus } from './tables.ts';

/**
 * The complaint's states and what may happen in each (docs/complaints.md draws the machine).
 *   received ──accept──▶ accepted ──pause──▶ paused ──resume──▶ accepted ──decide──▶ decided
 *      │ └──request-correction (政府采购, once)──▶ correction ──correct──▶ received
 *      └──refuse──▶ not-accepted          withdraw: before acceptance ▶ withdrawn;
 *   after acceptance 工程 ▶ request, regulator grants (withdrawn) or refuses; 政府采购 ▶ terminated.
 */
export const COMPLAINT_STATUS_NAMES_ZH: Record<ComplaintStatus, string> = {
  received: '已收到，受理审查中',
  correction: '补正中',
  accepted: '已受理，调查处理中',
  paused: '已受理，计时中止（检验、检测、鉴定、专家评审）',
  'not-accepted': '不予受理',
  decided: '已作出处理决定',
  withdrawn: '已撤回',
  terminated: '已终止',
};

export type ComplaintStep =
  | 'accept'
  | 'refuse'
  | 'request-correction'
  | 'correct'
  | 'send-copies'
  | 'explain'
  | 'pause'
  | 'resume'
  | 'suspend'
  | 'decide'
  | 'withdraw'
  | 'decide-withdrawal';

const ALLOWED: Record<ComplaintStep, readonly ComplaintStatus[]> = {
  accept: ['received'],
  refuse: ['received', 'correction'],
  'request-correction': ['received'],
  correct: ['correction'],
  'send-copies': ['accepted', 'paused'],
  explain: ['accepted', 'paused'],
  pause: ['accepted'],
  resume: ['paused'],
  suspend: ['received', 'correction', 'accepted', 'paused'],
  decide: ['accepted'],
  withdraw: ['received', 'correction', 'accepted', 'paused'],
  'decide-withdrawal': ['accepted', 'paused'],
};

const STEP_NAMES_ZH: Record<ComplaintStep, string> = {
  accept: '受理',
  refuse: '不予受理',
  'request-correction': '通知补正',
  correct: '补正',
  'send-copies': '发送投诉书副本',
  explain: '提交书面说明',
  pause: '中止计时',
  resume: '恢复计时',
  suspend: '暂停招标投标（采购）活动',
  decide: '作出处理决定',
  withdraw: '撤回投诉',
  'decide-withdrawal': '决定是否准予撤回',
};

export function isOpen(status: ComplaintStatus): boolean {
  return status === 'received' || status === 'correction' || status === 'accepted' || status === 'paused';
}

export function can(status: ComplaintStatus, step: ComplaintStep): boolean {
  return ALLOWED[step].includes(status);
}

export function assertCan(status: ComplaintStatus, step: ComplaintStep): void {
  if (can(status, step)) return;
  const hint =
    status === 'paused' && step === 'decide' ? '请先恢复计时（检验、检测、鉴定、专家评审已结束）。' : '';
  throw new RuleViolation('COMPLAINT_STATE_CONFLICT', {
    title: `当前状态不能${STEP_NAMES_ZH[step]}`,
    detail: `投诉当前状态为“${COMPLAINT_STATUS_NAMES_ZH[status]}”。${hint}`,
  });
}
