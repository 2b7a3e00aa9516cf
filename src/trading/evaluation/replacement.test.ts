import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { defaultPlan, evaluatedLot, fullSheet } from './test-factory.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the test reads response bodies by the fields it asserts on.
type Json = Record<string, any>;

test('a member who finds a conflict after seeing the bidders is replaced by a 补抽 expert (实施条例第四十八条)', async () => {
  const done = await evaluatedLot(p, {
    regionCode: '150723',
    specialtyCode: 'A080101',
    stopAt: 'committee',
  });
  const lotId = done.opened.lot.id;
  const url = `/api/lots/${lotId}/evaluation`;
  const plan = defaultPlan('works');
  const bidIds = done.opened.outcome.entries.map((e) => e.bidId);
  // Everybody has scored the qualification step except the member who then declares the conflict.
  const leavingMember = done.members.find((m) => m.kind === 'expert' && m.memberId !== done.chair.memberId)!;
  const leaving = done.committee.experts.find((e) => e.account.id === leavingMember.account.id)!;
  for (const m of done.members.filter((x) => x !== leavingMember)) {
    const res = await m.session.post(`${url}/steps/qualification/sheet`, {
      items: fullSheet(plan, 'qualification', bidIds),
    });
    expect(res.statusCode, res.body).toBe(201);
  }

  // 回避: through the draw, which voids the assignment and draws a replacement under the same rules.
  const conflict = await leaving.session.post(`/api/expert-assignments/${leaving.assignmentId}/conflict`, {
    reason: '与第二家投标人的项目负责人为近亲属',
  });
  expect(conflict.statusCode, conflict.body).toBe(200);
  await p.jobs.runDueJobs();
  let replacement: { session: Json; account: { id: string } } | null = null;
  for (const spare of done.committee.spare) {
    const session = await p.as(spare.account!);
    const mine = (await session.get('/api/my/expert-assignments')).json() as Json;
    const notice = (mine.items as Json[]).find((a) => a.status === 'notified');
    if (!notice) continue;
    const confirmed = await session.post(`/api/expert-assignments/${notice.id}/confirm`, {
      declareNoConflict: true,
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    replacement = { session, account: spare.account! };
  }
  expect(replacement).not.toBeNull();

  // The agency takes the draw's result into the committee: the conflicted member leaves, the new one joins.
  const synced = await done.opened.agency.session.post(`${url}/committee/sync`);
  expect(synced.statusCode, synced.body).toBe(200);
  const view = (await done.opened.agency.session.get(url)).json() as Json;
  const members = view.members as Json[];
  expect(members.filter((m) => m.status === 'replaced' || m.replacedReason)).toHaveLength(1);
  expect(JSON.stringify(view)).toContain('申报回避');

  // The replaced expert is out: no more scoring; the newcomer signs in and scores like everyone else.
  const refused = await leaving.session.post(`${url}/steps/qualification/sheet`, {
    items: fullSheet(plan, 'qualification', bidIds),
  });
  expect(refused.statusCode).toBeGreaterThanOrEqual(400);
  const newcomer = replacement!.session as unknown as typeof leaving.session;
  expect((await newcomer.post(`${url}/sign-in`)).statusCode).toBe(200);
  expect((await newcomer.post(`${url}/declaration`, { declareNoConflict: true })).statusCode).toBe(200);
  const scored = await newcomer.post(`${url}/steps/qualification/sheet`, {
    items: fullSheet(plan, 'qualification', bidIds),
  });
  expect(scored.statusCode, scored.body).toBe(201);
  expect(scored.json().stepComplete).toBe(true);
}, 120_000);
