import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform, uniqueName } from '../../../test/support/platform.ts';
import { sequenceWitnessEvents } from '../../platform/witness/index.ts';
import { makeExpert } from '../../service/experts/test-factory.ts';
import { type DrawnCommitteeResult, drawnCommittee } from '../../trading/draws/test-factory.ts';
import { type OpenedLot, openedLot, relogin } from '../../trading/opening/test-factory.ts';
import { giveTestScope } from '../scopes/test-factory.ts';
import { followAwardEvents } from './ratings.ts';
import { quarterOf } from './rules.ts';

let p: TestPlatform;
let lot: OpenedLot;
let committee: DrawnCommitteeResult;

const EXPERT_SCORES = { punctuality: 5, discipline: 5, independence: 4, competence: 4, integrity: 5 };
const PARTY_SCORES = { organization: 4, documents: 3, neutrality: 5, support: 4 };
const AGENCY_SCORES = { documents: 4, procedure: 5, service: 3, integrity: 5 };
const PLATFORM_SCORES = { stability: 5, usability: 4, disclosure: 5, response: 4, fairness: 5 };

interface LotRatings {
  windowEndsAt: string;
  open: boolean;
  options: { relation: string; rateeId: string; rateeName: string; rating: { score: string } | null }[];
}

function problem(res: { statusCode: number; json(): unknown }) {
  return { status: res.statusCode, ...(res.json() as { code: string; title: string; citation?: string }) };
}

beforeAll(async () => {
  p = await makeTestPlatform();
  lot = await openedLot(p, { bidders: 3 });
  committee = await drawnCommittee(p, lot, {
    regionCode: '152921',
    specialtyCode: 'A020114',
    experts: 3,
    spare: 0,
  });
  await relogin(p, lot);
}, 300_000);
afterAll(async () => {
  await p?.close();
});

describe('多方互评 (§40–41, §46)', () => {
  test('ratings open at the lot’s end, for participants only, once each, within 5 working days', {
    timeout: 240_000,
  }, async () => {
    const lotId = lot.lot.id;
    const [b0, b1] = lot.bidders;
    if (!b0 || !b1) throw new Error('bidders expected');
    const [e0, e1] = committee.experts;
    if (!e0 || !e1) throw new Error('experts expected');
    const url = `/api/lots/${lotId}/ratings`;

    // Before the lot ends nobody rates.
    expect(problem(await b0.session.get(`/api/lots/${lotId}/my-ratings`))).toMatchObject({
      status: 409,
      code: 'RATING_NOT_OPEN',
    });

    // The initiator terminates (终止): the lot has ended; the window opener follows the witness log.
    const ended = await lot.agency.session.post(`/api/lots/${lotId}/failure`, {
      reason: 'terminated',
      text: '项目资金未落实，招标人决定终止招标',
    });
    expect(ended.statusCode).toBe(200);
    await sequenceWitnessEvents(p.db);
    while ((await followAwardEvents({ db: p.db, clock: p.clock, sealer: p.sealer })) > 0) {}
    const pending = (await b1.session.get('/api/my/ratings/pending')).json() as {
      items: { lotId: string; pending: number; total: number }[];
    };
    expect(pending.items.find((i) => i.lotId === lotId)).toMatchObject({ pending: 2, total: 2 });

    // Who may rate whom.
    const initiatorView = (
      await lot.initiator.session.get(`/api/lots/${lotId}/my-ratings`)
    ).json() as LotRatings;
    expect(initiatorView.open).toBe(true);
    expect(initiatorView.options.map((o) => o.relation)).toEqual([
      'initiator-expert',
      'initiator-expert',
      'initiator-expert',
    ]);
    expect(initiatorView.options.map((o) => o.rateeId).sort()).toEqual(
      committee.experts.map((e) => e.expertId).sort(),
    );
    const expertView = (await e0.session.get(`/api/lots/${lotId}/my-ratings`)).json() as LotRatings;
    expect(expertView.options.map((o) => o.relation)).toEqual(['expert-initiator', 'expert-agency']);
    const bidderView = (await b0.session.get(`/api/lots/${lotId}/my-ratings`)).json() as LotRatings;
    expect(bidderView.options.map((o) => o.relation)).toEqual(['bidder-agency', 'bidder-platform']);
    const agencyId = bidderView.options[0]!.rateeId;

    // In the window: each party rates.
    let res = await lot.initiator.session.post(url, {
      relation: 'initiator-expert',
      rateeId: e0.expertId,
      scores: EXPERT_SCORES,
      comment: '评审认真，意见完整',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ score: '4.60', relationName: '招标人（采购人）评价评标专家' });
    res = await lot.agency.session.post(url, {
      relation: 'agency-expert',
      rateeId: e0.expertId,
      scores: { ...EXPERT_SCORES, punctuality: 3 },
    });
    expect(res.statusCode).toBe(201);
    res = await e0.session.post(url, { relation: 'expert-agency', rateeId: agencyId, scores: PARTY_SCORES });
    expect(res.statusCode).toBe(201);
    res = await e1.session.post(url, {
      relation: 'expert-initiator',
      rateeId: expertView.options[0]!.rateeId,
      scores: PARTY_SCORES,
    });
    expect(res.statusCode).toBe(201);
    res = await b0.session.post(url, { relation: 'bidder-agency', rateeId: agencyId, scores: AGENCY_SCORES });
    expect(res.statusCode).toBe(201);
    res = await b0.session.post(url, {
      relation: 'bidder-platform',
      rateeId: 'platform',
      scores: PLATFORM_SCORES,
    });
    expect(res.statusCode).toBe(201);

    // Once per rater, ratee and lot — even from another account of the same organisation.
    expect(
      problem(
        await lot.initiator.session.post(url, {
          relation: 'initiator-expert',
          rateeId: e0.expertId,
          scores: EXPERT_SCORES,
        }),
      ),
    ).toMatchObject({ status: 409, code: 'RATING_DUPLICATE' });
    expect(
      problem(
        await b0.session.post(url, {
          relation: 'bidder-platform',
          rateeId: 'platform',
          scores: PLATFORM_SCORES,
        }),
      ),
    ).toMatchObject({ status: 409, code: 'RATING_DUPLICATE' });

    // Incomplete scores are refused.
    expect(
      problem(
        await lot.initiator.session.post(url, {
          relation: 'initiator-expert',
          rateeId: e1.expertId,
          scores: { punctuality: 5 },
        }),
      ),
    ).toMatchObject({ status: 400, code: 'RATING_SCORES_INVALID' });

    // Non-participants: a firm that did not bid, an expert not on the committee, a relation one does not hold,
    // a ratee not of this lot.
    const stranger = await p.as(await p.makeAccount(['responder']));
    expect(
      problem(
        await stranger.post(url, {
          relation: 'bidder-platform',
          rateeId: 'platform',
          scores: PLATFORM_SCORES,
        }),
      ),
    ).toMatchObject({
      status: 403,
      code: 'RATING_NOT_PARTICIPANT',
      citation: expect.stringContaining('第四十六条'),
    });
    const outsider = await makeExpert(p, { regionCode: '152921', specialtyCodes: ['A020114'] });
    const outsiderSession = await p.as(outsider.account!);
    expect(
      problem(
        await outsiderSession.post(url, {
          relation: 'expert-agency',
          rateeId: agencyId,
          scores: PARTY_SCORES,
        }),
      ),
    ).toMatchObject({ status: 403, code: 'RATING_NOT_PARTICIPANT' });
    expect(
      problem(
        await b1.session.post(url, {
          relation: 'initiator-expert',
          rateeId: e0.expertId,
          scores: EXPERT_SCORES,
        }),
      ),
    ).toMatchObject({ status: 403, code: 'RATING_NOT_PARTICIPANT' });
    expect(
      problem(
        await lot.initiator.session.post(url, {
          relation: 'initiator-expert',
          rateeId: outsider.expertId,
          scores: EXPERT_SCORES,
        }),
      ),
    ).toMatchObject({ status: 403, code: 'RATING_RATEE_NOT_IN_LOT' });

    // The last moment of the fifth working day is still in time; a millisecond later is not.
    const closesAt = Date.parse(bidderView.windowEndsAt);
    p.clock.set(new Date(closesAt));
    await relogin(p, lot);
    res = await lot.bidders[1]!.session.post(url, {
      relation: 'bidder-agency',
      rateeId: agencyId,
      scores: AGENCY_SCORES,
    });
    expect(res.statusCode).toBe(201);
    p.clock.set(new Date(closesAt + 1));
    await relogin(p, lot);
    expect(
      problem(
        await lot.bidders[1]!.session.post(url, {
          relation: 'bidder-platform',
          rateeId: 'platform',
          scores: PLATFORM_SCORES,
        }),
      ),
    ).toMatchObject({
      status: 409,
      code: 'RATING_WINDOW_CLOSED',
      citation: expect.stringContaining('5个工作日'),
    });
    const e1Again = await p.as(e1.account);
    expect(
      problem(
        await e1Again.post(url, { relation: 'expert-agency', rateeId: agencyId, scores: PARTY_SCORES }),
      ),
    ).toMatchObject({ status: 409, code: 'RATING_WINDOW_CLOSED' });

    // Regulators in scope see the experts' and agencies' records: aggregates and each rating.
    const supervisor = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, supervisor.id, { department: uniqueName('监督部门') });
    const sup = await p.as(supervisor);
    const experts = (await sup.get('/api/supervision/performance/experts')).json() as {
      items: { id: string; ratings: number; average: string; lowest: string }[];
    };
    expect(experts.items.find((i) => i.id === e0.expertId)).toMatchObject({
      ratings: 2,
      average: '4.40',
      lowest: '4.20',
    });
    const detail = (await sup.get(`/api/supervision/performance/experts/${e0.expertId}`)).json() as {
      ratings: number;
      items: { relation: string; lotCode: string; comment: string | null }[];
      byRelation: { relation: string; dimensions: { code: string; average: string }[] }[];
    };
    expect(detail.ratings).toBe(2);
    expect(detail.items.map((i) => i.relation).sort()).toEqual(['agency-expert', 'initiator-expert']);
    expect(detail.items.find((i) => i.relation === 'initiator-expert')?.comment).toBe('评审认真，意见完整');
    const agencies = (await sup.get('/api/supervision/performance/agencies')).json() as {
      items: { id: string; ratings: number }[];
    };
    expect(agencies.items.find((i) => i.id === agencyId)).toMatchObject({ ratings: 3 });
    // Out of scope: nothing.
    const far = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, far.id, { department: uniqueName('监督部门'), regionPrefixes: ['1506'] });
    const farExperts = (await (await p.as(far)).get('/api/supervision/performance/experts')).json() as {
      items: { id: string }[];
    };
    expect(farExperts.items.some((i) => i.id === e0.expertId)).toBe(false);
    // Not a regulator: no access.
    expect((await lot.initiator.session.get('/api/supervision/performance/experts')).statusCode).toBe(403);
  });

  test('platform service evaluation: self-assessment and external ratings, published by quarter', async () => {
    const operator = await p.as(await p.makeAccount(['operator']));
    const period = quarterOf(p.clock.now());
    let res = await operator.post('/api/service-evaluation/self-assessments', {
      period,
      scores: PLATFORM_SCORES,
      summary: '本季度系统可用率99.9%，咨询平均响应时间2小时。',
    });
    // Another test file may have published this quarter's self-assessment on the shared database.
    expect([201, 409]).toContain(res.statusCode);
    if (res.statusCode === 201) {
      res = await operator.post('/api/service-evaluation/self-assessments', {
        period,
        scores: PLATFORM_SCORES,
        summary: '重复填报的自评价应被拒绝。',
      });
      expect(problem(res)).toMatchObject({ status: 409, code: 'SERVICE_SELF_ASSESSMENT_EXISTS' });
    }
    expect(
      problem(await operator.post('/api/service-evaluation/ratings', { scores: PLATFORM_SCORES })),
    ).toMatchObject({
      status: 403,
      code: 'SERVICE_RATING_BY_OPERATOR',
    });

    const user = await p.as(await p.makeAccount(['responder']));
    res = await user.post('/api/service-evaluation/ratings', {
      scores: { ...PLATFORM_SCORES, usability: 2 },
      comment: '投标文件上传偶有超时',
    });
    expect(res.statusCode).toBe(201);
    expect(
      problem(await user.post('/api/service-evaluation/ratings', { scores: PLATFORM_SCORES })),
    ).toMatchObject({
      status: 409,
      code: 'SERVICE_RATING_DUPLICATE',
    });
    expect((await user.get('/api/service-evaluation/mine')).json()).toMatchObject({
      period,
      rating: { score: '4.20' },
    });

    const published = (await p.anonymous.get('/api/public/service-ratings')).json() as {
      periods: {
        period: string;
        self: { score: string } | null;
        external: { count: number; average: string | null; dimensions: { code: string; average: string }[] };
        projects: { count: number };
      }[];
    };
    const current = published.periods.find((x) => x.period === period);
    expect(current?.self).not.toBeNull();
    expect(current?.external.count).toBeGreaterThanOrEqual(1);
    expect(current?.external.dimensions.map((d) => d.code)).toEqual([
      'stability',
      'usability',
      'disclosure',
      'response',
      'fairness',
    ]);
    // The bidder's per-project rating of the platform counts in its quarter.
    expect(published.periods.some((x) => x.projects.count >= 1)).toBe(true);
  });
});
