import type { Kysely, Transaction } from 'kysely';
import type { JobTables } from './tables.ts';

export type OnceResult<T> = { done: true; value: T } | { done: false };

/**
 * Runs `effect` at most once per `key`, ever. Jobs run at least once — a worker can die after the effect
 * and before it records success, and the job then runs again — so a handler whose effect must not repeat
 * (a refund, a notice) wraps it here: the key and the effect commit in one transaction, and a second run
 * finds the key and does nothing. A concurrent second run waits on the first's uncommitted key.
 *
 *   await once(db, `deposit-refund:${bidId}`, (tx) => refundDeposit(tx, bidId));
 */
export async function once<DB extends JobTables, T>(
  db: Kysely<DB>,
  key: string,
  effect: (tx: Transaction<DB>) => Promise<T>,
): Promise<OnceResult<T>> {
  return db.transaction().execute(async (tx) => {
    // The generic DB includes JobTables; Kysely cannot see table names through a type parameter.
    const jobsTx = tx as unknown as Transaction<JobTables>;
    const claimed = await jobsTx
      .insertInto('job_once_keys')
      .values({ key })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return { done: false } as const;
    return { done: true, value: await effect(tx) } as const;
  });
}
