import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ApiClient,
  makeTestPlatform,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import { seedRegulationDutyLists } from './index.ts';

let p: TestPlatform;
let operator: ApiClient;
beforeAll(async () => {
  p = await makeTestPlatform();
  operator = await p.as(await p.makeAccount(['operator']));
});
afterAll(async () => {
  await p?.close();
});

interface Item {
  code: string;
  name: string;
  basis: string;
  timeLimit: string | null;
}
interface Version {
  version: number | null;
  status: string;
  items: Item[];
  itemsSm3: string;
  note: string;
}
interface PublicLists {
  citation: string;
  lists: {
    kind: string;
    kindNameZh: string;
    current: Version | null;
    versions: { version: number; status: string }[];
  }[];
}

const item = (code: string, name: string) => ({
  code,
  name,
  type: '行政检查',
  basis: '《内蒙古自治区公共资源交易管理办法》第三十八条',
  department: '各行政监督管理部门',
  process: '“双随机、一公开”抽查检查',
  timeLimit: null,
  serviceTarget: null,
  coordination: '',
  accountability: null,
});

async function publicLists(): Promise<PublicLists> {
  const res = await p.anonymous.get('/api/public/duty-lists');
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as PublicLists;
}

describe('监管权力和责任清单、服务事项清单 (§37)', () => {
  test('the lists seeded from the regulation are published, each item citing its article; seeding twice adds nothing', async () => {
    await seedRegulationDutyLists(p.db, p.clock);
    const lists = await publicLists();
    expect(lists.citation).toContain('第三十七条');
    expect(lists.lists.map((l) => l.kindNameZh)).toEqual(['监管权力和责任清单', '服务事项清单']);
    for (const list of lists.lists) expect(list.current).not.toBeNull();
    expect(await seedRegulationDutyLists(p.db, p.clock)).toEqual({ published: [] });
    expect((await publicLists()).lists.map((l) => l.versions.length)).toEqual(
      lists.lists.map((l) => l.versions.length),
    );

    const seeded = await operator.get('/api/admin/duty-lists/power/regulation-items');
    expect(seeded.statusCode).toBe(200);
    const items = (seeded.json() as { items: Item[] }).items;
    expect(items.length).toBeGreaterThan(5);
    for (const i of items)
      expect(i.basis).toMatch(/《内蒙古自治区公共资源交易管理办法》.*第[一二三四五六七八九十]+条/);
    expect(items.find((i) => i.code === 'JG-06')?.basis).toContain(
      '各行政监督管理部门应及时查办报告事项并反馈处理结果',
    );
  });

  test('a draft is not public until published; publishing keeps the previous version as history, unchanged', async () => {
    const before = (await publicLists()).lists.find((l) => l.kind === 'power')!;
    const previous = before.current!;

    const name = uniqueName('交易过程抽查检查');
    let res = await operator.put('/api/admin/duty-lists/power/draft', {
      note: '新增抽查事项',
      items: [item('JG-01', name), item('JG-02', '反馈报告事项处理结果')],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'draft', version: null });
    // Saving again replaces the draft, still not public.
    res = await operator.put('/api/admin/duty-lists/power/draft', {
      note: '新增抽查事项',
      items: [item('JG-01', name)],
    });
    expect(res.statusCode).toBe(200);
    expect((await publicLists()).lists.find((l) => l.kind === 'power')!.current).toEqual(previous);

    res = await operator.post('/api/admin/duty-lists/power/draft/publish');
    expect(res.statusCode, res.body).toBe(200);
    const published = res.json() as Version;
    expect(published).toMatchObject({ status: 'published', version: (previous.version ?? 0) + 1 });
    expect(published.items.map((i) => i.name)).toEqual([name]);
    expect(published.itemsSm3).toMatch(/^[0-9a-f]{64}$/);

    const after = (await publicLists()).lists.find((l) => l.kind === 'power')!;
    expect(after.current?.version).toBe(published.version);
    expect(after.versions.map((v) => v.version)).toEqual([
      published.version,
      ...before.versions.map((v) => v.version),
    ]);
    const old = await p.anonymous.get(`/api/public/duty-lists/power/versions/${previous.version}`);
    expect(old.statusCode).toBe(200);
    expect(old.json()).toMatchObject({
      status: 'superseded',
      items: previous.items,
      itemsSm3: previous.itemsSm3,
    });

    // Nothing left to publish.
    res = await operator.post('/api/admin/duty-lists/power/draft/publish');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'DUTY_LIST_NO_DRAFT' });
  });

  test('only the trading centre edits; items need a basis and unique codes; a discarded draft leaves no trace', async () => {
    const supervisor = await p.as(await p.makeAccount(['supervisor']));
    const body = { note: '', items: [item('FW-01', '政策法规咨询')] };
    expect((await supervisor.put('/api/admin/duty-lists/service/draft', body)).statusCode).toBe(403);
    expect((await p.anonymous.put('/api/admin/duty-lists/service/draft', body)).statusCode).toBe(401);

    let res = await operator.put('/api/admin/duty-lists/service/draft', {
      note: '',
      items: [{ ...item('FW-01', '政策法规咨询'), basis: '' }],
    });
    expect(res.statusCode).toBe(400);
    res = await operator.put('/api/admin/duty-lists/service/draft', {
      note: '',
      items: [item('FW-01', '政策法规咨询'), item('FW-01', '信息发布')],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'DUPLICATE_ITEM_CODE' });

    res = await operator.put('/api/admin/duty-lists/service/draft', body);
    expect(res.statusCode).toBe(200);
    const admin = (await operator.get('/api/admin/duty-lists/service')).json() as { draft: Version | null };
    expect(admin.draft?.items.map((i) => i.code)).toEqual(['FW-01']);
    expect((await operator.delete('/api/admin/duty-lists/service/draft')).statusCode).toBe(204);
    expect(
      ((await operator.get('/api/admin/duty-lists/service')).json() as { draft: Version | null }).draft,
    ).toBeNull();
    expect((await p.anonymous.get('/api/public/duty-lists/service/versions/9999')).statusCode).toBe(404);
  });
});
