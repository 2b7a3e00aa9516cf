import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ApiClient,
  makeTestPlatform,
  type TestAccount,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import { sequenceWitnessEvents } from '../../platform/witness/index.ts';
import { openLotForBidding } from '../../trading/bids/test-factory.ts';
import { registerReceivedLot } from '../../trading/projects/test-factory.ts';
import { giveTestScope } from '../scopes/test-factory.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

interface EventView {
  leafIndex: number;
  action: string;
  actionNameZh: string | null;
  projectId: string;
  lotId: string | null;
  occurredAt: string;
}
interface LivePage {
  items: EventView[];
  cursor: number;
  department: string;
}

async function supervisor(scope: {
  regionPrefixes?: string[];
  catalogPrefixes?: string[];
  department?: string;
}) {
  const account = await p.makeAccount(['supervisor']);
  const department = scope.department ?? uniqueName('监督部门');
  await giveTestScope(p.db, account.id, { ...scope, department });
  return { account, department, api: await p.as(account) };
}

async function live(api: ApiClient, query: string): Promise<LivePage> {
  const res = await api.get(`/api/supervision/live/events?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as LivePage;
}

/** What the witness loop does every 200 ms on a server. */
const sequence = () => sequenceWitnessEvents(p.db);

describe('实时监督 — live witness by scope', () => {
  let lotId: string;
  let projectId: string;
  let operator: ApiClient;
  // Region 150102 (呼和浩特市新城区) × 0101 (房屋建筑和市政), as the project factory registers them.
  let inScope: { account: TestAccount; api: ApiClient; department: string };
  let otherRegion: { account: TestAccount; api: ApiClient; department: string };
  let otherCategory: { account: TestAccount; api: ApiClient; department: string };

  beforeAll(async () => {
    const received = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    lotId = received.lot.id;
    projectId = received.projectId;
    operator = received.operatorClient as ApiClient;
    inScope = await supervisor({ regionPrefixes: ['1501'], catalogPrefixes: ['01'] });
    otherRegion = await supervisor({ regionPrefixes: ['1502'], catalogPrefixes: ['01'] });
    otherCategory = await supervisor({ regionPrefixes: ['15'], catalogPrefixes: ['02', '03'] });
    await sequence();
  }, 120_000);

  test('a supervisor sees the events of projects in its scope and no other', async () => {
    const mine = await live(inScope.api, 'limit=500');
    const ours = mine.items.filter((e) => e.projectId === projectId);
    expect(ours.map((e) => e.action)).toEqual(
      expect.arrayContaining(['project.registered', 'lot.registered', 'project.received', 'lot.received']),
    );
    expect(ours.find((e) => e.action === 'project.received')?.actionNameZh).toBe('交易中心受理项目');
    expect(ours.find((e) => e.action === 'lot.received')?.lotId).toBe(lotId);
    expect(mine.department).toBe(inScope.department);

    for (const outside of [otherRegion, otherCategory]) {
      const theirs = await live(outside.api, 'limit=500');
      expect(theirs.items.some((e) => e.projectId === projectId)).toBe(false);
    }
  });

  test('the live channel delivers a new event in scope, and not to a supervisor out of scope', async () => {
    const start = (await live(inScope.api, 'limit=1')).cursor;
    const startOther = (await live(otherRegion.api, 'limit=1')).cursor;

    // Both wait for something new; the operator then records a violation on the lot.
    const waiting = live(inScope.api, `after=${start}&wait=15`);
    const waitingOther = live(otherRegion.api, `after=${startOther}&wait=3`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const recorded = await operator.post('/api/supervision/site-violations', violationBody(lotId));
    expect(recorded.statusCode, recorded.body).toBe(201);
    await sequence();

    const page = await waiting;
    const delivered = page.items.find((e) => e.action === 'site-violation.recorded' && e.lotId === lotId);
    expect(delivered?.actionNameZh).toBe('记录违反现场管理制度行为');
    expect(page.cursor).toBeGreaterThanOrEqual(delivered!.leafIndex);

    const other = await waitingOther;
    expect(other.items.some((e) => e.projectId === projectId)).toBe(false);
    expect(other.cursor).toBeGreaterThanOrEqual(startOther);

    // The cursor makes the channel gapless and without repeats: asking again from it gives nothing old.
    const again = await live(inScope.api, `after=${page.cursor}&wait=0`);
    expect(again.items.some((e) => e.leafIndex <= page.cursor)).toBe(false);
  }, 60_000);

  test('a lot is found by its code: by the centre, and by a supervisor only within its scope', async () => {
    const lot = await p.db
      .selectFrom('lots')
      .select('code')
      .where('id', '=', lotId)
      .executeTakeFirstOrThrow();
    const found = (api: ApiClient) =>
      api
        .get(`/api/supervision/lots?q=${lot.code}`)
        .then((r) => (r.json() as { items: { lotId: string }[] }).items);
    expect((await found(operator)).map((l) => l.lotId)).toEqual([lotId]);
    expect((await found(inScope.api)).map((l) => l.lotId)).toEqual([lotId]);
    expect(await found(otherRegion.api)).toEqual([]);
  });

  test('a supervisor account without a configured scope is refused', async () => {
    const account = await p.makeAccount(['supervisor']);
    const api = await p.as(account);
    const res = await api.get('/api/supervision/live/events?wait=0');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'SCOPE_NOT_CONFIGURED' });
    expect((await operator.get('/api/supervision/live/events?wait=0')).statusCode).toBe(403);
  });
});

describe('项目时间线 and 开标评标进度', () => {
  test('the timeline of a project is its witness log in order, with Chinese names, and nothing sealed', async () => {
    const lot = await openLotForBidding(p, { bidders: 1 });
    await sequence();
    const inScope = await supervisor({ regionPrefixes: ['150102'], catalogPrefixes: ['0101'] });
    const outside = await supervisor({ regionPrefixes: ['1502'] });
    const projectId = (
      (await live(inScope.api, 'limit=500')).items.find((e) => e.lotId === lot.lot.id) as EventView
    ).projectId;

    const res = await inScope.api.get(`/api/supervision/projects/${projectId}/timeline`);
    expect(res.statusCode, res.body).toBe(200);
    const timeline = res.json() as {
      project: { id: string; regionCode: string };
      lots: { id: string }[];
      events: EventView[];
    };
    expect(timeline.project.regionCode).toBe('150102');
    expect(timeline.lots.map((l) => l.id)).toEqual([lot.lot.id]);
    const actions = timeline.events.map((e) => e.action);
    const order = [
      'project.registered',
      'project.received',
      'bid.settings-saved',
      'tender.documents-uploaded',
      'announcement.drafted',
      'tender.timeline-set',
      'announcement.published',
    ];
    for (const action of order) expect(actions, action).toContain(action);
    const positions = order.map((a) => actions.indexOf(a));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const leaves = timeline.events.map((e) => e.leafIndex);
    expect(leaves).toEqual([...leaves].sort((a, b) => a - b));
    // Every action of the trading system has its Chinese name.
    const trading =
      /^(project|lot|announcement|tender|bid|opening|expert-draw|evaluation|award|contract|venue-booking)\./;
    expect(timeline.events.filter((e) => trading.test(e.action) && e.actionNameZh === null)).toEqual([]);
    // Who obtained the documents stays secret before the opening (招标投标法第二十二条).
    expect(actions).not.toContain('tender.documents-downloaded');
    expect(actions).not.toContain('credit-check.performed');

    const refused = await outside.api.get(`/api/supervision/projects/${projectId}/timeline`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'OUT_OF_SCOPE' });

    const progress = await inScope.api.get('/api/supervision/live/lots?limit=200');
    expect(progress.statusCode, progress.body).toBe(200);
    const row = (
      progress.json() as {
        items: {
          lotId: string;
          stageNameZh: string;
          timeline: { status: string } | null;
          opening: unknown;
        }[];
      }
    ).items.find((i) => i.lotId === lot.lot.id);
    expect(row?.timeline?.status).toBeDefined();
    expect(row?.stageNameZh).toBeTruthy();
    expect(row?.opening).toBeNull();
    const outsideProgress = await outside.api.get('/api/supervision/live/lots?limit=200');
    expect(
      (outsideProgress.json() as { items: { lotId: string }[] }).items.some((i) => i.lotId === lot.lot.id),
    ).toBe(false);
  }, 180_000);
});

function violationBody(lotId: string, evidence: { sha256: string }[] = []) {
  return {
    lotId,
    venue: '第一开标室',
    occurredAt: p.clock.now().toISOString(),
    persons: [{ name: '张某', role: 'responder', organization: '某建设有限公司' }],
    description: '开标过程中在开标室内大声喧哗，干扰开标秩序',
    ruleBreached: '开标室现场管理制度：保持安静，服从工作人员管理',
    measure: '工作人员当场制止并予以警告，当事人停止喧哗',
    corrected: true,
    evidence: evidence.map((e) => ({ sha256: e.sha256, kind: 'photo', filename: '现场照片.jpg' })),
  };
}
