/**
 * Remote opening bench (不见面开标): `npm run bench opening`.
 *
 * One lot with BENCH_BIDS (default 500) real bids submitted through the bid intake API (small parts), an
 * opening run through the real API in-process: reveal, decryption window, every bidder posts the content
 * keys it unwrapped locally. Measured: from the last content key's request to the complete, signed opening
 * record (close of decryption, publication, the record fetched) — target < 3 s at 500 bids — beside a
 * baseline measured in the same run: the same number of bare SM4+HMAC opens of the summary parts straight
 * from the blob store (no HTTP, no database).
 *
 * Database: in-memory PGlite, or DATABASE_URL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type ContentAlgorithm,
  type EnvelopeRecipient,
  fromBase64Url,
  openDetachedContent,
  toBase64Url,
  unwrapContentKey,
} from '../src/platform/crypto/index.ts';
import { type BidFactoryPlatform, openLotForBidding, submitBid } from '../src/trading/bids/test-factory.ts';
import { makeTestPlatform } from '../test/support/platform.ts';
import { fmt } from './support.ts';

const BIDS = Number(process.env.BENCH_BIDS ?? 500);

function must<T extends { statusCode: number; body: string }>(res: T, what: string): T {
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res;
}

const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-bench-opening-'));
  const p = await makeTestPlatform({ GGZY_DATA_DIR: dataDir });
  const platform = p as unknown as BidFactoryPlatform;
  try {
    console.log(
      `opening bench: ${BIDS} bids, database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (in memory)'}`,
    );
    let t = performance.now();
    const lot = await openLotForBidding(platform, { bidders: BIDS });
    p.clock.set(lot.lot.timeline.documentsFrom);
    await p.jobs.runDueJobs();
    for (const [i, bidder] of lot.bidders.entries()) {
      await submitBid(platform, lot, bidder, {
        summary: { price: `${1_000_000 + i}.00`, duration: '365', quality: '合格' },
        parts: [
          {
            kind: 'technical',
            name: '技术部分',
            bytes: new TextEncoder().encode(`技术方案 ${i} `.repeat(50)),
          },
        ],
      });
    }
    console.log(
      `setup (lot, ${BIDS} registered bidders, ${BIDS} bids through the intake API): ${fmt((performance.now() - t) / 1000, 1)} s`,
    );

    p.clock.set(lot.lot.timeline.openingAt);
    await p.jobs.runDueJobs();
    const host = await p.login(lot.agency.account.username);
    const sessions = [];
    for (const bidder of lot.bidders) sessions.push(await p.login(bidder.account.username));
    const url = (rest: string) => `/api/lots/${lot.lot.id}/opening${rest}`;
    must(await host.post(url('/steps/start-opening'), {}), 'start-opening');
    must(await host.post(url('/steps/start-decryption'), {}), 'start-decryption');

    // Each bidder's tool: fetch its parts, unwrap the content keys locally (not timed: the bidder's machine).
    const prepared: {
      bidId: string;
      keys: { no: number; key: string }[];
      summary: { sealedSha256?: string };
    }[] = [];
    const summaries: {
      sha256: string;
      sm3: string;
      length: number;
      algorithm: ContentAlgorithm;
      key: Uint8Array;
    }[] = [];
    for (const [i, bidder] of lot.bidders.entries()) {
      const mine = must(await sessions[i]!.get(url('/my-bid')), 'my-bid').json() as {
        bidId: string;
        parts: {
          no: number;
          kind: string;
          sealedDigest: string;
          sealedLength: number;
          algorithm: ContentAlgorithm;
          recipients: EnvelopeRecipient[];
        }[];
      };
      const keys = mine.parts.map((part) => ({
        no: part.no,
        key: toBase64Url(unwrapContentKey(part.recipients, bidder.keys.encKey)),
      }));
      prepared.push({ bidId: mine.bidId, keys, summary: {} });
      const summary = mine.parts.find((part) => part.kind === 'summary')!;
      summaries.push({
        sha256: '',
        sm3: summary.sealedDigest,
        length: summary.sealedLength,
        algorithm: summary.algorithm,
        key: fromBase64Url(keys.find((k) => k.no === summary.no)!.key)!,
      });
    }
    const shaRows = await p.db
      .selectFrom('opening_parts')
      .select(['sealed_sm3', 'sealed_sha256'])
      .where('lot_id', '=', lot.lot.id)
      .where('kind', '=', 'summary')
      .execute();
    const shaOf = new Map(shaRows.map((r) => [r.sealed_sm3, r.sealed_sha256]));
    for (const s of summaries) s.sha256 = shaOf.get(s.sm3)!;

    // All but the last bidder decrypt (request latency measured).
    const latencies: number[] = [];
    t = performance.now();
    for (let i = 0; i < BIDS - 1; i++) {
      const started = performance.now();
      must(
        await sessions[i]!.post(url(`/bids/${prepared[i]!.bidId}/keys`), { keys: prepared[i]!.keys }),
        'keys',
      );
      latencies.push(performance.now() - started);
    }
    const decryptSeconds = (performance.now() - t) / 1000;
    await p.jobs.runDueJobs();

    // The measured span: the last content key → the complete, signed record.
    const t0 = performance.now();
    must(
      await sessions[BIDS - 1]!.post(url(`/bids/${prepared[BIDS - 1]!.bidId}/keys`), {
        keys: prepared[BIDS - 1]!.keys,
      }),
      'last keys',
    );
    must(await host.post(url('/steps/close-decryption'), {}), 'close-decryption');
    must(await host.post(url('/steps/publish-record'), {}), 'publish-record');
    const record = must(await host.get(url('/record')), 'record').json() as {
      record: { entries: unknown[] };
      recordSm3: string;
    };
    const span = performance.now() - t0;
    if (record.record.entries.length !== BIDS)
      throw new Error(`record has ${record.record.entries.length} entries, expected ${BIDS}`);

    // Baseline in the same run: bare opens of the same summaries from the blob store.
    const b0 = performance.now();
    for (const s of summaries) {
      await pipeline(
        await p.blobs.get(s.sha256),
        openDetachedContent({ algorithm: s.algorithm, sealedDigest: s.sm3, sealedLength: s.length }, s.key),
        new Writable({ write: (_c, _e, done) => done() }),
      );
    }
    const baseline = performance.now() - b0;

    console.log(
      `decryption: ${BIDS - 1} key submissions in ${fmt(decryptSeconds, 2)} s (${fmt((BIDS - 1) / decryptSeconds, 0)}/s), request p50 ${fmt(percentile(latencies, 0.5), 1)} ms, p99 ${fmt(percentile(latencies, 0.99), 1)} ms`,
    );
    console.log(
      `last content key → complete signed record (${BIDS} entries, SM3 ${record.recordSm3.slice(0, 16)}…): ${fmt(span, 0)} ms (target < 3000 ms)`,
    );
    console.log(
      `baseline: ${BIDS} bare SM4+HMAC opens of the summaries from the blob store: ${fmt(baseline, 0)} ms`,
    );
  } finally {
    await p.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
