import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { evaluatedLot } from './test-factory.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

test('政府采购 最低评标价法: qualified bids rank by price alone, low to high, and the plan cannot change after the deadline', async () => {
  const plan = {
    method: 'lowest-price' as const,
    criteria: [
      {
        id: 'qual',
        step: 'qualification' as const,
        name: '满足政府采购法第二十二条规定的资格条件',
        kind: 'pass-fail' as const,
        min: null,
        max: null,
        objective: true,
        ground: 'unqualified',
      },
      {
        id: 'signed',
        step: 'preliminary' as const,
        name: '投标文件按招标文件要求签署、盖章',
        kind: 'pass-fail' as const,
        min: null,
        max: null,
        objective: true,
        ground: 'unsigned',
      },
    ],
    priceWeight: null,
    abnormalLowPercent: 80,
    candidateCount: 3,
  };
  const done = await evaluatedLot(p, {
    procedureType: 'open-tender.gp',
    regionCode: '150726',
    specialtyCode: 'A080101',
    withRepresentative: true,
    prices: ['1000000.00', '950000.00', '1020000.00'],
    plan,
  });
  expect(done.outcome.status).toBe('reported');
  expect(done.outcome.method).toBe('lowest-price');
  expect(done.outcome.candidates.map((c) => [c.rank, c.priceYuan])).toEqual([
    [1, '950000.00'],
    [2, '1000000.00'],
    [3, '1020000.00'],
  ]);
  // The purchaser's representative sat on the committee but does not chair it (87号令第四十五条).
  const chair = done.outcome.members.find((m) => m.isChair);
  expect(chair?.kind).toBe('expert');
  expect(done.outcome.members.filter((m) => m.kind === 'initiator-representative')).toHaveLength(1);

  // After the bid deadline the plan is fixed: any change is refused (实施条例第四十九条).
  const lot = done.opened.lot.id;
  const refused = await done.opened.agency.session.put(`/api/lots/${lot}/evaluation/plan`, {
    ...plan,
    candidateCount: 2,
  });
  expect(refused.statusCode).toBe(409);
  expect(refused.json()).toMatchObject({ code: 'PLAN_FROZEN' });
});
