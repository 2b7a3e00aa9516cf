import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import cliProgress from 'cli-progress';
import type { Kysely } from 'kysely';
import { allMigrations } from '../migrations.ts';
import { migrateToLatest, openDatabase } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';
import { dataspecRecordsOf, platformCodesOf, validateRecord } from '../service/dataspec/index.ts';
import { FeedCursors, iterateSnapshots, type OpendataDb, ocdsJsonLines } from '../service/opendata/index.ts';
import type { AllTables } from '../tables.ts';
import { configOrExit, describeDatabase, failAndExit } from './common.ts';

type Print = (line: string) => void;

/** A progress line on a terminal only (never in a pipe or a log); counts, as the total is not known. */
function progress(what: string) {
  if (!process.stderr.isTTY) return { tick: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `正在导出${what} {value} 条 | 用时 {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Number.MAX_SAFE_INTEGER, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}

/** Joins small lines into chunks of about `size` characters: one stream write per chunk, not per line. */
async function* chunked(lines: AsyncIterable<string>, size = 64 * 1024): AsyncGenerator<string> {
  let parts: string[] = [];
  let length = 0;
  for await (const line of lines) {
    parts.push(line);
    length += line.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/**
 * Writes `lines` to `file` (gzip when it ends in .gz) with backpressure: the pipeline pulls the next line
 * only when the file (or the compressor) has room. Written to `<file>.partial` and renamed at the end,
 * so an interrupted export never leaves a file that looks complete.
 */
export async function writeLines(file: string, lines: AsyncIterable<string>): Promise<void> {
  const partial = `${file}.partial`;
  try {
    const source = Readable.from(chunked(lines), { objectMode: false });
    if (file.endsWith('.gz')) await pipeline(source, createGzip(), createWriteStream(partial));
    else await pipeline(source, createWriteStream(partial));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** `--since`: a plain sequence number, or a feed cursor the platform signed (/api/open/feed `next`). */
export async function sinceSeq(
  db: Kysely<OpendataDb>,
  since: string | undefined,
  now: Date,
): Promise<number> {
  if (since === undefined) return 0;
  if (/^\d+$/.test(since)) return Number(since);
  return new FeedCursors(db).decode(since, now);
}

export interface ExportOcdsOptions {
  out: string;
  compiled: boolean;
  since?: string;
}

/**
 * `ggzy export ocds --out FILE [--compiled] [--since CURSOR]`: the public OCDS releases as JSON Lines,
 * one release per line in feed order (or, with --compiled, one compiled release per contracting process),
 * streamed from the database. Returns the exit code.
 */
export async function exportOcds(
  opts: ExportOcdsOptions,
  print: Print = (l) => console.error(l),
): Promise<number> {
  if (opts.compiled && opts.since !== undefined) {
    print('--compiled 输出每个交易过程的全部发布编译结果，不能与 --since 同用。');
    return 2;
  }
  const config = configOrExit();
  try {
    const handle = await openDatabase<AllTables>(config.database, { poolSize: 2 });
    try {
      await migrateToLatest(handle.db, allMigrations);
      const started = Date.now();
      let afterSeq: number;
      try {
        afterSeq = await sinceSeq(handle.db, opts.since, new Date());
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        print(`${error.title}：${error.detail ?? ''}`);
        return 2;
      }
      if (process.stderr.isTTY) print(`数据库 database: ${describeDatabase(config)}`);
      const bar = progress(opts.compiled ? '编译发布' : '发布');
      let count = 0;
      let lastSeq = afterSeq;
      async function* lines(): AsyncGenerator<string> {
        for await (const { line, seq } of ocdsJsonLines(handle.db, { compiled: opts.compiled, afterSeq })) {
          count++;
          if (seq !== null) lastSeq = seq;
          bar.tick();
          yield line;
        }
      }
      try {
        await writeLines(opts.out, lines());
      } finally {
        bar.stop();
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(2);
      const what = opts.compiled ? '个交易过程的编译发布' : '条发布';
      const resume = opts.compiled ? '' : `，最后序号 ${lastSeq}（下次可用 --since ${lastSeq} 续导）`;
      print(`已导出 ${count} ${what}到 ${opts.out}，用时 ${seconds} 秒${resume}`);
      return 0;
    } finally {
      await handle.close();
    }
  } catch (error) {
    return failAndExit(config, error);
  }
}

// ---- 数据规范 (data specification) export ----

export interface ExportDataspecOptions {
  out: string;
}

/**
 * `ggzy export dataspec --out DIR`: every public process as records of the data specification, one
 * `<TABLE>.jsonl` per table (one record per line), each record validated field by field before it is
 * written. A record that fails stops the export (exit 1) naming the process, table, field and rule; no
 * file is left behind that looks complete (`.partial` until the end). Returns the exit code.
 */
export async function exportDataspec(
  opts: ExportDataspecOptions,
  print: Print = (l) => console.error(l),
): Promise<number> {
  const config = configOrExit();
  const codes = platformCodesOf(config);
  try {
    const handle = await openDatabase<AllTables>(config.database, { poolSize: 2 });
    const files = new Map<string, WriteStream>();
    const closeAll = async () => {
      await Promise.all(
        [...files.values()].map(async (stream) => {
          stream.end();
          if (!stream.closed) await once(stream, 'close');
        }),
      );
    };
    let ok = false;
    try {
      await migrateToLatest(handle.db, allMigrations);
      await mkdir(opts.out, { recursive: true });
      const started = Date.now();
      if (process.stderr.isTTY) print(`数据库 database: ${describeDatabase(config)}`);
      const bar = progress('交易过程的数据规范记录');
      const counts = new Map<string, number>();
      let processes = 0;
      try {
        for await (const snapshot of iterateSnapshots(handle.db)) {
          processes++;
          for (const { table, record } of dataspecRecordsOf(snapshot, codes)) {
            const problems = validateRecord(table, record);
            if (problems.length > 0) {
              bar.stop();
              print(`导出中止：交易过程 ${snapshot.ocid} 的 ${table} 记录不符合数据规范：`);
              for (const p of problems) print(`  - ${p.field || table}〔${p.rule}〕${p.message}`);
              return 1;
            }
            let stream = files.get(table);
            if (!stream) {
              stream = createWriteStream(path.join(opts.out, `${table}.jsonl.partial`));
              files.set(table, stream);
            }
            if (!stream.write(`${JSON.stringify(record)}\n`)) await once(stream, 'drain');
            counts.set(table, (counts.get(table) ?? 0) + 1);
          }
          bar.tick();
        }
      } finally {
        bar.stop();
      }
      await closeAll();
      for (const table of files.keys()) {
        const file = path.join(opts.out, `${table}.jsonl`);
        await rename(`${file}.partial`, file);
      }
      ok = true;
      const seconds = ((Date.now() - started) / 1000).toFixed(2);
      print(`已导出 ${processes} 个交易过程的数据规范记录到 ${opts.out}，用时 ${seconds} 秒：`);
      for (const [table, n] of [...counts].sort()) print(`  ${table}.jsonl  ${n} 条`);
      return 0;
    } finally {
      if (!ok) {
        await closeAll();
        await Promise.all(
          [...files.keys()].map((t) => rm(path.join(opts.out, `${t}.jsonl.partial`), { force: true })),
        );
      }
      await handle.close();
    }
  } catch (error) {
    return failAndExit(config, error);
  }
}
