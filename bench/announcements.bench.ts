/**
 * Portal announcements bench (交易公告): `npm run bench announcements`.
 *
 * Seeds 1,000,000 published announcements into PostgreSQL, then measures through the real platform over
 * HTTP:
 *  (a) Chinese keyword search (jieba words against the GIN-indexed tsvector): p50/p95/p99 of 400
 *      sequential requests with random keywords (micro-cache off), beside one plain SQL query per keyword
 *      run straight on the database with the planner's own plan (what the store did before it looked at
 *      the newest rows first);
 *  (b) the public list page's requests/s with autocannon at 50 connections (from a separate process),
 *      with the portal micro-cache off and at its default (1 s), beside a bare Fastify route in the same
 *      process serving the same bytes (target ≥ 25 % of it).
 *
 * Uses DATABASE_URL, or database ggzy_bench on postgres://postgres@127.0.0.1:5432 (created if missing).
 * Everything lives in schema bench_announcements, dropped and recreated at the start. BENCH_ROWS
 * overrides the row count (default 1,000,000); BENCH_REUSE=1 keeps a schema an earlier run seeded.
 */

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { buildPlatform } from '../src/main.ts';
import { loadConfig } from '../src/platform/config/index.ts';
import { keywordTerms, searchTermsOf } from '../src/trading/tenders/search.ts';
import { fmt, ROOT } from './support.ts';

const SCHEMA = 'bench_announcements';
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = 50_000;
const SEARCHES = 400;

const REGIONS: [string, string][] = [
  ['150100', '呼和浩特市'],
  ['150102', '呼和浩特市新城区'],
  ['150105', '呼和浩特市赛罕区'],
  ['150200', '包头市'],
  ['150203', '包头市昆都仑区'],
  ['150300', '乌海市'],
  ['150400', '赤峰市'],
  ['150500', '通辽市'],
  ['150600', '鄂尔多斯市'],
  ['150602', '鄂尔多斯市东胜区'],
  ['150700', '呼伦贝尔市'],
  ['150800', '巴彦淖尔市'],
  ['150900', '乌兰察布市'],
  ['152200', '兴安盟'],
  ['152500', '锡林郭勒盟'],
  ['152900', '阿拉善盟'],
];

const SUBJECTS = [
  '第二中学教学楼',
  '第一小学综合楼',
  '人民医院门诊楼',
  '中医医院住院部',
  '污水处理厂提标改造',
  '城区供热管网改造',
  '老旧小区改造',
  '市政道路改造',
  '国道公路养护',
  '高标准农田建设',
  '水库除险加固',
  '农村牧区饮水安全',
  '智慧城市信息化平台',
  '政务云服务',
  '疾控中心实验室设备',
  '学校食堂食材配送',
  '公安局执法记录仪',
  '草原生态修复',
  '风电场集电线路',
  '光伏发电项目升压站',
  '体育馆维修',
  '图书馆数字化',
  '垃圾焚烧发电',
  '天然气管道',
  '棚户区改造安置房',
  '大学学生公寓',
  '职业技术学院实训基地',
  '消防救援站',
  '殡仪馆迁建',
  '火车站站前广场',
];

const KINDS: [string, string, string][] = [
  ['tender', '施工招标公告', 'open-tender.works'],
  ['tender', '监理招标公告', 'open-tender.works'],
  ['tender', '勘察设计招标公告', 'open-tender.works'],
  ['procurement', '设备采购公告', 'open-tender.gp'],
  ['procurement', '服务采购公告', 'open-tender.gp'],
  ['procurement', '竞争性磋商公告', 'competitive-consultation'],
  ['change', '变更公告', 'open-tender.works'],
  ['correction', '更正公告', 'open-tender.gp'],
  ['result', '中标结果公告', 'open-tender.gp'],
  ['candidates', '中标候选人公示', 'open-tender.works'],
];

const KEYWORDS = [
  '教学楼',
  '门诊楼',
  '污水处理',
  '供热管网',
  '呼和浩特',
  '鄂尔多斯 施工',
  '监理',
  '设备采购',
  '信息化平台',
  '养护',
  '赛罕区 小学',
  '光伏 升压站',
  '食材配送',
  '草原生态修复',
  '包头 医院',
  '磋商',
  '安置房',
  '水库',
  '消防救援站',
  '中标结果',
];

async function benchDatabaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const adminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = 'ggzy_bench'");
  if (exists.rowCount === 0) await client.query('create database ggzy_bench');
  await client.end();
  return 'postgres://postgres@127.0.0.1:5432/ggzy_bench';
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`;
}

/** Load from a separate process (autocannon's CLI), so the generator does not share the servers' event loop. */
async function cannon(url: string): Promise<number> {
  const bin = path.join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');
  const child = spawn(process.execPath, [bin, '-c', '50', '-d', '10', '-j', url], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  const result = JSON.parse(out) as { requests: { average: number }; non2xx: number; errors: number };
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result.requests.average;
}

async function main(): Promise<void> {
  const base = await benchDatabaseUrl();
  const adminClient = new pg.Client({ connectionString: base });
  await adminClient.connect();
  // BENCH_REUSE=1 keeps a schema seeded by an earlier run with the same row count (for iterating).
  const existing = await adminClient.query(
    `select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'announcements'`,
    [SCHEMA],
  );
  const reuse =
    process.env.BENCH_REUSE === '1' &&
    existing.rows[0].n === 1 &&
    (await adminClient.query(`select count(*)::int as n from ${SCHEMA}.announcements`)).rows[0].n === ROWS;
  if (!reuse) {
    await adminClient.query(`drop schema if exists ${SCHEMA} cascade`);
    await adminClient.query(`create schema ${SCHEMA}`);
  }
  await adminClient.end();
  const scoped = new URL(base);
  scoped.searchParams.set('options', `-c search_path=${SCHEMA}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-bench-ann-'));
  const env = { DATABASE_URL: scoped.toString(), GGZY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  // Searches and the uncached list run with the portal micro-cache off: every request reaches the database.
  const platform = await buildPlatform({
    config: loadConfig({ ...env, GGZY_PORTAL_CACHE_MS: '0' }),
    logger: false,
    webDir: null,
  });
  const db = platform.db;

  try {
    // ---- seed: titles from region × subject × kind, search words segmented by jieba once per piece ----
    const started = Date.now();
    const regionTerms = REGIONS.map(([, name]) => searchTermsOf(name));
    const subjectTerms = SUBJECTS.map((s) => searchTermsOf(s));
    const kindTerms = KINDS.map(([, name]) => searchTermsOf(name));
    const organizationId = randomUUID();
    for (let offset = 0; offset < (reuse ? 0 : ROWS); offset += BATCH) {
      const count = Math.min(BATCH, ROWS - offset);
      await sql`
        insert into announcements (
          id, lot_id, lot_code, lot_name, project_name, procedure_type, kind, status, title, body,
          catalog_item_code, category_code, region_code, initiator_organization_id, created_by,
          created_at, updated_at, published_at, published_by, canonical_json, content_sm3, text_sm3,
          body_sm3, signature, key_id, search_terms)
        select
          'bench-' || g, 'lot-' || (g / 3), 'Z15' || lpad(g::text, 20, '0'),
          s.subject || '（' || (g % 5 + 1) || '标段）', r.name || s.subject || '项目',
          k.procedure, k.kind, 'published', r.name || s.subject || k.name,
          '本公告为性能测试生成的数据。', case when k.kind in ('tender', 'change', 'candidates') then '0101' else '0201' end,
          case when k.kind in ('tender', 'change', 'candidates') then '01' else '02' end,
          r.code, ${organizationId}, 'bench', ts, ts, ts, 'bench', '{}', md5(g::text) || md5(g::text), null, null,
          'bench', 'bench', r.terms || ' ' || s.terms || ' ' || k.terms
        from generate_series(${offset + 1}::int, ${offset + count}::int) g
        cross join lateral (select now() - (g::text || ' seconds')::interval * 30 as ts) t
        join (select ordinality - 1 as i, name, code, terms from unnest(
                ${REGIONS.map(([, n]) => n)}::text[], ${REGIONS.map(([c]) => c)}::text[], ${regionTerms}::text[]
              ) with ordinality as x(name, code, terms)) r on r.i = g % ${REGIONS.length}
        join (select ordinality - 1 as i, subject, terms from unnest(${SUBJECTS}::text[], ${subjectTerms}::text[])
              with ordinality as y(subject, terms)) s on s.i = (g / ${REGIONS.length}) % ${SUBJECTS.length}
        join (select ordinality - 1 as i, kind, name, procedure, terms from unnest(
                ${KINDS.map(([k]) => k)}::text[], ${KINDS.map(([, n]) => n)}::text[],
                ${KINDS.map(([, , p]) => p)}::text[], ${kindTerms}::text[]
              ) with ordinality as z(kind, name, procedure, terms)) k on k.i = (g / 7) % ${KINDS.length}
      `.execute(db);
      process.stdout.write(`\r  seeding ${fmt(offset + count)} / ${fmt(ROWS)} announcements`);
    }
    await sql`analyze announcements`.execute(db);
    console.log(
      reuse ? '  reusing the seeded schema' : `\n  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const address = await platform.app.listen({ port: 0, host: '127.0.0.1' });

    // ---- (a) keyword search ----
    const http: number[] = [];
    const direct: number[] = [];
    let found = 0;
    for (let i = 0; i < SEARCHES; i += 1) {
      const keyword = KEYWORDS[i % KEYWORDS.length] as string;
      const t0 = performance.now();
      const res = await fetch(`${address}/api/public/announcements?keyword=${encodeURIComponent(keyword)}`);
      const body = (await res.json()) as { items: unknown[] };
      http.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`search answered ${res.status}`);
      if (body.items.length > 0) found += 1;
      const terms = keywordTerms(keyword).join(' ');
      const t1 = performance.now();
      await sql`
        select id, title, published_at from announcements
        where status = 'published' and search_vector @@ plainto_tsquery('simple', ${terms})
        order by published_at desc, id desc limit 20`.execute(db);
      direct.push(performance.now() - t1);
    }
    console.log(`  keyword search over HTTP (${SEARCHES} requests, ${found} with results): ${summary(http)}`);
    console.log(`  baseline — one plain query (planner's own plan) as bare SQL:     ${summary(direct)}`);
    const p95 = percentile(
      [...http].sort((a, b) => a - b),
      95,
    );
    console.log(`  target p95 < 100 ms: ${p95 < 100 ? 'met' : 'NOT met'}`);

    // ---- (b) the list page under load, beside a bare Fastify route serving the same bytes ----
    const listUrl = `${address}/api/public/announcements`;
    const page = await (await fetch(listUrl)).text();
    const bare = Fastify({ logger: false });
    bare.get('/bare', async (_req, reply) => reply.type('application/json').send(page));
    const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareRps = await cannon(`${bareAddress}/bare`);
    const listRps = await cannon(listUrl);
    // The same page as `npm start` serves it: each instance reuses a page for GGZY_PORTAL_CACHE_MS (1 s).
    const cachedPlatform = await buildPlatform({ config: loadConfig(env), logger: false, webDir: null });
    const cachedAddress = await cachedPlatform.app.listen({ port: 0, host: '127.0.0.1' });
    const cachedRps = await cannon(`${cachedAddress}/api/public/announcements`);
    await cachedPlatform.close();
    await bare.close();
    const ratio = (rps: number) => `${((rps / bareRps) * 100).toFixed(1)} %`;
    console.log(
      `  baseline — bare Fastify route, same bytes (${fmt(page.length)} a page): ${fmt(bareRps)} req/s`,
    );
    console.log(
      `  public list page, every request to the database: ${fmt(listRps)} req/s = ${ratio(listRps)}`,
    );
    console.log(
      `  public list page, 1 s micro-cache (default):    ${fmt(cachedRps)} req/s = ${ratio(cachedRps)}`,
    );
    console.log(
      `  target ≥ 25 % of the bare route: ${cachedRps / bareRps >= 0.25 ? 'met' : 'NOT met'} (default settings)`,
    );
  } finally {
    await platform.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
