import { RuleViolation } from '../../platform/errors.ts';
import type { Role } from '../../platform/identity/index.ts';
import type { AuthorisationStatus, LotStatus, ProjectStatus } from './tables.ts';

/**
 * A project registration's life (§15; §48(1): the trading centre 受理 — checks completeness — and never
 * approves):
 *
 *   (register) → submitted ──receive 受理──→ received ──add lot──→ submitted (the new lot awaits 受理)
 *                   │  ↑
 *   return 退回补正  │  │ resubmit 重新提交
 *                   ↓  │
 *                 returned            edit 补正: in submitted or returned (each edit is a new version)
 *
 * Who may trigger each: register/edit/add lot/resubmit — the initiator's accounts or an agency holding a
 * current authorisation (authorise/revoke — the initiator only); receive/return — trading centre staff
 * (operator). Lots: registered → received when their project is received.
 */
export const PROJECT_STATUS_NAMES_ZH: Record<ProjectStatus, string> = {
  submitted: '已登记，待受理',
  returned: '已退回，待补正',
  received: '已受理',
};

export const LOT_STATUS_NAMES_ZH: Record<LotStatus, string> = {
  registered: '已登记',
  received: '已受理',
};

export const AUTHORISATION_STATUS_NAMES_ZH: Record<AuthorisationStatus, string> = {
  active: '有效',
  revoked: '已撤销',
  expired: '已过期',
};

export type ProjectTransition = 'receive' | 'return' | 'resubmit' | 'edit' | 'add-lot';

export type ProjectParty = 'initiator' | 'agency';

interface Transition {
  from: readonly ProjectStatus[];
  to: ProjectStatus | null;
  nameZh: string;
  /** Who may trigger it: platform roles (staff) or project parties. */
  by: readonly (Role | ProjectParty)[];
}

export const PROJECT_TRANSITIONS: Record<ProjectTransition, Transition> = {
  receive: { from: ['submitted'], to: 'received', nameZh: '受理', by: ['operator'] },
  return: { from: ['submitted'], to: 'returned', nameZh: '退回补正', by: ['operator'] },
  resubmit: { from: ['returned'], to: 'submitted', nameZh: '重新提交', by: ['initiator', 'agency'] },
  edit: { from: ['submitted', 'returned'], to: null, nameZh: '修改登记信息', by: ['initiator', 'agency'] },
  'add-lot': {
    from: ['submitted', 'returned', 'received'],
    to: null,
    nameZh: '新增标段（包）',
    by: ['initiator', 'agency'],
  },
};

/** Throws, in words the user understands, when the project's state does not allow the action. */
export function assertCan(status: ProjectStatus, action: ProjectTransition): Transition {
  const t = PROJECT_TRANSITIONS[action];
  if (!t.from.includes(status)) {
    throw new RuleViolation('PROJECT_STATE_CONFLICT', {
      title: `当前状态不能${t.nameZh}`,
      detail: `该项目当前状态为“${PROJECT_STATUS_NAMES_ZH[status]}”，只有“${t.from
        .map((s) => PROJECT_STATUS_NAMES_ZH[s])
        .join('”或“')}”的项目才能${t.nameZh}。`,
    });
  }
  return t;
}
