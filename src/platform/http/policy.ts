import type { Role } from '../identity/roles.ts';

/**
 * Every route declares who may call it (deny by default, DESIGN §4 "Security"). The HTTP layer refuses
 * to register a route without one, and checks it before the handler runs. Finer checks (this bidder's
 * own bid, this agency's project) belong to the use case's policy.
 *   'public'         anyone, including the anonymous portal visitor
 *   'authenticated'  any signed-in account
 *   { roles: [...] } a signed-in account holding at least one of these roles
 *   'signed-request' no session: an SM2-signed request by a registered caller — a financial institution
 *                    (银行到账通知, 电子保函, src/trading/deposits) or a third-party trading system
 *                    (src/service/interfaces) — which the route verifies before its handler runs
 */
export type RoutePolicy = 'public' | 'authenticated' | 'signed-request' | { roles: readonly Role[] };

export function describePolicy(policy: RoutePolicy): string {
  if (policy === 'public') return 'public';
  if (policy === 'authenticated') return 'authenticated';
  if (policy === 'signed-request') return 'signed-request';
  return `roles:${policy.roles.join('|')}`;
}
