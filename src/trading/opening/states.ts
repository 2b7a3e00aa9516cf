import { RuleViolation } from '../../platform/errors.ts';
import { CITATIONS } from './context.ts';
import type { HallState } from './tables.ts';

/**
 * The hall's preset steps (开标流程). The host can take only the next allowed step; each is witnessed.
 *
 *   (before openingAt: scheduled, no hall)
 *   check-in ─start-opening→ revealed ─start-decryption→ decrypting ─close-decryption→ decrypted
 *       │ (fewer bids than the minimum)                        └───────────────────→ fallback ─(shares combined | abandon-fallback)→ decrypted
 *       └──────────────→ failed 流标
 *   decrypted ─publish-record→ published ─close-hall (the confirmation window's end)→ closed
 *
 * pause/resume (§35 emergency handling) may interrupt any state but the two ends; while paused, nothing
 * but resume moves.
 */
export type HostStep =
  | 'start-opening'
  | 'start-decryption'
  | 'close-decryption'
  | 'abandon-fallback'
  | 'publish-record'
  | 'close-hall'
  | 'pause'
  | 'resume';

export const HOST_STEPS: readonly HostStep[] = [
  'start-opening',
  'start-decryption',
  'close-decryption',
  'abandon-fallback',
  'publish-record',
  'close-hall',
  'pause',
  'resume',
];

export const STEP_NAMES_ZH: Record<HostStep, string> = {
  'start-opening': '开标（提取并清点投标文件）',
  'start-decryption': '开始解密',
  'close-decryption': '结束解密',
  'abandon-fallback': '终止备用解密',
  'publish-record': '公布开标记录',
  'close-hall': '结束开标',
  pause: '暂停开标',
  resume: '恢复开标',
};

export const HALL_STATE_NAMES_ZH: Record<HallState | 'scheduled', string> = {
  scheduled: '未到开标时间',
  'check-in': '签到中',
  revealed: '已开标，待解密',
  decrypting: '解密中',
  fallback: '备用解密中',
  decrypted: '解密结束，待公布开标记录',
  published: '开标记录已公布，确认中',
  closed: '开标结束',
  failed: '流标（不开标）',
};

/** The order of the forward states: a step whose target is at or before the current state was taken. */
const ORDER: readonly HallState[] = [
  'check-in',
  'revealed',
  'decrypting',
  'fallback',
  'decrypted',
  'published',
  'closed',
];

const FROM: Record<Exclude<HostStep, 'pause' | 'resume'>, HallState> = {
  'start-opening': 'check-in',
  'start-decryption': 'revealed',
  'close-decryption': 'decrypting',
  'abandon-fallback': 'fallback',
  'publish-record': 'decrypted',
  'close-hall': 'published',
};

export const TERMINAL: readonly HallState[] = ['closed', 'failed'];

/** The step the host may take next from `state` (besides pause/resume). */
export function nextStepOf(state: HallState): HostStep | null {
  for (const [step, from] of Object.entries(FROM)) if (from === state) return step as HostStep;
  return null;
}

/** Allowed host steps now; time conditions (window ends) are the use cases' to check. */
export function allowedSteps(state: HallState, paused: boolean): HostStep[] {
  if (TERMINAL.includes(state)) return [];
  if (paused) return ['resume'];
  const next = nextStepOf(state);
  return [...(next ? [next] : []), 'pause'];
}

/** Throws unless `step` is allowed: a repeated step (已执行) and a step out of order get distinct codes. */
export function assertStep(state: HallState, paused: boolean, step: HostStep): void {
  if (step === 'resume') {
    if (!paused) {
      throw new RuleViolation('OPENING_NOT_PAUSED', { title: '开标未暂停', detail: '无需恢复。' });
    }
    return;
  }
  if (TERMINAL.includes(state)) {
    throw new RuleViolation('OPENING_ENDED', {
      title: '开标已结束',
      detail: `开标大厅已处于“${HALL_STATE_NAMES_ZH[state]}”状态，不能再执行“${STEP_NAMES_ZH[step]}”。`,
    });
  }
  if (paused) {
    throw new RuleViolation('OPENING_PAUSED', {
      title: '开标已暂停',
      detail: '开标暂停期间不能执行任何步骤；请先恢复开标。',
      citation: CITATIONS.emergency,
    });
  }
  if (step === 'pause') return;
  const from = FROM[step];
  if (from === state) return;
  const taken = ORDER.indexOf(state) > ORDER.indexOf(from);
  const next = nextStepOf(state);
  throw new RuleViolation(taken ? 'OPENING_STEP_ALREADY_TAKEN' : 'OPENING_STEP_OUT_OF_ORDER', {
    title: taken ? '该步骤已执行' : '不能跳过开标步骤',
    detail: `开标大厅当前为“${HALL_STATE_NAMES_ZH[state]}”，${taken ? `“${STEP_NAMES_ZH[step]}”已执行过，不能重复执行` : `尚不能执行“${STEP_NAMES_ZH[step]}”`}${next ? `；下一步为“${STEP_NAMES_ZH[next]}”` : ''}。`,
    citation: CITATIONS.remoteOpening,
  });
}

/** States in which a bidder may still sign in (late sign-in is recorded as such). */
export const SIGN_IN_STATES: readonly HallState[] = ['check-in', 'revealed', 'decrypting'];
/** States in which objections are raised and answered: from the reveal until the record is published (it lists them). */
export const OBJECTION_STATES: readonly HallState[] = ['revealed', 'decrypting', 'fallback', 'decrypted'];
/** From the reveal on, who bid is known to the hall's parties. */
export function isRevealed(state: HallState): boolean {
  return state !== 'check-in';
}
