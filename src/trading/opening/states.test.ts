import { describe, expect, test } from 'vitest';
import { RuleViolation } from '../../platform/errors.ts';
import { allowedSteps, assertStep, HOST_STEPS, nextStepOf } from './states.ts';
import type { HallState } from './tables.ts';

const codeOf = (run: () => void): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof RuleViolation) return error.code;
    throw error;
  }
};

describe('the hall follows its preset steps only', () => {
  test('each forward state has exactly one next step, taken once', () => {
    const path: [HallState, string][] = [
      ['check-in', 'start-opening'],
      ['revealed', 'start-decryption'],
      ['decrypting', 'close-decryption'],
      ['fallback', 'abandon-fallback'],
      ['decrypted', 'publish-record'],
      ['published', 'close-hall'],
    ];
    for (const [state, step] of path) {
      expect(nextStepOf(state)).toBe(step);
      expect(allowedSteps(state, false)).toEqual([step, 'pause']);
    }
    expect(codeOf(() => assertStep('revealed', false, 'start-opening'))).toBe('OPENING_STEP_ALREADY_TAKEN');
    expect(codeOf(() => assertStep('check-in', false, 'publish-record'))).toBe('OPENING_STEP_OUT_OF_ORDER');
    expect(codeOf(() => assertStep('revealed', false, 'close-decryption'))).toBe('OPENING_STEP_OUT_OF_ORDER');
  });

  test('while paused only resume is allowed; the ends allow nothing', () => {
    for (const step of HOST_STEPS.filter((s) => s !== 'resume')) {
      expect(codeOf(() => assertStep('decrypting', true, step))).toBe('OPENING_PAUSED');
    }
    expect(codeOf(() => assertStep('decrypting', true, 'resume'))).toBeNull();
    expect(codeOf(() => assertStep('decrypting', false, 'resume'))).toBe('OPENING_NOT_PAUSED');
    expect(allowedSteps('closed', false)).toEqual([]);
    expect(allowedSteps('failed', true)).toEqual([]);
    expect(codeOf(() => assertStep('failed', false, 'start-decryption'))).toBe('OPENING_ENDED');
    expect(codeOf(() => assertStep('closed', false, 'pause'))).toBe('OPENING_ENDED');
  });
});
