import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../db/index.ts';
import { InvalidInput, NotFound, RuleViolation } from '../errors.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../witness/index.ts';
import { hashPassword, validatePasswordStrength } from './passwords.ts';
import { isRole, type Role } from './roles.ts';
import * as store from './store.ts';
import type { AccountsTable, IdentityTables } from './tables.ts';

/**
 * Identity's records as other modules may write them: each function runs inside the CALLER's transaction,
 * does identity's own checks, writes identity's own tables and appends identity's own witness event, so
 * that a module's state change (a market entity registered, accepted …) and the identity rows it implies
 * commit or fail together. Identity's use cases (`createAccount`, `createOrganization`, `disableAccount`)
 * call these same functions: there is one way to create an account, not two.
 *
 * No function here checks who may act — that is the use case's business (an operator, an organisation
 * administrator, the public registering itself). `origin` names who acted, for the witness log.
 */

/** The transaction of the caller: identity's tables and the witness log must both be in its database. */
export type IdentityTx = Transaction<IdentityTables & WitnessTables>;
type ReadDb = Db<IdentityTables>;

// ---- what other modules see (never a password hash) ----

export interface AccountRecord {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  status: 'active' | 'disabled';
  organizationId: string | null;
  createdAt: Date;
}

export interface OrganizationRecord {
  id: string;
  name: string;
  creditCode: string | null;
  createdAt: Date;
}

function toAccountRecord(row: {
  id: string;
  username: string;
  display_name: string;
  roles: Role[];
  status: AccountsTable['status'];
  organization_id: string | null;
  created_at: Date;
}): AccountRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: row.roles,
    status: row.status,
    organizationId: row.organization_id,
    createdAt: row.created_at,
  };
}

function toOrganizationRecord(row: {
  id: string;
  name: string;
  credit_code: string | null;
  created_at: Date;
}): OrganizationRecord {
  return { id: row.id, name: row.name, creditCode: row.credit_code, createdAt: row.created_at };
}

// ---- validation (identity's rules, usable before a transaction to answer early) ----

const USERNAME_SHAPE = /^[A-Za-z0-9_.-]{3,64}$/;

/** Field name for the problem document, when the caller's form names it differently (`account.username`). */
interface FieldOption {
  field?: string;
}

function fieldExtension(opts: FieldOption | undefined) {
  return opts?.field ? { extensions: { field: opts.field } } : {};
}

/** 用户名: 3–64 letters, digits, `_`, `.`, `-`. Throws USERNAME_INVALID. */
export function assertUsernameFormat(username: string, opts?: FieldOption): void {
  if (!USERNAME_SHAPE.test(username)) {
    throw new InvalidInput('USERNAME_INVALID', {
      title: '用户名格式不正确',
      detail: '用户名为 3–64 位字母、数字、下划线、点或连字符。',
      ...fieldExtension(opts),
    });
  }
}

/**
 * The distinct platform roles named, each one known. Throws ROLE_INVALID. An account may hold no role
 * (a registrant waiting for 受理) unless `atLeastOne` is asked for.
 */
export function checkRoles(roles: readonly string[], opts: { atLeastOne?: boolean } = {}): Role[] {
  const distinct = [...new Set(roles)];
  const unknown = distinct.filter((r) => !isRole(r));
  if (unknown.length > 0 || (opts.atLeastOne && distinct.length === 0)) {
    throw new InvalidInput('ROLE_INVALID', {
      title: '角色不正确',
      detail: unknown.length ? `未知角色：${unknown.join('、')}` : '至少指定一个角色。',
    });
  }
  return distinct as Role[];
}

declare const prepared: unique symbol;
/** An argon2id hash of a password that passed identity's strength rule; made only by `preparePassword`. */
export type PreparedPassword = string & { readonly [prepared]: true };

/**
 * Checks the password's strength (PASSWORD_TOO_WEAK) and hashes it with argon2id. Call it BEFORE opening
 * the transaction: hashing is deliberately slow and must not hold row locks or the connection.
 */
export async function preparePassword(password: string, opts?: FieldOption): Promise<PreparedPassword> {
  const weak = validatePasswordStrength(password);
  if (weak) {
    throw new InvalidInput('PASSWORD_TOO_WEAK', {
      title: '密码强度不足',
      detail: weak,
      ...fieldExtension(opts),
    });
  }
  return (await hashPassword(password)) as PreparedPassword;
}

// ---- errors ----

const USERNAME_TAKEN = (username: string) =>
  new RuleViolation('USERNAME_TAKEN', { title: '用户名已被使用', detail: `用户名 ${username} 已存在。` });

const CREDIT_CODE_TAKEN = (creditCode: string) =>
  new RuleViolation('ORGANIZATION_CREDIT_CODE_TAKEN', {
    title: '统一社会信用代码已被使用',
    detail: `统一社会信用代码 ${creditCode} 已属于平台上的另一个组织。`,
  });

const ORGANIZATION_NOT_FOUND = () => new NotFound('ORGANIZATION_NOT_FOUND', { title: '所属组织不存在' });
const ACCOUNT_NOT_FOUND = () => new NotFound('ACCOUNT_NOT_FOUND', { title: '账号不存在' });

/** The constraint a unique violation (SQLSTATE 23505) names, or null for any other error. */
function uniqueViolation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code !== '23505') return null;
  return typeof constraint === 'string' ? constraint : '';
}

function assertOrganizationName(name: string): void {
  if (name.trim().length === 0 || name.length > 200) {
    throw new InvalidInput('ORGANIZATION_NAME_INVALID', {
      title: '组织名称不正确',
      detail: '组织名称不能为空，最多 200 个字符。',
    });
  }
}

// ---- organisations ----

/** 创建组织 in the caller's transaction, witnessed `organization.created`. */
export async function recordOrganization(
  tx: IdentityTx,
  at: Date,
  origin: WitnessOrigin,
  input: { id?: string; name: string; creditCode?: string | null },
): Promise<OrganizationRecord> {
  assertOrganizationName(input.name);
  const creditCode = input.creditCode ?? null;
  if (creditCode && (await store.findOrganizationByCreditCode(tx, creditCode))) {
    throw CREDIT_CODE_TAKEN(creditCode);
  }
  let row: Awaited<ReturnType<typeof store.insertOrganization>>;
  try {
    row = await store.insertOrganization(tx, {
      id: input.id ?? randomUUID(),
      name: input.name,
      credit_code: creditCode,
    });
  } catch (error) {
    // Another transaction committed the same code between the check and the insert.
    if (creditCode && uniqueViolation(error)?.includes('credit_code')) throw CREDIT_CODE_TAKEN(creditCode);
    throw error;
  }
  await appendWitnessEvent(tx, at, origin, {
    entityType: 'organization',
    entityId: row.id,
    action: 'organization.created',
    payload: { name: row.name, creditCode: row.credit_code },
  });
  return toOrganizationRecord(row);
}

/**
 * Renames an organisation or changes its credit code, witnessed `organization.updated`. Nothing is
 * written (and nothing witnessed) when neither changes.
 */
export async function updateOrganizationRecord(
  tx: IdentityTx,
  at: Date,
  origin: WitnessOrigin,
  organizationId: string,
  input: { name: string; creditCode: string | null },
): Promise<OrganizationRecord> {
  assertOrganizationName(input.name);
  const current = await store.lockOrganization(tx, organizationId);
  if (!current) throw ORGANIZATION_NOT_FOUND();
  if (current.name === input.name && current.credit_code === input.creditCode) {
    return toOrganizationRecord(current);
  }
  if (input.creditCode && input.creditCode !== current.credit_code) {
    const holder = await store.findOrganizationByCreditCode(tx, input.creditCode);
    if (holder && holder.id !== organizationId) throw CREDIT_CODE_TAKEN(input.creditCode);
  }
  let row: Awaited<ReturnType<typeof store.updateOrganization>>;
  try {
    row = await store.updateOrganization(tx, organizationId, {
      name: input.name,
      credit_code: input.creditCode,
    });
  } catch (error) {
    if (input.creditCode && uniqueViolation(error)?.includes('credit_code')) {
      throw CREDIT_CODE_TAKEN(input.creditCode);
    }
    throw error;
  }
  await appendWitnessEvent(tx, at, origin, {
    entityType: 'organization',
    entityId: organizationId,
    action: 'organization.updated',
    payload: { name: row.name, creditCode: row.credit_code },
  });
  return toOrganizationRecord(row);
}

// ---- accounts ----

/**
 * 创建账号 in the caller's transaction, witnessed `account.created`: username format and uniqueness
 * (USERNAME_TAKEN, also when a concurrent transaction wins the race), known roles, an existing
 * organisation. The password comes prepared (`preparePassword`), or null for an account that signs in
 * only by certificate.
 */
export async function recordAccount(
  tx: IdentityTx,
  at: Date,
  origin: WitnessOrigin,
  input: {
    id?: string;
    username: string;
    displayName: string;
    passwordHash: PreparedPassword | null;
    roles: readonly string[];
    organizationId: string | null;
  },
): Promise<AccountRecord> {
  assertUsernameFormat(input.username);
  const roles = checkRoles(input.roles);
  if (await store.findAccountByUsername(tx, input.username)) throw USERNAME_TAKEN(input.username);
  if (input.organizationId && !(await store.findOrganizationById(tx, input.organizationId))) {
    throw ORGANIZATION_NOT_FOUND();
  }
  let row: Awaited<ReturnType<typeof store.insertAccount>>;
  try {
    row = await store.insertAccount(tx, {
      id: input.id ?? randomUUID(),
      username: input.username,
      display_name: input.displayName,
      password_hash: input.passwordHash,
      roles,
      organization_id: input.organizationId,
    });
  } catch (error) {
    if (uniqueViolation(error)?.includes('username')) throw USERNAME_TAKEN(input.username);
    throw error;
  }
  await appendWitnessEvent(tx, at, origin, {
    entityType: 'account',
    entityId: row.id,
    action: 'account.created',
    payload: { username: row.username, roles: row.roles, organizationId: row.organization_id },
  });
  return toAccountRecord(row);
}

/**
 * Replaces an account's platform roles, witnessed `account.roles-changed`. `context` (why: which event,
 * which object) is added to the witness payload.
 */
export async function setAccountRoles(
  tx: IdentityTx,
  at: Date,
  origin: WitnessOrigin,
  accountId: string,
  roles: readonly string[],
  context: Record<string, string | number | boolean | null> = {},
): Promise<AccountRecord> {
  const checked = checkRoles(roles);
  const row = await store.setAccountRoles(tx, accountId, checked);
  if (!row) throw ACCOUNT_NOT_FOUND();
  await appendWitnessEvent(tx, at, origin, {
    entityType: 'account',
    entityId: accountId,
    action: 'account.roles-changed',
    payload: { roles: checked, ...context },
  });
  return toAccountRecord(row);
}

/**
 * 停用账号 in the caller's transaction and end every session it has, witnessed `account.disabled`. Nobody
 * disables their own account (`origin.accountId`): CANNOT_DISABLE_SELF. An account already disabled is
 * ACCOUNT_ALREADY_DISABLED. `sessionsEndedAt` is the revocation time of the sessions (session time is real
 * time; it defaults to `at`); `context` is added to the witness payload.
 */
export async function disableAccountRecord(
  tx: IdentityTx,
  at: Date,
  origin: WitnessOrigin,
  accountId: string,
  opts: { sessionsEndedAt?: Date; context?: Record<string, string | number | boolean | null> } = {},
): Promise<{ account: AccountRecord; sessionsEnded: number }> {
  if (origin.accountId !== null && origin.accountId === accountId) {
    throw new RuleViolation('CANNOT_DISABLE_SELF', { title: '不能停用自己的账号' });
  }
  const row = await store.disableActiveAccount(tx, accountId);
  if (!row) {
    if (!(await store.findAccountById(tx, accountId))) throw ACCOUNT_NOT_FOUND();
    throw new RuleViolation('ACCOUNT_ALREADY_DISABLED', { title: '该账号已停用' });
  }
  const sessionsEnded = await store.revokeSessionsOfAccount(tx, accountId, opts.sessionsEndedAt ?? at);
  await appendWitnessEvent(tx, at, origin, {
    entityType: 'account',
    entityId: accountId,
    action: 'account.disabled',
    payload: { sessionsEnded, ...opts.context },
  });
  return { account: toAccountRecord(row), sessionsEnded };
}

// ---- reads ----

export async function findAccountById(db: ReadDb, accountId: string): Promise<AccountRecord | undefined> {
  const row = await store.findAccountById(db, accountId);
  return row && toAccountRecord(row);
}

export async function findAccountByUsername(
  db: ReadDb,
  username: string,
): Promise<AccountRecord | undefined> {
  const row = await store.findAccountByUsername(db, username);
  return row && toAccountRecord(row);
}

/** The accounts of an organisation, oldest first. */
export async function listAccountsOfOrganization(
  db: ReadDb,
  organizationId: string,
): Promise<AccountRecord[]> {
  return (await store.listAccountsOfOrganization(db, organizationId)).map(toAccountRecord);
}

export async function findOrganizationById(
  db: ReadDb,
  organizationId: string,
): Promise<OrganizationRecord | undefined> {
  const row = await store.findOrganizationById(db, organizationId);
  return row && toOrganizationRecord(row);
}

export async function findOrganizationByCreditCode(
  db: ReadDb,
  creditCode: string,
): Promise<OrganizationRecord | undefined> {
  const row = await store.findOrganizationByCreditCode(db, creditCode);
  return row && toOrganizationRecord(row);
}
