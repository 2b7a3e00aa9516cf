import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  makeTestPlatform,
  TEST_PASSWORD,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import { SYSTEM_ORIGIN, type WitnessOrigin } from '../witness/index.ts';
import {
  accountsHoldingGrant,
  disableAccountRecord,
  findAccountById,
  findAccountByUsername,
  findOrganizationByCreditCode,
  grant,
  listAccountsOfOrganization,
  preparePassword,
  recordAccount,
  recordOrganization,
  setAccountRoles,
  updateOrganizationRecord,
} from './index.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

async function witnessActions(entityId: string): Promise<string[]> {
  const rows = await p.db
    .selectFrom('witness_events')
    .select('action')
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

/** A credit-code-shaped unique string (identity does not check GB 32100; the entity registry does). */
function uniqueCode(): string {
  return `91${uniqueName('X').slice(2).toUpperCase()}`.padEnd(18, '0').slice(0, 18);
}

const now = () => p.clock.now();

describe('records in the caller’s transaction', () => {
  test('organisation, account and grant commit together, or not at all', async () => {
    const passwordHash = await preparePassword(TEST_PASSWORD);
    const name = uniqueName('组织');
    const username = uniqueName('rec');
    await expect(
      p.db.transaction().execute(async (tx) => {
        const org = await recordOrganization(tx, now(), SYSTEM_ORIGIN, { name });
        await recordAccount(tx, now(), SYSTEM_ORIGIN, {
          username,
          displayName: '记录',
          passwordHash,
          roles: [],
          organizationId: org.id,
        });
        throw new Error('the caller’s own step failed');
      }),
    ).rejects.toThrow('the caller’s own step failed');
    expect(await findAccountByUsername(p.db, username)).toBeUndefined();

    const { org, account } = await p.db.transaction().execute(async (tx) => {
      const org = await recordOrganization(tx, now(), SYSTEM_ORIGIN, { name, creditCode: uniqueCode() });
      const account = await recordAccount(tx, now(), SYSTEM_ORIGIN, {
        username,
        displayName: '记录',
        passwordHash,
        roles: [],
        organizationId: org.id,
      });
      await grant(tx, now(), SYSTEM_ORIGIN, {
        subject: { type: 'account', id: account.id },
        relation: 'org-admin',
        object: { type: 'organization', id: org.id },
      });
      return { org, account };
    });
    expect(account).toMatchObject({ username, roles: [], status: 'active', organizationId: org.id });
    expect(account).not.toHaveProperty('password_hash');
    expect(await witnessActions(org.id)).toEqual(['organization.created', 'grant.created']);
    expect(await witnessActions(account.id)).toEqual(['account.created']);
    expect((await listAccountsOfOrganization(p.db, org.id)).map((a) => a.id)).toEqual([account.id]);
    expect(await accountsHoldingGrant(p.db, 'org-admin', { type: 'organization', id: org.id })).toEqual([
      account.id,
    ]);
    // The prepared password signs in.
    const login = await p.anonymous.post('/api/auth/login', { username, password: TEST_PASSWORD });
    expect(login.statusCode).toBe(200);
  });

  test('identity’s own rules hold for every caller', async () => {
    const existing = await p.makeAccount(['responder']);
    const passwordHash = await preparePassword(TEST_PASSWORD);
    const attempt = (input: { username: string; roles: string[]; organizationId: string | null }) =>
      p.db
        .transaction()
        .execute((tx) =>
          recordAccount(tx, now(), SYSTEM_ORIGIN, { ...input, displayName: 'x', passwordHash }),
        );
    await expect(
      attempt({ username: existing.username, roles: [], organizationId: null }),
    ).rejects.toMatchObject({
      code: 'USERNAME_TAKEN',
    });
    await expect(attempt({ username: 'a b', roles: [], organizationId: null })).rejects.toMatchObject({
      code: 'USERNAME_INVALID',
    });
    await expect(
      attempt({ username: uniqueName('r'), roles: ['king'], organizationId: null }),
    ).rejects.toMatchObject({ code: 'ROLE_INVALID' });
    await expect(
      attempt({ username: uniqueName('r'), roles: ['expert'], organizationId: 'no-such-org' }),
    ).rejects.toMatchObject({ code: 'ORGANIZATION_NOT_FOUND' });
    await expect(preparePassword('short')).rejects.toMatchObject({ code: 'PASSWORD_TOO_WEAK' });
    await expect(preparePassword('short', { field: 'account.password' })).rejects.toMatchObject({
      extensions: { field: 'account.password' },
    });
  });

  test('two transactions recording one username at once: one account, the other USERNAME_TAKEN', async () => {
    const passwordHash = await preparePassword(TEST_PASSWORD);
    const username = uniqueName('race');
    const record = () =>
      p.db.transaction().execute((tx) =>
        recordAccount(tx, now(), SYSTEM_ORIGIN, {
          username,
          displayName: '并发',
          passwordHash,
          roles: ['responder'],
          organizationId: null,
        }),
      );
    const results = await Promise.allSettled([record(), record()]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'USERNAME_TAKEN' });
  });

  test('a credit code belongs to one organisation; an unchanged organisation is not rewritten', async () => {
    const code = uniqueCode();
    const first = await p.db
      .transaction()
      .execute((tx) =>
        recordOrganization(tx, now(), SYSTEM_ORIGIN, { name: uniqueName('甲'), creditCode: code }),
      );
    expect((await findOrganizationByCreditCode(p.db, code))?.id).toBe(first.id);
    await expect(
      p.db
        .transaction()
        .execute((tx) =>
          recordOrganization(tx, now(), SYSTEM_ORIGIN, { name: uniqueName('乙'), creditCode: code }),
        ),
    ).rejects.toMatchObject({ code: 'ORGANIZATION_CREDIT_CODE_TAKEN' });

    const second = await p.db
      .transaction()
      .execute((tx) => recordOrganization(tx, now(), SYSTEM_ORIGIN, { name: uniqueName('丙') }));
    await expect(
      p.db.transaction().execute((tx) =>
        updateOrganizationRecord(tx, now(), SYSTEM_ORIGIN, second.id, {
          name: second.name,
          creditCode: code,
        }),
      ),
    ).rejects.toMatchObject({ code: 'ORGANIZATION_CREDIT_CODE_TAKEN' });

    await p.db
      .transaction()
      .execute((tx) =>
        updateOrganizationRecord(tx, now(), SYSTEM_ORIGIN, first.id, { name: first.name, creditCode: code }),
      );
    const renamed = await p.db.transaction().execute((tx) =>
      updateOrganizationRecord(tx, now(), SYSTEM_ORIGIN, first.id, {
        name: `${first.name}（新）`,
        creditCode: code,
      }),
    );
    expect(renamed.name).toBe(`${first.name}（新）`);
    expect(await witnessActions(first.id)).toEqual(['organization.created', 'organization.updated']);
  });

  test('roles change and an account is disabled with its sessions, each witnessed', async () => {
    const target = await p.makeAccount(['expert']);
    const session = await p.as(target);
    const changed = await p.db
      .transaction()
      .execute((tx) =>
        setAccountRoles(tx, now(), SYSTEM_ORIGIN, target.id, ['responder', 'responder'], { reason: 'test' }),
      );
    expect(changed.roles).toEqual(['responder']);
    await expect(
      p.db.transaction().execute((tx) => setAccountRoles(tx, now(), SYSTEM_ORIGIN, target.id, ['king'])),
    ).rejects.toMatchObject({ code: 'ROLE_INVALID' });

    const self: WitnessOrigin = { ...SYSTEM_ORIGIN, accountId: target.id };
    await expect(
      p.db.transaction().execute((tx) => disableAccountRecord(tx, now(), self, target.id)),
    ).rejects.toMatchObject({ code: 'CANNOT_DISABLE_SELF' });
    const { sessionsEnded } = await p.db
      .transaction()
      .execute((tx) => disableAccountRecord(tx, now(), SYSTEM_ORIGIN, target.id));
    expect(sessionsEnded).toBe(1);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    expect((await findAccountById(p.db, target.id))?.status).toBe('disabled');
    await expect(
      p.db.transaction().execute((tx) => disableAccountRecord(tx, now(), SYSTEM_ORIGIN, target.id)),
    ).rejects.toMatchObject({ code: 'ACCOUNT_ALREADY_DISABLED' });
    await expect(
      p.db.transaction().execute((tx) => disableAccountRecord(tx, now(), SYSTEM_ORIGIN, 'no-such-account')),
    ).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    expect(await witnessActions(target.id)).toEqual([
      'account.created',
      'session.opened',
      'account.roles-changed',
      'account.disabled',
    ]);
  });
});
