import { randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { getBlobRecord, openBlob } from '../../platform/blobs/index.ts';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { type CheckpointSigner, canonicalJson, type WitnessOrigin } from '../../platform/witness/index.ts';
import { notifyDownloaders, publishChangeAnnouncement } from './announcements.ts';
import {
  CITATIONS,
  lawOf,
  type ReadDb,
  scheduleTimelineTicks,
  TENDER_WITNESS_TYPE,
  type TendersContext,
  type Tx,
  witness,
} from './context.ts';
import {
  assertMayActForLot,
  CREDIT_CITATION,
  clarificationEffect,
  type LotSummary,
  objectionWindow,
  shiftLotBookings,
} from './deps.ts';
import { assertInvited } from './invitations.ts';
import { assertRegisteredResponder, requireSignedIn } from './policy.ts';
import type { ClarificationInput } from './schemas.ts';
import { loadAnnouncementSigner } from './signing.ts';
import * as store from './store.ts';

async function resolveDocumentBlob(db: ReadDb, sha256: string) {
  const blob = await getBlobRecord(db, sha256);
  if (!blob) {
    throw new InvalidInput('DOCUMENT_FILE_NOT_FOUND', {
      title: '招标文件不存在',
      detail: `未找到摘要为 ${sha256} 的文件，请先上传文件。`,
    });
  }
  return blob;
}

function timelineNotPublished(): NotFound {
  return new NotFound('TENDER_NOT_ANNOUNCED', {
    title: '尚未发布招标（采购）公告',
    detail: '该标段（包）尚未发布招标公告或采购公告。',
  });
}

// ---- upload (before publication) ----

/**
 * 上传招标文件: before the tender announcement is published, each upload is a new version. After it,
 * the documents change only through a clarification/amendment (which re-computes the deadline).
 */
export async function uploadTenderDocument(
  ctx: TendersContext,
  lotId: string,
  input: { sha256: string; filename: string; note?: string | undefined },
) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  if (await store.findTimeline(ctx.db, lotId)) {
    throw new RuleViolation('DOCUMENTS_CHANGE_BY_CLARIFICATION', {
      title: '公告发布后修改招标文件须通过澄清/修改',
      detail:
        '请发出澄清/修改并附上修改后的招标文件；平台将据此重新计算投标截止时间并通知已获取招标文件的单位。',
      citation: CITATIONS.clarification[lawOf(lot.procedureType)],
    });
  }
  const blob = await resolveDocumentBlob(ctx.db, input.sha256);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const latest = await store.latestDocument(tx, lotId);
    const row = await store.insertDocument(tx, {
      id: randomUUID(),
      lot_id: lotId,
      version: (latest?.version ?? 0) + 1,
      sha256: blob.sha256,
      sm3: blob.sm3,
      size: blob.size,
      filename: input.filename,
      note: input.note ?? null,
      clarification_id: null,
      uploaded_by: actor.accountId,
      uploaded_at: at,
    });
    await witness(tx, at, ctx.origin, TENDER_WITNESS_TYPE, lotId, 'tender.documents-uploaded', {
      version: row.version,
      sm3: row.sm3,
      filename: row.filename,
    });
    return row;
  });
}

/**
 * The document versions. The initiator/agency always; a registered potential bidder once the documents
 * are on offer (and whether its own organisation obtained them — never anyone else's).
 */
export async function listTenderDocuments(ctx: TendersContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  if (actor.roles.includes('responder') && !actor.roles.some((r) => r === 'initiator' || r === 'agency')) {
    const { organizationId } = await assertRegisteredResponder(ctx.db, actor);
    const timeline = await store.findTimeline(ctx.db, lotId);
    if (!timeline) throw timelineNotPublished();
    await assertInvited(ctx.db, timeline, organizationId);
    if (ctx.clock.now() < timeline.documents_from) {
      throw new RuleViolation('DOCUMENTS_NOT_YET_OFFERED', {
        title: '招标文件尚未开始提供',
        detail: `招标（采购）文件自${formatShanghaiTime(timeline.documents_from)}起提供，请届时获取。`,
      });
    }
    return {
      versions: await store.listDocuments(ctx.db, lotId),
      downloadedByMe: await store.hasDownloaded(ctx.db, lotId, organizationId),
    };
  }
  await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  return { versions: await store.listDocuments(ctx.db, lotId), downloadedByMe: false };
}

// ---- download ----

/**
 * 获取招标文件: a registered potential bidder (under 邀请招标, an invited one), during the documents
 * period (条例第十六条 / 87号令第十八条). An organisation that obtained the documents in time may fetch
 * later versions (after a clarification) until the bid deadline. Recorded with who and when; the witness
 * event carries only a commitment (SM3 of the record and a secret nonce), because the names and number
 * of downloaders are secret until the opening (招标投标法第二十二条; 87号令第二十八条).
 */
export async function downloadTenderDocument(
  ctx: TendersContext,
  lotId: string,
): Promise<{ filename: string; sm3: string; size: number; contentType: string | null; stream: Readable }> {
  const { actor, organizationId, entity } = await assertRegisteredResponder(ctx.db, ctx.actor);
  const timeline = await store.findTimeline(ctx.db, lotId);
  if (!timeline) throw timelineNotPublished();
  // 邀请招标: only the invitees obtain the documents; anyone else is refused before anything is recorded.
  await assertInvited(ctx.db, timeline, organizationId);
  const law = lawOf(timeline.procedure_type as LotSummary['procedureType']);
  const now = ctx.clock.now();
  if (timeline.status === 'terminated') {
    throw new RuleViolation('TENDER_TERMINATED', {
      title: '招标（采购）已终止',
      detail: '该标段（包）已发布终止公告，不再提供招标文件。',
      citation: CITATIONS.termination[law],
    });
  }
  if (timeline.suspended) {
    throw new RuleViolation('TENDER_SUSPENDED', {
      title: '招标投标活动已暂停',
      detail: '对招标文件的异议尚未答复，招标投标活动暂停，答复后恢复。',
      citation: CITATIONS.objection,
    });
  }
  if (now < timeline.documents_from) {
    throw new RuleViolation('DOCUMENTS_NOT_YET_AVAILABLE', {
      title: '招标文件尚未开始发售',
      detail: `招标文件自 ${formatShanghaiTime(timeline.documents_from)} 起提供。`,
      citation: CITATIONS.documentsPeriod[law],
    });
  }
  if (now > timeline.documents_until) {
    const obtainedBefore = await store.hasDownloaded(ctx.db, lotId, organizationId);
    if (!obtainedBefore || now >= timeline.bid_deadline) {
      throw new RuleViolation('DOCUMENTS_PERIOD_OVER', {
        title: '招标文件获取时间已截止',
        detail: `招标文件获取截止时间为 ${formatShanghaiTime(timeline.documents_until)}，当前时间为 ${formatShanghaiTime(now)}。`,
        citation: CITATIONS.documentsPeriod[law],
      });
    }
  }
  const barred = ctx.eligibility
    ? await ctx.eligibility.barredReasons({ organizationId, lotId, stage: 'registration', at: now })
    : [];
  if (barred.length > 0) {
    throw new Forbidden('PARTY_BARRED', {
      title: '本单位被限制参加该项目的交易活动',
      detail: barred.join('；'),
      citation: CREDIT_CITATION,
    });
  }
  const document = await store.latestDocument(ctx.db, lotId);
  if (!document) throw timelineNotPublished();
  const opened = await openBlob({ db: ctx.db, blobs: ctx.blobs, clock: ctx.clock }, document.sha256);
  const nonce = randomBytes(16).toString('hex');
  const id = randomUUID();
  const commitment = sm3Hex(
    canonicalJson({
      id,
      lotId,
      organizationId,
      accountId: actor.accountId,
      at: now,
      version: document.version,
      nonce,
    }),
  );
  await ctx.db.transaction().execute(async (tx) => {
    await store.insertDownload(tx, {
      id,
      lot_id: lotId,
      document_version: document.version,
      organization_id: organizationId,
      organization_name: entity.name,
      account_id: actor.accountId,
      downloaded_at: now,
      ip: ctx.origin.ip,
      nonce,
      commitment,
    });
    // Entity = the download record, not the lot: the public log must not let anyone count a lot's downloads.
    await witness(tx, now, ctx.origin, 'tender-download', id, 'tender.documents-downloaded', { commitment });
  });
  return {
    filename: document.filename,
    sm3: document.sm3,
    size: Number(document.size),
    contentType: opened.blob.contentType,
    stream: opened.stream,
  };
}

/**
 * Who obtained the documents — for the initiator/agency, and only from the opening on. Before it, no
 * one learns the names or even the number (招标投标法第二十二条; 87号令第二十八条).
 */
export async function listDownloaders(ctx: TendersContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  const timeline = await store.findTimeline(ctx.db, lotId);
  if (!timeline) throw timelineNotPublished();
  if (ctx.clock.now() < timeline.opening_at) {
    throw new RuleViolation('DOWNLOADERS_SECRET_UNTIL_OPENING', {
      title: '开标前不得查看获取招标文件的单位',
      detail: `已获取招标文件的潜在投标人名称、数量在开标（${formatShanghaiTime(timeline.opening_at)}）前保密。`,
      citation: CITATIONS.downloadersSecret[lawOf(lot.procedureType)],
    });
  }
  const rows = await store.listDownloads(ctx.db, lotId);
  const byOrganization = new Map<string, store.DownloadRow>();
  for (const row of rows)
    if (!byOrganization.has(row.organization_id)) byOrganization.set(row.organization_id, row);
  const items = [...byOrganization.values()].map((row) => ({
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    documentVersion: row.document_version,
    downloadedAt: row.downloaded_at.toISOString(),
  }));
  return { count: items.length, items };
}

// ---- clarification ----

export interface PreparedClarification {
  lot: LotSummary;
  actor: Actor;
  signer: CheckpointSigner;
  document: { sha256: string; sm3: string; size: number; filename: string; note: string | null } | null;
}

/** The reads a clarification needs, done before its transaction opens. */
export async function prepareClarification(
  ctx: TendersContext,
  lotId: string,
  input: ClarificationInput,
): Promise<PreparedClarification> {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  if (!(await store.findTimeline(ctx.db, lotId))) throw timelineNotPublished();
  const blob = input.document ? await resolveDocumentBlob(ctx.db, input.document.sha256) : null;
  const signer = await loadAnnouncementSigner(ctx.db, ctx.clock);
  return {
    lot,
    actor,
    signer,
    document:
      blob && input.document
        ? {
            sha256: blob.sha256,
            sm3: blob.sm3,
            size: blob.size,
            filename: input.document.filename,
            note: input.document.note ?? null,
          }
        : null,
  };
}

/**
 * 澄清/修改 inside the caller's transaction. When it may affect the preparation of bids and leaves less
 * than the legal minimum before the deadline, the deadline (and the opening with it) is postponed
 * (条例第二十一条; 87号令第二十七条): the timeline moves, the deadline jobs are rescheduled, the opening
 * room booking follows (or the whole transaction rolls back if the room is taken), a 变更公告 is
 * published and every organisation that obtained the documents is notified.
 */
export async function applyClarification(
  tx: Tx,
  prepared: PreparedClarification,
  input: ClarificationInput,
  at: Date,
  origin: WitnessOrigin,
  objectionId: string | null,
) {
  const { lot, actor } = prepared;
  const law = lawOf(lot.procedureType);
  const timeline = await store.lockTimeline(tx, lot.id);
  if (!timeline) throw timelineNotPublished();
  if (timeline.status === 'terminated') {
    throw new RuleViolation('TENDER_TERMINATED', {
      title: '招标（采购）已终止',
      detail: '已终止的招标不能再澄清或修改招标文件。',
      citation: CITATIONS.termination[law],
    });
  }
  if (at >= timeline.bid_deadline) {
    throw new RuleViolation('CLARIFICATION_AFTER_DEADLINE', {
      title: '投标截止后不得澄清或修改招标文件',
      detail: `投标截止时间为 ${formatShanghaiTime(timeline.bid_deadline)}。`,
      citation: CITATIONS.clarification[law],
    });
  }
  const effect = clarificationEffect(
    lot.procedureType,
    { issuedAt: at, bidDeadline: timeline.bid_deadline, affectsPreparation: input.affectsPreparation },
    lot.rulesAsOf,
  );
  const citation = effect.rule?.citation ?? CITATIONS.clarification[law];
  let newDeadline = effect.postponeTo ?? timeline.bid_deadline;
  if (input.postponeBidDeadlineTo) {
    if (input.postponeBidDeadlineTo < timeline.bid_deadline) {
      throw new InvalidInput('DEADLINE_CANNOT_ADVANCE', {
        title: '澄清不能提前投标截止时间',
        detail: `当前投标截止时间为 ${formatShanghaiTime(timeline.bid_deadline)}。`,
      });
    }
    if (input.affectsPreparation && input.postponeBidDeadlineTo < effect.earliestDeadline) {
      throw new RuleViolation('CLARIFICATION_DEADLINE_TOO_EARLY', {
        title: '顺延后的投标截止时间仍不足法定时限',
        detail: `本次澄清可能影响投标文件编制，投标截止时间不得早于 ${formatShanghaiTime(effect.earliestDeadline)}。`,
        citation,
      });
    }
    if (input.postponeBidDeadlineTo > newDeadline) newDeadline = input.postponeBidDeadlineTo;
  }
  const postponed = newDeadline.getTime() > timeline.bid_deadline.getTime();

  let documentVersion: number | null = null;
  const clarificationId = randomUUID();
  if (prepared.document) {
    const latest = await store.latestDocument(tx, lot.id);
    const doc = await store.insertDocument(tx, {
      id: randomUUID(),
      lot_id: lot.id,
      version: (latest?.version ?? 0) + 1,
      ...prepared.document,
      clarification_id: clarificationId,
      uploaded_by: actor.accountId,
      uploaded_at: at,
    });
    documentVersion = doc.version;
  }

  let openingAt = timeline.opening_at;
  if (postponed) {
    const delta = newDeadline.getTime() - timeline.bid_deadline.getTime();
    openingAt = new Date(timeline.opening_at.getTime() + delta);
    const window = objectionWindow(
      lot.procedureType,
      { bidDeadline: newDeadline, documentsUntil: timeline.documents_until },
      lot.rulesAsOf,
    );
    await store.updateTimeline(tx, lot.id, {
      bid_deadline: newDeadline,
      opening_at: openingAt,
      objection_until: window?.until ?? null,
      objection_citation: window?.citation ?? null,
      updated_at: at,
    });
    await scheduleTimelineTicks(tx, lot.id, [newDeadline, openingAt]);
    // The rooms follow the opening by the same shift; a room taken at the new time rolls everything back.
    await shiftLotBookings(tx, { lotId: lot.id, byMs: delta, at, origin });
    await witness(tx, at, origin, TENDER_WITNESS_TYPE, lot.id, 'tender.deadline-postponed', {
      clarificationId,
      previousBidDeadline: timeline.bid_deadline,
      bidDeadline: newDeadline,
      openingAt,
      citation,
    });
  }

  const original = await store.findAnnouncement(tx, timeline.announcement_id);
  if (!original) throw new Error(`timeline announcement ${timeline.announcement_id} vanished`);
  const schedule = postponed
    ? `\n\n投标截止时间由 ${formatShanghaiTime(timeline.bid_deadline)} 顺延至 ${formatShanghaiTime(newDeadline)}，开标时间相应顺延至 ${formatShanghaiTime(openingAt)}（依据：${citation}）。`
    : '';
  const documentNote = documentVersion ? `\n\n招标文件已更新为第 ${documentVersion} 版。` : '';
  const change = await publishChangeAnnouncement(tx, prepared.signer, {
    lot,
    actor,
    origin,
    at,
    original,
    title: `${lot.projectName}${lot.name}变更公告（澄清/修改）`,
    body: `${input.content}${documentNote}${schedule}`,
  });

  const row = await store.insertClarification(tx, {
    id: clarificationId,
    lot_id: lot.id,
    content: input.content,
    affects_preparation: input.affectsPreparation,
    issued_at: at,
    issued_by: actor.accountId,
    document_version: documentVersion,
    previous_bid_deadline: timeline.bid_deadline,
    new_bid_deadline: newDeadline,
    postponed,
    rule_citation: citation,
    change_announcement_id: change.id,
    objection_id: objectionId,
  });
  await notifyDownloaders(tx, at, origin, lot.id, {
    kind: 'clarification',
    title: `${lot.name}：招标文件澄清/修改${postponed ? '，投标截止时间顺延' : ''}`,
    body: change.body,
    referenceId: clarificationId,
  });
  await witness(tx, at, origin, TENDER_WITNESS_TYPE, lot.id, 'tender.clarified', {
    clarificationId,
    documentVersion,
    affectsPreparation: input.affectsPreparation,
    postponed,
    changeAnnouncementId: change.id,
    objectionId,
  });
  return row;
}

export async function issueClarification(ctx: TendersContext, lotId: string, input: ClarificationInput) {
  const prepared = await prepareClarification(ctx, lotId, input);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((tx) => applyClarification(tx, prepared, input, at, ctx.origin, null));
}

export async function listClarifications(ctx: TendersContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.roles.some((r) => r === 'initiator' || r === 'agency' || r === 'responder')) {
    throw new Forbidden('ROLE_FORBIDDEN', { title: '无权查看' });
  }
  if (actor.roles.includes('responder') && !actor.roles.some((r) => r === 'initiator' || r === 'agency')) {
    const { organizationId } = await assertRegisteredResponder(ctx.db, actor);
    const timeline = await store.findTimeline(ctx.db, lotId);
    if (timeline) await assertInvited(ctx.db, timeline, organizationId);
  } else {
    await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  }
  return store.listClarifications(ctx.db, lotId);
}
