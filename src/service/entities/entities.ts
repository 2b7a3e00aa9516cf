import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type Clock, shanghaiDateOf } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { AppError, NotFound, RuleViolation } from '../../platform/errors.ts';
import {
  accountsHoldingGrant,
  assertUsernameFormat,
  findAccountById,
  findOrganizationByCreditCode,
  grant,
  type IdentityTables,
  preparePassword,
  recordAccount,
  recordOrganization,
  setAccountRoles,
  updateOrganizationRecord,
} from '../../platform/identity/index.ts';
import {
  appendWitnessEvent,
  canonicalJson,
  SYSTEM_ORIGIN,
  type WitnessOrigin,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import { platformRolesOf } from './entity-roles.ts';
import {
  assertOperator,
  isOrganizationAdmin,
  ORG_ADMIN_RELATION,
  requireOrganizationAdmin,
  requireOwnEntity,
} from './policy.ts';
import type { EntityDetails, EntityUpdate, QualificationData, RegistrationInput } from './schemas.ts';
import { assertCan } from './states.ts';
import type { EntityRow } from './store.ts';
import * as store from './store.ts';
import type { EntitiesTables, EntityStatus, MarketEntitiesTable } from './tables.ts';
import {
  type DerivedCategory,
  keepStoredIdNumbers,
  validateDetails,
  validateQualification,
} from './validation.ts';
import {
  type EntitySnapshot,
  maskSnapshot,
  snapshotOf,
  toEntityListItem,
  toEntityView,
  toPublicEntityView,
  VERSION_ACTION_NAMES_ZH,
} from './views.ts';

export type EntitiesDb = EntitiesTables & IdentityTables & WitnessTables;
export type EntitiesContext = UseCaseContext<EntitiesDb>;
type Tx = Transaction<EntitiesDb>;

/** Witness events about an entity carry this type and the entity's id. */
export const ENTITY_WITNESS_TYPE = 'market-entity';

export type EntityView = ReturnType<typeof toEntityView>;
/** The entity as its own accounts see it (`/api/my/entity…`): and whether the caller administers it. */
export type MyEntityView = EntityView & { isOrganizationAdmin: boolean };
export type PublicEntityView = ReturnType<typeof toPublicEntityView>;

function todayOf(clock: Clock): string {
  return shanghaiDateOf(clock.now());
}

async function loadView(db: Kysely<EntitiesDb> | Tx, row: EntityRow, clock: Clock): Promise<EntityView> {
  const qualifications = await store.listQualifications(db, [row.id]);
  return toEntityView(row, qualifications, todayOf(clock));
}

async function loadMyView(
  db: Kysely<EntitiesDb> | Tx,
  row: EntityRow,
  clock: Clock,
  organizationAdmin: boolean,
): Promise<MyEntityView> {
  return { ...(await loadView(db, row, clock)), isOrganizationAdmin: organizationAdmin };
}

// ---- columns ↔ declared details ----

function columnsOf(details: EntityDetails, category: DerivedCategory | null) {
  const common = {
    kind: details.kind,
    name: details.name,
    roles: details.roles,
    region_code: details.regionCode,
    address: details.address,
    zip_code: details.zipCode,
    contact_name: details.contact.name,
    contact_phone: details.contact.phone,
    contact_email: details.contact.email,
  };
  if (details.kind === 'natural_person') {
    return {
      ...common,
      credit_code: null,
      registration_authority_code: null,
      institution_category_code: null,
      representative_name: null,
      representative_id_type: null,
      representative_id_number: null,
      representative_phone: null,
      person_id_type: details.idType,
      person_id_number: details.idNumber,
      person_id_valid_until: details.idValidUntil,
      bank_name: details.bankAccount.bankName,
      bank_branch_code: details.bankAccount.branchCode,
      bank_account_number: details.bankAccount.accountNumber,
      bank_account_name: details.bankAccount.accountName,
      licence_valid_from: null,
      licence_valid_until: null,
      registered_capital: null,
      registered_capital_currency: null,
    } satisfies Partial<MarketEntitiesTable>;
  }
  return {
    ...common,
    credit_code: details.creditCode,
    registration_authority_code: category?.registrationAuthorityCode ?? null,
    institution_category_code: category?.institutionCategoryCode ?? null,
    representative_name: details.legalRepresentative.name,
    representative_id_type: details.legalRepresentative.idType,
    representative_id_number: details.legalRepresentative.idNumber,
    representative_phone: details.legalRepresentative.phone,
    person_id_type: null,
    person_id_number: null,
    person_id_valid_until: null,
    bank_name: details.basicAccount.bankName,
    bank_branch_code: details.basicAccount.branchCode,
    bank_account_number: details.basicAccount.accountNumber,
    bank_account_name: details.basicAccount.accountName,
    licence_valid_from: details.licence.validFrom,
    licence_valid_until: details.licence.validUntil,
    registered_capital: details.registeredCapital?.amount ?? null,
    registered_capital_currency: details.registeredCapital ? details.registeredCapital.currency : null,
  } satisfies Partial<MarketEntitiesTable>;
}

function qualificationRow(entityId: string, q: QualificationData, at: Date) {
  return {
    id: randomUUID(),
    entity_id: entityId,
    category: q.category,
    name: q.name,
    level: q.level,
    certificate_number: q.certificateNumber,
    issuing_authority: q.issuingAuthority,
    valid_from: q.validFrom,
    valid_until: q.validUntil,
    expired_flagged_at: null,
    created_at: at,
  };
}

/**
 * Writes version `row.version` — the full declared data after a change — and returns the SM3 of its
 * canonical JSON. The witness event carries the hash, not the data: the log is public, ID numbers and
 * bank accounts are not, yet anyone holding a version can prove it is the one that was witnessed.
 */
async function recordVersion(
  tx: Tx,
  row: EntityRow,
  action: string,
  changedBy: string | null,
  at: Date,
): Promise<string> {
  const qualifications = await store.listQualifications(tx, [row.id]);
  const json = canonicalJson(snapshotOf(row, qualifications));
  const snapshotSm3 = sm3Hex(json);
  await store.insertVersion(tx, {
    entity_id: row.id,
    version: row.version,
    action,
    snapshot: json,
    snapshot_sm3: snapshotSm3,
    changed_by: changedBy,
    changed_at: at,
  });
  return snapshotSm3;
}

function witnessEntity(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  entityId: string,
  action: string,
  payload: unknown,
) {
  return appendWitnessEvent(tx, at, origin, { entityType: ENTITY_WITNESS_TYPE, entityId, action, payload });
}

// ---- uniqueness ----

const ALREADY_REGISTERED = (creditCode: string) =>
  new RuleViolation('ENTITY_ALREADY_REGISTERED', {
    title: '该统一社会信用代码已登记',
    detail: `统一社会信用代码 ${creditCode} 已在平台登记，同一主体不能重复注册。如需变更信息，请由该主体的机构管理员登录后修改。`,
  });

const PERSON_ALREADY_REGISTERED = () =>
  new RuleViolation('PERSON_ALREADY_REGISTERED', {
    title: '该身份证件已登记',
    detail: '该身份证件已在平台登记为自然人主体，不能重复注册。',
  });

/**
 * A unique index caught what the checks before the transaction missed (two registrations racing), or
 * identity found the credit code on a kernel organisation: answer the same 409 the check would have given.
 * (A username taken is identity's own USERNAME_TAKEN, race included.)
 */
function conflictOf(error: unknown, facts: { creditCode: string | null }): AppError | null {
  if (error instanceof AppError) {
    return error.code === 'ORGANIZATION_CREDIT_CODE_TAKEN' && facts.creditCode
      ? ALREADY_REGISTERED(facts.creditCode)
      : null;
  }
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code !== '23505') return null;
  const name = typeof constraint === 'string' ? constraint : '';
  if (name.includes('credit_code') && facts.creditCode) return ALREADY_REGISTERED(facts.creditCode);
  if (name.includes('person')) return PERSON_ALREADY_REGISTERED();
  return null;
}

async function assertNotRegistered(
  db: Kysely<EntitiesDb> | Tx,
  details: EntityDetails,
  exceptEntityId?: string,
) {
  if (details.kind === 'natural_person') {
    const found = await store.findPersonEntity(db, details.idType, details.idNumber);
    if (found && found.id !== exceptEntityId) throw PERSON_ALREADY_REGISTERED();
    return;
  }
  const found = await store.findEntityByCreditCode(db, details.creditCode);
  if (found && found.id !== exceptEntityId) throw ALREADY_REGISTERED(details.creditCode);
  if (!exceptEntityId && (await findOrganizationByCreditCode(db, details.creditCode))) {
    throw ALREADY_REGISTERED(details.creditCode);
  }
}

// ---- registration (注册登记) ----

export interface RegistrationResult {
  entity: EntityView;
  account: { id: string; username: string };
}

/**
 * 注册登记 (§30): the public registers a market entity together with its first account, which becomes the
 * organisation's administrator (grant `org-admin`). Organisation, account, grant, entity, qualifications
 * and version 1 are written in one transaction with their witness events — all or nothing. The entity
 * starts `submitted`; its account signs in at once but holds no platform role until the trading centre
 * has 受理 (accepted) the registration.
 */
export async function registerEntity(
  ctx: EntitiesContext,
  input: RegistrationInput,
): Promise<RegistrationResult> {
  const now = ctx.clock.now();
  const { details, category } = validateDetails(input.entity, todayOf(ctx.clock));
  const qualifications = input.qualifications.map((q, i) => validateQualification(q, `qualifications/${i}`));
  // Identity's rules, answered before the transaction (the hash is slow); identity checks the username
  // again, and that it is free, when it records the account.
  assertUsernameFormat(input.account.username, { field: 'account.username' });
  const passwordHash = await preparePassword(input.account.password);
  await assertNotRegistered(ctx.db, details);
  const creditCode = details.kind === 'natural_person' ? null : details.creditCode;

  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const organizationId = randomUUID();
      const accountId = randomUUID();
      // The registrant is anonymous until this transaction creates their account: the events name it.
      const origin: WitnessOrigin = { ...ctx.origin, accountId, organizationId, role: null };

      await recordOrganization(tx, now, origin, { id: organizationId, name: details.name, creditCode });
      const account = await recordAccount(tx, now, origin, {
        id: accountId,
        username: input.account.username,
        displayName: input.account.displayName,
        passwordHash,
        roles: [],
        organizationId,
      });
      await grant(tx, now, origin, {
        subject: { type: 'account', id: accountId },
        relation: ORG_ADMIN_RELATION,
        object: { type: 'organization', id: organizationId },
      });

      const entityId = randomUUID();
      const row = await store.insertEntity(tx, {
        id: entityId,
        organization_id: organizationId,
        ...columnsOf(details, category),
        status: 'submitted',
        return_reason: null,
        accepted_version: null,
        accepted_at: null,
        accepted_by: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      await store.insertQualifications(
        tx,
        qualifications.map((q) => qualificationRow(entityId, q, now)),
      );
      const snapshotSm3 = await recordVersion(tx, row, 'registered', accountId, now);
      await witnessEntity(tx, now, origin, entityId, 'entity.registered', {
        version: 1,
        snapshotSm3,
        kind: row.kind,
        name: row.name,
        creditCode,
        roles: row.roles,
        status: row.status,
      });
      return {
        entity: await loadView(tx, row, ctx.clock),
        account: { id: accountId, username: account.username },
      };
    });
  } catch (error) {
    throw conflictOf(error, { creditCode }) ?? error;
  }
}

// ---- the entity's own administrator ----

/**
 * 我的单位, for every account of the entity. `isOrganizationAdmin` tells the page whether to offer 修改 and
 * 本单位账号 (each of those routes checks the grant again).
 */
export async function getMyEntity(ctx: EntitiesContext): Promise<MyEntityView> {
  const { actor, entity } = await requireOwnEntity(ctx.db, ctx.actor);
  return loadMyView(ctx.db, entity, ctx.clock, await isOrganizationAdmin(ctx.db, actor));
}

/** Top-level fields of the declared details that differ — named in the witness event, values not. */
function changedFields(before: EntityDetails, after: EntityDetails): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k]))
    .sort();
}

function identityOf(details: EntityDetails) {
  return details.kind === 'natural_person'
    ? { kind: details.kind, code: `${details.idType}:${details.idNumber}`, roles: [...details.roles].sort() }
    : { kind: details.kind, code: details.creditCode, roles: [...details.roles].sort() };
}

/**
 * 修改主体信息 by the organisation's administrator, in any state. Each change is a new version. Once the
 * registration is accepted, what says who the entity is and what it may do — its kind, credit code (or
 * the natural person's ID) and roles — is locked: changing those is a new registration matter, not an edit.
 * An ID number left out stays as stored (it is only ever shown masked); one given is checked and replaces it.
 */
export async function updateMyEntity(ctx: EntitiesContext, input: EntityUpdate): Promise<MyEntityView> {
  const { actor, entity } = await requireOrganizationAdmin(ctx.db, ctx.actor);
  const now = ctx.clock.now();
  const { details: given, category } = validateDetails(input, todayOf(ctx.clock));
  const creditCode = given.kind === 'natural_person' ? null : given.creditCode;
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const current = await store.lockEntity(tx, entity.id);
      if (!current) throw new NotFound('ENTITY_NOT_FOUND', { title: '市场主体不存在' });
      const before = snapshotOf(current, []).details;
      if (given.kind !== current.kind) {
        throw new RuleViolation('ENTITY_KIND_LOCKED', {
          title: '主体类型不能修改',
          detail: '法人、非法人组织与自然人之间不能通过修改信息转换，请重新注册。',
        });
      }
      const details = keepStoredIdNumbers(given, before);
      const beforeIdentity = identityOf(before);
      const afterIdentity = identityOf(details);
      if (
        current.status === 'active' &&
        (beforeIdentity.code !== afterIdentity.code ||
          canonicalJson(beforeIdentity.roles) !== canonicalJson(afterIdentity.roles))
      ) {
        throw new RuleViolation('ENTITY_IDENTITY_LOCKED', {
          title: '已受理主体的代码和角色不能直接修改',
          detail:
            '登记已受理后，统一社会信用代码（或身份证件号码）和主体角色不能直接修改；其他信息可以修改并留存版本记录。',
        });
      }
      await assertNotRegistered(tx, details, current.id);
      const fields = changedFields(before, details);
      if (fields.length === 0) return loadMyView(tx, current, ctx.clock, true);

      const updated = await store.updateEntity(tx, current.id, {
        ...columnsOf(details, category),
        version: current.version + 1,
        updated_at: now,
      });
      await updateOrganizationRecord(tx, now, ctx.origin, current.organization_id, {
        name: details.name,
        creditCode,
      });
      const snapshotSm3 = await recordVersion(tx, updated, 'updated', actor.accountId, now);
      await witnessEntity(tx, now, ctx.origin, current.id, 'entity.updated', {
        version: updated.version,
        snapshotSm3,
        changedFields: fields,
      });
      return loadMyView(tx, updated, ctx.clock, true);
    });
  } catch (error) {
    throw conflictOf(error, { creditCode }) ?? error;
  }
}

/** 新增资质 — one certificate, a new version. */
export async function addMyQualification(
  ctx: EntitiesContext,
  input: QualificationData,
): Promise<MyEntityView> {
  const { actor, entity } = await requireOrganizationAdmin(ctx.db, ctx.actor);
  const q = validateQualification(input, 'body');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEntity(tx, entity.id);
    if (!current) throw new NotFound('ENTITY_NOT_FOUND', { title: '市场主体不存在' });
    const [inserted] = await store.insertQualifications(tx, [qualificationRow(current.id, q, now)]);
    const updated = await store.updateEntity(tx, current.id, {
      version: current.version + 1,
      updated_at: now,
    });
    const snapshotSm3 = await recordVersion(tx, updated, 'qualification-added', actor.accountId, now);
    await witnessEntity(tx, now, ctx.origin, current.id, 'entity.qualification-added', {
      version: updated.version,
      snapshotSm3,
      qualificationId: inserted?.id ?? null,
      name: q.name,
      certificateNumber: q.certificateNumber,
      validUntil: q.validUntil,
    });
    return loadMyView(tx, updated, ctx.clock, true);
  });
}

/** 删除资质 — the certificate leaves the current data; earlier versions keep it. */
export async function removeMyQualification(
  ctx: EntitiesContext,
  qualificationId: string,
): Promise<MyEntityView> {
  const { actor, entity } = await requireOrganizationAdmin(ctx.db, ctx.actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEntity(tx, entity.id);
    if (!current) throw new NotFound('ENTITY_NOT_FOUND', { title: '市场主体不存在' });
    const removed = await store.deleteQualification(tx, current.id, qualificationId);
    if (!removed) throw new NotFound('QUALIFICATION_NOT_FOUND', { title: '资质不存在' });
    const updated = await store.updateEntity(tx, current.id, {
      version: current.version + 1,
      updated_at: now,
    });
    const snapshotSm3 = await recordVersion(tx, updated, 'qualification-removed', actor.accountId, now);
    await witnessEntity(tx, now, ctx.origin, current.id, 'entity.qualification-removed', {
      version: updated.version,
      snapshotSm3,
      qualificationId,
    });
    return loadMyView(tx, updated, ctx.clock, true);
  });
}

/** 重新提交 after 退回补正. */
export async function resubmitMyEntity(ctx: EntitiesContext): Promise<MyEntityView> {
  const { entity } = await requireOrganizationAdmin(ctx.db, ctx.actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEntity(tx, entity.id);
    if (!current) throw new NotFound('ENTITY_NOT_FOUND', { title: '市场主体不存在' });
    const t = assertCan(current.status, 'submit');
    const updated = await store.transitionEntity(tx, current.id, t.from, {
      status: t.to,
      return_reason: null,
      updated_at: now,
    });
    if (!updated) throw new NotFound('ENTITY_NOT_FOUND', { title: '市场主体不存在' });
    await witnessEntity(tx, now, ctx.origin, current.id, 'entity.submitted', { version: updated.version });
    return loadMyView(tx, updated, ctx.clock, true);
  });
}

export interface VersionEntry {
  version: number;
  action: string;
  actionName: string;
  changedBy: string | null;
  /** The display name of that account, read through identity (null: no account, or no longer known). */
  changedByName: string | null;
  changedAt: string;
  snapshotSm3: string;
  snapshot: EntitySnapshot;
}

/** Display names of the accounts that changed an entity: a handful per entity, read through identity. */
async function displayNamesOf(db: Kysely<EntitiesDb>, accountIds: readonly string[]) {
  const ids = [...new Set(accountIds)];
  const accounts = await Promise.all(ids.map((id) => findAccountById(db, id)));
  return new Map(ids.map((id, i) => [id, accounts[i]?.displayName ?? null]));
}

async function versionsOf(db: Kysely<EntitiesDb>, entityId: string): Promise<VersionEntry[]> {
  const rows = await store.listVersions(db, entityId);
  const names = await displayNamesOf(
    db,
    rows.flatMap((r) => (r.changed_by ? [r.changed_by] : [])),
  );
  return rows.map((r) => ({
    version: r.version,
    action: r.action,
    actionName: VERSION_ACTION_NAMES_ZH[r.action] ?? r.action,
    changedBy: r.changed_by,
    changedByName: r.changed_by ? (names.get(r.changed_by) ?? null) : null,
    changedAt: r.changed_at.toISOString(),
    snapshotSm3: r.snapshot_sm3,
    snapshot: maskSnapshot(parseSnapshot(r.snapshot)),
  }));
}

/** jsonb comes back parsed from PostgreSQL and PGlite alike; text would be a driver surprise worth failing on. */
function parseSnapshot(value: unknown): EntitySnapshot {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (typeof parsed !== 'object' || parsed === null || !('details' in parsed)) {
    throw new Error('entity version snapshot is not an object with details');
  }
  return parsed as EntitySnapshot;
}

export async function listMyVersions(ctx: EntitiesContext): Promise<VersionEntry[]> {
  const { entity } = await requireOwnEntity(ctx.db, ctx.actor);
  return versionsOf(ctx.db, entity.id);
}

// ---- the trading centre (交易中心, operator) ----

export async function listEntitiesForStaff(
  ctx: EntitiesContext,
  query: { status?: EntityStatus | undefined; limit: number; offset: number },
) {
  assertOperator(ctx.actor);
  const [rows, total] = await Promise.all([
    store.listEntities(ctx.db, query),
    store.countEntities(ctx.db, query),
  ]);
  return { total, items: rows.map(toEntityListItem) };
}

async function findForStaff(ctx: EntitiesContext, entityId: string): Promise<EntityRow> {
  assertOperator(ctx.actor);
  const row = await store.findEntityById(ctx.db, entityId);
  if (!row) throw new NotFound('ENTITY_NOT_FOUND', { title: '市场主体不存在' });
  return row;
}

export async function getEntityForStaff(ctx: EntitiesContext, entityId: string): Promise<EntityView> {
  return loadView(ctx.db, await findForStaff(ctx, entityId), ctx.clock);
}

export async function listEntityVersionsForStaff(
  ctx: EntitiesContext,
  entityId: string,
): Promise<VersionEntry[]> {
  const row = await findForStaff(ctx, entityId);
  return versionsOf(ctx.db, row.id);
}

/**
 * 受理 (§48(1)): the trading centre has checked that the documents are complete and authentic; it does
 * not approve. `reviewedVersion` is the version it checked — if the registrant changed the data since,
 * nothing unseen is accepted. The administrator's account receives the platform roles the entity holds.
 */
export async function acceptEntity(
  ctx: EntitiesContext,
  entityId: string,
  input: { reviewedVersion: number },
): Promise<EntityView> {
  const actor = assertOperator(ctx.actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEntity(tx, entityId);
    if (!current) throw new NotFound('ENTITY_NOT_FOUND', { title: '市场主体不存在' });
    const t = assertCan(current.status, 'accept');
    if (current.version !== input.reviewedVersion) {
      throw new RuleViolation('ENTITY_CHANGED_SINCE_REVIEW', {
        title: '主体信息已更新，请重新核对',
        detail: `您核对的是第 ${input.reviewedVersion} 版，当前为第 ${current.version} 版。请核对最新信息后再受理。`,
      });
    }
    const updated = await store.transitionEntity(tx, current.id, t.from, {
      status: t.to,
      return_reason: null,
      accepted_version: current.version,
      accepted_at: now,
      accepted_by: actor.accountId,
      updated_at: now,
    });
    if (!updated) throw new NotFound('ENTITY_NOT_FOUND', { title: '市场主体不存在' });
    // The 受理 record names exactly which declared data was accepted.
    const accepted = await store.findVersion(tx, current.id, current.version);
    await witnessEntity(tx, now, ctx.origin, current.id, 'entity.accepted', {
      version: current.version,
      snapshotSm3: accepted?.snapshot_sm3 ?? null,
    });
    const roles = platformRolesOf(updated.roles);
    const admins = await accountsHoldingGrant(tx, ORG_ADMIN_RELATION, {
      type: 'organization',
      id: updated.organization_id,
    });
    for (const accountId of admins) {
      await setAccountRoles(tx, now, ctx.origin, accountId, roles, {
        reason: 'entity.accepted',
        entityId: current.id,
      });
    }
    return loadView(tx, updated, ctx.clock);
  });
}

/** 退回补正: incomplete or doubtful documents go back to the registrant with the reason. */
export async function returnEntity(
  ctx: EntitiesContext,
  entityId: string,
  input: { reason: string; reviewedVersion?: number | undefined },
): Promise<EntityView> {
  assertOperator(ctx.actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEntity(tx, entityId);
    if (!current) throw new NotFound('ENTITY_NOT_FOUND', { title: '市场主体不存在' });
    const t = assertCan(current.status, 'return');
    const updated = await store.transitionEntity(tx, current.id, t.from, {
      status: t.to,
      return_reason: input.reason,
      updated_at: now,
    });
    if (!updated) throw new NotFound('ENTITY_NOT_FOUND', { title: '市场主体不存在' });
    await witnessEntity(tx, now, ctx.origin, current.id, 'entity.returned', {
      version: current.version,
      reviewedVersion: input.reviewedVersion ?? null,
      reason: input.reason,
    });
    return loadView(tx, updated, ctx.clock);
  });
}

// ---- the public (公开查询) ----

const CREDIT_CODE_SHAPE = /^[0-9A-Z]{18}$/;

/**
 * 市场主体公开查询: by exact 统一社会信用代码 or a fragment of the name; accepted organisations only.
 * Natural persons are never listed (《个人信息保护法》): their 主体代码 is an ID number.
 */
export async function searchPublicEntities(
  deps: { db: Kysely<EntitiesDb>; clock: Clock },
  input: { q: string; limit: number },
): Promise<PublicEntityView[]> {
  const q = input.q.trim();
  const asCode = q.toUpperCase();
  const rows = CREDIT_CODE_SHAPE.test(asCode)
    ? await store.searchPublicEntities(deps.db, { creditCode: asCode, limit: input.limit })
    : await store.searchPublicEntities(deps.db, { nameFragment: q, limit: input.limit });
  const qualifications = await store.listQualifications(
    deps.db,
    rows.map((r) => r.id),
  );
  const today = todayOf(deps.clock);
  return rows.map((row) =>
    toPublicEntityView(
      row,
      qualifications.filter((q) => q.entity_id === row.id),
      today,
    ),
  );
}

// ---- qualification expiry (资质过期) ----

export interface ExpiredQualification {
  qualificationId: string;
  entityId: string;
  entityName: string;
  organizationId: string;
  name: string;
  certificateNumber: string;
  validUntil: string;
  flaggedAt: Date | null;
}

/** Certificates whose last valid day is before `today` ('YYYY-MM-DD', Asia/Shanghai): flagged `expired`. */
export async function listExpiredQualifications(
  db: Kysely<EntitiesDb>,
  today: string,
  opts: { entityId?: string; unflaggedOnly?: boolean; limit?: number } = {},
): Promise<ExpiredQualification[]> {
  const rows = await store.findExpiredQualifications(db, { today, ...opts });
  return rows.map((r) => ({
    qualificationId: r.id,
    entityId: r.entity_id,
    entityName: r.entity_name,
    organizationId: r.organization_id,
    name: r.name,
    certificateNumber: r.certificate_number,
    validUntil: r.valid_until ?? '',
    flaggedAt: r.expired_flagged_at,
  }));
}

/**
 * For a periodic job: records, once per certificate, that it has expired — a flag on the row and a
 * witness event in the same transaction. Idempotent; several instances may run it at once (the update
 * only takes rows still unflagged). Returns how many certificates it flagged.
 */
export async function flagExpiredQualifications(
  deps: { db: Kysely<EntitiesDb>; clock: Clock },
  opts: { limit?: number } = {},
): Promise<{ flagged: number; today: string }> {
  const now = deps.clock.now();
  const today = todayOf(deps.clock);
  const due = await store.findExpiredQualifications(deps.db, {
    today,
    unflaggedOnly: true,
    limit: opts.limit ?? 500,
  });
  if (due.length === 0) return { flagged: 0, today };
  const flagged = await deps.db.transaction().execute(async (tx) => {
    let count = 0;
    for (const q of due) {
      const row = await store.flagQualificationExpired(tx, q.id, now);
      if (!row) continue;
      count++;
      await witnessEntity(tx, now, SYSTEM_ORIGIN, q.entity_id, 'entity.qualification-expired', {
        qualificationId: q.id,
        name: q.name,
        certificateNumber: q.certificate_number,
        validUntil: q.valid_until,
      });
    }
    return count;
  });
  return { flagged, today };
}

// ---- for other modules ----

/** 市场主体 of an organisation, with its 基本账户 (deposits refund to it); undefined if none. */
export async function findEntityOfOrganization(db: Kysely<EntitiesDb>, organizationId: string) {
  const row = await store.findEntityByOrganization(db, organizationId);
  if (!row) return undefined;
  return {
    id: row.id,
    organizationId: row.organization_id,
    kind: row.kind,
    name: row.name,
    creditCode: row.credit_code,
    roles: row.roles,
    status: row.status,
    regionCode: row.region_code,
    basicAccount: {
      bankName: row.bank_name,
      branchCode: row.bank_branch_code,
      accountNumber: row.bank_account_number,
      accountName: row.bank_account_name,
    },
  };
}
