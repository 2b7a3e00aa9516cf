import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { InvalidInput } from '../../platform/errors.ts';
import * as store from './store.ts';
import type { OpendataTables } from './tables.ts';

/** A feed cursor stays usable this long after it was handed out (then the client resynchronises). */
export const CURSOR_TTL_MS = 30 * 86_400_000;

/**
 * 变更流游标: an opaque token naming the position (the last release seen) and when it was issued, signed
 * with HMAC-SHA-256 under a key only the platform holds — a client cannot forge a position (skipping or
 * replaying records it was not given) and an old token expires.
 *   token = base64url(JSON [seq, issuedAtMs]) "." base64url(HMAC-SHA-256(key, first part))
 */
export class FeedCursors {
  private key: Buffer | null = null;

  constructor(private readonly db: Kysely<OpendataTables>) {}

  private async secret(): Promise<Buffer> {
    if (this.key) return this.key;
    const stored =
      (await store.readCursorKey(this.db)) ??
      (await store.storeCursorKeyIfAbsent(this.db, randomBytes(32).toString('base64url')));
    this.key = Buffer.from(stored, 'base64url');
    return this.key;
  }

  async encode(seq: number, issuedAt: Date): Promise<string> {
    const body = Buffer.from(JSON.stringify([seq, issuedAt.getTime()]), 'utf8').toString('base64url');
    const mac = createHmac('sha256', await this.secret())
      .update(body)
      .digest()
      .toString('base64url');
    return `${body}.${mac}`;
  }

  /** The position the token names; InvalidInput FEED_CURSOR_INVALID / FEED_CURSOR_EXPIRED otherwise. */
  async decode(token: string, now: Date): Promise<number> {
    const forged = () =>
      new InvalidInput('FEED_CURSOR_INVALID', {
        title: '变更流游标无效',
        detail: '游标不是本平台签发的（可能被改动）。请使用上一页响应中的 next 游标，或不带游标从头同步。',
      });
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) throw forged();
    const expected = createHmac('sha256', await this.secret())
      .update(body)
      .digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw forged();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw forged();
    }
    if (
      !Array.isArray(parsed) ||
      parsed.length !== 2 ||
      !Number.isSafeInteger(parsed[0]) ||
      parsed[0] < 0 ||
      !Number.isSafeInteger(parsed[1])
    )
      throw forged();
    const [seq, issuedAt] = parsed as [number, number];
    if (now.getTime() - issuedAt > CURSOR_TTL_MS)
      throw new InvalidInput('FEED_CURSOR_EXPIRED', {
        title: '变更流游标已过期',
        detail: `游标签发已超过 ${CURSOR_TTL_MS / 86_400_000} 天。请用 since=<上次同步的日期> 或不带游标重新同步（按 releaseId 去重）。`,
      });
    return seq;
  }
}
