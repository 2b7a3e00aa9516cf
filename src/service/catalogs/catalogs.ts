import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type CalendarDate, type Clock, shanghaiDateOf } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/index.ts';
import { InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import {
  appendWitnessEvent,
  SYSTEM_ORIGIN,
  type WitnessOrigin,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import { regionByCode } from '../regions/index.ts';
import {
  INITIAL_CATALOG_EFFECTIVE_FROM,
  INITIAL_CATALOG_NOTE,
  INITIAL_DISCLOSURE_ITEMS,
  INITIAL_PLATFORMS,
  INITIAL_TRADING_ITEMS,
  TRADING_CATEGORIES,
} from './data.ts';
import { assertNotAuthor, assertOperator } from './policy.ts';
import {
  type CatalogChange,
  type CatalogItemInput,
  type ChangeRequestInput,
  type DisclosureCreateInput,
  type DisclosureInput,
  PLATFORM_KIND_NAMES_ZH,
  type PlatformInput,
  type PlatformUpdateInput,
  TRADING_MODE_NAMES_ZH,
} from './schemas.ts';
import * as store from './store.ts';
import type { CatalogsTables, ChangeRequestStatus, TradingMode } from './tables.ts';

export type CatalogsDb = CatalogsTables & WitnessTables;
export type CatalogsContext = UseCaseContext<CatalogsDb>;
type Tx = Transaction<CatalogsDb>;

export const TRADING_CATALOG_WITNESS_TYPE = 'trading-catalog';
export const CATALOG_CHANGE_WITNESS_TYPE = 'trading-catalog-change';
export const PLATFORM_CATALOG_WITNESS_TYPE = 'platform-catalog';
export const DISCLOSURE_CATALOG_WITNESS_TYPE = 'disclosure-catalog';

const CITATION_9 = '《内蒙古自治区公共资源交易管理办法》第九条';

/** An item of the trading catalog as it stands in the version in force on a date. */
export interface TradingCatalogItem {
  code: string;
  name: string;
  categoryCode: string;
  categoryName: string;
  regulator: string;
  tradingModes: TradingMode[];
  splitThresholdYuan: string | null;
  splitThresholdCitation: string | null;
  /** The effective date of the catalog version the item was read from. */
  effectiveFrom: CalendarDate;
}

const CHANGE_STATUS_NAMES_ZH: Record<ChangeRequestStatus, string> = {
  pending: '待审核',
  approved: '已批准',
  rejected: '已驳回',
};

function today(clock: Clock): CalendarDate {
  return shanghaiDateOf(clock.now());
}

function witness(
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

function toItem(row: store.CatalogItemRow): TradingCatalogItem {
  return {
    code: row.code,
    name: row.name,
    categoryCode: row.category_code,
    categoryName: row.category_name,
    regulator: row.regulator,
    tradingModes: row.trading_modes,
    splitThresholdYuan: row.split_threshold_yuan,
    splitThresholdCitation: row.split_threshold_citation,
    effectiveFrom: row.effective_from as CalendarDate,
  };
}

function toItemView(row: store.CatalogItemRow) {
  return {
    ...toItem(row),
    tradingModeNames: row.trading_modes.map((m) => TRADING_MODE_NAMES_ZH[m]),
    version: row.version,
  };
}

function toChangeRequestView(row: store.ChangeRequestRow) {
  return {
    id: row.id,
    status: row.status,
    statusName: CHANGE_STATUS_NAMES_ZH[row.status],
    title: row.title,
    reason: row.reason,
    effectiveFrom: row.effective_from,
    changes: row.changes as CatalogChange[],
    baseVersion: row.base_version,
    draftedBy: { id: row.drafted_by, name: row.drafted_by_name },
    draftedAt: row.drafted_at.toISOString(),
    reviewedBy:
      row.reviewed_by && row.reviewed_by_name ? { id: row.reviewed_by, name: row.reviewed_by_name } : null,
    reviewedAt: row.reviewed_at ? row.reviewed_at.toISOString() : null,
    rejectReason: row.reject_reason,
    resultingVersion: row.resulting_version,
  };
}
export type ChangeRequestView = ReturnType<typeof toChangeRequestView>;

const PLATFORM_STATUS_NAMES_ZH = { active: '在册', suspended: '暂停' } as const;

function toPlatformView(row: store.PlatformRow) {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    kindName: PLATFORM_KIND_NAMES_ZH[row.kind],
    region: { code: row.region_code, name: regionByCode(row.region_code)?.name ?? row.region_code },
    website: row.website,
    operatorName: row.operator_name,
    certification: row.certification,
    status: row.status,
    statusName: PLATFORM_STATUS_NAMES_ZH[row.status],
    statusReason: row.status_reason,
    updatedAt: row.updated_at.toISOString(),
  };
}
export type PlatformView = ReturnType<typeof toPlatformView>;

function toDisclosureView(row: store.DisclosureRow) {
  return {
    code: row.code,
    name: row.name,
    content: row.content,
    basis: row.basis,
    timeLimit: row.time_limit,
    publisher: row.publisher,
    channel: row.channel,
    audience: row.audience,
    manner: row.manner,
    announcementKind: row.announcement_kind,
    isPublic: row.is_public,
    updatedAt: row.updated_at.toISOString(),
  };
}
export type DisclosureView = ReturnType<typeof toDisclosureView>;

// ---- seed ----

/**
 * Writes the initial catalogs (data.ts) unless they are there: categories, version 1 of the trading
 * catalog, the platforms and the disclosure items. Idempotent and safe when several instances start at
 * once (each row is inserted `on conflict do nothing`, and only what this call inserted is witnessed).
 * Runs at every start-up (src/main.ts), so every fresh database has the catalogs, demo or not.
 */
export async function seedCatalogs(db: Kysely<CatalogsDb>, clock: Clock): Promise<void> {
  const at = clock.now();
  await db.transaction().execute(async (tx) => {
    await store.insertCategories(
      tx,
      TRADING_CATEGORIES.map((c, i) => ({ code: c.code, name: c.name, sort_order: i + 1 })),
    );
    const created = await store.insertVersion(tx, {
      version: 1,
      effective_from: INITIAL_CATALOG_EFFECTIVE_FROM,
      note: INITIAL_CATALOG_NOTE,
      change_request_id: null,
      created_at: at,
    });
    if (created) {
      await store.insertItems(
        tx,
        INITIAL_TRADING_ITEMS.map((item) => ({
          version: 1,
          code: item.code,
          name: item.name,
          category_code: item.code.slice(0, 2),
          regulator: item.regulator,
          trading_modes: item.tradingModes,
          split_threshold_yuan: item.splitThresholdYuan,
          split_threshold_citation: item.splitThresholdCitation,
        })),
      );
      await witness(
        tx,
        at,
        SYSTEM_ORIGIN,
        TRADING_CATALOG_WITNESS_TYPE,
        '1',
        'trading-catalog.version-published',
        {
          version: 1,
          effectiveFrom: INITIAL_CATALOG_EFFECTIVE_FROM,
          itemCodes: INITIAL_TRADING_ITEMS.map((i) => i.code),
        },
      );
    }
    for (const p of INITIAL_PLATFORMS) {
      const row = await store.insertPlatform(tx, {
        code: p.code,
        name: p.name,
        kind: p.kind,
        region_code: p.regionCode,
        website: p.website,
        operator_name: null,
        certification: null,
        status: 'active',
        status_reason: null,
        created_at: at,
        updated_at: at,
      });
      if (row) {
        await witness(
          tx,
          at,
          SYSTEM_ORIGIN,
          PLATFORM_CATALOG_WITNESS_TYPE,
          p.code,
          'platform-catalog.added',
          {
            code: p.code,
            name: p.name,
            kind: p.kind,
            regionCode: p.regionCode,
          },
        );
      }
    }
    for (const d of INITIAL_DISCLOSURE_ITEMS) {
      // An item added in a later release: staff may already have given its kind to an item of their own.
      const holder = d.announcementKind
        ? await store.findDisclosureByKind(tx, d.announcementKind)
        : undefined;
      if (holder && holder.code !== d.code) continue;
      const row = await store.insertDisclosure(tx, {
        code: d.code,
        name: d.name,
        content: d.content,
        basis: d.basis,
        time_limit: d.timeLimit,
        publisher: d.publisher,
        channel: d.channel,
        audience: d.audience,
        manner: d.manner,
        announcement_kind: d.announcementKind,
        is_public: d.isPublic,
        updated_at: at,
      });
      if (row) {
        await witness(
          tx,
          at,
          SYSTEM_ORIGIN,
          DISCLOSURE_CATALOG_WITNESS_TYPE,
          d.code,
          'disclosure-catalog.added',
          {
            ...toDisclosureView(row),
            updatedAt: undefined,
          },
        );
      }
    }
  });
}

// ---- trading catalog: reading ----

async function versionInForce(db: Kysely<CatalogsDb> | Tx, date: CalendarDate) {
  const version = await store.findVersionInForce(db, date);
  if (!version) {
    throw new NotFound('CATALOG_NOT_IN_FORCE', {
      title: '该日期尚无施行的交易目录',
      detail: `${date} 之前没有施行的交易目录版本（初始版本自 ${INITIAL_CATALOG_EFFECTIVE_FROM} 起施行）。`,
    });
  }
  return version;
}

/** The whole trading catalog in force on `asOf` (default: today), grouped by category. */
export async function getTradingCatalog(deps: { db: Kysely<CatalogsDb>; clock: Clock }, asOf?: CalendarDate) {
  const date = asOf ?? today(deps.clock);
  const version = await versionInForce(deps.db, date);
  const [categories, items] = await Promise.all([
    store.listCategories(deps.db),
    store.listItems(deps.db, version.version),
  ]);
  return {
    version: version.version,
    effectiveFrom: version.effective_from,
    note: version.note,
    changeRequestId: version.change_request_id,
    asOf: date,
    categories: categories.map((c) => ({
      code: c.code,
      name: c.name,
      items: items.filter((i) => i.category_code === c.code).map(toItemView),
    })),
  };
}

export async function getTradingCatalogItem(
  deps: { db: Kysely<CatalogsDb>; clock: Clock },
  code: string,
  asOf?: CalendarDate,
) {
  const date = asOf ?? today(deps.clock);
  const version = await versionInForce(deps.db, date);
  const row = await store.findItem(deps.db, version.version, code);
  if (!row) {
    throw new NotFound('CATALOG_ITEM_NOT_FOUND', {
      title: '交易目录中没有该事项',
      detail: `${date} 施行的交易目录（第 ${version.version} 版）中没有编码为 ${code} 的事项。`,
    });
  }
  return toItemView(row);
}

/**
 * The item `code` in the version in force on `asOf` (default: today in Asia/Shanghai, server time), or
 * null when that version has no such item. Other modules call this (project registration, 化整为零).
 */
export async function findTradingCatalogItem(
  db: Db<CatalogsTables>,
  code: string,
  asOf?: CalendarDate,
): Promise<TradingCatalogItem | null> {
  const version = await store.findVersionInForce(db, asOf ?? shanghaiDateOf(new Date()));
  if (!version) return null;
  const row = await store.findItem(db, version.version, code);
  return row ? toItem(row) : null;
}

export async function listTradingCatalogVersions(deps: { db: Kysely<CatalogsDb>; clock: Clock }) {
  const rows = await store.listVersions(deps.db);
  const inForce = await store.findVersionInForce(deps.db, today(deps.clock));
  return rows.map((v) => ({
    version: v.version,
    effectiveFrom: v.effective_from,
    note: v.note,
    changeRequestId: v.change_request_id,
    itemCount: Number(v.item_count ?? 0),
    createdAt: v.created_at.toISOString(),
    state:
      inForce && v.version === inForce.version
        ? ('in-force' as const)
        : inForce && v.version < inForce.version
          ? ('superseded' as const)
          : ('scheduled' as const),
  }));
}

// ---- trading catalog: reviewed changes (§9 动态管理) ----

type ItemRecord = {
  code: string;
  name: string;
  category_code: string;
  regulator: string;
  trading_modes: TradingMode[];
  split_threshold_yuan: string | null;
  split_threshold_citation: string | null;
};

function recordOf(item: CatalogItemInput): ItemRecord {
  return {
    code: item.code,
    name: item.name,
    category_code: item.code.slice(0, 2),
    regulator: item.regulator,
    trading_modes: item.tradingModes,
    split_threshold_yuan: item.splitThresholdYuan,
    split_threshold_citation: item.splitThresholdCitation,
  };
}

function changeConflict(index: number, detail: string): RuleViolation {
  return new RuleViolation('CATALOG_CHANGE_CONFLICT', {
    title: '目录变更与现有目录不符',
    detail: `第 ${index + 1} 项变更：${detail}`,
    citation: CITATION_9,
    extensions: { field: `changes.${index}` },
  });
}

/** The next catalog: `changes` applied to the latest version's items. Throws for the first change that cannot apply. */
async function applyChanges(
  db: Kysely<CatalogsDb> | Tx,
  latestVersion: number,
  changes: CatalogChange[],
): Promise<ItemRecord[]> {
  const current = await store.listItems(db, latestVersion);
  const items = new Map<string, ItemRecord>(
    current.map((r) => [
      r.code,
      {
        code: r.code,
        name: r.name,
        category_code: r.category_code,
        regulator: r.regulator,
        trading_modes: r.trading_modes,
        split_threshold_yuan: r.split_threshold_yuan,
        split_threshold_citation: r.split_threshold_citation,
      },
    ]),
  );
  const touched = new Set<string>();
  for (const [index, change] of changes.entries()) {
    const code = change.op === 'retire' ? change.code : change.item.code;
    if (touched.has(code)) throw changeConflict(index, `事项 ${code} 在同一申请中出现了不止一次。`);
    touched.add(code);
    if (change.op === 'add') {
      if (items.has(code)) throw changeConflict(index, `事项编码 ${code} 已在目录中，请改用“修改”。`);
      if (await store.codeEverUsed(db, code)) {
        throw changeConflict(index, `事项编码 ${code} 曾被使用过（已撤销的编码不再分配给其他事项）。`);
      }
      items.set(code, recordOf(change.item));
    } else if (change.op === 'modify') {
      if (!items.has(code))
        throw changeConflict(index, `第 ${latestVersion} 版目录中没有事项 ${code}，无法修改。`);
      items.set(code, recordOf(change.item));
    } else {
      if (!items.has(code))
        throw changeConflict(index, `第 ${latestVersion} 版目录中没有事项 ${code}，无法撤销。`);
      items.delete(code);
    }
  }
  return [...items.values()].sort((a, b) => a.code.localeCompare(b.code));
}

function assertNotPast(effectiveFrom: string, todayDate: CalendarDate): void {
  if (effectiveFrom < todayDate) {
    throw new RuleViolation('CATALOG_EFFECTIVE_DATE_PAST', {
      title: '施行日期不能早于今天',
      detail: `施行日期为 ${effectiveFrom}，今天是 ${todayDate}。目录变更只对以后生效，已进行的交易仍适用当时施行的目录。`,
      citation: CITATION_9,
      extensions: { field: 'effectiveFrom' },
    });
  }
}

function assertNotBeforeLatest(effectiveFrom: string, latest: { version: number; effective_from: string }) {
  if (effectiveFrom < latest.effective_from) {
    throw new RuleViolation('CATALOG_EFFECTIVE_DATE_BEFORE_LATEST', {
      title: '施行日期早于最新版本',
      detail: `最新的第 ${latest.version} 版目录自 ${latest.effective_from} 起施行，新版本的施行日期不能早于该日期。`,
      citation: CITATION_9,
      extensions: { field: 'effectiveFrom' },
    });
  }
}

/** 起草目录变更: an operator proposes changes effective from a date; nothing changes until another operator approves. */
export async function draftCatalogChange(ctx: CatalogsContext, input: ChangeRequestInput) {
  const actor = assertOperator(ctx.actor);
  const at = ctx.clock.now();
  assertNotPast(input.effectiveFrom, today(ctx.clock));
  return ctx.db.transaction().execute(async (tx) => {
    const latest = await store.findLatestVersion(tx);
    if (!latest) throw new NotFound('CATALOG_NOT_IN_FORCE', { title: '交易目录尚未初始化' });
    assertNotBeforeLatest(input.effectiveFrom, latest);
    await applyChanges(tx, latest.version, input.changes); // refuses a change that cannot apply, now rather than at review
    const row = await store.insertChangeRequest(tx, {
      id: randomUUID(),
      status: 'pending',
      title: input.title,
      reason: input.reason,
      effective_from: input.effectiveFrom,
      changes: JSON.stringify(input.changes),
      base_version: latest.version,
      drafted_by: actor.accountId,
      drafted_by_name: actor.displayName,
      drafted_at: at,
      reviewed_by: null,
      reviewed_by_name: null,
      reviewed_at: null,
      reject_reason: null,
      resulting_version: null,
    });
    await witness(tx, at, ctx.origin, CATALOG_CHANGE_WITNESS_TYPE, row.id, 'trading-catalog.change-drafted', {
      title: input.title,
      reason: input.reason,
      effectiveFrom: input.effectiveFrom,
      baseVersion: latest.version,
      changes: input.changes,
    });
    return toChangeRequestView(row);
  });
}

async function lockPending(tx: Tx, id: string) {
  const request = await store.lockChangeRequest(tx, id);
  if (!request) throw new NotFound('CATALOG_CHANGE_NOT_FOUND', { title: '目录变更申请不存在' });
  if (request.status !== 'pending') {
    throw new RuleViolation('CATALOG_CHANGE_NOT_PENDING', {
      title: '该变更申请已处理',
      detail: `该申请当前状态为“${CHANGE_STATUS_NAMES_ZH[request.status]}”，不能再次审核。`,
    });
  }
  return request;
}

/** 审核通过: a second operator approves; the catalog gets a new version, in force from the requested date. */
export async function approveCatalogChange(ctx: CatalogsContext, id: string) {
  const actor = assertOperator(ctx.actor);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const request = await lockPending(tx, id);
    assertNotAuthor(actor, request.drafted_by);
    assertNotPast(request.effective_from, today(ctx.clock));
    const latest = await store.lockLatestVersion(tx);
    if (!latest) throw new NotFound('CATALOG_NOT_IN_FORCE', { title: '交易目录尚未初始化' });
    assertNotBeforeLatest(request.effective_from, latest);
    const changes = request.changes as CatalogChange[];
    const items = await applyChanges(tx, latest.version, changes);
    const version = latest.version + 1;
    await store.insertVersion(tx, {
      version,
      effective_from: request.effective_from,
      note: request.title,
      change_request_id: request.id,
      created_at: at,
    });
    await store.insertItems(
      tx,
      items.map((i) => ({ ...i, version })),
    );
    const settled = await store.settleChangeRequest(tx, id, {
      status: 'approved',
      reviewed_by: actor.accountId,
      reviewed_by_name: actor.displayName,
      reviewed_at: at,
      resulting_version: version,
    });
    if (!settled) throw new Error('change request settled concurrently despite the row lock');
    await witness(tx, at, ctx.origin, CATALOG_CHANGE_WITNESS_TYPE, id, 'trading-catalog.change-approved', {
      resultingVersion: version,
    });
    await witness(
      tx,
      at,
      ctx.origin,
      TRADING_CATALOG_WITNESS_TYPE,
      String(version),
      'trading-catalog.version-published',
      {
        version,
        effectiveFrom: request.effective_from,
        changeRequestId: id,
        previousVersion: latest.version,
        itemCodes: items.map((i) => i.code),
      },
    );
    return toChangeRequestView(settled);
  });
}

/** 驳回: a second operator rejects, with a reason the author sees. The catalog does not change. */
export async function rejectCatalogChange(ctx: CatalogsContext, id: string, reason: string) {
  const actor = assertOperator(ctx.actor);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const request = await lockPending(tx, id);
    assertNotAuthor(actor, request.drafted_by);
    const settled = await store.settleChangeRequest(tx, id, {
      status: 'rejected',
      reviewed_by: actor.accountId,
      reviewed_by_name: actor.displayName,
      reviewed_at: at,
      reject_reason: reason,
    });
    if (!settled) throw new Error('change request settled concurrently despite the row lock');
    await witness(tx, at, ctx.origin, CATALOG_CHANGE_WITNESS_TYPE, id, 'trading-catalog.change-rejected', {
      reason,
    });
    return toChangeRequestView(settled);
  });
}

export async function listCatalogChanges(ctx: CatalogsContext, status?: ChangeRequestStatus) {
  assertOperator(ctx.actor);
  return (await store.listChangeRequests(ctx.db, status)).map(toChangeRequestView);
}

export async function getCatalogChange(ctx: CatalogsContext, id: string) {
  assertOperator(ctx.actor);
  const row = await store.findChangeRequest(ctx.db, id);
  if (!row) throw new NotFound('CATALOG_CHANGE_NOT_FOUND', { title: '目录变更申请不存在' });
  return toChangeRequestView(row);
}

// ---- platform catalog (§12) ----

export async function listPlatforms(db: Kysely<CatalogsDb>) {
  return (await store.listPlatforms(db)).map(toPlatformView);
}

/** A platform of the catalog by its code (venues check their rooms' platform), or null. */
export async function findPlatform(
  db: Db<CatalogsTables>,
  code: string,
): Promise<{ code: string; name: string; status: 'active' | 'suspended'; regionCode: string } | null> {
  const row = await store.findPlatform(db, code);
  return row ? { code: row.code, name: row.name, status: row.status, regionCode: row.region_code } : null;
}

function validatePlatform(input: PlatformInput): void {
  const field = (name: string, title: string, detail: string) =>
    new InvalidInput('PLATFORM_INVALID', { title, detail, extensions: { field: name } });
  if (!regionByCode(input.regionCode)) {
    throw field('regionCode', '行政区划代码不存在', `${input.regionCode} 不是有效的行政区划代码。`);
  }
  const prefix = input.kind === 'third-party' ? 'T' : 'P';
  if (input.code[0] !== prefix || input.code.slice(1, 7) !== input.regionCode) {
    throw field(
      'code',
      '平台标识码与类型或地区不符',
      `${PLATFORM_KIND_NAMES_ZH[input.kind]}的标识码应以 ${prefix}${input.regionCode} 开头，后接 4 位序号。`,
    );
  }
  if (input.kind === 'third-party' && (!input.operatorName || !input.certification)) {
    throw field(
      'certification',
      '第三方交易系统须填写运营机构和认证信息',
      '第三方电子交易系统须经检测认证后方可纳入平台目录，请填写运营机构名称和认证证书信息。',
    );
  }
}

export async function addPlatform(ctx: CatalogsContext, input: PlatformInput) {
  assertOperator(ctx.actor);
  validatePlatform(input);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertPlatform(tx, {
      code: input.code,
      name: input.name,
      kind: input.kind,
      region_code: input.regionCode,
      website: input.website,
      operator_name: input.operatorName,
      certification: input.certification,
      status: 'active',
      status_reason: null,
      created_at: at,
      updated_at: at,
    });
    if (!row) {
      throw new RuleViolation('PLATFORM_CODE_TAKEN', {
        title: '平台标识码已存在',
        detail: `平台目录中已有标识码为 ${input.code} 的平台。`,
      });
    }
    await witness(
      tx,
      at,
      ctx.origin,
      PLATFORM_CATALOG_WITNESS_TYPE,
      row.code,
      'platform-catalog.added',
      input,
    );
    return toPlatformView(row);
  });
}

async function lockPlatformOr404(tx: Tx, code: string) {
  const row = await store.lockPlatform(tx, code);
  if (!row) throw new NotFound('PLATFORM_NOT_FOUND', { title: '平台目录中没有该平台', detail: code });
  return row;
}

export async function updatePlatform(ctx: CatalogsContext, code: string, input: PlatformUpdateInput) {
  assertOperator(ctx.actor);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const before = await lockPlatformOr404(tx, code);
    validatePlatform({ ...input, code, kind: before.kind, regionCode: before.region_code });
    const row = await store.updatePlatform(tx, code, {
      name: input.name,
      website: input.website,
      operator_name: input.operatorName,
      certification: input.certification,
      updated_at: at,
    });
    if (!row) throw new NotFound('PLATFORM_NOT_FOUND', { title: '平台目录中没有该平台', detail: code });
    await witness(tx, at, ctx.origin, PLATFORM_CATALOG_WITNESS_TYPE, code, 'platform-catalog.updated', input);
    return toPlatformView(row);
  });
}

export async function setPlatformStatus(
  ctx: CatalogsContext,
  code: string,
  change: { status: 'active' | 'suspended'; reason: string | null },
) {
  assertOperator(ctx.actor);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const before = await lockPlatformOr404(tx, code);
    if (before.status === change.status) {
      throw new RuleViolation('PLATFORM_STATUS_UNCHANGED', {
        title: change.status === 'suspended' ? '该平台已处于暂停状态' : '该平台已在册',
        detail: `${before.name}当前状态为“${PLATFORM_STATUS_NAMES_ZH[before.status]}”。`,
      });
    }
    const row = await store.updatePlatform(tx, code, {
      status: change.status,
      status_reason: change.reason,
      updated_at: at,
    });
    if (!row) throw new NotFound('PLATFORM_NOT_FOUND', { title: '平台目录中没有该平台', detail: code });
    await witness(
      tx,
      at,
      ctx.origin,
      PLATFORM_CATALOG_WITNESS_TYPE,
      code,
      change.status === 'suspended' ? 'platform-catalog.suspended' : 'platform-catalog.resumed',
      { reason: change.reason },
    );
    return toPlatformView(row);
  });
}

// ---- disclosure catalog (§13) ----

export async function listDisclosureItems(db: Kysely<CatalogsDb>, opts: { publicOnly: boolean }) {
  return (await store.listDisclosure(db, opts)).map(toDisclosureView);
}

/**
 * How long an instance reuses the disclosed kinds it read. The portal's list asks for them on every
 * request; the catalog changes a few times a year. An edit on this instance clears the cache at once;
 * other instances follow within this time.
 */
export const DISCLOSED_KINDS_TTL_MS = 5_000;
let disclosedCache = new WeakMap<object, { kinds: Promise<string[]>; readAt: number }>();

/** The announcement kinds the disclosure catalog lists as public: the portal publishes exactly these. */
export function disclosedAnnouncementKinds(db: Db<CatalogsTables>): Promise<string[]> {
  // Inside a transaction, read what the transaction sees.
  if (db.isTransaction) return store.listDisclosedKinds(db);
  const cached = disclosedCache.get(db);
  const now = Date.now();
  if (cached && now - cached.readAt < DISCLOSED_KINDS_TTL_MS) return cached.kinds;
  const kinds = store.listDisclosedKinds(db);
  disclosedCache.set(db, { kinds, readAt: now });
  // A failed read is not remembered.
  kinds.catch(() => disclosedCache.delete(db));
  return kinds;
}

function forgetDisclosedKinds(): void {
  disclosedCache = new WeakMap();
}

async function assertKindFree(tx: Tx, kind: string | null, exceptCode: string | null) {
  if (kind === null) return;
  const holder = await store.findDisclosureByKind(tx, kind);
  if (holder && holder.code !== exceptCode) {
    throw new RuleViolation('DISCLOSURE_KIND_TAKEN', {
      title: '该公告类型已对应其他公开事项',
      detail: `公告类型 ${kind} 已由公开事项 ${holder.code}（${holder.name}）登记，一种公告类型只对应一个公开事项。`,
      extensions: { field: 'announcementKind' },
    });
  }
}

function disclosureColumns(input: DisclosureInput, at: Date) {
  return {
    name: input.name,
    content: input.content,
    basis: input.basis,
    time_limit: input.timeLimit,
    publisher: input.publisher,
    channel: input.channel,
    audience: input.audience,
    manner: input.manner,
    announcement_kind: input.announcementKind,
    is_public: input.isPublic,
    updated_at: at,
  };
}

export async function addDisclosureItem(ctx: CatalogsContext, input: DisclosureCreateInput) {
  assertOperator(ctx.actor);
  const at = ctx.clock.now();
  const added = await ctx.db.transaction().execute(async (tx) => {
    await assertKindFree(tx, input.announcementKind, null);
    const row = await store.insertDisclosure(tx, { code: input.code, ...disclosureColumns(input, at) });
    if (!row) {
      throw new RuleViolation('DISCLOSURE_CODE_TAKEN', {
        title: '公开事项编码已存在',
        detail: `信息公开目录中已有编码为 ${input.code} 的事项。`,
        extensions: { field: 'code' },
      });
    }
    await witness(
      tx,
      at,
      ctx.origin,
      DISCLOSURE_CATALOG_WITNESS_TYPE,
      row.code,
      'disclosure-catalog.added',
      input,
    );
    return toDisclosureView(row);
  });
  forgetDisclosedKinds();
  return added;
}

export async function updateDisclosureItem(ctx: CatalogsContext, code: string, input: DisclosureInput) {
  assertOperator(ctx.actor);
  const at = ctx.clock.now();
  const updated = await ctx.db.transaction().execute(async (tx) => {
    const before = await store.findDisclosure(tx, code);
    if (!before)
      throw new NotFound('DISCLOSURE_NOT_FOUND', { title: '信息公开目录中没有该事项', detail: code });
    await assertKindFree(tx, input.announcementKind, code);
    const row = await store.updateDisclosure(tx, code, disclosureColumns(input, at));
    if (!row) throw new NotFound('DISCLOSURE_NOT_FOUND', { title: '信息公开目录中没有该事项', detail: code });
    await witness(tx, at, ctx.origin, DISCLOSURE_CATALOG_WITNESS_TYPE, code, 'disclosure-catalog.updated', {
      before: { ...toDisclosureView(before), updatedAt: undefined },
      after: input,
    });
    return toDisclosureView(row);
  });
  forgetDisclosedKinds();
  return updated;
}
