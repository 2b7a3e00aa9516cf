/**
 * Child process for crash.test.ts: commits one organisation, then starts a transaction that writes
 * another organisation and its witness event, says so, and waits inside the transaction to be killed.
 */
import { sql } from 'kysely';
import { allMigrations } from '../../src/migrations.ts';
import { type DatabaseTarget, migrateToLatest, openDatabase } from '../../src/platform/db/index.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN } from '../../src/platform/witness/index.ts';
import type { AllTables } from '../../src/tables.ts';

const target = JSON.parse(process.argv[2]!) as DatabaseTarget;
const tag = process.argv[3]!;
const handle = await openDatabase<AllTables>(target, { poolSize: 2 });
await migrateToLatest(handle.db, allMigrations);

await handle.db.transaction().execute(async (tx) => {
  await tx
    .insertInto('organizations')
    .values({ id: `${tag}-kept`, name: `${tag} kept`, credit_code: null })
    .execute();
  await appendWitnessEvent(tx, new Date(), SYSTEM_ORIGIN, {
    entityType: 'organization',
    entityId: `${tag}-kept`,
    action: 'organization.created',
  });
});

await handle.db.transaction().execute(async (tx) => {
  await tx
    .insertInto('organizations')
    .values({ id: `${tag}-lost`, name: `${tag} lost`, credit_code: null })
    .execute();
  await appendWitnessEvent(tx, new Date(), SYSTEM_ORIGIN, {
    entityType: 'organization',
    entityId: `${tag}-lost`,
    action: 'organization.created',
  });
  // Make sure the rows really reached the server before we announce we are mid-transaction.
  await sql`select 1`.execute(tx);
  process.stdout.write('IN_TRANSACTION\n');
  await new Promise(() => {}); // wait here until killed
});
