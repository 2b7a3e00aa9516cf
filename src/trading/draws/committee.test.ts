import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { readOpeningOutcome } from '../opening/index.ts';
import { openedLot } from '../opening/test-factory.ts';
import { publishSystemAnnouncement } from '../tenders/index.ts';
import type { DrawsDb } from './context.ts';
import { readDrawnCommittee } from './index.ts';
import { drawnCommittee } from './test-factory.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

describe('what the opening and the draw hand to the evaluation', () => {
  test('the record entries after the opening; the committee names only from the reveal on', async () => {
    const lot = await openedLot(p, { bidders: 3, prices: ['980000.00', '1010000.50', '995000.00'] });
    const outcome = await readOpeningOutcome(p.db, lot.lot.id);
    expect(outcome?.state).toBe('closed');
    expect(outcome?.recordSm3).toMatch(/^[0-9a-f]{64}$/);
    // Each bidder's entry carries the price it sealed.
    const priceOf = new Map(outcome?.entries.map((e) => [e.organizationId, e.priceYuan]));
    expect(lot.bidders.map((b) => priceOf.get(b.organizationId))).toEqual([
      '980000.00',
      '1010000.50',
      '995000.00',
    ]);

    const deps = { db: p.db as unknown as Kysely<DrawsDb>, sealer: p.sealer };
    expect(await readDrawnCommittee(deps, lot.lot.id)).toBeNull();
    const committee = await drawnCommittee(p, lot, { regionCode: '150422', specialtyCode: 'A080101' });
    const read = await readDrawnCommittee(deps, lot.lot.id);
    expect(read?.revealed).toBe(true);
    expect(read?.members.map((m) => m.expertId).sort()).toEqual(
      committee.experts.map((e) => e.expertId).sort(),
    );
    expect(read?.members.every((m) => m.name.length > 0 && m.venueRole === 'host')).toBe(true);
    expect(committee.experts.every((e) => e.name.length > 0)).toBe(true);
  });

  test('a later stage publishes its announcement inside its own transaction, signed like any other', async () => {
    const lot = await openedLot(p, { bidders: 3 });
    const at = p.clock.now();
    const origin = {
      accountId: lot.agency.account.id,
      organizationId: null,
      role: 'agency',
      ip: null,
      userAgent: null,
      clientFingerprint: null,
      requestId: null,
    };
    const published = await p.db.transaction().execute((tx) =>
      publishSystemAnnouncement(tx, at, origin, lot.agency.account.id, {
        lotId: lot.lot.id,
        kind: 'candidates',
        title: '中标候选人公示',
        body: '第一中标候选人：某某建设有限公司',
      }),
    );
    const row = await p.db
      .selectFrom('announcements')
      .selectAll()
      .where('id', '=', published.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'published', kind: 'candidates', lot_id: lot.lot.id });
    expect(row.signature).toMatch(/^[0-9a-f]+$/);
    // A kind the procedure does not publish is refused, and nothing is written.
    const before = await p.db
      .selectFrom('announcements')
      .select('id')
      .where('lot_id', '=', lot.lot.id)
      .execute();
    await expect(
      p.db.transaction().execute((tx) =>
        publishSystemAnnouncement(tx, at, origin, lot.agency.account.id, {
          lotId: lot.lot.id,
          kind: 'contract',
          title: '合同公告',
          body: '合同',
        }),
      ),
    ).rejects.toMatchObject({ code: 'ANNOUNCEMENT_KIND_NOT_ALLOWED' });
    const after = await p.db
      .selectFrom('announcements')
      .select('id')
      .where('lot_id', '=', lot.lot.id)
      .execute();
    expect(after).toHaveLength(before.length);
  });
});
