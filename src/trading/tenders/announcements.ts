import { randomUUID } from 'node:crypto';
import { getBlobRecord } from '../../platform/blobs/index.ts';
import { AppError, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { CheckpointSigner, WitnessOrigin } from '../../platform/witness/index.ts';
import {
  ANNOUNCEMENT_WITNESS_TYPE,
  CITATIONS,
  lawOf,
  notifyOrganizations,
  type ReadDb,
  scheduleTimelineTicks,
  TENDER_WITNESS_TYPE,
  type TendersContext,
  type Tx,
  witness,
} from './context.ts';
import {
  type AnnouncementKind,
  assertDeposit,
  assertLotReceived,
  assertMayActForLot,
  assertTimeline,
  checkTimeline,
  findLot,
  findTradingCatalogItem,
  getProcedure,
  type LotSummary,
  objectionWindow,
  type Timeline,
  tenderLawOf,
} from './deps.ts';
import { checkInvitees, distinctCreditCodes, type Invitee, issueInvitations } from './invitations.ts';
import { requireSignedIn } from './policy.ts';
import type { AnnouncementDraftInput, AnnouncementUpdateInput } from './schemas.ts';
import { searchTermsOf } from './search.ts';
import {
  canonicalAnnouncement,
  loadAnnouncementSigner,
  normalizedTextSm3,
  sealAnnouncement,
} from './signing.ts';
import * as store from './store.ts';
import type { AnnouncementAttachment } from './tables.ts';
import { kindNameZh } from './views.ts';

/** Announcements that set the lot's timeline (and need the documents uploaded first). */
const TIMELINE_KINDS: readonly AnnouncementKind[] = ['tender', 'procurement', 'invitation'];
/** Announcements about an earlier one: a change or correction, or the end of the procedure. */
const LINKED_KINDS: readonly AnnouncementKind[] = ['change', 'correction', 'termination'];

function bearsTimeline(lot: LotSummary, kind: string): boolean {
  const procedure = getProcedure(lot.procedureType);
  return kind === procedure.firstAnnouncementKind && (TIMELINE_KINDS as readonly string[]).includes(kind);
}

function assertKindAllowed(lot: LotSummary, kind: string): void {
  tenderLawOf(lot.procedureType); // 拍卖、挂牌、网络竞价 publish through trading/auctions, never here
  assertKindOfProcedure(lot, kind);
}

/** 拍卖、挂牌、网络竞价 (law 'rights'): their announcements come only from trading/auctions, as system announcements. */
function isRightsLot(lot: LotSummary): boolean {
  return getProcedure(lot.procedureType).law === 'rights';
}

function assertKindOfProcedure(lot: LotSummary, kind: string): void {
  const procedure = getProcedure(lot.procedureType);
  if (!(procedure.announcementKinds as readonly string[]).includes(kind)) {
    throw new RuleViolation('ANNOUNCEMENT_KIND_NOT_ALLOWED', {
      title: `${procedure.nameZh}不发布${kindNameZh(kind)}`,
      detail: `${procedure.nameZh}可发布的公告类型为：${procedure.announcementKinds.map(kindNameZh).join('、')}。`,
      citation: procedure.basis,
    });
  }
}

export function announcementImmutable(): RuleViolation {
  return new RuleViolation('ANNOUNCEMENT_IMMUTABLE', {
    title: '已发布的公告不可修改',
    detail:
      '公告发布后内容即固定，并已由平台签名；如需变更，请发布变更（更正）公告并关联原公告，澄清或修改招标文件时平台会自动发布变更公告。',
    citation: CITATIONS.immutable,
  });
}

function announcementNotFound(): NotFound {
  return new NotFound('ANNOUNCEMENT_NOT_FOUND', { title: '公告不存在', detail: '未找到该标段的这条公告。' });
}

async function loadOwnAnnouncement(db: ReadDb, lotId: string, announcementId: string) {
  const row = await store.findAnnouncement(db, announcementId);
  if (!row || row.lot_id !== lotId) throw announcementNotFound();
  return row;
}

async function resolveAttachments(
  db: ReadDb,
  inputs: { sha256: string; filename: string }[],
): Promise<AnnouncementAttachment[]> {
  const out: AnnouncementAttachment[] = [];
  for (const input of inputs) {
    const blob = await getBlobRecord(db, input.sha256);
    if (!blob) {
      throw new InvalidInput('ATTACHMENT_NOT_FOUND', {
        title: '附件不存在',
        detail: `未找到摘要为 ${input.sha256} 的文件，请先上传。`,
      });
    }
    out.push({ sha256: blob.sha256, sm3: blob.sm3, size: blob.size, filename: input.filename });
  }
  return out;
}

async function categoryOf(db: ReadDb, lot: LotSummary): Promise<string> {
  const item = await findTradingCatalogItem(db, lot.catalogItemCode);
  return item?.categoryCode ?? lot.catalogItemCode.slice(0, 2);
}

async function assertLinkable(
  db: ReadDb,
  lot: LotSummary,
  kind: string,
  linkedTo: string | null | undefined,
) {
  if (!(LINKED_KINDS as readonly string[]).includes(kind)) return null;
  if (!linkedTo) {
    throw new InvalidInput('LINKED_ANNOUNCEMENT_REQUIRED', {
      title: `${kindNameZh(kind)}须关联原公告`,
      detail: '请指定本公告所变更、更正或终止的原公告。',
    });
  }
  const original = await store.findAnnouncement(db, linkedTo);
  if (!original || original.lot_id !== lot.id || original.status !== 'published') {
    throw new RuleViolation('LINKED_ANNOUNCEMENT_INVALID', {
      title: '原公告不存在或尚未发布',
      detail: '变更、更正或终止公告只能关联本标段已发布的公告。',
    });
  }
  return original.id;
}

function timelineColumns(timeline: AnnouncementDraftInput['timeline']) {
  return {
    documents_from: timeline?.documentsFrom ?? null,
    documents_until: timeline?.documentsUntil ?? null,
    bid_deadline: timeline?.bidDeadline ?? null,
    opening_at: timeline?.openingAt ?? null,
  };
}

/**
 * A 投标邀请书 names its invitees (at least three accepted bidders/suppliers, 招标投标法第十七条;
 * 87号令第十四条); no other kind does. Returns the codes to store, each once.
 */
async function assertInvitees(
  db: ReadDb,
  lot: LotSummary,
  kind: string,
  codes: readonly string[] | undefined,
): Promise<string[]> {
  if (kind !== 'invitation' || !getProcedure(lot.procedureType).invitation) {
    if (codes && codes.length > 0) {
      throw new InvalidInput('INVITEES_NOT_APPLICABLE', {
        title: `${kindNameZh(kind)}不列受邀单位`,
        detail: '只有邀请招标的投标邀请书列明受邀单位。',
      });
    }
    return [];
  }
  const { problems } = await checkInvitees(db, lot, codes ?? []);
  if (problems[0]) throw problems[0];
  return distinctCreditCodes(codes ?? []);
}

// ---- drafts ----

/** 起草公告: the initiator or its authorised agency drafts an announcement of an allowed kind. */
export async function createAnnouncementDraft(
  ctx: TendersContext,
  lotId: string,
  input: AnnouncementDraftInput,
) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  assertLotReceived(lot);
  assertKindAllowed(lot, input.kind);
  if (bearsTimeline(lot, input.kind) && !input.timeline) {
    throw new InvalidInput('TIMELINE_REQUIRED', {
      title: `${kindNameZh(input.kind)}须载明时间安排`,
      detail: '请填写招标文件发售起止时间、投标截止时间和开标时间。',
    });
  }
  const linkedTo = await assertLinkable(ctx.db, lot, input.kind, input.linkedTo);
  const invitees = await assertInvitees(ctx.db, lot, input.kind, input.invitees);
  const attachments = await resolveAttachments(ctx.db, input.attachments);
  const categoryCode = await categoryOf(ctx.db, lot);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertAnnouncement(tx, {
      id: randomUUID(),
      lot_id: lot.id,
      lot_code: lot.code,
      lot_name: lot.name,
      project_name: lot.projectName,
      procedure_type: lot.procedureType,
      kind: input.kind,
      status: 'draft',
      title: input.title,
      body: input.body,
      ...timelineColumns(bearsTimeline(lot, input.kind) ? input.timeline : undefined),
      deposit_yuan: bearsTimeline(lot, input.kind) ? (input.depositYuan ?? null) : null,
      attachments: JSON.stringify(attachments),
      invitees: JSON.stringify(invitees),
      linked_to: linkedTo,
      catalog_item_code: lot.catalogItemCode,
      category_code: categoryCode,
      region_code: lot.regionCode,
      initiator_organization_id: lot.initiatorOrganizationId,
      created_by: actor.accountId,
      created_at: at,
      updated_at: at,
      published_at: null,
      published_by: null,
      canonical_json: null,
      content_sm3: null,
      text_sm3: null,
      body_sm3: null,
      signature: null,
      key_id: null,
      search_terms: '',
    });
    await witness(tx, at, ctx.origin, ANNOUNCEMENT_WITNESS_TYPE, row.id, 'announcement.drafted', {
      lotId: lot.id,
      kind: input.kind,
    });
    return row;
  });
}

/** Edits a draft. A published announcement is immutable: 409 with the rule, nothing changes. */
export async function updateAnnouncementDraft(
  ctx: TendersContext,
  lotId: string,
  announcementId: string,
  input: AnnouncementUpdateInput,
) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  const current = await loadOwnAnnouncement(ctx.db, lotId, announcementId);
  if (current.status === 'published') throw announcementImmutable();
  const attachments = input.attachments ? await resolveAttachments(ctx.db, input.attachments) : undefined;
  const invitees =
    input.invitees !== undefined
      ? await assertInvitees(ctx.db, lot, current.kind, input.invitees)
      : undefined;
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const updated = await store.updateDraft(tx, announcementId, {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.timeline && bearsTimeline(lot, current.kind) ? timelineColumns(input.timeline) : {}),
      ...(input.depositYuan !== undefined && bearsTimeline(lot, current.kind)
        ? { deposit_yuan: input.depositYuan }
        : {}),
      ...(attachments ? { attachments: JSON.stringify(attachments) } : {}),
      ...(invitees ? { invitees: JSON.stringify(invitees) } : {}),
      updated_at: at,
    });
    // Published meanwhile by someone else: the same answer as above.
    if (!updated) throw announcementImmutable();
    await witness(
      tx,
      at,
      ctx.origin,
      ANNOUNCEMENT_WITNESS_TYPE,
      announcementId,
      'announcement.draft-updated',
      {
        lotId,
      },
    );
    return updated;
  });
}

export async function getAnnouncementForParty(ctx: TendersContext, lotId: string, announcementId: string) {
  const actor = requireSignedIn(ctx.actor);
  await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  return loadOwnAnnouncement(ctx.db, lotId, announcementId);
}

export async function listAnnouncementsForParty(ctx: TendersContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  return store.listAnnouncementsOfLot(ctx.db, lotId);
}

// ---- check and publish ----

function timelineOfDraft(row: store.AnnouncementRow, publishedAt: Date): Timeline | null {
  if (!row.documents_from || !row.documents_until || !row.bid_deadline || !row.opening_at) return null;
  return {
    publishedAt,
    documentsFrom: row.documents_from,
    documentsUntil: row.documents_until,
    bidDeadline: row.bid_deadline,
    openingAt: row.opening_at,
  };
}

/**
 * Everything that would stop this draft from being published now, each with its rule: the one place
 * both the check screen and publication ask, so they cannot disagree.
 */
async function publicationProblems(
  db: ReadDb,
  lot: LotSummary,
  draft: store.AnnouncementRow,
  now: Date,
): Promise<{ problems: AppError[]; timeline: Timeline | null; invitees: Invitee[] }> {
  const problems: AppError[] = [];
  let invitees: Invitee[] = [];
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof AppError) problems.push(error);
      else throw error;
    }
  };
  collect(() => assertLotReceived(lot));
  collect(() => assertKindAllowed(lot, draft.kind));
  let timeline: Timeline | null = null;
  if (bearsTimeline(lot, draft.kind)) {
    if (await store.findTimeline(db, lot.id)) {
      problems.push(
        new RuleViolation('TIMELINE_ALREADY_SET', {
          title: `本标段已发布${kindNameZh(draft.kind)}`,
          detail: '时间安排的变更须通过澄清/修改招标文件进行，平台将自动发布变更公告。',
          citation: CITATIONS.clarification[lawOf(lot.procedureType)],
        }),
      );
    }
    if (getProcedure(lot.procedureType).requiresDocuments && !(await store.latestDocument(db, lot.id))) {
      problems.push(
        new RuleViolation('TENDER_DOCUMENTS_MISSING', {
          title: `尚未上传${getProcedure(lot.procedureType).documentsNameZh}`,
          detail: `发布${kindNameZh(draft.kind)}前须将${getProcedure(lot.procedureType).documentsNameZh}上传至交易平台，供潜在投标人下载。`,
          citation: CITATIONS.documentsOnline,
        }),
      );
    }
    timeline = timelineOfDraft(draft, now);
    if (!timeline) {
      problems.push(
        new InvalidInput('TIMELINE_REQUIRED', {
          title: `${kindNameZh(draft.kind)}须载明时间安排`,
          detail: '请填写招标文件发售起止时间、投标截止时间和开标时间。',
        }),
      );
    } else {
      problems.push(...checkTimeline(lot.procedureType, timeline, lot.rulesAsOf));
    }
    const depositYuan = draft.deposit_yuan;
    if (depositYuan !== null) {
      collect(() =>
        assertDeposit(lot.procedureType, { depositYuan, estimateYuan: lot.estimateYuan }, lot.rulesAsOf),
      );
    }
  }
  if (draft.kind === 'invitation' && getProcedure(lot.procedureType).invitation) {
    // Checked again at publication: an invitee's registration may have changed since the draft.
    const checked = await checkInvitees(db, lot, draft.invitees);
    problems.push(...checked.problems);
    invitees = checked.invitees;
  }
  if ((LINKED_KINDS as readonly string[]).includes(draft.kind)) {
    const original = draft.linked_to ? await store.findAnnouncement(db, draft.linked_to) : undefined;
    if (original?.status !== 'published' || original.lot_id !== lot.id) {
      problems.push(
        new RuleViolation('LINKED_ANNOUNCEMENT_INVALID', {
          title: '原公告不存在或尚未发布',
          detail: '变更、更正或终止公告只能关联本标段已发布的公告。',
        }),
      );
    }
    if (draft.kind === 'termination') {
      const current = await store.findTimeline(db, lot.id);
      if (current?.status === 'terminated') {
        problems.push(
          new RuleViolation('TENDER_ALREADY_TERMINATED', {
            title: '本标段招标已终止',
            detail: '已发布终止公告，无需重复发布。',
            citation: CITATIONS.termination[lawOf(lot.procedureType)],
          }),
        );
      }
    }
  }
  return { problems, timeline, invitees };
}

export async function checkAnnouncement(ctx: TendersContext, lotId: string, announcementId: string) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  const draft = await loadOwnAnnouncement(ctx.db, lotId, announcementId);
  if (draft.status === 'published') return { ok: false, problems: [problemOf(announcementImmutable())] };
  const { problems } = await publicationProblems(ctx.db, lot, draft, ctx.clock.now());
  return { ok: problems.length === 0, problems: problems.map(problemOf) };
}

function problemOf(error: AppError) {
  return {
    code: error.code,
    title: error.title,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(error.citation ? { citation: error.citation } : {}),
  };
}

/** The published columns of an announcement: canonical form, hash, signature, text hashes, search words. */
function publishedColumns(
  signer: CheckpointSigner,
  row: Pick<
    store.AnnouncementRow,
    | 'id'
    | 'kind'
    | 'lot_code'
    | 'title'
    | 'body'
    | 'linked_to'
    | 'attachments'
    | 'project_name'
    | 'lot_name'
    | 'deposit_yuan'
  >,
  timeline: Timeline | null,
  publishedAt: Date,
  publishedBy: string,
) {
  const sealed = sealAnnouncement(
    signer,
    canonicalAnnouncement({
      id: row.id,
      kind: row.kind,
      lotCode: row.lot_code,
      title: row.title,
      body: row.body,
      publishedAt,
      timeline,
      depositYuan: row.deposit_yuan,
      attachments: row.attachments,
      linkedTo: row.linked_to,
    }),
  );
  return {
    status: 'published' as const,
    published_at: publishedAt,
    published_by: publishedBy,
    updated_at: publishedAt,
    canonical_json: sealed.canonicalJson,
    content_sm3: sealed.contentSm3,
    signature: sealed.signature,
    key_id: sealed.keyId,
    text_sm3: normalizedTextSm3(row.title + row.body),
    body_sm3: normalizedTextSm3(row.body),
    search_terms: searchTermsOf(row.title, row.project_name, row.lot_name, row.lot_code, row.body),
  };
}

/**
 * 发布公告: checked against every rule, then fixed — hashed (SM3), signed (SM2) and witnessed in one
 * transaction. A 招标公告/采购公告 sets the lot's timeline and schedules the deadline jobs; a 终止公告
 * ends the procedure.
 */
export async function publishAnnouncement(ctx: TendersContext, lotId: string, announcementId: string) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  const draft = await loadOwnAnnouncement(ctx.db, lotId, announcementId);
  if (draft.status === 'published') throw announcementImmutable();
  const now = new Date(ctx.clock.now().getTime());
  const { problems, timeline, invitees } = await publicationProblems(ctx.db, lot, draft, now);
  if (problems[0]) throw problems[0];
  const signer = await loadAnnouncementSigner(ctx.db, ctx.clock);

  return ctx.db.transaction().execute(async (tx) => {
    const locked = await store.lockAnnouncement(tx, announcementId);
    if (!locked || locked.status === 'published') throw announcementImmutable();
    const published = await store.updateDraft(
      tx,
      announcementId,
      publishedColumns(signer, locked, timeline, now, actor.accountId),
    );
    if (!published) throw announcementImmutable();

    if (timeline) {
      assertTimeline(lot.procedureType, timeline, lot.rulesAsOf);
      const window = objectionWindow(
        lot.procedureType,
        { bidDeadline: timeline.bidDeadline, documentsUntil: timeline.documentsUntil },
        lot.rulesAsOf,
      );
      await store.insertTimeline(tx, {
        lot_id: lot.id,
        lot_code: lot.code,
        procedure_type: lot.procedureType,
        rules_as_of: lot.rulesAsOf,
        announcement_id: announcementId,
        published_at: now,
        documents_from: timeline.documentsFrom,
        documents_until: timeline.documentsUntil,
        bid_deadline: timeline.bidDeadline,
        opening_at: timeline.openingAt,
        objection_until: window?.until ?? null,
        objection_citation: window?.citation ?? null,
        deposit_yuan: locked.deposit_yuan,
        status: 'scheduled',
        suspended: false,
        terminated_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      await scheduleTimelineTicks(tx, lot.id, [
        now,
        timeline.documentsFrom,
        timeline.documentsUntil,
        timeline.bidDeadline,
        timeline.openingAt,
      ]);
      await witness(tx, now, ctx.origin, TENDER_WITNESS_TYPE, lot.id, 'tender.timeline-set', {
        announcementId,
        rulesAsOf: lot.rulesAsOf,
        documentsFrom: timeline.documentsFrom,
        documentsUntil: timeline.documentsUntil,
        bidDeadline: timeline.bidDeadline,
        openingAt: timeline.openingAt,
        objectionUntil: window?.until ?? null,
      });
      if (invitees.length > 0) {
        await issueInvitations(tx, now, ctx.origin, {
          lot,
          announcementId,
          title: published.title,
          body: published.body,
          timeline,
          invitees,
        });
      }
    }

    if (published.kind === 'termination') await terminateTimeline(tx, now, ctx.origin, lot, published);

    await witness(tx, now, ctx.origin, ANNOUNCEMENT_WITNESS_TYPE, announcementId, 'announcement.published', {
      lotId: lot.id,
      kind: published.kind,
      contentSm3: published.content_sm3,
      keyId: published.key_id,
      linkedTo: published.linked_to,
    });
    return published;
  });
}

/** A 终止公告 ends the lot's procedure: the timeline is marked terminated and every downloader told. */
async function terminateTimeline(
  tx: Tx,
  now: Date,
  origin: WitnessOrigin,
  lot: LotSummary,
  published: { id: string; title: string; body: string },
): Promise<void> {
  const law = lawOf(lot.procedureType);
  const current = await store.lockTimeline(tx, lot.id);
  if (current && current.status !== 'terminated') {
    await store.updateTimeline(tx, lot.id, { status: 'terminated', terminated_at: now, updated_at: now });
    await witness(tx, now, origin, TENDER_WITNESS_TYPE, lot.id, 'tender.terminated', {
      announcementId: published.id,
      from: current.status,
      citation: CITATIONS.termination[law],
    });
    // 条例第三十一条: 通知被邀请的或者已经获取招标文件的潜在投标人.
    await notifyDownloaders(tx, now, origin, lot.id, {
      includeInvitees: true,
      kind: 'termination',
      title: `${lot.name}：招标（采购）已终止`,
      body: `${published.title}\n\n${published.body}`,
      referenceId: published.id,
    });
  }
}

/**
 * An announcement a later stage of the procedure publishes (候选人公示, 结果公告, 合同公告, 终止公告), or one
 * trading/auctions publishes for 拍卖、挂牌、网络竞价 (出让（转让）公告, 延期公告, 成交公示, 不成交公告, 终止公告).
 */
export interface SystemAnnouncementInput {
  lotId: string;
  kind: Extract<
    AnnouncementKind,
    | 'candidates'
    | 'result'
    | 'contract'
    | 'termination'
    | 'transfer-notice'
    | 'extension'
    | 'deal-publicity'
    | 'no-deal'
  >;
  title: string;
  /** Plain text, zh-CN. */
  body: string;
  linkedTo?: string | null;
}

/**
 * Who published an announcement that no account published: a job of the platform (the auction's 成交 after
 * the credit check, its 不成交 at the start, its 延牌) — recorded as `system`, as deposits' `set_by` is.
 */
export const SYSTEM_PUBLISHER = 'system';

/**
 * Creates and publishes an announcement in the caller's transaction — the award, contract and auction use
 * cases publish as part of their own state change, so the announcement and that change commit together.
 * The kind must be one the lot's procedure publishes (a lot traded by 拍卖、挂牌、网络竞价 publishes only
 * this way, never through a draft); the text is hashed (SM3), signed (SM2) and witnessed exactly as a
 * drafted announcement is. `accountId` null: published by a job (SYSTEM_PUBLISHER).
 */
export async function publishSystemAnnouncement(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  accountId: string | null,
  input: SystemAnnouncementInput,
): Promise<{ id: string; publishedAt: Date }> {
  const db: ReadDb = tx;
  const lot = await findLot(db, input.lotId);
  if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  const rights = isRightsLot(lot);
  if (rights) assertKindOfProcedure(lot, input.kind);
  else assertKindAllowed(lot, input.kind);
  const by = accountId ?? SYSTEM_PUBLISHER;
  const signer = await loadAnnouncementSigner(db, { now: () => at });
  const categoryCode = await categoryOf(db, lot);
  const id = randomUUID();
  const draft = {
    id,
    kind: input.kind,
    lot_code: lot.code,
    title: input.title,
    body: input.body,
    linked_to: input.linkedTo ?? null,
    attachments: [] as AnnouncementAttachment[],
    project_name: lot.projectName,
    lot_name: lot.name,
    deposit_yuan: null,
  };
  const row = await store.insertAnnouncement(tx, {
    id,
    lot_id: lot.id,
    lot_code: lot.code,
    lot_name: lot.name,
    project_name: lot.projectName,
    procedure_type: lot.procedureType,
    kind: input.kind,
    status: 'draft',
    title: input.title,
    body: input.body,
    ...timelineColumns(undefined),
    deposit_yuan: null,
    attachments: JSON.stringify([]),
    invitees: JSON.stringify([]),
    linked_to: draft.linked_to,
    catalog_item_code: lot.catalogItemCode,
    category_code: categoryCode,
    region_code: lot.regionCode,
    initiator_organization_id: lot.initiatorOrganizationId,
    created_by: by,
    created_at: at,
    updated_at: at,
    published_at: null,
    published_by: null,
    canonical_json: null,
    content_sm3: null,
    text_sm3: null,
    body_sm3: null,
    signature: null,
    key_id: null,
    search_terms: '',
  });
  const published = await store.updateDraft(tx, row.id, publishedColumns(signer, draft, null, at, by));
  if (!published) throw announcementImmutable();
  // An auction has no tender timeline: its own state already says it is terminated.
  if (published.kind === 'termination' && !rights) await terminateTimeline(tx, at, origin, lot, published);
  await witness(tx, at, origin, ANNOUNCEMENT_WITNESS_TYPE, id, 'announcement.published', {
    lotId: lot.id,
    kind: published.kind,
    contentSm3: published.content_sm3,
    keyId: published.key_id,
    linkedTo: published.linked_to,
  });
  return { id, publishedAt: at };
}

/** Tells every organisation that obtained the documents (a notice row each; the count is witnessed). */
export async function notifyDownloaders(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  lotId: string,
  notice: {
    kind: string;
    title: string;
    body: string;
    referenceId: string | null;
    /** Also every invited organisation (a termination tells the invitees, 条例第三十一条). */
    includeInvitees?: boolean;
  },
): Promise<number> {
  const { includeInvitees, ...rest } = notice;
  const organizationIds = await store.listDownloaderOrganizations(tx, lotId);
  if (includeInvitees) {
    organizationIds.push(...(await store.listInvitationsOfLot(tx, lotId)).map((i) => i.organization_id));
  }
  return notifyOrganizations(tx, at, origin, { lotId, organizationIds, ...rest });
}

/**
 * A 变更公告 (工程) or 更正公告 (政府采购) the platform publishes itself for a clarification, linked to the
 * lot's first announcement, sealed like any other. Runs inside the caller's transaction.
 */
export async function publishChangeAnnouncement(
  tx: Tx,
  signer: CheckpointSigner,
  input: {
    lot: LotSummary;
    actor: Actor;
    origin: WitnessOrigin;
    at: Date;
    original: store.AnnouncementRow;
    title: string;
    body: string;
  },
) {
  const { lot, at, original } = input;
  const procedure = getProcedure(lot.procedureType);
  const kind: AnnouncementKind = procedure.announcementKinds.includes('change') ? 'change' : 'correction';
  const id = randomUUID();
  const base = {
    id,
    kind,
    lot_code: lot.code,
    lot_name: lot.name,
    project_name: lot.projectName,
    title: input.title,
    body: input.body,
    linked_to: original.id,
    attachments: [] as AnnouncementAttachment[],
    deposit_yuan: null,
  };
  const row = await store.insertAnnouncement(tx, {
    ...base,
    lot_id: lot.id,
    procedure_type: lot.procedureType,
    attachments: '[]',
    documents_from: null,
    documents_until: null,
    bid_deadline: null,
    opening_at: null,
    catalog_item_code: original.catalog_item_code,
    category_code: original.category_code,
    region_code: original.region_code,
    initiator_organization_id: original.initiator_organization_id,
    created_by: input.actor.accountId,
    created_at: at,
    ...publishedColumns(signer, base, null, at, input.actor.accountId),
  });
  await witness(tx, at, input.origin, ANNOUNCEMENT_WITNESS_TYPE, id, 'announcement.published', {
    lotId: lot.id,
    kind,
    contentSm3: row.content_sm3,
    keyId: row.key_id,
    linkedTo: original.id,
  });
  return row;
}

export { TIMELINE_KINDS };
