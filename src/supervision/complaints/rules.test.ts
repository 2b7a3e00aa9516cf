import { describe, expect, test } from 'vitest';
import { endOfShanghaiDay } from '../../platform/clock/index.ts';
import { financeDepartmentOf } from './jurisdiction.ts';
import {
  acceptanceDueAt,
  afterWorkingDays,
  decisionDueAt,
  gpFilingDeadline,
  gpSuspensionEnd,
  notAcceptedCitation,
  objectionAnswerDays,
  outcomeCitation,
  pausedWorkingDays,
  worksFilingDeadline,
} from './rules.ts';

/** The clocks of 投诉处理 on the working-day calendar (2026 holidays), without a database. */
const end = (date: `${number}-${number}-${number}`) => endOfShanghaiDay(date).toISOString();
const at = (iso: string) => new Date(iso);

describe('工程 (条例第六十条、第六十一条)', () => {
  test('10 日 from knowing; a last day on a weekend moves to the next working day', () => {
    expect(worksFilingDeadline('2026-03-02', 0).toISOString()).toBe(end('2026-03-12'));
    // 10 + 3 answer days = 03-15, a Sunday → Monday 03-16.
    expect(worksFilingDeadline('2026-03-02', 3).toISOString()).toBe(end('2026-03-16'));
  });

  test('the 异议 answer days are counted once, and only after the complainant knew', () => {
    expect(objectionAnswerDays([{ from: '2026-03-03', to: '2026-03-05' }], '2026-03-02')).toBe(2);
    expect(
      objectionAnswerDays(
        [
          { from: '2026-03-03', to: '2026-03-06' },
          { from: '2026-03-05', to: '2026-03-08' },
        ],
        '2026-03-02',
      ),
    ).toBe(5);
    expect(objectionAnswerDays([{ from: '2026-02-25', to: '2026-03-04' }], '2026-03-02')).toBe(2);
    // Answered on the spot (开标异议): nothing to exclude.
    expect(objectionAnswerDays([{ from: '2026-03-03', to: '2026-03-03' }], '2026-03-02')).toBe(0);
  });

  test('acceptance within 3 个工作日 of receipt; the decision within 30 个工作日 of acceptance, excluded time added', () => {
    expect(acceptanceDueAt('works', at('2026-03-06T02:00:00Z'), 0).toISOString()).toBe(end('2026-03-11'));
    const accepted = at('2026-03-17T02:00:00Z');
    // 30 working days after Tuesday 03-17 skip 清明 (04-04..04-06).
    expect(decisionDueAt('works', { receivedAt: accepted, acceptedAt: accepted }, 0)?.toISOString()).toBe(
      end('2026-04-29'),
    );
    // Three working days of expert review: 04-30, then 劳动节 (05-01..05-05), 05-06, 05-07.
    expect(decisionDueAt('works', { receivedAt: accepted, acceptedAt: accepted }, 3)?.toISOString()).toBe(
      end('2026-05-07'),
    );
    expect(decisionDueAt('works', { receivedAt: accepted, acceptedAt: null }, 0)).toBeNull();
  });
});

describe('政府采购 (财政部令第94号)', () => {
  test('质疑 within 7 个工作日: the Spring Festival and its 调休 Saturdays count as the calendar says', () => {
    // 02-11, 02-12, 02-13, 02-14 (调休上班), 02-24, 02-25, 02-26.
    expect(afterWorkingDays('2026-02-10', 7).toISOString()).toBe(end('2026-02-26'));
    // 02-14 and 02-28 are worked Saturdays: 7 working days after 02-13 end on Monday 03-02.
    expect(afterWorkingDays('2026-02-13', 7).toISOString()).toBe(end('2026-03-02'));
  });

  test('投诉 within 15 个工作日 of the END of the answer period (not of the answer)', () => {
    expect(gpFilingDeadline(endOfShanghaiDay('2026-03-11')).toISOString()).toBe(end('2026-04-01'));
  });

  test('review 5, copies 8 and decision 30 个工作日 run from receipt; 补正 days are added', () => {
    const received = at('2026-03-05T02:00:00Z');
    expect(acceptanceDueAt('gp', received, 0).toISOString()).toBe(end('2026-03-12'));
    expect(acceptanceDueAt('gp', received, 2).toISOString()).toBe(end('2026-03-16'));
    expect(afterWorkingDays(received, 8).toISOString()).toBe(end('2026-03-17'));
    expect(decisionDueAt('gp', { receivedAt: received, acceptedAt: null }, 0)?.toISOString()).toBe(
      end('2026-04-17'),
    );
  });

  test('a pause takes out the working days after its first day up to its last', () => {
    expect(pausedWorkingDays(at('2026-03-05T02:00:00Z'), at('2026-03-09T02:00:00Z'))).toBe(2);
    expect(pausedWorkingDays(at('2026-03-09T02:00:00Z'), at('2026-03-09T08:00:00Z'))).toBe(0);
  });

  test('a suspension of at most 30 日 ends at 24:00 of its last day', () => {
    expect(gpSuspensionEnd(at('2026-03-09T02:00:00Z'), 30).toISOString()).toBe(end('2026-04-08'));
  });
});

describe('citations and jurisdiction', () => {
  test('政府采购 outcomes: 第三十一条 for the documents, 第三十二条 for the process or the result', () => {
    expect(outcomeCitation('gp', 'founded-redo', ['documents'])).toContain('第三十一条');
    expect(outcomeCitation('gp', 'founded-other-candidate', ['process'])).toContain('第三十二条');
    expect(outcomeCitation('gp', 'rejected', ['process'])).toContain('第二十九条');
    expect(outcomeCitation('works', 'rejected', ['documents'])).toContain('第六十一条第三款');
  });

  test('a second filing of a matter cites the first-receiver rule of its law', () => {
    expect(notAcceptedCitation('works', 'duplicate')).toContain('第六十一条第一款');
    expect(notAcceptedCitation('gp', 'duplicate')).toContain('第十九条');
    expect(notAcceptedCitation('works', 'no-prior-objection')).toContain('第六十条第二款');
  });

  test('the 财政部门 of the purchaser’s level follows the region', () => {
    expect(financeDepartmentOf('150102')).toBe('呼和浩特市新城区财政局');
    expect(financeDepartmentOf('150100')).toBe('呼和浩特市财政局');
    expect(financeDepartmentOf('150000')).toBe('内蒙古自治区财政厅');
  });
});
