import type { Kysely } from 'kysely';
import { NotFound } from '../../platform/errors.ts';
import { type OpendataDeps, publicBaseOf } from './context.ts';
import type { FeedCursors } from './cursor.ts';
import { compileReleases, type OcdsRelease, recordPackage, releasePackage } from './ocds/index.ts';
import { type FeedQuery, TRIGGER_NAMES_ZH } from './schemas.ts';
import * as store from './store.ts';
import type { OpendataTables } from './tables.ts';
import type { ProcessSnapshot } from './types.ts';

type ReleaseRow = Awaited<ReturnType<typeof store.listReleasesAfter>>[number];

export const PUBLISHER = { name: '内蒙古自治区公共资源交易平台' } as const;

function feedItem(row: ReleaseRow) {
  const kind = row.trigger_kind as keyof typeof TRIGGER_NAMES_ZH;
  return {
    seq: Number(row.seq),
    releaseId: row.release_id,
    ocid: row.ocid,
    lotId: row.lot_id,
    kind,
    kindNameZh: TRIGGER_NAMES_ZH[kind] ?? row.trigger_kind,
    publishedAt: row.published_at.toISOString(),
    release: JSON.parse(row.release) as Record<string, unknown>,
  };
}

/**
 * 公开数据变更流: releases after the cursor's position, in commit order, each exactly once; `next` always
 * comes back (with no new records it names the same position, to poll again later).
 */
export async function readFeed(
  deps: Pick<OpendataDeps, 'db' | 'clock'>,
  cursors: FeedCursors,
  query: FeedQuery,
) {
  const now = deps.clock.now();
  let after = 0;
  if (query.cursor !== undefined) after = await cursors.decode(query.cursor, now);
  else if (query.since !== undefined) after = await store.startSeqFrom(deps.db, new Date(query.since));
  const kinds = query.kind === undefined ? undefined : Array.isArray(query.kind) ? query.kind : [query.kind];
  const rows = await store.listReleasesAfter(deps.db, after, query.limit + 1, kinds);
  const page = rows.slice(0, query.limit);
  const last = page.length > 0 ? Number(page[page.length - 1]!.seq) : after;
  return {
    items: page.map(feedItem),
    next: await cursors.encode(last, now),
    hasMore: rows.length > query.limit,
  };
}

function packageMeta(deps: Pick<OpendataDeps, 'publicUrl' | 'clock'>, path: string) {
  const base = publicBaseOf(deps.publicUrl);
  return {
    uri: new URL(path, base).toString(),
    publishedDate: deps.clock.now().toISOString(),
    publisher: PUBLISHER,
  };
}

async function releasesOf(db: Kysely<OpendataTables>, ocid: string): Promise<OcdsRelease[]> {
  const rows = await store.listReleasesOfOcid(db, ocid);
  if (rows.length === 0)
    throw new NotFound('OCDS_PROCESS_NOT_FOUND', {
      title: '没有这个交易过程的公开数据',
      detail: `ocid ${ocid} 尚无公开记录（公告发布前不公开任何信息）。`,
    });
  return rows.map((row) => JSON.parse(row.release) as OcdsRelease);
}

/** The release package of one process: every release published for it, oldest first. */
export async function processReleasePackage(
  deps: Pick<OpendataDeps, 'db' | 'publicUrl' | 'clock'>,
  ocid: string,
) {
  const releases = await releasesOf(deps.db, ocid);
  return releasePackage(releases, packageMeta(deps, `/api/open/ocds/processes/${ocid}/releases`));
}

/** The record package of one process: its releases and the compiled release (当前汇编版本). */
export async function processRecordPackage(
  deps: Pick<OpendataDeps, 'db' | 'publicUrl' | 'clock'>,
  ocid: string,
) {
  const releases = await releasesOf(deps.db, ocid);
  return recordPackage(
    [{ ocid, releases, compiledRelease: compileReleases(releases) }],
    packageMeta(deps, `/api/open/ocds/records/${ocid}`),
  );
}

/** A page of the feed as an OCDS release package (for OCDS tools that read packages). */
export async function feedReleasePackage(
  deps: Pick<OpendataDeps, 'db' | 'clock' | 'publicUrl'>,
  cursors: FeedCursors,
  query: FeedQuery,
) {
  const page = await readFeed(deps, cursors, query);
  return {
    package: releasePackage(
      page.items.map((item) => item.release as unknown as OcdsRelease),
      packageMeta(deps, '/api/open/ocds/releases'),
    ),
    next: page.next,
    hasMore: page.hasMore,
  };
}

/** Every release after `afterSeq`, in feed order, read page by page (the export streams from it). */
export async function* iterateReleases(
  db: Kysely<OpendataTables>,
  opts: { afterSeq?: number; batchSize?: number } = {},
): AsyncGenerator<{ seq: number; release: OcdsRelease }> {
  let after = opts.afterSeq ?? 0;
  const batch = opts.batchSize ?? 1000;
  for (;;) {
    const rows = await store.listReleasesAfter(db, after, batch);
    for (const row of rows) yield { seq: Number(row.seq), release: JSON.parse(row.release) as OcdsRelease };
    if (rows.length < batch) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

/** Every process with its releases (oldest first), in ocid order, a page of processes at a time. */
export async function* iterateCompiledProcesses(
  db: Kysely<OpendataTables>,
  opts: { batchSize?: number } = {},
): AsyncGenerator<{ ocid: string; releases: OcdsRelease[] }> {
  const batch = opts.batchSize ?? 500;
  let after: string | null = null;
  for (;;) {
    const processes = await store.listProcessesAfter(db, after, batch);
    if (processes.length === 0) return;
    const rows = await store.listReleasesOfOcids(
      db,
      processes.map((p) => p.ocid),
    );
    const byOcid = new Map<string, OcdsRelease[]>();
    for (const row of rows) {
      const list = byOcid.get(row.ocid) ?? [];
      list.push(JSON.parse(row.release) as OcdsRelease);
      byOcid.set(row.ocid, list);
    }
    for (const p of processes) {
      const releases = byOcid.get(p.ocid);
      if (releases && releases.length > 0) yield { ocid: p.ocid, releases };
    }
    if (processes.length < batch) return;
    after = processes[processes.length - 1]!.ocid;
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** A stored snapshot back as the type (its instants were JSON strings). */
export function reviveSnapshot(json: string): ProcessSnapshot {
  return JSON.parse(json, (_key, value: unknown) =>
    typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value) : value,
  ) as ProcessSnapshot;
}

/** The latest public snapshot of every process, in ocid order (the data-specification export). */
export async function* iterateSnapshots(
  db: Kysely<OpendataTables>,
  opts: { batchSize?: number } = {},
): AsyncGenerator<ProcessSnapshot> {
  const batch = opts.batchSize ?? 500;
  let after: string | null = null;
  for (;;) {
    const processes = await store.listProcessesAfter(db, after, batch);
    for (const p of processes) yield reviveSnapshot(p.snapshot);
    if (processes.length < batch) return;
    after = processes[processes.length - 1]!.ocid;
  }
}

/**
 * The bulk file's lines (JSON Lines): one compiled release per process, or every release after `afterSeq`
 * in feed order — with the feed position of each release line (null for a compiled one). The bulk route
 * and `ggzy export ocds` both write these.
 */
export async function* ocdsJsonLines(
  db: Kysely<OpendataTables>,
  opts: { compiled: boolean; afterSeq?: number },
): AsyncGenerator<{ line: string; seq: number | null }> {
  if (opts.compiled) {
    for await (const p of iterateCompiledProcesses(db))
      yield { line: `${JSON.stringify(compileReleases(p.releases))}\n`, seq: null };
  } else {
    for await (const r of iterateReleases(db, opts.afterSeq === undefined ? {} : { afterSeq: opts.afterSeq }))
      yield { line: `${JSON.stringify(r.release)}\n`, seq: r.seq };
  }
}
