import { createHash } from 'node:crypto';

/**
 * The login challenge (登录质询, DESIGN §4 "certificate login signs a single-use challenge"). The client
 * signs exactly these bytes — the UTF-8 encoding of six lines joined by a single LF, no trailing newline:
 *
 *   ggzy-cert-challenge/1
 *   platform: <the platform's public URL, or "ggzy">
 *   purpose: login | second-factor
 *   nonce: <challengeId: 32 random bytes, base64url, 43 characters>
 *   issued-at: <server time, ISO 8601 UTC with milliseconds>
 *   account: <the username it was requested for, or "*" for any account>
 *
 * The server answers the text with the challenge, so a client needs to rebuild nothing. The nonce is
 * the challenge's id; only its SHA-256 is stored, and a challenge is good for two minutes, once.
 */
export const CHALLENGE_FORMAT = 'ggzy-cert-challenge/1';
export const CHALLENGE_TTL_MS = 2 * 60_000;

export interface ChallengeFields {
  platform: string;
  purpose: 'login' | 'second-factor';
  nonce: string;
  issuedAt: Date;
  account: string | null;
}

export function challengeText(c: ChallengeFields): string {
  return [
    CHALLENGE_FORMAT,
    `platform: ${c.platform}`,
    `purpose: ${c.purpose}`,
    `nonce: ${c.nonce}`,
    `issued-at: ${c.issuedAt.toISOString()}`,
    `account: ${c.account ?? '*'}`,
  ].join('\n');
}

export function challengeIdHash(challengeId: string): string {
  return createHash('sha256').update(challengeId).digest('hex');
}
