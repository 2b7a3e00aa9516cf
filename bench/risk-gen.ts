/**
 * Synthetic OCDS compiled releases for the risk-scan bench (风险扫描基准数据): one contracting process per
 * line, deterministic for a given seed, about 1.3 KB each. Each process has a buyer (of 2,000), a
 * procuring entity, a tender period, items with a CPV-like classification, 1–7 bids from about 20,000
 * tenderers (≈ 10 % disqualified, a few withdrawn, late or at identical prices) and its awards (mostly one
 * active award to the lowest valid bid; some pending, some after a cancelled award, some not to the
 * lowest bid). So every indicator of `ggzy risk scan` has something to find.
 *
 *   node --import tsx bench/risk-gen.ts COUNT FILE.jsonl   # or import { compiledReleases } from it
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GeneratorOptions {
  seed?: number;
  tenderers?: number;
  buyers?: number;
}

/** mulberry32: a small, fast, seedable PRNG — the same stream on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SECTORS = 40;
const REGIONS = [
  '呼和浩特',
  '包头',
  '乌海',
  '赤峰',
  '通辽',
  '鄂尔多斯',
  '呼伦贝尔',
  '巴彦淖尔',
  '乌兰察布',
  '锡林郭勒',
];
const TRADES = [
  '建设',
  '建筑工程',
  '市政工程',
  '路桥',
  '水利水电',
  '环境科技',
  '信息技术',
  '医疗器械',
  '电力工程',
  '园林绿化',
];
const METHODS: [string, string, number][] = [
  // procurementMethod, procurementMethodDetails, cumulative share
  ['open', '公开招标', 0.7],
  ['selective', '邀请招标', 0.85],
  ['limited', '竞争性谈判', 0.95],
  ['direct', '单一来源', 1],
];
const DAY = 86_400_000;
const T0 = Date.parse('2025-01-06T01:00:00Z');

interface Bid {
  id: string;
  date: string;
  status: string;
  tenderers: { id: string; name: string }[];
  value: { amount: number; currency: string };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Beijing time, as the platform publishes it. */
const beijing = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;

function organisation(kind: 'tenderer' | 'buyer' | 'agency', i: number) {
  const region = REGIONS[i % REGIONS.length]!;
  if (kind === 'tenderer') {
    return { id: `91150${pad(i, 8)}MA0X`, name: `${region}${TRADES[i % TRADES.length]}公司${i}` };
  }
  if (kind === 'buyer') return { id: `11150${pad(i, 8)}MB0Y`, name: `${region}第${i}中心` };
  return { id: `91150${pad(i, 8)}AG0Z`, name: `${region}代理公司${i}` };
}

/** The compiled releases, one JSON text per item (no newline). */
export function* compiledReleases(count: number, options: GeneratorOptions = {}): Generator<string> {
  const random = prng(options.seed ?? 20_260_302);
  const tendererCount = options.tenderers ?? 20_000;
  const buyerCount = options.buyers ?? 2_000;
  const tenderers = Array.from({ length: tendererCount }, (_, i) => organisation('tenderer', i));
  const buyers = Array.from({ length: buyerCount }, (_, i) => organisation('buyer', i));
  const agencies = Array.from({ length: 300 }, (_, i) => organisation('agency', i));
  const perSector = Math.max(1, Math.floor(tendererCount / SECTORS));

  for (let n = 1; n <= count; n++) {
    const ocid = `ocds-ggzy15-${pad(n, 10)}`;
    const r = random();
    const [method, details] = METHODS.find(([, , share]) => r < share)!;
    const sector = Math.floor(random() * SECTORS);
    const buyer = buyers[Math.floor(random() ** 1.5 * buyerCount)]!;
    const procuringEntity = random() < 0.6 ? buyer : agencies[Math.floor(random() * agencies.length)]!;
    const start = T0 + (n % 365) * DAY + Math.floor(random() * 8) * 3_600_000;
    const days = random() < 0.08 ? 5 + Math.floor(random() * 10) : 20 + Math.floor(random() * 20);
    const end = start + days * DAY;
    const estimate = Math.round((50_000 + random() ** 2 * 20_000_000) * 100) / 100;
    const cpv = `${pad(10 + sector * 2, 2)}${pad(Math.floor(random() * 1_000_000), 6)}`;
    const items = [{ id: '1', classification: { scheme: 'CPV', id: cpv } }];
    if (random() < 0.3) {
      const other = (sector + 1 + Math.floor(random() * 3)) % SECTORS;
      items.push({
        id: '2',
        classification: {
          scheme: 'CPV',
          id: `${pad(10 + other * 2, 2)}${pad(Math.floor(random() * 1_000_000), 6)}`,
        },
      });
    }

    // 1–7 bids, mostly from the sector's tenderers, the frequent ones more often.
    const bidCount = 1 + Math.floor(random() * 7);
    const bids: Bid[] = [];
    const bidders: number[] = [];
    for (let b = 0; b < bidCount; b++) {
      let t: number;
      do {
        t =
          random() < 0.8
            ? (sector + SECTORS * Math.floor(random() ** 2 * perSector)) % tendererCount
            : Math.floor(random() * tendererCount);
      } while (bidders.includes(t) && bidders.length < tendererCount);
      bidders.push(t);
      const s = random();
      const status = s < 0.1 ? 'disqualified' : s < 0.12 ? 'withdrawn' : 'valid';
      const previous = bids.at(-1);
      const amount =
        previous !== undefined && random() < 0.01
          ? previous.value.amount
          : Math.round(estimate * (0.82 + random() * 0.2) * 100) / 100;
      const late = random() < 0.005;
      bids.push({
        id: `b${b + 1}`,
        date: beijing(late ? end + 3_600_000 : end - Math.floor(1 + random() * 72) * 3_600_000),
        status,
        tenderers: [tenderers[t]!],
        value: { amount, currency: 'CNY' },
      });
    }

    const valid = bids.filter((b) => b.status === 'valid');
    let tenderStatus = random() < 0.02 ? 'cancelled' : valid.length > 0 ? 'complete' : 'unsuccessful';
    const awards = [];
    if (valid.length > 0 && tenderStatus !== 'cancelled') {
      valid.sort((a, b) => a.value.amount - b.value.amount);
      const winner = random() < 0.9 ? valid[0]! : valid[Math.floor(random() * valid.length)]!;
      if (random() < 0.03) {
        const first = bids[Math.floor(random() * bids.length)]!;
        awards.push({
          id: 'a0',
          status: 'cancelled',
          date: beijing(end + 5 * DAY),
          value: first.value,
          suppliers: first.tenderers,
          items,
        });
      }
      const pending = random() < 0.04;
      awards.push({
        id: 'a1',
        status: pending ? 'pending' : 'active',
        date: beijing(end + 7 * DAY),
        value: winner.value,
        suppliers: winner.tenderers,
        items,
      });
      if (pending) tenderStatus = 'active';
    }

    const release = {
      ocid,
      id: `${ocid}-c`,
      date: beijing(end + 8 * DAY),
      tag: ['compiled'],
      initiationType: 'tender',
      buyer,
      tender: {
        id: 't',
        status: tenderStatus,
        procurementMethod: method,
        procurementMethodDetails: details,
        value: { amount: estimate, currency: 'CNY' },
        procuringEntity,
        items,
        tenderPeriod: { startDate: beijing(start), endDate: beijing(end) },
        numberOfTenderers: bidders.length,
      },
      bids: { details: bids },
      awards,
    };
    yield JSON.stringify(release);
  }
}

/** Writes `count` releases to `file` as JSON Lines, in ~1 MB writes with backpressure. Returns the bytes. */
export async function writeCompiledReleases(
  file: string,
  count: number,
  options: GeneratorOptions = {},
): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  let parts: string[] = [];
  let length = 0;
  const flush = async () => {
    const text = parts.join('');
    bytes += Buffer.byteLength(text);
    parts = [];
    length = 0;
    if (!out.write(text)) await once(out, 'drain');
  };
  for (const line of compiledReleases(count, options)) {
    parts.push(line, '\n');
    length += line.length + 1;
    if (length >= 1 << 20) await flush();
  }
  if (parts.length > 0) await flush();
  out.end();
  await once(out, 'close');
  return bytes;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 1000);
  const file = process.argv[3] ?? 'releases.jsonl';
  const bytes = await writeCompiledReleases(file, count);
  console.error(`已写入 ${count} 条编译发布到 ${file}（${(bytes / 2 ** 20).toFixed(1)} MB）`);
}
