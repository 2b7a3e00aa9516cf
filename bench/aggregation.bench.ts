/**
 * Aggregation port bench (统一交易数据汇总端口, §31): `npm run bench aggregation`.
 *
 * A registered third-party system pushes the data-specification records of PROCESSES tender processes
 * (11 records each: PROJECT … CONTRACT_PERFORMANCE) in calls of 1,000 records, each call SM2-signed and
 * sent through the real route with `app.inject` (Fastify's in-process HTTP: routing, body parsing,
 * signature and nonce check, per-record validation, idempotent storage, the statistics fold and the
 * witness event — everything but the socket). Target: ≥ 2,000 records/s validated and stored.
 * Baseline, in the same run on the same database: plain multi-row INSERTs of the same rows into a table
 * shaped like interface_records (no validation, no signature, no fold, no witness).
 *
 * DATABASE_URL=postgres://…: PostgreSQL (use a database of its own, e.g. ggzy_bench_agg); else the
 * embedded PGlite in a temporary directory. PROCESSES (default 2,000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../src/platform/config/index.ts';
import {
  dataspecRecordsOf,
  platformCodesOf,
  recordKeyOf,
  validateRecord,
} from '../src/service/dataspec/index.ts';
import { makeSystemCredentials, systemHeaders } from '../src/service/interfaces/test-factory.ts';
import { sampleSnapshot } from '../src/service/opendata/test-factory.ts';
import { makeDiskPlatform } from '../test/support/platform.ts';
import { fmt } from './support.ts';

const PROCESSES = Number(process.env.PROCESSES ?? 2000);
const BATCH = 1000;
const DATABASE_URL = process.env.DATABASE_URL ?? '';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-bench-agg-'));
const database = DATABASE_URL
  ? `PostgreSQL (${DATABASE_URL.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')})`
  : 'PGlite';

console.log(
  `aggregation port: ${PROCESSES} processes, calls of ${BATCH} records, ${database}, via app.inject`,
);

const platform = await makeDiskPlatform(dataDir, { DATABASE_URL });
try {
  const operator = await platform.as(await platform.makeAccount(['operator']));
  const code = `T150102${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  const added = await operator.post('/api/admin/catalogs/platforms', {
    code,
    name: `压测第三方交易系统${code}`,
    kind: 'third-party',
    regionCode: '150102',
    website: null,
    operatorName: '压测运营公司',
    certification: '压测',
  });
  if (added.statusCode !== 201) throw new Error(`platform catalog: ${added.body}`);
  const { key, certificatePem } = makeSystemCredentials('压测第三方交易系统');
  const registered = await operator.post('/api/admin/interface-systems', {
    platformCode: code,
    certificatePem,
    regionPrefixes: ['150102'],
    tables: [
      'PROJECT',
      'TENDER_PROJECT',
      'SECTION',
      'TENDER_ANN_QUA_INQUERY_ANN',
      'BID_OPENING_RECORD',
      'TENDER_LIST',
      'TENDER_CANDIDATE_ANNOUNCE',
      'WIN_RESULT_ANNO',
      'CONTRACT_PERFORMANCE',
    ],
  });
  if (registered.statusCode !== 201) throw new Error(`register: ${registered.body}`);
  const systemId = (registered.json() as { id: string }).id;

  // ---- data: the records of PROCESSES processes, in calls of BATCH ----
  const codes = platformCodesOf(loadConfig({}));
  const runTag = Math.floor(Math.random() * 900_000);
  const records = [];
  for (let n = 1; n <= PROCESSES; n++) {
    for (const r of dataspecRecordsOf(sampleSnapshot({}, (runTag + n) % 1_000_000), codes)) records.push(r);
  }
  const calls: string[] = [];
  for (let i = 0; i < records.length; i += BATCH) {
    calls.push(
      JSON.stringify({
        records: records.slice(i, i + BATCH).map((r) => ({ table: r.table, data: r.record })),
      }),
    );
  }
  console.log(`  ${fmt(records.length)} records in ${calls.length} calls`);

  // ---- validation alone (for scale) ----
  let t = performance.now();
  for (const r of records)
    if (validateRecord(r.table, r.record).length > 0) throw new Error('invalid record');
  const validateMs = performance.now() - t;

  // ---- the port ----
  let accepted = 0;
  t = performance.now();
  for (const payload of calls) {
    const headers = systemHeaders(key, code, {
      method: 'POST',
      target: '/api/interfaces/records',
      body: payload,
    });
    const res = await platform.app.inject({
      method: 'POST',
      url: '/api/interfaces/records',
      headers,
      payload,
    });
    if (res.statusCode !== 200) throw new Error(`push: ${res.statusCode} ${res.body.slice(0, 500)}`);
    accepted += (res.json() as { accepted: number }).accepted;
  }
  const portMs = performance.now() - t;
  if (accepted !== records.length) throw new Error(`accepted ${accepted} of ${records.length}`);

  // ---- baseline: plain inserts of the same rows ----
  await sql`drop table if exists bench_aggregation_baseline`.execute(platform.db);
  await sql`create table bench_aggregation_baseline (like interface_records including defaults)`.execute(
    platform.db,
  );
  const now = new Date();
  t = performance.now();
  for (let i = 0; i < records.length; i += BATCH) {
    const rows = records.slice(i, i + BATCH).map((r) => ({
      system_id: systemId,
      table_name: r.table,
      record_key: recordKeyOf(r.table, r.record),
      version: r.record.DATA_TIMESTAMP ?? '',
      deal_code: r.record.UNIFIED_DEAL_CODE ?? r.record.UNIFIED_DEAL_CODES ?? null,
      tender_project_code: r.record.TENDER_PROJECT_CODE ?? null,
      region_code: r.record.REGION_CODE ?? null,
      data: JSON.stringify(r.record),
      push_id: 'baseline',
      received_at: now,
    }));
    await platform.db
      .insertInto('bench_aggregation_baseline' as 'interface_records')
      .values(rows)
      .execute();
  }
  const baselineMs = performance.now() - t;
  await sql`drop table bench_aggregation_baseline`.execute(platform.db);

  const perSecond = (ms: number) => (records.length / ms) * 1000;
  const port = perSecond(portMs);
  console.log(`  validation only (validateRecord)       ${fmt(perSecond(validateMs))} records/s`);
  console.log(
    `  aggregation port (signed, validated, stored, folded, witnessed) ${fmt(port)} records/s  (${fmt(portMs)} ms)`,
  );
  console.log(
    `  baseline: plain INSERT of the same rows ${fmt(perSecond(baselineMs))} records/s  (${fmt(baselineMs)} ms)`,
  );
  console.log(`  target ≥ 2,000 records/s: ${port >= 2000 ? 'met' : 'NOT met'} (${database})`);
} finally {
  await platform.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
