import type { Role } from '../identity/roles.ts';

/**
 * Every route declares who may call it (deny by default, DESIGN §4 "Security"). The HTTP layer refuses
 * to register a route without one, and checks it before the handler runs. Finer checks (this bidder's
 * own bid, this agency's project) belong to the use case's policy.
 *   'public'         anyone, including the anonymous portal visitor
 *   'authenticated'  any signed-in account
 *   { roles: [...] } a signed-in account holding at least one of these roles
 *   'signed-institution' no session: a registered financial institution's SM2-signed request (银行到账通知,
 *                    电子保函), which the route verifies before its handler runs (src/trading/deposits)
 */
export type RoutePolicy = 'public' | 'authenticated' | 'signed-institution' | { roles: readonly Role[] };

export function describePolicy(policy: RoutePolicy): string {
  if (policy === 'public') return 'public';
  if (policy === 'authenticated') return 'authenticated';
  if (policy === 'signed-institution') return 'signed-institution';
  return `roles:${policy.roles.join('|')}`;
}
