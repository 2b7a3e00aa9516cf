/**
 * 开标大厅 (remote bid opening, §20): the API calls and the live view's WebSocket, reconnecting with
 * back-off. Messages from the server (src/trading/opening/live.ts): `snapshot`, `error`, `pong`.
 */
import { api } from './api.ts';

export type HallState =
  | 'scheduled'
  | 'check-in'
  | 'revealed'
  | 'decrypting'
  | 'fallback'
  | 'decrypted'
  | 'published'
  | 'closed'
  | 'failed';

export interface HallBidder {
  seq: number;
  bidId: string;
  bidderName: string;
  creditCode: string;
  signedIn: boolean;
  status: string;
  statusNameZh: string;
  attempts: number;
  lastError: string | null;
  notBidderCause: boolean;
  causeReason: string | null;
  settledReason: string | null;
  parts: { no: number; kind: string; name: string; status: string; error: string | null }[];
  confirmation: string | null;
}

export interface HallEntry {
  seq: number;
  bidId: string;
  bidderName: string;
  creditCode: string;
  priceYuan: string | null;
  fields: Record<string, string>;
  decryptedVia: 'bidder' | 'opening-key';
  recordedAt: string;
  voidReason: string | null;
}

export interface HallObjection {
  id: string;
  seq: number;
  bidderName: string;
  text: string;
  raisedAt: string;
  answer: string | null;
  answeredAt: string | null;
}

export interface HallSnapshot {
  lotId: string;
  serverTime: string;
  version: number;
  hall: {
    state: HallState;
    stateNameZh: string;
    openingAt: string | null;
    lotCode: string | null;
    lotName: string | null;
    paused: boolean;
    pauseReason: string | null;
    decryptUntil: string | null;
    confirmUntil: string | null;
  };
  viewer: {
    kind: 'host' | 'watcher' | 'bidder';
    signedIn: boolean;
    nextSteps: { step: string; nameZh: string }[];
    ownBidId: string | null;
  };
  revealed: null | {
    bidCount: number | null;
    minimum: number | null;
    minimumCitation: string | null;
    failedReason: string | null;
    bidders: HallBidder[];
    entries: HallEntry[];
    objections: HallObjection[];
    record: { sm3: string; keyId: string | null; publishedAt: string | null } | null;
    hostConfirmed: boolean;
    /** The host signed the record with its certificate (after publishing it). */
    hostSigned: boolean;
    steps: { step: string; from: string | null; to: string; at: string; reason: string | null }[];
  };
  citations: Record<string, string>;
}

export interface MyHall {
  lotId: string;
  lotCode: string;
  lotName: string;
  openingAt: string;
  state: HallState;
  viewer: string;
}

const base = (lotId: string) => `/api/lots/${encodeURIComponent(lotId)}/opening`;

export const openingApi = {
  myHalls: () => api.get<{ items: MyHall[] }>('/api/opening/halls'),
  snapshot: (lotId: string) => api.get<HallSnapshot>(base(lotId)),
  signIn: (lotId: string) => api.post(`${base(lotId)}/sign-in`),
  step: (lotId: string, step: string, reason?: string) =>
    api.post(`${base(lotId)}/steps/${encodeURIComponent(step)}`, reason ? { reason } : {}),
  notBidderCause: (lotId: string, bidId: string, reason: string) =>
    api.post(`${base(lotId)}/bids/${encodeURIComponent(bidId)}/not-bidder-cause`, { reason }),
  raiseObjection: (lotId: string, text: string) => api.post(`${base(lotId)}/objections`, { text }),
  answerObjection: (lotId: string, objectionId: string, answer: string) =>
    api.post(`${base(lotId)}/objections/${encodeURIComponent(objectionId)}/answer`, { answer }),
  confirm: (lotId: string) => api.post(`${base(lotId)}/confirmations`, {}),
};

/** The exact command a bidder runs on its own machine (the private key never leaves it). */
export function decryptCommand(lotId: string): string {
  return `npx ggzy opening decrypt --server ${location.origin} --lot ${lotId} --key ./enc.key.pem --username <用户名>`;
}
export function confirmCommand(lotId: string): string {
  return `npx ggzy opening confirm --server ${location.origin} --lot ${lotId} --key ./sign.key.pem --username <用户名>`;
}

export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * The hall's live view: a snapshot on connect and after each change. Reconnects (1 s, 2 s, … 30 s) unless
 * the server refused the viewer (close codes 4000–4999), in which case it stops and reports the reason.
 */
export function connectLive(
  lotId: string,
  handlers: {
    onSnapshot(snapshot: HallSnapshot): void;
    onStatus(status: LiveStatus): void;
    onError(title: string): void;
  },
): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let delay = 1000;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ping: ReturnType<typeof setInterval> | null = null;

  const open = () => {
    if (stopped) return;
    handlers.onStatus(socket ? 'reconnecting' : 'connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}${base(lotId)}/live`);
    socket = ws;
    ws.onopen = () => {
      delay = 1000;
      handlers.onStatus('open');
      ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 25_000);
    };
    ws.onmessage = (event) => {
      let message: { type?: string; snapshot?: HallSnapshot; title?: string };
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (message.type === 'snapshot' && message.snapshot) handlers.onSnapshot(message.snapshot);
      else if (message.type === 'error' && message.title) handlers.onError(message.title);
    };
    ws.onclose = (event) => {
      if (ping) clearInterval(ping);
      if (stopped) return;
      if (event.code >= 4000 && event.code < 5000) {
        stopped = true;
        handlers.onStatus('closed');
        return;
      }
      handlers.onStatus('reconnecting');
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, 30_000);
    };
  };
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (ping) clearInterval(ping);
    socket?.close();
  };
}

export const SUMMARY_LABELS: Record<string, string> = {
  price: '投标报价（元）',
  duration: '工期/交货期（日历天）',
  quality: '质量标准',
};
