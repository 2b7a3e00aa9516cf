import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { sequenceWitnessEvents } from '../../platform/witness/index.ts';
import { projectOpenData, validateOcds } from '../../service/opendata/index.ts';
import { registerReceivedLot } from '../projects/test-factory.ts';
import { workingDaysLater } from './rules.ts';
import {
  type AuctionInBidding,
  auctionInBidding,
  auctionSetupBody,
  auctionsDbOf,
  defaultBiddingStart,
} from './test-factory.ts';

/**
 * 信息公开 (§16, §28): every public notice of an auction — 出让（转让）公告, 延期公告, 成交公示, 不成交公告,
 * 终止公告 — is also a platform-signed announcement on the portal (list, search, detail) and a release in the
 * open-data feed; the 预成交通知 and the 成交通知书 are not.
 */

let p: TestPlatform;
const PREFIX = 'ocds-ggzy15';

beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

interface ListItem {
  id: string;
  kind: string;
  kindNameZh: string;
  title: string;
  lotCode: string;
  linkedTo: string | null;
}

async function lotCodeOf(a: AuctionInBidding): Promise<string> {
  const row = await auctionsDbOf(p)
    .selectFrom('auctions')
    .select('lot_code')
    .where('id', '=', a.auctionId)
    .executeTakeFirstOrThrow();
  return row.lot_code;
}

let asked = 0;

/**
 * The portal's announcement list (all pages) of one lot, optionally by kind or keyword. Each call asks a
 * query of its own: the portal answers a repeated query from its micro-cache for a second.
 */
async function portalList(lotCode: string, query = ''): Promise<ListItem[]> {
  const items: ListItem[] = [];
  let cursor: string | null = null;
  asked += 1;
  const from = `&from=${new Date(Date.UTC(2000, 0, 1) + asked).toISOString()}`;
  for (;;) {
    const res = await p.anonymous.get(
      `/api/public/announcements?limit=100${from}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: ListItem[]; nextCursor: string | null };
    items.push(...page.items.filter((i) => i.lotCode === lotCode));
    if (!page.nextCursor) return items.reverse();
    cursor = page.nextCursor;
  }
}

async function noticesOf(auctionId: string) {
  return auctionsDbOf(p)
    .selectFrom('auction_notices')
    .select(['kind', 'public', 'announcement_id', 'title'])
    .where('auction_id', '=', auctionId)
    .orderBy('published_at')
    .execute();
}

interface FeedItem {
  ocid: string;
  kind: string;
  release: Record<string, unknown> & {
    tag: string[];
    tender: { status: string; procurementMethod: string; procurementMethodDetails: string };
    awards?: Record<string, unknown>[];
    ggzy: { trigger: { announcementId: string | null }; failure?: { reason: string | null } };
  };
}

/** What the background loops do (order the witness log, follow it), then the lot's releases in the feed. */
async function releasesOf(lotCode: string): Promise<FeedItem[]> {
  await sequenceWitnessEvents(p.db);
  await projectOpenData({ db: p.db, sealer: p.sealer, clock: p.clock, ocidPrefix: PREFIX });
  const items: FeedItem[] = [];
  let cursor: string | null = null;
  for (;;) {
    const res = await p.anonymous.get(
      `/api/open/feed?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: FeedItem[]; next: string; hasMore: boolean };
    items.push(...page.items.filter((i) => i.ocid === `${PREFIX}-${lotCode}`));
    cursor = page.next;
    if (!page.hasMore) return items;
  }
}

describe('auction notices on the portal and in the open data', () => {
  test('出让公告 and 成交公示 (issued by the job) are signed announcements: listed, searchable, linked, in the OCDS feed; the 成交通知书 is not', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'listing',
      bidders: 2,
      timedEntry: 'listed-bid',
      setup: { qualification: 'pre' },
    });
    const lotCode = await lotCodeOf(a);

    // The 出让公告 is on the portal since its publication.
    let listed = await portalList(lotCode);
    expect(listed.map((i) => [i.kind, i.kindNameZh])).toEqual([['transfer-notice', '出让（转让）公告']]);
    const transfer = listed[0]!;
    expect(transfer.title).toContain('挂牌出让公告');
    const byKind = await portalList(lotCode, '&kind=transfer-notice');
    expect(byKind.map((i) => i.id)).toEqual([transfer.id]);
    const found = await portalList(lotCode, `&keyword=${encodeURIComponent('新城区 地块 挂牌')}`);
    expect(found.map((i) => i.id)).toEqual([transfer.id]);

    // One listed bid, nobody else goes on: the bid wins at the close; 资格预审 → the deal comes from the job.
    const res = await a.bidders[0]!.client.post(`/api/auctions/${a.auctionId}/bids`, {
      amountYuan: '1000000.00',
    });
    expect(res.statusCode, res.body).toBe(200);
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    await p.jobs.runDueJobs();
    const view = (await p.anonymous.get(`/api/public/auctions/${a.auctionId}`)).json() as { status: string };
    expect(view.status).toBe('dealt');

    listed = await portalList(lotCode);
    expect(listed.map((i) => i.kind)).toEqual(['transfer-notice', 'deal-publicity']);
    const publicity = listed[1]!;
    expect(publicity).toMatchObject({ kindNameZh: '成交公示', linkedTo: transfer.id });
    const winner = a.bidders[0]!;
    const byWinner = await portalList(lotCode, `&keyword=${encodeURIComponent(winner.name)}`);
    expect(byWinner.map((i) => i.id)).toEqual([publicity.id]);

    const detail = await p.anonymous.get(`/api/public/announcements/${publicity.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({
      kind: 'deal-publicity',
      procedureType: 'listing',
      lotId: a.lotId,
      linkedTo: { id: transfer.id, kind: 'transfer-notice' },
    });
    expect(detail.json().body).toContain(winner.creditCode);
    expect(detail.json().signature).toMatch(/^[0-9a-f]+$/);
    // The detail page finds the auction of the lot.
    const auction = await p.anonymous.get(`/api/public/lots/${a.lotId}/auction`);
    expect(auction.json()).toMatchObject({ id: a.auctionId, status: 'dealt' });

    // Each public notice names its announcement; the 成交通知书 stays private and has none.
    const notices = await noticesOf(a.auctionId);
    expect(notices.map((n) => [n.kind, n.public, n.announcement_id])).toEqual([
      ['transfer-notice', true, transfer.id],
      ['deal-notice', false, null],
      ['deal-publicity', true, publicity.id],
    ]);
    const publishedBy = await auctionsDbOf(p)
      .selectFrom('announcements')
      .select(['created_by', 'published_by'])
      .where('id', '=', publicity.id)
      .executeTakeFirstOrThrow();
    expect(publishedBy).toEqual({ created_by: 'system', published_by: 'system' });

    const releases = await releasesOf(lotCode);
    expect(releases.map((r) => [r.kind, r.release.tag])).toEqual([
      ['tender', ['tender']],
      ['award', ['award']],
    ]);
    for (const r of releases) expect(validateOcds('release', r.release).errors).toEqual([]);
    expect(releases[0]!.release.tender).toMatchObject({
      status: 'active',
      procurementMethod: 'open',
      procurementMethodDetails: '挂牌',
    });
    const award = releases[1]!.release;
    expect(award.tender.status).toBe('complete');
    expect(award.awards).toEqual([
      expect.objectContaining({
        title: '竞得人',
        status: 'active',
        value: { amount: 1000000, currency: 'CNY' },
        suppliers: [{ id: `CN-USCC-${winner.creditCode}`, name: winner.name }],
        documents: [expect.objectContaining({ id: publicity.id, documentType: 'awardNotice' })],
      }),
    ]);
    // Nobody else who bid is named: the loser's registration stays anonymous.
    expect(JSON.stringify(award)).not.toContain(a.bidders[1]!.creditCode);
    expect(award.ggzy.trigger.announcementId).toBe(publicity.id);
  });

  test('no bids → the 不成交公告 is on the portal and ends the OCDS process as unsuccessful', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 2, timedEntry: 'listed-bid' });
    const lotCode = await lotCodeOf(a);
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    const listed = await portalList(lotCode);
    expect(listed.map((i) => [i.kind, i.kindNameZh])).toEqual([
      ['transfer-notice', '出让（转让）公告'],
      ['no-deal', '不成交公告'],
    ]);
    expect(listed[1]!.linkedTo).toBe(listed[0]!.id);
    const detail = (await p.anonymous.get(`/api/public/announcements/${listed[1]!.id}`)).json() as {
      body: string;
    };
    expect(detail.body).toContain('无人报价');

    const releases = await releasesOf(lotCode);
    expect(releases.map((r) => [r.kind, r.release.tag])).toEqual([
      ['tender', ['tender']],
      ['cancellation', ['tenderCancellation']],
    ]);
    const last = releases[1]!.release;
    expect(validateOcds('release', last).errors).toEqual([]);
    expect(last.tender.status).toBe('unsuccessful');
    expect(last.ggzy.failure?.reason).toBe('no-deal');
  });

  test('延牌 publishes a 延期公告 with the new dates and its rule (an OCDS amendment)', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'online-bidding',
      bidders: 2,
      unpaid: [1],
      setup: { minBidders: 2, autoExtend: true, extensionWorkingDays: 5, maxExtensions: 2 },
    });
    const lotCode = await lotCodeOf(a);
    const listed = await portalList(lotCode);
    expect(listed.map((i) => [i.kind, i.kindNameZh])).toEqual([
      ['transfer-notice', '出让（转让）公告'],
      ['extension', '延期公告'],
    ]);
    const detail = (await p.anonymous.get(`/api/public/announcements/${listed[1]!.id}`)).json() as {
      title: string;
      body: string;
      linkedTo: { id: string } | null;
    };
    expect(detail.title).toContain('延期公告');
    expect(detail.linkedTo?.id).toBe(listed[0]!.id);
    const newStart = workingDaysLater(a.times.biddingStartsAt, 5);
    expect(detail.body).toContain(`竞价开始时间延至 ${formatShanghaiTime(newStart)}`);
    expect(detail.body).toContain('第 1 次，最多 2 次');
    expect(detail.body).toContain('每次延长不少于5个工作日');
    const notices = await noticesOf(a.auctionId);
    expect(notices.find((n) => n.kind === 'extension')).toMatchObject({
      public: true,
      announcement_id: listed[1]!.id,
    });

    const releases = await releasesOf(lotCode);
    expect(releases.map((r) => [r.kind, r.release.tag])).toEqual([
      ['tender', ['tender']],
      ['amendment', ['tenderAmendment']],
    ]);
    expect(validateOcds('release', releases[1]!.release).errors).toEqual([]);
  });

  test('a 终止公告 before the start is on the portal and cancels the OCDS process; a draft terminated publishes nothing', async () => {
    const received = await registerReceivedLot(p, { procedureType: 'listing' });
    const initiator = received.initiatorClient;
    const body = auctionSetupBody('listing', defaultBiddingStart(p.clock.now()), {
      announcementAt: p.clock.now().toISOString(),
    });
    const setUp = await initiator.put(`/api/lots/${received.lot.id}/auction`, body);
    expect(setUp.statusCode, setUp.body).toBe(200);
    const auctionId = (setUp.json() as { id: string }).id;
    expect((await initiator.post(`/api/auctions/${auctionId}/publish`)).statusCode).toBe(200);
    p.clock.set(new Date(p.clock.now().getTime() + 60_000));
    const terminated = await initiator.post(`/api/auctions/${auctionId}/terminate`, {
      reason: '出让方案调整，终止本次挂牌',
    });
    expect(terminated.statusCode, terminated.body).toBe(200);
    const listed = await portalList(received.lot.code);
    expect(listed.map((i) => [i.kind, i.kindNameZh])).toEqual([
      ['transfer-notice', '出让（转让）公告'],
      ['termination', '终止公告'],
    ]);
    expect(listed[1]!.linkedTo).toBe(listed[0]!.id);
    const releases = await releasesOf(received.lot.code);
    expect(releases.map((r) => [r.kind, r.release.tag])).toEqual([
      ['tender', ['tender']],
      ['cancellation', ['tenderCancellation']],
    ]);
    expect(releases[1]!.release.tender.status).toBe('cancelled');
    expect(validateOcds('release', releases[1]!.release).errors).toEqual([]);

    // A draft was never public: its termination is recorded, not announced.
    const draftLot = await registerReceivedLot(p, { procedureType: 'listing' });
    const draft = await draftLot.initiatorClient.put(`/api/lots/${draftLot.lot.id}/auction`, body);
    const draftId = (draft.json() as { id: string }).id;
    const ended = await draftLot.initiatorClient.post(`/api/auctions/${draftId}/terminate`, {
      reason: '出让方案调整，不再挂牌',
    });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(await portalList(draftLot.lot.code)).toEqual([]);
    expect((await noticesOf(draftId)).map((n) => [n.kind, n.public, n.announcement_id])).toEqual([
      ['termination', false, null],
    ]);
  });

  test('the tender path still refuses a 不成交公告 or 延期公告 drafted for an auction lot', async () => {
    const received = await registerReceivedLot(p, { procedureType: 'listing' });
    for (const kind of ['no-deal', 'extension', 'deal-publicity']) {
      const res = await received.initiatorClient.post(`/api/lots/${received.lot.id}/announcements`, {
        kind,
        title: '冒名公告',
        body: '正文',
      });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ code: 'LOT_TRADES_BY_AUCTION' });
    }
  });
});
