import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { buildCrl, parseCertificateDer } from '../../platform/certs/index.ts';
import { generateSm2KeyPair, openDetachedEnvelope, sm2Decrypt } from '../../platform/crypto/index.ts';
import { sealedOrigin } from '../../platform/sealing/index.ts';
import { listCheckpointPublicKeys, SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { makeAcceptedEntity, registerReceivedLot } from '../projects/test-factory.ts';
import {
  combineOpeningKeyShares,
  listOpeningKeyShares,
  manifestSm3,
  parseSummary,
  partEnvelope,
  revealBidsForOpening,
  type SignedBidReceipt,
  signManifest,
  verifyReceipt,
} from './index.ts';
import { createUpload, FAULT_ENV } from './intake.ts';
import { createReceiptService } from './receipts.ts';
import { stagingDir } from './staging.ts';
import {
  addBidder,
  issueBidderKeys,
  type LotForBidding,
  openLotForBidding,
  packTestBid,
  submitBid,
  type TestBidder,
  uploadPacked,
} from './test-factory.ts';

/**
 * The sealed-bid intake through the real platform: every intake check of contracts.md, replace and
 * withdraw, the deadline with no gap, resumable chunks, receipts and their witness proofs, secrecy, and
 * the attacks of issue 5 — each asserting what the bidder sees and that nothing was stored.
 */
const START = '2026-03-02T01:00:00.000Z';
const DAY = 86_400_000;
let p: TestPlatform;
let dataDir: string;

beforeAll(async () => {
  p = await makeTestPlatform({
    GGZY_LOGIN_RATE_MAX: '100000',
    GGZY_REGISTRATION_RATE_MAX: '100000',
    GGZY_SESSION_HOURS: String(24 * 30),
  });
  dataDir = path.resolve('.tmp/test-data');
  p.clock.set(START);
});

afterAll(async () => {
  await p.close();
});

async function platformKeys() {
  return (await listCheckpointPublicKeys(p.db)).map((k) => k.publicKey);
}

async function bidsOf(lotId: string) {
  return p.db.selectFrom('bids').selectAll().where('lot_id', '=', lotId).execute();
}

async function uploadsOf(lotId: string) {
  return p.db.selectFrom('bid_uploads').selectAll().where('lot_id', '=', lotId).execute();
}

async function freshLot(opts: Parameters<typeof openLotForBidding>[1] = {}) {
  p.clock.set(START);
  return openLotForBidding(p, { bidders: 1, ...opts });
}

function patch(bidder: TestBidder, uploadId: string, no: number, offset: number, bytes: Uint8Array) {
  return bidder.session.request({
    method: 'PATCH',
    url: `/api/bid-uploads/${uploadId}/parts/${no}`,
    headers: { 'content-type': 'application/octet-stream', 'upload-offset': String(offset) },
    payload: Buffer.from(bytes),
  });
}

async function expectNothingStored(lot: LotForBidding) {
  expect(await bidsOf(lot.lot.id)).toHaveLength(0);
}

describe('a sealed bid and its receipt', () => {
  test('a registered bidder submits; the receipt is signed, carries the witness proof and verifies offline', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const receipt = await submitBid(p, lot, bidder, { summary: { price: '8800000.00', duration: '300' } });
    expect(receipt.receipt).toMatchObject({
      format: 'ggzy-bid-receipt/v1',
      lotId: lot.lot.id,
      lotCode: lot.lot.code,
      bidder: { organizationId: bidder.organizationId, creditCode: bidder.creditCode, name: bidder.name },
      receivedAt: START,
    });
    expect(receipt.receipt.parts).toHaveLength(2);
    expect(receipt.witness).not.toBeNull();
    expect(verifyReceipt(receipt, await platformKeys())).toMatchObject({ ok: true, witnessChecked: true });

    // The stored bid: ciphertext only, addressed by hash, and it opens with the bidder's own key.
    const [row] = await bidsOf(lot.lot.id);
    const parts = await p.db
      .selectFrom('bid_parts')
      .selectAll()
      .where('bid_id', '=', row!.id)
      .orderBy('no')
      .execute();
    const sealed = await readFile(p.blobs.pathOf(parts[0]!.sealed_sha256));
    expect(sealed.subarray(0, 4).toString()).toBe('GZS4');
    const revealedBefore = revealBidsForOpening(p.db, p.sealer, p.clock, lot.lot.id);
    await expect(revealedBefore).rejects.toMatchObject({ code: 'BIDS_STILL_SEALED' });
    p.clock.set(lot.lot.timeline.bidDeadline);
    const [revealed] = await revealBidsForOpening(p.db, p.sealer, p.clock, lot.lot.id);
    expect(revealed).toMatchObject({ organizationId: bidder.organizationId, bidId: receipt.receipt.bidId });
    const opened = openDetachedEnvelope(partEnvelope(revealed!.manifest.parts[0]!), bidder.keys.encKey);
    const chunks: Buffer[] = [];
    opened.stream.on('data', (c: Buffer) => chunks.push(c));
    opened.stream.end(sealed);
    await new Promise((resolve, reject) => {
      opened.stream.on('end', resolve);
      opened.stream.on('error', reject);
    });
    expect(parseSummary(Buffer.concat(chunks))).toEqual({ price: '8800000.00', duration: '300' });
  });

  test('replaying complete returns the same receipt; the manifest nonce is accepted once', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const packed = await packTestBid(lot, bidder);
    const first = await uploadPacked(bidder.session, lot.lot.id, packed);
    expect(first.completed?.statusCode).toBe(200);
    const again = await bidder.session.post(`/api/bid-uploads/${first.uploadId}/complete`);
    expect(again.statusCode).toBe(200);
    expect(again.json().receipt).toEqual(first.completed!.json().receipt);
    const replay = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: packed.signed,
    });
    expect(replay.statusCode).toBe(409);
    expect(replay.json().code).toBe('BID_NONCE_REUSED');
    expect(await bidsOf(lot.lot.id)).toHaveLength(1);
  });

  test('GET receipt attaches the proof later; the public check says genuine and live', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const receipt = await submitBid(p, lot, bidder);
    const fetched = await bidder.session.get(`/api/bids/${receipt.receipt.bidId}/receipt`);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json().witness).not.toBeNull();
    const checked = await p.anonymous.post('/api/bid-receipts/verify', { receipt: fetched.json() });
    expect(checked.json()).toMatchObject({ genuine: true, live: true, status: 'live' });
    const tampered: SignedBidReceipt = structuredClone(fetched.json());
    tampered.receipt.receivedAt = new Date(Date.parse(START) - 60_000).toISOString();
    const bad = await p.anonymous.post('/api/bid-receipts/verify', { receipt: tampered });
    expect(bad.json()).toMatchObject({ genuine: false, live: false });
    expect(bad.json().problems.join()).toContain('平台签名验证失败');
  });

  test('a receipt service that cannot checkpoint in time answers witness:null, and the proof comes later', async () => {
    const service = createReceiptService(p.db, p.clock);
    const lot = await freshLot();
    const receipt = await submitBid(p, lot, lot.bidders[0]!);
    const late = await service.proof(receipt.receipt.witnessEventId, 0);
    expect(late === null || late.event.id === receipt.receipt.witnessEventId).toBe(true);
    const proof = await service.proof(receipt.receipt.witnessEventId);
    expect(proof?.event.entity_id).toBe(receipt.receipt.bidId);
    const unproven = { ...receipt, witness: null };
    expect(verifyReceipt(unproven, await platformKeys())).toMatchObject({ ok: true, witnessChecked: false });
  });
});

describe('intake checks (each refusal stores nothing)', () => {
  test('an account that is not an accepted market entity may not bid', async () => {
    const lot = await freshLot();
    const packed = await packTestBid(lot, lot.bidders[0]!);
    const loner = await p.makeAccount(['responder']);
    const res = await (await p.as(loner)).post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: packed.signed,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('RESPONDER_NOT_REGISTERED');
    expect(await uploadsOf(lot.lot.id)).toHaveLength(0);
  });

  test('a bidder that did not obtain the documents of the lot is refused', async () => {
    const lot = await freshLot();
    const stranger = await addBidder(p, lot.lot.id, { download: false });
    const { created } = await uploadPacked(stranger.session, lot.lot.id, await packTestBid(lot, stranger));
    expect(created.statusCode).toBe(409);
    expect(created.json()).toMatchObject({ code: 'BID_DOCUMENTS_NOT_OBTAINED' });
    expect(created.json().citation).toContain('第十六条');
    expect(await uploadsOf(lot.lot.id)).toHaveLength(0);
  });

  test('a manifest signed with another bidder’s certificate, or with another key, is refused', async () => {
    const lot = await freshLot({ bidders: 2 });
    const [a, b] = lot.bidders as [TestBidder, TestBidder];
    // A's bid signed with B's certificate and key: the certificate is not bound to A's organisation.
    const withB = await packTestBid(lot, {
      ...a,
      keys: { ...a.keys, signKey: b.keys.signKey, signCertDer: b.keys.signCertDer },
    });
    const r1 = await a.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, { manifest: withB.signed });
    expect(r1.statusCode).toBe(403);
    expect(r1.json().code).toBe('BID_CERT_NOT_BOUND');
    // A's certificate but a signature by another key.
    const packed = await packTestBid(lot, a);
    const forged = signManifest(packed.signed.manifest, generateSm2KeyPair());
    const r2 = await a.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, { manifest: forged });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().code).toBe('BID_SIGNATURE_INVALID');
    // A changed byte after signing.
    const altered = structuredClone(packed.signed);
    altered.manifest.parts[1]!.name = '改过的名称';
    const r3 = await a.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, { manifest: altered });
    expect(r3.json().code).toBe('BID_SIGNATURE_INVALID');
    expect(await uploadsOf(lot.lot.id)).toHaveLength(0);
  });

  test('an expired certificate is refused', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    // A second pair valid for one day replaces the binding's role for this bid.
    const shortLived = await issueBidderKeys(p, bidder.account.username, 1);
    p.clock.set(new Date(Date.parse(START) + 2 * DAY));
    const { created } = await uploadPacked(
      bidder.session,
      lot.lot.id,
      await packTestBid(lot, { ...bidder, keys: shortLived }),
    );
    expect(created.statusCode).toBe(409);
    expect(created.json().code).toBe('BID_CERT_EXPIRED');
    expect(await uploadsOf(lot.lot.id)).toHaveLength(0);
  });

  test('a revoked certificate (CRL of the demo CA) is refused', async () => {
    const lot = await freshLot();
    const bidder = await addBidder(p, lot.lot.id);
    const ca = await p.certs.demoCa.load();
    const serial = parseCertificateDer(bidder.keys.signCertDer).serialNumber;
    const crl = buildCrl({
      issuer: { certificate: ca.certificate, key: ca.key },
      thisUpdate: new Date(Date.parse(START) - 1000 + Math.floor(Math.random() * 500)),
      nextUpdate: new Date(Date.parse(START) + 30 * DAY),
      crlNumber: Date.now() % 1_000_000,
      revoked: [{ serialNumber: serial, revokedAt: new Date(Date.parse(START) - 2000) }],
    });
    await p.certs.trust.loadCrl({ db: p.db, clock: p.clock, actor: null, origin: SYSTEM_ORIGIN }, { crl });
    const { created } = await uploadPacked(bidder.session, lot.lot.id, await packTestBid(lot, bidder));
    expect(created.statusCode).toBe(409);
    expect(created.json().code).toBe('BID_CERT_REVOKED');
    expect(await uploadsOf(lot.lot.id)).toHaveLength(0);
  });

  test('parts not encrypted to the bidder’s bound encryption certificate, or not to the opening key, are refused', async () => {
    const lot = await freshLot({ allowFallback: true });
    const bidder = lot.bidders[0]!;
    const other = generateSm2KeyPair().publicKey;
    const wrongKey = await packTestBid(lot, { ...bidder, keys: { ...bidder.keys, encPublicKey: other } });
    const r1 = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: wrongKey.signed,
    });
    expect(r1.statusCode).toBe(409);
    expect(r1.json().code).toBe('BID_RECIPIENT_MISSING');
    const noFallback = await packTestBid({ ...lot, openingKey: null }, bidder);
    const r2 = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: noFallback.signed,
    });
    expect(r2.statusCode).toBe(409);
    expect(r2.json()).toMatchObject({ code: 'BID_OPENING_KEY_MISSING' });
    expect(r2.json().citation).toContain('第三十一条');
    expect(await uploadsOf(lot.lot.id)).toHaveLength(0);
  });

  test('a manifest for another lot or naming another bidder is refused', async () => {
    const lot = await freshLot();
    const other = await freshLot();
    const bidder = lot.bidders[0]!;
    const forOther = await packTestBid(other, bidder);
    const r1 = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: forOther.signed,
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().code).toBe('BID_MANIFEST_MISMATCH');
    const impostor = await packTestBid(lot, { ...bidder, name: '别家公司' });
    const r2 = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: impostor.signed,
    });
    expect(r2.json().code).toBe('BID_MANIFEST_MISMATCH');
    expect(await uploadsOf(lot.lot.id)).toHaveLength(0);
  });

  test('a barred bidder is refused (the credit lists hook)', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const packed = await packTestBid(lot, bidder);
    const actor = {
      accountId: bidder.account.id,
      username: bidder.account.username,
      displayName: '投标人',
      roles: ['responder' as const],
      organizationId: bidder.organizationId,
      organizationName: bidder.name,
      sessionId: 'test',
    };
    const deps = {
      db: p.db,
      clock: p.clock,
      sealer: p.sealer,
      blobs: p.blobs,
      dataDir,
      trust: p.certs.trust,
      eligibility: { barredReasons: async () => ['列入严重违法失信名单（2026-01-01 至 2028-12-31）'] },
      receipts: createReceiptService(p.db, p.clock),
    };
    const attempt = createUpload(
      { db: p.db, clock: p.clock, actor, origin: sealedOrigin(SYSTEM_ORIGIN), deps },
      lot.lot.id,
      packed.signed,
    );
    await expect(attempt).rejects.toMatchObject({ code: 'BIDDER_BARRED', status: 403 });
    expect(await uploadsOf(lot.lot.id)).toHaveLength(0);
  });

  test('a bid without the deposit the tender asks is refused', async () => {
    const lot = await freshLot({ depositYuan: '10000' });
    const { created } = await uploadPacked(
      lot.bidders[0]!.session,
      lot.lot.id,
      await packTestBid(lot, lot.bidders[0]!),
    );
    expect(created.statusCode).toBe(409);
    expect(created.json()).toMatchObject({ code: 'BID_DEPOSIT_NOT_PAID' });
    expect(created.json().citation).toContain('第二十六条');
    expect(await uploadsOf(lot.lot.id)).toHaveLength(0);
  });

  test('a 10 GB part over the tender’s limit is refused at once; bytes beyond the declared length are refused', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const packed = await packTestBid(lot, bidder);
    const huge = structuredClone(packed.signed.manifest);
    huge.parts[1]!.content.sealedLength = 10 * 2 ** 30;
    const r1 = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: signManifest(huge, bidder.keys.signKey),
    });
    expect(r1.statusCode).toBe(413);
    expect(r1.json().code).toBe('BID_PART_TOO_LARGE');
    expect(await uploadsOf(lot.lot.id)).toHaveLength(0);

    const created = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: packed.signed,
    });
    const { uploadId } = created.json();
    const bytes = await readFile(path.join(packed.dir, 'part-2.gzs4'));
    const more = Buffer.concat([bytes, Buffer.alloc(1000, 7)]);
    const r2 = await patch(bidder, uploadId, 2, 0, more);
    expect(r2.statusCode).toBe(413);
    expect(r2.json().code).toBe('UPLOAD_CHUNK_TOO_LARGE');
    const head = await bidder.session.request({
      method: 'HEAD',
      url: `/api/bid-uploads/${uploadId}/parts/2`,
    });
    expect(head.headers['upload-offset']).toBe('0');
    // A zip bomb is not a concern of the intake: it stores ciphertext and never decompresses anything.
  });
});

describe('resumable upload', () => {
  test('a chunk out of order or duplicated is refused with the current offset; HEAD tells it; the upload resumes', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const big = randomBytes(300_000);
    const packed = await packTestBid(lot, bidder, {
      parts: [{ kind: 'technical', name: '技术部分', bytes: big }],
    });
    const created = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: packed.signed,
    });
    expect(created.statusCode).toBe(201);
    const { uploadId } = created.json();
    const sealed = await readFile(path.join(packed.dir, 'part-2.gzs4'));
    const c1 = sealed.subarray(0, 100_000);
    const c2 = sealed.subarray(100_000, 200_000);
    const c3 = sealed.subarray(200_000);
    expect((await patch(bidder, uploadId, 2, 0, c1)).statusCode).toBe(204);
    const outOfOrder = await patch(bidder, uploadId, 2, 200_000, c3);
    expect(outOfOrder.statusCode).toBe(409);
    expect(outOfOrder.json()).toMatchObject({ code: 'UPLOAD_OFFSET_MISMATCH', offset: 100_000 });
    const duplicate = await patch(bidder, uploadId, 2, 0, c1);
    expect(duplicate.json()).toMatchObject({ code: 'UPLOAD_OFFSET_MISMATCH', offset: 100_000 });
    const head = await bidder.session.request({
      method: 'HEAD',
      url: `/api/bid-uploads/${uploadId}/parts/2`,
    });
    expect(head.headers['upload-offset']).toBe('100000');
    const early = await bidder.session.post(`/api/bid-uploads/${uploadId}/complete`);
    expect(early.json().code).toBe('BID_UPLOAD_INCOMPLETE');
    expect((await patch(bidder, uploadId, 2, 100_000, c2)).statusCode).toBe(204);
    expect((await patch(bidder, uploadId, 2, 200_000, c3)).statusCode).toBe(204);
    const summary = await readFile(path.join(packed.dir, 'part-1.gzs4'));
    expect((await patch(bidder, uploadId, 1, 0, summary)).statusCode).toBe(204);
    const done = await bidder.session.post(`/api/bid-uploads/${uploadId}/complete`);
    expect(done.statusCode).toBe(200);
    expect(done.json().receipt.manifestSm3).toBe(manifestSm3(packed.signed));
  });

  test('a plaintext upload is refused at its first chunk and nothing is kept', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const packed = await packTestBid(lot, bidder);
    const created = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: packed.signed,
    });
    const { uploadId } = created.json();
    const length = packed.signed.manifest.parts[1]!.content.sealedLength;
    const plaintext = Buffer.alloc(length, '投');
    const res = await patch(bidder, uploadId, 2, 0, plaintext);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BID_PART_NOT_SEALED' });
    expect(res.json().citation).toContain('第二十五条');
    const head = await bidder.session.request({
      method: 'HEAD',
      url: `/api/bid-uploads/${uploadId}/parts/2`,
    });
    expect(head.headers['upload-offset']).toBe('0');
    await expectNothingStored(lot);
  });

  test('a part whose bytes do not match the manifest’s SM3 is refused at completion, cleared, and nothing is stored', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const packed = await packTestBid(lot, bidder);
    const created = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: packed.signed,
    });
    const { uploadId } = created.json();
    const p1 = await readFile(path.join(packed.dir, 'part-1.gzs4'));
    const p2 = Buffer.from(await readFile(path.join(packed.dir, 'part-2.gzs4')));
    p2[p2.length - 1] = p2[p2.length - 1]! ^ 0xff; // same length, sealed header intact, one byte changed
    expect((await patch(bidder, uploadId, 1, 0, p1)).statusCode).toBe(204);
    expect((await patch(bidder, uploadId, 2, 0, p2)).statusCode).toBe(204);
    const res = await bidder.session.post(`/api/bid-uploads/${uploadId}/complete`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('BID_PART_DIGEST_MISMATCH');
    await expectNothingStored(lot);
    const head = await bidder.session.request({
      method: 'HEAD',
      url: `/api/bid-uploads/${uploadId}/parts/2`,
    });
    expect(head.headers['upload-offset']).toBe('0');
  });

  test('a crash between storing the parts and the commit gives no receipt; retrying completes exactly one bid', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const packed = await packTestBid(lot, bidder);
    const created = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: packed.signed,
    });
    const { uploadId } = created.json();
    for (const no of [1, 2]) {
      const bytes = await readFile(path.join(packed.dir, `part-${no}.gzs4`));
      expect((await patch(bidder, uploadId, no, 0, bytes)).statusCode).toBe(204);
    }
    process.env[FAULT_ENV] = 'after-adopt';
    try {
      const crashed = await bidder.session.post(`/api/bid-uploads/${uploadId}/complete`);
      expect(crashed.statusCode).toBe(500);
      expect(crashed.json().receipt).toBeUndefined();
    } finally {
      delete process.env[FAULT_ENV];
    }
    await expectNothingStored(lot);
    const retried = await bidder.session.post(`/api/bid-uploads/${uploadId}/complete`);
    expect(retried.statusCode).toBe(200);
    expect(verifyReceipt(retried.json(), await platformKeys()).ok).toBe(true);
    expect(await bidsOf(lot.lot.id)).toHaveLength(1);
  });
});

describe('the bid deadline, decided by server time with no gap', () => {
  async function uploadedNotCompleted(lot: LotForBidding) {
    const bidder = lot.bidders[0]!;
    const packed = await packTestBid(lot, bidder);
    const created = await bidder.session.post(`/api/lots/${lot.lot.id}/bid-uploads`, {
      manifest: packed.signed,
    });
    const { uploadId } = created.json();
    for (const no of [1, 2]) {
      const bytes = await readFile(path.join(packed.dir, `part-${no}.gzs4`));
      expect((await patch(bidder, uploadId, no, 0, bytes)).statusCode).toBe(204);
    }
    return { bidder, uploadId: uploadId as string };
  }

  test('completion one millisecond before the deadline is accepted', async () => {
    const lot = await freshLot();
    const { bidder, uploadId } = await uploadedNotCompleted(lot);
    p.clock.set(new Date(lot.lot.timeline.bidDeadline.getTime() - 1));
    const res = await bidder.session.post(`/api/bid-uploads/${uploadId}/complete`);
    expect(res.statusCode).toBe(200);
    expect(res.json().receipt.receivedAt).toBe(
      new Date(lot.lot.timeline.bidDeadline.getTime() - 1).toISOString(),
    );
  });

  test('completion exactly at the deadline, or one millisecond after, is refused and nothing is stored', async () => {
    for (const offset of [0, 1]) {
      const lot = await freshLot();
      const { bidder, uploadId } = await uploadedNotCompleted(lot);
      p.clock.set(new Date(lot.lot.timeline.bidDeadline.getTime() + offset));
      const res = await bidder.session.post(`/api/bid-uploads/${uploadId}/complete`);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'BID_AFTER_DEADLINE' });
      expect(res.json().citation).toContain('第二十八条');
      await expectNothingStored(lot);
    }
  });

  test('an upload not completed at the deadline counts as withdrawn: the job expires it and deletes its staging', async () => {
    const lot = await freshLot();
    const { bidder, uploadId } = await uploadedNotCompleted(lot);
    expect(existsSync(stagingDir(dataDir, uploadId))).toBe(true);
    p.clock.set(lot.lot.timeline.bidDeadline);
    await p.jobs.runDueJobs();
    const [upload] = await uploadsOf(lot.lot.id);
    expect(upload?.status).toBe('expired');
    expect(existsSync(stagingDir(dataDir, uploadId))).toBe(false);
    const res = await bidder.session.post(`/api/bid-uploads/${uploadId}/complete`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('BID_UPLOAD_CLOSED');
    await expectNothingStored(lot);
  });
});

describe('replace (替换) and withdraw (撤回)', () => {
  test('a second bid replaces the first; a replayed old receipt is genuine but no longer the live bid', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const first = await submitBid(p, lot, bidder, { summary: { price: '100', duration: '10' } });
    p.clock.set(new Date(Date.parse(START) + 60_000));
    const second = await submitBid(p, lot, bidder, { summary: { price: '90', duration: '10' } });
    const mine = await bidder.session.get(`/api/lots/${lot.lot.id}/my-bid`);
    expect(mine.json()).toMatchObject({ bidId: second.receipt.bidId, status: 'live' });
    const old = await p.anonymous.post('/api/bid-receipts/verify', { receipt: first });
    expect(old.json()).toMatchObject({ genuine: true, live: false, status: 'superseded' });
    const rows = await bidsOf(lot.lot.id);
    expect(rows.map((r) => r.status).sort()).toEqual(['live', 'superseded']);
  });

  test('withdrawal before the deadline; refused after it', async () => {
    const lot = await freshLot();
    const bidder = lot.bidders[0]!;
    const receipt = await submitBid(p, lot, bidder);
    const res = await bidder.session.post(`/api/bids/${receipt.receipt.bidId}/withdraw`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('withdrawn');
    expect((await bidder.session.get(`/api/lots/${lot.lot.id}/my-bid`)).statusCode).toBe(404);
    const check = await p.anonymous.post('/api/bid-receipts/verify', { receipt });
    expect(check.json()).toMatchObject({ genuine: true, live: false, status: 'withdrawn' });

    const again = await submitBid(p, lot, bidder);
    p.clock.set(lot.lot.timeline.bidDeadline);
    const late = await bidder.session.post(`/api/bids/${again.receipt.bidId}/withdraw`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('BID_AFTER_DEADLINE');
  });
});

describe('secrecy before the opening', () => {
  test('another bidder, the initiator, the agency and the operator learn nothing of a bid or the count', async () => {
    const lot = await freshLot({ bidders: 2 });
    const [a, b] = lot.bidders as [TestBidder, TestBidder];
    const receipt = await submitBid(p, lot, a);
    const bidId = receipt.receipt.bidId;
    // Another bidder: not found (the bid's existence is not confirmed).
    expect((await b.session.get(`/api/bids/${bidId}/receipt`)).statusCode).toBe(404);
    expect((await b.session.post(`/api/bids/${bidId}/withdraw`)).statusCode).toBe(404);
    expect((await b.session.get(`/api/lots/${lot.lot.id}/my-bid`)).statusCode).toBe(404);
    // Initiator, agency, operator: the bidder routes are closed to them.
    for (const session of [lot.initiator.session, lot.agency.session, lot.operator.session]) {
      expect((await session.get(`/api/bids/${bidId}/receipt`)).statusCode).toBe(403);
      expect((await session.get(`/api/lots/${lot.lot.id}/my-bid`)).statusCode).toBe(403);
      expect((await session.post(`/api/bids/${bidId}/withdraw`)).statusCode).toBe(403);
    }
    // The settings (any party may read) say nothing about bids.
    const settings = await lot.initiator.session.get(`/api/lots/${lot.lot.id}/bid-settings`);
    expect(JSON.stringify(settings.json())).not.toMatch(/bid(s|Count)/i);
    // The database holds no bidder identity in clear, and the witness log names neither bidder nor lot.
    const [row] = await bidsOf(lot.lot.id);
    const text = JSON.stringify(row);
    for (const secret of [a.organizationId, a.creditCode, a.name, a.account.id])
      expect(text).not.toContain(secret);
    const events = await p.db
      .selectFrom('witness_events')
      .selectAll()
      .where('entity_id', 'in', [bidId, row!.upload_id])
      .execute();
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      const all = JSON.stringify(event);
      for (const secret of [a.organizationId, a.creditCode, a.name, a.account.id, lot.lot.id]) {
        expect(all).not.toContain(secret);
      }
      expect(event.actor_account_id).toBeNull();
      expect(event.ip).toBeNull();
    }
  });
});

describe('bid settings', () => {
  test('only the lot’s parties set them, and only before the documents are issued', async () => {
    const lot = await freshLot();
    const stranger = await makeAcceptedEntity(p, ['tenderer']);
    const r1 = await stranger.client.put(`/api/lots/${lot.lot.id}/bid-settings`, {
      decryptWindowMinutes: 60,
    });
    expect(r1.statusCode).toBe(403);
    const r2 = await lot.initiator.session.put(`/api/lots/${lot.lot.id}/bid-settings`, {
      decryptWindowMinutes: 60,
    });
    expect(r2.statusCode).toBe(409);
    expect(r2.json().code).toBe('BID_SETTINGS_FIXED');
    const read = await lot.bidders[0]!.session.get(`/api/lots/${lot.lot.id}/bid-settings`);
    expect(read.json()).toMatchObject({
      decryptWindowMinutes: 30,
      allowFallback: false,
      maxPartBytes: 2 ** 31,
    });
  });

  test('custodians may be named by user name; an unknown one or one without certificates is refused', async () => {
    const received = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const [centre, supervisor, bare] = [
      await p.makeAccount(['operator']),
      await p.makeAccount(['supervisor']),
      await p.makeAccount(['supervisor']),
    ];
    await issueBidderKeys(p, centre!.username);
    await issueBidderKeys(p, supervisor!.username);
    const url = `/api/lots/${received.lot.id}/bid-settings`;
    const save = (custodians: { username: string; label: string }[]) =>
      received.initiatorClient.put(url, { allowFallback: true, openingKey: { threshold: 2, custodians } });
    const unknown = await save([
      { username: centre!.username, label: '交易中心' },
      { username: 'nobody_at_all', label: '行政监督部门' },
    ]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('CUSTODIAN_UNKNOWN');
    const noCerts = await save([
      { username: centre!.username, label: '交易中心' },
      { username: bare!.username, label: '行政监督部门' },
    ]);
    expect(noCerts.statusCode).toBe(409);
    expect(noCerts.json().code).toBe('CUSTODIAN_NO_ENCRYPTION_CERT');
    const ok = await save([
      { username: centre!.username, label: '交易中心' },
      { username: supervisor!.username, label: '行政监督部门' },
    ]);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().openingKey.custodians).toEqual([
      { accountId: centre!.id, label: '交易中心' },
      { accountId: supervisor!.id, label: '行政监督部门' },
    ]);
  });

  test('the opening key is split 2-of-3 among custodians; any two shares restore it, one does not', async () => {
    const lot = await freshLot({ allowFallback: true });
    expect(lot.openingKey).not.toBeNull();
    const receipt = await submitBid(p, lot, lot.bidders[0]!);
    expect(receipt.receipt.parts).toHaveLength(2);
    const shares = await listOpeningKeyShares(p.db, lot.lot.id);
    expect(shares).toHaveLength(3);
    const plain = shares.map((s, i) =>
      sm2Decrypt(lot.custodians[i]!.encKey, Buffer.from(s.encryptedShare, 'base64url')),
    );
    const key = await combineOpeningKeyShares(p.db, lot.lot.id, [plain[0]!, plain[2]!]);
    expect(key.publicKey.pointHex).toBe(lot.openingKey!.pointHex);
    await expect(combineOpeningKeyShares(p.db, lot.lot.id, [plain[1]!])).rejects.toMatchObject({
      code: 'OPENING_KEY_SHARES_INVALID',
    });
    const wrong = Uint8Array.from(plain[0]!);
    wrong[3] = wrong[3]! ^ 1;
    await expect(combineOpeningKeyShares(p.db, lot.lot.id, [wrong, plain[1]!])).rejects.toMatchObject({
      code: 'OPENING_KEY_SHARES_INVALID',
    });
    // The private key is nowhere in the database.
    const stored = JSON.stringify(await p.db.selectFrom('bid_opening_keys').selectAll().execute());
    expect(stored).not.toContain(key.scalarHex);
  });
});
