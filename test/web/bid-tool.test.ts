import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDetachedEnvelope } from '../../src/platform/crypto/index.ts';
import { listCheckpointPublicKeys } from '../../src/platform/witness/index.ts';
import {
  type BidSettings,
  getBidSettings,
  parseSummary,
  partEnvelope,
  type RevealedBid,
  revealBidsForOpening,
  verifyReceipt,
} from '../../src/trading/bids/index.ts';
import {
  type LotForBidding,
  openLotForBidding,
  type TestBidder,
} from '../../src/trading/bids/test-factory.ts';
import {
  type BidSettingsView,
  type MyBidView,
  packAndSubmit,
  type SignedBidReceipt,
} from '../../web/src/bid-tool.ts';
import { confirmWithKey, decryptInBrowser } from '../../web/src/opening-tool.ts';
import { makeTestPlatform, type TestPlatform } from '../support/platform.ts';

/**
 * The browser's bidder tool (web/src/bid-tool.ts) against the real platform: its `fetch` calls go to the
 * server through Fastify's inject with the bidder's session. A bid the browser seals must be accepted,
 * receipted, and open at the opening with the server's own crypto.
 */
let p: TestPlatform;
let lot: LotForBidding;
const realFetch = globalThis.fetch;

function routeFetchThrough(bidder: TestBidder, opts: { failEvery?: number } = {}) {
  let calls = 0;
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls += 1;
    const method = init?.method ?? 'GET';
    // A flaky link: every nth chunk is lost before it reaches the server.
    if (opts.failEvery && method === 'PATCH' && calls % opts.failEvery === 0)
      throw new TypeError('fetch failed');
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = init?.body;
    const res = await bidder.session.request({
      method: method as 'GET',
      url: String(input),
      headers,
      ...(body === undefined || body === null
        ? {}
        : { payload: typeof body === 'string' ? body : Buffer.from(body as Uint8Array) }),
    });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, String(v));
    const empty = res.statusCode === 204 || method === 'HEAD';
    return new Response(empty ? null : new Uint8Array(res.rawPayload), {
      status: res.statusCode,
      headers: out,
    });
  }) as typeof fetch;
}

async function keyFiles(bidder: TestBidder) {
  const read = (name: string) => readFile(path.join(bidder.keys.certDir, name), 'utf8');
  return {
    signKeyPem: await read('sign.key.pem'),
    signCertPem: await read('sign.cert.pem'),
    encCertPem: await read('enc.cert.pem'),
  };
}

function file(bytes: Uint8Array, name: string) {
  return Object.assign(new Blob([bytes as BlobPart]), { name });
}

type RevealedPart = RevealedBid['parts'][number];

async function openPart(bidder: TestBidder, part: RevealedPart) {
  const content = {
    algorithm: part.algorithm,
    sealedDigest: part.sealedSm3,
    sealedLength: part.sealedLength,
  };
  const opened = openDetachedEnvelope(
    partEnvelope({ content, recipients: part.recipients }),
    bidder.keys.encKey,
  );
  const chunks: Buffer[] = [];
  await pipeline(
    await p.blobs.get(part.sealedSha256),
    opened.stream,
    new Writable({
      write(chunk, _enc, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  p = await makeTestPlatform({
    GGZY_LOGIN_RATE_MAX: '100000',
    GGZY_REGISTRATION_RATE_MAX: '100000',
    GGZY_SESSION_HOURS: String(24 * 30),
  });
  p.clock.set('2026-03-02T01:00:00.000Z');
  lot = await openLotForBidding(p, { bidders: 2, allowFallback: true });
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  await p.close();
});

describe('the browser bidder tool', () => {
  test('a bid sealed in the browser is accepted, receipted, and opens at the opening', async () => {
    const bidder = lot.bidders[0] as TestBidder;
    routeFetchThrough(bidder, { failEvery: 3 });
    const settings = (
      await bidder.session.get(`/api/lots/${lot.lot.id}/bid-settings`)
    ).json() as BidSettingsView;
    const technical = randomBytes(9 * 1024 * 1024 + 13); // three chunks, with lost ones retried
    const progress: string[] = [];
    const receipt: SignedBidReceipt = await packAndSubmit({
      lot: { lotId: lot.lot.id, lotCode: lot.lot.code },
      bidder: { organizationId: bidder.organizationId, creditCode: bidder.creditCode, name: bidder.name },
      settings,
      summary: { price: '1234567.89', duration: '365', quality: '合格' },
      files: [{ kind: 'technical', name: '技术部分', file: file(technical, '技术方案.pdf') }],
      keys: await keyFiles(bidder),
      onProgress: (x) => progress.push(x.phase),
    });
    expect(progress).toContain('upload');
    const keys = (await listCheckpointPublicKeys(p.db)).map((k) => k.publicKey);
    expect(verifyReceipt(receipt as never, keys).problems).toEqual([]);
    const mine = (await bidder.session.get(`/api/lots/${lot.lot.id}/my-bid`)).json() as MyBidView;
    expect(mine).toMatchObject({ bidId: receipt.receipt.bidId, status: 'live' });

    // After the deadline the parts open with the bidder's encryption key — and with the opening key's share holders' key too.
    p.clock.set(new Date(lot.lot.timeline.bidDeadline.getTime() + 1));
    const [revealed] = (await revealBidsForOpening(p.db, p.sealer, p.clock, lot.lot.id)).filter(
      (b) => b.bidId === receipt.receipt.bidId,
    );
    expect(revealed?.organizationId).toBe(bidder.organizationId);
    const [summaryPart, technicalPart] = revealed?.parts ?? [];
    expect(summaryPart?.recipients).toHaveLength(2); // the bidder's key and the opening key
    const summary = parseSummary(await openPart(bidder, summaryPart as RevealedPart));
    expect(summary).toEqual({ price: '1234567.89', duration: '365', quality: '合格' });
    expect((await openPart(bidder, technicalPart as RevealedPart)).equals(technical)).toBe(true);
    p.clock.set('2026-03-02T01:00:00.000Z');
  });

  test('a signing key that does not match the certificate is refused before anything is sent', async () => {
    const [a, b] = lot.bidders as [TestBidder, TestBidder];
    routeFetchThrough(b);
    const settings: BidSettings = await getBidSettings(p.db, lot.lot.id);
    const mixed = { ...(await keyFiles(b)), signKeyPem: (await keyFiles(a)).signKeyPem };
    await expect(
      packAndSubmit({
        lot: { lotId: lot.lot.id, lotCode: lot.lot.code },
        bidder: { organizationId: b.organizationId, creditCode: b.creditCode, name: b.name },
        settings: settings as never,
        summary: { price: '1', duration: '1' },
        files: [],
        keys: mixed,
      }),
    ).rejects.toThrow(/签名私钥与签名证书不匹配/);
    expect((await b.session.get(`/api/lots/${lot.lot.id}/my-bid`)).statusCode).toBe(404);
  });
});

describe('the browser at the opening', () => {
  test('three bids made in the browser are decrypted in the browser and the record is confirmed with a signature', async () => {
    const opening = await openLotForBidding(p, { bidders: 3 });
    p.clock.set(opening.lot.timeline.documentsFrom);
    await p.jobs.runDueJobs();
    for (const [i, bidder] of opening.bidders.entries()) {
      routeFetchThrough(bidder);
      await packAndSubmit({
        lot: { lotId: opening.lot.id, lotCode: opening.lot.code },
        bidder: { organizationId: bidder.organizationId, creditCode: bidder.creditCode, name: bidder.name },
        settings: (
          await bidder.session.get(`/api/lots/${opening.lot.id}/bid-settings`)
        ).json() as BidSettingsView,
        summary: { price: `${2_000_000 + i}.00`, duration: '200' },
        files: [{ kind: 'technical', name: '技术部分', file: file(randomBytes(1000), 'tech.bin') }],
        keys: await keyFiles(bidder),
      });
    }
    p.clock.set(opening.lot.timeline.openingAt);
    await p.jobs.runDueJobs();
    // Sessions live in platform time: after weeks, everyone signs in again.
    opening.agency.session = (await p.as(opening.agency.account)) as typeof opening.agency.session;
    for (const bidder of opening.bidders)
      bidder.session = (await p.as(bidder.account)) as typeof bidder.session;
    const hall = `/api/lots/${opening.lot.id}/opening`;
    const step = async (name: string) => {
      const res = await opening.agency.session.post(`${hall}/steps/${name}`, {});
      expect(res.statusCode, res.body).toBe(200);
    };
    await step('start-opening');
    await step('start-decryption');

    // A signing key is not the encryption key: refused in the page, nothing sent.
    const first = opening.bidders[0] as TestBidder;
    routeFetchThrough(first);
    const signKeyPem = await readFile(path.join(first.keys.certDir, 'sign.key.pem'), 'utf8');
    await expect(decryptInBrowser(opening.lot.id, signKeyPem)).rejects.toThrow(/不是本投标文件/);

    for (const bidder of opening.bidders) {
      routeFetchThrough(bidder);
      const encKeyPem = await readFile(path.join(bidder.keys.certDir, 'enc.key.pem'), 'utf8');
      expect(await decryptInBrowser(opening.lot.id, encKeyPem)).toBe(2);
    }
    await step('close-decryption');
    await step('publish-record');
    const published = (await first.session.get(`${hall}/record`)).json() as {
      recordSm3: string;
      record: { entries: { fields: Record<string, string> }[] };
    };
    expect(published.record.entries.map((e) => e.fields.price).sort()).toEqual([
      '2000000.00',
      '2000001.00',
      '2000002.00',
    ]);

    routeFetchThrough(first);
    await confirmWithKey(opening.lot.id, published.recordSm3, signKeyPem);
    const view = (await first.session.get(hall)).json() as {
      revealed: { bidders: { bidderName: string; confirmation: string | null }[] };
    };
    const mine = view.revealed.bidders.find((b) => b.bidderName === first.name);
    expect(mine?.confirmation).toBe('sm2-signature');
  });
});
