import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN, sequenceWitnessEvents } from '../../platform/witness/index.ts';
import { openLotForBidding } from '../../trading/bids/test-factory.ts';
import { projectOpenData } from './index.ts';

let p: TestPlatform;

beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

const WRITERS = 8;
const PER_WRITER = 25;

/**
 * 8 writers commit public events at once (on PostgreSQL truly concurrently), two projectors follow the
 * log at the same time, and a reader pages through the feed while it grows: the reader must see every
 * record exactly once, in feed order, with no gap.
 */
it('a reader sees every record exactly once while 8 writers and 2 projectors run concurrently', async () => {
  const lot = await openLotForBidding(p, { bidders: 0 });
  const lotId = lot.lot.id;
  const deps = { db: p.db, sealer: p.sealer, clock: p.clock, ocidPrefix: 'ocds-ggzy15' };

  let writing = true;
  const seen: { seq: number; eventId: string }[] = [];
  let cursor: string | null = null;
  const readPage = async () => {
    const res = await p.anonymous.get(
      `/api/open/feed?limit=17&kind=opening${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as {
      items: { seq: number; lotId: string; releaseId: string }[];
      next: string;
      hasMore: boolean;
    };
    for (const item of page.items)
      if (item.lotId === lotId) seen.push({ seq: item.seq, eventId: item.releaseId });
    cursor = page.next;
    return page.hasMore;
  };
  // Start reading after everything already public (other tests' records are not this test's business).
  await sequenceWitnessEvents(p.db);
  await projectOpenData(deps);
  while (await readPage()) {}
  seen.length = 0;

  const writer = async (w: number) => {
    for (let i = 0; i < PER_WRITER; i++) {
      await p.db.transaction().execute(async (tx) => {
        await appendWitnessEvent(tx, p.clock.now(), SYSTEM_ORIGIN, {
          entityType: 'opening',
          entityId: lotId,
          action: 'opening.record-published',
          payload: { writer: w, i },
        });
      });
    }
  };
  const follower = async () => {
    while (writing) {
      await sequenceWitnessEvents(p.db);
      await projectOpenData(deps, { batchSize: 13 });
    }
  };
  // One reader: the cursor is the reader's own, as it is for a real client paging the feed.
  const reader = async () => {
    while (writing) await readPage();
  };
  const followers = [follower(), follower(), reader()];
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  writing = false;
  await Promise.all(followers);
  await sequenceWitnessEvents(p.db);
  await projectOpenData(deps);
  while (await readPage()) {}

  expect(seen).toHaveLength(WRITERS * PER_WRITER);
  expect(new Set(seen.map((s) => s.eventId)).size).toBe(WRITERS * PER_WRITER);
  // Nothing else was published meanwhile: consecutive numbers, in order.
  for (let k = 1; k < seen.length; k++) expect(seen[k]!.seq).toBe(seen[k - 1]!.seq + 1);
});
