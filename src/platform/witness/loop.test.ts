import { afterAll, beforeAll, expect, test } from 'vitest';
import { TestClock } from '../clock/index.ts';
import { openDatabase } from '../db/index.ts';
import {
  appendWitnessEvent,
  latestCheckpoint,
  SYSTEM_ORIGIN,
  startWitnessLoop,
  type WitnessTables,
} from './index.ts';
import { openWitnessTestDatabase, type WitnessTestDatabase } from './test-database.ts';

let database: WitnessTestDatabase;
const clock = new TestClock();

beforeAll(async () => {
  database = await openWitnessTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('the witness loop sequences new events and signs checkpoints until stopped', async () => {
  const { db } = database;
  const errors: unknown[] = [];
  const stop = startWitnessLoop(db, clock, {
    logger: { error: (details) => errors.push(details) },
    sequenceIntervalMs: 10,
    checkpointIntervalMs: 50,
  });
  try {
    for (let i = 0; i < 3; i++) {
      await db.transaction().execute((tx) =>
        appendWitnessEvent(tx, clock.now(), SYSTEM_ORIGIN, {
          entityType: 'job',
          entityId: `${i}`,
          action: 'job.ran',
        }),
      );
    }
    await until(async () => (await latestCheckpoint(db))?.treeSize === 3);
  } finally {
    await stop();
  }
  expect(errors).toEqual([]);
});

test('a failing run is logged and the loop keeps going; it never throws', async () => {
  // A database without the witness tables: every run fails.
  const empty = await openDatabase<WitnessTables>({ kind: 'pglite-memory' });
  const errors: string[] = [];
  const stop = startWitnessLoop(empty.db, clock, {
    logger: { error: (_details, message) => errors.push(message) },
    sequenceIntervalMs: 5,
  });
  try {
    await until(async () => errors.length >= 2);
  } finally {
    await stop();
    await empty.close();
  }
  expect(errors[0]).toContain('交易见证');
});
