import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { InvalidInput } from '../errors.ts';

/** What a signed route needs to check a request: its method, target, exact body bytes and headers. */
export interface SignedRequestParts {
  method: string;
  /** Path and query exactly as sent. */
  target: string;
  body: Uint8Array;
  headers: FastifyRequest['headers'];
}

/**
 * Hooks for routes under the `'signed-request'` policy: the body's exact bytes are kept (the signature is
 * over them, not over the parsed JSON), capped at `maxBody`; before validation `authenticate` checks the
 * request and its answer (the verified caller) is remembered for the handler — `callerOf(req)`, and the
 * bytes with it — `rawBodyOf(req)`.
 * Spread `hooks` into each signed route's options.
 */
export function signedRouteHooks<Caller extends object>(opts: {
  maxBody: number;
  /** Chinese detail for a body over the cap. */
  tooLargeDetail: string;
  authenticate: (request: SignedRequestParts) => Promise<Caller>;
}) {
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  const callers = new WeakMap<FastifyRequest, Caller>();
  /** The exact bytes the signature covers (empty without a body). */
  const rawBodyOf = (req: FastifyRequest): Buffer => rawBodies.get(req) ?? Buffer.alloc(0);
  const hooks = {
    bodyLimit: opts.maxBody,
    preParsing: async (req: FastifyRequest, _reply: unknown, payload: NodeJS.ReadableStream) => {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of payload) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        size += buffer.length;
        if (size > opts.maxBody) {
          throw new InvalidInput('BODY_TOO_LARGE', { title: '请求体过大', detail: opts.tooLargeDetail });
        }
        chunks.push(buffer);
      }
      const body = Buffer.concat(chunks);
      rawBodies.set(req, body);
      return Object.assign(Readable.from([body]), { receivedEncodedLength: body.length });
    },
    // preParsing does not run without a body (GET); preValidation runs for every method after parsing.
    preValidation: async (req: FastifyRequest) => {
      const caller = await opts.authenticate({
        method: req.method,
        target: req.url,
        body: rawBodyOf(req),
        headers: req.headers,
      });
      callers.set(req, caller);
    },
  };
  const callerOf = (req: FastifyRequest): Caller => {
    const found = callers.get(req);
    if (!found) throw new Error('signed-request route reached without a verified caller');
    return found;
  };
  return { hooks, callerOf, rawBodyOf };
}
