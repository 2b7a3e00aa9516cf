import type { Clock } from '../../platform/clock/index.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { ReadDb } from './context.ts';
import { requireSupervisorScope } from './deps.ts';
import { catchUpIndex } from './indexer.ts';
import * as store from './store.ts';
import { type EventView, toEventView } from './views.ts';

export interface LiveLogger {
  warn(obj: object, msg: string): void;
}

/**
 * 实时监督的推送: a long poll over the witness log with the leaf index as cursor. A request that finds
 * nothing new in its scope waits here; one ticker per instance (running only while someone waits)
 * brings the index up to the log every `tickMs` and wakes the waiters when it grew.
 *
 * Why a long poll and not a WebSocket or SSE: the witness log becomes ordered only when the sequencer
 * gives events their leaf indices, a moment nobody announces — so any push would poll the log anyway.
 * The cursor (a leaf index) makes the channel gapless and duplicate-free across reconnections, restarts
 * and instances, with no state on the server between requests; each request is an ordinary authenticated
 * GET under the platform's route policy; and it passes proxies that drop long-lived connections.
 */
export class LiveFeed {
  readonly #db: ReadDb;
  readonly #clock: Clock;
  readonly #tickMs: number;
  readonly #log: LiveLogger | null;
  readonly #waiters = new Set<() => void>();
  #timer: NodeJS.Timeout | null = null;
  #ticking = false;
  #closed = false;
  #seen = -1;

  constructor(db: ReadDb, clock: Clock, opts: { tickMs?: number; logger?: LiveLogger } = {}) {
    this.#db = db;
    this.#clock = clock;
    this.#tickMs = opts.tickMs ?? 500;
    this.#log = opts.logger ?? null;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Waiting requests on this instance (tests, operations). */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Resolves when the index grows, after `ms`, or when `signal` aborts — whichever comes first. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timeout);
        signal?.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const timeout = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#timer || this.#closed || this.#waiters.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#tick().finally(() => this.#schedule());
    }, this.#tickMs);
  }

  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      const { indexedThrough } = await catchUpIndex(this.#db, this.#clock);
      if (indexedThrough > this.#seen) {
        this.#seen = indexedThrough;
        for (const wake of [...this.#waiters]) wake();
      }
    } catch (error) {
      this.#log?.warn({ err: error }, '实时监督：见证日志索引更新失败，稍后重试');
    } finally {
      this.#ticking = false;
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const wake of [...this.#waiters]) wake();
  }
}

export interface LiveQuery {
  /** The cursor: events with a larger leaf index. Absent: the latest events (first call). */
  after?: number | undefined;
  /** Seconds to wait for something new when there is nothing (0 answers at once). */
  wait: number;
  limit: number;
}

export interface LivePage {
  items: EventView[];
  /** Pass back as `after`: every event up to here has been considered for this scope. */
  cursor: number;
  department: string;
}

/** The events of the projects in the supervisor's scope after the cursor; waits for new ones if none. */
export async function readLiveEvents(
  deps: { db: ReadDb; clock: Clock; feed: LiveFeed },
  actor: Actor | null,
  query: LiveQuery,
  signal?: AbortSignal,
): Promise<LivePage> {
  const scope = await requireSupervisorScope(deps.db, actor);
  const deadline = Date.now() + query.wait * 1000;
  await catchUpIndex(deps.db, deps.clock);
  for (;;) {
    const through = await store.readCursor(deps.db);
    if (query.after === undefined) {
      const rows = await store.listLatestScopedEvents(deps.db, scope, query.limit);
      return { items: rows.map(toEventView), cursor: through, department: scope.department };
    }
    const rows = await store.listScopedEventsAfter(deps.db, scope, query.after, query.limit);
    const remaining = deadline - Date.now();
    if (rows.length > 0 || remaining <= 0 || signal?.aborted || deps.feed.closed) {
      const last = rows.at(-1);
      const cursor =
        rows.length === query.limit && last
          ? Number(last.leaf_index)
          : Math.max(through, query.after, last ? Number(last.leaf_index) : -1);
      return { items: rows.map(toEventView), cursor, department: scope.department };
    }
    await deps.feed.wait(remaining, signal);
  }
}
