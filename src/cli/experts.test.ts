import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../test/support/platform.ts';
import { makeExpert } from '../service/experts/test-factory.ts';
import { createDrawsDeps, type DrawRecord, verifyDrawInDatabase } from '../trading/draws/index.ts';
import { registerReceivedLot } from '../trading/projects/test-factory.ts';
import { reportVerification, verifyRecordFile } from './experts.ts';

let p: TestPlatform;
let dir: string;
beforeAll(async () => {
  p = await makeTestPlatform();
  dir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-verify-draw-'));
});
afterAll(async () => {
  await p?.close();
  await rm(dir, { recursive: true, force: true });
});

test('ggzy experts verify-draw: 复核通过 from the database and from the public record; a tampered record names its round', async () => {
  const region = '150124';
  const specialty = 'A020102';
  const { lot, initiatorClient } = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
  for (let i = 0; i < 4; i++) await makeExpert(p, { regionCode: region, specialtyCodes: [specialty] });
  const startsAt = new Date(p.clock.now().getTime() + 2 * 86_400_000);
  const created = await initiatorClient.post(`/api/lots/${lot.id}/expert-draws`, {
    evaluationStartsAt: startsAt.toISOString(),
    durationMinutes: 120,
    confirmWindowMinutes: 60,
    venues: [{ role: 'host', regionCode: region, name: '评标室2', seats: 5 }],
    groups: [{ specialtyCode: specialty, count: 2, venueIndex: 0 }],
    exclusions: [],
  });
  const drawId = (created.json() as { id: string }).id;
  expect((await initiatorClient.post(`/api/expert-draws/${drawId}/run`)).statusCode).toBe(200);

  const lines: string[] = [];
  const print = (line: string) => lines.push(line);
  // From the database, before the reveal: the platform's field key opens the sealed seed and list.
  const deps = createDrawsDeps({ db: p.db, clock: p.clock, sealer: p.sealer });
  expect(reportVerification(await verifyDrawInDatabase(deps, drawId), drawId, print)).toBe(0);
  expect(lines.at(-1)).toBe('结果：复核通过');
  expect(lines[0]).toContain('重放抽取结果');

  // Offline before the reveal: commitments and checkpoint only.
  const file = path.join(dir, 'record.json');
  await writeFile(file, (await p.anonymous.get(`/api/expert-draws/${drawId}/record`)).body);
  lines.length = 0;
  expect(await verifyRecordFile(file, undefined, print)).toBe(0);
  expect(lines.at(-1)).toContain('评标开始后公开');

  // After the reveal: a full offline replay.
  p.clock.set(startsAt);
  await p.jobs.runDueJobs();
  const record = (await p.anonymous.get(`/api/expert-draws/${drawId}/record`)).json() as DrawRecord;
  await writeFile(file, JSON.stringify(record));
  lines.length = 0;
  expect(await verifyRecordFile(file, undefined, print)).toBe(0);
  expect(lines.at(-1)).toBe('结果：复核通过');

  record.rounds[0]!.list!.reverse();
  await writeFile(file, JSON.stringify(record));
  lines.length = 0;
  expect(await verifyRecordFile(file, undefined, print)).toBe(1);
  expect(lines.at(-1)).toContain('第 1 轮，合格名单与摘要');

  // A missing file, a file that is not JSON, a missing key file: exit 2 with a Chinese reason.
  lines.length = 0;
  expect(await verifyRecordFile(`${file}.missing`, undefined, print)).toBe(2);
  expect(lines.at(-1)).toBe(`无法读取抽取记录文件 ${file}.missing：文件不存在`);
  await writeFile(file, '{ 不是 JSON');
  expect(await verifyRecordFile(file, undefined, print)).toBe(2);
  expect(lines.at(-1)).toContain('抽取记录文件不是有效的 JSON');
  await writeFile(file, JSON.stringify(record));
  expect(await verifyRecordFile(file, [`${file}.pem`], print)).toBe(2);
  expect(lines.at(-1)).toBe(`无法读取平台公钥文件 ${file}.pem：文件不存在`);
});
