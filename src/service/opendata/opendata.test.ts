import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { sequenceWitnessEvents } from '../../platform/witness/index.ts';
import { openLotForBidding } from '../../trading/bids/test-factory.ts';
import { openedLot } from '../../trading/opening/test-factory.ts';
import { projectOpenData } from './index.ts';
import { validateOcds } from './ocds/index.ts';

let p: TestPlatform;
const PREFIX = 'ocds-ggzy15';

beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

/** What the background loops do: order the witness log, then follow it. */
async function catchUp() {
  await sequenceWitnessEvents(p.db);
  return projectOpenData({ db: p.db, sealer: p.sealer, clock: p.clock, ocidPrefix: PREFIX });
}

interface FeedItemView {
  seq: number;
  releaseId: string;
  ocid: string;
  lotId: string;
  kind: string;
  release: Record<string, unknown> & { tag: string[]; bids?: unknown; parties?: { roles: string[] }[] };
}

/** Every feed item from the start, page by page through the cursors. */
async function readWholeFeed(limit = 50): Promise<FeedItemView[]> {
  const items: FeedItemView[] = [];
  let cursor: string | null = null;
  for (;;) {
    const res = await p.anonymous.get(
      `/api/open/feed?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: FeedItemView[]; next: string; hasMore: boolean };
    items.push(...page.items);
    cursor = page.next;
    if (!page.hasMore) return items;
  }
}

describe('公开数据变更流 (open-data feed)', () => {
  it('publishes the tender without bidders, then the opening record with them — each release valid OCDS 1.1', async () => {
    const lot = await openLotForBidding(p, { bidders: 2 });
    await catchUp();
    const ocid = `${PREFIX}-${lot.lot.code}`;
    let mine = (await readWholeFeed()).filter((i) => i.ocid === ocid);
    expect(mine.map((i) => i.kind)).toEqual(['tender']);
    const tender = mine[0]!.release;
    expect(validateOcds('release', tender).errors).toEqual([]);
    // Before the opening nobody learns who is bidding: no bids, no tenderer party.
    expect(tender.bids).toBeUndefined();
    expect(JSON.stringify(tender)).not.toContain(lot.bidders[0]!.creditCode);
    expect((tender.parties ?? []).some((party) => party.roles.includes('tenderer'))).toBe(false);

    const opened = await openedLot(p, { bidders: 3 });
    await catchUp();
    const openedOcid = `${PREFIX}-${opened.lot.code}`;
    mine = (await readWholeFeed(7)).filter((i) => i.ocid === openedOcid);
    expect(mine.map((i) => i.kind)).toEqual(['tender', 'opening']);
    const opening = mine[1]!.release;
    expect(validateOcds('release', opening).errors).toEqual([]);
    const text = JSON.stringify(opening);
    for (const bidder of opened.bidders) expect(text).toContain(bidder.creditCode);
    expect(opening.bids).toBeDefined();

    // The process's record: both releases and the compiled release, a valid record package.
    const record = await p.anonymous.get(`/api/open/ocds/records/${openedOcid}`);
    expect(record.statusCode, record.body).toBe(200);
    expect(validateOcds('record-package', record.json()).errors).toEqual([]);
    const releases = await p.anonymous.get(`/api/open/ocds/processes/${openedOcid}/releases`);
    expect(validateOcds('release-package', releases.json()).errors).toEqual([]);
    expect((releases.json() as { releases: unknown[] }).releases).toHaveLength(2);
    // The packages name the ggzy extension; both of its documents are served.
    const extensions = (releases.json() as { extensions: string[] }).extensions;
    for (const url of extensions.filter((u) => u.includes('/extensions/ggzy/'))) {
      const ext = await p.anonymous.get(new URL(url).pathname);
      expect(ext.statusCode, url).toBe(200);
      const schemaUrl = (ext.json() as { schemas: string[] }).schemas?.[0] ?? 'release-schema.json';
      const schema = await p.anonymous.get(new URL(schemaUrl, url).pathname);
      expect(schema.statusCode, schemaUrl).toBe(200);
      expect(schema.json()).toHaveProperty('properties.ggzy');
    }
    expect(extensions.some((u) => u.includes('/extensions/ggzy/'))).toBe(true);

    // The bulk file: gzip JSON Lines, one compiled release per process (or every release), each valid.
    const bulk = await p.anonymous.get('/api/open/ocds/bulk.jsonl.gz');
    expect(bulk.statusCode).toBe(200);
    expect(bulk.headers['content-type']).toBe('application/gzip');
    const compiled = gunzipSync(bulk.rawPayload)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { ocid: string; tag: string[]; bids?: unknown });
    const mineCompiled = compiled.filter((c) => c.ocid === openedOcid);
    expect(mineCompiled).toHaveLength(1);
    expect(mineCompiled[0]!.tag).toEqual(['compiled']);
    expect(mineCompiled[0]!.bids).toBeDefined();
    for (const c of compiled) expect(validateOcds('release', c).errors).toEqual([]);
    const flat = await p.anonymous.get('/api/open/ocds/bulk.jsonl.gz?compiled=false');
    const lines = gunzipSync(flat.rawPayload).toString('utf8').trim().split('\n');
    expect(lines.filter((l) => l.includes(`"ocid":"${openedOcid}"`))).toHaveLength(2);

    // The feed as release packages, a page at a time, the next cursor in a header.
    const page = await p.anonymous.get('/api/open/ocds/releases?limit=1');
    expect(page.statusCode).toBe(200);
    expect(validateOcds('release-package', page.json()).errors).toEqual([]);
    const next = String(page.headers['x-ggzy-next-cursor']);
    const second = await p.anonymous.get(
      `/api/open/ocds/releases?limit=1&cursor=${encodeURIComponent(next)}`,
    );
    expect((second.json() as { releases: { id: string }[] }).releases[0]!.id).not.toBe(
      (page.json() as { releases: { id: string }[] }).releases[0]!.id,
    );
  });

  it('a second run of the projector publishes nothing twice', async () => {
    await catchUp();
    const before = await readWholeFeed(200);
    const again = await catchUp();
    expect(again.releases).toBe(0);
    const after = await readWholeFeed(200);
    expect(after.map((i) => i.releaseId)).toEqual(before.map((i) => i.releaseId));
    // Strictly increasing, no gap.
    const seqs = after.map((i) => i.seq);
    expect(seqs).toEqual(seqs.map((_, k) => seqs[0]! + k));
  });

  it('refuses a forged, a mangled and an expired cursor, and an unknown process', async () => {
    const first = await p.anonymous.get('/api/open/feed?limit=1');
    const next = (first.json() as { next: string }).next;
    const [body, mac] = next.split('.');
    const forgedBody = Buffer.from(JSON.stringify([0, Date.now()])).toString('base64url');
    for (const cursor of [`${forgedBody}.${mac}`, `${body}.AAAA`, 'not-a-cursor', `${body}`]) {
      const res = await p.anonymous.get(`/api/open/feed?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode).toBe(400);
      expect((res.json() as { code: string }).code).toBe('FEED_CURSOR_INVALID');
    }
    p.clock.set(new Date(p.clock.now().getTime() + 31 * 86_400_000));
    const expired = await p.anonymous.get(`/api/open/feed?cursor=${encodeURIComponent(next)}`);
    expect(expired.statusCode).toBe(400);
    expect((expired.json() as { code: string; title: string }).code).toBe('FEED_CURSOR_EXPIRED');

    const missing = await p.anonymous.get(`/api/open/ocds/records/${PREFIX}-E000000000000000000000000`);
    expect(missing.statusCode).toBe(404);
    const bad = await p.anonymous.get('/api/open/ocds/records/not-an-ocid');
    expect(bad.statusCode).toBe(400);
  });
});
