import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkIdNumber, idNumberCheckCharacter, maskIdNumber } from './id-card.ts';

const validIdNumber = fc
  .record({
    region: fc.constantFrom('110105', '150102', '152530', '440305', '650102'),
    day: fc.integer({ min: 0, max: 30_000 }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, day, sequence }) => {
    const birth = new Date(Date.UTC(1940, 0, 1) + day * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replaceAll('-', '');
    const body = `${region}${birth}${String(sequence).padStart(3, '0')}`;
    return body + idNumberCheckCharacter(body);
  });

describe('居民身份证号 (GB 11643, ISO 7064 MOD 11-2)', () => {
  test('the standard’s example passes, with its X check character', () => {
    expect(checkIdNumber('11010519491231002X')).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
    });
  });

  test('each wrong part is named', () => {
    expect(checkIdNumber('110105194912310021')).toMatchObject({ ok: false, part: 'check-character' });
    expect(checkIdNumber('11010519491331002X')).toMatchObject({ ok: false, part: 'birth-date' });
    expect(checkIdNumber('99010519491231002X')).toMatchObject({ ok: false, part: 'region' });
    expect(checkIdNumber('1101051949123100')).toMatchObject({ ok: false, part: 'length' });
    expect(checkIdNumber('1101051949123100XX')).toMatchObject({ ok: false, part: 'charset' });
    const body = '15010220300101001';
    expect(checkIdNumber(body + idNumberCheckCharacter(body), '2026-03-02')).toMatchObject({
      ok: false,
      part: 'birth-date',
    });
  });

  test('property: any single substitution is detected', () => {
    fc.assert(
      fc.property(
        validIdNumber,
        fc.nat({ max: 17 }),
        fc.constantFrom(...'0123456789X'),
        (id, position, ch) => {
          fc.pre(id[position] !== ch);
          const corrupted = id.slice(0, position) + ch + id.slice(position + 1);
          return checkIdNumber(id).ok && !checkIdNumber(corrupted).ok;
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('masking keeps the first 4 and last 4 characters only', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('E12345678')).toBe('*******78');
  });
});
