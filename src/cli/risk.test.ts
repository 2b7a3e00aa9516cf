import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CardinalResult } from '../supervision/risk/index.ts';
import { parseIndicatorOption, type RiskScanIo, type RiskScanOptions, riskScan } from './risk.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'src', 'supervision', 'risk', 'fixtures');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-risk-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the command in process; returns the exit code, standard output and the lines on standard error. */
async function run(opts: RiskScanOptions, stdin = '') {
  let out = '';
  const err: string[] = [];
  const io: RiskScanIo = {
    out: (text) => (out += text),
    err: (line) => err.push(line),
    stdin: Readable.from([stdin]),
  };
  const code = await riskScan(opts, io);
  return { code, out, err };
}

const SETTINGS =
  'no_price_comparison_procurement_methods = NPC\n[exclusions]\nprocurement_method_details = EXC\n';

describe('ggzy risk scan', () => {
  test('prints Cardinal’s result for a fixture, Meta included unless --no-meta', async () => {
    const settings = path.join(dir, 'r058.ini');
    await writeFile(settings, `${SETTINGS}[R058]\n`);
    const withMeta = await run({ ocds: path.join(FIXTURES, 'R058.jsonl'), settings });
    expect(withMeta.code).toBe(0);
    expect(withMeta.err).toEqual([]);
    expect(JSON.parse(withMeta.out)).toEqual({
      OCID: { F: { R058: 100 } },
      Tenderer: { W: { R058: 0 } },
      Meta: { R058: { q1: 0, q3: 33.3333, upper_fence: 83.3333 } },
    });
    const withoutMeta = await run({ ocds: path.join(FIXTURES, 'R058.jsonl'), settings, meta: false });
    const expected = JSON.parse(
      await readFile(path.join(FIXTURES, 'R058.expected'), 'utf8'),
    ) as CardinalResult;
    expect(JSON.parse(withoutMeta.out)).toEqual(expected);
  });

  test('--indicator limits the scan to those codes, overriding the settings file', async () => {
    const settings = path.join(dir, 'all.ini');
    await writeFile(settings, SETTINGS);
    const file = path.join(FIXTURES, 'R036.jsonl');
    const all = JSON.parse((await run({ ocds: file, settings })).out) as CardinalResult;
    expect(Object.keys(all.OCID ?? {})).toEqual(
      expect.arrayContaining(['F', 'invited', 'withdrawn', 'equal']),
    );
    const none = JSON.parse((await run({ ocds: file, settings, indicator: ['R003'] })).out) as CardinalResult;
    expect(none).toEqual({ Meta: {} });
    const r036 = JSON.parse((await run({ ocds: file, settings, indicator: ['r036,R003'], meta: false })).out);
    expect(r036).toEqual(JSON.parse(await readFile(path.join(FIXTURES, 'R036.expected'), 'utf8')));
  });

  test('an unknown indicator code is refused with exit code 2 and the list of codes', async () => {
    const { code, out, err } = await run({
      ocds: path.join(FIXTURES, 'R036.jsonl'),
      indicator: ['R036', 'R999'],
    });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toHaveLength(1);
    expect(err[0]).toContain('未知的指标代码：R999');
    expect(err[0]).toContain('R024（次低价与中标价过近）');
    expect(parseIndicatorOption(['R003, r018', 'R003'])).toEqual({ codes: ['R003', 'R018'] });
  });

  test('a wrong settings file or a missing input file is exit code 2 with the reason', async () => {
    const settings = path.join(dir, 'bad.ini');
    await writeFile(settings, '[R003]\nthreshold = 十五\n');
    const bad = await run({ ocds: path.join(FIXTURES, 'R003.jsonl'), settings });
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toContain('风险扫描设置文件有误');
    expect(bad.err[0]).toContain('第 2 行');
    const missing = await run({ ocds: path.join(dir, 'nothing.jsonl') });
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toContain('无法读取 OCDS 文件');
    const directory = await run({ ocds: dir });
    expect(directory.code).toBe(2);
    expect(directory.err[0]).toContain('这是一个目录');
  });

  test('reads standard input with -, and reports lines that are not JSON on standard error', async () => {
    const input = `${JSON.stringify({ ocid: 'a', tender: { numberOfTenderers: 1, procurementMethod: 'open' } })}\n{oops\n`;
    const { code, out, err } = await run({ ocds: '-', indicator: ['R018'] }, input);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ OCID: { a: { R018: 1 } }, Meta: {} });
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^第 2 行不是有效的 JSON，已跳过：/);
  });

  test('end to end: `ggzy risk scan --ocds` prints the fixture’s expected JSON on stdout', async () => {
    const settings = path.join(dir, 'e2e.ini');
    await writeFile(settings, `${SETTINGS}[R024]\n`);
    const fixture = path.join(FIXTURES, 'R024.jsonl');
    const child = spawnSync(
      process.execPath,
      ['bin/ggzy.js', 'risk', 'scan', '--ocds', fixture, '--settings', settings, '--no-meta'],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(
      JSON.parse(await readFile(path.join(FIXTURES, 'R024.expected'), 'utf8')),
    );

    const unknown = spawnSync(
      process.execPath,
      ['bin/ggzy.js', 'risk', 'scan', '--ocds', fixture, '--indicator', 'X1'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('未知的指标代码：X1');
  });
});
