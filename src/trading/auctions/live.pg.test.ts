import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openWs } from '../../../bench/ws-client.ts';
import { type ApiClient, makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { buildPlatform, type Platform } from '../../main.ts';
import { loadConfig } from '../../platform/config/index.ts';
import { openDatabase } from '../../platform/db/index.ts';
import type { AllTables } from '../../tables.ts';
import { type AuctionInBidding, auctionInBidding } from './test-factory.ts';

/**
 * Two app instances on one PostgreSQL (DESIGN §4 "Scale"): a bid committed through either reaches the live
 * rooms of both (LISTEN/NOTIFY), and the auction row's lock is the one writer — 200 bidders sending the
 * same amount at the same moment through the two instances' sockets get exactly one acknowledgement.
 * Runs when DATABASE_URL is set.
 */
// biome-ignore lint/suspicious/noExplicitAny: frames are JSON read by the tests
type Json = any;
type Auction = AuctionInBidding<ApiClient>;

describe.runIf(process.env.DATABASE_URL)('the live room on two app instances', () => {
  let p: TestPlatform;
  let other: Platform;
  let closeOther: () => Promise<void>;
  const ports: number[] = [];

  beforeAll(async () => {
    p = await makeTestPlatform();
    const database = await openDatabase<AllTables>(
      { kind: 'postgres', url: process.env.DATABASE_URL as string },
      { poolSize: 6 },
    );
    other = await buildPlatform({
      config: loadConfig({ GGZY_DATA_DIR: '.tmp/test-data', LOG_LEVEL: 'silent' }),
      clock: p.clock,
      database,
      logger: false,
      webDir: null,
    });
    closeOther = async () => {
      await other.close();
      await database.close();
    };
    for (const app of [p.app, other.app]) {
      ports.push(Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port));
    }
  });

  afterAll(async () => {
    await closeOther?.();
    await p?.close();
  });

  async function connect(instance: number, auctionId: string, cookie?: string | null) {
    const messages: Json[] = [];
    const socket = await openWs({
      port: ports[instance] as number,
      path: `/api/auctions/${auctionId}/live`,
      headers: cookie ? { cookie } : {},
      onMessage: (payload) => messages.push(JSON.parse(payload.toString())),
    });
    return { socket, messages, send: (m: unknown) => socket.send(JSON.stringify(m)) };
  }

  const bidsIn = (messages: Json[]) =>
    messages
      .filter((m) => m.type === 'bid' || m.type === 'bids')
      .flatMap((m) => (m.type === 'bid' ? [m] : m.items)) as Json[];

  test('a bid placed through one instance reaches the watchers of both', async () => {
    const auction: Auction = await auctionInBidding(p, { procedureType: 'auction', bidders: 2 });
    const watchers = [await connect(0, auction.auctionId), await connect(1, auction.auctionId)];
    const bidder = await connect(0, auction.auctionId, auction.bidders[0]?.client.cookie);
    await until(() => [...watchers, bidder].every((w) => w.messages.some((m) => m.type === 'snapshot')));

    bidder.send({ type: 'bid', requestId: 'b1', amountYuan: '1000000.00' });
    await until(() => watchers.every((w) => bidsIn(w.messages).length === 1));
    // …and one through the other instance's REST route.
    const second = await (auction.bidders[1] as Auction['bidders'][number]).client.post(
      `/api/auctions/${auction.auctionId}/bids`,
      { amountYuan: '1010000.00' },
    );
    expect(second.statusCode, second.body).toBe(200);
    await until(() => watchers.every((w) => bidsIn(w.messages).length === 2));
    for (const w of watchers) {
      expect(bidsIn(w.messages).map((b) => [b.seq, b.bid.pseudonym])).toEqual([
        [1, auction.bidders[0]?.pseudonym],
        [2, auction.bidders[1]?.pseudonym],
      ]);
    }
    for (const c of [...watchers, bidder]) c.socket.close();
  });

  test('200 bidders sending the same amount at the same moment through both instances: exactly one accepted', async () => {
    const auction: Auction = await auctionInBidding(p, { procedureType: 'auction', bidders: 200 });
    const watchers = [await connect(0, auction.auctionId), await connect(1, auction.auctionId)];
    const bidders = await Promise.all(
      auction.bidders.map((b, i) => connect(i % 2, auction.auctionId, b.client.cookie)),
    );
    const everyone = [...watchers, ...bidders];
    await until(() => everyone.every((c) => c.messages.some((m) => m.type === 'snapshot')), 30_000);

    for (const [i, b] of bidders.entries())
      b.send({ type: 'bid', requestId: `same-${i}`, amountYuan: '1000000.00' });
    await until(() => bidders.every((b) => b.messages.some((m) => m.requestId !== undefined)), 60_000);

    const answers = bidders.map((b) => b.messages.find((m) => m.requestId !== undefined));
    const acks = answers.filter((m) => m.type === 'ack');
    expect(acks).toHaveLength(1);
    expect(acks[0].ack.seq).toBe(1);
    const codes = new Set(answers.filter((m) => m.type === 'reject').map((m) => m.code));
    expect([...codes]).toEqual(['BID_TOO_LOW']);
    await until(() => watchers.every((w) => bidsIn(w.messages).length === 1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const w of watchers) expect(bidsIn(w.messages)).toHaveLength(1);
    const room = (await p.anonymous.get(`/api/auctions/${auction.auctionId}/room`)).json() as Json;
    expect(room).toMatchObject({ seq: 1, currentPriceYuan: '1000000.00' });
    for (const c of everyone) c.socket.close();
  }, 600_000);
});

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
