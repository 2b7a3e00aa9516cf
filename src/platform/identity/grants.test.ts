import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { SYSTEM_ORIGIN } from '../witness/index.ts';
import { grant, hasGrant, revokeGrant } from './grants.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

test('an agency granted on a project may act on it, colleagues included; a revoked grant ends that', async () => {
  const agent = await p.makeAccount(['agency']);
  const colleague = { accountId: 'someone-else', organizationId: agent.organizationId };
  const stranger = await p.makeAccount(['agency']);
  const project = { type: 'project', id: `prj-${agent.id}` };
  const actor = { accountId: agent.id, organizationId: agent.organizationId };

  expect(await hasGrant(p.db, actor, 'acts-for', project)).toBe(false);
  const row = await p.db.transaction().execute((tx) =>
    grant(tx, p.clock.now(), SYSTEM_ORIGIN, {
      subject: { type: 'organization', id: agent.organizationId! },
      relation: 'acts-for',
      object: project,
    }),
  );
  expect(await hasGrant(p.db, actor, 'acts-for', project)).toBe(true);
  expect(await hasGrant(p.db, colleague, 'acts-for', project)).toBe(true);
  expect(
    await hasGrant(
      p.db,
      { accountId: stranger.id, organizationId: stranger.organizationId },
      'acts-for',
      project,
    ),
  ).toBe(false);
  expect(await hasGrant(p.db, actor, 'owns', project)).toBe(false);

  await p.db.transaction().execute((tx) => revokeGrant(tx, p.clock.now(), SYSTEM_ORIGIN, row.id));
  expect(await hasGrant(p.db, actor, 'acts-for', project)).toBe(false);
  await expect(
    p.db.transaction().execute((tx) => revokeGrant(tx, p.clock.now(), SYSTEM_ORIGIN, row.id)),
  ).rejects.toMatchObject({ code: 'GRANT_NOT_FOUND' });

  const events = await p.db
    .selectFrom('witness_events')
    .select('action')
    .where('entity_type', '=', 'project')
    .where('entity_id', '=', project.id)
    .orderBy('id')
    .execute();
  expect(events.map((e) => e.action)).toEqual(['grant.created', 'grant.revoked']);
});
