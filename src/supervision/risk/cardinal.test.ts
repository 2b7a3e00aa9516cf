import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { InvalidInput } from '../../platform/errors.ts';
import { parseRfc3339, wholeDaysBetween } from './cardinal/rfc3339.ts';
import { quantile, round4, sortedCopy, tukeyFence } from './cardinal/statistics.ts';
import {
  CARDINAL_GROUPS,
  type CardinalResult,
  CardinalScan,
  defaultCardinalSettings,
  INDICATOR_CODES,
  INDICATOR_TITLES_ZH,
  parseCardinalSettings,
  scanFile,
  scanJsonLines,
} from './index.ts';

/** Cardinal's own fixtures (MIT, copied with their LICENSE from open-contracting/cardinal-rs). */
const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/**
 * The settings a fixture's name stands for (fixtures/README.md, as Cardinal's build.rs reads it), written
 * as Cardinal's settings.ini so the ini reader is exercised too. Cardinal runs every fixture with
 * `no_price_comparison_procurement_methods = NPC` and `[exclusions] procurement_method_details = EXC`.
 */
function fixtureSettingsIni(name: string): string {
  const parts = name.replaceAll('+', '|').split('-');
  const code = parts.shift()!;
  let ini = 'no_price_comparison_procurement_methods = NPC\n[exclusions]\nprocurement_method_details = EXC\n';
  if (parts.length < 2) {
    ini += `[${code}]\n`;
  } else if (parts.length === 2) {
    ini += `[${code}]\n${parts[0]} = ${parts[1]}\n`;
  } else {
    ini += `[${code}.${parts.shift()}]\n`;
    for (let i = 0; i + 1 < parts.length; i += 2) ini += `${parts[i]} = ${parts[i + 1]}\n`;
  }
  return ini;
}

/** Same groups, identifiers and codes as expected (nothing more), values equal to four decimals. */
function expectSameFlags(actual: CardinalResult, expected: CardinalResult): void {
  const { Meta: _meta, ...groups } = actual;
  expect(Object.keys(groups).sort()).toEqual(Object.keys(expected).sort());
  for (const group of CARDINAL_GROUPS) {
    const want = expected[group];
    const got = actual[group];
    if (want === undefined) continue;
    expect(Object.keys(got ?? {}).sort(), group).toEqual(Object.keys(want).sort());
    for (const [id, scores] of Object.entries(want)) {
      const gotScores = got?.[id] ?? {};
      expect(Object.keys(gotScores).sort(), `${group} ${id}`).toEqual(Object.keys(scores).sort());
      for (const [code, value] of Object.entries(scores)) {
        expect(gotScores[code as keyof typeof gotScores], `${group} ${id} ${code}`).toBeCloseTo(value, 4);
      }
    }
  }
}

const fixtureNames = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.jsonl'))
  .map((file) => file.slice(0, -'.jsonl'.length))
  .sort();

describe("Cardinal's fixtures give Cardinal's results", () => {
  test('all fifteen fixtures are here, each with its expected output', () => {
    expect(fixtureNames).toHaveLength(15);
    for (const name of fixtureNames) expect(readdirSync(FIXTURES)).toContain(`${name}.expected`);
  });

  test.each(fixtureNames)('%s', async (name) => {
    const settings = parseCardinalSettings(fixtureSettingsIni(name));
    expect(settings.enabled).toEqual([name.split('-')[0]]);
    const warnings: string[] = [];
    const result = await scanJsonLines(
      createReadStream(path.join(FIXTURES, `${name}.jsonl`)),
      settings,
      (_line, message) => warnings.push(message),
    );
    const expected = JSON.parse(
      readFileSync(path.join(FIXTURES, `${name}.expected`), 'utf8'),
    ) as CardinalResult;
    expectSameFlags(result, expected);
    expect(warnings).toEqual([]);
  });

  test('Meta holds the quartiles and fences Cardinal used, rounded to four decimals', async () => {
    const result = await scanJsonLines(
      createReadStream(path.join(FIXTURES, 'R024.jsonl')),
      parseCardinalSettings(fixtureSettingsIni('R024')),
      () => {},
    );
    expect(result.Meta).toEqual({ R024: { q1: 66.6667, q3: 100, lower_fence: 16.6667 } });
  });
});

describe('settings.ini (Cardinal’s format)', () => {
  test('reads the top-level settings, pipe-separated lists, the R003 map and exclusions', () => {
    const settings = parseCardinalSettings(
      [
        '; a comment',
        'currency = CNY',
        'no_price_comparison_procurement_methods = 单一来源|询价|',
        '',
        '[exclusions]',
        'procurement_method_details = 拍卖 | 挂牌',
        '[R003]',
        'threshold = 20',
        'procurement_methods = open|selective',
        '[R003.procurement_method_details]',
        '邀请招标 = 15',
        '竞争性谈判 = 3',
        '[R025]',
        '# another comment',
        'percentile = 80',
        'threshold = 0.05',
        '[R058]',
        '[defaults]',
        'currency = USD',
      ].join('\n'),
    );
    expect(settings).toEqual({
      currency: 'CNY',
      noPriceComparisonProcurementMethods: ['单一来源', '询价'],
      exclusions: { procurementMethodDetails: ['拍卖', '挂牌'] },
      perIndicator: {
        R003: {
          threshold: 20,
          procurement_methods: ['open', 'selective'],
          procurement_method_details: { 邀请招标: 15, 竞争性谈判: 3 },
        },
        R025: { percentile: 80, threshold: 0.05 },
        R058: {},
      },
      enabled: ['R003', 'R025', 'R058'],
    });
  });

  test('a file that names no indicator enables all eleven', () => {
    expect(parseCardinalSettings('currency = CNY\n').enabled).toEqual([...INDICATOR_CODES]);
    expect(defaultCardinalSettings().enabled).toEqual([...INDICATOR_CODES]);
    expect(defaultCardinalSettings(['R018']).enabled).toEqual(['R018']);
  });

  test.each([
    ['[R003]\nthreshold = abc', 2, '[R003] threshold 应为非负整数（天数），实际为“abc”'],
    ['[R024]\nthreshold = -0.5', 2, '[R024] threshold 应为非负数，实际为“-0.5”'],
    ['; c\n\n[R025]\npercentile = 101', 4, '[R025] percentile 应为0 到 100 之间的整数'],
    ['[R035]\nthreshold = 1.5', 2, '[R035] threshold 应为非负整数'],
    ['[R003.procurement_method_details]\nx = -3', 2, '[R003.procurement_method_details] x 应为非负整数'],
    ['[R038]\nminimum_bids = 2', 2, '[R038] 没有设置 minimum_bids'],
    ['[R028]\nthreshold = 1', 2, '此指标没有设置项'],
    ['[R044]', 1, '不支持指标 [R044]'],
    ['[nonsense]', 1, '未知的节 [nonsense]'],
    ['colour = red', 1, '未知的设置 colour'],
    ['[R003]\nthreshold', 2, '应为“名称 = 值”'],
  ])('%j is refused, naming line %i', (ini, line, words) => {
    let error: unknown;
    try {
      parseCardinalSettings(ini);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInput);
    const invalid = error as InvalidInput;
    expect(invalid.code).toBe('RISK_SETTINGS_INVALID');
    expect(invalid.title).toBe('风险扫描设置文件有误');
    expect(invalid.detail).toContain(`第 ${line} 行：`);
    expect(invalid.detail).toContain(words);
    expect(invalid.extensions).toEqual({ line });
  });
});

describe('JSON Lines input', () => {
  const good = (ocid: string) =>
    JSON.stringify({ ocid, tender: { numberOfTenderers: 1, procurementMethod: 'open' } });

  test('a line that is not JSON is skipped with a warning naming it; blank lines are skipped silently', async () => {
    const text = `${good('a')}\n{"ocid": "broken"\n\n  \r\n${good('b')}\r\n[1, 2]\n${good('c')}`;
    // Chunks that cut lines (and a multi-byte character) in the middle.
    const bytes = Buffer.from(text, 'utf8');
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 40), bytes.subarray(40, 41), bytes.subarray(41)];
    const warnings: [number, string][] = [];
    const result = await scanJsonLines(Readable.from(chunks), defaultCardinalSettings(['R018']), (n, m) =>
      warnings.push([n, m]),
    );
    expect(Object.keys(result.OCID ?? {})).toEqual(['a', 'b', 'c']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]![0]).toBe(2);
    expect(warnings[0]![1]).toMatch(/^第 2 行不是有效的 JSON，已跳过：/);
  });

  test('a line that is not UTF-8 is skipped with a warning', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${good('a')}\n`),
      Buffer.from([0xff, 0xfe, 0x0a]),
      Buffer.from(good('b')),
    ]);
    const warnings: string[] = [];
    const result = await scanJsonLines(Readable.from([bytes]), defaultCardinalSettings(['R018']), (_n, m) =>
      warnings.push(m),
    );
    expect(Object.keys(result.OCID ?? {})).toEqual(['a', 'b']);
    expect(warnings).toEqual(['第 2 行不是有效的 UTF-8 文本，已跳过。']);
  });

  test('an iterable of lines is read one JSON text per item', async () => {
    async function* lines() {
      yield good('x');
      yield 'not json';
      yield `${good('y')}\n`;
    }
    const warnings: number[] = [];
    const result = await scanJsonLines(lines(), defaultCardinalSettings(['R018']), (n) => warnings.push(n));
    expect(result.OCID).toEqual({ x: { R018: 1 }, y: { R018: 1 } });
    expect(warnings).toEqual([2]);
  });
});

describe('a file scanned on several threads', () => {
  test('gives exactly the one-pass result: flags, Meta, order, and the numbers of skipped lines', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-risk-parallel-'));
    try {
      // Cardinal's fixtures over and over (ocids made unique), with a line that is not JSON in the middle
      // and a repeated ocid whose second line overwrites the first.
      const lines: string[] = [];
      for (let copy = 0; copy < 40; copy++) {
        for (const name of fixtureNames) {
          for (const line of readFileSync(path.join(FIXTURES, `${name}.jsonl`), 'utf8').split('\n')) {
            if (line.trim() === '') continue;
            const release = JSON.parse(line) as { ocid: string };
            release.ocid = `${release.ocid}#${copy % 37}`;
            lines.push(JSON.stringify(release));
          }
        }
        if (copy === 25) lines.push('{"ocid": broken', '');
      }
      const file = path.join(dir, 'releases.jsonl');
      await writeFile(file, `${lines.join('\n')}\n`);
      const settings = parseCardinalSettings(
        'no_price_comparison_procurement_methods = NPC\n[exclusions]\nprocurement_method_details = EXC\n',
      );

      const oneWarnings: [number, string][] = [];
      const one = await scanJsonLines(createReadStream(file), settings, (n, m) => oneWarnings.push([n, m]));
      const manyWarnings: [number, string][] = [];
      const plans: { threads: number; headBytes: number }[] = [];
      const many = await scanFile(file, settings, (n, m) => manyWarnings.push([n, m]), {
        threads: 3,
        minBytesPerThread: 1,
        onPlan: (plan) => plans.push(plan),
      });
      // Three threads, after the head up to the first line with a bid amount (USD, the main currency).
      const head = lines.findIndex((line) => line.includes('"currency"'));
      const headBytes = lines
        .slice(0, head + 1)
        .reduce((bytes, line) => bytes + Buffer.byteLength(line) + 1, 0);
      expect(plans).toEqual([{ threads: 3, headBytes }]);
      expect(JSON.stringify(many)).toBe(JSON.stringify(one));
      expect(Object.keys(one.OCID ?? {}).length).toBeGreaterThan(100);
      expect(oneWarnings).toHaveLength(1);
      expect(manyWarnings).toEqual(oneWarnings);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the engine', () => {
  const bid = (status: string, id: string, amount: number, currency = 'CNY') => ({
    status,
    tenderers: [{ id }],
    value: { amount, currency },
  });

  test('only the enabled indicators are computed, and no group appears without a flag', () => {
    const release = {
      ocid: 'p1',
      tender: {
        numberOfTenderers: 1,
        procurementMethod: 'open',
        tenderPeriod: { startDate: '2026-03-02T09:00:00+08:00', endDate: '2026-03-05T09:00:00+08:00' },
      },
    };
    const all = new CardinalScan(defaultCardinalSettings());
    all.add(release);
    expect(all.result().OCID).toEqual({ p1: { R003: 1, R018: 1 } });
    const one = new CardinalScan(defaultCardinalSettings(['R018']));
    one.add(release);
    const { Meta, ...groups } = one.result();
    expect(groups).toEqual({ OCID: { p1: { R018: 1 } } });
    expect(Meta).toEqual({});
  });

  test('amounts in other than the main currency are ignored: the first currency seen, or the one set', () => {
    const release = (ocid: string, currency: string) => ({
      ocid,
      bids: { details: [bid('disqualified', 'D', 1, currency), bid('valid', 'V', 2, currency)] },
      awards: [{ status: 'active', suppliers: [{ id: 'V' }] }],
    });
    const firstSeen = new CardinalScan(defaultCardinalSettings(['R036']));
    for (const r of [release('usd', 'USD'), release('cny', 'CNY')]) firstSeen.add(r);
    expect(Object.keys(firstSeen.result().OCID ?? {})).toEqual(['usd']);

    const set = new CardinalScan({ ...defaultCardinalSettings(['R036']), currency: 'CNY' });
    for (const r of [release('usd', 'USD'), release('cny', 'CNY')]) set.add(r);
    expect(Object.keys(set.result().OCID ?? {})).toEqual(['cny']);
  });

  test('values that are not releases are ignored, and cancelled or excluded processes count for nothing', () => {
    const scan = new CardinalScan({
      ...defaultCardinalSettings(['R018']),
      exclusions: { procurementMethodDetails: ['拍卖'] },
    });
    for (const value of [null, 1, 'x', [], { ocid: 7 }, { tender: {} }]) scan.add(value);
    scan.add({ ocid: 'c', tender: { status: 'cancelled', numberOfTenderers: 1, procurementMethod: 'open' } });
    scan.add({
      ocid: 'e',
      tender: { procurementMethodDetails: '拍卖', numberOfTenderers: 1, procurementMethod: 'open' },
    });
    expect(scan.releases).toBe(8);
    expect(scan.processes).toBe(0);
    expect(scan.result().OCID).toBeUndefined();
  });

  test('titles are given in Chinese for every code', () => {
    expect(Object.keys(INDICATOR_TITLES_ZH)).toEqual([...INDICATOR_CODES]);
    expect(INDICATOR_TITLES_ZH.R024).toBe('次低价与中标价过近');
  });
});

describe('the arithmetic Cardinal borrows from Rust', () => {
  test('quartiles are statrs’ R-8 estimates', () => {
    const data = sortedCopy([4, 1, 3, 2]);
    expect(quantile(data, 0.25)).toBeCloseTo(1 + 5 / 12, 12);
    expect(quantile(data, 0.75)).toBeCloseTo(3 + 7 / 12, 12);
    expect(quantile(sortedCopy([5]), 0.25)).toBe(5);
    expect(quantile(sortedCopy([]), 0.5)).toBeNaN();
    expect(quantile(data, 0)).toBe(1);
    expect(quantile(data, 1)).toBe(4);
  });

  test('the Tukey fence is rounded once, as a fused multiply-add', () => {
    expect(tukeyFence(1, 2, 1.5)).toBe(4);
    expect(tukeyFence(66.66666666666667, 33.33333333333333, -1.5)).toBeCloseTo(16.6667, 4);
    // Rounded twice (1.5·iqr, then + q) this is 19.63692437093394, one ulp below the exact sum's rounding.
    expect(8.03125713981705 + 1.5 * 7.737111487411261).toBe(19.63692437093394);
    expect(tukeyFence(8.03125713981705, 7.737111487411261, 1.5)).toBe(19.636924370933944);
  });

  test('Meta rounds halves away from zero', () => {
    expect(round4(0.00005)).toBe(0.0001);
    expect(round4(-0.00005)).toBe(-0.0001);
    expect(round4(2 / 3)).toBe(0.6667);
  });

  test('whole days between RFC 3339 timestamps truncate toward zero, across offsets', () => {
    const days = (a: string, b: string) => wholeDaysBetween(parseRfc3339(a)!, parseRfc3339(b)!);
    expect(days('2000-01-01T18:00:00Z', '2000-01-16T17:59:59Z')).toBe(14);
    expect(days('2000-01-01T18:00:00Z', '2000-01-16T18:00:00Z')).toBe(15);
    expect(days('2026-03-02T09:00:00+08:00', '2026-03-02T01:00:00Z')).toBe(0);
    expect(days('2000-01-02T00:00:00Z', '2000-01-01T00:00:00.5Z')).toBe(0);
    expect(days('2000-01-01T00:00:00.000000001Z', '2000-01-02T00:00:00Z')).toBe(0);
    expect(days('2024-02-28T00:00:00Z', '2024-03-01T00:00:00Z')).toBe(2);
    for (const bad of [
      'invalid',
      '2000-02-30T00:00:00Z',
      '2000-01-01',
      '2000-01-01T00:00:00',
      '2000-13-01T00:00:00Z',
    ]) {
      expect(parseRfc3339(bad), bad).toBeUndefined();
    }
  });
});
