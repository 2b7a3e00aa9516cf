import { type Kysely, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { TestClock } from '../clock/index.ts';
import { generateSm2KeyPair } from '../crypto/index.ts';
import {
  appendWitnessEvent,
  type CheckpointSigner,
  checkpointText,
  createCheckpoint,
  loadCheckpointSigner,
  sequenceWitnessEvents,
  signerFromPrivateKey,
  verifyWitnessLog,
  type WitnessTables,
} from './index.ts';
import { LEAF_COLUMNS, LeafEncoder, type WitnessLeafRow } from './leaf.ts';
import { MerkleFrontier } from './merkle.ts';
import { openWitnessTestDatabase, type WitnessTestDatabase } from './test-database.ts';

/**
 * Someone with write access to the database edits the log behind the platform's back; the verifier
 * must name what happened and where. Each test tampers, then the log is put back from a snapshot.
 */
let database: WitnessTestDatabase;
let db: Kysely<WitnessTables>;
let signer: CheckpointSigner;
const clock = new TestClock('2026-03-02T01:00:00.000Z');
const TABLES = [
  'platform_keys',
  'witness_events',
  'witness_nodes',
  'witness_tree_head',
  'witness_checkpoints',
];
const ids: number[] = [];

async function appendEvents(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    clock.advance(1500);
    const { id } = await db.transaction().execute((tx) =>
      appendWitnessEvent(
        tx,
        clock.now(),
        {
          accountId: `acc-${i % 7}`,
          organizationId: `org-${i % 3}`,
          role: 'responder',
          ip: `198.51.100.${i}`,
          userAgent: 'ggzy-bidder/1.0',
          clientFingerprint: null,
          requestId: `req-${i}`,
        },
        {
          entityType: 'bid',
          entityId: `bid-${i}`,
          action: 'bid.submitted',
          payload: { amount: `${1000 + i}.00` },
        },
      ),
    );
    ids.push(id);
  }
}

const leafRow = async (leafIndex: number) =>
  (
    await sql<WitnessLeafRow>`select ${LEAF_COLUMNS} from witness_events where leaf_index = ${leafIndex}`.execute(
      db,
    )
  ).rows[0]!;

/** What a careful attacker does after editing a row: makes its leaf hash match again. */
async function recomputeLeafHash(leafIndex: number): Promise<void> {
  const hash = new LeafEncoder().leafHash(await leafRow(leafIndex), leafIndex);
  await sql`update witness_events set leaf_hash = ${hash} where leaf_index = ${leafIndex}`.execute(db);
}

beforeAll(async () => {
  database = await openWitnessTestDatabase();
  db = database.db;
  signer = await loadCheckpointSigner(db, clock);
  await appendEvents(30);
  await sequenceWitnessEvents(db);
  await createCheckpoint(db, clock, signer);
  await appendEvents(30);
  await sequenceWitnessEvents(db, { batchSize: 7 });
  await createCheckpoint(db, clock, signer);
  for (const table of TABLES)
    await sql.raw(`create table snapshot_${table} as select * from ${table}`).execute(db);
});
afterEach(async () => {
  await sql.raw(`truncate ${TABLES.join(', ')}`).execute(db);
  for (const table of TABLES)
    await sql.raw(`insert into ${table} select * from snapshot_${table}`).execute(db);
});
afterAll(async () => {
  await database?.close();
});

describe('tampering with the witness log is caught', () => {
  test('the untouched log verifies, reporting progress', async () => {
    const progress: number[] = [];
    const report = await verifyWitnessLog(db, {
      batchSize: 16,
      onProgress: (p) => progress.push(p.eventsChecked),
    });
    expect(report).toEqual({ ok: true, eventsChecked: 60, checkpointsChecked: 2 });
    expect(progress).toEqual([16, 32, 48, 60]);
  });

  test('an edited payload is reported as altered, naming the leaf and the event', async () => {
    await sql`update witness_events set payload = '{"amount":"9999.00"}' where leaf_index = 17`.execute(db);
    const report = await verifyWitnessLog(db);
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'altered', leafIndex: 17, eventId: ids[17] });
    expect(report.firstProblem?.detail).toContain('被修改');
    expect(report.eventsChecked).toBe(17);
  });

  test('an edited IP address, or a time moved by one microsecond, is altered too', async () => {
    await sql`update witness_events set ip = '10.0.0.1' where leaf_index = 3`.execute(db);
    expect((await verifyWitnessLog(db)).firstProblem).toMatchObject({ kind: 'altered', leafIndex: 3 });
    await sql`update witness_events set ip = '198.51.100.3' where leaf_index = 3`.execute(db);
    expect((await verifyWitnessLog(db)).ok).toBe(true);
    await sql`update witness_events set occurred_at = occurred_at + interval '1 microsecond' where leaf_index = 44`.execute(
      db,
    );
    expect((await verifyWitnessLog(db)).firstProblem).toMatchObject({
      kind: 'altered',
      leafIndex: 44,
      eventId: ids[44],
    });
  });

  test('a deleted event is reported as deleted at its leaf index', async () => {
    await sql`delete from witness_events where leaf_index = 23`.execute(db);
    const report = await verifyWitnessLog(db);
    expect(report.firstProblem).toMatchObject({ kind: 'deleted', leafIndex: 23 });
    expect(report.firstProblem?.detail).toContain('被删除');
  });

  test('deleting the newest events and winding the tree head back is caught by the signed checkpoint', async () => {
    await sql`delete from witness_events where leaf_index >= 55`.execute(db);
    await sql`update witness_tree_head set tree_size = 55`.execute(db);
    expect((await verifyWitnessLog(db)).firstProblem).toMatchObject({ kind: 'deleted', leafIndex: 55 });
  });

  test('two events whose contents were swapped are caught', async () => {
    await sql`
      update witness_events as e set payload = o.payload, entity_id = o.entity_id, ip = o.ip, request_id = o.request_id
      from witness_events as o
      where (e.leaf_index, o.leaf_index) in ((10, 11), (11, 10))`.execute(db);
    expect((await verifyWitnessLog(db)).firstProblem).toMatchObject({
      kind: 'altered',
      leafIndex: 10,
      eventId: ids[10],
    });
  });

  test('two whole rows swapped in the order, leaf hashes and all, are caught', async () => {
    await sql`update witness_events set leaf_index = -1 where leaf_index = 33`.execute(db);
    await sql`update witness_events set leaf_index = 33 where leaf_index = 34`.execute(db);
    await sql`update witness_events set leaf_index = 34 where leaf_index = -1`.execute(db);
    expect((await verifyWitnessLog(db)).firstProblem).toMatchObject({
      kind: 'altered',
      leafIndex: 33,
      eventId: ids[34],
    });
  });

  test('an attacker who also recomputes the leaf hash is caught by the signed checkpoint', async () => {
    await sql`update witness_events set payload = '{"amount":"1.00"}' where leaf_index = 40`.execute(db);
    await recomputeLeafHash(40);
    const report = await verifyWitnessLog(db);
    expect(report.firstProblem).toMatchObject({ kind: 'checkpoint-mismatch', checkpointTreeSize: 60 });
    expect(report.checkpointsChecked).toBe(1); // the first checkpoint (30 leaves) still holds
  });

  test('an attacker who also rewrites the checkpoint root cannot make its signature verify', async () => {
    await sql`update witness_events set payload = '{"amount":"1.00"}' where leaf_index = 5`.execute(db);
    await recomputeLeafHash(5);
    const frontier = new MerkleFrontier();
    for (let i = 0; i < 30; i++) frontier.append((await leafRow(i)).leaf_hash!);
    await sql`update witness_checkpoints set root_hash = ${frontier.root()} where tree_size = 30`.execute(db);
    expect((await verifyWitnessLog(db)).firstProblem).toMatchObject({
      kind: 'bad-signature',
      checkpointTreeSize: 30,
    });
  });

  test('an attacker who swaps in a key of their own and re-signs is caught by an auditor holding the published key', async () => {
    await sql`update witness_events set payload = '{"amount":"1.00"}' where leaf_index = 5`.execute(db);
    await recomputeLeafHash(5);
    // Re-sign every checkpoint with a fresh key over roots recomputed from the edited rows.
    const forged = signerFromPrivateKey(generateSm2KeyPair());
    await sql`insert into platform_keys (id, purpose, private_key_pem, public_key_pem, created_at)
      values (${forged.keyId}, 'forged', '', ${forged.publicKeyPem}, now())`.execute(db);
    const frontier = new MerkleFrontier();
    for (let i = 0; i < 60; i++) {
      frontier.append((await leafRow(i)).leaf_hash!);
      if (i + 1 === 30 || i + 1 === 60) {
        const { rows } = await sql<{
          issued_at: Date;
        }>`select issued_at from witness_checkpoints where tree_size = ${i + 1}`.execute(db);
        const signature = forged.sign(
          Buffer.from(checkpointText(i + 1, frontier.root(), rows[0]!.issued_at)),
        );
        await sql`update witness_checkpoints set root_hash = ${frontier.root()}, signature = ${signature}, key_id = ${forged.keyId}
          where tree_size = ${i + 1}`.execute(db);
      }
    }
    await sql`update platform_keys set retired_at = now() where id = ${signer.keyId}`.execute(db);
    await sql`update platform_keys set purpose = 'witness-checkpoint' where id = ${forged.keyId}`.execute(db);
    // Trusting whatever key the database holds, the forgery passes …
    expect((await verifyWitnessLog(db)).ok).toBe(true);
    // … against the key the platform published, it does not.
    const report = await verifyWitnessLog(db, { trustedPublicKeysPem: [signer.publicKeyPem] });
    expect(report.firstProblem).toMatchObject({ kind: 'bad-signature', checkpointTreeSize: 30 });
  });
});
