import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildPlatform, type Platform } from '../main.ts';
import { SystemClock } from '../platform/clock/index.ts';
import { loadConfig } from '../platform/config/index.ts';
import { openDatabase } from '../platform/db/index.ts';
import { SYSTEM_ORIGIN } from '../platform/witness/index.ts';
import { checkCreditCode, findEntityOfOrganization } from '../service/entities/index.ts';
import type { AllTables } from '../tables.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './demo.ts';

// Its own empty database: seeding is about what an empty (or half-seeded) database becomes.
let platform: Platform;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-seed-'));
  platform = await buildPlatform({
    config: loadConfig({ GGZY_DATA_DIR: dataDir }),
    // Real time: the demo's documents go on offer a moment after the seed publishes the announcement.
    clock: new SystemClock(1),
    database: await openDatabase<AllTables>({ kind: 'pglite-memory' }),
    logger: false,
    webDir: null,
  });
});
afterAll(async () => {
  await platform.app.close();
  await platform.database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a seed interrupted half-way is completed on the next start, and a finished seed is never repeated', async () => {
  const deps = { ...platform, securityClock: platform.clock, dataDir };
  // What a start killed during seeding leaves behind: the first organisation and the first account.
  const ctx = { db: platform.db, clock: platform.clock, actor: null, origin: SYSTEM_ORIGIN };
  const org = await platform.identity.createOrganization(ctx, {
    name: '内蒙古自治区公共资源交易中心（演示）',
    creditCode: '12150000MB0000001C',
  });
  await platform.identity.createAccount(ctx, {
    username: DEMO_ACCOUNTS[0]!.username,
    displayName: DEMO_ACCOUNTS[0]!.displayName,
    password: 'Ggzy@2026',
    roles: [DEMO_ACCOUNTS[0]!.role],
    organizationId: org.id,
  });

  expect(await seedDemo(deps)).toBe(true);
  const accounts = await platform.db.selectFrom('accounts').select('username').execute();
  expect(accounts.map((a) => a.username).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort());
  const orgs = await platform.db.selectFrom('organizations').select('id').execute();
  expect(orgs).toHaveLength(10);
  for (const account of DEMO_ACCOUNTS) {
    expect(fs.existsSync(path.join(dataDir, 'certs', account.username, 'sign.cert.pem'))).toBe(true);
  }

  expect(await seedDemo(deps)).toBe(false);
  expect(await platform.db.selectFrom('accounts').select('id').execute()).toHaveLength(DEMO_ACCOUNTS.length);
});

test('the demo organisations are accepted market entities whose accounts hold their roles', async () => {
  for (const account of DEMO_ACCOUNTS.filter((a) => ['initiator', 'agency', 'responder'].includes(a.role))) {
    const row = await platform.db
      .selectFrom('accounts')
      .select(['roles', 'organization_id'])
      .where('username', '=', account.username)
      .executeTakeFirstOrThrow();
    expect(row.roles).toEqual([account.role]);
    const entity = await findEntityOfOrganization(platform.db, row.organization_id!);
    expect(entity).toMatchObject({ status: 'active', name: account.organization });
    expect(checkCreditCode(entity!.creditCode!).ok).toBe(true);
    expect(entity!.basicAccount.accountNumber).toMatch(/^\d{6,40}$/);
  }
});

test('the demo trading data: rooms, a received project with a published tender, a GP tender and one waiting for 受理', async () => {
  const rooms = await platform.db.selectFrom('venue_rooms').select(['code', 'capacity', 'kind']).execute();
  expect(rooms.map((r) => `${r.code} ${r.kind} ${r.capacity}`).sort()).toEqual([
    'KB-01 opening 60',
    'KB-02 opening 40',
    'PB-01 evaluation 15',
    'PB-02 evaluation 15',
  ]);

  const projects = await platform.db
    .selectFrom('projects')
    .select(['id', 'code', 'name', 'status'])
    .execute();
  expect(projects.map((p) => p.status).sort()).toEqual(['received', 'received', 'received', 'submitted']);
  for (const project of projects) expect(project.code).toHaveLength(17);

  // What the public sees: the two tender announcements (the tender one with markup as plain text) and the
  // school assets listing's 出让（转让）公告, published by the auction.
  const list = (await platform.app.inject({ method: 'GET', url: '/api/public/announcements' })).json() as {
    items: { id: string; kind: string; title: string }[];
  };
  expect(list.items.map((a) => a.kind).sort()).toEqual(['procurement', 'tender', 'transfer-notice']);
  expect(list.items.find((a) => a.kind === 'transfer-notice')?.title).toContain('挂牌出让公告');
  const tender = list.items.find((a) => a.kind === 'tender')!;
  expect(tender.title).toContain('教学楼');
  const detail = (
    await platform.app.inject({ method: 'GET', url: `/api/public/announcements/${tender.id}` })
  ).json() as { body: string; lotCode: string; timeline: { documentsFrom: string; openingAt: string } };
  expect(detail.body).toContain('<script>alert(1)</script>');

  // The timeline moves by itself: its deadline jobs are queued.
  const lot = await platform.db
    .selectFrom('lots')
    .select('id')
    .where('code', '=', detail.lotCode)
    .executeTakeFirstOrThrow();
  const ticks = await platform.db
    .selectFrom('jobs')
    .select('run_at')
    .where('type', '=', 'tenders.timeline-tick')
    .where(sql<boolean>`payload->>'lotId' = ${lot.id}`)
    .execute();
  expect(ticks.map((t) => t.run_at?.toISOString())).toContain(detail.timeline.openingAt);

  // The opening room is booked at the opening, and one bidder has obtained the documents.
  const booking = await platform.db
    .selectFrom('venue_bookings')
    .select(['starts_at', 'purpose'])
    .where('lot_id', '=', lot.id)
    .executeTakeFirstOrThrow();
  expect(booking).toMatchObject({ purpose: 'opening', starts_at: new Date(detail.timeline.openingAt) });
  const downloads = await platform.db
    .selectFrom('tender_downloads')
    .select('organization_name')
    .where('lot_id', '=', lot.id)
    .execute();
  expect(downloads.map((d) => d.organization_name)).toEqual(['内蒙古北疆建设工程有限公司（演示）']);

  // The tender allows the opening-key fallback, its key split 2-of-3; toubiao1 has paid its deposit
  // through the demo bank and may bid at once.
  const settings = (
    await platform.app.inject({
      method: 'GET',
      url: `/api/lots/${lot.id}/bid-settings`,
      headers: await bearer('toubiao1'),
    })
  ).json() as {
    allowFallback: boolean;
    openingKey: { threshold: number; custodians: { label: string }[] } | null;
  };
  expect(settings.allowFallback).toBe(true);
  expect(settings.openingKey?.threshold).toBe(2);
  expect(settings.openingKey?.custodians.map((c) => c.label)).toEqual([
    '交易中心',
    '行政监督部门',
    '招标代理机构',
  ]);
  const deposit = (
    await platform.app.inject({
      method: 'GET',
      url: `/api/lots/${lot.id}/my-deposit`,
      headers: await bearer('toubiao1'),
    })
  ).json() as { status: { satisfied: boolean; paidYuan: string } };
  expect(deposit.status).toMatchObject({ satisfied: true, paidYuan: '80000.00' });
});

async function bearer(username: string): Promise<Record<string, string>> {
  const res = await platform.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const cookie = res.headers['set-cookie'];
  const first = Array.isArray(cookie) ? (cookie[0] ?? '') : String(cookie);
  return { cookie: first.split(';')[0] ?? '' };
}
