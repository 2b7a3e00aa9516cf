import { RuleViolation } from '../../platform/errors.ts';
import type { EntityStatus } from './tables.ts';

/**
 * The registration's life (§30; §48(1): the trading centre 受理 — checks that the documents are complete
 * and authentic — and never approves):
 *
 *   (register) → submitted ──accept 受理──→ active
 *                    │  ↑
 *             return │  │ submit (resubmit after 补正)
 *                    ↓  │
 *                  returned
 *
 * The declared data may be edited in every state; in `active` the fields that say who the entity is and
 * what it may do (kind, credit code, roles) are locked (`updateMyEntity`).
 */
export const ENTITY_STATUS_NAMES_ZH: Record<EntityStatus, string> = {
  submitted: '已提交，待受理',
  returned: '已退回，待补正',
  active: '已受理',
};

export type EntityTransition = 'accept' | 'return' | 'submit';

const TRANSITIONS: Record<EntityTransition, { from: EntityStatus; to: EntityStatus; nameZh: string }> = {
  accept: { from: 'submitted', to: 'active', nameZh: '受理' },
  return: { from: 'submitted', to: 'returned', nameZh: '退回补正' },
  submit: { from: 'returned', to: 'submitted', nameZh: '重新提交' },
};

export function transitionOf(action: EntityTransition) {
  return TRANSITIONS[action];
}

/** Throws, in words the registrant or operator understands, when the state does not allow the action. */
export function assertCan(
  status: EntityStatus,
  action: EntityTransition,
): { from: EntityStatus; to: EntityStatus } {
  const t = TRANSITIONS[action];
  if (status !== t.from) {
    throw new RuleViolation('ENTITY_STATE_CONFLICT', {
      title: `当前状态不能${t.nameZh}`,
      detail: `该市场主体当前状态为“${ENTITY_STATUS_NAMES_ZH[status]}”，只有“${ENTITY_STATUS_NAMES_ZH[t.from]}”的才能${t.nameZh}。`,
    });
  }
  return t;
}
