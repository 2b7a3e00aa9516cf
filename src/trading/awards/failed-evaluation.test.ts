import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { sm2Sign, toBase64Url } from '../../platform/crypto/index.ts';
import { issueBidderKeys } from '../bids/test-factory.ts';
import { reportSigningText } from '../evaluation/index.ts';
import { defaultPlan, evaluatedLot, fullSheet } from '../evaluation/test-factory.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the test reads response bodies by the fields it asserts on.
type Json = Record<string, any>;

test('when too few bids pass the qualification the evaluation fails (流标): the report says so and the lot ends with its notice', async () => {
  const e = await evaluatedLot(p, {
    procedureType: 'open-tender.works',
    regionCode: '150725',
    specialtyCode: 'A080101',
    stopAt: 'committee',
  });
  const lotId = e.opened.lot.id;
  const url = `/api/lots/${lotId}/evaluation`;
  const plan = defaultPlan('works');
  const bidIds = e.opened.outcome.entries.map((x) => x.bidId);
  // Every member finds that two of the three bidders lack the required qualification.
  for (const m of e.members) {
    const items = fullSheet(plan, 'qualification', bidIds).map((item) =>
      item.bidId === bidIds[0] ? item : { ...item, passed: false, reason: '未提供有效的施工总承包资质证书' },
    );
    const res = await m.session.post(`${url}/steps/qualification/sheet`, { items });
    expect(res.statusCode, res.body).toBe(201);
  }
  for (const step of ['preliminary', 'detailed'] as const) {
    for (const m of e.members) {
      const res = await m.session.post(`${url}/steps/${step}/sheet`, {
        items: fullSheet(plan, step, [bidIds[0]!]),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  }
  let res = await e.chair.session.post(`${url}/aggregate`);
  expect(res.statusCode, res.body).toBe(200);
  res = await e.chair.session.post(`${url}/report`);
  expect(res.statusCode, res.body).toBe(201);
  const { reportSm3 } = res.json() as Json;
  for (const m of e.members) {
    const keys = await issueBidderKeys(p, m.account.username);
    const signature = toBase64Url(
      sm2Sign(keys.signKey, new TextEncoder().encode(reportSigningText(lotId, reportSm3))),
    );
    res = await m.session.post(`${url}/report/signatures`, { decision: 'sign', signature });
    expect([200, 201], res.body).toContain(res.statusCode);
  }
  await p.jobs.runDueJobs();

  // The award sees a failed evaluation: no publicity, no winner; the agency ends the lot with its reason.
  const agency = e.opened.agency.session;
  const award = (await agency.get(`/api/lots/${lotId}/award`)).json() as Json;
  expect(award.status).toBe('evaluation-failed');
  expect(award.candidates ?? []).toEqual([]);
  res = await agency.post(`/api/lots/${lotId}/award/publicity`, { objectionChannel: '招标人 0471-6600010' });
  expect(res.statusCode).toBe(409);
  res = await agency.post(`/api/lots/${lotId}/failure`, {
    reason: 'evaluation-failed',
    text: '经评审合格的投标人不足3家，评标委员会否决全部投标，本次招标失败，将依法重新招标。',
  });
  expect(res.statusCode, res.body).toBe(200);
  const announcements = await p.db
    .selectFrom('announcements')
    .select(['kind', 'status', 'body'])
    .where('lot_id', '=', lotId)
    .where('kind', '=', 'termination')
    .execute();
  expect(announcements).toHaveLength(1);
  expect(announcements[0]).toMatchObject({ status: 'published' });
  expect(announcements[0]!.body).toContain('重新招标');
  expect(((await agency.get(`/api/lots/${lotId}/award`)).json() as Json).status).not.toBe(
    'evaluation-failed',
  );
});
