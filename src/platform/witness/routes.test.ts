import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestClock } from '../clock/index.ts';
import { createHttpServer, type HttpServer } from '../http/index.ts';
import type { Actor } from '../identity/index.ts';
import {
  appendWitnessEvent,
  createCheckpoint,
  hashLeaf,
  loadCheckpointSigner,
  SYSTEM_ORIGIN,
  sequenceWitnessEvents,
  verifyConsistency,
  verifyInclusion,
} from './index.ts';
import { registerWitnessRoutes } from './routes.ts';
import { openWitnessTestDatabase, type WitnessTestDatabase } from './test-database.ts';

/** The public witness API, on a server composed here; bearer tokens name the caller's role. */
let database: WitnessTestDatabase;
let app: HttpServer;
const clock = new TestClock();
const ids: number[] = [];

const actorWithRole = (role: Actor['roles'][number]): Actor => ({
  accountId: `acc-${role}`,
  username: role,
  displayName: role,
  roles: [role],
  organizationId: null,
  organizationName: null,
  sessionId: `s-${role}`,
});

async function get(url: string, role?: 'auditor' | 'responder' | 'operator') {
  const res = await app.inject({
    method: 'GET',
    url,
    headers: role ? { authorization: `Bearer ${role}` } : {},
  });
  return { status: res.statusCode, body: res.json() };
}

const fromHex = (hex: string) => Buffer.from(hex, 'hex');

beforeAll(async () => {
  database = await openWitnessTestDatabase();
  const { db } = database;
  app = await createHttpServer({
    version: 'test',
    logLevel: 'silent',
    logger: false,
    bodyLimit: 1024 * 1024,
    authenticate: async (token) =>
      token === 'auditor' || token === 'responder' || token === 'operator'
        ? { ok: true, actor: actorWithRole(token) }
        : { ok: false, reason: 'unknown' },
    ping: () => Promise.resolve(),
    serverTime: () => clock.now(),
    timeScale: 1,
    webDir: null,
  });
  registerWitnessRoutes(app, { db });
  await app.ready();

  const signer = await loadCheckpointSigner(db, clock);
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      const { id } = await db.transaction().execute((tx) =>
        appendWitnessEvent(
          tx,
          clock.now(),
          {
            ...SYSTEM_ORIGIN,
            accountId: 'acc-9',
            organizationId: 'org-9',
            role: 'responder',
            ip: '192.0.2.9',
            userAgent: 'UA',
          },
          { entityType: 'bid', entityId: `bid-${round}-${i}`, action: 'bid.submitted', payload: { n: i } },
        ),
      );
      ids.push(id);
    }
    await sequenceWitnessEvents(db);
    await createCheckpoint(db, clock, signer);
  }
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('witness API (交易见证)', () => {
  test('the public feed pages by leaf index and shows what happened and when — not the content, not where from', async () => {
    const first = await get('/api/witness/events?limit=4');
    expect(first.status).toBe(200);
    expect(first.body.treeSize).toBe(10);
    expect(first.body.items.map((e: { leafIndex: number }) => e.leafIndex)).toEqual([0, 1, 2, 3]);
    expect(first.body.nextAfter).toBe(3);
    expect(first.body.items[0]).toMatchObject({ eventId: ids[0], leafIndex: 0, entityType: 'bid' });
    expect(first.body.items[0].leafHash).toMatch(/^[0-9a-f]{64}$/);
    // A payload may be confidential until a deadline (a price before the opening): not for the public.
    for (const hidden of ['payload', 'entityId', 'actorOrganizationId', 'origin']) {
      expect(first.body.items[0]).not.toHaveProperty(hidden);
    }
    expect(JSON.stringify(first.body)).not.toContain('192.0.2.9');

    const last = await get('/api/witness/events?after=7&limit=4');
    expect(last.body.items.map((e: { leafIndex: number }) => e.leafIndex)).toEqual([8, 9]);
    expect(last.body.nextAfter).toBeNull();
    const oneBid = await get('/api/witness/events?entityType=bid&entityId=bid-1-2');
    expect(oneBid.body.items).toHaveLength(1);
    // A bidder sees the public view too.
    const asBidder = (await get('/api/witness/events?limit=1', 'responder')).body.items[0];
    expect(asBidder).not.toHaveProperty('payload');
    expect(asBidder).not.toHaveProperty('origin');
  });

  test('交易中心 staff see who did what with which content, but not where from', async () => {
    const { body } = await get('/api/witness/events?limit=1', 'operator');
    expect(body.items[0]).toMatchObject({
      eventId: ids[0],
      actorRole: 'responder',
      actorOrganizationId: 'org-9',
      payload: { n: 0 },
    });
    expect(body.items[0]).not.toHaveProperty('origin');
  });

  test('an auditor also sees the origin and the leaf bytes, which hash to the leaf hash', async () => {
    const { body } = await get('/api/witness/events?limit=3', 'auditor');
    for (const event of body.items) {
      expect(event.origin).toMatchObject({ ip: '192.0.2.9', userAgent: 'UA', accountId: 'acc-9' });
      expect(Buffer.from(hashLeaf(Buffer.from(event.leafBytes, 'base64'))).toString('hex')).toBe(
        event.leafHash,
      );
    }
  });

  test('an inclusion proof from the API verifies against the signed checkpoint it comes with', async () => {
    const { status, body } = await get(`/api/witness/events/${ids[2]}/proof`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ eventId: ids[2], leafIndex: 2, treeSize: 10 });
    expect(body.checkpoint.treeSize).toBe(10);
    expect(
      verifyInclusion({
        leafIndex: body.leafIndex,
        treeSize: body.treeSize,
        leafHash: fromHex(body.leafHash),
        inclusionPath: body.inclusionPath.map(fromHex),
        rootHash: fromHex(body.checkpoint.rootHash),
      }),
    ).toBe(true);
    const older = await get(`/api/witness/events/${ids[2]}/proof?treeSize=5`);
    expect(older.body.checkpoint.treeSize).toBe(5);
  });

  test('a proof for an event not yet in the tree is a 409 with a Chinese explanation', async () => {
    const { id } = await database.db
      .transaction()
      .execute((tx) =>
        appendWitnessEvent(tx, clock.now(), SYSTEM_ORIGIN, { entityType: 'x', entityId: '1', action: 'x.y' }),
      );
    const { status, body } = await get(`/api/witness/events/${id}/proof`);
    expect(status).toBe(409);
    expect(body).toMatchObject({ code: 'WITNESS_EVENT_NOT_SEQUENCED', title: '见证事件尚未入树' });
    expect((await get('/api/witness/events/99999999/proof')).status).toBe(404);
    expect((await get('/api/witness/events/abc/proof')).status).toBe(400);
  });

  test('checkpoints are listed newest first, consistent with each other, and verify with openssl', async () => {
    const latest = await get('/api/witness/checkpoints/latest');
    expect(latest.body.treeSize).toBe(10);
    const list = await get('/api/witness/checkpoints?limit=1');
    expect(list.body.items[0].treeSize).toBe(10);
    expect(list.body.nextBefore).toBe(10);
    const rest = await get('/api/witness/checkpoints?before=10');
    expect(rest.body.items.map((c: { treeSize: number }) => c.treeSize)).toEqual([5]);
    expect(rest.body.nextBefore).toBeNull();

    const consistency = await get('/api/witness/consistency?from=5&to=10');
    expect(
      verifyConsistency({
        fromSize: 5,
        toSize: 10,
        fromRoot: fromHex(rest.body.items[0].rootHash),
        toRoot: fromHex(latest.body.rootHash),
        proof: consistency.body.proof.map(fromHex),
      }),
    ).toBe(true);
    expect((await get('/api/witness/consistency?from=5&to=11')).status).toBe(400);
    expect((await get('/api/witness/consistency?from=5')).status).toBe(400);

    // The recipe in docs/witness.md: the published key, the signed text, the signature, and openssl.
    const key = await get('/api/witness/public-key');
    expect(key.body.current).toMatchObject({ algorithm: 'SM2', hash: 'SM3', userId: '1234567812345678' });
    expect(key.body.current.keyId).toBe(latest.body.keyId);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-checkpoint-'));
    try {
      fs.writeFileSync(path.join(dir, 'key.pem'), key.body.current.publicKeyPem);
      fs.writeFileSync(path.join(dir, 'checkpoint.txt'), latest.body.signedText);
      fs.writeFileSync(path.join(dir, 'checkpoint.sig'), Buffer.from(latest.body.signature, 'base64'));
      const out = execFileSync(
        '/usr/bin/openssl',
        [
          'dgst',
          '-sm3',
          '-verify',
          'key.pem',
          '-sigopt',
          'distid:1234567812345678',
          '-signature',
          'checkpoint.sig',
          'checkpoint.txt',
        ],
        { cwd: dir },
      );
      expect(out.toString()).toContain('Verified OK');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
