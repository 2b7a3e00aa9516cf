import { randomUUID } from 'node:crypto';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { Forbidden, InvalidInput, NotFound } from '../../platform/errors.ts';
import { findAccountById } from '../../platform/identity/index.ts';
import { canonicalJson } from '../../platform/witness/index.ts';
import { type InspectionsContext, WITNESS, witness } from './context.ts';
import {
  assertInScope,
  covers,
  findEntityByCreditCode,
  findEntityOfOrganization,
  findLot,
  getSupervisorScope,
  listLotsOfProject,
  listProjectsForStaff,
  requireSupervisorScope,
  SCOPE_CITATION,
  type SupervisorScope,
  searchPublicEntities,
} from './deps.ts';
import { RISK_LEVEL_NAMES_ZH } from './replay.ts';
import type { InspectorsListInput, ItemsListInput, TargetsListInput } from './schemas.ts';
import * as store from './store.ts';
import type { InspectorEntry, ItemEntry, ListKind, TargetEntry } from './tables.ts';

export const LIST_NAMES_ZH: Record<ListKind, string> = {
  items: '抽查事项清单',
  targets: '检查对象名录库',
  inspectors: '执法检查人员名录库',
};

export const ITEM_KIND_NAMES_ZH = { key: '重点检查事项', general: '一般检查事项' } as const;
export const TARGET_KIND_NAMES_ZH = { lot: '交易项目（标段/包）', organization: '市场主体' } as const;

/** A supervisor's organisation-level scope check: an organisation has a region and no 交易目录. */
export function assertRegionInScope(scope: SupervisorScope, regionCode: string, label: string): void {
  if (!scope.regionPrefixes.some((p) => regionCode.startsWith(p))) {
    throw new Forbidden('OUT_OF_SCOPE', {
      title: '不在本部门监管范围内',
      detail: `${label}（地域 ${regionCode}）不属于${scope.department}的监管地域。`,
      citation: SCOPE_CITATION,
    });
  }
}

/** Whether a target lies in a scope: a lot by region × 交易目录, an organisation by region. */
export function targetInScope(
  scope: SupervisorScope,
  t: Pick<TargetEntry, 'regionCode' | 'catalogItemCode'>,
) {
  return t.catalogItemCode === null
    ? scope.regionPrefixes.some((p) => t.regionCode.startsWith(p))
    : covers(scope, { regionCode: t.regionCode, catalogItemCode: t.catalogItemCode });
}

function versionView(row: store.VersionRow | undefined, withEntries = true) {
  if (!row) return null;
  return {
    id: row.id,
    department: row.department,
    kind: row.kind,
    kindName: LIST_NAMES_ZH[row.kind],
    version: row.version,
    entriesSm3: row.entries_sm3,
    entryCount: row.entry_count,
    note: row.note,
    createdByName: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    ...(withEntries ? { entries: row.entries } : {}),
  };
}

async function writeVersion(
  ctx: InspectionsContext,
  scope: SupervisorScope,
  kind: ListKind,
  entries: ItemEntry[] | TargetEntry[] | InspectorEntry[],
  note: string | null,
) {
  const actor = ctx.actor!;
  const now = ctx.clock.now();
  const json = canonicalJson(entries);
  return ctx.db.transaction().execute(async (tx) => {
    await store.lockListHead(tx, scope.department, kind);
    const latest = await store.latestVersion(tx, scope.department, kind);
    const row = await store.insertVersion(tx, {
      id: randomUUID(),
      department: scope.department,
      kind,
      version: (latest?.version ?? 0) + 1,
      entries: json,
      entries_sm3: sm3Hex(json),
      entry_count: entries.length,
      note,
      created_by: actor.accountId,
      created_by_name: actor.displayName,
      created_at: now,
    });
    await witness(tx, now, ctx.origin, WITNESS.list, row.id, 'spot-check-list.version-created', {
      department: row.department,
      kind,
      version: row.version,
      entriesSm3: row.entries_sm3,
      entryCount: row.entry_count,
    });
    return versionView(row);
  });
}

/** 抽查事项清单: a new version of the department's item list (the whole list). */
export async function saveItemList(ctx: InspectionsContext, input: ItemsListInput) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const seen = new Set<string>();
  const entries: ItemEntry[] = input.entries.map((e, i) => {
    const where = `第 ${i + 1} 项（${e.code}）`;
    if (seen.has(e.code)) {
      throw new InvalidInput('SPOT_CHECK_ITEM_DUPLICATE', {
        title: '事项编码重复',
        detail: `${where}的编码已出现过。`,
      });
    }
    seen.add(e.code);
    if ((e.ratioPercent === null) === (e.ratioByRisk === null)) {
      throw new InvalidInput('SPOT_CHECK_RATIO_REQUIRED', {
        title: '请设定抽查比例',
        detail: `${where}须设定统一的抽查比例，或按风险等级分别设定比例，二者选一。`,
      });
    }
    if (e.catalogPrefix !== null && e.targetKind !== 'lot') {
      throw new InvalidInput('SPOT_CHECK_CATALOG_FOR_LOTS_ONLY', {
        title: '交易目录限定只适用于交易项目',
        detail: `${where}的检查对象为市场主体，不能按交易目录限定。`,
      });
    }
    return {
      code: e.code,
      name: e.name,
      kind: e.kind,
      targetKind: e.targetKind,
      basis: e.basis,
      ratioPercent: e.ratioPercent,
      ratioByRisk: e.ratioByRisk,
      catalogPrefix: e.catalogPrefix,
    };
  });
  return writeVersion(ctx, scope, 'items', entries, input.note);
}

/**
 * 检查对象名录库: a new version of the department's target list. Each lot is read through the projects
 * module, each organisation through the entities module, and each must lie in the supervisor's scope.
 */
export async function saveTargetList(ctx: InspectionsContext, input: TargetsListInput) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const entries: TargetEntry[] = [];
  const seen = new Set<string>();
  for (const [i, e] of input.entries.entries()) {
    let entry: TargetEntry;
    if (e.kind === 'lot') {
      const lot = await findLot(ctx.db, e.lotId);
      if (!lot) {
        throw new NotFound('LOT_NOT_FOUND', {
          title: '标段（包）不存在',
          detail: `第 ${i + 1} 个检查对象不存在。`,
        });
      }
      await assertInScope(ctx.db, ctx.actor, {
        regionCode: lot.regionCode,
        catalogItemCode: lot.catalogItemCode,
        label: `标段（包）“${lot.name}”`,
      });
      entry = {
        code: `L${lot.code}`,
        kind: 'lot',
        entityId: lot.id,
        name: `${lot.projectName} ${lot.name}`,
        reference: lot.code,
        regionCode: lot.regionCode,
        catalogItemCode: lot.catalogItemCode,
        riskLevel: e.riskLevel,
      };
    } else {
      const found = await findEntityByCreditCode(ctx.db, e.creditCode);
      const entity = found?.organizationId
        ? await findEntityOfOrganization(ctx.db, found.organizationId)
        : undefined;
      if (!found || !entity) {
        throw new NotFound('ENTITY_NOT_FOUND', {
          title: '市场主体不存在',
          detail: `统一社会信用代码 ${e.creditCode} 未在平台登记。`,
        });
      }
      assertRegionInScope(scope, entity.regionCode, `市场主体“${entity.name}”`);
      entry = {
        code: `O${e.creditCode}`,
        kind: 'organization',
        entityId: entity.organizationId,
        name: entity.name,
        reference: e.creditCode,
        regionCode: entity.regionCode,
        catalogItemCode: null,
        riskLevel: e.riskLevel,
      };
    }
    if (seen.has(entry.code)) {
      throw new InvalidInput('SPOT_CHECK_TARGET_DUPLICATE', {
        title: '检查对象重复',
        detail: `“${entry.name}”在名录中出现了两次。`,
      });
    }
    seen.add(entry.code);
    entries.push(entry);
  }
  entries.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return writeVersion(ctx, scope, 'targets', entries, input.note);
}

/** 执法检查人员名录库: supervisor accounts of the same department. */
export async function saveInspectorList(ctx: InspectionsContext, input: InspectorsListInput) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const entries: InspectorEntry[] = [];
  const seen = new Set<string>();
  for (const e of input.entries) {
    if (seen.has(e.accountId)) {
      throw new InvalidInput('SPOT_CHECK_INSPECTOR_DUPLICATE', { title: '执法检查人员重复' });
    }
    seen.add(e.accountId);
    const account = await findAccountById(ctx.db, e.accountId);
    if (account?.status !== 'active' || !account.roles.includes('supervisor')) {
      throw new InvalidInput('SPOT_CHECK_INSPECTOR_NOT_SUPERVISOR', {
        title: '不是有效的行政监督账号',
        detail: `账号 ${e.accountId} 不存在、已停用或不具有“行政监督”角色。`,
      });
    }
    const theirs = await getSupervisorScope(ctx.db, account.id);
    if (!theirs || theirs.department !== scope.department) {
      throw new InvalidInput('SPOT_CHECK_INSPECTOR_OTHER_DEPARTMENT', {
        title: '不是本部门的执法检查人员',
        detail: `${account.displayName}（${account.username}）不属于${scope.department}。`,
      });
    }
    entries.push({
      code: `I${account.id}`,
      accountId: account.id,
      name: account.displayName,
      department: theirs.department,
      certificateNo: e.certificateNo,
    });
  }
  entries.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return writeVersion(ctx, scope, 'inspectors', entries, input.note);
}

/** The department's list in force (or a given version) and every version's header. */
export async function getList(ctx: InspectionsContext, kind: ListKind, version?: number) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const row =
    version === undefined
      ? await store.latestVersion(ctx.db, scope.department, kind)
      : await store.findVersionByNumber(ctx.db, scope.department, kind, version);
  if (version !== undefined && !row) {
    throw new NotFound('SPOT_CHECK_LIST_VERSION_NOT_FOUND', { title: `${LIST_NAMES_ZH[kind]}没有该版本` });
  }
  const versions = await store.listVersions(ctx.db, scope.department, kind);
  return {
    department: scope.department,
    kind,
    kindName: LIST_NAMES_ZH[kind],
    current: versionView(row),
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      entriesSm3: v.entries_sm3,
      entryCount: v.entry_count,
      note: v.note,
      createdByName: v.created_by_name,
      createdAt: v.created_at.toISOString(),
    })),
  };
}

/**
 * Targets the supervisor may add: lots of received projects in scope (projects module), or organisations
 * found by name or 统一社会信用代码 in the supervisor's regions (entities module).
 */
export async function listTargetCandidates(
  ctx: InspectionsContext,
  query: { kind: 'lot' | 'organization'; q?: string | undefined; limit: number },
) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const q = query.q?.trim() ?? '';
  if (query.kind === 'organization') {
    if (q.length < 2) return { items: [] };
    const found = await searchPublicEntities({ db: ctx.db, clock: ctx.clock }, { q, limit: query.limit });
    return {
      items: found
        .filter((e) => scope.regionPrefixes.some((p) => e.region.code.startsWith(p)))
        .map((e) => ({
          kind: 'organization' as const,
          creditCode: e.creditCode,
          name: e.name,
          regionCode: e.region.code,
          regionName: e.region.pathName,
          roles: e.roles.map((r) => r.name),
        })),
    };
  }
  const projects = await listProjectsForStaff(ctx, { status: 'received', limit: 200, offset: 0 });
  const items = [];
  for (const project of projects.items) {
    if (!covers(scope, { regionCode: project.regionCode, catalogItemCode: project.catalogItemCode }))
      continue;
    for (const lot of await listLotsOfProject(ctx.db, project.id)) {
      const label = `${project.name} ${lot.name} ${lot.code}`;
      if (q && !label.includes(q)) continue;
      items.push({
        kind: 'lot' as const,
        lotId: lot.id,
        code: lot.code,
        name: lot.name,
        projectName: project.name,
        regionCode: project.regionCode,
        catalogItemCode: project.catalogItemCode,
        status: lot.statusName,
      });
      if (items.length >= query.limit) return { items };
    }
  }
  return { items };
}

export { RISK_LEVEL_NAMES_ZH };
