import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type BlobDb, getBlobRecord } from '../../platform/blobs/index.ts';
import { type CalendarDate, type Clock, shanghaiDateOf } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import { InvalidInput, RuleViolation } from '../../platform/errors.ts';
import type { IdentityTables } from '../../platform/identity/index.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import {
  type CatalogsTables,
  findTradingCatalogItem,
  type TradingCatalogItem,
} from '../../service/catalogs/index.ts';
import type { EntitiesDb } from '../../service/entities/index.ts';
import { isKnownRegion, regionPathName } from '../../service/regions/index.ts';
import { getProcedure, type ProcedureType } from '../procedures/index.ts';
import { lotCodeOf, nextProjectCode, tenderProjectCodeOf } from './codes.ts';
import {
  assertOperator,
  assertProjectParty,
  isCurrentAuthorisation,
  isStaffReader,
  notAuthorised,
  partyOf,
  projectNotFound,
  requireAcceptedInitiator,
  requireSignedIn,
} from './policy.ts';
import type {
  LotData,
  ProjectRegistrationInput,
  ProjectUpdateInput,
  ReceiveInput,
  ReturnInput,
} from './schemas.ts';
import { checkSplitting } from './split-flags.ts';
import {
  AUTHORISATION_STATUS_NAMES_ZH,
  assertCan,
  LOT_STATUS_NAMES_ZH,
  PROJECT_STATUS_NAMES_ZH,
  type ProjectParty,
} from './states.ts';
import type { AuthorisationRow, LotRow, ProjectRow } from './store.ts';
import * as store from './store.ts';
import type { ApprovalDocument, ProjectsTables, TradingMode } from './tables.ts';

export type ProjectsDb = ProjectsTables &
  EntitiesDb &
  IdentityTables &
  WitnessTables &
  CatalogsTables &
  BlobDb;
export type ProjectsContext = UseCaseContext<ProjectsDb>;
export type Tx = Transaction<ProjectsDb>;

/** Witness events about a project / a lot carry these types and the row's id. */
export const PROJECT_WITNESS_TYPE = 'project';
export const LOT_WITNESS_TYPE = 'lot';

export function todayOf(clock: Clock): CalendarDate {
  return shanghaiDateOf(clock.now());
}

export function witness(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  entityType: string,
  entityId: string,
  action: string,
  payload: unknown,
) {
  return appendWitnessEvent(tx, at, origin, { entityType, entityId, action, payload });
}

// ---- views ----

export type LotView = ReturnType<typeof toLotView>;

export function toLotView(row: LotRow) {
  return {
    id: row.id,
    code: row.code,
    seq: row.seq,
    name: row.name,
    procedureType: row.procedure_type,
    procedureName: getProcedure(row.procedure_type as ProcedureType).nameZh,
    estimateYuan: row.estimate,
    content: row.content,
    rulesAsOf: row.rules_as_of,
    status: row.status,
    statusName: LOT_STATUS_NAMES_ZH[row.status],
  };
}

export function toAuthorisationView(row: AuthorisationRow, today: CalendarDate) {
  return {
    id: row.id,
    agencyOrganizationId: row.agency_organization_id,
    agencyName: row.agency_name,
    documentName: row.document_name,
    documentNumber: row.document_number,
    documentBlobId: row.document_blob_id,
    scope: row.scope,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    status: row.status,
    statusName: AUTHORISATION_STATUS_NAMES_ZH[row.status],
    current: isCurrentAuthorisation(row, today),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokeReason: row.revoke_reason,
    createdAt: row.created_at.toISOString(),
  };
}

export type ProjectView = Awaited<ReturnType<typeof loadProjectView>>;

export async function loadProjectView(
  db: Kysely<ProjectsDb>,
  row: ProjectRow,
  today: CalendarDate,
  party: ProjectParty | null,
) {
  // Never inside a transaction: on PGlite the transaction holds the only connection.
  const lots = await store.listLots(db, row.id);
  const authorisations = await store.listAuthorisations(db, row.id);
  const item = await findTradingCatalogItem(db, row.catalog_item_code, today);
  return {
    id: row.id,
    code: row.code,
    tenderProjectCode: row.tender_project_code,
    name: row.name,
    catalogItemCode: row.catalog_item_code,
    catalogItemName: item?.name ?? null,
    tradingMode: row.trading_mode,
    mandatoryTender: row.mandatory_tender,
    fundSource: row.fund_source,
    budgetYuan: row.budget,
    region: { code: row.region_code, pathName: regionPathName(row.region_code) },
    address: row.address,
    approvalDocuments: row.approval_documents,
    regulator: row.regulator,
    investmentProjectCode: row.investment_project_code,
    initiator: { organizationId: row.initiator_organization_id, name: row.initiator_name },
    status: row.status,
    statusName: PROJECT_STATUS_NAMES_ZH[row.status],
    returnReasons: row.return_reasons,
    version: row.version,
    receivedAt: row.received_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lots: lots.map(toLotView),
    authorisations: authorisations.map((a) => toAuthorisationView(a, today)),
    permissions: {
      edit: party !== null && (row.status === 'submitted' || row.status === 'returned'),
      authorise: party === 'initiator',
    },
  };
}

function toListItem(row: Awaited<ReturnType<typeof store.listProjects>>['rows'][number]) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    catalogItemCode: row.catalog_item_code,
    regionCode: row.region_code,
    budgetYuan: row.budget,
    initiatorName: row.initiator_name,
    status: row.status,
    statusName: PROJECT_STATUS_NAMES_ZH[row.status],
    lotCount: Number(row.lot_count ?? 0),
    version: row.version,
    agencyName: row.agency_name ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

// ---- validation (what the law and the catalog say about the declared data) ----

async function requireCatalogItem(
  db: Kysely<ProjectsDb>,
  code: string,
  today: CalendarDate,
  field = 'catalogItemCode',
): Promise<TradingCatalogItem> {
  const item = await findTradingCatalogItem(db, code, today);
  if (!item) {
    throw new InvalidInput('CATALOG_ITEM_UNKNOWN', {
      title: '交易目录中没有该事项',
      detail: `交易目录（${today} 施行的版本）中没有编码为 ${code} 的事项，请按交易目录选择项目类别。`,
      citation: '《内蒙古自治区公共资源交易管理办法》第十条',
      extensions: { field },
    });
  }
  return item;
}

function assertRegion(code: string): void {
  if (!isKnownRegion(code)) {
    throw new InvalidInput('REGION_UNKNOWN', {
      title: '行政区划代码无效',
      detail: `${code} 不是有效的行政区划代码（GB/T 2260）。`,
      extensions: { field: 'regionCode' },
    });
  }
}

async function assertBlobs(db: Kysely<ProjectsDb>, ids: (string | null)[], field: string): Promise<void> {
  for (const id of ids) {
    if (id && !(await getBlobRecord(db, id))) {
      throw new InvalidInput('BLOB_NOT_FOUND', {
        title: '附件不存在',
        detail: `附件 ${id.slice(0, 12)}… 尚未上传，请先上传文件再提交。`,
        extensions: { field },
      });
    }
  }
}

/** A procedure belongs to a law, and the law to catalog items (工程建设 vs 政府采购). */
function assertLotFitsCatalog(
  lot: LotData,
  item: TradingCatalogItem,
  mandatoryTender: boolean,
  index: number,
) {
  const procedure = getProcedure(lot.procedureType);
  const field = { field: `lots/${index}/procedureType` };
  const worksAllowed =
    item.tradingModes.includes('tender') && (item.categoryCode !== '02' || item.code === '0202');
  const gpAllowed = item.categoryCode === '02';
  // 挂牌 needs the item's 挂牌 mode, 拍卖 its 拍卖 mode; 网络竞价 (a listing that ends in open bidding) either.
  const rightsAllowed =
    procedure.type === 'listing'
      ? item.tradingModes.includes('listing')
      : procedure.type === 'auction'
        ? item.tradingModes.includes('auction')
        : item.tradingModes.includes('listing') || item.tradingModes.includes('auction');
  if (
    (procedure.law === 'works' && !worksAllowed) ||
    (procedure.law === 'gp' && !gpAllowed) ||
    (procedure.law === 'rights' && !rightsAllowed)
  ) {
    throw new InvalidInput('PROCEDURE_NOT_FOR_CATALOG', {
      title: '交易方式与项目类别不符',
      detail: `“${item.name}”（${item.code}）项目不能采用“${procedure.nameZh}”。`,
      extensions: field,
    });
  }
  if (mandatoryTender && !lot.procedureType.includes('tender')) {
    throw new InvalidInput('MANDATORY_TENDER_PROCEDURE', {
      title: '依法必须招标的项目须采用招标方式',
      detail: `标段（包）“${lot.name}”所属项目依法必须招标，不能采用“${procedure.nameZh}”。`,
      citation: '《中华人民共和国招标投标法》第三条',
      extensions: field,
    });
  }
}

interface CheckedProject {
  item: TradingCatalogItem;
  approvalDocuments: ApprovalDocument[];
  regulator: string;
}

async function checkProjectFields(
  db: Kysely<ProjectsDb>,
  input: ProjectUpdateInput,
  today: CalendarDate,
): Promise<CheckedProject> {
  const item = await requireCatalogItem(db, input.catalogItemCode, today);
  assertRegion(input.regionCode);
  await assertBlobs(
    db,
    input.approvalDocuments.map((d) => d.blobId),
    'approvalDocuments',
  );
  return {
    item,
    approvalDocuments: input.approvalDocuments.map((d) => ({
      name: d.name,
      number: d.number,
      authority: d.authority,
      blobId: d.blobId,
    })),
    regulator: input.regulator ?? item.regulator,
  };
}

function projectColumns(input: ProjectUpdateInput, checked: CheckedProject) {
  return {
    name: input.name,
    catalog_item_code: checked.item.code,
    mandatory_tender: input.mandatoryTender,
    fund_source: input.fundSource,
    budget: input.budgetYuan,
    region_code: input.regionCode,
    address: input.address,
    approval_documents: JSON.stringify(checked.approvalDocuments),
    regulator: checked.regulator,
    investment_project_code: input.investmentProjectCode,
  };
}

/** Inserts one lot with the project's next number, witnesses it, and looks for 化整为零. */
async function insertLot(
  ctx: ProjectsContext,
  tx: Tx,
  project: ProjectRow,
  lot: LotData,
  item: TradingCatalogItem,
  at: Date,
  createdBy: string,
): Promise<LotRow> {
  const seq = await store.nextLotSeq(tx, project.id);
  if (seq > 999) {
    throw new RuleViolation('LOT_CODES_EXHAUSTED', { title: '一个招标项目最多登记 999 个标段（包）' });
  }
  const today = shanghaiDateOf(at);
  const row = await store.insertLot(tx, {
    id: randomUUID(),
    project_id: project.id,
    code: lotCodeOf(project.tender_project_code, seq),
    seq,
    name: lot.name,
    procedure_type: lot.procedureType,
    estimate: lot.estimateYuan,
    content: lot.content,
    rules_as_of: today,
    status: 'registered',
    received_at: null,
    created_by: createdBy,
    created_at: at,
    updated_at: at,
  });
  await witness(tx, at, ctx.origin, LOT_WITNESS_TYPE, row.id, 'lot.registered', {
    projectId: project.id,
    code: row.code,
    name: row.name,
    procedureType: row.procedure_type,
    estimateYuan: row.estimate,
    rulesAsOf: row.rules_as_of,
  });
  await checkSplitting(tx, { at, origin: ctx.origin, project, lot: row, item });
  return row;
}

// ---- use cases: the initiator and its agency ----

/** 项目登记: the initiator registers a project and its lots; it waits for 受理. */
export async function registerProject(
  ctx: ProjectsContext,
  input: ProjectRegistrationInput,
): Promise<ProjectView> {
  const { actor, entity } = await requireAcceptedInitiator(ctx.db, ctx.actor);
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const checked = await checkProjectFields(ctx.db, input, today);
  input.lots.forEach((lot, i) => {
    assertLotFitsCatalog(lot, checked.item, input.mandatoryTender, i);
  });

  const stored = await ctx.db.transaction().execute(async (tx) => {
    const code = await nextProjectCode(tx, input.regionCode, today);
    const project = await store.insertProject(tx, {
      id: randomUUID(),
      code,
      tender_project_code: tenderProjectCodeOf(code),
      ...projectColumns(input, checked),
      trading_mode: null,
      initiator_organization_id: entity.organizationId,
      initiator_name: entity.name,
      status: 'submitted',
      return_reasons: null,
      version: 1,
      last_lot_seq: 0,
      received_at: null,
      received_by: null,
      created_by: actor.accountId,
      created_at: now,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, PROJECT_WITNESS_TYPE, project.id, 'project.registered', {
      code: project.code,
      tenderProjectCode: project.tender_project_code,
      name: project.name,
      catalogItemCode: project.catalog_item_code,
      mandatoryTender: project.mandatory_tender,
      budgetYuan: project.budget,
      regionCode: project.region_code,
      version: 1,
    });
    for (const lot of input.lots) {
      await insertLot(ctx, tx, project, lot, checked.item, now, actor.accountId);
    }
    return store.findProject(tx, project.id);
  });
  if (!stored) throw projectNotFound();
  return loadProjectView(ctx.db, stored, today, 'initiator');
}

/** What was read before the transaction (the catalog item) still holds under the lock. */
function assertUnchanged(locked: ProjectRow, before: ProjectRow): void {
  if (locked.version !== before.version || locked.catalog_item_code !== before.catalog_item_code) {
    throw new RuleViolation('PROJECT_CHANGED_CONCURRENTLY', {
      title: '项目刚被修改，请刷新后重试',
      detail: '另一操作同时修改了该项目，为避免覆盖，本次操作未执行。',
    });
  }
}

async function lockForParty(ctx: ProjectsContext, tx: Tx, projectId: string, at: Date) {
  const project = await store.lockProject(tx, projectId);
  if (!project) throw projectNotFound();
  const { actor, party } = await assertProjectParty(tx, ctx.actor, project, at);
  return { project, actor, party };
}

/** 补正: the initiator (or its agency) corrects the registration before 受理; a new version. */
export async function updateProject(
  ctx: ProjectsContext,
  projectId: string,
  input: ProjectUpdateInput,
): Promise<ProjectView> {
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const checked = await checkProjectFields(ctx.db, input, today);
  const result = await ctx.db.transaction().execute(async (tx) => {
    const { project, party } = await lockForParty(ctx, tx, projectId, now);
    assertCan(project.status, 'edit');
    const lots = await store.listLots(tx, project.id);
    lots.forEach((lot, i) => {
      assertLotFitsCatalog(
        {
          name: lot.name,
          procedureType: lot.procedure_type as ProcedureType,
          estimateYuan: lot.estimate,
          content: lot.content,
        },
        checked.item,
        input.mandatoryTender,
        i,
      );
    });
    const updated = await store.updateProject(tx, project.id, {
      ...projectColumns(input, checked),
      version: project.version + 1,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, PROJECT_WITNESS_TYPE, project.id, 'project.updated', {
      version: updated.version,
      by: party,
      name: updated.name,
      catalogItemCode: updated.catalog_item_code,
      mandatoryTender: updated.mandatory_tender,
      budgetYuan: updated.budget,
      regionCode: updated.region_code,
    });
    return { updated, party };
  });
  return loadProjectView(ctx.db, result.updated, today, result.party);
}

/** 新增标段（包）: a received project goes back to the queue so the new lot is received too. */
export async function addLot(ctx: ProjectsContext, projectId: string, input: LotData): Promise<ProjectView> {
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const before = await store.findProject(ctx.db, projectId);
  if (!before) throw projectNotFound();
  const item = await requireCatalogItem(ctx.db, before.catalog_item_code, today);
  const result = await ctx.db.transaction().execute(async (tx) => {
    const { project, actor, party } = await lockForParty(ctx, tx, projectId, now);
    assertCan(project.status, 'add-lot');
    assertUnchanged(project, before);
    assertLotFitsCatalog(input, item, project.mandatory_tender, 0);
    const lot = await insertLot(ctx, tx, project, input, item, now, actor.accountId);
    const updated = await store.updateProject(tx, project.id, {
      status: project.status === 'received' ? 'submitted' : project.status,
      version: project.version + 1,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, PROJECT_WITNESS_TYPE, project.id, 'project.lot-added', {
      version: updated.version,
      by: party,
      lotId: lot.id,
      lotCode: lot.code,
      status: updated.status,
    });
    return { updated, party };
  });
  return loadProjectView(ctx.db, result.updated, today, result.party);
}

/** 重新提交: after 补正, back into the 受理 queue. */
export async function resubmitProject(ctx: ProjectsContext, projectId: string): Promise<ProjectView> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (tx) => {
    const { project, party } = await lockForParty(ctx, tx, projectId, now);
    const t = assertCan(project.status, 'resubmit');
    const updated = await store.updateProject(tx, project.id, {
      status: t.to ?? project.status,
      return_reasons: null,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, PROJECT_WITNESS_TYPE, project.id, 'project.resubmitted', {
      version: updated.version,
      by: party,
    });
    return { updated, party };
  });
  return loadProjectView(ctx.db, result.updated, shanghaiDateOf(now), result.party);
}

// ---- reading ----

/** A project as its parties, the trading centre and supervisors see it. */
export async function getProject(ctx: ProjectsContext, projectId: string): Promise<ProjectView> {
  const actor = requireSignedIn(ctx.actor);
  const project = await store.findProject(ctx.db, projectId);
  if (!project) throw projectNotFound();
  const now = ctx.clock.now();
  const party = await partyOf(ctx.db, actor, project, now);
  if (!party && !isStaffReader(actor)) throw notAuthorised(actor, project);
  return loadProjectView(ctx.db, project, shanghaiDateOf(now), party);
}

/** 我的项目: the projects of the initiator's organisation. */
export async function listMyProjects(ctx: ProjectsContext, page: { limit: number; offset: number }) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return { total: 0, items: [] };
  const { total, rows } = await store.listProjects(ctx.db, {
    initiatorOrganizationId: actor.organizationId,
    ...page,
  });
  return { total, items: rows.map(toListItem) };
}

/** 代理项目: the projects the agency's organisation holds a current authorisation for. */
export async function listAgencyProjects(ctx: ProjectsContext, page: { limit: number; offset: number }) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return { total: 0, items: [] };
  const today = todayOf(ctx.clock);
  const auths = await store.activeAuthorisationsOfAgency(ctx.db, actor.organizationId);
  const ids = auths.filter((a) => isCurrentAuthorisation(a, today)).map((a) => a.project_id);
  const { total, rows } = await store.listProjects(ctx.db, { ids, ...page });
  return { total, items: rows.map(toListItem) };
}

/** 受理队列 and the whole register, for the trading centre. */
export async function listProjectsForStaff(
  ctx: ProjectsContext,
  query: { status?: 'submitted' | 'returned' | 'received' | undefined; limit: number; offset: number },
) {
  const actor = requireSignedIn(ctx.actor);
  if (!isStaffReader(actor)) assertOperator(actor);
  const { total, rows } = await store.listProjects(ctx.db, query);
  return { total, items: rows.map(toListItem) };
}

// ---- use cases: the trading centre (受理, never 审批) ----

function defaultTradingMode(item: TradingCatalogItem, lots: LotRow[]): TradingMode {
  const allTender = lots.every((l) => l.procedure_type.includes('tender'));
  if (allTender && item.tradingModes.includes('tender')) return 'tender';
  for (const mode of ['listing', 'auction'] as const) {
    if (lots.every((l) => l.procedure_type === mode) && item.tradingModes.includes(mode)) return mode;
  }
  if (item.tradingModes.includes('procurement')) return 'procurement';
  return item.tradingModes[0] ?? 'other';
}

/** 受理: the registration is complete; the trading centre confirms its catalog class and trading mode. */
export async function receiveProject(
  ctx: ProjectsContext,
  projectId: string,
  input: ReceiveInput,
): Promise<ProjectView> {
  const actor = assertOperator(ctx.actor);
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const before = await store.findProject(ctx.db, projectId);
  if (!before) throw projectNotFound();
  const item = await requireCatalogItem(ctx.db, input.catalogItemCode ?? before.catalog_item_code, today);
  const updated = await ctx.db.transaction().execute(async (tx) => {
    const project = await store.lockProject(tx, projectId);
    if (!project) throw projectNotFound();
    const t = assertCan(project.status, 'receive');
    if (project.version !== input.reviewedVersion) {
      throw new RuleViolation('PROJECT_CHANGED_SINCE_REVIEW', {
        title: '登记信息已更新，请重新核对',
        detail: `您核对的是第 ${input.reviewedVersion} 版，当前为第 ${project.version} 版。请核对最新信息后再受理。`,
      });
    }
    assertUnchanged(project, before);
    const lots = await store.listLots(tx, project.id);
    const tradingMode = input.tradingMode ?? defaultTradingMode(item, lots);
    if (!item.tradingModes.includes(tradingMode)) {
      throw new InvalidInput('TRADING_MODE_NOT_IN_CATALOG', {
        title: '交易方式不在交易目录所列范围内',
        detail: `交易目录中“${item.name}”的交易方式为：${item.tradingModes.join('、')}。`,
        extensions: { field: 'tradingMode' },
      });
    }
    const updated = await store.updateProject(tx, project.id, {
      status: t.to ?? project.status,
      catalog_item_code: item.code,
      trading_mode: tradingMode,
      return_reasons: null,
      received_at: now,
      received_by: actor.accountId,
      updated_at: now,
    });
    const received = await store.receiveLots(tx, project.id, now);
    await witness(tx, now, ctx.origin, PROJECT_WITNESS_TYPE, project.id, 'project.received', {
      version: project.version,
      catalogItemCode: item.code,
      previousCatalogItemCode: project.catalog_item_code,
      tradingMode,
      lots: received.map((l) => l.code),
      note: input.note,
    });
    for (const lot of received) {
      await witness(tx, now, ctx.origin, LOT_WITNESS_TYPE, lot.id, 'lot.received', {
        projectId: project.id,
        code: lot.code,
      });
    }
    return updated;
  });
  return loadProjectView(ctx.db, updated, today, null);
}

/** 退回补正: the registration is incomplete; the reasons go back to the initiator. */
export async function returnProject(
  ctx: ProjectsContext,
  projectId: string,
  input: ReturnInput,
): Promise<ProjectView> {
  assertOperator(ctx.actor);
  const now = ctx.clock.now();
  const updated = await ctx.db.transaction().execute(async (tx) => {
    const project = await store.lockProject(tx, projectId);
    if (!project) throw projectNotFound();
    const t = assertCan(project.status, 'return');
    if (input.reviewedVersion !== undefined && input.reviewedVersion !== project.version) {
      throw new RuleViolation('PROJECT_CHANGED_SINCE_REVIEW', {
        title: '登记信息已更新，请重新核对',
        detail: `您核对的是第 ${input.reviewedVersion} 版，当前为第 ${project.version} 版。`,
      });
    }
    const updated = await store.updateProject(tx, project.id, {
      status: t.to ?? project.status,
      return_reasons: JSON.stringify(input.reasons),
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, PROJECT_WITNESS_TYPE, project.id, 'project.returned', {
      version: project.version,
      reasons: input.reasons,
    });
    return updated;
  });
  return loadProjectView(ctx.db, updated, shanghaiDateOf(now), null);
}
