import { describe, expect, test } from 'vitest';
import { makeTestPlatform } from '../../../test/support/platform.ts';
import type { RuleViolation } from '../../platform/errors.ts';
import {
  assertDeposit,
  assertTimeline,
  checkTimeline,
  clarificationEffect,
  earliestBidDeadline,
  getProcedure,
  objectionAnswerDue,
  objectionWindow,
  PROCEDURE_RULES,
  PROCEDURE_TYPES,
  type ProcedureRule,
  suggestTimeline,
  type Timeline,
} from './index.ts';

/** An instant in Beijing time. */
const at = (local: string) => new Date(`${local}+08:00`);

function works(overrides: Partial<Timeline> = {}): Timeline {
  return {
    publishedAt: at('2026-12-01T09:00:00'),
    documentsFrom: at('2026-12-01T09:00:00'),
    documentsUntil: at('2026-12-07T17:00:00'),
    bidDeadline: at('2026-12-21T09:30:00'),
    openingAt: at('2026-12-21T09:30:00'),
    ...overrides,
  };
}

function codes(violations: RuleViolation[]): string[] {
  return violations.map((v) => v.code);
}

describe('documents to deadline (招标投标法第二十四条: ≥ 20 日)', () => {
  test('20 days after the documents, the start day not counted, is lawful', () => {
    expect(checkTimeline('open-tender.works', works(), '2026-12-01')).toEqual([]);
  });

  test('a deadline one day short is blocked with the rule and its citation', () => {
    const timeline = works({ bidDeadline: at('2026-12-20T09:30:00'), openingAt: at('2026-12-20T09:30:00') });
    expect(() => assertTimeline('open-tender.works', timeline, '2026-12-01')).toThrow(
      expect.objectContaining({
        status: 409,
        code: 'TENDER_PERIOD_TOO_SHORT',
        title: '投标截止时间距招标文件发出不足20日',
        citation: '《中华人民共和国招标投标法》第二十四条',
      }),
    );
  });

  test('a period ending in the Spring Festival runs on to the first working day after it', () => {
    // 2026-01-27 + 20 days = 2026-02-16, inside 春节 (02-15 … 02-23): the earliest deadline is 02-24.
    const from = at('2026-01-27T09:00:00');
    expect(earliestBidDeadline('open-tender.works', from, '2026-01-27')).toEqual(at('2026-02-24T00:00:00'));
    const timeline: Timeline = {
      publishedAt: from,
      documentsFrom: from,
      documentsUntil: at('2026-02-02T17:00:00'),
      bidDeadline: at('2026-02-23T09:30:00'),
      openingAt: at('2026-02-23T09:30:00'),
    };
    expect(codes(checkTimeline('open-tender.works', timeline, '2026-01-27'))).toEqual([
      'TENDER_PERIOD_TOO_SHORT',
    ]);
  });

  test('negotiation counts 3 working days, so a weekend does not count', () => {
    // Friday 2026-12-04 → three working days: Mon 07, Tue 08, Wed 09.
    const friday = at('2026-12-04T09:00:00');
    const timeline = (deadline: string): Timeline => ({
      publishedAt: friday,
      documentsFrom: friday,
      documentsUntil: at('2026-12-07T17:00:00'),
      bidDeadline: at(deadline),
      openingAt: at(deadline),
    });
    expect(
      codes(checkTimeline('competitive-negotiation', timeline('2026-12-08T09:00:00'), '2026-12-04')),
    ).toEqual(['RESPONSE_PERIOD_TOO_SHORT']);
    expect(checkTimeline('competitive-negotiation', timeline('2026-12-09T09:00:00'), '2026-12-04')).toEqual(
      [],
    );
  });
});

describe('document availability', () => {
  test('工程: fewer than 5 days of sale is blocked (条例第十六条)', () => {
    const violations = checkTimeline(
      'open-tender.works',
      works({ documentsUntil: at('2026-12-05T17:00:00') }),
      '2026-12-01',
    );
    expect(codes(violations)).toEqual(['DOCUMENT_PERIOD_TOO_SHORT']);
    expect(violations[0]?.citation).toContain('第十六条');
  });

  test('政府采购: 5 working days, so Tuesday to the next Monday is not enough (87号令第十八条)', () => {
    const gp = (until: string): Timeline => ({ ...works(), documentsUntil: at(until) });
    const short = checkTimeline('open-tender.gp', gp('2026-12-07T17:00:00'), '2026-12-01');
    expect(codes(short)).toContain('DOCUMENT_PERIOD_TOO_SHORT');
    expect(short.find((v) => v.code === 'DOCUMENT_PERIOD_TOO_SHORT')?.citation).toContain('第87号');
    expect(checkTimeline('open-tender.gp', gp('2026-12-08T17:00:00'), '2026-12-01')).toEqual([]);
  });
});

describe('the order of the timeline', () => {
  test('an opening that is not at the deadline is blocked (招标投标法第三十四条)', () => {
    const violations = checkTimeline(
      'open-tender.works',
      works({ openingAt: at('2026-12-21T14:00:00') }),
      '2026-12-01',
    );
    expect(codes(violations)).toEqual(['OPENING_NOT_AT_DEADLINE']);
  });

  test('documents closing after the deadline are out of order', () => {
    const violations = checkTimeline(
      'open-tender.works',
      works({ documentsUntil: at('2026-12-22T09:00:00') }),
      '2026-12-01',
    );
    expect(codes(violations)).toEqual(['TIMELINE_OUT_OF_ORDER']);
  });

  test('every procedure type has a lawful suggested timeline', () => {
    for (const type of PROCEDURE_TYPES) {
      const suggestion = suggestTimeline(type, at('2026-12-01T10:00:00'), '2026-12-01');
      expect(checkTimeline(type, suggestion, '2026-12-01'), type).toEqual([]);
      expect(getProcedure(type).nameZh.length).toBeGreaterThan(0);
    }
  });
});

describe('clarifications (条例第二十一条; 87号令第二十七条)', () => {
  const deadline = at('2026-12-21T09:30:00');

  test('with 15 days or more left the deadline stays', () => {
    const effect = clarificationEffect(
      'open-tender.works',
      { issuedAt: at('2026-12-05T10:00:00'), bidDeadline: deadline, affectsPreparation: true },
      '2026-12-01',
    );
    expect(effect.postponeTo).toBeNull();
  });

  test('with less left the deadline moves to the first lawful day, same time of day', () => {
    const effect = clarificationEffect(
      'open-tender.gp',
      { issuedAt: at('2026-12-10T16:00:00'), bidDeadline: deadline, affectsPreparation: true },
      '2026-12-01',
    );
    expect(effect.postponeTo).toEqual(at('2026-12-25T09:30:00'));
    expect(effect.rule?.citation).toContain('第二十七条');
  });

  test('a clarification that does not affect preparation never moves it', () => {
    const effect = clarificationEffect(
      'open-tender.works',
      { issuedAt: at('2026-12-18T10:00:00'), bidDeadline: deadline, affectsPreparation: false },
      '2026-12-01',
    );
    expect(effect.postponeTo).toBeNull();
  });
});

describe('objections to the documents', () => {
  test('工程: until the end of the tenth day before the deadline, answered within 3 days, suspending', () => {
    const window = objectionWindow(
      'open-tender.works',
      { bidDeadline: at('2026-12-21T09:30:00') },
      '2026-12-01',
    );
    expect(window?.until).toEqual(at('2026-12-11T23:59:59.999'));
    expect(window?.suspendsProcedure).toBe(true);
    expect(window?.citation).toContain('第二十二条');
    // Received Friday 12-11: three days later is Monday 12-14.
    expect(objectionAnswerDue(window!, at('2026-12-11T10:00:00'))).toEqual(at('2026-12-14T23:59:59.999'));
  });

  test('政府采购 质疑: within 7 working days of obtaining the documents', () => {
    const window = objectionWindow(
      'open-tender.gp',
      { bidDeadline: at('2026-12-21T09:30:00'), documentsObtainedAt: at('2026-12-02T11:00:00') },
      '2026-12-01',
    );
    expect(window?.nameZh).toBe('质疑');
    expect(window?.until).toEqual(at('2026-12-11T23:59:59.999'));
    expect(window?.suspendsProcedure).toBe(false);
  });
});

describe('deposits (条例第二十六条; 政府采购法实施条例第三十三条)', () => {
  test('2% of the estimate is allowed, one fen more is not', () => {
    expect(() =>
      assertDeposit('open-tender.works', { depositYuan: '20000.00', estimateYuan: '1000000' }, '2026-12-01'),
    ).not.toThrow();
    expect(() =>
      assertDeposit('open-tender.works', { depositYuan: '20000.01', estimateYuan: '1000000' }, '2026-12-01'),
    ).toThrow(
      expect.objectContaining({ code: 'DEPOSIT_ABOVE_CAP', citation: expect.stringContaining('第二十六条') }),
    );
    expect(() =>
      assertDeposit('inquiry', { depositYuan: '5000.01', estimateYuan: '250000' }, '2026-12-01'),
    ).toThrow(expect.objectContaining({ citation: expect.stringContaining('第三十三条') }));
  });
});

describe('effective dates', () => {
  // A hypothetical amendment from 2027 lengthening the period to 30 days: lots registered before keep 20.
  const base = PROCEDURE_RULES.find((r) => r.id === 'works.documents-to-deadline');
  if (base?.kind !== 'period') throw new Error('rule missing');
  const amended: readonly ProcedureRule[] = [
    ...PROCEDURE_RULES.filter((r) => r !== base),
    { ...base, effectiveUntil: '2027-01-01' },
    {
      ...base,
      id: 'works.documents-to-deadline.2027',
      minimum: { days: 30, counting: 'calendar' },
      effectiveFrom: '2027-01-01',
    },
  ];

  test('a lot is checked by the law in force on its rules date, not today', () => {
    expect(checkTimeline('open-tender.works', works(), '2026-12-01', amended)).toEqual([]);
    expect(codes(checkTimeline('open-tender.works', works(), '2027-01-05', amended))).toEqual([
      'TENDER_PERIOD_TOO_SHORT',
    ]);
  });
});

describe('the public procedure API', () => {
  test('lists every procedure with its rules, suggests a lawful timeline from the next hour, checks one', async () => {
    const p = await makeTestPlatform();
    p.clock.set(at('2026-12-01T10:17:00'));
    const list = await p.anonymous.get('/api/public/procedures');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { type: string }) => i.type)).toEqual([...PROCEDURE_TYPES]);

    const suggested = await p.anonymous.get('/api/public/procedures/open-tender.works/suggested-timeline');
    expect(suggested.statusCode).toBe(200);
    expect(new Date(suggested.json().publishedAt)).toEqual(at('2026-12-01T11:00:00'));

    const checked = await p.anonymous.post('/api/public/procedures/open-tender.works/timeline-check', {
      ...(suggested.json() as Record<string, string>),
      bidDeadline: at('2026-12-10T09:30:00').toISOString(),
      openingAt: at('2026-12-10T09:30:00').toISOString(),
    });
    expect(checked.statusCode).toBe(200);
    expect(checked.json().lawful).toBe(false);
    expect(checked.json().violations[0]).toMatchObject({ code: 'TENDER_PERIOD_TOO_SHORT' });

    const unknown = await p.anonymous.get('/api/public/procedures/sealed-auction/suggested-timeline');
    expect(unknown.statusCode).toBe(400);
    // 拍卖 has no tender timeline: its periods are the auction's own (trading/auctions).
    const auction = await p.anonymous.get('/api/public/procedures/auction/suggested-timeline');
    expect(auction.statusCode).toBe(409);
    expect(auction.json().code).toBe('LOT_TRADES_BY_AUCTION');
  });
});
