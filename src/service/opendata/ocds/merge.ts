import type { OcdsRelease } from './types.ts';

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Release fields that describe the release itself, not the process (omitWhenMerged in the schema). */
const OMIT_WHEN_MERGED = new Set(['id', 'date', 'tag']);

/** Lists replaced as a whole even though their items could carry ids (wholeListMerge in the schema). */
const WHOLE_LIST_MERGE = new Set(['additionalIdentifiers']);

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = clone(v);
    return out;
  }
  return value;
}

/** An array merged by id: every item is an object with an `id`. */
function hasIds(items: unknown[]): items is (JsonObject & { id: string | number })[] {
  return (
    items.length > 0 &&
    items.every((i) => isObject(i) && (typeof i.id === 'string' || typeof i.id === 'number'))
  );
}

function mergeArray(key: string, target: unknown, source: unknown[]): unknown[] {
  if (WHOLE_LIST_MERGE.has(key) || !hasIds(source)) return source.map(clone);
  const merged: unknown[] = Array.isArray(target) && hasIds(target) ? target.map(clone) : [];
  const at = new Map<string, number>();
  merged.forEach((item, i) => {
    if (isObject(item)) at.set(String(item.id), i);
  });
  for (const item of source) {
    const i = at.get(String(item.id));
    if (i === undefined) {
      at.set(String(item.id), merged.length);
      merged.push(clone(item));
    } else {
      merged[i] = mergeObject(merged[i], item);
    }
  }
  return merged;
}

/** Merges `source` into a copy of `target`: last write wins per field, null removes a field. */
function mergeObject(target: unknown, source: JsonObject, omit?: Set<string>): JsonObject {
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(source)) {
    if (omit?.has(key)) continue;
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = mergeArray(key, out[key], value);
    else if (isObject(value)) out[key] = mergeObject(out[key], value);
    else out[key] = value;
  }
  return out;
}

/**
 * The compiled release of one contracting process (OCDS merge rules): releases in date order, each field
 * the last value written, arrays of objects with ids merged item by item (awards, bids, documents,
 * parties …), other arrays replaced whole; `tag: ['compiled']`, `id: <ocid>-<date of the last release>`.
 */
export function compileReleases(releases: readonly OcdsRelease[]): OcdsRelease {
  const first = releases[0];
  if (!first) throw new Error('compileReleases needs at least one release');
  const ocid = first.ocid;
  const other = releases.find((r) => r.ocid !== ocid);
  if (other) throw new Error(`releases of different processes: ${ocid} and ${other.ocid}`);
  const ordered = releases
    .map((release, index) => ({ release, index, time: Date.parse(release.date) }))
    .sort((a, b) => a.time - b.time || a.index - b.index);
  let merged: JsonObject = {};
  for (const { release } of ordered) {
    merged = mergeObject(merged, release as unknown as JsonObject, OMIT_WHEN_MERGED);
  }
  const last = ordered[ordered.length - 1]!.release;
  const { ocid: _ocid, ...rest } = merged;
  return {
    ocid,
    id: `${ocid}-${last.date}`,
    date: last.date,
    tag: ['compiled'],
    ...rest,
  } as unknown as OcdsRelease;
}
