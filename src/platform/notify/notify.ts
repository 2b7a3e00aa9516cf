import { sql } from 'kysely';
import type { DatabaseHandle, Db } from '../db/index.ts';

/**
 * 变更通知 (change notifications) between app instances (DESIGN §4 "Scale"): a use case calls `notify`
 * inside its transaction — PostgreSQL delivers the notification when, and only if, the transaction
 * commits — and every instance that `subscribe`d to the channel hears it: through a dedicated LISTEN
 * connection on a server, through PGlite's own listener on the embedded database. Notifications carry a
 * small JSON payload (what changed, not the data): listeners read the state from the database.
 */

/** PostgreSQL's limit is 8000 bytes; we keep well under it. */
export const MAX_NOTIFY_BYTES = 4000;
const CHANNEL = /^ggzy_[a-z0-9_]{1,58}$/;

function assertChannel(channel: string): void {
  if (!CHANNEL.test(channel)) {
    throw new RangeError(`notification channel must match ${CHANNEL}: ${JSON.stringify(channel)}`);
  }
}

/** Queues a notification in the caller's transaction: sent at commit, dropped on rollback. */
export async function notify<T>(tx: Db<T>, channel: string, payload: unknown): Promise<void> {
  assertChannel(channel);
  const text = JSON.stringify(payload ?? null);
  if (Buffer.byteLength(text) > MAX_NOTIFY_BYTES) {
    throw new RangeError(`notification payload over ${MAX_NOTIFY_BYTES} bytes on ${channel}`);
  }
  await sql`select pg_notify(${channel}, ${text})`.execute(tx);
}

/**
 * Queues several notifications on one channel with one statement (a writer that commits many changes in
 * one transaction), delivered in the order given.
 */
export async function notifyMany<T>(tx: Db<T>, channel: string, payloads: readonly unknown[]): Promise<void> {
  assertChannel(channel);
  if (payloads.length === 0) return;
  const texts = payloads.map((payload) => {
    const text = JSON.stringify(payload ?? null);
    if (Buffer.byteLength(text) > MAX_NOTIFY_BYTES) {
      throw new RangeError(`notification payload over ${MAX_NOTIFY_BYTES} bytes on ${channel}`);
    }
    return text;
  });
  await sql`select ${sql.join(texts.map((text) => sql`pg_notify(${channel}, ${text})`))}`.execute(tx);
}

export interface NotifyLogger {
  warn(obj: object, msg: string): void;
}

export interface Subscription {
  /** Called with each payload (parsed JSON). */
  onMessage(payload: unknown): void;
  /** Called when notifications may have been missed (the listening connection was lost and is back). */
  onResync?(): void;
}

export interface Notifier {
  /** Subscribes to a channel; resolves once the instance listens. The result unsubscribes. */
  subscribe(channel: string, subscription: Subscription): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * One LISTEN per channel per instance, shared by all local subscribers (e.g. every WebSocket of the
 * opening hall on this instance).
 */
export function createNotifier(
  database: Pick<DatabaseHandle<unknown>, 'listen'>,
  logger?: NotifyLogger,
): Notifier {
  const channels = new Map<string, { subscribers: Set<Subscription>; ready: Promise<() => Promise<void>> }>();
  let closed = false;

  const deliver = (channel: string, text: string) => {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      logger?.warn({ err: error, channel }, 'notification payload is not JSON; ignored');
      return;
    }
    for (const subscriber of channels.get(channel)?.subscribers ?? []) {
      try {
        subscriber.onMessage(payload);
      } catch (error) {
        logger?.warn({ err: error, channel }, 'notification subscriber failed');
      }
    }
  };
  const resync = (channel: string) => {
    for (const subscriber of channels.get(channel)?.subscribers ?? []) {
      try {
        subscriber.onResync?.();
      } catch (error) {
        logger?.warn({ err: error, channel }, 'notification subscriber failed to resync');
      }
    }
  };

  return {
    async subscribe(channel, subscription) {
      assertChannel(channel);
      if (closed) throw new Error('notifier is closed');
      let entry = channels.get(channel);
      if (!entry) {
        const created = {
          subscribers: new Set<Subscription>(),
          ready: database.listen(
            channel,
            (text) => deliver(channel, text),
            () => resync(channel),
          ),
        };
        channels.set(channel, created);
        entry = created;
        created.ready.catch(() => {
          if (channels.get(channel) === created) channels.delete(channel);
        });
      }
      entry.subscribers.add(subscription);
      try {
        await entry.ready;
      } catch (error) {
        entry.subscribers.delete(subscription);
        throw error;
      }
      const held = entry;
      return async () => {
        held.subscribers.delete(subscription);
        if (held.subscribers.size === 0 && channels.get(channel) === held) {
          channels.delete(channel);
          const unlisten = await held.ready;
          await unlisten();
        }
      };
    },
    async close() {
      closed = true;
      const all = [...channels.values()];
      channels.clear();
      for (const entry of all) {
        entry.subscribers.clear();
        const unlisten = await entry.ready.catch(() => null);
        if (unlisten) await unlisten();
      }
    },
  };
}
