import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ApiClient,
  makeTestPlatform,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import { uploadBlob } from '../../platform/blobs/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { CREDIT_CODE_CHARSET, composeCreditCode } from '../../service/entities/index.ts';
import { clarificationEffect, suggestTimeline } from '../procedures/index.ts';
import { makeAcceptedEntity, registerReceivedLot } from '../projects/test-factory.ts';
import { getLotTimeline, searchTermsOf } from './index.ts';

/**
 * The tender process through the real platform (makeTestPlatform): announcements, documents, the
 * deadline jobs, downloads and their secrecy, clarifications, objections, the portal and its search.
 * Every "Bad input" item of issue 4 that belongs to this module has a test here.
 */
const START = '2026-03-02T01:00:00.000Z'; // Monday 09:00 in Shanghai
const DAY = 86_400_000;
let p: TestPlatform;

beforeAll(async () => {
  // Sessions outlive the 40 days the clock travels here.
  p = await makeTestPlatform({
    GGZY_LOGIN_RATE_MAX: '100000',
    GGZY_REGISTRATION_RATE_MAX: '100000',
    GGZY_SESSION_HOURS: String(24 * 30),
  });
  p.clock.set(START);
});

afterAll(async () => {
  await p.close();
});

async function* chunks(bytes: Uint8Array) {
  yield bytes;
}

async function storeFile(text: string, contentType = 'application/pdf'): Promise<string> {
  const { blob } = await uploadBlob(
    { db: p.db, blobs: p.blobs, clock: p.clock },
    { source: chunks(Buffer.from(text, 'utf8')), maxBytes: 1_000_000, contentType, origin: SYSTEM_ORIGIN },
  );
  return blob.sha256;
}

type Lot = Awaited<ReturnType<typeof registerReceivedLot>>;

function lawfulTimeline(lot: Lot) {
  const t = suggestTimeline(lot.lot.procedureType, p.clock.now(), lot.lot.rulesAsOf);
  return {
    documentsFrom: t.documentsFrom.toISOString(),
    documentsUntil: t.documentsUntil.toISOString(),
    bidDeadline: t.bidDeadline.toISOString(),
    openingAt: t.openingAt.toISOString(),
  };
}

async function draft(client: ApiClient, lot: Lot, overrides: Record<string, unknown> = {}) {
  const res = await client.post(`/api/lots/${lot.lot.id}/announcements`, {
    kind: 'tender',
    title: `${lot.lot.projectName}施工招标公告`,
    body: '一、招标条件\n本招标项目已具备招标条件，现对该项目的施工进行公开招标。',
    timeline: lawfulTimeline(lot),
    ...overrides,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string };
}

async function uploadDocuments(client: ApiClient, lot: Lot) {
  const sha256 = await storeFile(`招标文件 ${uniqueName('doc')}`);
  const res = await client.post(`/api/lots/${lot.lot.id}/documents`, { sha256, filename: '招标文件.pdf' });
  expect(res.statusCode, res.body).toBe(201);
  return sha256;
}

async function publishedLot(opts: { withAgency?: boolean } = {}) {
  const lot = await registerReceivedLot(p, { procedureType: 'open-tender.works', ...opts });
  await uploadDocuments(lot.initiatorClient, lot);
  const announcement = await draft(lot.initiatorClient, lot);
  const res = await lot.initiatorClient.post(
    `/api/lots/${lot.lot.id}/announcements/${announcement.id}/publish`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return { lot, announcement: res.json() as { id: string; title: string; body: string; contentSm3: string } };
}

async function bidder() {
  return makeAcceptedEntity(p, ['bidder']);
}

async function statusOf(lotId: string) {
  return (await getLotTimeline(p.db, lotId))?.status;
}

describe('announcements', () => {
  test('a deposit above 2% of the estimate is blocked with its citation; 2% is published and signed', async () => {
    const lot = await registerReceivedLot(p, {
      procedureType: 'open-tender.works',
      estimateYuan: '5000000.00',
    });
    await uploadDocuments(lot.initiatorClient, lot);
    const a = await draft(lot.initiatorClient, lot, { depositYuan: '100000.01' });
    const check = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements/${a.id}/check`);
    expect(check.json().problems).toEqual([
      expect.objectContaining({ code: 'DEPOSIT_ABOVE_CAP', citation: expect.stringContaining('第二十六条') }),
    ]);
    const refused = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements/${a.id}/publish`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'DEPOSIT_ABOVE_CAP' });
    expect(await getLotTimeline(p.db, lot.lot.id)).toBeNull();

    const fixed = await lot.initiatorClient.put(`/api/lots/${lot.lot.id}/announcements/${a.id}`, {
      depositYuan: '100000',
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const published = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements/${a.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().depositYuan).toBe('100000.00');
    expect((await getLotTimeline(p.db, lot.lot.id))?.depositYuan).toBe('100000.00');
    const detail = await p.anonymous.get(`/api/public/announcements/${a.id}`);
    expect(JSON.parse(detail.json().canonicalJson).depositYuan).toBe('100000.00');
  });

  test('a bid deadline under 20 days after the documents is blocked with its citation, and nothing is set', async () => {
    const lot = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    await uploadDocuments(lot.initiatorClient, lot);
    const now = p.clock.now().getTime();
    const tooSoon = new Date(now + 10 * DAY).toISOString();
    const a = await draft(lot.initiatorClient, lot, {
      timeline: {
        documentsFrom: new Date(now).toISOString(),
        documentsUntil: new Date(now + 6 * DAY).toISOString(),
        bidDeadline: tooSoon,
        openingAt: tooSoon,
      },
    });
    const check = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements/${a.id}/check`);
    expect(check.statusCode).toBe(200);
    expect(check.json().ok).toBe(false);
    expect(check.json().problems.some((x: { citation?: string }) => x.citation?.includes('第二十四条'))).toBe(
      true,
    );

    const res = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements/${a.id}/publish`);
    expect(res.statusCode).toBe(409);
    expect(res.json().citation).toContain('第二十四条');
    expect(await getLotTimeline(p.db, lot.lot.id)).toBeNull();
    const after = await lot.initiatorClient.get(`/api/lots/${lot.lot.id}/announcements/${a.id}`);
    expect(after.json().status).toBe('draft');
  });

  test('a lot traded by 挂牌 gets no tender announcement: the tender path refuses it and names where it belongs', async () => {
    const lot = await registerReceivedLot(p, { procedureType: 'listing', catalogItemCode: '0301' });
    expect(lot.lot.procedureType).toBe('listing');
    const now = p.clock.now().getTime();
    const day = 86_400_000;
    for (const kind of ['tender', 'transfer-notice']) {
      const res = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements`, {
        kind,
        title: `${lot.lot.projectName}公告`,
        body: '一、交易条件',
        timeline: {
          documentsFrom: new Date(now + day).toISOString(),
          documentsUntil: new Date(now + 6 * day).toISOString(),
          bidDeadline: new Date(now + 25 * day).toISOString(),
          openingAt: new Date(now + 25 * day).toISOString(),
        },
      });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({
        code: 'LOT_TRADES_BY_AUCTION',
        title: '该标的以拍卖、挂牌或网络竞价方式交易',
      });
    }
    expect(await statusOf(lot.lot.id)).toBeUndefined();
  });

  test('a tender announcement cannot be published before the tender documents are uploaded', async () => {
    const lot = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const a = await draft(lot.initiatorClient, lot);
    const res = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements/${a.id}/publish`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'TENDER_DOCUMENTS_MISSING' });
    expect(res.json().citation).toContain('电子招标投标办法');
    expect(await getLotTimeline(p.db, lot.lot.id)).toBeNull();
  });

  test('an agency without an authorisation on record may not draft or publish for the lot', async () => {
    const lot = await registerReceivedLot(p, { procedureType: 'open-tender.works', withAgency: true });
    const stranger = await makeAcceptedEntity(p, ['tender_agency']);
    const res = await stranger.client.post(`/api/lots/${lot.lot.id}/announcements`, {
      kind: 'tender',
      title: '冒名招标公告',
      body: '正文',
      timeline: lawfulTimeline(lot),
    });
    expect(res.statusCode).toBe(403);
    expect(['AGENCY_NOT_AUTHORISED', 'NOT_PROJECT_PARTY']).toContain(res.json().code);
    // The authorised agency may.
    await uploadDocuments(lot.agencyClient!, lot);
    const a = await draft(lot.agencyClient!, lot);
    const published = await lot.agencyClient!.post(`/api/lots/${lot.lot.id}/announcements/${a.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
  });

  test('a published announcement is signed, immutable, shown on the portal and verifiable as a copy', async () => {
    const { lot, announcement } = await publishedLot();
    const edit = await lot.initiatorClient.put(`/api/lots/${lot.lot.id}/announcements/${announcement.id}`, {
      title: '改过的标题',
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json()).toMatchObject({ code: 'ANNOUNCEMENT_IMMUTABLE' });
    expect(edit.json().citation).toContain('第十六条');
    const republish = await lot.initiatorClient.post(
      `/api/lots/${lot.lot.id}/announcements/${announcement.id}/publish`,
    );
    expect(republish.statusCode).toBe(409);

    const detail = await p.anonymous.get(`/api/public/announcements/${announcement.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const body = detail.json();
    expect(body.title).toBe(announcement.title);
    expect(body.contentSm3).toMatch(/^[0-9a-f]{64}$/);
    expect(body.signature).toMatch(/^[0-9a-f]+$/);
    expect(body.timeline).not.toBeNull();

    // A copy re-typeset with other line breaks still matches; a changed one does not.
    const copy = `${announcement.title}\n\n${announcement.body.replaceAll('\n', '\r\n  ')}`;
    const ok = await p.anonymous.post('/api/public/announcements/verify', { text: copy });
    expect(ok.json()).toMatchObject({ matches: true, matchedBy: 'text', signatureValid: true });
    expect(ok.json().announcement.id).toBe(announcement.id);
    const byJson = await p.anonymous.post('/api/public/announcements/verify', {
      canonicalJson: body.canonicalJson,
    });
    expect(byJson.json()).toMatchObject({ matches: true, matchedBy: 'canonical-json', signatureValid: true });
    const bySm3 = await p.anonymous.post('/api/public/announcements/verify', { sm3: body.contentSm3 });
    expect(bySm3.json().matches).toBe(true);
    const forged = await p.anonymous.post('/api/public/announcements/verify', {
      text: copy.replace('公开招标', '邀请招标'),
    });
    expect(forged.json()).toMatchObject({ matches: false, announcement: null });
  });

  test('HTML and script in announcement text are kept as plain text, never as markup', async () => {
    const lot = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    await uploadDocuments(lot.initiatorClient, lot);
    const title = `<script>alert("x")</script>${uniqueName('标题')}`;
    const bodyText = '<img src=x onerror="alert(1)"> & <b>加粗</b>';
    const a = await draft(lot.initiatorClient, lot, { title, body: bodyText });
    await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements/${a.id}/publish`);
    const detail = await p.anonymous.get(`/api/public/announcements/${a.id}`);
    expect(detail.headers['content-type']).toContain('application/json');
    expect(detail.json().title).toBe(title);
    expect(detail.json().body).toBe(bodyText);
  });

  test('the portal lists only published announcements, filters them and finds one by a Chinese word inside a longer title', async () => {
    const lot = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    await uploadDocuments(lot.initiatorClient, lot);
    const marker = randomBytes(4).toString('hex');
    const title = `呼和浩特市第一中学教学楼改造工程施工招标公告 ${marker}`;
    const draftOnly = await draft(lot.initiatorClient, lot, { title: `${title} 草稿` });
    const lot2 = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    await uploadDocuments(lot2.initiatorClient, lot2);
    const a = await draft(lot2.initiatorClient, lot2, { title });
    await lot2.initiatorClient.post(`/api/lots/${lot2.lot.id}/announcements/${a.id}/publish`);

    const found = await p.anonymous.get(
      `/api/public/announcements?keyword=${encodeURIComponent(`教学楼 ${marker}`)}&region=150100&category=01`,
    );
    expect(found.statusCode, found.body).toBe(200);
    const ids = found.json().items.map((i: { id: string }) => i.id);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(draftOnly.id);
    const wrongRegion = await p.anonymous.get(
      `/api/public/announcements?keyword=${encodeURIComponent(`呼和浩特 ${marker}`)}&region=150200`,
    );
    expect(wrongRegion.json().items).toHaveLength(0);
    const missing = await p.anonymous.get(
      `/api/public/announcements?keyword=${encodeURIComponent(`图书馆 ${marker}`)}`,
    );
    expect(missing.json().items).toHaveLength(0);

    // Keyset pagination walks every page without repeats.
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let i = 0; i < 50; i += 1) {
      const page = await p.anonymous.get(
        `/api/public/announcements?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.statusCode, page.body).toBe(200);
      for (const item of page.json().items as { id: string }[]) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = page.json().nextCursor;
      if (!cursor) break;
    }
    expect(seen.has(a.id)).toBe(true);
  });
});

describe('keyword search paging', () => {
  test('pages through every match newest first, from the recent window and past it alike', async () => {
    const marker = `m${randomBytes(4).toString('hex')}`;
    const base = Date.parse('2026-06-01T00:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const id = `search-${marker}-${i}`;
      ids.push(id);
      const at = new Date(base + i * 60_000);
      await p.db
        .insertInto('announcements')
        .values({
          id,
          lot_id: `lot-${marker}`,
          lot_code: 'Z15010226060100010001001',
          lot_name: '一标段',
          project_name: '检索测试项目',
          procedure_type: 'open-tender.works',
          kind: 'tender',
          status: 'published',
          title: `检索测试 ${marker} ${i}`,
          body: '正文',
          documents_from: null,
          documents_until: null,
          bid_deadline: null,
          opening_at: null,
          deposit_yuan: null,
          attachments: '[]',
          linked_to: null,
          catalog_item_code: '0101',
          category_code: '01',
          region_code: '150102',
          initiator_organization_id: 'search-test',
          created_by: 'search-test',
          created_at: at,
          updated_at: at,
          published_at: at,
          published_by: 'search-test',
          canonical_json: '{}',
          content_sm3: 'a'.repeat(64),
          text_sm3: null,
          body_sm3: null,
          signature: 'test',
          key_id: 'test',
          search_terms: searchTermsOf(`检索测试 ${marker}`),
        })
        .execute();
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const res = await p.anonymous.get(
        `/api/public/announcements?keyword=${marker}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...(res.json().items as { id: string }[]).map((item) => item.id));
      cursor = res.json().nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([...ids].reverse());
  });
});

describe('the tender process', () => {
  test('jobs advance the timeline at the deadlines; downloads, objections, clarification and the secrecy of downloaders follow the law', async () => {
    p.clock.set(START);
    const { lot, announcement } = await publishedLot();
    const lotId = lot.lot.id;
    await p.jobs.runDueJobs();
    expect(await statusOf(lotId)).toBe('documents-open');
    const timeline0 = (await getLotTimeline(p.db, lotId))!;

    const a = await bidder();
    const b = await bidder();
    const c = await bidder();

    // Day 1: A obtains the documents; the download is recorded.
    p.clock.set(new Date(Date.parse(START) + 1 * DAY));
    const dl = await a.client.get(`/api/lots/${lotId}/documents/file`);
    expect(dl.statusCode, dl.body).toBe(200);
    expect(dl.body).toContain('招标文件');
    expect(dl.headers['content-disposition']).toContain('attachment');

    // Before the opening nobody — initiator, operator — learns who or how many downloaded.
    const secret = await lot.initiatorClient.get(`/api/lots/${lotId}/downloaders`);
    expect(secret.statusCode).toBe(409);
    expect(secret.json()).toMatchObject({ code: 'DOWNLOADERS_SECRET_UNTIL_OPENING' });
    expect(secret.json().citation).toContain('第二十二条');
    expect((await lot.operatorClient.get(`/api/lots/${lotId}/downloaders`)).statusCode).toBe(403);
    const docs = await lot.initiatorClient.get(`/api/lots/${lotId}/documents`);
    expect(JSON.stringify(docs.json())).not.toContain(a.name);

    // C has not obtained the documents: no objection to them.
    const noDocs = await c.client.post(`/api/lots/${lotId}/objections`, {
      content: '资格条件排斥潜在投标人',
    });
    expect(noDocs.statusCode).toBe(409);
    expect(noDocs.json().code).toBe('OBJECTION_REQUIRES_DOCUMENTS');

    // Day 3: A objects; the procedure is suspended.
    p.clock.set(new Date(Date.parse(START) + 3 * DAY));
    const objection = await a.client.post(`/api/lots/${lotId}/objections`, {
      content: '资格条件排斥潜在投标人',
    });
    expect(objection.statusCode, objection.body).toBe(201);
    expect((await getLotTimeline(p.db, lotId))!.suspended).toBe(true);
    const whileSuspended = await b.client.get(`/api/lots/${lotId}/documents/file`);
    expect(whileSuspended.statusCode).toBe(409);
    expect(whileSuspended.json().code).toBe('TENDER_SUSPENDED');

    // The documents period ends while suspended: the job does not advance the state.
    p.clock.set(new Date(timeline0.documentsUntil.getTime() + 60_000));
    await p.jobs.runDueJobs();
    expect(await statusOf(lotId)).toBe('documents-open');
    // The answer is overdue: flagged by a job, the initiator reminded.
    const listed = await lot.initiatorClient.get(`/api/lots/${lotId}/objections`);
    expect(listed.json().items[0]).toMatchObject({ status: 'pending', overdue: true });
    const reminders = await lot.initiatorClient.get('/api/my/tender-notifications');
    expect(reminders.json().items.map((n: { kind: string }) => n.kind)).toContain('objection-overdue');

    // The answer lifts the suspension; the missed deadline takes effect.
    const answer = await lot.initiatorClient.post(
      `/api/lots/${lotId}/objections/${objection.json().id}/answer`,
      { answer: '资格条件符合法律规定，不予修改。' },
    );
    expect(answer.statusCode, answer.body).toBe(200);
    expect((await getLotTimeline(p.db, lotId))!.suspended).toBe(false);
    await p.jobs.runDueJobs();
    expect(await statusOf(lotId)).toBe('documents-closed');

    // B never obtained the documents in time: refused with the citation.
    const late = await b.client.get(`/api/lots/${lotId}/documents/file`);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'DOCUMENTS_PERIOD_OVER' });
    expect(late.json().citation).toContain('第十六条');

    // Day 12: past the objection window (10 日 before the deadline).
    p.clock.set(new Date(Date.parse(START) + 12 * DAY));
    const tooLate = await a.client.post(`/api/lots/${lotId}/objections`, { content: '另一异议' });
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json()).toMatchObject({ code: 'OBJECTION_OUT_OF_WINDOW' });
    expect(tooLate.json().citation).toContain('第二十二条');

    // Day 12: an amendment that affects preparation leaves under 15 days: the deadline moves.
    const newDoc = await storeFile(`招标文件第二版 ${uniqueName('doc')}`);
    const clarified = await lot.initiatorClient.post(`/api/lots/${lotId}/clarifications`, {
      content: '修改技术规范第3.2条。',
      affectsPreparation: true,
      document: { sha256: newDoc, filename: '招标文件（修改）.pdf' },
    });
    expect(clarified.statusCode, clarified.body).toBe(201);
    expect(clarified.json()).toMatchObject({ postponed: true, documentVersion: 2 });
    const moved = (await getLotTimeline(p.db, lotId))!;
    expect(moved.bidDeadline.getTime()).toBeGreaterThan(timeline0.bidDeadline.getTime());
    expect(moved.bidDeadline.getTime() - p.clock.now().getTime()).toBeGreaterThanOrEqual(14 * DAY);
    expect(moved.openingAt.getTime()).toBeGreaterThanOrEqual(moved.bidDeadline.getTime());
    // A, who obtained the documents, is told; B is not.
    const told = await a.client.get('/api/my/tender-notifications');
    expect(told.json().items.map((n: { kind: string }) => n.kind)).toContain('clarification');
    const notTold = await b.client.get('/api/my/tender-notifications');
    expect(notTold.json().items.map((n: { kind: string }) => n.kind)).not.toContain('clarification');
    // The change announcement is public, linked to the original.
    const original = await p.anonymous.get(`/api/public/announcements/${announcement.id}`);
    expect(original.json().changes).toHaveLength(1);
    const change = await p.anonymous.get(`/api/public/announcements/${original.json().changes[0].id}`);
    expect(change.json().linkedTo.id).toBe(announcement.id);
    expect(change.json().body).toContain('顺延');
    // A, who obtained the documents in time, fetches the amended version.
    const v2 = await a.client.get(`/api/lots/${lotId}/documents/file`);
    expect(v2.statusCode).toBe(200);
    expect(v2.body).toContain('第二版');

    // The old deadline passes: nothing happens; the new one closes the bids; the opening opens.
    p.clock.set(new Date(timeline0.bidDeadline.getTime() + 60_000));
    await p.jobs.runDueJobs();
    expect(await statusOf(lotId)).toBe('documents-closed');
    p.clock.set(new Date(moved.bidDeadline.getTime() + 1));
    await p.jobs.runDueJobs();
    expect(['bids-closed', 'opening']).toContain(await statusOf(lotId));
    p.clock.set(new Date(moved.openingAt.getTime() + 1));
    await p.jobs.runDueJobs();
    expect(await statusOf(lotId)).toBe('opening');

    // From the opening on the initiator sees who obtained the documents.
    const revealed = await lot.initiatorClient.get(`/api/lots/${lotId}/downloaders`);
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json().count).toBe(1);
    expect(revealed.json().items[0].organizationName).toBe(a.name);
  });

  test('a postponement whose new opening time finds the room taken rolls back entirely', async () => {
    p.clock.set(START);
    const { lot } = await publishedLot();
    const lotId = lot.lot.id;
    const timeline = (await getLotTimeline(p.db, lotId))!;
    const room = await lot.operatorClient.post('/api/admin/venues/rooms', {
      code: `KB-${randomBytes(3).toString('hex').toUpperCase()}`,
      name: '开标室',
      kind: 'opening',
      capacity: 30,
      platformCode: 'P1500000001',
      location: '交易中心三楼',
    });
    expect(room.statusCode, room.body).toBe(201);
    const roomId = room.json().id as string;
    const book = (client: ApiClient, id: string, startsAt: Date) =>
      client.post(`/api/lots/${id}/venue-bookings`, {
        roomId,
        purpose: 'opening',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      });
    const ours = await book(lot.initiatorClient, lotId, timeline.openingAt);
    expect(ours.statusCode, ours.body).toBe(201);

    // Day 12: a clarification would postpone the opening to a day on which another lot holds the room.
    p.clock.set(new Date(Date.parse(START) + 12 * DAY));
    const other = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const bookingsBefore = await lot.initiatorClient.get(`/api/lots/${lotId}/venue-bookings`);
    // Where the law moves the deadline (and the opening with it), the other lot holds the room.
    const effect = clarificationEffect(
      lot.lot.procedureType,
      { issuedAt: p.clock.now(), bidDeadline: timeline.bidDeadline, affectsPreparation: true },
      lot.lot.rulesAsOf,
    );
    expect(effect.postponeTo).not.toBeNull();
    const landing = new Date(
      timeline.openingAt.getTime() + (effect.postponeTo!.getTime() - timeline.bidDeadline.getTime()),
    );
    const taken = await book(other.initiatorClient, other.lot.id, landing);
    expect(taken.statusCode, taken.body).toBe(201);
    const res = await lot.initiatorClient.post(`/api/lots/${lotId}/clarifications`, {
      content: '修改工程量清单。',
      affectsPreparation: true,
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'VENUE_DOUBLE_BOOKED' });
    // Nothing moved: the timeline, the booking, no clarification, no change announcement.
    const after = (await getLotTimeline(p.db, lotId))!;
    expect(after.bidDeadline.getTime()).toBe(timeline.bidDeadline.getTime());
    const clarifications = await lot.initiatorClient.get(`/api/lots/${lotId}/clarifications`);
    expect(clarifications.json().items).toHaveLength(0);
    const bookingsAfter = await lot.initiatorClient.get(`/api/lots/${lotId}/venue-bookings`);
    expect(bookingsAfter.json()).toEqual(bookingsBefore.json());
  });

  test('a postponement moves the opening and evaluation rooms by the same shift, keeping their length', async () => {
    p.clock.set(START);
    const { lot } = await publishedLot();
    const lotId = lot.lot.id;
    const timeline = (await getLotTimeline(p.db, lotId))!;
    const room = async (kind: 'opening' | 'evaluation') => {
      const res = await lot.operatorClient.post('/api/admin/venues/rooms', {
        code: `${kind === 'opening' ? 'KB' : 'PB'}-${randomBytes(3).toString('hex').toUpperCase()}`,
        name: kind === 'opening' ? '开标室' : '评标室',
        kind,
        capacity: 20,
        platformCode: 'P1500000001',
        location: '交易中心三楼',
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const HOUR = 3_600_000;
    const opening = {
      startsAt: timeline.openingAt,
      endsAt: new Date(timeline.openingAt.getTime() + 1.5 * HOUR),
    };
    const evaluation = {
      startsAt: new Date(timeline.openingAt.getTime() + 3 * HOUR),
      endsAt: new Date(timeline.openingAt.getTime() + 8 * HOUR),
    };
    for (const [purpose, period] of [
      ['opening', opening],
      ['evaluation', evaluation],
    ] as const) {
      const res = await lot.initiatorClient.post(`/api/lots/${lotId}/venue-bookings`, {
        roomId: await room(purpose),
        purpose,
        startsAt: period.startsAt.toISOString(),
        endsAt: period.endsAt.toISOString(),
      });
      expect(res.statusCode, res.body).toBe(201);
    }

    p.clock.set(new Date(Date.parse(START) + 12 * DAY));
    const res = await lot.initiatorClient.post(`/api/lots/${lotId}/clarifications`, {
      content: '修改技术标准。',
      affectsPreparation: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const moved = (await getLotTimeline(p.db, lotId))!;
    const shift = moved.bidDeadline.getTime() - timeline.bidDeadline.getTime();
    expect(shift).toBeGreaterThan(0);
    const bookings = (await lot.initiatorClient.get(`/api/lots/${lotId}/venue-bookings`)).json() as {
      items: { purpose: string; startsAt: string; endsAt: string; status: string }[];
    };
    const active = bookings.items.filter((b) => b.status === 'booked');
    const find = (purpose: string) => active.find((b) => b.purpose === purpose)!;
    expect(Date.parse(find('opening').startsAt)).toBe(moved.openingAt.getTime());
    expect(Date.parse(find('opening').endsAt)).toBe(opening.endsAt.getTime() + shift);
    expect(Date.parse(find('evaluation').startsAt)).toBe(evaluation.startsAt.getTime() + shift);
    expect(Date.parse(find('evaluation').endsAt)).toBe(evaluation.endsAt.getTime() + shift);
  });

  test('a termination announcement ends the procedure and the jobs leave it ended', async () => {
    p.clock.set(START);
    const { lot, announcement } = await publishedLot();
    const t = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements`, {
      kind: 'termination',
      title: '终止公告',
      body: '因项目资金原因，终止本次招标。',
      linkedTo: announcement.id,
    });
    expect(t.statusCode, t.body).toBe(201);
    const res = await lot.initiatorClient.post(
      `/api/lots/${lot.lot.id}/announcements/${t.json().id}/publish`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(await statusOf(lot.lot.id)).toBe('terminated');
    p.clock.set(new Date(Date.parse(START) + 40 * DAY));
    await p.jobs.runDueJobs();
    expect(await statusOf(lot.lot.id)).toBe('terminated');
  });
});

describe('邀请招标: only the invitees of the 投标邀请书 take part', () => {
  type InvitedType = 'invited-tender.works' | 'invited-tender.gp';

  async function invitedLot(procedureType: InvitedType = 'invited-tender.works') {
    const lot = await registerReceivedLot(p, { procedureType });
    await uploadDocuments(lot.initiatorClient, lot);
    return lot;
  }

  type InvitedLot = Awaited<ReturnType<typeof invitedLot>>;

  function invitation(lot: InvitedLot, invitees: string[]) {
    return lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements`, {
      kind: 'invitation',
      title: `${lot.lot.projectName}投标邀请书`,
      body: '贵单位：本项目采用邀请招标，诚邀贵单位参加投标。',
      timeline: lawfulTimeline(lot),
      invitees,
    });
  }

  async function announcementsOf(lot: InvitedLot) {
    return (await lot.initiatorClient.get(`/api/lots/${lot.lot.id}/announcements`)).json().items as unknown[];
  }

  /** A well-formed 统一社会信用代码 that no one on the platform holds. */
  function unregisteredCreditCode(): string {
    const body = [...randomBytes(8)].map((b) => CREDIT_CODE_CHARSET[b % CREDIT_CODE_CHARSET.length]).join('');
    return composeCreditCode({ authority: '9', category: '1', regionCode: '150102', organizationBody: body });
  }

  test('an invitation to fewer than three organisations is refused with the law, and nothing is drafted', async () => {
    p.clock.set(START);
    const lot = await invitedLot();
    const [a, b] = [await bidder(), await bidder()];
    const two = await invitation(lot, [a.creditCode, b.creditCode, ` ${a.creditCode.toLowerCase()} `]);
    expect(two.statusCode, two.body).toBe(409);
    expect(two.json()).toMatchObject({ code: 'INVITEES_TOO_FEW' });
    expect(two.json().citation).toContain('招标投标法》第十七条');
    const none = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements`, {
      kind: 'invitation',
      title: '投标邀请书',
      body: '正文',
      timeline: lawfulTimeline(lot),
    });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('INVITEES_TOO_FEW');
    expect(await announcementsOf(lot)).toHaveLength(0);

    const gp = await invitedLot('invited-tender.gp');
    const suppliers = [await makeAcceptedEntity(p, ['supplier']), await makeAcceptedEntity(p, ['supplier'])];
    const refused = await invitation(
      gp,
      suppliers.map((s) => s.creditCode),
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json().citation).toContain('第十四条');
  });

  test('an unknown, malformed or non-bidder credit code is refused, naming the code', async () => {
    p.clock.set(START);
    const lot = await invitedLot();
    const [a, b] = [await bidder(), await bidder()];
    const unknown = unregisteredCreditCode();
    const res = await invitation(lot, [a.creditCode, b.creditCode, unknown]);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'INVITEE_NOT_REGISTERED', creditCode: unknown });
    expect(res.json().detail).toContain(unknown);

    const malformed = `${unknown.slice(0, 17)}${unknown.endsWith('0') ? '1' : '0'}`;
    const bad = await invitation(lot, [a.creditCode, b.creditCode, malformed]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVITEE_CREDIT_CODE_INVALID' });
    expect(bad.json().detail).toContain(malformed);

    const agency = await makeAcceptedEntity(p, ['tender_agency']);
    const notBidder = await invitation(lot, [a.creditCode, b.creditCode, agency.creditCode]);
    expect(notBidder.statusCode).toBe(409);
    expect(notBidder.json()).toMatchObject({ code: 'INVITEE_NOT_BIDDER' });
    expect(notBidder.json().detail).toContain(agency.creditCode);
    expect(await announcementsOf(lot)).toHaveLength(0);
  });

  test('invitees are notified and find the lot; only they obtain the documents or object; the initiator sees whom it invited', async () => {
    p.clock.set(START);
    const lot = await invitedLot();
    const lotId = lot.lot.id;
    const invitees = [await bidder(), await bidder(), await bidder()];
    const outsider = await bidder();
    const drafted = await invitation(
      lot,
      invitees.map((i) => i.creditCode),
    );
    expect(drafted.statusCode, drafted.body).toBe(201);
    expect(drafted.json().invitees).toEqual(invitees.map((i) => i.creditCode));
    const published = await lot.initiatorClient.post(
      `/api/lots/${lotId}/announcements/${drafted.json().id}/publish`,
    );
    expect(published.statusCode, published.body).toBe(200);
    await p.jobs.runDueJobs();
    expect(await statusOf(lotId)).toBe('documents-open');

    // Each invitee is told, and finds the lot among its invitations; the outsider neither.
    for (const invitee of invitees) {
      const notices = (await invitee.client.get('/api/my/tender-notifications')).json().items as {
        kind: string;
        lotId: string;
      }[];
      expect(notices).toContainEqual(expect.objectContaining({ kind: 'invitation', lotId }));
    }
    const mine = await invitees[0]!.client.get('/api/my/invitations');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items).toContainEqual(
      expect.objectContaining({
        lotId,
        lotCode: lot.lot.code,
        title: `${lot.lot.projectName}投标邀请书`,
        timeline: expect.objectContaining({ lotId, status: 'documents-open' }),
      }),
    );
    const outsiderNotices = (await outsider.client.get('/api/my/tender-notifications')).json().items as {
      lotId: string;
    }[];
    expect(outsiderNotices.map((n) => n.lotId)).not.toContain(lotId);
    const outsiderInvitations = await outsider.client.get('/api/my/invitations');
    expect(outsiderInvitations.statusCode).toBe(200);
    expect(outsiderInvitations.json().items.map((i: { lotId: string }) => i.lotId)).not.toContain(lotId);

    // Day 1: an invitee obtains the documents during the period.
    p.clock.set(new Date(Date.parse(START) + 1 * DAY));
    const dl = await invitees[0]!.client.get(`/api/lots/${lotId}/documents/file`);
    expect(dl.statusCode, dl.body).toBe(200);
    expect(dl.body).toContain('招标文件');

    // The outsider is refused with the law — documents, their list, clarifications, objections — and
    // nothing of it is recorded.
    for (const path of ['/documents/file', '/documents', '/clarifications']) {
      const refused = await outsider.client.get(`/api/lots/${lotId}${path}`);
      expect(refused.statusCode, path).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'NOT_INVITED' });
      expect(refused.json().citation).toContain('第十七条');
    }
    const objection = await outsider.client.post(`/api/lots/${lotId}/objections`, {
      content: '应当公开招标',
    });
    expect(objection.statusCode).toBe(403);
    expect(objection.json().code).toBe('NOT_INVITED');
    const outsiderOrg = outsider.account.organizationId!;
    const recorded = await p.db
      .selectFrom('tender_downloads')
      .select('id')
      .where('lot_id', '=', lotId)
      .where('organization_id', '=', outsiderOrg)
      .execute();
    expect(recorded).toHaveLength(0);
    const objections = await p.db
      .selectFrom('tender_objections')
      .select('id')
      .where('lot_id', '=', lotId)
      .execute();
    expect(objections).toHaveLength(0);
    expect((await getLotTimeline(p.db, lotId))!.suspended).toBe(false);

    // The initiator sees whom it invited — but who downloaded stays secret until the opening.
    const invited = await lot.initiatorClient.get(`/api/lots/${lotId}/invitations`);
    expect(invited.statusCode, invited.body).toBe(200);
    expect(
      invited
        .json()
        .items.map((i: { creditCode: string }) => i.creditCode)
        .sort(),
    ).toEqual(invitees.map((i) => i.creditCode).sort());
    expect(invited.json().items.map((i: { organizationName: string }) => i.organizationName)).toContain(
      invitees[0]!.name,
    );
    const secret = await lot.initiatorClient.get(`/api/lots/${lotId}/downloaders`);
    expect(secret.statusCode).toBe(409);
    expect(secret.json().code).toBe('DOWNLOADERS_SECRET_UNTIL_OPENING');
    expect((await outsider.client.get(`/api/lots/${lotId}/invitations`)).statusCode).toBe(403);

    // The invitation is not on the portal.
    const portal = await p.anonymous.get(`/api/public/announcements/${drafted.json().id}`);
    expect(portal.statusCode).toBe(404);

    // A termination tells every invitee, also those that never obtained the documents (条例第三十一条).
    const ended = await lot.initiatorClient.post(`/api/lots/${lotId}/announcements`, {
      kind: 'termination',
      title: '终止公告',
      body: '因项目调整，终止本次招标。',
      linkedTo: drafted.json().id,
    });
    expect(ended.statusCode, ended.body).toBe(201);
    const terminated = await lot.initiatorClient.post(
      `/api/lots/${lotId}/announcements/${ended.json().id}/publish`,
    );
    expect(terminated.statusCode, terminated.body).toBe(200);
    const told = (await invitees[2]!.client.get('/api/my/tender-notifications')).json().items as {
      kind: string;
    }[];
    expect(told.map((n) => n.kind)).toContain('termination');
  });
});
