/**
 * The credit gate in the trading system (§43): a party under a restriction is refused when it obtains the
 * documents (报名), when it bids and when it would be awarded — each refusal cites the record, and each check
 * is recorded on the lot as the evidence the procurement file keeps.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { addBidder, openLotForBidding, packTestBid, uploadPacked } from '../../trading/bids/test-factory.ts';
import { evaluatedLot } from '../../trading/evaluation/test-factory.ts';
import { relogin } from '../../trading/opening/test-factory.ts';
import { recordTestBan } from './test-factory.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

const MINUTE = 60_000;

interface CheckView {
  stage: string;
  barred: boolean;
  reasons: string[];
}

describe('信用 gate — a barred party is refused at registration, bid and award', () => {
  test('registration (获取招标文件) and bid are refused with the record cited; the checks are on the lot', {
    timeout: 120_000,
  }, async () => {
    const lot = await openLotForBidding(p, { bidders: 1 });
    const lotId = lot.lot.id;

    // A bidder that already obtained the documents is banned afterwards: its bid is refused.
    const early = lot.bidders[0]!;
    const ban = await recordTestBan(p, { creditCode: early.creditCode, name: early.name });
    const packed = await packTestBid(lot, early);
    const attempt = await uploadPacked(early.session, lotId, packed);
    const refused = 'failed' in attempt ? attempt.failed : attempt.created;
    if (!refused) throw new Error('the upload was expected to be refused');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'BIDDER_BARRED' });
    expect((refused.json() as { detail: string }).detail).toContain(ban.recordCode);

    // A banned bidder cannot obtain the documents at all.
    const late = await addBidder(p, lotId, { download: false });
    const lateBan = await recordTestBan(p, { creditCode: late.creditCode, name: late.name });
    const dl = await late.session.get(`/api/lots/${lotId}/documents/file`);
    expect(dl.statusCode).toBe(403);
    expect(dl.json()).toMatchObject({ code: 'PARTY_BARRED' });
    expect((dl.json() as { detail: string; citation: string }).detail).toContain(lateBan.recordCode);

    // An unbarred bidder obtains them, and its check is recorded too.
    const clean = await addBidder(p, lotId);

    // Before the opening nobody learns from the checks who obtained the documents or bid (第二十二条):
    // the lot's list leaves them out and the witness log holds only their digests.
    let checks = await lot.initiator.session.get(`/api/lots/${lotId}/credit-checks`);
    expect((checks.json() as { items: CheckView[] }).items).toEqual([]);
    const events = await p.db
      .selectFrom('witness_events')
      .select('payload')
      .where('action', '=', 'credit-check.performed')
      .orderBy('id', 'desc')
      .limit(4)
      .execute();
    for (const e of events) {
      const text = JSON.stringify(e.payload);
      expect(text).not.toContain(lotId);
      expect(text).not.toContain(clean.name);
      expect(text).not.toContain(late.name);
    }

    p.clock.set(lot.lot.timeline.openingAt);
    await relogin(p, lot);
    checks = await lot.initiator.session.get(`/api/lots/${lotId}/credit-checks`);
    expect(checks.statusCode).toBe(200);
    const items = (checks.json() as { items: CheckView[] }).items;
    expect(items.filter((c) => c.stage === 'registration' && c.barred)).toHaveLength(1);
    expect(items.filter((c) => c.stage === 'registration' && !c.barred).length).toBeGreaterThanOrEqual(1);
    expect(items.filter((c) => c.stage === 'bid' && c.barred)).toHaveLength(1);
    void clean;
  });

  test('a barred first candidate cannot be confirmed as the winner', { timeout: 240_000 }, async () => {
    const e = await evaluatedLot(p, {
      procedureType: 'open-tender.works',
      regionCode: '150825',
      specialtyCode: 'A020114',
    });
    await relogin(p, e.opened);
    const lotId = e.opened.lot.id;
    const url = `/api/lots/${lotId}/award`;
    let res = await e.opened.agency.session.post(`${url}/publicity`, {
      objectionChannel: '招标人 张工 0471-6600000',
    });
    expect(res.statusCode).toBe(200);
    const award = res.json() as {
      publicity: { endsAt: string };
      candidates: { rank: number; bidId: string; organizationId: string }[];
    };
    p.clock.set(new Date(Date.parse(award.publicity.endsAt) + MINUTE));
    await p.jobs.runDueJobs();
    await relogin(p, e.opened);
    const first = award.candidates.find((c) => c.rank === 1)!;
    const firstBidder = e.opened.bidders.find((b) => b.organizationId === first.organizationId)!;
    const ban = await recordTestBan(p, { creditCode: firstBidder.creditCode, name: firstBidder.name });

    res = await e.opened.initiator.session.post(`${url}/confirm`, { bidId: first.bidId });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'WINNER_BARRED' });
    expect((res.json() as { detail: string }).detail).toContain(ban.recordCode);
  });
});
