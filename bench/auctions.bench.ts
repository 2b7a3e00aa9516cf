/**
 * Auction room bench (竞价大厅, issue 10 "Speed"): `npm run bench auctions`.
 *
 * BENCH_AUCTIONS (10) auctions in 限时竞价, each with BENCH_BIDDERS (50) bidder sockets and BENCH_WATCHERS
 * (450) watcher sockets — 5,000 WebSockets on loopback — against `ggzy serve` (a child process, sandbox
 * clock moved to the auctions' day) on PostgreSQL. First each bidder bids once (its first bid also checks
 * deposit and credit); then bids go out at BENCH_RATE (1,200/s offered, all auctions), each one step above
 * the last one sent in its auction, round-robin over the auction's bidders, at most BENCH_IN_FLIGHT (16)
 * unanswered per auction (BENCH_IN_FLIGHT=1: each bid waits for the last one's answer — the latency
 * without queueing, and a throughput bound by it). Measured over BENCH_SECONDS (10) after a 2 s warm-up:
 *   - accepted bids/s (acks received), and the refusals by code;
 *   - bid → ack latency at the bidder, p50/p99;
 *   - broadcast latency: the bid's server time `at` → a watcher's receipt (1 watcher in 10 parses every
 *     frame; the others check the sequence from the frame's first bytes only), p50/p99 — and the bid's send
 *     → receipt, for the end-to-end view;
 *   - lost / reordered bids: every socket checks that each frame continues its last seq, and at the end
 *     that it holds the auction's final seq;
 *   - CPU over the window: the server, its PostgreSQL backends, this client process, interrupts, and every
 *     other process on the machine (benches here share two cores with whatever else runs).
 * Beside baselines measured in the same run: a bare `ws` server (a child process) with the same sockets in
 * the same rooms, the senders sending at the offered rate: its echo round trip, and its fan-out with the
 * live room's own flush rule (send → receipt); and a one-row INSERT commit on the same database.
 *
 * Database: DATABASE_URL, or database ggzy_bench_auctions on postgres://postgres@127.0.0.1:5432 (created if
 * missing; schema bench_auctions dropped and recreated); without a reachable server, the embedded PGlite
 * (noted in the output). Setup (entities, registrations, deposits: minutes for 500 bidders) is not timed;
 * BENCH_KEEP=1 keeps it and BENCH_REUSE=<dir> runs again on it. BENCH_PROFILE=<dir> writes a CPU profile
 * of the server. Scaled down: `BENCH_AUCTIONS=2 BENCH_WATCHERS=50 npm run bench auctions`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_LIVE_OPTIONS } from '../src/trading/auctions/live.ts';
import { type AuctionInBidding, auctionInBidding } from '../src/trading/auctions/test-factory.ts';
import { type ApiClient, makeDiskPlatform } from '../test/support/platform.ts';
import { fmt, freePort, ROOT, startProcess, stopProcess, waitFor200 } from './support.ts';
import { frameType, intAfter, openWs, type RawSocket } from './ws-client.ts';

const AUCTIONS = Number(process.env.BENCH_AUCTIONS ?? 10);
const BIDDERS = Number(process.env.BENCH_BIDDERS ?? 50);
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 450);
const RATE = Number(process.env.BENCH_RATE ?? 1200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/**
 * Bids of one auction sent and not yet answered, at most: 16 — bidders of a busy room press at the same
 * time, as in a real 限时竞价; each bid is one step above the one sent before it, so the writer, taking
 * them in the order they arrive, accepts them all unless two arrive out of order (the lower one is then
 * refused BID_TOO_LOW, as it would be in a real room). With 1, the next bidder waits for the last answer.
 */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 16);
const WARMUP_S = 2;
const SAMPLE_EVERY = 10;
/** A kept setup (BENCH_KEEP) lives in a schema of its own, so that a plain run does not drop it. */
const SCHEMA =
  process.env.BENCH_KEEP === '1' || process.env.BENCH_REUSE ? 'bench_auctions_kept' : 'bench_auctions';

// ---- measurement helpers ----

/** Latencies in 0.1 ms buckets up to 10 s (the rest in the last bucket): millions of samples, no sorting. */
class Histogram {
  readonly #buckets = new Uint32Array(100_001);
  count = 0;
  add(ms: number): void {
    const i = Math.min(100_000, Math.max(0, Math.round(ms * 10)));
    this.#buckets[i] = (this.#buckets[i] as number) + 1;
    this.count++;
  }
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const target = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.#buckets.length; i++) {
      seen += this.#buckets[i] as number;
      if (seen >= target) return i / 10;
    }
    return Number.NaN;
  }
  describe(): string {
    return `p50 ${fmt(this.quantile(0.5), 1)} ms, p99 ${fmt(this.quantile(0.99), 1)} ms, max ${fmt(this.quantile(1), 1)} ms`;
  }
}

const nowMs = () => performance.timeOrigin + performance.now();

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
function machineCpu(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
}

/** Interrupt handling (loopback TCP is mostly softirq), CPU seconds, from /proc/stat. */
function interruptCpu(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, , , , , , irq, softirq] = line.trim().split(/\s+/).map(Number);
  return ((irq ?? 0) + (softirq ?? 0)) / 100;
}

/** CPU seconds of every process by pid and name, from /proc (to say who else used the machine). */
function processCpu(): Map<number, { name: string; cpu: number }> {
  const out = new Map<number, { name: string; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      out.set(Number(entry), { name, cpu: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // gone
    }
  }
  return out;
}

async function benchDatabaseUrl(fresh: boolean): Promise<string | null> {
  const base = process.env.DATABASE_URL;
  try {
    let url = base;
    if (!url) {
      const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await admin.connect();
      const exists = await admin.query("select 1 from pg_database where datname = 'ggzy_bench_auctions'");
      if (exists.rowCount === 0) await admin.query('create database ggzy_bench_auctions');
      await admin.end();
      url = 'postgres://postgres@127.0.0.1:5432/ggzy_bench_auctions';
    }
    if (fresh) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${SCHEMA} cascade`);
      await client.query(`create schema ${SCHEMA}`);
      await client.end();
    }
    const scoped = new URL(url);
    scoped.searchParams.set('options', `-c search_path=${SCHEMA}`);
    return scoped.toString();
  } catch (error) {
    if (base) throw error;
    console.log(
      `  no PostgreSQL at 127.0.0.1:5432 (${(error as Error).message}): the embedded PGlite instead`,
    );
    return null;
  }
}

async function inBatches<T, R>(
  items: T[],
  size: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  }
  return out;
}

// ---- the run ----

interface Json {
  [key: string]: unknown;
}

interface LiveState {
  auction: number;
  lastSeq: number;
  snapshot: boolean;
  sampled: boolean;
  socket: RawSocket | null;
}

interface AuctionState {
  id: string;
  stepFen: number;
  lastSentFen: number;
  highestAckedSeq: number;
  leader: number;
  nextBidder: number;
  inFlight: number;
  sent: number;
  /** amount in fen → when it was sent (for send → receipt at the sampled watchers). */
  sentAt: Map<number, number>;
}

const SEQ = Buffer.from('"seq":');
const FROM_SEQ = Buffer.from('"fromSeq":');

async function main(): Promise<void> {
  const cores = os.cpus().length;
  console.log(
    `auction room: ${AUCTIONS} auctions × (${BIDDERS} bidders + ${WATCHERS} watchers) = ${fmt(AUCTIONS * (BIDDERS + WATCHERS))} sockets, offered ${fmt(RATE)} bids/s, ${SECONDS} s after ${WARMUP_S} s warm-up, ${cores} cores`,
  );
  console.log(
    `  load average before the run: ${os
      .loadavg()
      .map((n) => fmt(n, 2))
      .join(' / ')} (1 / 5 / 15 min)`,
  );
  // BENCH_KEEP=1 keeps the data (and prints where); BENCH_REUSE=<that directory> runs again on it without
  // the setup (for iterating: the setup of 500 bidders takes minutes).
  const reuse = process.env.BENCH_REUSE ?? null;
  const databaseUrl = await benchDatabaseUrl(!reuse);
  console.log(`  database: ${databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)'}`);
  const dataDir = reuse ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'ggzy-bench-auctions-')));
  const keep = Boolean(reuse) || process.env.BENCH_KEEP === '1';
  const env: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : {};
  const manifestFile = path.join(dataDir, 'bench-auctions.json');
  let t = performance.now();
  let plan: Plan;
  if (reuse) {
    plan = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as Plan;
    console.log(`  reusing the setup in ${dataDir}`);
  } else {
    plan = await setUp(dataDir, env);
    console.log(`, ${fmt((performance.now() - t) / 1000, 1)} s`);
    if (keep) await fs.writeFile(manifestFile, JSON.stringify(plan));
  }
  const platformTime = new Date(plan.platformTime);
  const made = plan.auctions;

  // ---- baseline: a bare one-row INSERT committed on the same database (what each bid's commit waits for) ----
  const commit = databaseUrl ? await commitBaseline(databaseUrl) : null;

  // ---- the server ----
  const port = await freePort();
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const server = startProcess([...profile, 'bin/ggzy.js', 'serve'], {
    ...env,
    GGZY_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    GGZY_SANDBOX: 'on',
    GGZY_LOGIN_RATE_MAX: '100000',
  });
  const base = `http://127.0.0.1:${port}`;
  let echo: ChildProcess | null = null;
  try {
    await waitFor200(`${base}/api/health`, Date.now());
    // The auctions are weeks ahead of today (announcement periods): the sandbox clock goes there.
    const moved = await fetch(`${base}/api/admin/sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: plan.operatorCookie },
      body: JSON.stringify({ to: new Date(platformTime.getTime() + 1000).toISOString() }),
    });
    if (moved.status !== 200) throw new Error(`sandbox clock: ${moved.status} ${await moved.text()}`);

    // ---- sockets ----
    const auctions: AuctionState[] = [];
    const states: LiveState[] = [];
    const bidders: { state: LiveState; auction: number; index: number }[][] = [];
    const ackLatency = new Histogram();
    const broadcastLatency = new Histogram();
    const endToEnd = new Histogram();
    const refusals = new Map<string, number>();
    const sentAtByRequest = new Map<string, { at: number; auction: number; bidder: number; fen: number }>();
    let measuring = false;
    let accepted = 0;
    let lost = 0;
    let reordered = 0;
    let offsetMs = 0;
    const errors: string[] = [];

    const continueSeq = (state: LiveState, from: number, to: number) => {
      if (from === state.lastSeq + 1) state.lastSeq = to;
      else if (to <= state.lastSeq) reordered++;
      else {
        if (from > state.lastSeq + 1) lost += from - state.lastSeq - 1;
        else reordered++;
        state.lastSeq = to;
      }
    };

    const onRoomFrame = (state: LiveState, payload: Buffer): boolean => {
      const type = frameType(payload);
      if (type === 'bid') {
        continueSeq(state, intAfter(payload, SEQ, 13), intAfter(payload, SEQ, 13));
      } else if (type === 'bids') {
        const from = intAfter(payload, FROM_SEQ, 13);
        continueSeq(state, from, intAfter(payload, SEQ, 20));
      } else if (type === 'snapshot' || type === 'phase') {
        const message = JSON.parse(payload.toString()) as { room: { seq: number; bids: { seq: number }[] } };
        const top = Math.max(message.room.seq, message.room.bids.at(-1)?.seq ?? -1);
        state.lastSeq = Math.max(state.lastSeq, top);
        state.snapshot = true;
        return true;
      } else if (type === 'error') {
        errors.push(payload.toString());
        return true;
      } else return false;
      if (state.sampled && measuring) {
        const received = nowMs();
        const message = JSON.parse(payload.toString()) as Json;
        const items = (message.type === 'bid' ? [message] : (message.items as Json[])) as {
          bid: { at: string; amountYuan: string };
        }[];
        const auction = auctions[state.auction] as AuctionState;
        for (const item of items) {
          broadcastLatency.add(received - (Date.parse(item.bid.at) - offsetMs));
          const sent = auction.sentAt.get(Math.round(Number(item.bid.amountYuan) * 100));
          if (sent !== undefined) endToEnd.add(received - sent);
        }
      }
      return true;
    };

    const connect = async (auction: number, cookie: string | null, sampled: boolean): Promise<LiveState> => {
      const state: LiveState = { auction, lastSeq: -1, snapshot: false, sampled, socket: null };
      state.socket = await openWs({
        port,
        path: `/api/auctions/${(made[auction] as { auctionId: string }).auctionId}/live`,
        headers: cookie ? { cookie } : {},
        onMessage: (payload) => {
          if (onRoomFrame(state, payload)) return;
          onBidderFrame(payload);
        },
      });
      states.push(state);
      return state;
    };

    const onBidderFrame = (payload: Buffer) => {
      const type = frameType(payload);
      if (type !== 'ack' && type !== 'reject' && type !== 'pong') return;
      const received = nowMs();
      const message = JSON.parse(payload.toString()) as Json;
      if (type === 'pong') return;
      const request = sentAtByRequest.get(message.requestId as string);
      if (!request) return;
      sentAtByRequest.delete(message.requestId as string);
      const auction = auctions[request.auction] as AuctionState;
      auction.inFlight--;
      if (type === 'ack') {
        const ack = message.ack as { seq: number };
        if (ack.seq > auction.highestAckedSeq) {
          auction.highestAckedSeq = ack.seq;
          auction.leader = request.bidder;
        }
        if (measuring) {
          accepted++;
          ackLatency.add(received - request.at);
        }
      } else {
        const code = String(message.code);
        if (measuring) refusals.set(code, (refusals.get(code) ?? 0) + 1);
        if (code === 'AUCTION_NOT_BIDDING' || code === 'BIDDER_NOT_REGISTERED') {
          errors.push(`${code}: ${String(message.title)} ${String(message.detail ?? '')}`);
        }
      }
    };

    t = performance.now();
    for (const [i, m] of made.entries()) {
      const room = (await (await fetch(`${base}/api/auctions/${m.auctionId}/room`)).json()) as {
        status: string;
        phase: string;
        seq: number;
        stepYuan: string;
        startPriceYuan: string;
        currentPriceYuan: string | null;
      };
      if (room.status !== 'bidding' || room.phase !== 'timed') {
        throw new Error(`auction ${i} is ${room.status}/${room.phase}, not in 限时竞价`);
      }
      auctions.push({
        id: m.auctionId,
        stepFen: Math.round(Number(room.stepYuan) * 100),
        lastSentFen: Math.round(Number(room.currentPriceYuan ?? room.startPriceYuan) * 100),
        highestAckedSeq: room.seq,
        leader: -1,
        nextBidder: 0,
        inFlight: 0,
        sent: 0,
        sentAt: new Map(),
      });
      if (room.currentPriceYuan === null) {
        (auctions[i] as AuctionState).lastSentFen -= (auctions[i] as AuctionState).stepFen;
      }
      bidders.push(
        await inBatches(m.cookies, 50, async (cookie, index) => ({
          state: await connect(i, cookie, false),
          auction: i,
          index,
        })),
      );
      await inBatches(
        Array.from({ length: WATCHERS }, (_, w) => w),
        100,
        (w) => connect(i, null, w % SAMPLE_EVERY === 0),
      );
    }
    const until = Date.now() + 60_000;
    while (states.some((s) => !s.snapshot)) {
      if (Date.now() > until) throw new Error('not every socket got its snapshot');
      await new Promise((r) => setTimeout(r, 20));
    }
    console.log(
      `  ${fmt(states.length)} sockets connected, snapshots in, ${fmt((performance.now() - t) / 1000, 1)} s`,
    );

    // The platform clock's offset to this process's clock (the server's clock jumped ahead).
    offsetMs = await measureOffset(base);

    // ---- the load ----
    // First every bidder bids once, one after another in each auction (its first bid also checks its deposit
    // and credit: not what 限时竞价 is made of); then the offered rate, warmed up for WARMUP_S, measured for
    // SECONDS.
    const perAuction = RATE / AUCTIONS;
    let steadySince = 0;
    let stopAt = Number.POSITIVE_INFINITY;
    let windowStart = 0;
    let windowEnd = 0;
    let serverCpu0 = 0;
    let clientCpu0 = process.cpuUsage();
    let machine0 = 0;
    let interrupts0 = 0;
    let processes0 = new Map<number, { name: string; cpu: number }>();
    let requestNo = 0;
    const sendBid = (a: number) => {
      const auction = auctions[a] as AuctionState;
      const list = bidders[a] as { state: LiveState; index: number }[];
      let bidder = auction.nextBidder % list.length;
      if (bidder === auction.leader) bidder = (bidder + 1) % list.length;
      auction.nextBidder = bidder + 1;
      auction.lastSentFen += auction.stepFen;
      const fen = auction.lastSentFen;
      const requestId = `r${++requestNo}`;
      const at = nowMs();
      sentAtByRequest.set(requestId, { at, auction: a, bidder, fen });
      auction.sentAt.set(fen, at);
      auction.inFlight++;
      auction.sent++;
      (list[bidder] as { state: LiveState }).state.socket?.send(
        `{"type":"bid","requestId":"${requestId}","amountYuan":"${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}"}`,
      );
    };
    const clearingStarted = nowMs();
    let steadySent = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const now = nowMs();
        if (steadySince === 0) {
          let cleared = true;
          for (let a = 0; a < auctions.length; a++) {
            const auction = auctions[a] as AuctionState;
            if (auction.sent < BIDDERS) {
              cleared = false;
              if (auction.inFlight === 0) sendBid(a);
            } else if (auction.inFlight > 0) cleared = false;
          }
          if (!cleared) return;
          steadySince = now;
          steadySent = auctions.reduce((n, a) => n + a.sent, 0);
          stopAt = now + (WARMUP_S + SECONDS) * 1000;
          console.log(
            `  every bidder's first bid (deposit and credit cleared): ${fmt((now - clearingStarted) / 1000, 1)} s`,
          );
        }
        if (!measuring && windowStart === 0 && now >= steadySince + WARMUP_S * 1000) {
          measuring = true;
          windowStart = now;
          serverCpu0 = cpuOf(server.pid);
          clientCpu0 = process.cpuUsage();
          machine0 = machineCpu();
          interrupts0 = interruptCpu();
          processes0 = processCpu();
        }
        if (now >= stopAt) {
          measuring = false;
          windowEnd = now;
          clearInterval(tick);
          resolve();
          return;
        }
        const due = ((now - steadySince) / 1000) * perAuction + BIDDERS;
        for (let a = 0; a < auctions.length; a++) {
          const auction = auctions[a] as AuctionState;
          while (auction.sent < due && auction.inFlight < IN_FLIGHT) sendBid(a);
        }
      }, 2);
    });
    const serverCpu = cpuOf(server.pid) - serverCpu0;
    const clientUsage = process.cpuUsage(clientCpu0);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
    const machine = machineCpu() - machine0;
    const interrupts = interruptCpu() - interrupts0;
    // PostgreSQL: every process of the server (its backends — pool connections come and go — and its
    // writers), by their CPU in the window.
    const processes1 = processCpu();
    const windowCpu = (pid: number, p: { cpu: number }) => p.cpu - (processes0.get(pid)?.cpu ?? 0);
    const backendsCpu = [...processes1]
      .filter(([, p]) => p.name === 'postgres')
      .reduce((sum, [pid, p]) => sum + windowCpu(pid, p), 0);
    const mine = new Set([server.pid, process.pid]);
    const others = [...processes1]
      .filter(([pid, p]) => !mine.has(pid) && p.name !== 'postgres')
      .map(([pid, p]) => ({ name: p.name, cpu: windowCpu(pid, p) }))
      .filter((p) => p.cpu >= 0.1)
      .sort((a, b) => b.cpu - a.cpu);
    const othersCpu = others.reduce((sum, p) => sum + p.cpu, 0);
    const windowS = (windowEnd - windowStart) / 1000;
    const offered = auctions.reduce((n, a) => n + a.sent, 0) - steadySent;

    // Everything answered and fanned out, then every socket must hold its auction's last seq.
    const settle = Date.now() + 10_000;
    while (auctions.some((a) => a.inFlight > 0) && Date.now() < settle)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 1500));
    let behind = 0;
    for (const state of states) {
      const final = (auctions[state.auction] as AuctionState).highestAckedSeq;
      if (state.lastSeq !== final) behind++;
    }
    for (const state of states) state.socket?.close();
    if (keep) {
      // The next run on this data starts after this one's bids (the sandbox clock only moves ahead).
      const health = (await (await fetch(`${base}/api/health`)).json()) as { serverTime: string };
      await fs.writeFile(manifestFile, JSON.stringify({ ...plan, platformTime: health.serverTime }));
    }

    await stopProcess(server);

    // ---- baseline: a bare ws echo server, the same sockets, the same senders at the same rate ----
    const echoPort = await freePort();
    // The live room's flush interval for this many sockets (DEFAULT_LIVE_OPTIONS, live.ts).
    const { flushIntervalMs, maxFlushIntervalMs, framesPerSecond } = DEFAULT_LIVE_OPTIONS;
    const interval = Math.min(
      maxFlushIntervalMs,
      Math.max(flushIntervalMs, (AUCTIONS * (BIDDERS + WATCHERS) * 1000) / framesPerSecond),
    );
    echo = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'bench', 'auctions.bench.ts'),
        'echo',
        String(echoPort),
        String(interval),
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const bare = await runBareBaseline(echoPort);

    // ---- the table ----
    const perSecond = accepted / windowS;
    console.log('');
    console.log('| figure | measured | baseline in the same run | target |');
    console.log('|---|---|---|---|');
    console.log(
      `| accepted bids/s (offered ${fmt(RATE)}/s; ${fmt(offered / (WARMUP_S + SECONDS), 0)}/s sent, at most ${IN_FLIGHT} unanswered per auction) | ${fmt(perSecond, 0)} | — | ≥ 1,000 |`,
    );
    console.log(
      `| bid → ack at the bidder | ${ackLatency.describe()} | bare ws echo round trip: ${bare.rtt.describe()} | p99 < 50 ms |`,
    );
    console.log(
      `| broadcast: bid \`at\` → watcher receipt (${fmt(broadcastLatency.count)} samples) | ${broadcastLatency.describe()} | bare ws fan-out, same sockets and flush rule, at the offered rate: send → receipt ${bare.broadcast.describe()} | p99 < 100 ms |`,
    );
    console.log(
      `| — bid sent → watcher receipt | ${endToEnd.describe()} | ${commit ? `one-row INSERT commit (WAL flushed), sequential: ${commit.describe()}` : '—'} | — |`,
    );
    console.log(
      `| lost / reordered bids (${fmt(states.length)} sockets); sockets not at the final seq | ${fmt(lost)} / ${fmt(reordered)}; ${fmt(behind)} | — | 0 |`,
    );
    console.log(
      `| refusals in the window | ${[...refusals].map(([c, n]) => `${c} ${fmt(n)}`).join(', ') || 'none'} | — | — |`,
    );
    console.log(
      `| CPU over the window (${cores} cores = ${fmt(cores * windowS, 1)} core-s) | server ${fmt(serverCpu, 1)} s, PostgreSQL ${fmt(backendsCpu, 1)} s, clients ${fmt(clientCpu, 1)} s, interrupts (loopback TCP) ${fmt(interrupts, 1)} s, other processes ${fmt(othersCpu, 1)} s (${others
        .slice(0, 4)
        .map((p) => `${p.name} ${fmt(p.cpu, 1)}`)
        .join(', ')}); machine busy ${fmt(machine, 1)} s | — | — |`,
    );
    if (errors.length > 0) console.log(`  errors: ${errors.slice(0, 5).join(' | ')}`);
    const met =
      perSecond >= 1000 &&
      ackLatency.quantile(0.99) < 50 &&
      broadcastLatency.quantile(0.99) < 100 &&
      lost === 0 &&
      reordered === 0 &&
      behind === 0;
    console.log(`  targets: ${met ? 'met' : 'NOT met'}`);
    if (lost > 0 || reordered > 0 || behind > 0) process.exitCode = 1;
  } finally {
    if (server.exitCode === null) await stopProcess(server);
    if (echo && echo.exitCode === null) await stopProcess(echo);
    if (keep) console.log(`  kept: BENCH_REUSE=${dataDir} npm run bench auctions`);
    else await fs.rm(dataDir, { recursive: true, force: true });
  }
}

interface Plan {
  operatorCookie: string;
  /** Platform time to move the server's sandbox clock to (the auctions' 限时竞价 is on). */
  platformTime: string;
  auctions: { auctionId: string; cookies: string[] }[];
}

/** The auctions in 限时竞价 with their bidders registered and their deposits paid, through the platform in-process. */
async function setUp(dataDir: string, env: Record<string, string>): Promise<Plan> {
  const setup = await makeDiskPlatform(dataDir, env);
  const operator = await setup.as(await setup.makeAccount(['operator'], { displayName: '交易中心' }));
  const made: AuctionInBidding<ApiClient>[] = [];
  // Every auction on the same timeline: the factory moves the clock into its bidding, so it starts from
  // the same instant each time (otherwise the later ones would find the earlier ones closed).
  const setupStart = setup.clock.now();
  for (let i = 0; i < AUCTIONS; i++) {
    setup.clock.set(setupStart);
    made.push(
      await auctionInBidding(setup, {
        procedureType: 'auction',
        bidders: BIDDERS,
        phase: 'timed',
        countdownMinutes: 30,
        startYuan: '1000000.00',
        stepYuan: '100.00',
      }),
    );
    process.stdout.write(
      `\r  setup: ${i + 1} / ${AUCTIONS} auctions with ${BIDDERS} bidders each (deposits paid)`,
    );
  }
  const platformTime = setup.clock.now().toISOString();
  await setup.close();
  return {
    operatorCookie: operator.cookie ?? '',
    platformTime,
    auctions: made.map((m) => ({
      auctionId: m.auctionId,
      cookies: m.bidders.map((b) => b.client.cookie ?? ''),
    })),
  };
}

async function commitBaseline(url: string): Promise<Histogram> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('create table if not exists bench_commit (n int, at timestamptz)');
  const latency = new Histogram();
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await client.query('insert into bench_commit values ($1, now())', [i]);
    latency.add(performance.now() - t0);
  }
  await client.end();
  return latency;
}

/** Platform time − this process's time, from the server's health answers (the round trip's middle). */
async function measureOffset(base: string): Promise<number> {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const t0 = nowMs();
    const res = (await (await fetch(`${base}/api/health`)).json()) as { serverTime: string };
    const t1 = nowMs();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: Date.parse(res.serverTime) - (t0 + t1) / 2 };
  }
  return best.offset;
}

interface BareResult {
  rtt: Histogram;
  broadcast: Histogram;
}

/**
 * The bare `ws` server (a child process): every socket of room k sends to `/r<k>`; each message is echoed to
 * its sender at once (the round trip) and fanned out to the room's sockets with the live room's own rule —
 * one frame per room per flush interval — so the same bytes cross the same number of sockets. The senders
 * send at the offered rate (open loop); 1 watcher in 10 reads the send time of each relayed message.
 */
async function runBareBaseline(port: number): Promise<BareResult> {
  await waitForPort(port);
  const rtt = new Histogram();
  const broadcast = new Histogram();
  const sentAt = new Map<string, number>();
  let measuring = false;
  const rooms: RawSocket[][] = [];
  for (let room = 0; room < AUCTIONS; room++) {
    rooms.push(
      await inBatches(
        Array.from({ length: BIDDERS + WATCHERS }, (_, i) => i),
        100,
        (i) =>
          openWs({
            port,
            path: `/r${room}`,
            onMessage: (payload) => {
              if (payload[0] === 91) {
                // '[': a relayed frame
                if (!measuring || i < BIDDERS || i % SAMPLE_EVERY !== 0) return;
                const received = nowMs();
                for (const m of JSON.parse(payload.toString()) as { t: number }[])
                  broadcast.add(received - m.t);
                return;
              }
              const id = payload.toString('latin1', 27, payload.indexOf(34, 27));
              const at = sentAt.get(id);
              if (at === undefined) return;
              sentAt.delete(id);
              if (measuring) rtt.add(nowMs() - at);
            },
          }),
      ),
    );
  }
  const started = nowMs();
  let sent = 0;
  let n = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = nowMs();
      if (now >= started + WARMUP_S * 1000) measuring = true;
      if (now >= started + (WARMUP_S + SECONDS) * 1000) {
        clearInterval(tick);
        resolve();
        return;
      }
      const due = ((now - started) / 1000) * RATE;
      while (sent < due) {
        const id = `r${++n}`;
        const at = nowMs();
        sentAt.set(id, at);
        // The shape and size of a bid sent over the live socket, with its send time.
        const room = rooms[sent % AUCTIONS] as RawSocket[];
        room[Math.floor(sent / AUCTIONS) % BIDDERS]?.send(
          `{"type":"bid","requestId":"${id}","amountYuan":"1000000.00","t":${at.toFixed(3)}}`,
        );
        sent++;
      }
    }, 2);
  });
  for (const room of rooms) for (const socket of room) socket.close();
  return { rtt, broadcast };
}

async function waitForPort(port: number): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      const socket = await openWs({ port, path: '/', onMessage: () => {} });
      socket.close();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// ---- the baseline's bare ws echo server (this file, run as a child: `… auctions.bench.ts echo <port>`) ----
if (process.argv[2] === 'echo') {
  const require = createRequire(import.meta.url);
  interface BareSocket {
    on(e: 'message', f: (d: Buffer) => void): void;
    on(e: 'close', f: () => void): void;
    send(d: Buffer, o: { binary: boolean }): void;
  }
  const { WebSocketServer } = require('ws') as {
    WebSocketServer: new (opts: {
      port: number;
      host: string;
    }) => { on(e: 'connection', f: (s: BareSocket, req: { url?: string }) => void): void };
  };
  const intervalMs = Number(process.argv[4]);
  const rooms = new Map<
    string,
    { sockets: Set<BareSocket>; pending: Buffer[]; timer: boolean; last: number }
  >();
  const flush = (room: { sockets: Set<BareSocket>; pending: Buffer[]; timer: boolean; last: number }) => {
    room.timer = false;
    room.last = performance.now();
    const parts: Buffer[] = [Buffer.from('[')];
    for (const [i, m] of room.pending.entries()) parts.push(...(i ? [Buffer.from(','), m] : [m]));
    parts.push(Buffer.from(']'));
    room.pending = [];
    const frame = Buffer.concat(parts);
    for (const socket of room.sockets) socket.send(frame, { binary: false });
  };
  const server = new WebSocketServer({ port: Number(process.argv[3]), host: '127.0.0.1' });
  server.on('connection', (socket, req) => {
    const key = req.url ?? '/';
    let room = rooms.get(key);
    if (!room) {
      room = { sockets: new Set(), pending: [], timer: false, last: 0 };
      rooms.set(key, room);
    }
    const joined = room;
    joined.sockets.add(socket);
    socket.on('close', () => joined.sockets.delete(socket));
    socket.on('message', (data) => {
      socket.send(data, { binary: false });
      joined.pending.push(data);
      if (joined.timer) return;
      joined.timer = true;
      const wait = joined.last + intervalMs - performance.now();
      if (wait > 0) setTimeout(() => flush(joined), wait);
      else setImmediate(() => flush(joined));
    });
  });
  process.on('SIGTERM', () => process.exit(0));
} else {
  await main();
}
