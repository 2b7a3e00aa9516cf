import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestClock } from '../clock/index.ts';
import { importSm2PublicKeyPem, sm2Verify } from '../crypto/index.ts';
import { AppError } from '../errors.ts';
import {
  appendWitnessEvent,
  type CheckpointSigner,
  checkpointText,
  createCheckpoint,
  getConsistencyProof,
  getInclusionProof,
  latestCheckpoint,
  leafBytes,
  listCheckpointPublicKeys,
  loadCheckpointSigner,
  SYSTEM_ORIGIN,
  sequenceWitnessEvents,
  verifyConsistency,
  verifyInclusion,
  verifyWitnessLog,
  type WitnessOrigin,
  type WitnessTables,
} from './index.ts';
import { LEAF_COLUMNS, LEAF_TAIL_SQL, type WitnessLeafRow } from './leaf.ts';
import { hashLeaf, MerkleFrontier, toHex } from './merkle.ts';
import { openWitnessTestDatabase, type WitnessTestDatabase } from './test-database.ts';

let database: WitnessTestDatabase;
let db: Kysely<WitnessTables>;
const clock = new TestClock('2026-03-02T01:00:00.000Z');
let signer: CheckpointSigner;

const bidder: WitnessOrigin = {
  accountId: 'acc-1',
  organizationId: 'org-1',
  role: 'responder',
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 投标工具',
  clientFingerprint: 'fp-1',
  requestId: 'req-1',
};

async function append(count: number, label = 'bid.submitted'): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    clock.advance(1000);
    const { id } = await db.transaction().execute((tx) =>
      appendWitnessEvent(tx, clock.now(), bidder, {
        entityType: 'bid',
        entityId: `bid-${i}`,
        action: label,
        payload: { amount: '1234.50', lot: `标段${i}` },
      }),
    );
    ids.push(id);
  }
  return ids;
}

beforeAll(async () => {
  database = await openWitnessTestDatabase();
  db = database.db;
  signer = await loadCheckpointSigner(db, clock);
});
afterAll(async () => {
  await database?.close();
});

describe('witness log', () => {
  test('the leaf format is pinned: every column, length-prefixed, times in microseconds', () => {
    const row = {
      id: 7,
      leaf_index: null,
      occurred_at_us: 1_772_413_200_000_000,
      created_at_us: 1_772_413_200_000_123,
      actor_account_id: 'a',
      actor_organization_id: null,
      actor_role: 'r',
      ip: null,
      user_agent: null,
      client_fingerprint: null,
      request_id: null,
      entity_type: 'bid',
      entity_id: '标',
      action: 'x',
      payload: '{}',
    };
    expect(toHex(leafBytes(row, 3))).toBe(
      [
        '01',
        '0000000000000003',
        '0000000000000007',
        '00064c001b2e6400',
        '00064c001b2e647b',
        '010000000161',
        '00',
        '010000000172',
        '00',
        '00',
        '00',
        '00',
        '0100000003626964',
        '0100000003e6a087',
        '010000000178',
        '01000000027b7d',
      ].join(''),
    );
  });

  test('an event can be proven only once sequenced and covered by a signed checkpoint', async () => {
    const [id] = await append(1, 'account.created');
    await expect(getInclusionProof(db, id!)).rejects.toMatchObject({
      status: 409,
      code: 'WITNESS_EVENT_NOT_SEQUENCED',
    });
    await sequenceWitnessEvents(db);
    await expect(getInclusionProof(db, id!)).rejects.toMatchObject({
      status: 409,
      code: 'WITNESS_EVENT_NOT_CHECKPOINTED',
    });
    expect(await createCheckpoint(db, clock, signer)).not.toBeNull();
    const proof = await getInclusionProof(db, id!);
    expect(proof.leafIndex).toBe(0);
    await expect(getInclusionProof(db, 999_999)).rejects.toBeInstanceOf(AppError);
    await expect(getInclusionProof(db, 999_999)).rejects.toMatchObject({ status: 404 });
  });

  test('sequencing gives contiguous leaf indices in id order, in batches, and stores hashes of the rows', async () => {
    const ids = await append(37);
    const result = await sequenceWitnessEvents(db, { batchSize: 10 });
    expect(result).toMatchObject({ sequenced: 37, treeSize: 38, busy: false });
    const rows = await db
      .selectFrom('witness_events')
      .select(['id', 'leaf_index'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.leaf_index)).toEqual(ids.map((_, i) => i + 1));
    expect(await sequenceWitnessEvents(db)).toMatchObject({ sequenced: 0, treeSize: 38 });
  });

  test('a second instance finds the sequencer busy and does nothing', async () => {
    await append(2);
    await db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ locked: boolean }>`
        select pg_try_advisory_xact_lock(${0x67677a79}::int4, hashtext(current_schema())) as locked`.execute(
        tx,
      );
      expect(rows[0]?.locked).toBe(true);
      if (database.kind === 'postgres') {
        // Only a real server has a second session to be refused; PGlite has one connection.
        expect(await sequenceWitnessEvents(db)).toMatchObject({ sequenced: 0, busy: true });
      }
    });
    expect(await sequenceWitnessEvents(db)).toMatchObject({ sequenced: 2, busy: false });
  });

  test('checkpoints are signed over the documented text with the platform key, only when the tree grew', async () => {
    const checkpoint = await createCheckpoint(db, clock, signer);
    expect(checkpoint?.treeSize).toBe(40);
    expect(await createCheckpoint(db, clock, signer)).toBeNull();
    const [key] = await listCheckpointPublicKeys(db);
    expect(key?.keyId).toBe(signer.keyId);
    const text = checkpointText(checkpoint!.treeSize, checkpoint!.rootHash, checkpoint!.issuedAt);
    expect(text).toBe(
      `ggzy-witness-checkpoint v1\n40\n${toHex(checkpoint!.rootHash)}\n${clock.now().toISOString()}\n`,
    );
    expect(sm2Verify(importSm2PublicKeyPem(key!.publicKeyPem), text, checkpoint!.signature)).toBe(true);
    // The key is generated once and reused.
    expect((await loadCheckpointSigner(db, clock)).keyId).toBe(signer.keyId);
  });

  test('every event has an inclusion proof to the latest checkpoint, and checkpoints are consistent', async () => {
    const older = (await latestCheckpoint(db))!;
    await append(25);
    await sequenceWitnessEvents(db);
    const newer = (await createCheckpoint(db, clock, signer))!;
    expect(newer.treeSize).toBe(65);

    const events = await db.selectFrom('witness_events').select(['id', 'leaf_index', 'leaf_hash']).execute();
    for (const event of events) {
      const proof = await getInclusionProof(db, event.id);
      expect(proof.checkpoint?.treeSize).toBe(65);
      expect(
        verifyInclusion({
          leafIndex: proof.leafIndex,
          treeSize: proof.treeSize,
          leafHash: proof.leafHash,
          inclusionPath: proof.inclusionPath,
          rootHash: newer.rootHash,
        }),
      ).toBe(true);
      // And the same event against the older checkpoint, when it was already in it.
      if (event.leaf_index! < older.treeSize) {
        const old = await getInclusionProof(db, event.id, { treeSize: older.treeSize });
        expect(old.checkpoint?.treeSize).toBe(older.treeSize);
        expect(verifyInclusion({ ...old, rootHash: older.rootHash })).toBe(true);
      }
    }

    for (const from of [1, 2, 7, 40, 64, 65]) {
      const { proof } = await getConsistencyProof(db, from, 65);
      const fromRoot = await rootOfFirstLeaves(from);
      expect(verifyConsistency({ fromSize: from, toSize: 65, fromRoot, toRoot: newer.rootHash, proof })).toBe(
        true,
      );
    }
    const { proof } = await getConsistencyProof(db, older.treeSize, newer.treeSize);
    expect(
      verifyConsistency({
        fromSize: older.treeSize,
        toSize: newer.treeSize,
        fromRoot: older.rootHash,
        toRoot: newer.rootHash,
        proof,
      }),
    ).toBe(true);
    await expect(getConsistencyProof(db, 10, 66)).rejects.toMatchObject({ status: 400 });
    await expect(getConsistencyProof(db, 10, 5)).rejects.toMatchObject({ status: 400 });
  });

  test('the leaf bytes PostgreSQL builds equal the TypeScript reference, for awkward rows too', async () => {
    // Written behind appendWitnessEvent's back so that every column can be odd: NULLs, empty strings,
    // astral characters, a time before 1970 and one with microseconds.
    await sql`insert into witness_events (occurred_at, created_at, actor_account_id, actor_organization_id, actor_role, ip,
        user_agent, client_fingerprint, request_id, entity_type, entity_id, action, payload)
      values
        ('1969-12-31 23:59:59.999999+00', '2026-03-02 09:00:00.123456+08', null, null, null, null, null, null, null, '', '', '', ''),
        ('2026-03-02 09:00:00.000001+08', now(), '账户😀', 'é', 'r', '::1', ${'x'.repeat(70_000)}, 'fp', 'req', 'bid', '标段①', 'a.b', '{"k":"\\u0000"}')`.execute(
      db,
    );
    await sequenceWitnessEvents(db);
    const { rows } = await sql<WitnessLeafRow & { tail: Uint8Array }>`
      select ${LEAF_COLUMNS}, ${LEAF_TAIL_SQL} as tail from witness_events order by leaf_index`.execute(db);
    expect(rows.length).toBeGreaterThan(40);
    for (const row of rows) {
      const reference = leafBytes(row, row.leaf_index!);
      const fromSql = Buffer.concat([Buffer.of(1), Buffer.from(reference.subarray(1, 9)), row.tail]);
      expect(toHex(fromSql)).toBe(toHex(reference));
      expect(toHex(hashLeaf(reference))).toBe(toHex(row.leaf_hash!));
    }
    expect(rows.at(-2)!.occurred_at_us).toBe(-1);
  });

  test('events appended concurrently all enter the tree exactly once', async () => {
    const before = (await sequenceWitnessEvents(db)).treeSize;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction().execute((tx) =>
          appendWitnessEvent(tx, clock.now(), SYSTEM_ORIGIN, {
            entityType: 'job',
            entityId: `j${i}`,
            action: 'job.ran',
          }),
        ),
      ),
    );
    const results = await Promise.all([
      sequenceWitnessEvents(db, { batchSize: 3 }),
      sequenceWitnessEvents(db, { batchSize: 3 }),
    ]);
    const after = await sequenceWitnessEvents(db);
    expect(results.reduce((sum, r) => sum + r.sequenced, 0) + after.sequenced).toBe(20);
    expect(after.treeSize).toBe(before + 20);
    await createCheckpoint(db, clock, signer);
    expect(await verifyWitnessLog(db)).toMatchObject({
      ok: true,
      eventsChecked: before + 20,
      checkpointsChecked: 4,
    });
  });
});

/** The root of the first `size` leaves, recomputed from the leaf hashes alone (not the stored nodes). */
async function rootOfFirstLeaves(size: number): Promise<Uint8Array> {
  const rows = await db
    .selectFrom('witness_events')
    .select('leaf_hash')
    .where('leaf_index', '<', size)
    .orderBy('leaf_index')
    .execute();
  const frontier = new MerkleFrontier();
  for (const row of rows) frontier.append(row.leaf_hash!);
  return frontier.root();
}
