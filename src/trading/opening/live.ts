import type { WebSocket } from '@fastify/websocket';
import { AppError } from '../../platform/errors.ts';
import type { Notifier } from '../../platform/notify/index.ts';
import { audienceOf, OPENING_CHANNEL, type OpeningContext } from './context.ts';
import type { Viewer } from './policy.ts';
import { buildSnapshot } from './snapshot.ts';

/**
 * 开标大厅实时画面: every change of a hall commits a notification (context.announce); each instance
 * LISTENs once and refreshes its own sockets of that lot. Messages, server → client (JSON):
 *   { type: 'snapshot', snapshot }   on connect and after every change (coalesced per socket)
 *   { type: 'error', code, title }   when the snapshot cannot be built (the socket then closes)
 *   { type: 'pong', serverTime }     answer to { type: 'ping' }
 * A change before the reveal that concerns one bidder (its sign-in) carries that bidder's blind
 * reference: only its own sockets refresh, so no screen moves with another bidder's sign-in.
 */
export interface LiveConnection {
  lotId: string;
  viewer: Viewer;
  audience: string | null;
  socket: WebSocket;
  context: () => OpeningContext;
  timer: NodeJS.Timeout | null;
  building: boolean;
  again: boolean;
}

export interface LiveLogger {
  warn(obj: object, msg: string): void;
}

const COALESCE_MS = 40;

export class LiveHub {
  readonly #byLot = new Map<string, Set<LiveConnection>>();
  readonly #notifier: Notifier;
  readonly #log: LiveLogger;
  #subscribed: Promise<unknown> | null = null;

  constructor(notifier: Notifier, log: LiveLogger) {
    this.#notifier = notifier;
    this.#log = log;
  }

  /** Subscribes this instance to the hall channel (once). */
  start(): Promise<unknown> {
    this.#subscribed ??= this.#notifier.subscribe(OPENING_CHANNEL, {
      onMessage: (payload) => {
        const { lotId, audience } = (payload ?? {}) as { lotId?: unknown; audience?: unknown };
        if (typeof lotId !== 'string') return;
        for (const connection of this.#byLot.get(lotId) ?? []) {
          if (typeof audience === 'string' && connection.audience !== audience) continue;
          this.refresh(connection);
        }
      },
      onResync: () => {
        for (const set of this.#byLot.values()) for (const connection of set) this.refresh(connection);
      },
    });
    return this.#subscribed;
  }

  async add(input: Omit<LiveConnection, 'timer' | 'building' | 'again' | 'audience'>): Promise<void> {
    await this.start();
    const ctx = input.context();
    const connection: LiveConnection = {
      ...input,
      audience:
        input.viewer.kind === 'bidder'
          ? audienceOf(ctx.sealer, input.lotId, input.viewer.organizationId)
          : null,
      timer: null,
      building: false,
      again: false,
    };
    let set = this.#byLot.get(input.lotId);
    if (!set) {
      set = new Set();
      this.#byLot.set(input.lotId, set);
    }
    set.add(connection);
    input.socket.on('close', () => {
      if (connection.timer) clearTimeout(connection.timer);
      set.delete(connection);
      if (set.size === 0) this.#byLot.delete(input.lotId);
    });
    input.socket.on('message', (data: unknown) => {
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if ((message as { type?: unknown })?.type === 'ping') {
        send(connection.socket, { type: 'pong', serverTime: connection.context().clock.now().toISOString() });
      }
    });
    await this.#send(connection);
  }

  /** Number of sockets on this instance (for tests and operations). */
  get size(): number {
    let n = 0;
    for (const set of this.#byLot.values()) n += set.size;
    return n;
  }

  refresh(connection: LiveConnection): void {
    if (connection.timer) return;
    connection.timer = setTimeout(() => {
      connection.timer = null;
      if (connection.building) {
        connection.again = true;
        return;
      }
      void this.#send(connection);
    }, COALESCE_MS);
  }

  async #send(connection: LiveConnection): Promise<void> {
    connection.building = true;
    try {
      const snapshot = await buildSnapshot(connection.context(), connection.lotId, connection.viewer);
      send(connection.socket, { type: 'snapshot', snapshot });
    } catch (error) {
      if (error instanceof AppError) {
        send(connection.socket, { type: 'error', code: error.code, title: error.title });
        connection.socket.close(4000 + Math.min(error.status, 999), error.code);
      } else {
        this.#log.warn({ err: error, lotId: connection.lotId }, 'opening live snapshot failed');
        send(connection.socket, {
          type: 'error',
          code: 'SNAPSHOT_FAILED',
          title: '开标大厅画面暂时无法刷新',
        });
      }
    } finally {
      connection.building = false;
      if (connection.again) {
        connection.again = false;
        this.refresh(connection);
      }
    }
  }
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
