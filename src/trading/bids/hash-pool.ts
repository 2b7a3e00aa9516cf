import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * 摘要线程池: SM3 and SHA-256 of the staged bid parts are computed on worker threads, not on the thread
 * that serves HTTP. At a bid deadline hundreds of bidders upload at once, and SM3 (~350 MB/s a core here)
 * would otherwise cap intake at the speed of one core while it also parses requests and writes files.
 *
 * A part's chunks are hashed in order: each part is pinned to one worker and its committed chunks (written,
 * fsync'd and recorded) are sent as (file, offset, length) — the worker reads them back from the page cache.
 * The running state lives in the worker; `take` at completion waits behind the part's pending chunks. A state
 * that is missing or out of step (a restart, a chunk served by another instance) gives null, and the caller
 * hashes the whole file instead (`hashFile`, also on a worker). The worker is source text run with
 * `eval: true`, so it works the same from the TypeScript sources and from the bundled `dist/ggzy.mjs`.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');
const states = new Map();
const buffer = Buffer.allocUnsafe(1 << 20);

function hashRange(state, file, offset, length) {
  const fd = fs.openSync(file, 'r');
  try {
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, length - done), offset + done);
      if (n === 0) throw new Error('short read at ' + (offset + done) + ' of ' + file);
      const view = buffer.subarray(0, n);
      state.sm3.update(view);
      state.sha256.update(view);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function fresh() {
  return { offset: 0, sm3: crypto.createHash('sm3'), sha256: crypto.createHash('sha256') };
}

parentPort.on('message', (m) => {
  try {
    if (m.op === 'update') {
      let state = states.get(m.key);
      if (!state && m.offset === 0) states.set(m.key, (state = fresh()));
      if (!state || state.offset !== m.offset) {
        states.delete(m.key);
        parentPort.postMessage({ id: m.id, result: false });
        return;
      }
      hashRange(state, m.file, m.offset, m.length);
      state.offset += m.length;
      parentPort.postMessage({ id: m.id, result: true });
    } else if (m.op === 'take') {
      const state = states.get(m.key);
      states.delete(m.key);
      const result =
        state && state.offset === m.length
          ? { sm3: state.sm3.digest('hex'), sha256: state.sha256.digest('hex') }
          : null;
      parentPort.postMessage({ id: m.id, result });
    } else if (m.op === 'file') {
      const state = fresh();
      const size = fs.statSync(m.file).size;
      hashRange(state, m.file, 0, size);
      parentPort.postMessage({
        id: m.id,
        result: { sm3: state.sm3.digest('hex'), sha256: state.sha256.digest('hex'), size },
      });
    } else if (m.op === 'forget') {
      for (const key of [...states.keys()]) if (key.startsWith(m.prefix)) states.delete(key);
      parentPort.postMessage({ id: m.id, result: true });
    }
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String((error && error.message) || error) });
  }
});
`;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

export interface PartDigests {
  sm3: string;
  sha256: string;
}

export class HashPool {
  private workers: PoolWorker[] = [];
  private nextId = 1;

  constructor(private readonly size = Math.max(1, Math.min(4, availableParallelism()))) {}

  /** Hashes the committed chunk [offset, offset+length) of a part's staging file, after the chunks before it. */
  update(key: string, file: string, offset: number, length: number): Promise<boolean> {
    return this.call(key, { op: 'update', key, file, offset, length }) as Promise<boolean>;
  }

  /** The part's digests if every byte up to `length` was hashed in order; null otherwise. Ends the state. */
  take(key: string, length: number): Promise<PartDigests | null> {
    return this.call(key, { op: 'take', key, length }) as Promise<PartDigests | null>;
  }

  /** SM3, SHA-256 and size of a whole file. */
  hashFile(file: string): Promise<PartDigests & { size: number }> {
    return this.call(file, { op: 'file', file }) as Promise<PartDigests & { size: number }>;
  }

  /** Drops the states of keys starting with `prefix` (an upload given up or completed). */
  async forget(prefix: string): Promise<void> {
    this.start();
    await Promise.all(this.workers.map((w) => this.send(w, { op: 'forget', prefix })));
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private call(key: string, message: Record<string, unknown>): Promise<unknown> {
    this.start();
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
    return this.send(this.workers[h % this.workers.length] as PoolWorker, message);
  }

  private send(target: PoolWorker, message: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      // Held open only while an answer is awaited.
      if (target.pending.size === 1) target.worker.ref();
      target.worker.postMessage({ ...message, id });
    });
  }

  private start(): void {
    if (this.workers.length > 0) return;
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      // Idle workers must not keep a command (or a test run) alive.
      worker.unref();
      const entry: PoolWorker = { worker, pending: new Map() };
      worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
        const pending = entry.pending.get(m.id);
        entry.pending.delete(m.id);
        if (entry.pending.size === 0) worker.unref();
        if (!pending) return;
        if (m.error !== undefined) pending.reject(new Error(m.error));
        else pending.resolve(m.result);
      });
      const fail = (error: Error) => {
        for (const p of entry.pending.values()) p.reject(error);
        entry.pending.clear();
        // A dead worker is replaced on the next call; its parts fall back to hashing the whole file.
        this.workers = this.workers.filter((w) => w !== entry);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (entry.pending.size > 0) fail(new Error(`hash worker exited with code ${code}`));
        this.workers = this.workers.filter((w) => w !== entry);
      });
      this.workers.push(entry);
    }
  }
}

/** One pool per process: the workers start on first use and never hold the process open. */
export const hashPool = new HashPool();
