import type { Role } from './roles.ts';

/** The signed-in person behind a request. */
export interface Actor {
  accountId: string;
  username: string;
  displayName: string;
  roles: Role[];
  organizationId: string | null;
  organizationName: string | null;
  sessionId: string;
}

/** What a presented session token resolves to. */
export type SessionLookup =
  | { ok: true; actor: Actor }
  | { ok: false; reason: 'expired' | 'revoked' | 'unknown' };
