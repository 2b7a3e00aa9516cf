import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ApiClient,
  makeTestPlatform,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import { makeAcceptedEntity, registerReceivedLot } from '../../trading/projects/test-factory.ts';
import { giveTestScope } from '../scopes/test-factory.ts';
import { listHash, replayDraw, seedCommitment } from './deps.ts';
import type { SpotCheckRecord } from './record.ts';
import { neededFor, safeCounts } from './replay.ts';

let p: TestPlatform;
const DAY = 86_400_000;

interface Supervisor {
  id: string;
  username: string;
  api: ApiClient;
}

interface BatchView {
  id: string;
  status: string;
  publishDueAt: string | null;
  publishedAt: string | null;
  overdue: boolean;
  overdueFlaggedAt: string | null;
  groups: {
    g: number;
    itemCode: string;
    riskLevel: string | null;
    population: number;
    excluded: number;
    needed: number;
    count: number;
  }[];
  excluded: { code: string }[];
  rounds: { round: number; kind: string; targetCode: string | null; status: string }[];
  assignments: {
    id: string;
    targetCode: string;
    riskLevel: string;
    itemCode: string;
    outcome: string | null;
    team: { memberId: string; accountId: string; status: string; round: number }[];
  }[];
  shortTeams: string[];
}

interface Verification {
  ok: boolean;
  rounds: { round: number; checks: string[]; replayed: boolean }[];
  failure: { round: number | null; check: string; detail: string } | null;
}

function problem(res: { statusCode: number; json(): unknown }) {
  return { status: res.statusCode, ...(res.json() as { code: string; title: string; citation?: string }) };
}

function expectCreated(res: { statusCode: number; body: string }) {
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
}

async function makeSupervisor(
  department: string,
  scope: { regionPrefixes?: string[]; catalogPrefixes?: string[] } = {},
  name = '监督员',
): Promise<Supervisor> {
  const account = await p.makeAccount(['supervisor'], { displayName: name });
  await giveTestScope(p.db, account.id, { department, ...scope });
  return { id: account.id, username: account.username, api: await p.as(account) };
}

async function relogin(...people: Supervisor[]) {
  for (const s of people) s.api = await p.login(s.username);
}

/** A department with its lists: risk-tiered organisations, lots, and inspectors. */
async function department(opts: { high: number; midHigh: number; lots: number; inspectors: number }) {
  const name = uniqueName('测试住建局');
  const lead = await makeSupervisor(name, {}, '科长');
  const inspectors: Supervisor[] = [];
  for (let i = 0; i < opts.inspectors; i++) inspectors.push(await makeSupervisor(name, {}, `检查员${i + 1}`));
  const operator = await p.as(await p.makeAccount(['operator']));
  const orgs: { creditCode: string; organizationId: string; riskLevel: 'high' | 'mid-high' }[] = [];
  for (let i = 0; i < opts.high + opts.midHigh; i++) {
    const entity = await makeAcceptedEntity(p, ['tender_agency'], { operatorClient: operator });
    orgs.push({
      creditCode: entity.creditCode,
      organizationId: entity.account.organizationId ?? '',
      riskLevel: i < opts.high ? 'high' : 'mid-high',
    });
  }
  const lots = [];
  for (let i = 0; i < opts.lots; i++)
    lots.push((await registerReceivedLot(p, { procedureType: 'open-tender.works' })).lot);

  expectCreated(
    await lead.api.post('/api/supervision/inspection-lists/items', {
      entries: [
        {
          code: 'DL-01',
          name: '招标代理机构执业行为检查',
          kind: 'general',
          targetKind: 'organization',
          basis: '《中华人民共和国招标投标法》第十三条、第十五条',
          ratioByRisk: { high: 30, 'mid-high': 10, mid: 2, low: 1 },
        },
        {
          code: 'XM-01',
          name: '依法必须招标项目招标投标活动检查',
          kind: 'key',
          targetKind: 'lot',
          basis: '《中华人民共和国招标投标法实施条例》第四条',
          ratioPercent: 50,
        },
      ],
    }),
  );
  expectCreated(
    await lead.api.post('/api/supervision/inspection-lists/targets', {
      entries: [
        ...orgs.map((o) => ({ kind: 'organization', creditCode: o.creditCode, riskLevel: o.riskLevel })),
        ...lots.map((l) => ({ kind: 'lot', lotId: l.id, riskLevel: 'mid' })),
      ],
    }),
  );
  expectCreated(
    await lead.api.post('/api/supervision/inspection-lists/inspectors', {
      entries: inspectors.map((s, i) => ({ accountId: s.id, certificateNo: `ZF-${i + 1}` })),
    }),
  );
  const plan = await lead.api.post('/api/supervision/inspection-plans', {
    year: 2026,
    name: '2026年度双随机抽查计划',
  });
  expectCreated(plan);
  return { name, lead, inspectors, orgs, lots, planId: (plan.json() as { id: string }).id };
}

async function addBatch(lead: Supervisor, planId: string, body: Record<string, unknown>) {
  const res = await lead.api.post(`/api/supervision/inspection-plans/${planId}/batches`, {
    name: uniqueName('批次'),
    ...body,
  });
  expectCreated(res);
  return (res.json() as { id: string }).id;
}

async function draw(lead: Supervisor, batchId: string): Promise<BatchView> {
  const res = await lead.api.post(`/api/supervision/spot-check-batches/${batchId}/draw`);
  if (res.statusCode !== 200) throw new Error(`draw: ${res.statusCode} ${res.body}`);
  return res.json() as BatchView;
}

beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

describe('ratios (pure)', () => {
  test('ceil(population × ratio), at least one of a non-empty stratum; shared targets never over-promised', () => {
    expect(neededFor(10, 30)).toBe(3);
    expect(neededFor(10, 10)).toBe(1);
    expect(neededFor(10, 2)).toBe(1);
    expect(neededFor(0, 30)).toBe(0);
    expect(neededFor(200, 1)).toBe(2);
    expect(neededFor(3, 33.33)).toBe(1);
    // Group 1 shares both its targets with group 0, which takes 2: group 1 can count on none.
    const counts = safeCounts(
      [
        { g: 0, c: 'A' },
        { g: 0, c: 'B' },
        { g: 1, c: 'A' },
        { g: 1, c: 'B' },
      ],
      [
        { g: 0, needed: 2 },
        { g: 1, needed: 1 },
      ],
    );
    expect([counts.get(0), counts.get(1)]).toEqual([2, 0]);
  });
});

describe('双随机、一公开', () => {
  test('draw by risk level, reproducible from the revealed seed; tampering is detected', {
    timeout: 240_000,
  }, async () => {
    const d = await department({ high: 10, midHigh: 10, lots: 2, inspectors: 4 });
    const batchId = await addBatch(d.lead, d.planId, {
      itemCodes: ['DL-01', 'XM-01'],
      inspectorsPerTarget: 2,
    });
    const batch = await draw(d.lead, batchId);
    expect(batch.status).toBe('drawn');

    // 30 % of 10 high-risk, 10 % of 10 mid-high-risk, none of the empty levels, 50 % of 2 lots.
    const byGroup = batch.groups.map((g) => [g.itemCode, g.riskLevel, g.population, g.needed, g.count]);
    expect(byGroup).toEqual([
      ['DL-01', 'high', 10, 3, 3],
      ['DL-01', 'mid-high', 10, 1, 1],
      ['DL-01', 'mid', 0, 0, 0],
      ['DL-01', 'low', 0, 0, 0],
      ['XM-01', null, 2, 1, 1],
    ]);
    const risks = batch.assignments.map((a) => `${a.itemCode}:${a.riskLevel}`).sort();
    expect(risks).toEqual(['DL-01:high', 'DL-01:high', 'DL-01:high', 'DL-01:mid-high', 'XM-01:mid']);
    // Two distinct inspectors per target, all from the department's list.
    const ids = new Set(d.inspectors.map((s) => s.id));
    for (const a of batch.assignments) {
      expect(a.team).toHaveLength(2);
      expect(new Set(a.team.map((m) => m.accountId)).size).toBe(2);
      for (const m of a.team) expect(ids.has(m.accountId)).toBe(true);
    }

    // The platform's own verification, from the database.
    const verified = (
      await d.lead.api.get(`/api/supervision/spot-check-batches/${batchId}/verify`)
    ).json() as Verification;
    expect(verified.failure).toBeNull();
    expect(verified.ok).toBe(true);
    expect(verified.rounds[0]?.checks).toEqual([
      'commit-event',
      'inclusion',
      'checkpoint',
      'first-checkpoint',
      'seed',
      'list',
      'replay',
      'assignments',
    ]);

    // Anyone with the record recomputes the same selection with the draw module's own primitives.
    const record = (
      await d.lead.api.get(`/api/supervision/spot-check-batches/${batchId}/record`)
    ).json() as SpotCheckRecord;
    const r1 = record.rounds[0]!;
    const seed = Buffer.from(r1.seed ?? '', 'hex');
    expect(seedCommitment(seed)).toBe(r1.seedCommitment);
    expect(listHash(r1.targetList ?? [])).toBe(r1.targetListHash);
    const again = replayDraw({
      drawId: batchId,
      round: 1,
      seed,
      rootHash: Buffer.from(r1.checkpoint?.rootHash ?? '', 'hex'),
      treeSize: r1.checkpoint?.treeSize ?? 0,
      list: r1.targetList ?? [],
      needs: r1.needs,
    });
    expect(again).toEqual(r1.selection?.targets);
    expect(again.flatMap((s) => s.codes).sort()).toEqual(batch.assignments.map((a) => a.targetCode).sort());

    const check = async (rec: unknown) =>
      (
        await p.anonymous.post('/api/public/spot-check-records/verify', { record: rec })
      ).json() as Verification;
    expect((await check(record)).ok).toBe(true);
    const tampered = (change: (r: SpotCheckRecord) => void) => {
      const copy = structuredClone(record);
      change(copy);
      return check(copy);
    };
    // A different seed (the commitment no longer matches).
    let res = await tampered((r) => {
      r.rounds[0]!.seed = '00'.repeat(32);
    });
    expect(res.failure).toMatchObject({ round: 1, check: 'seed' });
    // One target swapped for a name not in the committed list.
    res = await tampered((r) => {
      r.rounds[0]!.targetList![0]!.c = 'O000000000000000000';
    });
    expect(res.failure).toMatchObject({ round: 1, check: 'list' });
    // A different selection (someone else put on the list of targets drawn).
    res = await tampered((r) => {
      const sel = r.rounds[0]!.selection!;
      const drawn = new Set(sel.targets!.flatMap((s) => s.codes));
      const other = r.rounds[0]!.targetList!.find((e) => e.g === 0 && !drawn.has(e.c))!;
      sel.targets![0]!.codes[0] = other.c;
    });
    expect(res.failure).toMatchObject({ round: 1, check: 'replay' });
    // Another team for a target.
    res = await tampered((r) => {
      const team = r.rounds[0]!.selection!.teams[0]!;
      const other = r.rounds[0]!.inspectorList.find((e) => !team.inspectors.includes(e.c))!;
      team.inspectors[0] = other.c;
    });
    expect(res.failure).toMatchObject({ round: 1, check: 'replay' });
    // A commitment rewritten after the fact.
    res = await tampered((r) => {
      r.rounds[0]!.seedCommitment = seedCommitment(Buffer.alloc(32, 7));
    });
    expect(res.failure).toMatchObject({ round: 1, check: 'commit-event' });
    // A forged checkpoint root.
    res = await tampered((r) => {
      r.rounds[0]!.checkpoint!.rootHash = 'ab'.repeat(32);
    });
    expect(res.failure).toMatchObject({ round: 1, check: 'inclusion' });

    // A batch is drawn once.
    expect(
      problem(await d.lead.api.post(`/api/supervision/spot-check-batches/${batchId}/draw`)),
    ).toMatchObject({
      status: 409,
      code: 'SPOT_CHECK_ALREADY_DRAWN',
    });
    // Before publication the public sees no record.
    expect((await p.anonymous.get(`/api/public/spot-checks/${batchId}/record`)).statusCode).toBe(404);
    // Another department's supervisor does not act on it.
    const stranger = await makeSupervisor(uniqueName('其他部门'));
    expect(problem(await stranger.api.get(`/api/supervision/spot-check-batches/${batchId}`))).toMatchObject({
      status: 403,
      code: 'SPOT_CHECK_OTHER_DEPARTMENT',
    });
  });

  test('recusal redraws for that target only, from the same list, and stays verifiable', {
    timeout: 240_000,
  }, async () => {
    const d = await department({ high: 4, midHigh: 0, lots: 0, inspectors: 4 });
    const batchId = await addBatch(d.lead, d.planId, { itemCodes: ['DL-01'] });
    const batch = await draw(d.lead, batchId);
    const [target, other] = batch.assignments;
    if (!target || !other) throw new Error('two targets expected');
    const member = target.team[0]!;
    const inspector = d.inspectors.find((s) => s.id === member.accountId)!;
    const outsider = d.inspectors.find((s) => !target.team.some((m) => m.accountId === s.id))!;

    // Only the drawn inspector declares the conflict.
    expect(
      problem(
        await outsider.api.post(`/api/supervision/spot-check-members/${member.memberId}/recuse`, {
          reason: '本人配偶在该机构任职',
        }),
      ),
    ).toMatchObject({ status: 403, code: 'SPOT_CHECK_NOT_YOUR_ASSIGNMENT' });
    const res = await inspector.api.post(`/api/supervision/spot-check-members/${member.memberId}/recuse`, {
      reason: '本人配偶在该机构任职',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ redrawRound: 2, teamShort: false });

    const after = (
      await d.lead.api.get(`/api/supervision/spot-check-batches/${batchId}`)
    ).json() as BatchView;
    const t = after.assignments.find((a) => a.id === target.id)!;
    const active = t.team.filter((m) => m.status === 'active');
    expect(active).toHaveLength(2);
    expect(t.team.find((m) => m.memberId === member.memberId)?.status).toBe('recused');
    const newcomer = active.find((m) => m.round === 2)!;
    expect(newcomer.accountId).not.toBe(member.accountId);
    expect(target.team.some((m) => m.accountId === newcomer.accountId)).toBe(false);
    // The other target's team is untouched.
    expect(after.assignments.find((a) => a.id === other.id)?.team).toEqual(other.team);
    expect(after.rounds.map((r) => [r.round, r.kind, r.targetCode])).toEqual([
      [1, 'initial', null],
      [2, 'redraw', target.targetCode],
    ]);

    const verified = (
      await d.lead.api.get(`/api/supervision/spot-check-batches/${batchId}/verify`)
    ).json() as Verification;
    expect(verified.failure).toBeNull();
    expect(verified.rounds.map((r) => r.replayed)).toEqual([true, true]);
    // The redraw's list must be round 1's inspectors without those already drawn for the target.
    const record = (
      await d.lead.api.get(`/api/supervision/spot-check-batches/${batchId}/record`)
    ).json() as SpotCheckRecord;
    const forged = structuredClone(record);
    forged.rounds[1]!.inspectorList = record.rounds[0]!.inspectorList;
    forged.rounds[1]!.inspectorListSize = forged.rounds[1]!.inspectorList.length;
    const report = (
      await p.anonymous.post('/api/public/spot-check-records/verify', { record: forged })
    ).json() as Verification;
    expect(report.failure).toMatchObject({ round: 2, check: 'commit-event' });

    // Recusing once more leaves nobody to draw: the team stays short and says so.
    const m2 = active.find((m) => m.round === 1)!;
    const s2 = d.inspectors.find((s) => s.id === m2.accountId)!;
    const res2 = await s2.api.post(`/api/supervision/spot-check-members/${m2.memberId}/recuse`, {
      reason: '曾在该机构任职',
    });
    expect(res2.json()).toMatchObject({ redrawRound: 3, teamShort: false });
    const last = (await d.lead.api.get(`/api/supervision/spot-check-batches/${batchId}`)).json() as BatchView;
    const m3 = last.assignments.find((a) => a.id === target.id)!.team.find((m) => m.round === 3)!;
    const s3 = d.inspectors.find((s) => s.id === m3.accountId)!;
    const res3 = await s3.api.post(`/api/supervision/spot-check-members/${m3.memberId}/recuse`, {
      reason: '与该机构负责人系近亲属',
    });
    expect(res3.json()).toMatchObject({ redrawRound: null, teamShort: true });
    const short = (
      await d.lead.api.get(`/api/supervision/spot-check-batches/${batchId}`)
    ).json() as BatchView;
    expect(short.shortTeams).toEqual([target.targetCode]);
  });

  test('results are recorded by the team, published on the portal, and an overdue publication is flagged', {
    timeout: 240_000,
  }, async () => {
    const d = await department({ high: 4, midHigh: 0, lots: 1, inspectors: 2 });
    const batchId = await addBatch(d.lead, d.planId, {
      itemCodes: ['DL-01', 'XM-01'],
      publishWorkingDays: 20,
    });
    const batch = await draw(d.lead, batchId);
    expect(batch.assignments).toHaveLength(3);
    // 20 working days after the draw (2026-03-02, a Monday): 2026-03-30, end of day Beijing time.
    expect(batch.publishDueAt).toBe('2026-03-30T15:59:59.999Z');

    const [a0] = batch.assignments;
    const member = d.inspectors.find((s) => s.id === a0!.team[0]!.accountId)!;
    // Someone not on the team may not record.
    expect(
      problem(
        await d.lead.api.post(`/api/supervision/spot-check-assignments/${a0!.id}/result`, {
          outcome: 'no-issues',
          findings: '未发现问题',
        }),
      ),
    ).toMatchObject({ status: 403, code: 'SPOT_CHECK_NOT_ON_TEAM' });
    // Publication waits for every result.
    expect(
      problem(await d.lead.api.post(`/api/supervision/spot-check-batches/${batchId}/publish`)),
    ).toMatchObject({
      status: 409,
      code: 'SPOT_CHECK_RESULTS_INCOMPLETE',
    });
    for (const a of batch.assignments) {
      const who = d.inspectors.find((s) => s.id === a.team[0]!.accountId)!;
      const res = await who.api.post(`/api/supervision/spot-check-assignments/${a.id}/result`, {
        outcome: a === a0 ? 'rectification' : 'no-issues',
        findings: a === a0 ? '代理合同未按规定备案，已责令限期改正' : '抽查项目资料齐全，未发现问题',
      });
      expect(res.statusCode).toBe(200);
    }
    expect(member).toBeDefined();

    // The deadline passes unpublished: the job flags it, once.
    p.clock.set(new Date(Date.parse(batch.publishDueAt!) + 60_000));
    await p.jobs.runDueJobs();
    await relogin(d.lead);
    let view = (await d.lead.api.get(`/api/supervision/spot-check-batches/${batchId}`)).json() as BatchView;
    expect(view.overdue).toBe(true);
    expect(view.overdueFlaggedAt).not.toBeNull();

    const published = await d.lead.api.post(`/api/supervision/spot-check-batches/${batchId}/publish`);
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', overdue: true });
    view = (await d.lead.api.get(`/api/supervision/spot-check-batches/${batchId}`)).json() as BatchView;
    expect(view.publishedAt).not.toBeNull();

    // The portal: the list, the targets with their inspectors and outcomes, the record and its verification.
    const list = (await p.anonymous.get('/api/public/spot-checks?limit=100')).json() as {
      items: { id: string; late: boolean; targets: number; withIssues: number }[];
    };
    expect(list.items.find((i) => i.id === batchId)).toMatchObject({ late: true, targets: 3, withIssues: 1 });
    const detail = (await p.anonymous.get(`/api/public/spot-checks/${batchId}`)).json() as {
      department: string;
      targets: { name: string; outcomeName: string; inspectors: { name: string }[] }[];
    };
    expect(detail.department).toBe(d.name);
    expect(detail.targets).toHaveLength(3);
    expect(detail.targets.every((t) => t.inspectors.length === 2)).toBe(true);
    expect(detail.targets.map((t) => t.outcomeName)).toContain('发现问题，已责令改正');
    const publicCheck = (
      await p.anonymous.get(`/api/public/spot-checks/${batchId}/verify`)
    ).json() as Verification;
    expect(publicCheck.ok).toBe(true);
    const items = (await p.anonymous.get('/api/public/spot-check-items')).json() as {
      items: { department: string; entries: { code: string }[] }[];
    };
    expect(items.items.find((i) => i.department === d.name)?.entries.map((e) => e.code)).toEqual([
      'DL-01',
      'XM-01',
    ]);

    // After publication the results are closed.
    expect(
      problem(
        await (await p.login(member.username)).post(
          `/api/supervision/spot-check-assignments/${a0!.id}/result`,
          {
            outcome: 'no-issues',
            findings: '改口',
          },
        ),
      ),
    ).toMatchObject({ status: 409, code: 'SPOT_CHECK_PUBLISHED' });
  });

  test('a supervisor acts only within its scope', { timeout: 240_000 }, async () => {
    const name = uniqueName('测试交通局');
    // Scoped to 鄂尔多斯 (1506) only: the factories' lots and firms are in 呼和浩特 (150102).
    const narrow = await makeSupervisor(name, { regionPrefixes: ['1506'] });
    const received = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const firm = await makeAcceptedEntity(p, ['bidder']);
    let res = await narrow.api.post('/api/supervision/inspection-lists/targets', {
      entries: [{ kind: 'lot', lotId: received.lot.id, riskLevel: 'high' }],
    });
    expect(problem(res)).toMatchObject({
      status: 403,
      code: 'OUT_OF_SCOPE',
      citation: expect.stringContaining('第五条'),
    });
    res = await narrow.api.post('/api/supervision/inspection-lists/targets', {
      entries: [{ kind: 'organization', creditCode: firm.creditCode, riskLevel: 'high' }],
    });
    expect(problem(res)).toMatchObject({ status: 403, code: 'OUT_OF_SCOPE' });

    // An inspector of the department whose scope no longer covers the target may not record its result.
    const lead = await makeSupervisor(name);
    const inspectors = [await makeSupervisor(name), await makeSupervisor(name)];
    await lead.api.post('/api/supervision/inspection-lists/items', {
      entries: [
        {
          code: 'XM',
          name: '项目检查',
          kind: 'key',
          targetKind: 'lot',
          basis: '实施条例第四条',
          ratioPercent: 100,
        },
      ],
    });
    await lead.api.post('/api/supervision/inspection-lists/targets', {
      entries: [{ kind: 'lot', lotId: received.lot.id, riskLevel: 'high' }],
    });
    await lead.api.post('/api/supervision/inspection-lists/inspectors', {
      entries: inspectors.map((s) => ({ accountId: s.id })),
    });
    const plan = (
      await lead.api.post('/api/supervision/inspection-plans', { year: 2026, name: '计划' })
    ).json() as {
      id: string;
    };
    const batch = await draw(lead, await addBatch(lead, plan.id, { itemCodes: ['XM'] }));
    // The narrow supervisor's draw would see no target at all.
    const inspector = inspectors[0]!;
    await giveTestScope(p.db, inspector.id, { department: name, regionPrefixes: ['1506'] });
    res = await inspector.api.post(
      `/api/supervision/spot-check-assignments/${batch.assignments[0]!.id}/result`,
      {
        outcome: 'no-issues',
        findings: '未发现问题',
      },
    );
    expect(problem(res)).toMatchObject({ status: 403, code: 'OUT_OF_SCOPE' });
    const narrowBatch = await addBatch(lead, plan.id, { itemCodes: ['XM'], exclusionYears: 0 });
    const narrowLead = await makeSupervisor(name, { regionPrefixes: ['1506'] });
    expect(
      problem(await narrowLead.api.post(`/api/supervision/spot-check-batches/${narrowBatch}/draw`)),
    ).toMatchObject({
      status: 409,
      code: 'SPOT_CHECK_NOTHING_TO_DRAW',
    });
  });
  test('targets drawn within the exclusion window are left out; outside it they return', {
    timeout: 240_000,
  }, async () => {
    const d = await department({ high: 4, midHigh: 0, lots: 0, inspectors: 2 });
    const first = await draw(
      d.lead,
      await addBatch(d.lead, d.planId, { itemCodes: ['DL-01'], exclusionYears: 1 }),
    );
    const drawnFirst = new Set(first.assignments.map((a) => a.targetCode));
    expect(drawnFirst.size).toBe(2); // 30 % of 4 → 2

    const second = await draw(
      d.lead,
      await addBatch(d.lead, d.planId, { itemCodes: ['DL-01'], exclusionYears: 1 }),
    );
    expect(second.groups[0]).toMatchObject({ population: 4, excluded: 2, needed: 2, count: 2 });
    expect(second.excluded.map((e) => e.code).sort()).toEqual([...drawnFirst].sort());
    for (const a of second.assignments) expect(drawnFirst.has(a.targetCode)).toBe(false);

    // Now all four were inspected within the year: nothing left to draw.
    const third = await addBatch(d.lead, d.planId, { itemCodes: ['DL-01'], exclusionYears: 1 });
    expect(problem(await d.lead.api.post(`/api/supervision/spot-check-batches/${third}/draw`))).toMatchObject(
      {
        status: 409,
        code: 'SPOT_CHECK_NOTHING_TO_DRAW',
      },
    );
    // A year and a day later the window has passed.
    p.clock.advance(367 * DAY);
    await relogin(d.lead);
    const later = await draw(d.lead, third);
    expect(later.groups[0]).toMatchObject({ population: 4, excluded: 0, count: 2 });
    // A batch without a window would have drawn among all of them from the start.
    const none = await draw(
      d.lead,
      await addBatch(d.lead, d.planId, { itemCodes: ['DL-01'], exclusionYears: 0 }),
    );
    expect(none.groups[0]).toMatchObject({ population: 4, excluded: 0, count: 2 });
  });
});
