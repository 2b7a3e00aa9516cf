import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { buildPlatform } from '../../main.ts';
import { loadConfig } from '../../platform/config/index.ts';
import {
  type EnvelopeRecipient,
  fromBase64Url,
  importSm2PublicKeyPem,
  sm2Decrypt,
  sm2Sign,
  sm2Verify,
  sm3Hex,
  toBase64Url,
  unwrapContentKey,
} from '../../platform/crypto/index.ts';
import { openDatabase } from '../../platform/db/index.ts';
import { canonicalJson, listCheckpointPublicKeys } from '../../platform/witness/index.ts';
import type { AllTables } from '../../tables.ts';
import {
  type BidFactoryPlatform,
  issueBidderKeys,
  type LotForBidding,
  openLotForBidding,
  submitBid,
  type TestBidder,
} from '../bids/test-factory.ts';
import { confirmationMessage } from './index.ts';

let p: TestPlatform;
const factory = () => p as unknown as BidFactoryPlatform;

beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the tests read response bodies loosely, by the fields they assert on.
type Json = Record<string, any>;
type Session = TestBidder['session'];

/** A lot with `bids` submitted bids (of `bidders` registered), the clock at the opening time. */
async function lotAtOpening(opts: { bidders?: number; bids?: number; allowFallback?: boolean } = {}) {
  const lot = await openLotForBidding(factory(), {
    bidders: opts.bidders ?? 3,
    ...(opts.allowFallback ? { allowFallback: true } : {}),
  });
  p.clock.set(lot.lot.timeline.documentsFrom);
  await p.jobs.runDueJobs();
  const bidding = lot.bidders.slice(0, opts.bids ?? lot.bidders.length);
  for (const [i, bidder] of bidding.entries()) {
    await submitBid(factory(), lot, bidder, {
      summary: { price: `${1_000_000 + i * 1000}.50`, duration: `${300 + i}`, quality: '合格' },
      parts: [
        {
          kind: 'technical',
          name: '技术部分',
          bytes: new TextEncoder().encode(`技术方案 ${i} `.repeat(200)),
        },
      ],
    });
  }
  p.clock.set(lot.lot.timeline.openingAt);
  await p.jobs.runDueJobs();
  await relogin(lot);
  return lot;
}

/** Sessions live in platform time here: after the clock jumps weeks ahead, everyone signs in again. */
async function relogin(lot: LotForBidding) {
  lot.agency.session = await p.as(lot.agency.account);
  lot.initiator.session = await p.as(lot.initiator.account);
  lot.operator.session = (await p.as(await p.makeAccount(['operator']))) as Session;
  for (const bidder of lot.bidders) bidder.session = (await p.as(bidder.account)) as Session;
  for (const custodian of lot.custodians) custodian.session = (await p.as(custodian.account)) as Session;
}

const url = (lot: LotForBidding, rest = '') => `/api/lots/${lot.lot.id}/opening${rest}`;
const host = (lot: LotForBidding) => lot.agency.session;
const snapshot = async (session: Session, lot: LotForBidding) => {
  const res = await session.get(url(lot));
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Json;
};
const step = (lot: LotForBidding, name: string, reason?: string, session: Session = host(lot)) =>
  session.post(url(lot, `/steps/${name}`), reason ? { reason } : {});

/** The bidder's tool: fetch its own parts, unwrap each content key with its own encryption key, locally. */
async function localKeys(lot: LotForBidding, bidder: TestBidder) {
  const mine = await bidder.session.get(url(lot, '/my-bid'));
  expect(mine.statusCode, mine.body).toBe(200);
  const bid = mine.json() as { bidId: string; parts: { no: number; recipients: EnvelopeRecipient[] }[] };
  return {
    bidId: bid.bidId,
    keys: bid.parts.map((part) => ({
      no: part.no,
      key: toBase64Url(unwrapContentKey(part.recipients, bidder.keys.encKey)),
    })),
  };
}

async function decrypt(lot: LotForBidding, bidder: TestBidder) {
  const { bidId, keys } = await localKeys(lot, bidder);
  const res = await bidder.session.post(url(lot, `/bids/${bidId}/keys`), { keys });
  expect(res.statusCode, res.body).toBe(200);
  return bidId;
}

describe('before the reveal nobody learns who has bid or how many', () => {
  test('the hall shows each viewer only its own sign-in; nothing moves for others', async () => {
    const lot = await openLotForBidding(factory(), { bidders: 4 });
    p.clock.set(lot.lot.timeline.documentsFrom);
    await p.jobs.runDueJobs();
    for (const bidder of lot.bidders.slice(0, 3)) await submitBid(factory(), lot, bidder);
    await relogin(lot);
    const [a, b, , outsider] = lot.bidders as [TestBidder, TestBidder, TestBidder, TestBidder];

    // Before the opening time: only the time, for everyone.
    const early = await snapshot(host(lot), lot);
    expect(early.hall.state).toBe('scheduled');
    expect(early.revealed).toBeNull();
    expect((await a.session.post(url(lot, '/sign-in'))).json().code).toBe('OPENING_NOT_YET');

    p.clock.set(lot.lot.timeline.openingAt);
    await p.jobs.runDueJobs();
    await relogin(lot);
    const before = await snapshot(host(lot), lot);
    expect(before.hall.state).toBe('check-in');
    expect(before.revealed).toBeNull();
    expect(JSON.stringify(before)).not.toMatch(/bidCount|bidderName/);

    expect((await a.session.post(url(lot, '/sign-in'))).statusCode).toBe(200);
    expect((await snapshot(a.session, lot)).viewer.signedIn).toBe(true);
    expect((await snapshot(b.session, lot)).viewer.signedIn).toBe(false);
    // The host's, the initiator's and the operator's views do not change with a sign-in.
    const after = await snapshot(host(lot), lot);
    expect(after.version).toBe(before.version);
    expect(after.revealed).toBeNull();
    const initiatorView = await snapshot(lot.initiator.session, lot);
    expect(initiatorView.viewer.kind).toBe('watcher');
    expect(initiatorView.revealed).toBeNull();
    expect((await snapshot(lot.operator.session, lot)).revealed).toBeNull();

    // A registered bidder without a bid learns only that it has none; nobody can list or count.
    const refused = await outsider.session.get(url(lot));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('NO_BID_IN_LOT');
    expect((await a.session.get(url(lot, '/my-bid'))).statusCode).toBe(404);
    expect((await lot.initiator.session.get(url(lot, '/record'))).statusCode).toBe(404);
    expect((await p.anonymous.get(`/api/public/lots/${lot.lot.id}/opening-record`)).statusCode).toBe(404);
    // The public witness log has nothing filed under the lot that counts the sign-ins.
    const events = await p.db
      .selectFrom('witness_events')
      .select(['entity_type', 'action', 'actor_organization_id'])
      .where('action', '=', 'opening.signed-in')
      .execute();
    expect(
      events.every((e) => e.entity_type === 'opening-attendance' && e.actor_organization_id === null),
    ).toBe(true);
  });

  test('the live view sends a snapshot on connect and does not move a watcher for a bidder’s sign-in', async () => {
    const lot = await lotAtOpening({ bidders: 3 });
    const [a] = lot.bidders as [TestBidder];
    const hostCookie = (host(lot) as unknown as { cookie: string }).cookie;
    const bidderCookie = (a.session as unknown as { cookie: string }).cookie;
    const received = (socket: { on(e: string, f: (d: unknown) => void): void }, messages: Json[] = []) => {
      socket.on('message', (data) => messages.push(JSON.parse(String(data))));
      return messages;
    };
    const hostMessages: Json[] = [];
    const bidderMessages: Json[] = [];
    const connect = (cookie: string, into: Json[]) =>
      p.app.injectWS(
        url(lot, '/live'),
        { headers: { cookie } },
        { onInit: (ws) => received(ws as never, into) },
      );
    await snapshot(host(lot), lot); // the hall opens at the first visit
    const hostSocket = await connect(hostCookie, hostMessages);
    const bidderSocket = await connect(bidderCookie, bidderMessages);
    await until(() => hostMessages.length >= 1 && bidderMessages.length >= 1);
    expect(hostMessages[0]).toMatchObject({
      type: 'snapshot',
      snapshot: { hall: { state: 'check-in' }, revealed: null },
    });

    await a.session.post(url(lot, '/sign-in'));
    await until(() => bidderMessages.length >= 2);
    expect(bidderMessages.at(-1)?.snapshot.viewer.signedIn).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(hostMessages).toHaveLength(1);
    expect(p.openingHub.size).toBe(2);

    expect((await step(lot, 'start-opening')).statusCode).toBe(200);
    await until(() => hostMessages.length >= 2);
    expect(hostMessages.at(-1)?.snapshot.revealed.bidCount).toBe(3);
    hostSocket.terminate();
    bidderSocket.terminate();

    // Someone who is no party gets an error and a closed socket.
    const stranger = await p.as(await p.makeAccount(['responder']));
    const strangerMessages: Json[] = [];
    await p.app.injectWS(
      url(lot, '/live'),
      { headers: { cookie: (stranger as unknown as { cookie: string }).cookie } },
      { onInit: (ws) => received(ws as never, strangerMessages) },
    );
    await until(() => strangerMessages.length >= 1);
    expect(strangerMessages[0]?.type).toBe('error');
  });
});

async function until(check: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the opening, step by step', () => {
  test('reveal, decryption with live entries, objections, the signed record and its confirmations', async () => {
    const lot = await lotAtOpening({ bidders: 3 });
    const [a, b, c] = lot.bidders as [TestBidder, TestBidder, TestBidder];
    for (const bidder of lot.bidders) await bidder.session.post(url(lot, '/sign-in'));

    // The responder cannot take steps; the initiator of a lot with an agency watches, it does not host.
    expect((await step(lot, 'start-opening', undefined, a.session)).statusCode).toBe(403);
    expect((await step(lot, 'start-opening', undefined, lot.initiator.session)).json().code).toBe(
      'NOT_OPENING_HOST',
    );

    expect((await step(lot, 'start-opening')).statusCode).toBe(200);
    // A second opening attempt is refused.
    const again = await step(lot, 'start-opening');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('OPENING_STEP_ALREADY_TAKEN');
    const revealed = await snapshot(host(lot), lot);
    expect(revealed.revealed.bidCount).toBe(3);
    expect(revealed.revealed.bidders.map((x: Json) => x.bidderName).sort()).toEqual(
      [a.name, b.name, c.name].sort(),
    );

    // Keys before the window opens are refused.
    const early = await localKeys(lot, a);
    expect(
      (await a.session.post(url(lot, `/bids/${early.bidId}/keys`), { keys: early.keys })).json().code,
    ).toBe('NOT_DECRYPTION_TIME');
    expect((await step(lot, 'start-decryption')).statusCode).toBe(200);

    const bidA = await decrypt(lot, a);
    const live = await snapshot(c.session, lot);
    expect(live.revealed.entries).toHaveLength(1);
    expect(live.revealed.entries[0]).toMatchObject({ bidderName: a.name, priceYuan: '1000000.50' });
    expect(live.revealed.entries[0].fields).toMatchObject({
      price: '1000000.50',
      duration: '300',
      quality: '合格',
    });

    // A bidder posting keys for another bidder's bid.
    const ownOfB = await localKeys(lot, b);
    const foreign = await c.session.post(url(lot, `/bids/${ownOfB.bidId}/keys`), { keys: ownOfB.keys });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('NOT_OWN_BID');
    // A content key that does not open the envelope: refused, clearly; the bidder retries within the window.
    const wrong = ownOfB.keys.map((k) => ({ no: k.no, key: toBase64Url(new Uint8Array(32).fill(7)) }));
    const refused = await b.session.post(url(lot, `/bids/${ownOfB.bidId}/keys`), { keys: wrong });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'CONTENT_KEY_REJECTED',
      citation: '《电子招标投标办法》第三十条',
    });
    expect(
      (await snapshot(host(lot), lot)).revealed.bidders.find((x: Json) => x.bidId === ownOfB.bidId).attempts,
    ).toBe(1);
    expect(
      (await b.session.post(url(lot, `/bids/${ownOfB.bidId}/keys`), { keys: ownOfB.keys })).statusCode,
    ).toBe(200);
    // Decrypting twice is refused.
    expect((await a.session.post(url(lot, `/bids/${bidA}/keys`), { keys: early.keys })).json().code).toBe(
      'ALREADY_DECRYPTED',
    );

    // 开标异议: raised by a bidder, answered by the host, on record.
    const objection = await c.session.post(url(lot, '/objections'), {
      text: '第2家投标人的报价大写与小写不一致',
    });
    expect(objection.statusCode).toBe(201);
    expect(
      (await a.session.post(url(lot, `/objections/${objection.json().id}/answer`), { answer: 'x' }))
        .statusCode,
    ).toBe(403);
    const answered = await host(lot).post(url(lot, `/objections/${objection.json().id}/answer`), {
      answer: '以开标一览表为准，已记录在案。',
    });
    expect(answered.statusCode).toBe(200);

    await decrypt(lot, c);
    await p.jobs.runDueJobs(); // the plaintext job stores every part
    const parts = (await snapshot(host(lot), lot)).revealed.bidders.flatMap((x: Json) => x.parts);
    expect(parts.every((part: Json) => part.status === 'opened')).toBe(true);
    const stored = await p.db
      .selectFrom('opening_parts')
      .select(['plaintext_sha256', 'content_key_sealed'])
      .where('bid_id', '=', bidA)
      .execute();
    expect(stored.every((row) => row.plaintext_sha256 && row.content_key_sealed === null)).toBe(true);

    // Publishing before the decryption closes is out of order.
    expect((await step(lot, 'publish-record')).json().code).toBe('OPENING_STEP_OUT_OF_ORDER');
    expect((await step(lot, 'close-decryption')).statusCode).toBe(200);
    expect((await step(lot, 'publish-record')).statusCode).toBe(200);

    // The record: canonical JSON, its SM3 and the platform's signature; public from now on.
    const pub = await p.anonymous.get(`/api/public/lots/${lot.lot.id}/opening-record`);
    expect(pub.statusCode).toBe(200);
    const record = pub.json() as Json;
    expect(sm3Hex(new TextEncoder().encode(record.recordJson))).toBe(record.recordSm3);
    expect(canonicalJson(record.record)).toBe(record.recordJson);
    const [platformKey] = await listCheckpointPublicKeys(p.db);
    expect(record.signature.keyId).toBe(platformKey?.keyId);
    expect(
      sm2Verify(
        importSm2PublicKeyPem(platformKey!.publicKeyPem),
        new TextEncoder().encode(record.recordJson),
        fromBase64Url(record.signature.value)!,
      ),
    ).toBe(true);
    expect(record.record.entries).toHaveLength(3);
    expect(record.record.objections).toEqual([
      expect.objectContaining({
        text: '第2家投标人的报价大写与小写不一致',
        answer: '以开标一览表为准，已记录在案。',
      }),
    ]);
    expect(record.confirmations).toEqual([expect.objectContaining({ party: 'host', method: 'session' })]);
    // Objections end with the record's publication.
    expect((await c.session.post(url(lot, '/objections'), { text: '迟到的异议' })).json().code).toBe(
      'OBJECTION_CLOSED',
    );

    // Confirmations: a bad signature, an SM2 signature by the bound certificate (CLI), a session (browser).
    const message = confirmationMessage(lot.lot.id, record.recordSm3);
    const forged = toBase64Url(sm2Sign(b.keys.signKey, message));
    const bad = await a.session.post(url(lot, '/confirmations'), { signature: forged });
    expect(bad.statusCode).toBe(403);
    expect(bad.json().code).toBe('SIGNATURE_INVALID');
    const signed = await a.session.post(url(lot, '/confirmations'), {
      signature: toBase64Url(sm2Sign(a.keys.signKey, message)),
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().method).toBe('sm2-signature');
    expect((await b.session.post(url(lot, '/confirmations'), {})).json().method).toBe('session');
    expect((await b.session.post(url(lot, '/confirmations'), {})).json().code).toBe('ALREADY_CONFIRMED');

    // c stays silent: after the window its silence is acceptance (87号令第四十二条).
    expect((await step(lot, 'close-hall')).json().code).toBe('CONFIRM_WINDOW_OPEN');
    p.clock.advance(31 * 60_000);
    await p.jobs.runDueJobs();
    const closed = await p.anonymous.get(`/api/public/lots/${lot.lot.id}/opening-record`);
    expect(closed.json().state).toBe('closed');
    expect(
      closed
        .json()
        .confirmations.map((x: Json) => x.method)
        .sort(),
    ).toEqual(['session', 'session', 'silence', 'sm2-signature']);
    expect((await step(lot, 'pause', '停电')).json().code).toBe('OPENING_ENDED');
  });

  test('fewer than three bids: no opening, 流标 with its citation, in one step', async () => {
    const lot = await lotAtOpening({ bidders: 3, bids: 2 });
    const res = await step(lot, 'start-opening');
    expect(res.statusCode).toBe(200);
    const view = await snapshot(host(lot), lot);
    expect(view.hall.state).toBe('failed');
    expect(view.revealed.bidCount).toBe(2);
    expect(view.revealed.minimumCitation).toBe('《中华人民共和国招标投标法实施条例》第四十四条第二款');
    expect(view.revealed.failedReason).toContain('少于3个');
    expect((await step(lot, 'start-opening')).json().code).toBe('OPENING_ENDED');
    expect((await step(lot, 'start-decryption')).json().code).toBe('OPENING_ENDED');
    const record = (await p.anonymous.get(`/api/public/lots/${lot.lot.id}/opening-record`)).json() as Json;
    expect(record.record).toMatchObject({ outcome: 'failed', bidCount: 2, entries: [] });
  });
});

describe('the host signs the record', () => {
  test('after publication the host signs the record’s SM3 with its bound certificate; a bidder’s key or a second signature is refused', async () => {
    const lot = await lotAtOpening({ bidders: 3 });
    expect((await step(lot, 'start-opening')).statusCode).toBe(200);
    expect((await step(lot, 'start-decryption')).statusCode).toBe(200);
    for (const bidder of lot.bidders) await decrypt(lot, bidder);
    expect((await step(lot, 'close-decryption')).statusCode).toBe(200);
    // Before publication there is nothing to sign.
    const hostKeys = await issueBidderKeys(factory(), lot.agency.account.username);
    const early = await host(lot).post(url(lot, '/confirmations'), { signature: 'AAAAAAAAAAAA' });
    expect(early.json().code).toBe('RECORD_NOT_CONFIRMABLE');
    expect((await step(lot, 'publish-record')).statusCode).toBe(200);
    const recordSm3 = (await snapshot(host(lot), lot)).revealed.record.sm3 as string;
    const message = confirmationMessage(lot.lot.id, recordSm3);

    const withBidderKey = toBase64Url(sm2Sign(lot.bidders[0]!.keys.signKey, message));
    const refused = await host(lot).post(url(lot, '/confirmations'), { signature: withBidderKey });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('SIGNATURE_INVALID');
    expect((await host(lot).post(url(lot, '/confirmations'), {})).json().code).toBe(
      'HOST_SIGNATURE_REQUIRED',
    );

    const signed = await host(lot).post(url(lot, '/confirmations'), {
      signature: toBase64Url(sm2Sign(hostKeys.signKey, message)),
    });
    expect(signed.statusCode, signed.body).toBe(200);
    const record = (await p.anonymous.get(`/api/public/lots/${lot.lot.id}/opening-record`)).json() as Json;
    expect(record.confirmations).toContainEqual(
      expect.objectContaining({ party: 'host', method: 'sm2-signature', recordSm3 }),
    );
    const again = await host(lot).post(url(lot, '/confirmations'), {
      signature: toBase64Url(sm2Sign(hostKeys.signKey, message)),
    });
    expect(again.json().code).toBe('ALREADY_CONFIRMED');
  });
});

describe('pause, resume and the failures of 第三十一条', () => {
  test('while paused nothing advances; resume extends the window; undecrypted bids are 撤销 or 撤回', async () => {
    const lot = await lotAtOpening({ bidders: 3 });
    const [a, b, c] = lot.bidders as [TestBidder, TestBidder, TestBidder];
    // Out of order.
    expect((await step(lot, 'start-decryption')).json().code).toBe('OPENING_STEP_OUT_OF_ORDER');
    expect((await step(lot, 'start-opening')).statusCode).toBe(200);
    expect((await step(lot, 'start-decryption')).statusCode).toBe(200);
    const until0 = new Date((await snapshot(host(lot), lot)).hall.decryptUntil).getTime();

    expect((await step(lot, 'pause')).json().code).toBe('REASON_REQUIRED');
    expect((await step(lot, 'pause', '交易平台网络中断')).statusCode).toBe(200);
    expect((await step(lot, 'close-decryption')).json().code).toBe('OPENING_PAUSED');
    const { bidId, keys } = await localKeys(lot, a);
    expect((await a.session.post(url(lot, `/bids/${bidId}/keys`), { keys })).json().code).toBe(
      'OPENING_PAUSED',
    );
    expect((await c.session.post(url(lot, '/objections'), { text: '暂停期间' })).json().code).toBe(
      'OPENING_PAUSED',
    );
    // The window's end passes while paused: the job does nothing.
    p.clock.advance(45 * 60_000);
    await p.jobs.runDueJobs();
    const paused = await snapshot(host(lot), lot);
    expect(paused.hall).toMatchObject({ state: 'decrypting', paused: true, pauseReason: '交易平台网络中断' });
    expect(paused.viewer.nextSteps.map((s: Json) => s.step)).toEqual(['resume']);

    expect((await step(lot, 'resume', '网络已恢复')).statusCode).toBe(200);
    const resumed = await snapshot(host(lot), lot);
    expect(new Date(resumed.hall.decryptUntil).getTime()).toBe(until0 + 45 * 60_000);
    expect((await a.session.post(url(lot, `/bids/${bidId}/keys`), { keys })).statusCode).toBe(200);

    // b's failure is recorded as not its fault (no fallback in this tender → 撤回); c simply does nothing (撤销).
    const bidOfB = resumed.revealed.bidders.find((x: Json) => x.bidderName === b.name).bidId;
    expect(
      (await host(lot).post(url(lot, `/bids/${bidOfB}/not-bidder-cause`), { reason: 'CA 证书服务故障' }))
        .statusCode,
    ).toBe(200);
    expect((await step(lot, 'close-decryption')).json().code).toBe('DECRYPT_WINDOW_OPEN');
    p.clock.advance(31 * 60_000);
    await p.jobs.runDueJobs();
    const settled = await snapshot(host(lot), lot);
    expect(settled.hall.state).toBe('decrypted');
    const statusOf = (name: string) =>
      settled.revealed.bidders.find((x: Json) => x.bidderName === name).status;
    expect([statusOf(a.name), statusOf(b.name), statusOf(c.name)]).toEqual([
      'decrypted',
      'withdrawn',
      'revoked',
    ]);
    // Too late now.
    const late = await localKeys(lot, c);
    expect(
      (await c.session.post(url(lot, `/bids/${late.bidId}/keys`), { keys: late.keys })).json().code,
    ).toBe('NOT_DECRYPTION_TIME');
    const steps = settled.revealed.steps.map((s: Json) => s.step);
    expect(steps).toEqual([
      'open-hall',
      'opened',
      'decryption-started',
      'paused',
      'resumed',
      'decryption-closed',
    ]);
  });

  test('the opening-key fallback: custodians post their shares, the key opens the bid, the shares are gone', async () => {
    const lot = await lotAtOpening({ bidders: 3, allowFallback: true });
    const [a, b, c] = lot.bidders as [TestBidder, TestBidder, TestBidder];
    await step(lot, 'start-opening');
    await step(lot, 'start-decryption');
    await decrypt(lot, a);
    await decrypt(lot, b);
    const view = await snapshot(host(lot), lot);
    const bidOfC = view.revealed.bidders.find((x: Json) => x.bidderName === c.name).bidId;
    await host(lot).post(url(lot, `/bids/${bidOfC}/not-bidder-cause`), { reason: '平台解密服务异常' });
    // Not yet: custodians have nothing to do before the fallback.
    expect((await lot.custodians[0]!.session.get(url(lot, '/fallback/my-share'))).json().code).toBe(
      'NOT_FALLBACK_TIME',
    );
    p.clock.advance(31 * 60_000);
    await p.jobs.runDueJobs();
    expect((await snapshot(host(lot), lot)).hall.state).toBe('fallback');

    // Someone who is no custodian.
    expect((await a.session.get(url(lot, '/fallback/my-share'))).statusCode).toBe(403);
    const post = async (index: number) => {
      const custodian = lot.custodians[index]!;
      const share = (await custodian.session.get(url(lot, '/fallback/my-share'))).json() as Json;
      expect(share.threshold).toBe(2);
      const plain = sm2Decrypt(custodian.encKey, fromBase64Url(share.encryptedShare)!);
      return custodian.session.post(url(lot, '/fallback/shares'), {
        index: share.index,
        share: toBase64Url(plain),
      });
    };
    const first = await post(0);
    expect(first.json()).toMatchObject({ combined: false, posted: 1 });
    expect(
      await p.db.selectFrom('opening_fallback_shares').selectAll().where('lot_id', '=', lot.lot.id).execute(),
    ).toHaveLength(1);
    const second = await post(2);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ combined: true });
    // The posted plaintext shares were deleted in the same transaction.
    expect(
      await p.db.selectFrom('opening_fallback_shares').selectAll().where('lot_id', '=', lot.lot.id).execute(),
    ).toHaveLength(0);
    const done = await snapshot(host(lot), lot);
    expect(done.hall.state).toBe('decrypted');
    const entryOfC = done.revealed.entries.find((e: Json) => e.bidderName === c.name);
    expect(entryOfC).toMatchObject({ decryptedVia: 'opening-key', priceYuan: '1002000.50' });
    await p.jobs.runDueJobs();
    const partsOfC = (await snapshot(host(lot), lot)).revealed.bidders.find(
      (x: Json) => x.bidId === bidOfC,
    ).parts;
    expect(partsOfC.every((part: Json) => part.status === 'opened')).toBe(true);
  });
});

describe.runIf(process.env.DATABASE_URL)('two app instances on one PostgreSQL', () => {
  test('a step taken on one instance reaches the live view on the other (LISTEN/NOTIFY)', async () => {
    const database = await openDatabase<AllTables>(
      { kind: 'postgres', url: process.env.DATABASE_URL! },
      { poolSize: 3 },
    );
    const other = await buildPlatform({
      config: loadConfig({ GGZY_DATA_DIR: '.tmp/test-data', LOG_LEVEL: 'silent' }),
      clock: p.clock,
      database,
      logger: false,
      webDir: null,
    });
    try {
      const lot = await lotAtOpening({ bidders: 3 });
      const [a] = lot.bidders as [TestBidder];
      await snapshot(host(lot), lot);
      const messages: Json[] = [];
      await other.app.injectWS(
        url(lot, '/live'),
        { headers: { cookie: (a.session as unknown as { cookie: string }).cookie } },
        {
          onInit: (ws) =>
            (ws as unknown as { on(e: string, f: (d: unknown) => void): void }).on('message', (d) =>
              messages.push(JSON.parse(String(d))),
            ),
        },
      );
      await until(() => messages.length >= 1);
      expect(messages[0]?.snapshot.revealed).toBeNull();
      expect((await step(lot, 'start-opening')).statusCode).toBe(200); // on the first instance
      await until(() => messages.some((m) => m.snapshot?.revealed?.bidCount === 3));
    } finally {
      await other.close();
      await database.close();
    }
  });
});
