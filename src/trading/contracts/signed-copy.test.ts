import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { sm2Sign, toBase64Url } from '../../platform/crypto/index.ts';
import { issueBidderKeys } from '../bids/test-factory.ts';
import { evaluatedLot } from '../evaluation/test-factory.ts';
import { relogin } from '../opening/test-factory.ts';
import { pdfSigningText } from './index.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the test reads response bodies by the fields it asserts on.
type Json = Record<string, any>;
const sign = (key: Parameters<typeof sm2Sign>[0], text: string) =>
  toBase64Url(sm2Sign(key, new TextEncoder().encode(text)));

test('a contract signed on paper is uploaded with both parties’ SM2 signatures over its SHA-256, each checked', async () => {
  const e = await evaluatedLot(p, {
    procedureType: 'open-tender.works',
    regionCode: '150724',
    specialtyCode: 'A080101',
  });
  await relogin(p, e.opened);
  const lotId = e.opened.lot.id;
  let res = await e.opened.agency.session.post(`/api/lots/${lotId}/award/publicity`, {
    objectionChannel: '招标人 王工 0471-6600009',
  });
  expect(res.statusCode, res.body).toBe(200);
  p.clock.set(new Date(Date.parse((res.json() as Json).publicity.endsAt) + 60_000));
  await p.jobs.runDueJobs();
  await relogin(p, e.opened);
  const first = ((await e.opened.agency.session.get(`/api/lots/${lotId}/award`)).json() as Json)
    .candidates[0];
  res = await e.opened.initiator.session.post(`/api/lots/${lotId}/award/confirm`, { bidId: first.bidId });
  expect(res.statusCode, res.body).toBe(200);
  res = await e.opened.agency.session.post(`/api/lots/${lotId}/award/notice`);
  expect(res.statusCode, res.body).toBe(200);
  const agency = e.opened.agency.session;
  const initiator = e.opened.initiator.session;
  const winner = e.opened.bidders.find((b) => b.organizationId === first.organizationId)!;
  const loser = e.opened.bidders.find((b) => b.organizationId !== first.organizationId)!;

  res = await e.opened.initiator.session.post(`/api/lots/${lotId}/contract`, {
    priceYuan: first.priceYuan,
    terms: { scope: '教学楼施工', payment: '按月支付进度款' },
  });
  expect(res.statusCode, res.body).toBe(200);
  const contract = (res.json() as Json).contract;

  // The signed PDF as scanned, uploaded to the blob store.
  const upload = await e.opened.initiator.session.request({
    method: 'POST',
    url: '/api/blobs',
    headers: { 'content-type': 'multipart/form-data; boundary=X' },
    payload: `--X\r\nContent-Disposition: form-data; name="file"; filename="contract.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 签署版合同 ${lotId}\r\n--X--\r\n`,
  });
  expect([200, 201]).toContain(upload.statusCode);
  const pdfSha256 = (upload.json() as Json).sha256 as string;
  const text = pdfSigningText(contract.id, pdfSha256);
  const initiatorKeys = await issueBidderKeys(p, e.opened.initiator.account.username);
  const body = {
    pdfSha256,
    initiatorSignature: sign(initiatorKeys.signKey, text),
    supplierSignature: sign(winner.keys.signKey, text),
  };

  // Only the initiator uploads; a signature by anyone but the winning supplier is refused; nothing is stored.
  expect((await winner.session.post(`/api/contracts/${contract.id}/signed-copy`, body)).statusCode).toBe(403);
  res = await initiator.post(`/api/contracts/${contract.id}/signed-copy`, {
    ...body,
    supplierSignature: sign(loser.keys.signKey, text),
  });
  expect(res.statusCode).toBe(403);
  expect((res.json() as Json).code).toBe('SIGNATURE_INVALID');
  res = await initiator.post(`/api/contracts/${contract.id}/signed-copy`, {
    ...body,
    pdfSha256: 'f'.repeat(64),
  });
  expect((res.json() as Json).code).toBe('BLOB_NOT_FOUND');
  expect(((await initiator.get(`/api/lots/${lotId}/contract`)).json() as Json).contract.status).toBe('draft');

  res = await initiator.post(`/api/contracts/${contract.id}/signed-copy`, body);
  expect(res.statusCode, res.body).toBe(200);
  const signed = (res.json() as Json).contract;
  expect(signed.status).toBe('signed');
  expect(signed.signatures.map((s: Json) => s.party).sort()).toEqual(['initiator', 'supplier']);
  expect((await agency.get(`/api/lots/${lotId}/award`)).json()).toMatchObject({ status: 'contracted' });
  // Once signed, it is never signed again.
  expect((await initiator.post(`/api/contracts/${contract.id}/signed-copy`, body)).statusCode).toBe(409);
});
