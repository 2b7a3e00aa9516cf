import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { type BlobStore, openBlob } from '../../platform/blobs/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { InvalidInput, NotFound } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { canonicalJson } from '../../platform/witness/index.ts';
import type { TendersDb } from './context.ts';
import { type AnnouncementKind, disclosedAnnouncementKinds } from './deps.ts';
import type { VerifyCopyInput } from './schemas.ts';
import { keywordTerms } from './search.ts';
import { normalizedTextSm3, verifyAnnouncementSignature } from './signing.ts';
import * as store from './store.ts';
import { kindNameZh, timelineOf } from './views.ts';

/**
 * The public portal (公共服务, §16): published announcements of the kinds the disclosure catalog lists
 * (信息公开目录, §13) — the portal publishes exactly what it lists — with their hash and signature.
 */

export interface PublicListQuery {
  kind?: AnnouncementKind | undefined;
  category?: string | undefined;
  region?: string | undefined;
  from?: Date | undefined;
  until?: Date | undefined;
  keyword?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

function encodeCursor(publishedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([publishedAt.toISOString(), id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { publishedAt: Date; id: string } {
  const invalid = () =>
    new InvalidInput('CURSOR_INVALID', { title: '分页游标无效', detail: '请从第一页重新查询。' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string')
    throw invalid();
  const publishedAt = new Date(parsed[0]);
  if (Number.isNaN(publishedAt.getTime())) throw invalid();
  return { publishedAt, id: parsed[1] };
}

/** 150000 → '15' (自治区), 150100 → '1501' (盟市), 150102 → '150102' (旗县区). */
export function regionPrefixOf(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export async function listPublicAnnouncements(db: Kysely<TendersDb>, query: PublicListQuery) {
  const disclosed = await disclosedAnnouncementKinds(db);
  const kinds = query.kind ? disclosed.filter((k) => k === query.kind) : disclosed;
  if (kinds.length === 0) return { items: [], nextCursor: null };
  const terms = query.keyword ? keywordTerms(query.keyword) : undefined;
  // A keyword of only punctuation finds nothing rather than everything.
  if (query.keyword && terms?.length === 0) return { items: [], nextCursor: null };
  const rows = await store.listPublished(db, {
    kinds,
    ...(query.category ? { categoryCode: query.category } : {}),
    ...(query.region ? { regionPrefix: regionPrefixOf(query.region) } : {}),
    ...(query.from ? { publishedFrom: query.from } : {}),
    ...(query.until ? { publishedUntil: query.until } : {}),
    ...(terms ? { terms } : {}),
    ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      kind: row.kind as AnnouncementKind,
      kindNameZh: kindNameZh(row.kind),
      title: row.title,
      lotCode: row.lot_code,
      lotName: row.lot_name,
      projectName: row.project_name,
      categoryCode: row.category_code,
      catalogItemCode: row.catalog_item_code,
      regionCode: row.region_code,
      publishedAt: (row.published_at as Date).toISOString(),
      linkedTo: row.linked_to,
      contentSm3: row.content_sm3 as string,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.published_at as Date, last.id) : null,
  };
}

function notPublic(): NotFound {
  return new NotFound('ANNOUNCEMENT_NOT_FOUND', {
    title: '公告不存在',
    detail: '未找到该公告，或该公告不公开。',
  });
}

async function findPublic(db: Kysely<TendersDb>, id: string) {
  const row = await store.findAnnouncement(db, id);
  if (row?.status !== 'published') throw notPublic();
  const disclosed = await disclosedAnnouncementKinds(db);
  if (!disclosed.includes(row.kind)) throw notPublic();
  return row;
}

function linkView(row: { id: string; kind: string; title: string; published_at: Date | null }) {
  return {
    id: row.id,
    kind: row.kind as AnnouncementKind,
    kindNameZh: kindNameZh(row.kind),
    title: row.title,
    publishedAt: (row.published_at as Date).toISOString(),
  };
}

export async function getPublicAnnouncement(db: Kysely<TendersDb>, id: string) {
  const row = await findPublic(db, id);
  const original = row.linked_to ? await store.findAnnouncement(db, row.linked_to) : undefined;
  const changes = await store.listLinkedChanges(db, row.id);
  return {
    id: row.id,
    kind: row.kind as AnnouncementKind,
    kindNameZh: kindNameZh(row.kind),
    title: row.title,
    body: row.body,
    lotId: row.lot_id,
    lotCode: row.lot_code,
    lotName: row.lot_name,
    projectName: row.project_name,
    procedureType: row.procedure_type,
    categoryCode: row.category_code,
    catalogItemCode: row.catalog_item_code,
    regionCode: row.region_code,
    publishedAt: (row.published_at as Date).toISOString(),
    timeline: timelineOf(row),
    depositYuan: row.deposit_yuan === null ? null : fenToYuan(yuanToFen(row.deposit_yuan)),
    attachments: row.attachments,
    linkedTo: original && original.status === 'published' ? linkView(original) : null,
    changes: changes.map(linkView),
    canonicalJson: row.canonical_json as string,
    contentSm3: row.content_sm3 as string,
    signature: row.signature as string,
    keyId: row.key_id as string,
  };
}

export async function openPublicAttachment(
  deps: { db: Kysely<TendersDb>; blobs: BlobStore; clock: Clock },
  id: string,
  index: number,
): Promise<{ filename: string; contentType: string | null; stream: Readable }> {
  const row = await findPublic(deps.db, id);
  const attachment = row.attachments[index];
  if (!attachment) throw new NotFound('ATTACHMENT_NOT_FOUND', { title: '附件不存在' });
  const opened = await openBlob(deps, attachment.sha256);
  return { filename: attachment.filename, contentType: opened.blob.contentType, stream: opened.stream };
}

type MatchedBy = 'canonical-json' | 'sm3' | 'text' | 'body-text';

/**
 * 核验公告副本 (§16 consistency): a pasted text (title and body, or the body; white space ignored), the
 * canonical JSON, or its SM3 — is it what the platform published, and which announcement is it?
 */
export async function verifyAnnouncementCopy(db: Kysely<TendersDb>, input: VerifyCopyInput) {
  let row: store.AnnouncementRow | undefined;
  let matchedBy: MatchedBy | null = null;
  if (input.canonicalJson !== undefined) {
    let normalized: string | null = null;
    try {
      normalized = canonicalJson(JSON.parse(input.canonicalJson));
    } catch {
      // Not JSON: it cannot match; the answer below says so.
      normalized = null;
    }
    if (normalized !== null) {
      row = await store.findPublishedBy(db, 'content_sm3', sm3Hex(normalized));
      if (row) matchedBy = 'canonical-json';
    }
  }
  if (!row && input.sm3 !== undefined) {
    row = await store.findPublishedBy(db, 'content_sm3', input.sm3.toLowerCase());
    if (row) matchedBy = 'sm3';
  }
  if (!row && input.text !== undefined && input.text.trim() !== '') {
    const hash = normalizedTextSm3(input.text);
    row = await store.findPublishedBy(db, 'text_sm3', hash);
    if (row) matchedBy = 'text';
    else {
      row = await store.findPublishedBy(db, 'body_sm3', hash);
      if (row) matchedBy = 'body-text';
    }
  }
  if (row) {
    const disclosed = await disclosedAnnouncementKinds(db);
    if (!disclosed.includes(row.kind)) row = undefined;
  }
  if (!row || !matchedBy) {
    return {
      matches: false,
      matchedBy: null,
      announcement: null,
      signatureValid: null,
      message: '未找到与之一致的已发布公告：该副本与平台发布的原文不一致，或并非本平台发布。',
    };
  }
  const signatureValid = await verifyAnnouncementSignature(
    db,
    row.canonical_json as string,
    row.signature as string,
    row.key_id as string,
  );
  return {
    matches: true,
    matchedBy,
    announcement: { ...linkView(row), lotCode: row.lot_code, contentSm3: row.content_sm3 as string },
    signatureValid,
    message: signatureValid
      ? `与平台于 ${(row.published_at as Date).toISOString()} 发布的“${row.title}”一致，平台签名有效。`
      : `与平台发布的“${row.title}”一致，但平台签名未能验证，请联系交易中心。`,
  };
}

/** A lot's published announcement as the open-data feed reads it (公开数据, §28). */
export interface PublicLotAnnouncement {
  id: string;
  kind: string;
  kindNameZh: string;
  title: string;
  body: string;
  publishedAt: Date;
  documentsFrom: Date | null;
  documentsUntil: Date | null;
  bidDeadline: Date | null;
  openingAt: Date | null;
  depositYuan: string | null;
  linkedTo: string | null;
}

/**
 * The lot's published announcements of the kinds the disclosure catalog lists — what the portal shows —
 * in publication order (the open-data feed builds its releases from them).
 */
export async function listPublicAnnouncementsOfLot(
  db: Kysely<TendersDb>,
  lotId: string,
): Promise<PublicLotAnnouncement[]> {
  const disclosed = new Set(await disclosedAnnouncementKinds(db));
  const rows = await store.listPublishedOfLot(db, lotId);
  return rows
    .filter((row) => disclosed.has(row.kind))
    .map((row) => ({
      id: row.id,
      kind: row.kind,
      kindNameZh: kindNameZh(row.kind),
      title: row.title,
      body: row.body,
      publishedAt: row.published_at as Date,
      documentsFrom: row.documents_from,
      documentsUntil: row.documents_until,
      bidDeadline: row.bid_deadline,
      openingAt: row.opening_at,
      depositYuan: row.deposit_yuan === null ? null : fenToYuan(yuanToFen(row.deposit_yuan)),
      linkedTo: row.linked_to,
    }));
}
