/**
 * 交易公告与招标文件 in the browser: the shapes the tenders API answers with (src/trading/tenders/schemas.ts),
 * the Chinese names of the codes, and the conversions between Beijing wall-clock time in a form and the
 * server's instants. Nothing here decides anything: the server checks every time limit and says why.
 */
import { ApiError, api } from './api.ts';

export type AnnouncementKind =
  | 'tender'
  | 'prequalification'
  | 'invitation'
  | 'change'
  | 'termination'
  | 'procurement'
  | 'correction'
  | 'candidates'
  | 'result'
  | 'contract'
  | 'single-source-notice'
  | 'transfer-notice'
  | 'extension'
  | 'deal-publicity'
  | 'no-deal';

export const ANNOUNCEMENT_KIND_NAMES_ZH: Record<AnnouncementKind, string> = {
  tender: '招标公告',
  prequalification: '资格预审公告',
  invitation: '投标邀请书',
  change: '变更/澄清公告',
  termination: '终止公告',
  procurement: '采购公告',
  correction: '更正公告',
  candidates: '中标候选人公示',
  result: '结果公告',
  contract: '合同公告',
  'single-source-notice': '单一来源公示',
  // 拍卖、挂牌、网络竞价: published by the platform for the auction (src/trading/auctions).
  'transfer-notice': '出让（转让）公告',
  extension: '延期公告',
  'deal-publicity': '成交公示',
  'no-deal': '不成交公告',
};

/** 拍卖、挂牌、网络竞价: their announcements lead to the auction's page (/auctions/:id). */
export const AUCTION_PROCEDURE_TYPES: readonly string[] = ['listing', 'auction', 'online-bidding'];

export const ANNOUNCEMENT_KINDS = Object.keys(ANNOUNCEMENT_KIND_NAMES_ZH) as AnnouncementKind[];

/**
 * Kinds that open a procedure and therefore carry a timeline (documents, deadline, opening) — when the
 * kind is the procedure's first announcement (src/trading/tenders/announcements.ts TIMELINE_KINDS).
 */
export const KINDS_WITH_TIMELINE: readonly AnnouncementKind[] = ['tender', 'procurement', 'invitation'];

/** Kinds that refer to an earlier announcement (变更、更正、终止). */
export const LINKED_KINDS: readonly AnnouncementKind[] = ['change', 'correction', 'termination'];

export function kindName(kind: string): string {
  return (ANNOUNCEMENT_KIND_NAMES_ZH as Record<string, string>)[kind] ?? kind;
}

export interface TimelineView {
  documentsFrom: string;
  documentsUntil: string;
  bidDeadline: string;
  openingAt: string;
}

export const TIMELINE_FIELDS: readonly { key: keyof TimelineView; label: string }[] = [
  { key: 'documentsFrom', label: '招标文件获取开始' },
  { key: 'documentsUntil', label: '招标文件获取截止' },
  { key: 'bidDeadline', label: '投标截止' },
  { key: 'openingAt', label: '开标时间' },
];

export interface AttachmentView {
  sha256: string;
  sm3: string;
  size: number;
  filename: string;
}

export interface LinkedAnnouncement {
  id: string;
  kind: AnnouncementKind;
  kindNameZh: string;
  title: string;
  publishedAt: string;
}

// ---- portal ----

export interface PublicAnnouncementListItem {
  id: string;
  kind: AnnouncementKind;
  kindNameZh: string;
  title: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  categoryCode: string;
  catalogItemCode: string;
  regionCode: string;
  publishedAt: string;
  linkedTo: string | null;
  contentSm3: string;
}

export interface PublicAnnouncementList {
  items: PublicAnnouncementListItem[];
  nextCursor: string | null;
}

export interface PublicAnnouncementDetail {
  id: string;
  /** Present when the server offers it: lets a bidder go on to the lot's documents. */
  lotId?: string;
  /** The lot's 交易方式; listing / auction / online-bidding link to the auction's page. */
  procedureType?: string;
  kind: AnnouncementKind;
  kindNameZh: string;
  title: string;
  body: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  categoryCode: string;
  catalogItemCode: string;
  regionCode: string;
  publishedAt: string;
  timeline: TimelineView | null;
  /** 投标保证金（元）, null when none. */
  depositYuan: string | null;
  attachments: AttachmentView[];
  linkedTo: LinkedAnnouncement | null;
  changes: LinkedAnnouncement[];
  canonicalJson: string;
  contentSm3: string;
  signature: string;
  keyId: string;
}

export interface PublicAnnouncementQuery {
  kind?: AnnouncementKind;
  category?: string;
  region?: string;
  from?: string;
  until?: string;
  keyword?: string;
  cursor?: string;
  limit?: number;
}

export interface VerifyCopyInput {
  text?: string;
  canonicalJson?: string;
  sm3?: string;
}

export interface VerifyCopyResult {
  matches: boolean;
  matchedBy: 'canonical-json' | 'sm3' | 'text' | 'body-text' | null;
  announcement: (LinkedAnnouncement & { lotCode: string; contentSm3: string }) | null;
  signatureValid: boolean | null;
  message: string;
}

export const MATCHED_BY_NAMES_ZH: Record<NonNullable<VerifyCopyResult['matchedBy']>, string> = {
  'canonical-json': '规范化内容（JSON）完全一致',
  sm3: 'SM3 摘要一致',
  text: '标题和正文一致（忽略空白差异）',
  'body-text': '正文一致（忽略空白差异）',
};

/** 交易目录 (src/service/catalogs/schemas.ts TradingCatalogView), only what the filters need. */
export interface TradingCatalog {
  version: number;
  categories: { code: string; name: string; items: { code: string; name: string }[] }[];
}

// ---- workspace ----

export interface AnnouncementView {
  id: string;
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  kind: AnnouncementKind;
  kindNameZh: string;
  status: 'draft' | 'published';
  title: string;
  body: string;
  timeline: TimelineView | null;
  /** 投标保证金（元）, null when none. */
  depositYuan: string | null;
  attachments: AttachmentView[];
  linkedTo: string | null;
  /** 投标邀请书: the invitees' 统一社会信用代码; empty for other kinds. */
  invitees: string[];
  categoryCode: string;
  catalogItemCode: string;
  regionCode: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  contentSm3: string | null;
  signature: string | null;
  keyId: string | null;
}

export interface RuleProblem {
  code: string;
  title: string;
  detail?: string | null;
  citation?: string | null;
}

export interface AnnouncementCheck {
  ok: boolean;
  problems: RuleProblem[];
}

export type LotTimelineStatus =
  | 'scheduled'
  | 'documents-open'
  | 'documents-closed'
  | 'bids-closed'
  | 'opening'
  | 'terminated';

export interface LotTimelineView {
  lotId: string;
  lotCode: string;
  procedureType: string;
  rulesAsOf: string;
  publishedAt: string;
  documentsFrom: string;
  documentsUntil: string;
  bidDeadline: string;
  openingAt: string;
  objectionUntil: string | null;
  objectionCitation: string;
  status: LotTimelineStatus;
  statusNameZh: string;
  suspended: boolean;
  terminatedAt: string | null;
}

export interface DocumentVersion {
  version: number;
  sha256: string;
  sm3: string;
  size: number;
  filename: string;
  note: string | null;
  clarificationId: string | null;
  uploadedAt: string;
}

export interface DocumentsView {
  versions: DocumentVersion[];
  downloadedByMe: boolean;
}

export interface ClarificationView {
  id: string;
  content: string;
  affectsPreparation: boolean;
  issuedAt: string;
  documentVersion: number | null;
  previousBidDeadline: string;
  newBidDeadline: string;
  postponed: boolean;
  ruleCitation: string;
  changeAnnouncementId: string | null;
  notifiedOrganizations?: number;
}

export interface DownloadersView {
  count: number;
  items: {
    organizationId: string;
    organizationName: string;
    documentVersion: number;
    downloadedAt: string;
  }[];
}

export interface ObjectionView {
  id: string;
  lotId: string;
  organizationName: string;
  content: string;
  filedAt: string;
  answerDueAt: string;
  status: 'pending' | 'answered';
  answer: string | null;
  answeredAt: string | null;
  changesDocuments: boolean;
  clarificationId: string | null;
  overdue: boolean;
}

export interface NotificationView {
  id: string;
  lotId: string;
  kind: string;
  title: string;
  body: string;
  referenceId: string | null;
  createdAt: string;
}

/** GET /api/my/invitations: a lot this organisation is invited to (邀请招标, not on the portal). */
export interface MyInvitationView {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  invitationId: string;
  title: string;
  invitedAt: string;
  timeline: LotTimelineView;
}

/** 邀请招标: at least this many invitees (招标投标法第十七条; 87号令第十四条) — the server checks it again. */
/** The least a 投标邀请书 names when the procedure does not say (it always does for 邀请招标). */
export const MIN_INVITEES = 3;

/** One 统一社会信用代码 per line (or separated by commas/spaces), trimmed, upper-cased, each once. */
export function parseCreditCodes(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,，;；、]+/)
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
}

/** The codes that are not 18 digits or capital letters (the check digit is the server's to judge). */
export function malformedCreditCodes(codes: readonly string[]): string[] {
  return codes.filter((c) => !/^[0-9A-Z]{18}$/.test(c));
}

export interface BlobView {
  sha256: string;
  sm3: string;
  size: number;
  contentType: string | null;
  createdAt: string;
}

/** 项目 as the projects API lists them (src/trading/projects/schemas.ts), only what the pickers need. */
export interface ProjectListItem {
  id: string;
  code: string;
  name: string;
  status: string;
  statusName: string;
  lotCount: number;
  initiatorName: string;
  agencyName: string | null;
}

export interface ProjectLot {
  id: string;
  code: string;
  seq: number;
  name: string;
  procedureType: string;
  procedureName: string;
  estimateYuan: string;
  status: string;
  statusName: string;
  rulesAsOf: string;
}

export interface ProjectDetail {
  id: string;
  code: string;
  name: string;
  status: string;
  statusName: string;
  lots: ProjectLot[];
}

/** 交易方式 (GET /api/public/procedures), what the tender screens need. */
export interface ProcedureRuleView {
  id: string;
  kind: 'period' | 'same-instant' | 'clarification' | 'objection' | 'deposit-cap';
  descriptionZh: string;
  citation: string;
  minimum: { days: number; counting: 'calendar' | 'working' } | null;
}

export interface ProcedureView {
  type: string;
  nameZh: string;
  law: 'works' | 'gp';
  basis: string;
  firstAnnouncementKind: AnnouncementKind;
  announcementKinds: AnnouncementKind[];
  requiresDocuments: boolean;
  documentsNameZh: string;
  responseNameZh: string;
  /** 邀请招标: the least number of invitees and its rule; null for other procedures. */
  invitation: { minimumInvitees: number; citation: string } | null;
  rules: ProcedureRuleView[];
}

let proceduresOnce: Promise<ProcedureView[]> | null = null;
/** The procedure types and their rules in force today (asked once per page load). */
export function loadProcedures(): Promise<ProcedureView[]> {
  proceduresOnce ??= api.get<{ items: ProcedureView[] }>('/api/public/procedures').then(
    (r) => r.items,
    (error: unknown) => {
      proceduresOnce = null;
      throw error;
    },
  );
  return proceduresOnce;
}

export interface ProcedureCheck {
  lawful: boolean;
  violations: RuleProblem[];
}

// ---- time: forms hold Beijing wall-clock time, the API wants instants ----

const SHANGHAI_PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as `YYYY-MM-DDTHH:mm` in Beijing time (the value of a datetime-local input), or ''. */
export function toBeijingInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const p = Object.fromEntries(SHANGHAI_PARTS.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * A datetime-local value read as Beijing time (whatever the browser's own zone), as ISO 8601 with the
 * +08:00 offset; undefined when empty or malformed.
 */
export function fromBeijingInput(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  return `${m[1]}T${m[2]}:${m[3] ?? '00'}+08:00`;
}

/** A calendar date (YYYY-MM-DD, Beijing) as the instant its day starts or ends. */
export function beijingDayStart(date: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00+08:00` : undefined;
}

export function beijingDayEnd(date: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T23:59:59+08:00` : undefined;
}

/** `12.3 KB`, for attachment sizes. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Uploads one file to the blob store (multipart) and answers its hashes; errors are ApiErrors. */
export async function uploadBlob(file: File): Promise<BlobView> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch('/api/blobs', { method: 'POST', body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'NETWORK_ERROR',
      title: '网络连接失败',
      detail: '文件未能上传，请检查网络后重试。',
    });
  }
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    const b = (body ?? {}) as Record<string, unknown>;
    throw new ApiError({
      ...b,
      status: response.status,
      code: typeof b.code === 'string' ? b.code : `HTTP_${response.status}`,
      title: typeof b.title === 'string' ? b.title : `文件上传失败（${response.status}）`,
    });
  }
  return (await response.json()) as BlobView;
}

/** The public list (cursor-paged, newest first). */
export function listPublicAnnouncements(query: PublicAnnouncementQuery, signal?: AbortSignal) {
  return api.get<PublicAnnouncementList>('/api/public/announcements', {
    query: { ...query },
    ...(signal ? { signal } : {}),
  });
}

export function getPublicAnnouncement(id: string) {
  return api.get<PublicAnnouncementDetail>(`/api/public/announcements/${encodeURIComponent(id)}`);
}

/** Where a published announcement's attachment is downloaded (public, by position). */
export function publicAttachmentUrl(announcementId: string, index: number): string {
  return `/api/public/announcements/${encodeURIComponent(announcementId)}/attachments/${index}`;
}

export function lotPath(lotId: string, rest = ''): string {
  return `/api/lots/${encodeURIComponent(lotId)}${rest}`;
}

function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      return fallback;
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? fallback;
}

/**
 * Downloads a file the API serves only under conditions (the documents period, a registered bidder): the
 * request is made here so a refusal comes back as the server's problem — its Chinese reason and legal
 * citation — instead of a bare error page; a success is saved under the server's file name.
 */
export async function downloadFile(
  url: string,
  fallbackName: string,
): Promise<{ filename: string; sm3: string | null }> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'NETWORK_ERROR',
      title: '网络连接失败',
      detail: '文件未能下载，请检查网络后重试。',
    });
  }
  if (!response.ok) {
    let body: Record<string, unknown> = {};
    try {
      body = (await response.json()) as Record<string, unknown>;
    } catch {
      body = {};
    }
    throw new ApiError({
      ...body,
      status: response.status,
      code: typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
      title: typeof body.title === 'string' ? body.title : `下载失败（${response.status}）`,
    });
  }
  const blob = await response.blob();
  const filename = filenameOf(response.headers.get('content-disposition'), fallbackName);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return { filename, sm3: response.headers.get('x-content-sm3') };
}

/** Adds calendar days to an instant (the clarification preview; the server computes the real date). */
export function addDaysIso(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * 24 * 60 * 60 * 1000).toISOString();
}

/** The form of a clarification (澄清/修改) before it is sent. */
export interface ClarificationDraft {
  content: string;
  affectsPreparation: boolean;
  file: File | null;
  note: string;
  postponeTo: string;
}

export function emptyClarification(): ClarificationDraft {
  return { content: '', affectsPreparation: true, file: null, note: '', postponeTo: '' };
}

/** The ClarificationBody the API takes: uploads the new document version first, when there is one. */
export async function clarificationBody(draft: ClarificationDraft): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {
    content: draft.content,
    affectsPreparation: draft.affectsPreparation,
  };
  if (draft.file) {
    const blob = await uploadBlob(draft.file);
    body.document = {
      sha256: blob.sha256,
      filename: draft.file.name.slice(0, 200),
      ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
    };
  }
  const postpone = fromBeijingInput(draft.postponeTo);
  if (postpone) body.postponeBidDeadlineTo = postpone;
  return body;
}
