import { expect, test } from 'vitest';
import {
  checkSignedRequestFreshness,
  generateSm2KeyPair,
  readSignedRequestHeaders,
  requestSigningText,
  signRequestHeaders,
  verifyBase64UrlSignature,
} from './index.ts';

const body = '{"records":[{"table":"PROJECT","data":{"PROJECT_CODE":"E1501020000010001"}}]}';

test('the signing text is method, target, SM3 of the body, timestamp and nonce, one per line (docs/interface-spec.md)', () => {
  expect(
    requestSigningText({
      method: 'post',
      target: '/api/interfaces/records',
      body,
      timestamp: '1772413200000',
      nonce: 'mB3kq9Xz7LwPc2Rt5VnY8sJd',
    }),
  ).toBe(
    'POST\n/api/interfaces/records\n09b73ff00293276b587d253c4572bf12ae1143de5fa54817bb162c419d30c927\n1772413200000\nmB3kq9Xz7LwPc2Rt5VnY8sJd',
  );
});

test('signed headers verify with the key and name the caller in the header the route chose', () => {
  const key = generateSm2KeyPair();
  const headers = signRequestHeaders(key, {
    callerHeader: 'x-ggzy-system',
    callerId: 'T1501020001',
    method: 'POST',
    target: '/x',
    body,
  });
  const parts = readSignedRequestHeaders(headers, 'x-ggzy-system');
  expect(parts?.callerId).toBe('T1501020001');
  if (!parts) throw new Error('no parts');
  const text = requestSigningText({ method: 'POST', target: '/x', body, ...parts });
  expect(verifyBase64UrlSignature(key.publicKey, text, parts.signature)).toBe(true);
  expect(verifyBase64UrlSignature(generateSm2KeyPair().publicKey, text, parts.signature)).toBe(false);
  expect(verifyBase64UrlSignature(key.publicKey, `${text}x`, parts.signature)).toBe(false);
  expect(verifyBase64UrlSignature(key.publicKey, text, 'not-a-signature')).toBe(false);
  expect(readSignedRequestHeaders({ ...headers, 'x-ggzy-nonce': undefined }, 'x-ggzy-system')).toBeNull();
});

test('the timestamp must be within five minutes and the nonce well formed', () => {
  const now = new Date('2026-03-02T01:00:00Z');
  const at = (ms: number) => String(now.getTime() + ms);
  const nonce = 'abcdefghijklmnop';
  expect(checkSignedRequestFreshness({ timestamp: at(0), nonce }, now)).toBeNull();
  expect(checkSignedRequestFreshness({ timestamp: at(-300_000), nonce }, now)).toBeNull();
  expect(checkSignedRequestFreshness({ timestamp: at(-300_001), nonce }, now)).toBe('timestamp-skew');
  expect(checkSignedRequestFreshness({ timestamp: at(300_001), nonce }, now)).toBe('timestamp-skew');
  expect(checkSignedRequestFreshness({ timestamp: '12:00', nonce }, now)).toBe('timestamp-invalid');
  expect(checkSignedRequestFreshness({ timestamp: at(0), nonce: 'short' }, now)).toBe('nonce-invalid');
});
