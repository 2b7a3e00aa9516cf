import type { FastifyRequest } from 'fastify';
import type { WitnessOrigin } from '../witness/index.ts';

/** Who is acting and from where, for the witness log (DESIGN §4). */
export function originOf(request: FastifyRequest): WitnessOrigin {
  const fingerprint = request.headers['x-client-fingerprint'];
  const userAgent = request.headers['user-agent'];
  return {
    accountId: request.actor?.accountId ?? null,
    organizationId: request.actor?.organizationId ?? null,
    role: request.actingRole,
    ip: request.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
    clientFingerprint: typeof fingerprint === 'string' ? fingerprint.slice(0, 256) : null,
    requestId: String(request.id),
  };
}
