import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf, SESSION_COOKIE } from '../../platform/http/index.ts';
import type { SessionLookup } from '../../platform/identity/index.ts';
import type { Notifier } from '../../platform/notify/index.ts';
import type { AuctionContext } from './engine.ts';
import { AuctionLiveHub, type AuctionLiveOptions, type LiveSocket } from './live.ts';

export interface AuctionLiveRouteDeps {
  db: AuctionContext['db'];
  clock: Clock;
  sealer: AuctionContext['sealer'];
  eligibility: AuctionContext['eligibility'];
  notifier: Notifier;
  /** Looks a session up again before a socket's bids (main.ts: the identity module). */
  authenticate?: (token: string) => Promise<SessionLookup>;
  options?: Partial<AuctionLiveOptions>;
}

const LiveParams = z.object({ id: z.string().min(1).max(100).describe('竞价项目编号') });
const LiveQuery = z.object({
  since: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('断线重连：客户端已收到的最后一次出价序号，只补发其后的出价'),
});

/**
 * 竞价大厅 WebSocket (docs/auctions-live.md): anyone may watch (the bids are anonymised); a signed-in
 * responder registered for the auction may also bid over the socket. Returns the instance's hub.
 */
export async function registerAuctionLiveRoutes(
  app: HttpServer,
  deps: AuctionLiveRouteDeps,
): Promise<AuctionLiveHub> {
  if (!app.hasDecorator('websocketServer')) {
    await app.register(websocket, { options: { maxPayload: 4096 } });
  }
  const authenticate = deps.authenticate;
  const hub = new AuctionLiveHub({
    notifier: deps.notifier,
    log: app.log,
    context: (actor, origin) => ({
      db: deps.db,
      clock: deps.clock,
      actor,
      origin,
      sealer: deps.sealer,
      eligibility: deps.eligibility,
    }),
    ...(authenticate ? { sessionValid: async (token: string) => (await authenticate(token)).ok } : {}),
    ...(deps.options ? { options: deps.options } : {}),
  });
  app.addHook('onClose', async () => {
    await hub.close();
  });

  app.get(
    '/api/auctions/:id/live',
    {
      websocket: true,
      schema: {
        tags: ['竞价交易'],
        summary:
          '竞价大厅实时画面（WebSocket）：当前价、倒计时、匿名出价记录；已报名的竞买人可在此出价；since 续传',
        params: LiveParams,
        querystring: LiveQuery,
      },
      config: { policy: 'public' },
    },
    (socket, req) => {
      const { id } = req.params as z.infer<typeof LiveParams>;
      const { since } = req.query as z.infer<typeof LiveQuery>;
      void hub.join({
        auctionId: id,
        since: since ?? null,
        socket: socket as unknown as LiveSocket,
        actor: req.actor,
        origin: originOf(req),
        token: tokenOf(req),
      });
    },
  );

  return hub;
}

function tokenOf(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  return req.cookies[SESSION_COOKIE] ?? null;
}
