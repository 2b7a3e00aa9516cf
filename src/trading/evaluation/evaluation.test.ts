import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { sm2Sign, toBase64Url } from '../../platform/crypto/index.ts';
import { issueBidderKeys } from '../bids/test-factory.ts';
import type { EvaluationDb } from './context.ts';
import { getEvaluationOutcome } from './outcome.ts';
import { reportSigningText } from './report.ts';
import { defaultPlan, evaluatedLot, fullSheet } from './test-factory.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

const db = () => p.db as unknown as Kysely<EvaluationDb>;

describe('the evaluation, end to end', () => {
  test('plan → committee → independent scoring → aggregation → signed report with its PDF', async () => {
    const done = await evaluatedLot(p, {
      regionCode: '150702',
      specialtyCode: 'A080101',
      prices: ['1000000.00', '950000.00', '1020000.00'],
    });
    const { outcome } = done;
    expect(outcome.status).toBe('reported');
    expect(outcome.candidates).toHaveLength(3);
    expect(outcome.reportSm3).toMatch(/^[0-9a-f]{64}$/);
    expect(outcome.reportPdfSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(outcome.members).toHaveLength(5);
    expect(outcome.members.filter((m) => m.isChair)).toHaveLength(1);
    const pdf = await done.opened.agency.session.get(`/api/lots/${done.opened.lot.id}/evaluation/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

type Problem = { code: string; title: string; detail?: string; citation?: string };

describe('forming the committee', () => {
  test('a committee that breaks the composition rule is refused with 第三十七条 and nothing is formed', async () => {
    const { openedLot } = await import('../opening/test-factory.ts');
    const { drawnCommittee } = await import('../draws/test-factory.ts');
    const opened = await openedLot(p, {
      beforeBids: async (lot) => {
        const res = await lot.agency.session.put(
          `/api/lots/${lot.lot.id}/evaluation/plan`,
          defaultPlan('works'),
        );
        expect(res.statusCode).toBe(200);
      },
    });
    const lotId = opened.lot.id;
    const committee = await drawnCommittee(p, opened, {
      regionCode: '150703',
      specialtyCode: 'A080101',
      experts: 4,
    });
    const agency = await p.as(opened.agency.account);
    const bad = await agency.post(`/api/lots/${lotId}/evaluation/committee`, {
      representativeAccountIds: [],
    });
    expect(bad.statusCode).toBe(409);
    const problem = bad.json() as Problem & { problems: { code: string }[] };
    expect(problem.code).toBe('COMMITTEE_COMPOSITION');
    expect(problem.citation).toContain('《中华人民共和国招标投标法》第三十七条');
    expect(problem.problems.map((x) => x.code)).toEqual(['TOO_FEW', 'EVEN']);
    const view = (await agency.get(`/api/lots/${lotId}/evaluation`)).json() as {
      status: string;
      members: unknown[];
    };
    expect(view.status).toBe('planned');
    expect(view.members).toEqual([]);

    // An account of another organisation cannot be the initiator's representative.
    const outsider = await p.makeAccount(['initiator']);
    const foreign = await agency.post(`/api/lots/${lotId}/evaluation/committee`, {
      representativeAccountIds: [outsider.id],
    });
    expect((foreign.json() as Problem).code).toBe('REPRESENTATIVE_NOT_OF_INITIATOR');

    // Four experts and the initiator's representative: five, experts ≥ 2/3.
    const ok = await agency.post(`/api/lots/${lotId}/evaluation/committee`, {
      representativeAccountIds: [opened.initiator.account.id],
    });
    expect(ok.statusCode).toBe(201);

    // A member sees the bidders only after signing in.
    const expert = committee.experts[0]!.session;
    const before = (await expert.get(`/api/lots/${lotId}/evaluation/member`)).json() as {
      bidders: unknown[];
    };
    expect(before.bidders).toEqual([]);
    expect((await expert.post(`/api/lots/${lotId}/evaluation/sign-in`)).statusCode).toBe(200);
    const after = (await expert.get(`/api/lots/${lotId}/evaluation/member`)).json() as {
      bidders: { bidderName: string }[];
      steps: unknown[];
    };
    expect(after.bidders).toHaveLength(3);
    expect(after.steps).toEqual([]); // no sheets before the 回避声明
    const early = await expert.post(`/api/lots/${lotId}/evaluation/steps/qualification/sheet`, { items: [] });
    expect((early.json() as Problem).code).toBe('DECLARATION_REQUIRED');
    // Someone who is not a member is refused.
    const stranger = await p.as(committee.spare[0]?.account ?? outsider);
    expect((await stranger.get(`/api/lots/${lotId}/evaluation/member`)).statusCode).toBe(403);
  });
});

describe('scoring, rejections, clarifications and the aggregation', () => {
  test('every bad input is refused with its rule, nobody sees scores early, and 第六十四条 bounds later changes', async () => {
    const done = await evaluatedLot(p, {
      regionCode: '150721',
      specialtyCode: 'A080101',
      bidders: 4,
      prices: ['1000000.00', '1010000.00', '990000.00', '700000.00'],
      stopAt: 'committee',
    });
    const lotId = done.opened.lot.id;
    const plan = defaultPlan('works');
    const [chair, second, ...others] = done.members;
    if (!chair || !second) throw new Error('members');
    const byPrice = (price: string) => done.opened.outcome.entries.find((e) => e.priceYuan === price)!;
    // In price order of the factory's bidders: 1000000, 1010000, 990000, 700000 (the record's order may differ).
    const bids = ['1000000.00', '1010000.00', '990000.00', '700000.00'].map(byPrice);
    const url = (rest: string) => `/api/lots/${lotId}/evaluation${rest}`;

    // 否决投标 only on a ground of 第五十一条, with a reason.
    const unlisted = await chair.session.post(url('/rejections'), {
      bidId: bids[1]!.bidId,
      ground: 'not-our-favourite',
      reason: '印象不好',
    });
    expect(unlisted.statusCode).toBe(409);
    expect(unlisted.json()).toMatchObject({
      code: 'REJECTION_GROUND_NOT_LISTED',
      citation: '《中华人民共和国招标投标法实施条例》第五十一条',
    });
    const noReason = await chair.session.post(url('/rejections'), {
      bidId: bids[1]!.bidId,
      ground: 'unsigned',
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
    expect(
      (
        await second.session.post(url('/rejections'), {
          bidId: bids[1]!.bidId,
          ground: 'unsigned',
          reason: '未盖章',
        })
      ).statusCode,
    ).toBe(403);
    const rejected = await chair.session.post(url('/rejections'), {
      bidId: bids[1]!.bidId,
      ground: 'unsigned',
      reason: '投标函未加盖投标人公章',
    });
    expect(rejected.statusCode).toBe(201);
    const under = [bids[0]!.bidId, bids[2]!.bidId, bids[3]!.bidId];

    for (const step of ['qualification', 'preliminary'] as const) {
      for (const m of done.members) {
        const res = await m.session.post(url(`/steps/${step}/sheet`), {
          items: fullSheet(plan, step, under),
        });
        expect(res.statusCode).toBe(201);
      }
    }
    const again = await chair.session.post(url('/steps/qualification/sheet'), {
      items: fullSheet(plan, 'qualification', under),
    });
    expect((again.json() as Problem).code).toBe('SHEET_ALREADY_SUBMITTED');

    // A score outside its range, and a criterion the plan does not have: refused, nothing stored.
    const detailed = fullSheet(plan, 'detailed', under);
    const outOfRange = detailed.map((i) =>
      i.criterionId === 'tech' && i.bidId === under[0] ? { ...i, score: 41 } : i,
    );
    const range = await second.session.post(url('/steps/detailed/sheet'), { items: outOfRange });
    expect(range.statusCode).toBe(409);
    expect(range.json()).toMatchObject({ code: 'SCORE_OUT_OF_RANGE' });
    const foreign = await second.session.post(url('/steps/detailed/sheet'), {
      items: [...detailed, { bidId: under[0], criterionId: 'brand-reputation', score: 5 }],
    });
    expect(foreign.statusCode).toBe(409);
    expect(foreign.json()).toMatchObject({
      code: 'CRITERION_NOT_IN_PLAN',
      citation: '《中华人民共和国招标投标法实施条例》第四十九条',
    });
    const deduction = detailed.map((i) =>
      i.criterionId === 'record' ? { ...i, score: 10, reason: null } : i,
    );
    expect(
      ((await second.session.post(url('/steps/detailed/sheet'), { items: deduction })).json() as Problem)
        .code,
    ).toBe('REASON_REQUIRED');

    // Independent scoring: the second member submits; the chair sees only its own sheet, the organiser none.
    expect((await second.session.post(url('/steps/detailed/sheet'), { items: detailed })).statusCode).toBe(
      201,
    );
    const chairView = (await chair.session.get(url('/steps/detailed/scores'))).json() as {
      complete: boolean;
      submitted: number;
      sheets: { memberId: string }[];
    };
    expect(chairView.complete).toBe(false);
    expect(chairView.submitted).toBe(1);
    expect(chairView.sheets).toEqual([]);
    const secondView = (await second.session.get(url('/steps/detailed/scores'))).json() as {
      sheets: { memberId: string }[];
    };
    expect(secondView.sheets.map((s) => s.memberId)).toEqual([second.memberId]);
    const agency = await p.as(done.opened.agency.account);
    expect(
      ((await agency.get(url('/steps/detailed/scores'))).json() as { sheets: unknown[] }).sheets,
    ).toEqual([]);
    for (const m of [chair, ...others]) {
      expect((await m.session.post(url('/steps/detailed/sheet'), { items: detailed })).statusCode).toBe(201);
    }
    const complete = (await chair.session.get(url('/steps/detailed/scores'))).json() as {
      complete: boolean;
      sheets: unknown[];
    };
    expect(complete.complete).toBe(true);
    expect(complete.sheets).toHaveLength(5);

    // 算术修正 needs the bidder's confirmation; the abnormally low price its written explanation.
    const dueAt = new Date(p.clock.now().getTime() + 3_600_000).toISOString();
    const corrected = await chair.session.post(url('/price-corrections'), {
      bidId: under[0],
      correctedPriceYuan: '1000100.00',
      rule: 'words-over-figures',
      reason: '大写金额为壹佰万零壹佰元整',
      dueAt,
    });
    expect(corrected.statusCode).toBe(201);
    const unknownRule = await chair.session.post(url('/price-corrections'), {
      bidId: under[0],
      correctedPriceYuan: '1.00',
      rule: 'round-down',
      reason: '取整',
      dueAt,
    });
    expect((unknownRule.json() as Problem).code).toBe('CORRECTION_RULE_UNKNOWN');
    const lowBid = bids[3]!;
    const flagged = (await agency.get(url(''))).json() as {
      bidders: { bidId: string; abnormallyLow: boolean }[];
    };
    expect(flagged.bidders.filter((b) => b.abnormallyLow).map((b) => b.bidId)).toEqual([lowBid.bidId]);
    const notYet = await chair.session.post(url('/aggregate'));
    expect(notYet.statusCode).toBe(409);
    expect((notYet.json() as Problem).code).toBe('ABNORMALLY_LOW_UNEXPLAINED');
    const asked = await chair.session.post(url('/clarifications'), {
      bidId: lowBid.bidId,
      kind: 'abnormally-low',
      question: '请书面说明报价明显低于其他投标人的原因并提供成本证明材料。',
      dueAt,
    });
    expect(asked.statusCode).toBe(201);
    const lowBidder = done.opened.bidders.find((b) => b.organizationId === lowBid.organizationId)!;
    const firstBidder = done.opened.bidders.find((b) => b.organizationId === bids[0]!.organizationId)!;
    const lowSession = await p.as(lowBidder.account);
    const firstSession = await p.as(firstBidder.account);
    const mine = (await lowSession.get('/api/my/evaluation-clarifications')).json() as {
      items: { id: string; kind: string; notice: string }[];
    };
    expect(mine.items.map((c) => c.kind)).toEqual(['abnormally-low']);
    expect(mine.items[0]!.notice).toContain('不得');
    // Another bidder cannot answer it.
    expect(
      (
        await firstSession.post(`/api/evaluation-clarifications/${mine.items[0]!.id}/answer`, {
          answer: '代答',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await lowSession.post(`/api/evaluation-clarifications/${mine.items[0]!.id}/answer`, {
          answer: '本单位自有仓储，运输成本低，附成本测算表。',
        })
      ).statusCode,
    ).toBe(200);
    const unconfirmed = await chair.session.post(url('/aggregate'));
    expect((unconfirmed.json() as Problem).code).toBe('PRICE_CORRECTION_UNCONFIRMED');
    const firstQuestions = (await firstSession.get('/api/my/evaluation-clarifications')).json() as {
      items: { id: string }[];
    };
    expect(
      (
        await firstSession.post(`/api/evaluation-clarifications/${firstQuestions.items[0]!.id}/answer`, {
          answer: '确认修正后的报价。',
        })
      ).statusCode,
    ).toBe(200);

    const aggregated = await chair.session.post(url('/aggregate'));
    expect(aggregated.statusCode).toBe(200);
    const snapshot = aggregated.json() as {
      ranking: string[];
      candidates: string[];
      bidders: { bidId: string; rejected: boolean; priceYuan: string; score: string | null }[];
    };
    expect(snapshot.bidders.find((b) => b.bidId === bids[1]!.bidId)?.rejected).toBe(true);
    expect(snapshot.bidders.find((b) => b.bidId === under[0])?.priceYuan).toBe('1000100.00');
    expect(snapshot.candidates).toHaveLength(3);
    // The lowest price earns the full price score: 700000 → 40 + 58 + 20 beats the others' 98 − 2.
    expect(snapshot.ranking[0]).toBe(lowBid.bidId);

    // After the aggregation: no new sheets; only 第六十四条's grounds, each recorded.
    const late = await chair.session.post(url('/steps/detailed/sheet'), { items: detailed });
    expect(late.json()).toMatchObject({
      code: 'SCORING_CLOSED',
      citation: expect.stringContaining('第六十四条'),
    });
    const outside = await chair.session.post(url('/corrections'), {
      memberId: second.memberId,
      bidId: under[1],
      criterionId: 'tech',
      ground: 'second-thoughts',
      reason: '重新考虑',
      score: 40,
    });
    expect(outside.statusCode).toBe(409);
    expect(outside.json()).toMatchObject({
      code: 'CORRECTION_NOT_ALLOWED',
      citation: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十四条',
    });
    const allowed = await chair.session.post(url('/corrections'), {
      memberId: second.memberId,
      bidId: under[1],
      criterionId: 'record',
      ground: 'objective-inconsistent',
      reason: '类似业绩为客观分，与其他成员评分不一致，经复核更正',
      score: 18,
    });
    expect(allowed.statusCode).toBe(200);
    const scores = (await chair.session.get(url('/steps/detailed/scores'))).json() as {
      sheets: { memberId: string; items: { bidId: string; criterionId: string; score: string }[] }[];
    };
    const changed = scores.sheets
      .find((s) => s.memberId === second.memberId)
      ?.items.find((i) => i.bidId === under[1] && i.criterionId === 'record');
    expect(changed?.score).toBe('18.00');
  });
});

describe('the report', () => {
  test('a wrong key is refused; dissent and a written refusal are kept; silence at the end counts as agreement', async () => {
    const done = await evaluatedLot(p, { regionCode: '150722', specialtyCode: 'A080101', stopAt: 'scored' });
    const lotId = done.opened.lot.id;
    const url = (rest: string) => `/api/lots/${lotId}/evaluation${rest}`;
    const [chair, a, b, ...silent] = done.members;
    if (!chair || !a || !b) throw new Error('members');
    expect((await a.session.post(url('/report'))).statusCode).toBe(403);
    const generated = (await chair.session.post(url('/report'))).json() as {
      reportSm3: string;
      signingUntil: string;
    };
    const text = reportSigningText(lotId, generated.reportSm3);
    const chairKeys = await issueBidderKeys(p, chair.account.username);
    const aKeys = await issueBidderKeys(p, a.account.username);
    // Signed with someone else's key: refused.
    const forged = await a.session.post(url('/report/signatures'), {
      decision: 'sign',
      signature: toBase64Url(sm2Sign(chairKeys.signKey, text)),
    });
    expect(forged.statusCode).toBe(403);
    expect((forged.json() as Problem).code).toBe('SIGNATURE_INVALID');
    expect(
      (
        await a.session.post(url('/report/signatures'), {
          decision: 'dissent',
          signature: toBase64Url(sm2Sign(aKeys.signKey, text)),
          text: '对第一名的技术方案评分偏高，持保留意见。',
        })
      ).statusCode,
    ).toBe(200);
    expect((await b.session.post(url('/report/signatures'), { decision: 'refuse' })).statusCode).toBe(400);
    expect(
      (
        await b.session.post(url('/report/signatures'), {
          decision: 'refuse',
          text: '评审时间不足，拒绝签字。',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await chair.session.post(url('/report/signatures'), {
          decision: 'sign',
          signature: toBase64Url(sm2Sign(chairKeys.signKey, text)),
        })
      ).statusCode,
    ).toBe(200);
    expect(await getEvaluationOutcome(db(), lotId)).toBeNull();

    p.clock.set(new Date(new Date(generated.signingUntil).getTime() + 1000));
    await p.jobs.runDueJobs();
    const outcome = await getEvaluationOutcome(db(), lotId);
    expect(outcome?.status).toBe('reported');
    const agency = await p.as(done.opened.agency.account);
    const view = (await agency.get(url(''))).json() as {
      status: string;
      report: { signatures: { memberId: string; kind: string; text: string | null }[] };
    };
    expect(view.status).toBe('reported');
    const kinds = new Map(view.report.signatures.map((s) => [s.memberId, s.kind]));
    expect(kinds.get(a.memberId)).toBe('dissent');
    expect(kinds.get(b.memberId)).toBe('refused');
    expect(silent.map((m) => kinds.get(m.memberId))).toEqual(silent.map(() => 'deemed-agreed'));
    const lateSign = await silent[0]!.session.post(url('/report/signatures'), {
      decision: 'refuse',
      text: '迟到',
    });
    expect(lateSign.statusCode).toBe(409);
  });
});
