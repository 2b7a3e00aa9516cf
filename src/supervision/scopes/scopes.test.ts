import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { assertInScope, covers } from './index.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

const HOUSING = {
  department: '呼和浩特市住房和城乡建设局',
  regionPrefixes: ['1501'],
  catalogPrefixes: ['0101'],
};

describe('监管范围 — which 行业 × 地域 a supervisor oversees', () => {
  test('the trading centre sets a scope; the supervisor reads it; it decides what is in scope', async () => {
    const operator = await p.as(await p.makeAccount(['operator']));
    const supervisorAccount = await p.makeAccount(['supervisor']);
    const supervisor = await p.as(supervisorAccount);

    // Not configured yet: refused, not read as "everything".
    let res = await supervisor.get('/api/supervision/scope');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'SCOPE_NOT_CONFIGURED' });

    res = await operator.put(`/api/supervision/scopes/${supervisorAccount.id}`, HOUSING);
    expect(res.statusCode).toBe(200);
    res = await supervisor.get('/api/supervision/scope');
    expect(res.json()).toMatchObject(HOUSING);

    const actor = { ...supervisorAccount, roles: ['supervisor' as const] };
    const as = {
      accountId: actor.id,
      username: actor.username,
      displayName: actor.username,
      roles: actor.roles,
      organizationId: actor.organizationId,
      organizationName: null,
      sessionId: 'test',
    };
    await expect(
      assertInScope(p.db, as, { regionCode: '150102', catalogItemCode: '0101' }),
    ).resolves.toMatchObject({ department: HOUSING.department });
    // Another city, and another industry: both outside.
    await expect(
      assertInScope(p.db, as, { regionCode: '150203', catalogItemCode: '0101', label: '包头市某项目' }),
    ).rejects.toMatchObject({ code: 'OUT_OF_SCOPE', status: 403 });
    await expect(
      assertInScope(p.db, as, { regionCode: '150102', catalogItemCode: '0201' }),
    ).rejects.toMatchObject({
      code: 'OUT_OF_SCOPE',
    });

    // The change is witnessed.
    const events = await p.db
      .selectFrom('witness_events')
      .select('action')
      .where('entity_type', '=', 'supervisor-scope')
      .where('entity_id', '=', supervisorAccount.id)
      .execute();
    expect(events.map((e) => e.action)).toEqual(['supervisor-scope.set']);
    res = await operator.get('/api/supervision/scopes');
    expect((res.json() as { items: { accountId: string }[] }).items.map((i) => i.accountId)).toContain(
      supervisorAccount.id,
    );
  });

  test('bad input, wrong accounts and wrong roles are refused', async () => {
    const operator = await p.as(await p.makeAccount(['operator']));
    const bidder = await p.makeAccount(['responder']);
    const supervisorAccount = await p.makeAccount(['supervisor']);

    let res = await operator.put(`/api/supervision/scopes/${bidder.id}`, HOUSING);
    expect(res.json()).toMatchObject({ code: 'NOT_A_SUPERVISOR' });
    res = await operator.put('/api/supervision/scopes/no-such-account', HOUSING);
    expect(res.statusCode).toBe(404);
    res = await operator.put(`/api/supervision/scopes/${supervisorAccount.id}`, {
      ...HOUSING,
      regionPrefixes: ['3201'],
    });
    expect(res.statusCode).toBe(400);
    res = await operator.put(`/api/supervision/scopes/${supervisorAccount.id}`, {
      ...HOUSING,
      catalogPrefixes: [],
    });
    expect(res.statusCode).toBe(400);
    // Only the trading centre configures scopes.
    const supervisor = await p.as(supervisorAccount);
    res = await supervisor.put(`/api/supervision/scopes/${supervisorAccount.id}`, HOUSING);
    expect(res.statusCode).toBe(403);
  });

  test('covers: region and catalog prefixes must both match', () => {
    const scope = { regionPrefixes: ['1501', '1502'], catalogPrefixes: ['02'] };
    expect(covers(scope, { regionCode: '150203', catalogItemCode: '0203' })).toBe(true);
    expect(covers(scope, { regionCode: '150303', catalogItemCode: '0203' })).toBe(false);
    expect(covers(scope, { regionCode: '150102', catalogItemCode: '0101' })).toBe(false);
  });
});
