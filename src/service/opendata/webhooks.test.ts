import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { fromBase64Url, importSm2PublicKeyPem, sm2Verify } from '../../platform/crypto/index.ts';
import {
  loadCheckpointSigner,
  sequenceWitnessEvents,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import { openLotForBidding } from '../../trading/bids/test-factory.ts';
import {
  DELIVERY_HEADERS,
  deliverWebhooks,
  deliverySigningText,
  projectOpenData,
  retryDelayMs,
} from './index.ts';
import { validateOcds } from './ocds/index.ts';

let p: TestPlatform;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let answer = 503;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString('utf8');
  });
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.statusCode = answer;
    res.end();
  });
});

beforeAll(async () => {
  p = await makeTestPlatform();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await p.close();
  await new Promise((resolve) => server.close(resolve));
});

const signer = () => loadCheckpointSigner(p.db as unknown as Kysely<WitnessTables>, p.clock);
const deliver = () => deliverWebhooks({ db: p.db, clock: p.clock, signer, publicUrl: null });

it('pushes new releases to a subscriber, SM2-signed, retries after a failure without losing its place', async () => {
  const operator = await p.as(await p.makeAccount(['operator']));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ggzy-hook`;
  // Only what is new from now on; only tender notices.
  const created = await operator.post('/api/admin/open-data/subscriptions', {
    name: '盟市数据中心',
    url,
    kinds: ['tender'],
  });
  expect(created.statusCode, created.body).toBe(201);
  const sub = created.json() as { id: string; deliveredSeq: number };

  const lot = await openLotForBidding(p, { bidders: 0 });
  await sequenceWitnessEvents(p.db);
  await projectOpenData({ db: p.db, sealer: p.sealer, clock: p.clock, ocidPrefix: 'ocds-ggzy15' });

  answer = 503;
  expect(await deliver()).toEqual({ delivered: 0, failed: 1 });
  let view = (await operator.get('/api/admin/open-data/subscriptions')).json() as {
    items: {
      id: string;
      deliveredSeq: number;
      failures: number;
      lastError: string | null;
      nextAttemptAt: string;
    }[];
  };
  let mine = view.items.find((s) => s.id === sub.id)!;
  expect(mine.deliveredSeq).toBe(sub.deliveredSeq);
  expect(mine.failures).toBe(1);
  expect(mine.lastError).toContain('503');
  // Not due again before its back-off.
  expect(await deliver()).toEqual({ delivered: 0, failed: 0 });

  p.clock.set(new Date(p.clock.now().getTime() + retryDelayMs(1)));
  answer = 200;
  expect(await deliver()).toEqual({ delivered: 1, failed: 0 });
  const delivery = received[received.length - 1]!;
  // The same releases twice (the failed attempt and the retry): the receiver dedupes by release id.
  const releasesOf = (body: string) => (JSON.parse(body) as { releases: unknown[] }).releases;
  expect(releasesOf(received[received.length - 2]!.body)).toEqual(releasesOf(delivery.body));

  const pkg = JSON.parse(delivery.body) as { releases: { ocid: string; tag: string[] }[] };
  expect(validateOcds('release-package', pkg).errors).toEqual([]);
  expect(pkg.releases.map((r) => r.ocid)).toContain(`ocds-ggzy15-${lot.lot.code}`);
  expect(pkg.releases.every((r) => r.tag.includes('tender'))).toBe(true);

  const key = await signer();
  const timestamp = String(delivery.headers[DELIVERY_HEADERS.timestamp]);
  const signature = fromBase64Url(String(delivery.headers[DELIVERY_HEADERS.signature]))!;
  expect(delivery.headers[DELIVERY_HEADERS.keyId]).toBe(key.keyId);
  const publicKey = importSm2PublicKeyPem(key.publicKeyPem);
  expect(sm2Verify(publicKey, deliverySigningText(timestamp, delivery.body), signature)).toBe(true);
  expect(sm2Verify(publicKey, deliverySigningText(timestamp, `${delivery.body} `), signature)).toBe(false);

  view = (await operator.get('/api/admin/open-data/subscriptions')).json() as typeof view;
  mine = view.items.find((s) => s.id === sub.id)!;
  expect(mine.deliveredSeq).toBe(Number(delivery.headers[DELIVERY_HEADERS.lastSeq]));
  expect(mine.failures).toBe(0);
  // Nothing new: nothing sent.
  const count = received.length;
  await deliver();
  expect(received.length).toBe(count);

  const attempts = await operator.get(`/api/admin/open-data/subscriptions/${sub.id}/attempts`);
  expect((attempts.json() as { items: { ok: boolean }[] }).items.map((a) => a.ok)).toEqual([true, false]);

  const disabled = await operator.put(`/api/admin/open-data/subscriptions/${sub.id}/status`, {
    status: 'disabled',
  });
  expect((disabled.json() as { statusNameZh: string }).statusNameZh).toBe('已停用');
});

it('refuses a bad subscription and anyone but the trading centre', async () => {
  const operator = await p.as(await p.makeAccount(['operator']));
  const ftp = await operator.post('/api/admin/open-data/subscriptions', {
    name: '甲',
    url: 'ftp://example.org/x',
  });
  expect(ftp.statusCode).toBe(400);
  const kind = await operator.post('/api/admin/open-data/subscriptions', {
    name: '甲',
    url: 'https://example.org/x',
    kinds: ['bids'],
  });
  expect(kind.statusCode).toBe(400);
  const bidder = await p.as(await p.makeAccount(['responder']));
  const refused = await bidder.post('/api/admin/open-data/subscriptions', {
    name: '甲',
    url: 'https://example.org/x',
  });
  expect(refused.statusCode).toBe(403);
  expect((await p.anonymous.get('/api/admin/open-data/subscriptions')).statusCode).toBe(401);
});
