import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CryptoError } from '../crypto/index.ts';
import { createFieldSealer, loadFieldSealer, sealedOrigin } from './index.ts';

describe('field sealing', () => {
  const sealer = createFieldSealer(new Uint8Array(32).fill(7));

  test('a sealed field opens only with its context and shows no plaintext', () => {
    const sealed = sealer.seal('{"organizationId":"org-1"}', 'bid:1');
    expect(sealed).not.toContain('org-1');
    expect(sealer.open(sealed, 'bid:1')).toBe('{"organizationId":"org-1"}');
    expect(() => sealer.open(sealed, 'bid:2')).toThrow(CryptoError);
    // Two seals of the same value differ (fresh IV), so equal values cannot be spotted in the table.
    expect(sealer.seal('x', 'c')).not.toBe(sealer.seal('x', 'c'));
  });

  test('blind indexes are stable, keyed and unambiguous', () => {
    expect(sealer.blindIndex('bidder', 'lot', 'org')).toBe(sealer.blindIndex('bidder', 'lot', 'org'));
    expect(sealer.blindIndex('ab', 'c')).not.toBe(sealer.blindIndex('a', 'bc'));
    const other = createFieldSealer(new Uint8Array(32).fill(8));
    expect(other.blindIndex('bidder', 'lot', 'org')).not.toBe(sealer.blindIndex('bidder', 'lot', 'org'));
  });

  test('the key file is created once, private, and reused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-seal-'));
    const [a, b] = await Promise.all([loadFieldSealer(dir), loadFieldSealer(dir)]);
    expect(a.keyId).toBe(b.keyId);
    expect(fs.statSync(path.join(dir, 'keys', 'field.key')).mode & 0o777).toBe(0o600);
    const again = await loadFieldSealer(dir);
    expect(again.open(a.seal('v', 'c'), 'c')).toBe('v');
    await expect(loadFieldSealer(dir, 'not-hex')).rejects.toThrow(/64 hex/);
  });

  test('a sealed origin keeps the request id and drops who and where', () => {
    const origin = sealedOrigin({
      accountId: 'a',
      organizationId: 'o',
      role: 'responder',
      ip: '10.0.0.1',
      userAgent: 'ua',
      clientFingerprint: 'fp',
      requestId: 'req-1',
    });
    expect(origin).toEqual({
      accountId: null,
      organizationId: null,
      role: 'responder',
      ip: null,
      userAgent: null,
      clientFingerprint: null,
      requestId: 'req-1',
    });
  });
});
