import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { Notifier } from '../../platform/notify/index.ts';
import type { WitnessOrigin } from '../../platform/witness/index.ts';
import { BIDS_NOTIFICATION } from './bid-writer.ts';
import {
  AUCTION_CHANNEL,
  type AuctionContext,
  type BidAck,
  type PublicBid,
  placeBid,
  type RoomView,
  readRoom,
} from './engine.ts';

/**
 * 竞价大厅实时画面 (the live room): every committed bid notifies AUCTION_CHANNEL with the public bid; each
 * app instance LISTENs once and fans the bid out to its own sockets of that auction. The frame is built
 * (JSON.stringify and UTF-8 encoding) once per auction per flush and the same bytes go to every socket;
 * a socket that does not read (its unsent bytes over `maxBufferedBytes`) is closed with 4008 客户端过慢 and
 * never slows the others. docs/auctions-live.md describes the protocol:
 *
 * server → client
 *   { type: 'snapshot', room, resumed }                 on connect (resumed: `room.bids` are exactly the
 *                                                         bids after `since`; otherwise the last ones kept)
 *   { type: 'bid', seq, bid, currentPriceYuan, countdownEndsAt }      one new bid
 *   { type: 'bids', fromSeq, seq, items: [{ seq, bid, currentPriceYuan, countdownEndsAt }…] }
 *                                                         several bids of one flush, in order
 *   { type: 'phase', room }                             status / phase / step / countdown changed
 *   { type: 'ack', requestId, ack } | { type: 'reject', requestId, status, code, title, detail?, citation? }
 *   { type: 'pong', id?, serverTime }
 *   { type: 'error', code, title }                      then the socket closes (4000 + HTTP status)
 * client → server
 *   { type: 'bid', requestId, amountYuan, kind? }       a registered bidder's bid (placeBid)
 *   { type: 'ping', id? }
 */

/** What the hub uses of a server-side WebSocket (ws 8 through @fastify/websocket). */
export interface LiveSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Buffer | string, options: { binary: boolean }): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(event: 'message', listener: (data: Buffer | string, isBinary: boolean) => void): void;
  on(event: 'close' | 'pong', listener: () => void): void;
}

export interface LiveLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AuctionLiveOptions {
  /** Unsent bytes a socket may hold before it counts as too slow and is dropped (4008). */
  maxBufferedBytes: number;
  /**
   * Least time between two broadcasts of one auction: bids arriving meanwhile share one frame. The hub
   * stretches it (up to `maxFlushIntervalMs`) so that all its sockets together get at most
   * `framesPerSecond` frames: a busy instance batches more instead of falling behind.
   */
  flushIntervalMs: number;
  maxFlushIntervalMs: number;
  framesPerSecond: number;
  /** Sockets of each room written in one turn of the event loop during a flush (then other work gets its turn). */
  flushSlice: number;
  /** A ws ping every interval; a socket that has not answered the previous one is terminated. 0: off. */
  heartbeatMs: number;
  /** After the 4008 close frame, how long a dropped socket may take to close before it is terminated. */
  closeGraceMs: number;
  /** Client messages: a token bucket per socket (bursts of `burst`, refilled at `perSecond`). */
  messageBurst: number;
  messagesPerSecond: number;
  /** Bids of one socket waiting for their turn (they are placed one after another, in order). */
  maxQueuedBids: number;
  /** A bidder's session is looked up again before a bid when the last check is older than this. */
  sessionRecheckMs: number;
}

export const DEFAULT_LIVE_OPTIONS: AuctionLiveOptions = {
  maxBufferedBytes: 256 * 1024,
  flushIntervalMs: 5,
  maxFlushIntervalMs: 50,
  framesPerSecond: 100_000,
  flushSlice: 100,
  heartbeatMs: 30_000,
  closeGraceMs: 5_000,
  messageBurst: 40,
  messagesPerSecond: 20,
  maxQueuedBids: 8,
  sessionRecheckMs: 30_000,
};

export const CLOSE_TOO_SLOW = 4008;
export const CLOSE_TOO_MANY_MESSAGES = 4029;
const OPEN = 1;

export interface LiveHubDeps {
  notifier: Notifier;
  log: LiveLogger;
  /** The use-case context of a connection (actor null: a public watcher). */
  context(actor: Actor | null, origin: WitnessOrigin): AuctionContext;
  /** Whether a connection's session still holds (logout, revocation, expiry end bidding on open sockets). */
  sessionValid?(token: string): Promise<boolean>;
  options?: Partial<AuctionLiveOptions>;
}

export interface LiveJoin {
  auctionId: string;
  /** The last seq the client has (reconnect); null: a fresh room. */
  since: number | null;
  socket: LiveSocket;
  actor: Actor | null;
  origin: WitnessOrigin;
  /** The session token the socket was opened with (re-checked before bids). */
  token: string | null;
}

/** One bid as the room shows it, with the auction state right after it. */
interface BidEvent {
  seq: number;
  bid: PublicBid;
  currentPriceYuan: string | null;
  countdownEndsAt: string | null;
}

interface Connection {
  readonly auctionId: string;
  readonly socket: LiveSocket;
  readonly actor: Actor | null;
  readonly origin: WitnessOrigin;
  readonly token: string | null;
  /** The last seq this socket has (snapshot or frames). */
  sentSeq: number;
  /** While the snapshot is read: the bids broadcast meanwhile, delivered after it; null once live. */
  early: BidEvent[] | null;
  /** A phase frame went out while the snapshot was read. */
  phaseMissed: boolean;
  alive: boolean;
  closed: boolean;
  tokens: number;
  refilledAt: number;
  bids: Promise<void>;
  queuedBids: number;
  sessionCheckedAt: number;
}

interface Room {
  readonly auctionId: string;
  readonly connections: Set<Connection>;
  /** The last seq fanned out (or known from a snapshot); -1 before the first. */
  lastSeq: number;
  pending: BidEvent[];
  /** Cancels the scheduled flush; null when none is scheduled. */
  timer: (() => void) | null;
  lastFlushAt: number;
  /** A flush is writing its slices. */
  flushing: boolean;
  /** A re-read of the room (missed notifications, a state change) is under way. */
  refreshing: boolean;
  refreshAgain: boolean;
  stateChanged: boolean;
  held: BidEvent[];
}

/** One flush being written: the room's sockets when it began, and how far it got. */
interface FanOut {
  room: Room;
  targets: Connection[];
  next: number;
  events: BidEvent[];
  frame: Buffer;
}

export class AuctionLiveHub {
  readonly options: AuctionLiveOptions;
  readonly #deps: LiveHubDeps;
  readonly #rooms = new Map<string, Room>();
  #subscribed: Promise<() => Promise<void>> | null = null;
  /** Flushes being written, oldest first (#pump). */
  readonly #fanOutQueue: FanOut[] = [];
  #pumpScheduled = false;
  /** Sockets in all rooms of this instance. */
  #sockets = 0;
  #heartbeat: NodeJS.Timeout | null = null;
  #closed = false;
  /** Figures for operations and the bench. */
  readonly stats = { framesBuilt: 0, framesSent: 0, dropped: 0, resyncs: 0 };

  constructor(deps: LiveHubDeps) {
    this.#deps = deps;
    this.options = { ...DEFAULT_LIVE_OPTIONS, ...deps.options };
  }

  /** Subscribes this instance to the auction channel (once) and starts the heartbeat. */
  start(): Promise<unknown> {
    if (!this.#subscribed) {
      this.#subscribed = this.#deps.notifier.subscribe(AUCTION_CHANNEL, {
        onMessage: (payload) => this.#onNotification(payload),
        // The LISTEN connection was lost and is back: anything may have been missed.
        onResync: () => {
          for (const room of this.#rooms.values()) this.#refresh(room, true);
        },
      });
      if (this.options.heartbeatMs > 0) {
        this.#heartbeat = setInterval(() => this.#beat(), this.options.heartbeatMs);
        this.#heartbeat.unref();
      }
    }
    return this.#subscribed;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#fanOutQueue.length = 0;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    for (const room of this.#rooms.values()) {
      room.timer?.();
      for (const connection of room.connections) connection.socket.terminate();
    }
    this.#rooms.clear();
    this.#sockets = 0;
    const unsubscribe = await this.#subscribed?.catch(() => null);
    if (unsubscribe) await unsubscribe();
  }

  /** Sockets on this instance (all auctions, or one). */
  size(auctionId?: string): number {
    if (auctionId) return this.#rooms.get(auctionId)?.connections.size ?? 0;
    let n = 0;
    for (const room of this.#rooms.values()) n += room.connections.size;
    return n;
  }

  /**
   * Takes a socket into its auction's room. Listeners are attached before anything is awaited, so no
   * message the client sends right after the upgrade is lost.
   */
  async join(input: LiveJoin): Promise<void> {
    const now = performance.now();
    const connection: Connection = {
      auctionId: input.auctionId,
      socket: input.socket,
      actor: input.actor,
      origin: input.origin,
      token: input.token,
      sentSeq: -1,
      early: [],
      phaseMissed: false,
      alive: true,
      closed: false,
      tokens: this.options.messageBurst,
      refilledAt: now,
      bids: Promise.resolve(),
      queuedBids: 0,
      sessionCheckedAt: now,
    };
    const room = this.#roomOf(input.auctionId);
    room.connections.add(connection);
    this.#sockets++;
    input.socket.on('close', () => this.#forget(connection));
    input.socket.on('pong', () => {
      connection.alive = true;
    });
    input.socket.on('message', (data, isBinary) => this.#onClientMessage(connection, data, isBinary));
    try {
      await this.start();
      await this.#snapshot(connection, input.since);
    } catch (error) {
      this.#fail(connection, error, 'auction live join failed');
    }
  }

  // ---- fan-out ----

  #roomOf(auctionId: string): Room {
    let room = this.#rooms.get(auctionId);
    if (!room) {
      room = {
        auctionId,
        connections: new Set(),
        lastSeq: -1,
        pending: [],
        timer: null,
        lastFlushAt: 0,
        flushing: false,
        refreshing: false,
        refreshAgain: false,
        stateChanged: false,
        held: [],
      };
      this.#rooms.set(auctionId, room);
    }
    return room;
  }

  #forget(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    this.#sockets--;
    const room = this.#rooms.get(connection.auctionId);
    if (!room) return;
    room.connections.delete(connection);
    if (room.connections.size === 0) {
      room.timer?.();
      this.#rooms.delete(connection.auctionId);
    }
  }

  #onNotification(payload: unknown): void {
    if (this.#closed || typeof payload !== 'object' || payload === null) return;
    const message = payload as Record<string, unknown>;
    // A group commit's bids, of any auctions, in the order of record.
    if (message.kind === BIDS_NOTIFICATION && Array.isArray(message.items)) {
      for (const item of message.items) this.#onNotification(item);
      return;
    }
    if (typeof message.auctionId !== 'string') return;
    const room = this.#rooms.get(message.auctionId);
    if (!room) return; // nobody watches this auction on this instance
    if (message.kind === 'state') {
      this.#refresh(room, true);
      return;
    }
    const event = bidEventOf(message);
    if (!event) {
      this.#deps.log.warn({ auctionId: room.auctionId }, 'auction notification without a bid; room re-read');
      this.#refresh(room, true);
      return;
    }
    if (room.refreshing) room.held.push(event);
    else this.#accept(room, event);
  }

  /** Takes the next bid in seq order; a gap (missed notifications) re-reads the room from the database. */
  #accept(room: Room, event: BidEvent): void {
    if (room.lastSeq >= 0 && event.seq <= room.lastSeq) return; // already fanned out
    if (room.lastSeq >= 0 && event.seq > room.lastSeq + 1) {
      room.held.push(event);
      this.#refresh(room, false);
      return;
    }
    room.pending.push(event);
    room.lastSeq = event.seq;
    this.#scheduleFlush(room);
  }

  #scheduleFlush(room: Room): void {
    if (room.timer) return;
    const wait = room.lastFlushAt + this.#flushInterval() - performance.now();
    if (wait > 0) {
      const timeout = setTimeout(() => this.#flush(room), wait);
      room.timer = () => clearTimeout(timeout);
    } else {
      const immediate = setImmediate(() => this.#flush(room));
      room.timer = () => clearImmediate(immediate);
    }
  }

  /** 5 000 sockets at 100 000 frames/s: one flush per auction every 50 ms; a few sockets: every 5 ms. */
  #flushInterval(): number {
    const { flushIntervalMs, maxFlushIntervalMs, framesPerSecond } = this.options;
    const spread = (this.#sockets * 1000) / framesPerSecond;
    return Math.min(maxFlushIntervalMs, Math.max(flushIntervalMs, spread));
  }

  /**
   * Sends the pending bids to every socket of the room, `flushSlice` sockets per turn of the event loop
   * (#pump), so that bids, their database round trips and acks are never held up behind whole rooms'
   * writes; a room's next flush waits for the last one to finish (frames stay in order).
   */
  #flush(room: Room): void {
    room.timer = null;
    if (room.flushing) return; // picked up when the current flush ends
    const events = room.pending;
    if (events.length === 0) return;
    room.pending = [];
    room.lastFlushAt = performance.now();
    const frame = encode(frameOf(events));
    this.stats.framesBuilt++;
    room.flushing = true;
    this.#fanOutQueue.push({ room, targets: [...room.connections], next: 0, events, frame });
    this.#pump();
  }

  /**
   * Writes the next `flushSlice` sockets of every flush under way (the rooms progress together, none
   * waits for another's whole flush), then lets the event loop turn.
   */
  #pump(): void {
    if (this.#pumpScheduled) return;
    const queue = this.#fanOutQueue;
    for (let t = 0; t < queue.length && !this.#closed; ) {
      const task = queue[t] as FanOut;
      const end = Math.min(task.targets.length, task.next + this.options.flushSlice);
      for (let i = task.next; i < end; i++)
        this.#fanOut(task.targets[i] as Connection, task.events, task.frame);
      task.next = end;
      if (end < task.targets.length) {
        t++;
        continue;
      }
      queue.splice(t, 1);
      task.room.flushing = false;
      if (task.room.pending.length > 0) this.#scheduleFlush(task.room);
    }
    if (queue.length > 0 && !this.#closed) {
      this.#pumpScheduled = true;
      setImmediate(() => {
        this.#pumpScheduled = false;
        this.#pump();
      });
    }
  }

  #fanOut(connection: Connection, events: BidEvent[], frame: Buffer): void {
    const first = (events[0] as BidEvent).seq;
    const last = (events[events.length - 1] as BidEvent).seq;
    if (connection.closed) return;
    if (connection.early) {
      connection.early.push(...events);
      return;
    }
    if (last <= connection.sentSeq) return;
    if (first === connection.sentSeq + 1) {
      this.#send(connection, frame);
      connection.sentSeq = last;
    } else if (first <= connection.sentSeq) {
      // Joined in the middle of this flush: only the bids it lacks (rare, after a snapshot).
      this.#deliver(connection, events);
    } else {
      // This socket missed bids (cannot happen while the room is contiguous): resume it from its seq.
      this.#rejoin(connection);
    }
  }

  /** Sends the bids after the socket's seq in a frame of its own. */
  #deliver(connection: Connection, events: BidEvent[]): void {
    const fresh = events.filter((e) => e.seq > connection.sentSeq);
    if (fresh.length === 0) return;
    if ((fresh[0] as BidEvent).seq !== connection.sentSeq + 1) {
      this.#rejoin(connection);
      return;
    }
    this.#send(connection, encode(frameOf(fresh)));
    connection.sentSeq = (fresh[fresh.length - 1] as BidEvent).seq;
  }

  /** Re-reads the room (from the room's last seq) after missed notifications or a state change. */
  #refresh(room: Room, stateChanged: boolean): void {
    room.stateChanged ||= stateChanged;
    if (room.refreshing) {
      room.refreshAgain = true;
      return;
    }
    room.refreshing = true;
    this.stats.resyncs++;
    void this.#reread(room);
  }

  async #reread(room: Room): Promise<void> {
    try {
      do {
        room.refreshAgain = false;
        const stateChanged = room.stateChanged;
        room.stateChanged = false;
        if (room.lastSeq < 0) room.lastSeq = lowestSeq(room);
        // A state change shows the whole (kept) history again; missed bids need only what came after.
        const view = await readRoom(this.#context(null), room.auctionId, {
          sinceSeq: stateChanged || room.lastSeq < 0 ? null : room.lastSeq,
        });
        for (const bid of view.bids) {
          if (bid.seq <= room.lastSeq) continue;
          const latest = bid.seq === view.seq;
          room.pending.push({
            seq: bid.seq,
            bid,
            // After a bid (or a match at it) the current price is its amount.
            currentPriceYuan: latest ? view.currentPriceYuan : bid.amountYuan,
            countdownEndsAt: latest ? view.countdownEndsAt : null,
          });
          room.lastSeq = bid.seq;
        }
        // Bids the room does not show (a sealed round) still move the sequence on.
        if (view.seq > room.lastSeq) room.lastSeq = view.seq;
        if (room.pending.length > 0) {
          room.timer?.();
          this.#flush(room);
        }
        if (stateChanged) this.#broadcastPhase(room, view);
      } while (room.refreshAgain);
    } catch (error) {
      this.#deps.log.warn({ err: error, auctionId: room.auctionId }, 'auction room re-read failed');
    } finally {
      room.refreshing = false;
      const held = room.held.sort((a, b) => a.seq - b.seq);
      room.held = [];
      for (const event of held) {
        if (room.refreshing) room.held.push(event);
        else this.#accept(room, event);
      }
    }
  }

  /**
   * The room after a state change: one shared frame for the anonymous watchers; a signed-in socket reads
   * its own (its 竞买号 and next valid amounts), which happens only at phase changes.
   */
  #broadcastPhase(room: Room, view: RoomView): void {
    const frame = encode({ type: 'phase', room: view });
    this.stats.framesBuilt++;
    for (const connection of room.connections) {
      if (connection.early) connection.phaseMissed = true;
      else if (connection.actor) void this.#personalPhase(connection);
      else {
        this.#send(connection, frame);
        connection.sentSeq = Math.max(connection.sentSeq, topSeq(view));
      }
    }
  }

  async #personalPhase(connection: Connection): Promise<void> {
    try {
      const view = await readRoom(this.#context(connection.actor, connection.origin), connection.auctionId, {
        sinceSeq: null,
      });
      if (connection.early) {
        connection.phaseMissed = true;
        return;
      }
      this.#send(connection, encode({ type: 'phase', room: view }));
      connection.sentSeq = Math.max(connection.sentSeq, topSeq(view));
    } catch (error) {
      this.#deps.log.warn({ err: error, auctionId: connection.auctionId }, 'auction room re-read failed');
    }
  }

  // ---- one socket ----

  async #snapshot(connection: Connection, since: number | null): Promise<void> {
    const ctx = this.#context(connection.actor, connection.origin);
    let view = await readRoom(ctx, connection.auctionId, { sinceSeq: since });
    if (connection.closed) return;
    if (since !== null && since > topSeq(view)) throw new StaleSequence(since, topSeq(view));
    const resumed = since !== null && isContinuation(view, since);
    if (since !== null && !resumed) {
      // Older than what the room keeps: the whole (kept) history instead.
      view = await readRoom(ctx, connection.auctionId, { sinceSeq: null });
      if (connection.closed) return;
    }
    // The room's own seq follows the notifications only: those of bids this snapshot already shows may
    // still be on their way, and the sockets that joined earlier need them.
    this.#send(connection, encode({ type: 'snapshot', room: view, resumed }));
    connection.sentSeq = topSeq(view);
    const early = connection.early ?? [];
    connection.early = null;
    if (early.length > 0) this.#deliver(connection, early);
    if (connection.phaseMissed) {
      connection.phaseMissed = false;
      await this.#personalPhase(connection);
    }
  }

  /** Takes a socket that fell out of step back to its last seq (a fresh snapshot with `since`). */
  #rejoin(connection: Connection): void {
    if (connection.early) return;
    connection.early = [];
    this.stats.resyncs++;
    this.#snapshot(connection, connection.sentSeq >= 0 ? connection.sentSeq : null).catch((error) =>
      this.#fail(connection, error, 'auction live resume failed'),
    );
  }

  #send(connection: Connection, frame: Buffer): void {
    const socket = connection.socket;
    if (connection.closed || socket.readyState !== OPEN) return;
    if (socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.#drop(connection);
      return;
    }
    socket.send(frame, { binary: false });
    this.stats.framesSent++;
  }

  /** 客户端过慢: closed without waiting for it, so the room's other sockets never wait either. */
  #drop(connection: Connection): void {
    this.stats.dropped++;
    this.#forget(connection);
    connection.socket.close(CLOSE_TOO_SLOW, '客户端过慢');
    setTimeout(() => connection.socket.terminate(), this.options.closeGraceMs).unref();
  }

  #fail(connection: Connection, error: unknown, what: string): void {
    const problem =
      error instanceof AppError
        ? { code: error.code, title: error.title, status: error.status }
        : { code: 'LIVE_FAILED', title: '竞价大厅暂时无法进入，请稍后重试', status: 500 };
    if (!(error instanceof AppError)) {
      this.#deps.log.error({ err: error, auctionId: connection.auctionId }, what);
    }
    if (connection.socket.readyState === OPEN) {
      connection.socket.send(encode({ type: 'error', code: problem.code, title: problem.title }), {
        binary: false,
      });
      connection.socket.close(4000 + Math.min(problem.status, 999), problem.code);
    }
    this.#forget(connection);
  }

  #beat(): void {
    for (const room of this.#rooms.values()) {
      for (const connection of room.connections) {
        if (!connection.alive) {
          connection.socket.terminate();
          this.#forget(connection);
          continue;
        }
        connection.alive = false;
        if (connection.socket.readyState === OPEN) connection.socket.ping();
      }
    }
  }

  #onClientMessage(connection: Connection, data: Buffer | string, isBinary: boolean): void {
    if (connection.closed) return;
    if (!this.#takeToken(connection)) {
      this.#send(connection, encode({ type: 'error', code: 'TOO_MANY_MESSAGES', title: '消息过于频繁' }));
      this.#forget(connection);
      connection.socket.close(CLOSE_TOO_MANY_MESSAGES, 'TOO_MANY_MESSAGES');
      return;
    }
    const message = isBinary ? null : parseClientMessage(String(data));
    if (!message) {
      this.#send(
        connection,
        encode({ type: 'error', code: 'BAD_MESSAGE', title: '无法识别的消息', detail: CLIENT_MESSAGE_HINT }),
      );
      return;
    }
    if (message.type === 'ping') {
      const serverTime = this.#context(null).clock.now().toISOString();
      this.#send(connection, encode({ type: 'pong', ...(message.id ? { id: message.id } : {}), serverTime }));
      return;
    }
    if (connection.queuedBids >= this.options.maxQueuedBids) {
      this.#send(
        connection,
        encode({
          type: 'reject',
          requestId: message.requestId,
          status: 429,
          code: 'TOO_MANY_PENDING_BIDS',
          title: '出价尚在处理中，请等待上一次出价的结果',
        }),
      );
      return;
    }
    connection.queuedBids++;
    connection.bids = connection.bids.then(async () => {
      try {
        const ack = await this.#placeBid(connection, message);
        this.#send(connection, encode({ type: 'ack', requestId: message.requestId, ack }));
      } catch (error) {
        this.#send(connection, encode(rejectionOf(message.requestId, error, this.#deps.log)));
      } finally {
        connection.queuedBids--;
      }
    });
  }

  async #placeBid(connection: Connection, message: ClientBid): Promise<BidAck> {
    const actor = connection.actor;
    if (!actor) {
      throw new AppError(401, 'AUTH_REQUIRED', {
        title: '请先登录',
        detail: '出价须以竞买人账号登录后进入竞价大厅。',
      });
    }
    if (!actor.roles.includes('responder')) {
      throw new AppError(403, 'ROLE_FORBIDDEN', {
        title: '无权出价',
        detail: '只有竞买人（项目响应方）可以出价。',
      });
    }
    if (
      connection.token &&
      this.#deps.sessionValid &&
      performance.now() - connection.sessionCheckedAt > this.options.sessionRecheckMs
    ) {
      if (!(await this.#deps.sessionValid(connection.token))) {
        throw new AppError(401, 'SESSION_REVOKED', { title: '登录已失效', detail: '请重新登录后再出价。' });
      }
      connection.sessionCheckedAt = performance.now();
    }
    const origin: WitnessOrigin = {
      ...connection.origin,
      role: 'responder',
      requestId: `${connection.origin.requestId ?? 'ws'}/${message.requestId}`.slice(0, 200),
    };
    return placeBid(this.#context(actor, origin), {
      auctionId: connection.auctionId,
      amountYuan: message.amountYuan,
      ...(message.kind ? { kind: message.kind } : {}),
    });
  }

  #takeToken(connection: Connection): boolean {
    const now = performance.now();
    const { messageBurst, messagesPerSecond } = this.options;
    connection.tokens = Math.min(
      messageBurst,
      connection.tokens + ((now - connection.refilledAt) / 1000) * messagesPerSecond,
    );
    connection.refilledAt = now;
    if (connection.tokens < 1) return false;
    connection.tokens -= 1;
    return true;
  }

  #context(actor: Actor | null, origin?: WitnessOrigin): AuctionContext {
    return this.#deps.context(actor, origin ?? SYSTEM_VIEW_ORIGIN);
  }
}

const SYSTEM_VIEW_ORIGIN: WitnessOrigin = {
  accountId: null,
  organizationId: null,
  role: null,
  ip: null,
  userAgent: null,
  clientFingerprint: null,
  requestId: null,
};

/** The client asked to resume from a seq the auction has not reached. */
export class StaleSequence extends AppError {
  constructor(since: number, seq: number) {
    super(409, 'STALE_SEQUENCE', {
      title: '续传序号无效',
      detail: `客户端声明已收到第 ${since} 次出价，本场竞价目前只有 ${seq} 次出价；请不带 since 重新连接。`,
    });
  }
}

// ---- frames ----

function encode(message: unknown): Buffer {
  return Buffer.from(JSON.stringify(message));
}

function frameOf(events: BidEvent[]): unknown {
  if (events.length === 1) {
    const [event] = events as [BidEvent];
    return { type: 'bid', ...event };
  }
  return {
    type: 'bids',
    fromSeq: (events[0] as BidEvent).seq,
    seq: (events[events.length - 1] as BidEvent).seq,
    items: events,
  };
}

/** Where a room without a notification yet stands: the lowest seq its live sockets have. */
function lowestSeq(room: Room): number {
  let lowest = -1;
  for (const connection of room.connections) {
    if (connection.early || connection.sentSeq < 0) continue;
    if (lowest < 0 || connection.sentSeq < lowest) lowest = connection.sentSeq;
  }
  return lowest;
}

/**
 * The highest seq a view shows: the row's, or a bid's that committed between reading the row and the bids
 * (the room is read with separate statements).
 */
function topSeq(view: RoomView): number {
  const last = view.bids[view.bids.length - 1];
  return Math.max(view.seq, last ? last.seq : -1);
}

/** Whether a view read with `sinceSeq: since` holds every bid after `since` (not only the last ones kept). */
function isContinuation(view: RoomView, since: number): boolean {
  const first = view.bids[0];
  return first ? first.seq === since + 1 : topSeq(view) === since;
}

function bidEventOf(message: Record<string, unknown>): BidEvent | null {
  const { seq, pseudonym, amountYuan, at, phase } = message;
  if (typeof seq !== 'number' || !Number.isInteger(seq)) return null;
  if (typeof pseudonym !== 'string' || typeof amountYuan !== 'string' || typeof at !== 'string') return null;
  return {
    seq,
    bid: {
      seq,
      pseudonym,
      amountYuan,
      at,
      phase: typeof phase === 'string' ? phase : '',
      kind:
        typeof message.bidKind === 'string'
          ? message.bidKind
          : typeof message.kind === 'string'
            ? message.kind
            : 'bid',
    },
    currentPriceYuan: typeof message.currentPriceYuan === 'string' ? message.currentPriceYuan : null,
    countdownEndsAt: typeof message.countdownEndsAt === 'string' ? message.countdownEndsAt : null,
  };
}

// ---- client messages ----

interface ClientBid {
  type: 'bid';
  requestId: string;
  amountYuan: string;
  kind?: 'bid' | 'match';
}
type ClientMessage = ClientBid | { type: 'ping'; id?: string };

const CLIENT_MESSAGE_HINT =
  '支持的消息：{"type":"bid","requestId":"…","amountYuan":"1000.00"} 与 {"type":"ping"}。';
const REQUEST_ID = /^[\w.:-]{1,64}$/;
const AMOUNT = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;

function parseClientMessage(text: string): ClientMessage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const message = raw as Record<string, unknown>;
  if (message.type === 'ping') {
    const id = message.id;
    if (id !== undefined && (typeof id !== 'string' || !REQUEST_ID.test(id))) return null;
    return id ? { type: 'ping', id } : { type: 'ping' };
  }
  if (message.type === 'bid') {
    const { requestId, amountYuan, kind } = message;
    if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) return null;
    if (typeof amountYuan !== 'string' || !AMOUNT.test(amountYuan)) return null;
    if (kind !== undefined && kind !== 'bid' && kind !== 'match') return null;
    return kind ? { type: 'bid', requestId, amountYuan, kind } : { type: 'bid', requestId, amountYuan };
  }
  return null;
}

function rejectionOf(requestId: string, error: unknown, log: LiveLogger): unknown {
  if (error instanceof AppError) {
    return {
      type: 'reject',
      requestId,
      status: error.status,
      code: error.code,
      title: error.title,
      ...(error.detail ? { detail: error.detail } : {}),
      ...(error.citation ? { citation: error.citation } : {}),
    };
  }
  log.error({ err: error }, 'bid over the live socket failed');
  return { type: 'reject', requestId, status: 500, code: 'BID_FAILED', title: '出价暂时无法处理，请重试' };
}
