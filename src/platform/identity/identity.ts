import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock/index.ts';
import type { UseCaseContext } from '../context.ts';
import { Forbidden, InvalidInput, NotFound, Unauthenticated } from '../errors.ts';
import { appendWitnessEvent, type WitnessTables } from '../witness/index.ts';
import type { Actor, SessionLookup } from './actor.ts';
import { hashPassword, validatePasswordStrength, verifyPassword } from './passwords.ts';
import {
  type AccountRecord,
  assertUsernameFormat,
  checkRoles,
  disableAccountRecord,
  type OrganizationRecord,
  preparePassword,
  recordAccount,
  recordOrganization,
} from './records.ts';
import * as store from './store.ts';
import type { IdentityTables } from './tables.ts';

export type IdentityDb = IdentityTables & WitnessTables;
export type IdentityContext = UseCaseContext<IdentityDb>;

export interface IdentityDeps {
  db: Kysely<IdentityDb>;
  /**
   * Session lifetimes are security time, counted in real time even when GGZY_TIME_SCALE speeds up
   * platform time for a demo (a 12-hour session must not end after 30 seconds).
   */
  sessionClock: Clock;
  sessionHours: number;
}

const INVALID_CREDENTIALS = () =>
  // One answer for an unknown user, a wrong password and a disabled account: nothing to enumerate.
  new Unauthenticated('INVALID_CREDENTIALS', { title: '用户名或密码错误', detail: '请检查后重新输入。' });

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createIdentity(deps: IdentityDeps) {
  async function authenticate(token: string): Promise<SessionLookup> {
    if (token.length < 20 || token.length > 200) return { ok: false, reason: 'unknown' };
    const row = await store.findSessionWithAccount(deps.db, tokenHash(token));
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revoked_at) return { ok: false, reason: 'revoked' };
    if (row.status !== 'active') return { ok: false, reason: 'revoked' };
    if (row.expires_at.getTime() <= deps.sessionClock.now().getTime())
      return { ok: false, reason: 'expired' };
    return {
      ok: true,
      actor: {
        accountId: row.account_id,
        username: row.username,
        displayName: row.display_name,
        roles: row.roles,
        organizationId: row.organization_id,
        organizationName: row.organization_name,
        sessionId: row.session_id,
      },
    };
  }

  /** 登录: checks the password, then opens a session. */
  async function login(
    ctx: IdentityContext,
    input: { username: string; password: string; kind: 'cookie' | 'bearer' },
  ): Promise<{ token: string; actor: Actor; expiresAt: Date }> {
    const account = await store.findAccountByUsername(ctx.db, input.username);
    const passwordOk = await verifyPassword(account?.password_hash ?? null, input.password);
    if (!account || !passwordOk || account.status !== 'active') throw INVALID_CREDENTIALS();
    return openSession(ctx, { accountId: account.id, kind: input.kind, method: 'password' });
  }

  /**
   * Opens a server-side session for an account whose identity was already proven (by password, or by a
   * certificate signature in the certs part) and witnesses it.
   */
  async function openSession(
    ctx: IdentityContext,
    input: { accountId: string; kind: 'cookie' | 'bearer'; method: 'password' | 'certificate' },
  ): Promise<{ token: string; actor: Actor; expiresAt: Date }> {
    const account = await store.findAccountById(ctx.db, input.accountId);
    if (account?.status !== 'active') throw INVALID_CREDENTIALS();
    const token = randomBytes(32).toString('base64url');
    const now = deps.sessionClock.now();
    const session = {
      id: randomUUID(),
      account_id: account.id,
      token_hash: tokenHash(token),
      kind: input.kind,
      created_at: now,
      expires_at: new Date(now.getTime() + deps.sessionHours * 3600_000),
      revoked_at: null,
      ip: ctx.origin.ip,
      user_agent: ctx.origin.userAgent,
    };
    const organization = account.organization_id
      ? await store.findOrganizationById(ctx.db, account.organization_id)
      : undefined;
    await ctx.db.transaction().execute(async (tx) => {
      await store.insertSession(tx, session);
      await appendWitnessEvent(
        tx,
        ctx.clock.now(),
        {
          ...ctx.origin,
          accountId: account.id,
          organizationId: account.organization_id,
          role: account.roles[0] ?? null,
        },
        {
          entityType: 'account',
          entityId: account.id,
          action: 'session.opened',
          payload: { sessionId: session.id, kind: input.kind, method: input.method },
        },
      );
    });
    return {
      token,
      expiresAt: session.expires_at,
      actor: {
        accountId: account.id,
        username: account.username,
        displayName: account.display_name,
        roles: account.roles,
        organizationId: account.organization_id,
        organizationName: organization?.name ?? null,
        sessionId: session.id,
      },
    };
  }

  /** 退出登录: revokes the caller's own session. */
  async function logout(ctx: IdentityContext): Promise<void> {
    const actor = requireActor(ctx);
    await ctx.db.transaction().execute(async (tx) => {
      await store.revokeSession(tx, actor.sessionId, deps.sessionClock.now());
      await appendWitnessEvent(tx, ctx.clock.now(), ctx.origin, {
        entityType: 'account',
        entityId: actor.accountId,
        action: 'session.closed',
        payload: { sessionId: actor.sessionId },
      });
    });
  }

  /** 修改密码: needs the current password; every other session of the account ends. */
  async function changePassword(
    ctx: IdentityContext,
    input: { currentPassword: string; newPassword: string },
  ) {
    const actor = requireActor(ctx);
    const account = await store.findAccountById(ctx.db, actor.accountId);
    if (!account || !(await verifyPassword(account.password_hash, input.currentPassword))) {
      throw new InvalidInput('CURRENT_PASSWORD_WRONG', { title: '当前密码不正确' });
    }
    const weak = validatePasswordStrength(input.newPassword);
    if (weak) throw new InvalidInput('PASSWORD_TOO_WEAK', { title: '新密码强度不足', detail: weak });
    const newHash = await hashPassword(input.newPassword);
    await ctx.db.transaction().execute(async (tx) => {
      await store.setPasswordHash(tx, actor.accountId, newHash);
      await tx
        .updateTable('sessions')
        .set({ revoked_at: deps.sessionClock.now() })
        .where('account_id', '=', actor.accountId)
        .where('id', '!=', actor.sessionId)
        .where('revoked_at', 'is', null)
        .execute();
      await appendWitnessEvent(tx, ctx.clock.now(), ctx.origin, {
        entityType: 'account',
        entityId: actor.accountId,
        action: 'account.password-changed',
      });
    });
  }

  /** 创建账号 — by 交易中心 staff, or by the CLI (no actor). */
  async function createAccount(
    ctx: IdentityContext,
    input: {
      username: string;
      displayName: string;
      password: string;
      roles: string[];
      organizationId?: string | null;
    },
  ): Promise<AccountRecord> {
    if (ctx.actor && !ctx.actor.roles.includes('operator')) {
      throw new Forbidden('ROLE_FORBIDDEN', {
        title: '无权创建账号',
        detail: '只有交易中心管理员可以创建账号。',
      });
    }
    // Answered before the slow hash; recordAccount checks the same again in the transaction.
    assertUsernameFormat(input.username);
    const roles = checkRoles(input.roles, { atLeastOne: true });
    const passwordHash = await preparePassword(input.password);
    return ctx.db.transaction().execute((tx) =>
      recordAccount(tx, ctx.clock.now(), ctx.origin, {
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        roles,
        organizationId: input.organizationId ?? null,
      }),
    );
  }

  /** 创建组织 (minimal; the entity registry of the service system extends it). */
  async function createOrganization(
    ctx: IdentityContext,
    input: { name: string; creditCode?: string | null },
  ): Promise<OrganizationRecord> {
    if (ctx.actor && !ctx.actor.roles.includes('operator')) {
      throw new Forbidden('ROLE_FORBIDDEN', { title: '无权创建组织' });
    }
    return ctx.db.transaction().execute((tx) =>
      recordOrganization(tx, ctx.clock.now(), ctx.origin, {
        name: input.name,
        creditCode: input.creditCode ?? null,
      }),
    );
  }

  /** 停用账号 and end all its sessions at once. */
  async function disableAccount(ctx: IdentityContext, accountId: string) {
    const actor = requireActor(ctx);
    if (!actor.roles.includes('operator')) throw new Forbidden('ROLE_FORBIDDEN', { title: '无权停用账号' });
    // The witness origin names the operator, so disableAccountRecord refuses an operator disabling itself.
    const origin = { ...ctx.origin, accountId: actor.accountId };
    return ctx.db.transaction().execute((tx) =>
      disableAccountRecord(tx, ctx.clock.now(), origin, accountId, {
        sessionsEndedAt: deps.sessionClock.now(),
      }),
    );
  }

  /** 强制下线: ends every session of an account (operator). */
  async function revokeSessions(ctx: IdentityContext, accountId: string) {
    const actor = requireActor(ctx);
    if (!actor.roles.includes('operator')) throw new Forbidden('ROLE_FORBIDDEN', { title: '无权执行此操作' });
    if (!(await store.findAccountById(ctx.db, accountId))) {
      throw new NotFound('ACCOUNT_NOT_FOUND', { title: '账号不存在' });
    }
    return ctx.db.transaction().execute(async (tx) => {
      const ended = await store.revokeSessionsOfAccount(tx, accountId, deps.sessionClock.now());
      await appendWitnessEvent(tx, ctx.clock.now(), ctx.origin, {
        entityType: 'account',
        entityId: accountId,
        action: 'session.revoked-all',
        payload: { sessionsEnded: ended },
      });
      return ended;
    });
  }

  return {
    authenticate,
    login,
    openSession,
    logout,
    changePassword,
    createAccount,
    createOrganization,
    disableAccount,
    revokeSessions,
  };
}

export type Identity = ReturnType<typeof createIdentity>;

export function requireActor(ctx: { actor: Actor | null }): Actor {
  if (!ctx.actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return ctx.actor;
}
