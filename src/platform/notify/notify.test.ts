import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../db/index.ts';
import { createNotifier, notify, notifyMany } from './index.ts';

/** Waits until `check` holds, polling the event loop (notifications arrive asynchronously). */
async function eventually(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function suite(name: string, open: () => Promise<[DatabaseHandle<unknown>, DatabaseHandle<unknown>]>) {
  describe(name, () => {
    let first: DatabaseHandle<unknown>;
    let second: DatabaseHandle<unknown>;
    beforeAll(async () => {
      [first, second] = await open();
    });
    afterAll(async () => {
      await first?.close();
      if (second !== first) await second?.close();
    });

    test('a notification reaches subscribers when its transaction commits, never when it rolls back', async () => {
      const notifier = createNotifier(second);
      const seen: unknown[] = [];
      const unsubscribe = await notifier.subscribe('ggzy_test_commit', { onMessage: (p) => seen.push(p) });
      await first.db.transaction().execute(async (tx) => {
        await notify(tx, 'ggzy_test_commit', { n: 1 });
        // Not before the commit.
        await new Promise((resolve) => setTimeout(resolve, 30));
        expect(seen).toEqual([]);
      });
      await eventually(() => seen.length === 1);
      expect(seen).toEqual([{ n: 1 }]);

      await expect(
        first.db.transaction().execute(async (tx) => {
          await notify(tx, 'ggzy_test_commit', { n: 2 });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await first.db.transaction().execute((tx) => notify(tx, 'ggzy_test_commit', { n: 3 }));
      await eventually(() => seen.length === 2);
      expect(seen).toEqual([{ n: 1 }, { n: 3 }]);

      await unsubscribe();
      await first.db.transaction().execute((tx) => notify(tx, 'ggzy_test_commit', { n: 4 }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toHaveLength(2);
      await notifier.close();
    });

    test('notifyMany sends several notifications with one statement, in order, at commit', async () => {
      const notifier = createNotifier(second);
      const seen: unknown[] = [];
      const unsubscribe = await notifier.subscribe('ggzy_test_many', { onMessage: (p) => seen.push(p) });
      await first.db.transaction().execute(async (tx) => {
        await notifyMany(tx, 'ggzy_test_many', [{ n: 1 }, { n: 2 }, { n: 3 }]);
        await new Promise((resolve) => setTimeout(resolve, 30));
        expect(seen).toEqual([]);
      });
      await eventually(() => seen.length === 3);
      expect(seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      await expect(
        first.db
          .transaction()
          .execute((tx) => notifyMany(tx, 'ggzy_test_many', [{ n: 4 }, { big: 'x'.repeat(5000) }])),
      ).rejects.toThrow(RangeError);
      await unsubscribe();
      await notifier.close();
    });

    test('every local subscriber of a channel hears it; other channels do not', async () => {
      const notifier = createNotifier(second);
      const a: unknown[] = [];
      const b: unknown[] = [];
      const c: unknown[] = [];
      await notifier.subscribe('ggzy_test_fan', { onMessage: (p) => a.push(p) });
      await notifier.subscribe('ggzy_test_fan', { onMessage: (p) => b.push(p) });
      await notifier.subscribe('ggzy_test_other', { onMessage: (p) => c.push(p) });
      await first.db.transaction().execute((tx) => notify(tx, 'ggzy_test_fan', 'x'));
      await eventually(() => a.length === 1 && b.length === 1);
      expect(c).toEqual([]);
      await notifier.close();
    });

    test('bad channel names and oversized payloads are refused', async () => {
      await expect(
        first.db.transaction().execute((tx) => notify(tx, 'x"; drop table y; --', {})),
      ).rejects.toThrow(RangeError);
      await expect(
        first.db.transaction().execute((tx) => notify(tx, 'ggzy_test_big', 'x'.repeat(10_000))),
      ).rejects.toThrow(RangeError);
    });
  });
}

suite('notify on the embedded database (PGlite)', async () => {
  const handle = await openDatabase<unknown>({ kind: 'pglite-memory' });
  return [handle, handle];
});

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  // Two handles = two app instances: the notification crosses from one pool to the other's LISTEN.
  suite('notify across two instances on PostgreSQL', async () => [
    await openDatabase<unknown>({ kind: 'postgres', url: databaseUrl }, { poolSize: 2 }),
    await openDatabase<unknown>({ kind: 'postgres', url: databaseUrl }, { poolSize: 2 }),
  ]);
}
