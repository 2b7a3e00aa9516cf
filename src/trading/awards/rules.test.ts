import { describe, expect, test } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import {
  checkWinnerChoice,
  contractDueAt,
  firstDueAt,
  gpNoticeDueAt,
  objectionAnswerDueAt,
  publicityEndsAt,
  resultPublicityEndsAt,
} from './rules.ts';
import type { AwardCandidate } from './tables.ts';
import { candidatesText, failureText, resultText } from './texts.ts';

/** 北京时间 wall clock → instant. */
const bj = (local: string) => new Date(`${local}+08:00`);
/** The end (24:00 北京时间) of a day. */
const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`);

function candidate(rank: number, extra: Partial<AwardCandidate> = {}): AwardCandidate {
  return {
    rank,
    bidId: `bid-${rank}`,
    organizationId: `org-${rank}`,
    bidderName: `第${rank}名建设有限公司`,
    creditCode: `91150102MA0000000${rank}`,
    priceYuan: `${1000000 + rank}.00`,
    score: `${90 - rank}.50`,
    fields: { price: `${1000000 + rank}.00`, duration: '365', quality: '合格' },
    ...extra,
  };
}

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('award periods (the start day not counted, 87号令第八十五条)', () => {
  test('工程: the candidates are published within 3 日 of the report, for at least 3 日', () => {
    expect(firstDueAt('works', bj('2026-03-02T10:00:00'))).toEqual(endOf('2026-03-05'));
    expect(publicityEndsAt(bj('2026-03-06T09:00:00'))).toEqual(endOf('2026-03-09'));
    expect(objectionAnswerDueAt(bj('2026-03-07T16:00:00'))).toEqual(endOf('2026-03-10'));
  });

  test('a period whose last day is a holiday ends on the next working day (劳动节 2026)', () => {
    // 04-30 + 3 = 05-03, inside 05-01..05-05: the period ends on 05-06.
    expect(publicityEndsAt(bj('2026-04-30T10:00:00'))).toEqual(endOf('2026-05-06'));
  });

  test('政府采购: 5 工作日 to decide, 2 工作日 to notify, the result announced for 1 工作日', () => {
    // Friday 03-06: Mon 09 … Fri 13 are the five working days.
    expect(firstDueAt('gp', bj('2026-03-06T15:00:00'))).toEqual(endOf('2026-03-13'));
    expect(gpNoticeDueAt(bj('2026-03-06T15:00:00'))).toEqual(endOf('2026-03-10'));
    // 09-30 + 1 工作日 skips 国庆 (10-01..10-07): 10-08.
    expect(resultPublicityEndsAt('gp', bj('2026-09-30T10:00:00'))).toEqual(endOf('2026-10-08'));
  });

  test('the contract is due 30 日 after the notice', () => {
    expect(contractDueAt(bj('2026-03-10T10:00:00'))).toEqual(endOf('2026-04-09'));
  });
});

describe('who may be made the winner (实施条例第五十五条)', () => {
  const candidates = [candidate(1), candidate(2), candidate(3)];
  const mandatory = { law: 'works' as const, mandatory: true };

  test('the first candidate needs no reason', () => {
    const chosen = checkWinnerChoice(candidates, { bidId: 'bid-1' }, mandatory);
    expect(chosen.candidate.rank).toBe(1);
    expect(chosen.skipped).toEqual([]);
  });

  test('a bid that is not a candidate is refused, whatever the reason', () => {
    expect(
      codeOf(() =>
        checkWinnerChoice(
          candidates,
          { bidId: 'bid-9', reasonCode: 'declined', reasonText: '第一名书面放弃中标' },
          mandatory,
        ),
      ),
    ).toBe('AWARD_NOT_A_CANDIDATE');
  });

  test('a later candidate of a 依法必须 project needs a 第五十五条 ground and its facts', () => {
    expect(codeOf(() => checkWinnerChoice(candidates, { bidId: 'bid-2' }, mandatory))).toBe(
      'AWARD_FIRST_CANDIDATE_REQUIRED',
    );
    expect(
      codeOf(() => checkWinnerChoice(candidates, { bidId: 'bid-2', reasonCode: 'declined' }, mandatory)),
    ).toBe('AWARD_SKIP_REASON_TEXT_REQUIRED');
    const chosen = checkWinnerChoice(
      candidates,
      { bidId: 'bid-3', reasonCode: 'no-performance-bond', reasonText: '前两名均未按期提交履约保证金' },
      mandatory,
    );
    expect(chosen.skipped.map((c) => c.rank)).toEqual([1, 2]);
  });

  test('政府采购 follows the report order too (87号令第六十八条); a non-mandatory works lot may choose freely', () => {
    expect(
      codeOf(() => checkWinnerChoice(candidates, { bidId: 'bid-2' }, { law: 'gp', mandatory: false })),
    ).toBe('AWARD_FIRST_CANDIDATE_REQUIRED');
    expect(
      checkWinnerChoice(candidates, { bidId: 'bid-2' }, { law: 'works', mandatory: false }).candidate.rank,
    ).toBe(2);
  });
});

describe('announcement texts', () => {
  const lot = { projectName: '旗下营镇污水管网工程', lotName: '一标段', lotCode: 'L001' };

  test('the candidates publicity lists rank, name, price, 工期 and 质量, the channel and the period', () => {
    const text = candidatesText(lot, [candidate(2), candidate(1)], {
      reportedAt: bj('2026-03-02T10:00:00'),
      publishedAt: bj('2026-03-03T09:00:00'),
      endsAt: endOf('2026-03-06'),
      objectionChannel: '招标人 张工 0471-1234567',
    });
    expect(text.title).toBe('旗下营镇污水管网工程一标段中标候选人公示');
    expect(text.body.indexOf('第一中标候选人：第1名建设有限公司')).toBeLessThan(
      text.body.indexOf('第二中标候选人：第2名建设有限公司'),
    );
    expect(text.body).toContain('投标报价：1,000,001.00 元');
    expect(text.body).toContain('工期（日历天）：365');
    expect(text.body).toContain('质量标准：合格');
    expect(text.body).not.toMatch(/^price：/m);
    expect(text.body).toContain('招标人 张工 0471-1234567');
    expect(text.body).toContain('2026年3月6日 23:59');
    expect(text.body).toContain('第五十四条');
  });

  test('the GP result announcement names the experts and its 1-working-day period', () => {
    const text = resultText(lot, {
      law: 'gp',
      winner: { name: '某供应商', creditCode: '91150102MA00000001', priceYuan: '880000' },
      confirmedAt: bj('2026-03-10T10:00:00'),
      deemed: true,
      skip: null,
      publishedAt: bj('2026-03-11T10:00:00'),
      endsAt: endOf('2026-03-12'),
      experts: ['张三', '李四'],
    });
    expect(text.body).toContain('中标金额：880,000.00 元');
    expect(text.body).toContain('评审专家名单：张三、李四');
    expect(text.body).toContain('视为确定');
    expect(text.body).toContain('（1个工作日）');
  });

  test('a termination notice states the reason', () => {
    const text = failureText(lot, {
      reason: 'terminated',
      text: '项目因规划调整取消',
      at: bj('2026-03-10T10:00:00'),
    });
    expect(text.title).toBe('旗下营镇污水管网工程一标段终止公告');
    expect(text.body).toContain('项目因规划调整取消');
  });
});
