import { isoDate } from './mapping.ts';
import { compileReleases } from './merge.ts';
import type {
  LinkedRelease,
  OcdsRecord,
  OcdsRecordPackage,
  OcdsRelease,
  OcdsReleasePackage,
  PackageMeta,
} from './types.ts';

/** The bids extension (bid statistics and details), version 1.1.5. */
export const BIDS_EXTENSION_URL =
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json';

/** Where the platform serves its private extension, relative to the public address. */
export const GGZY_EXTENSION_PATH = '/api/open/ocds/extensions/ggzy/extension.json';
export const GGZY_EXTENSION_SCHEMA_PATH = '/api/open/ocds/extensions/ggzy/release-schema.json';

/** The extension.json of the ggzy extension, with absolute URLs under `publicUrl`. */
export function ggzyExtensionMetadata(publicUrl: string): Record<string, unknown> {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    name: { zh: '内蒙古公共资源交易平台扩展', en: 'ggzy private extension' },
    description: {
      zh: '标段与项目编号、交易目录、投标保证金、开标记录 SM3 摘要、中标候选人排名与得分、专家抽取记录引用、触发本发布的见证事件。',
      en: 'Lot and project codes, trading catalogue, bid deposit, opening record SM3 digest, ranked award candidates with scores, expert-draw reference and the witness event behind each release.',
    },
    documentationUrl: { zh: `${base}/open-data#ggzy-extension` },
    compatibility: ['1.1'],
    schemas: ['release-schema.json'],
  };
}

function extensionsOf(meta: PackageMeta): string[] {
  if (meta.extensions) return meta.extensions;
  if (!URL.canParse(meta.uri)) throw new Error(`an OCDS package URI must be absolute: ${meta.uri}`);
  return [BIDS_EXTENSION_URL, new URL(GGZY_EXTENSION_PATH, meta.uri).toString()];
}

function header(meta: PackageMeta) {
  const publishedDate =
    typeof meta.publishedDate === 'string' ? meta.publishedDate : isoDate(meta.publishedDate);
  return {
    uri: meta.uri,
    version: '1.1' as const,
    extensions: extensionsOf(meta),
    publishedDate,
    publisher: meta.publisher,
    ...(meta.license ? { license: meta.license } : {}),
    ...(meta.publicationPolicy ? { publicationPolicy: meta.publicationPolicy } : {}),
  };
}

/** A release package: publishing metadata and one or more releases. */
export function releasePackage(releases: OcdsRelease[], meta: PackageMeta): OcdsReleasePackage {
  return { ...header(meta), releases };
}

/**
 * The record of one process: its releases in date order — embedded, or linked when `packageUrl` (the
 * release package that holds them) is given: `<packageUrl>#<release id>` — and the compiled release.
 */
export function recordOf(releases: OcdsRelease[], options: { packageUrl?: string } = {}): OcdsRecord {
  const compiledRelease = compileReleases(releases);
  const ordered = [...releases].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  const { packageUrl } = options;
  return {
    ocid: compiledRelease.ocid,
    releases: packageUrl
      ? ordered.map((r): LinkedRelease => ({ url: `${packageUrl}#${r.id}`, date: r.date, tag: r.tag }))
      : ordered,
    compiledRelease,
  };
}

/** A record package: publishing metadata and one or more records (each with its compiled release). */
export function recordPackage(
  records: OcdsRecord[],
  meta: PackageMeta & { packages?: string[] },
): OcdsRecordPackage {
  return {
    ...header(meta),
    ...(meta.packages && meta.packages.length > 0 ? { packages: meta.packages } : {}),
    records,
  };
}
