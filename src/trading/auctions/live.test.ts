import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openWs, type RawSocket } from '../../../bench/ws-client.ts';
import { type ApiClient, makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import type { Notifier, Subscription } from '../../platform/notify/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { AuctionLiveHub, DEFAULT_LIVE_OPTIONS, type LiveSocket } from './live.ts';
import { type AuctionInBidding, auctionInBidding } from './test-factory.ts';

/**
 * The live room over real sockets (the platform listening on a loopback port, the bench's plain RFC 6455
 * client): what a watcher and a bidder see, bids over the socket, resuming with `since`, and a slow
 * consumer dropped while the others keep receiving.
 */
// biome-ignore lint/suspicious/noExplicitAny: frames are JSON read by the tests
type Json = any;

let p: TestPlatform;
let port: number;

beforeAll(async () => {
  p = await makeTestPlatform();
  const address = await p.app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(address).port);
});

afterAll(async () => {
  await p?.close();
});

interface Client {
  socket: RawSocket;
  messages: Json[];
  /** Waits for the first message from `from` on that matches. */
  next(match: (m: Json) => boolean, from?: number): Promise<Json>;
  send(message: unknown): void;
}

async function connect(
  auctionId: string,
  opts: { cookie?: string | null; since?: number } = {},
): Promise<Client> {
  const messages: Json[] = [];
  const socket = await openWs({
    port,
    path: `/api/auctions/${auctionId}/live${opts.since === undefined ? '' : `?since=${opts.since}`}`,
    headers: opts.cookie ? { cookie: opts.cookie } : {},
    onMessage: (payload) => messages.push(JSON.parse(payload.toString())),
  });
  return {
    socket,
    messages,
    async next(match, from = 0) {
      let found: Json;
      await until(() => {
        found = messages.slice(from).find(match);
        return found !== undefined;
      });
      return found;
    },
    send: (message) => socket.send(JSON.stringify(message)),
  };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const bidTypes = (m: Json) => m.type === 'bid' || m.type === 'bids';
/** The bids a socket has received in frames, in order. */
const bidsIn = (messages: Json[]) =>
  messages.filter(bidTypes).flatMap((m) => (m.type === 'bid' ? [m] : m.items)) as Json[];

/** The k-th bid of an auction: the factory's start price 1,000,000.00, step 10,000.00. */
function amount(k: number): string {
  return (1_000_000 + k * 10_000).toFixed(2);
}

async function restBid(auction: Auction, bidder: number, amountYuan: string) {
  const res = await (auction.bidders[bidder] as Auction['bidders'][number]).client.post(
    `/api/auctions/${auction.auctionId}/bids`,
    { amountYuan },
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Json;
}

type Auction = AuctionInBidding<ApiClient>;

const cookieOf = (auction: Auction, bidder: number) => auction.bidders[bidder]?.client.cookie ?? null;

describe('the auction live room', () => {
  test('a watcher gets the room on connect and every bid after it; a bidder bids over its socket', async () => {
    const auction = await auctionInBidding(p, { procedureType: 'auction', bidders: 2 });
    const watcher = await connect(auction.auctionId);
    const snapshot = await watcher.next((m) => m.type === 'snapshot');
    expect(snapshot).toMatchObject({
      resumed: false,
      room: { auctionId: auction.auctionId, status: 'bidding', phase: 'free', seq: 0, bids: [], me: null },
    });

    const a = await connect(auction.auctionId, { cookie: cookieOf(auction, 0) });
    const mine = await a.next((m) => m.type === 'snapshot');
    expect(mine.room.me).toMatchObject({ pseudonym: auction.bidders[0]?.pseudonym, leading: false });

    // A bid over the socket: acknowledged to its sender, fanned out to the watcher.
    a.send({ type: 'bid', requestId: 'a-1', amountYuan: amount(0) });
    const ack = await a.next((m) => m.requestId === 'a-1');
    expect(ack).toMatchObject({
      type: 'ack',
      ack: { seq: 1, amountYuan: amount(0), currentPriceYuan: amount(0) },
    });
    const first = await watcher.next(bidTypes);
    expect(first).toMatchObject({
      type: 'bid',
      seq: 1,
      currentPriceYuan: amount(0),
      bid: { seq: 1, pseudonym: auction.bidders[0]?.pseudonym, amountYuan: amount(0), kind: 'bid' },
    });
    expect(first.bid.at).toBe(ack.ack.at);
    expect(JSON.stringify(first)).not.toContain(auction.bidders[0]?.name as string);

    // A bid through the REST route reaches the sockets the same way.
    await restBid(auction, 1, amount(1));
    await until(() => bidsIn(watcher.messages).length === 2 && bidsIn(a.messages).length === 2);
    expect(bidsIn(watcher.messages).map((b) => b.seq)).toEqual([1, 2]);

    // Refusals carry the engine's code and Chinese text; nothing is fanned out.
    a.send({ type: 'bid', requestId: 'a-2', amountYuan: '1025000.00' });
    expect(await a.next((m) => m.requestId === 'a-2')).toMatchObject({
      type: 'reject',
      status: 409,
      code: 'BID_OFF_GRID',
    });
    a.send({ type: 'bid', requestId: 'a-3', amountYuan: amount(1) });
    expect(await a.next((m) => m.requestId === 'a-3')).toMatchObject({ type: 'reject', code: 'BID_TOO_LOW' });
    watcher.send({ type: 'bid', requestId: 'w-1', amountYuan: amount(5) });
    expect(await watcher.next((m) => m.requestId === 'w-1')).toMatchObject({
      type: 'reject',
      status: 401,
      code: 'AUTH_REQUIRED',
    });
    const stranger = await p.as(await p.makeAccount(['responder']));
    const outsider = await connect(auction.auctionId, { cookie: stranger.cookie });
    await outsider.next((m) => m.type === 'snapshot');
    outsider.send({ type: 'bid', requestId: 'o-1', amountYuan: amount(5) });
    expect(await outsider.next((m) => m.requestId === 'o-1')).toMatchObject({
      type: 'reject',
      status: 403,
      code: 'BIDDER_NOT_REGISTERED',
    });

    // Pings answer with the server's (platform) time; nonsense is answered, not fatal.
    watcher.send({ type: 'ping', id: 'p1' });
    expect(await watcher.next((m) => m.type === 'pong')).toEqual({
      type: 'pong',
      id: 'p1',
      serverTime: p.clock.now().toISOString(),
    });
    watcher.socket.send('not json');
    expect(await watcher.next((m) => m.type === 'error')).toMatchObject({ code: 'BAD_MESSAGE' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bidsIn(watcher.messages)).toHaveLength(2);
    expect(p.auctionLive.size(auction.auctionId)).toBe(3);

    for (const client of [watcher, a, outsider]) client.socket.close();
    await until(() => p.auctionLive.size(auction.auctionId) === 0);
  });

  test('a reconnect with since gets exactly the missed bids; a since ahead of the auction is refused', async () => {
    const auction = await auctionInBidding(p, { procedureType: 'auction', bidders: 2 });
    const watcher = await connect(auction.auctionId);
    await watcher.next((m) => m.type === 'snapshot');
    await restBid(auction, 0, amount(0));
    await restBid(auction, 1, amount(1));
    await until(() => bidsIn(watcher.messages).length === 2);
    watcher.socket.close();
    expect(await watcher.socket.closed).toBe(1000);

    // Three bids while away.
    await restBid(auction, 0, amount(2));
    await restBid(auction, 1, amount(3));
    await restBid(auction, 0, amount(4));

    const back = await connect(auction.auctionId, { since: 2 });
    const resumed = await back.next((m) => m.type === 'snapshot');
    expect(resumed.resumed).toBe(true);
    expect(resumed.room.seq).toBe(5);
    expect(resumed.room.bids.map((b: Json) => [b.seq, b.amountYuan])).toEqual([
      [3, amount(2)],
      [4, amount(3)],
      [5, amount(4)],
    ]);
    // …and then continues live from 6.
    await restBid(auction, 1, amount(5));
    expect(await back.next(bidTypes)).toMatchObject({ type: 'bid', seq: 6 });

    // Up to date: nothing to replay.
    const current = await connect(auction.auctionId, { since: 6 });
    expect(await current.next((m) => m.type === 'snapshot')).toMatchObject({
      resumed: true,
      room: { seq: 6, bids: [] },
    });

    // A seq the auction has not reached: refused, the socket closes (the client reconnects without it).
    const ahead = await connect(auction.auctionId, { since: 99 });
    expect(await ahead.next((m) => m.type === 'error')).toMatchObject({ code: 'STALE_SEQUENCE' });
    expect(await ahead.socket.closed).toBe(4409);
    expect(ahead.messages.some((m) => m.type === 'snapshot')).toBe(false);

    // A malformed since is bad input before any upgrade.
    await expect(connect(auction.auctionId, { since: -1 })).rejects.toThrow(/upgrade refused: HTTP\/1.1 400/);
    // An auction that does not exist.
    const missing = await connect('no-such-auction');
    expect(await missing.next((m) => m.type === 'error')).toMatchObject({ type: 'error' });
    expect(await missing.socket.closed).toBe(4404);

    for (const client of [back, current]) client.socket.close();
  });

  test('a since older than the history the room keeps gets the whole kept history instead', async () => {
    const auction = await auctionInBidding(p, { procedureType: 'auction', bidders: 2 });
    for (let k = 0; k < 205; k++) await restBid(auction, k % 2, amount(k));
    const stale = await connect(auction.auctionId, { since: 1 });
    const snapshot = await stale.next((m) => m.type === 'snapshot');
    expect(snapshot.resumed).toBe(false);
    expect(snapshot.room.seq).toBe(205);
    expect(snapshot.room.bids).toHaveLength(200);
    expect(snapshot.room.bids[0].seq).toBe(6);
    expect(snapshot.room.bids.at(-1).seq).toBe(205);
    stale.socket.close();
  });

  test('a phase change reaches every socket with the room; a bidder’s carries its own 竞买号', async () => {
    const auction = await auctionInBidding(p, { procedureType: 'auction', bidders: 2 });
    const watcher = await connect(auction.auctionId);
    const bidder = await connect(auction.auctionId, { cookie: cookieOf(auction, 1) });
    await watcher.next((m) => m.type === 'snapshot');
    await bidder.next((m) => m.type === 'snapshot');
    await restBid(auction, 0, amount(0));
    await until(() => bidsIn(watcher.messages).length === 1);

    // The free bidding period ends: 限时竞价 begins (a job), every room is told.
    p.clock.set(auction.times.freeEndsAt as Date);
    await p.jobs.runDueJobs();
    const phase = await watcher.next((m) => m.type === 'phase');
    expect(phase.room).toMatchObject({ phase: 'timed', seq: 1, me: null });
    expect(phase.room.bids).toHaveLength(1);
    const own = await bidder.next((m) => m.type === 'phase');
    expect(own.room).toMatchObject({ phase: 'timed', me: { pseudonym: auction.bidders[1]?.pseudonym } });

    // Bids in 限时竞价 carry the restarted countdown.
    await auction.relogin();
    const ack = await restBid(auction, 1, amount(1));
    const frame = await watcher.next((m) => bidTypes(m) && m.seq === 2);
    expect(frame.countdownEndsAt).toBe(ack.countdownEndsAt);
    expect(Date.parse(frame.countdownEndsAt) - Date.parse(frame.bid.at)).toBe(5 * 60_000);
    watcher.socket.close();
    bidder.socket.close();
  });

  test('a socket that does not read is dropped with 4008 while the others keep receiving', async () => {
    const auction = await auctionInBidding(p, { procedureType: 'auction', bidders: 2 });
    const hub = p.auctionLive;
    Object.assign(hub.options, { maxBufferedBytes: 64 * 1024, messageBurst: 1e9, messagesPerSecond: 1e9 });
    try {
      const fast = await connect(auction.auctionId);
      await fast.next((m) => m.type === 'snapshot');
      const slowMessages: Json[] = [];
      const slow = await openWs({
        port,
        path: `/api/auctions/${auction.auctionId}/live`,
        onMessage: (payload) => slowMessages.push(payload.length),
      });
      await until(() => slowMessages.length === 1 && hub.size(auction.auctionId) === 2);
      slow.pause();
      // The slow client keeps asking (pings with long ids) and never reads the answers: the kernel's socket
      // buffers fill, then the server's own, then it is dropped.
      const dropped = hub.stats.dropped;
      const ping = JSON.stringify({ type: 'ping', id: 'x'.repeat(64) });
      for (let sent = 0; hub.stats.dropped === dropped; sent += 500) {
        if (sent > 400_000) throw new Error('the slow socket was never dropped');
        for (let i = 0; i < 500; i++) slow.send(ping);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(hub.size(auction.auctionId)).toBe(1);
      // The fast one did not wait for it.
      await restBid(auction, 0, amount(0));
      expect(await fast.next(bidTypes)).toMatchObject({ seq: 1 });
      slow.resume();
      expect(await slow.closed).toBe(4008);
      fast.socket.close();
    } finally {
      Object.assign(hub.options, DEFAULT_LIVE_OPTIONS);
    }
  });

  test('missed notifications are read back from the database, in order, without repeats', async () => {
    const auction = await auctionInBidding(p, { procedureType: 'auction', bidders: 2 });
    // A hub of its own whose notifications the test hands over (or withholds), with an in-memory socket.
    const subscriptions: Subscription[] = [];
    const notifier: Notifier = {
      subscribe: async (_channel, subscription) => {
        subscriptions.push(subscription);
        return async () => {};
      },
      close: async () => {},
    };
    const hub = new AuctionLiveHub({
      notifier,
      log: { warn: () => {}, error: () => {} },
      context: (actor, origin) => ({
        db: p.db,
        clock: p.clock,
        actor,
        origin,
        sealer: p.sealer,
        eligibility: { barredReasons: async () => [] },
      }),
    });
    const frames: Json[] = [];
    const socket: LiveSocket = {
      readyState: 1,
      bufferedAmount: 0,
      send: (data) => frames.push(JSON.parse(String(data))),
      close: () => {},
      terminate: () => {},
      ping: () => {},
      on: () => {},
    };
    await hub.join({
      auctionId: auction.auctionId,
      since: null,
      socket,
      actor: null,
      origin: SYSTEM_ORIGIN,
      token: null,
    });
    expect(frames[0]).toMatchObject({ type: 'snapshot', room: { seq: 0 } });
    const notificationOf = (ack: Json, bidder: number) => ({
      auctionId: auction.auctionId,
      seq: ack.seq,
      pseudonym: auction.bidders[bidder]?.pseudonym,
      amountYuan: ack.amountYuan,
      at: ack.at,
      phase: 'free',
      kind: 'bid',
      countdownEndsAt: ack.countdownEndsAt,
      currentPriceYuan: ack.currentPriceYuan,
    });
    const [subscription] = subscriptions as [Subscription];

    subscription.onMessage(notificationOf(await restBid(auction, 0, amount(0)), 0));
    await until(() => bidsIn(frames).length === 1);
    // Bids 2 and 3 are never announced; 4 is: the hub reads 2–4 from the database.
    await restBid(auction, 1, amount(1));
    await restBid(auction, 0, amount(2));
    const fourth = await restBid(auction, 1, amount(3));
    subscription.onMessage(notificationOf(fourth, 1));
    await until(() => bidsIn(frames).length === 4);
    // A late repeat of an announcement changes nothing.
    subscription.onMessage(notificationOf(fourth, 1));
    // The LISTEN connection came back: whatever was missed (bid 5) comes from the database, with the room.
    await restBid(auction, 0, amount(4));
    subscription.onResync?.();
    await until(() => bidsIn(frames).length === 5 && frames.some((f) => f.type === 'phase'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bidsIn(frames).map((b) => [b.seq, b.bid.amountYuan])).toEqual(
      [0, 1, 2, 3, 4].map((k) => [k + 1, amount(k)]),
    );
    expect(frames.at(-1)).toMatchObject({ type: 'phase', room: { seq: 5, currentPriceYuan: amount(4) } });
    await hub.close();
  });
});
