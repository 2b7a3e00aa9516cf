import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { constantTimeEqual, fromBase64Url, toBase64Url, toHex } from './util.ts';

describe('byte helpers', () => {
  test('base64url agrees with Node and round-trips; only the canonical text is accepted', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(toHex(fromBase64Url(text)!)).toBe(Buffer.from(bytes).toString('hex'));
      }),
    );
    for (const bad of ['A', 'AB=', 'A+B/', 'AB C', 'AR', 'AAB', 'é']) expect(fromBase64Url(bad)).toBeNull();
    expect(toHex(fromBase64Url('AQ')!)).toBe('01');
  });

  test('constantTimeEqual is plain equality', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(constantTimeEqual(a, Uint8Array.from(a))).toBe(true);
      }),
    );
  });
});
