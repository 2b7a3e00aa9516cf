/**
 * 竞价交易 (拍卖、挂牌、网络竞价, §10 (三)–(八)) in the browser: the shapes the auctions API answers with
 * (src/trading/auctions/schemas.ts — repeated here because the web app is built apart), the Chinese names
 * of the codes, and the auction room's live connection (src/trading/auctions/live.ts): a snapshot on
 * connect, each accepted bid as it happens, reconnecting from the last sequence it saw. Nothing here
 * decides anything: the server checks every bid and says why one is refused.
 */
import { api } from './api.ts';
import { canonicalJson } from './gm/canonical.ts';
import { sm3, toHex } from './gm/sm3.ts';

// ---- names ----

export const AUCTION_PROCEDURE_NAMES_ZH: Record<string, string> = {
  listing: '挂牌',
  auction: '拍卖',
  'online-bidding': '网络竞价',
};

export const AUCTION_STATUS_NAMES_ZH: Record<string, string> = {
  draft: '草稿',
  announced: '公告中（接受竞买申请）',
  bidding: '竞价中',
  closed: '竞价结束',
  'pre-deal': '预成交（资格审核中）',
  dealt: '已成交',
  failed: '不成交（流拍）',
  terminated: '已终止',
};

export const AUCTION_PHASE_NAMES_ZH: Record<string, string> = {
  listing: '挂牌报价期',
  free: '自由竞价期',
  entry: '限时竞价确认期',
  timed: '限时竞价',
  sealed: '一次报价（已达最高限价）',
};

export const TIMED_ENTRY_NAMES_ZH: Record<string, string> = {
  automatic: '自动进入（挂牌期满有两人以上竞买即进入）',
  'listed-bid': '须在挂牌期内有有效报价',
  confirm: '须在规定时间内确认参加',
};

export const QUALIFICATION_NAMES_ZH: Record<string, string> = {
  post: '资格后审（竞价后审核竞得人资格）',
  pre: '资格前审（竞价前审核竞买人资格）',
};

export const REGISTRATION_STATUS_NAMES_ZH: Record<string, string> = {
  registered: '已申请',
  qualified: '已确认竞买资格',
  rejected: '未通过',
  withdrawn: '已撤回',
};

export function procedureName(type: string | null | undefined): string {
  return (type && AUCTION_PROCEDURE_NAMES_ZH[type]) || type || '—';
}

export function statusName(status: string | null | undefined): string {
  return (status && AUCTION_STATUS_NAMES_ZH[status]) || status || '—';
}

export function phaseName(phase: string | null | undefined): string {
  return (phase && AUCTION_PHASE_NAMES_ZH[phase]) || phase || '—';
}

/** The tag colour of an auction's status (Element Plus `type`). */
export function statusTagType(status: string): 'primary' | 'success' | 'warning' | 'info' | 'danger' {
  if (status === 'bidding') return 'danger';
  if (status === 'dealt') return 'success';
  if (status === 'announced' || status === 'pre-deal' || status === 'closed') return 'warning';
  if (status === 'failed' || status === 'terminated') return 'info';
  return 'primary';
}

/** "1,234,567.89" for a yuan string (no unit). */
export function formatYuan(yuan: string | null | undefined): string {
  if (!yuan) return '—';
  // Amounts the server hides until the close (一次报价, the sealed round) come as '******'.
  if (!/^-?\d+(\.\d+)?$/.test(yuan)) return yuan;
  const negative = yuan.startsWith('-');
  const [whole = '0', fraction = '00'] = (negative ? yuan.slice(1) : yuan).split('.');
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0')}`;
}

/** "04:59" / "1:02:03" for a remaining time in ms (never negative). */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  if (h >= 48) return `${Math.floor(h / 24)} 天 ${h % 24} 小时`;
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

// ---- shapes (src/trading/auctions/views.ts, engine.ts) ----

export interface AuctionTerms {
  title: string;
  description: string;
  startPriceYuan: string;
  stepYuan: string;
  depositYuan: string;
  announcementAt: string;
  registrationUntil: string;
  depositDeadline: string;
  biddingStartsAt: string;
  listingEndsAt: string | null;
  listingDaysCounting?: 'calendar' | 'working';
  freeBiddingMinutes: number | null;
  countdownMinutes: number;
  timedEntry: string;
  confirmMinutes: number | null;
  timedStart: string;
  minBidders: number;
  /** 延牌: too few bidders at the start → the registration and the start move on (as the notice allows). */
  autoExtend?: boolean;
  extensionWorkingDays?: number;
  maxExtensions?: number;
  priceCapYuan: string | null;
  sealedMinutes?: number | null;
  bidMode: string;
  qualification: string;
  qualificationFallback?: string;
  valuationYuan: string | null;
  relisting?: boolean;
  reapprovalDocument?: string | null;
  /** The organisers see the holders; the public only how many there are. */
  preemptiveHolders: { creditCode: string; rank: number }[] | number;
}

/** PUT /api/lots/:lotId/auction (src/trading/auctions/schemas.ts AuctionSetupBody). */
export interface AuctionSetup {
  title: string;
  description?: string;
  startPriceYuan: string;
  stepYuan: string;
  depositYuan: string;
  announcementAt: string;
  registrationUntil: string;
  depositDeadline: string;
  biddingStartsAt: string;
  listingEndsAt?: string | null;
  freeBiddingMinutes?: number | null;
  countdownMinutes?: number;
  timedEntry?: string;
  confirmMinutes?: number | null;
  timedStart?: string;
  minBidders?: number;
  autoExtend?: boolean;
  extensionWorkingDays?: number | null;
  maxExtensions?: number | null;
  priceCapYuan?: string | null;
  bidMode?: string;
  qualification?: string;
  valuationYuan?: string | null;
  preemptiveHolders?: { creditCode: string; rank: number }[];
}

/** One published text of the auction: 出让（转让）公告, 成交公示, 不成交/终止公告 (and, for organisers, the rest). */
export interface AuctionNotice {
  id: string;
  kind: string;
  title: string;
  body: string;
  bodySm3: string;
  public: boolean;
  publishedAt: string;
}

export const NOTICE_KIND_NAMES_ZH: Record<string, string> = {
  'transfer-notice': '出让（转让）公告',
  'pre-deal': '预成交通知书',
  'deal-notice': '成交通知书',
  'deal-publicity': '成交公示',
  failure: '不成交公告',
  termination: '终止公告',
};

export interface AuctionResultView {
  outcome: string;
  reason: string | null;
  reasonZh?: string | null;
  priceYuan: string | null;
  winnerPseudonym: string | null;
  decidedAt?: string | null;
  preDealAt?: string | null;
  qualificationDue?: string | null;
  qualificationOverdue?: boolean;
  noticeAt?: string | null;
  recordSm3?: string | null;
  lottery?: unknown;
  contractNote?: string | null;
  /** Organisers only. */
  winner?: { organizationId: string; name: string; creditCode: string } | null;
  reserveYuan?: string | null;
  qualifiedAt?: string | null;
  qualificationReason?: string | null;
}

/** What every list shows of an auction (views.ts summary). */
export interface AuctionSummary {
  id: string;
  lotId: string;
  lotCode: string;
  projectName: string;
  title: string;
  procedureType: string;
  procedureNameZh: string;
  catalogItemCode: string;
  regionCode: string;
  status: string;
  statusNameZh: string;
  phase: string | null;
  phaseNameZh: string | null;
  startPriceYuan: string;
  stepYuan: string;
  depositYuan: string;
  currentPriceYuan: string | null;
  seq: number;
  biddingStartsAt: string;
  listingEndsAt: string | null;
  registrationUntil: string;
  depositDeadline: string;
  countdownEndsAt: string | null;
  phaseEndsAt: string | null;
  announcedAt: string | null;
  closedAt: string | null;
}

/** 竞价项目 as its organisers see it (GET /api/lots/:lotId/auction). */
export interface AuctionView extends AuctionSummary {
  terms: AuctionTerms;
  version: number;
  reserveSet: boolean;
  reserveSm3: string | null;
  registrations: { count: number; cleared: number } | null;
  notices: AuctionNotice[];
  result: AuctionResultView | null;
}

export type PublicAuctionListItem = AuctionSummary;

export interface PublicAuctionDetail extends AuctionSummary {
  terms: AuctionTerms;
  reserveSm3: string | null;
  notices: AuctionNotice[];
  result: AuctionResultView | null;
  recordAvailable: boolean;
  serverTime: string;
}

export interface PublicBid {
  seq: number;
  pseudonym: string;
  amountYuan: string;
  at: string;
  phase: string;
  kind: string;
}

export interface RoomView {
  auctionId: string;
  lotId: string;
  title: string;
  procedureType: string;
  /** 一次报价 ('single'): amounts and the leader stay sealed until the close. */
  bidMode: 'multiple' | 'single';
  status: string;
  phase: string | null;
  startPriceYuan: string;
  stepYuan: string;
  currentPriceYuan: string | null;
  leaderPseudonym: string | null;
  seq: number;
  countdownEndsAt: string | null;
  phaseEndsAt: string | null;
  serverTime: string;
  countdownMinutes: number;
  bids: PublicBid[];
  me: {
    pseudonym: string;
    leading: boolean;
    cleared: boolean;
    /** Holds a confirmed 优先受让权: may 跟价 the current highest price. */
    preemptive: boolean;
    /** Confirmed to take part in 限时竞价 (entry rule 确认参加). */
    timedConfirmed: boolean;
    /** Not admitted to 限时竞价: may not bid there. */
    timedExcluded: boolean;
    nextValidYuan: string[];
  } | null;
  result: { outcome: string; priceYuan: string | null; winnerPseudonym: string | null } | null;
}

export interface BidAck {
  seq: number;
  at: string;
  amountYuan: string;
  currentPriceYuan: string;
  countdownEndsAt: string | null;
  nextValidYuan: string[];
}

export interface MyRegistration {
  auctionId: string;
  pseudonym: string;
  status: string;
  preemptiveRank: number | null;
  registeredAt: string;
  cleared: boolean;
  timedConfirmedAt: string | null;
  timedExcluded: boolean;
  deposit: { requiredYuan: string | null; satisfied: boolean; paidYuan: string; deadline: string };
  depositAccountHint: string;
}

/** A bidder's registration as GET /api/auctions/mine lists it. */
export interface MyRegistrationItem {
  auctionId: string;
  lotId: string;
  title: string;
  procedureType: string;
  status: string;
  statusNameZh: string;
  phase: string | null;
  pseudonym: string;
  registrationStatus: string;
  registeredAt: string;
  biddingStartsAt: string;
  countdownEndsAt: string | null;
  phaseEndsAt: string | null;
  currentPriceYuan: string | null;
}

export interface MineView {
  registrations: MyRegistrationItem[];
  organised: AuctionSummary[];
}

export interface HostView extends AuctionSummary {
  serverTime: string;
  countdownMinutes: number;
  leaderPseudonym: string | null;
  registrations: { count: number; cleared: number; timedConfirmed: number; timedExcluded: number } | null;
  nextDeadline: string | null;
  recentBids: PublicBid[];
  stepChanges: { afterSeq: number; stepYuan: string; at: string }[];
}

// ---- calls ----

const auctionPath = (id: string, rest = '') => `/api/auctions/${encodeURIComponent(id)}${rest}`;
const lotAuctionPath = (lotId: string) => `/api/lots/${encodeURIComponent(lotId)}/auction`;

export const auctionsApi = {
  listPublic: (
    query: { status?: string; catalog?: string; q?: string; page?: number },
    signal?: AbortSignal,
  ) =>
    api.get<{ items: PublicAuctionListItem[]; total?: number; [extra: string]: unknown }>(
      '/api/public/auctions',
      {
        query,
        signal,
      },
    ),
  publicDetail: (id: string) =>
    api.get<PublicAuctionDetail>(`/api/public/auctions/${encodeURIComponent(id)}`),
  record: (id: string) => api.get<unknown>(`/api/public/auctions/${encodeURIComponent(id)}/record`),
  ofLot: (lotId: string) => api.get<AuctionView>(lotAuctionPath(lotId)),
  setUp: (lotId: string, setup: AuctionSetup) => api.put<AuctionView>(lotAuctionPath(lotId), setup),
  setReserve: (id: string, reserveYuan: string) =>
    api.post<AuctionView>(auctionPath(id, '/reserve'), { reserveYuan }),
  publish: (id: string) => api.post<AuctionView>(auctionPath(id, '/publish'), {}),
  terminate: (id: string, reason: string) =>
    api.post<PublicAuctionDetail>(auctionPath(id, '/terminate'), { reason }),
  register: (id: string, preemptive = false) =>
    api.post<MyRegistration>(auctionPath(id, '/registrations'), preemptive ? { preemptive: true } : {}),
  myRegistration: (id: string) => api.get<MyRegistration>(auctionPath(id, '/my-registration')),
  mine: () => api.get<MineView>('/api/auctions/mine'),
  bid: (id: string, amountYuan: string, kind?: 'bid' | 'match' | 'sealed') =>
    api.post<BidAck>(auctionPath(id, '/bids'), kind ? { amountYuan, kind } : { amountYuan }),
  timedConfirm: (id: string) => api.post<{ confirmedAt: string }>(auctionPath(id, '/timed-confirm'), {}),
  room: (id: string) => api.get<RoomView>(auctionPath(id, '/room')),
  host: (id: string) => api.get<HostView>(auctionPath(id, '/host')),
  setStep: (id: string, stepYuan: string) => api.post<unknown>(auctionPath(id, '/step'), { stepYuan }),
  qualify: (id: string, passed: boolean, reason?: string) =>
    api.post<AuctionResultView | null>(
      auctionPath(id, '/qualification'),
      reason ? { passed, reason } : { passed },
    ),
  result: (id: string) => api.get<AuctionResultView | null>(auctionPath(id, '/result')),
};

// ---- the live room ----

export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'polling' | 'closed';

export interface LiveHandlers {
  /**
   * The room (on connect, after a phase change, after a gap). `resumed`: its `bids` are exactly the bids
   * after the sequence the client had (merge them); otherwise they are the last ones kept (replace).
   */
  onRoom(room: RoomView, resumed: boolean): void;
  /** One accepted bid, in sequence. */
  onBid(
    bid: PublicBid,
    state: { currentPriceYuan: string | null; countdownEndsAt: string | null; seq: number },
  ): void;
  /** The server's time, to count down by the server's clock and not the browser's. */
  onServerTime(serverTime: string): void;
  onStatus(status: LiveStatus): void;
}

/**
 * The room's live view: a WebSocket that resumes from the last sequence seen (`since=N`) after a drop,
 * with back-off (1 s, 2 s … 15 s); a gap in the sequence makes it ask the room again. When the socket
 * cannot be opened at all (a proxy without WebSocket) it falls back to reading the room every 2 seconds.
 * Returns a function that stops it; `refresh()` reads the room at once.
 */
export function connectAuctionLive(
  auctionId: string,
  handlers: LiveHandlers,
): { stop(): void; refresh(): void } {
  let socket: WebSocket | null = null;
  let stopped = false;
  let lastSeq: number | null = null;
  let delay = 1000;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ping: ReturnType<typeof setInterval> | null = null;
  let poll: ReturnType<typeof setInterval> | null = null;

  const readRoom = async () => {
    try {
      const room = await auctionsApi.room(auctionId);
      if (stopped) return;
      lastSeq = room.seq;
      handlers.onRoom(room, false);
      handlers.onServerTime(room.serverTime);
    } catch {
      // the next message or poll tries again
    }
  };

  const startPolling = () => {
    if (poll || stopped) return;
    handlers.onStatus('polling');
    void readRoom();
    poll = setInterval(() => void readRoom(), 2000);
  };

  const open = () => {
    if (stopped) return;
    handlers.onStatus(socket ? 'reconnecting' : 'connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const since = lastSeq === null ? '' : `?since=${lastSeq}`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${scheme}://${location.host}${auctionPath(auctionId, '/live')}${since}`);
    } catch {
      startPolling();
      return;
    }
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      delay = 1000;
      failures = 0;
      if (poll) {
        clearInterval(poll);
        poll = null;
      }
      handlers.onStatus('open');
      // The pong carries the server's time: the countdown stays on the server's clock.
      ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 10_000);
      ws.send('{"type":"ping"}');
    };
    ws.onmessage = (event) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(String(event.data)) as Record<string, unknown>;
      } catch {
        return;
      }
      handleMessage(message);
    };
    ws.onclose = (event) => {
      if (ping) clearInterval(ping);
      ping = null;
      if (stopped) return;
      if (!opened) failures += 1;
      // Refused (4000 + the HTTP status: a sequence the server does not know, …): start afresh; 4008 (too
      // slow to read) resumes from the last sequence.
      if (event.code >= 4000 && event.code < 5000 && event.code !== 4008) {
        lastSeq = null;
        failures += 1;
      }
      // No socket to be had (a proxy without WebSocket): read the room meanwhile, and keep trying.
      if (failures >= 3) startPolling();
      handlers.onStatus(poll ? 'polling' : 'reconnecting');
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, 15_000);
    };
  };

  const applyBid = (bid: PublicBid, currentPriceYuan: unknown, countdownEndsAt: unknown, seq: number) => {
    if (lastSeq !== null && seq <= lastSeq) return; // already seen (a snapshot raced it)
    if (lastSeq !== null && seq > lastSeq + 1) {
      // Missed some: read the whole room again rather than show a hole in the history.
      void readRoom();
      return;
    }
    lastSeq = seq;
    handlers.onBid(bid, {
      currentPriceYuan: (currentPriceYuan as string | null | undefined) ?? bid.amountYuan,
      countdownEndsAt: (countdownEndsAt as string | null | undefined) ?? null,
      seq,
    });
  };

  const handleMessage = (message: Record<string, unknown>) => {
    if (typeof message.serverTime === 'string') handlers.onServerTime(message.serverTime);
    switch (message.type) {
      case 'snapshot':
      case 'phase': {
        const room = message.room as RoomView | undefined;
        if (!room) {
          void readRoom();
          return;
        }
        lastSeq = room.seq;
        handlers.onRoom(room, message.resumed === true);
        if (room.serverTime) handlers.onServerTime(room.serverTime);
        return;
      }
      case 'bid': {
        const bid = message.bid as PublicBid | undefined;
        if (!bid) return;
        applyBid(
          bid,
          message.currentPriceYuan,
          message.countdownEndsAt,
          typeof message.seq === 'number' ? message.seq : bid.seq,
        );
        return;
      }
      case 'bids': {
        const items = Array.isArray(message.items) ? (message.items as Record<string, unknown>[]) : [];
        for (const item of items) {
          const bid = item.bid as PublicBid | undefined;
          if (!bid) continue;
          applyBid(
            bid,
            item.currentPriceYuan,
            item.countdownEndsAt,
            typeof item.seq === 'number' ? item.seq : bid.seq,
          );
        }
        return;
      }
      case 'error': {
        if (message.code === 'STALE_SEQUENCE') lastSeq = null;
        return;
      }
      default:
        return;
    }
  };

  open();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (ping) clearInterval(ping);
      if (poll) clearInterval(poll);
      socket?.close();
      handlers.onStatus('closed');
    },
    refresh: () => void readRoom(),
  };
}

/** A Beijing wall-clock 'YYYY-MM-DD HH:mm:ss' (date pickers) as an ISO instant, or '' when empty. */
export function beijingToIso(text: string | null | undefined): string {
  if (!text) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) return '';
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}+08:00`).toISOString();
}

/** An ISO instant as the Beijing wall-clock text the date pickers take ('YYYY-MM-DD HH:mm:ss'). */
export function isoToBeijing(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

// ---- the auction record, checked in the browser (the same rules as src/trading/auctions/chain.ts) ----

export interface AuctionRecordJson {
  format: string;
  genesis: Record<string, unknown> & { auctionId: string; reserveSm3: string | null };
  genesisHash: string;
  bids: (PublicBid & { prevHash: string; hash: string })[];
  head: string;
  stepChanges?: { afterSeq: number; stepYuan: string; at: string }[];
  reserve: { amountYuan: string; salt: string } | null;
  result: {
    outcome: string;
    reason: string | null;
    winnerPseudonym: string | null;
    priceYuan: string | null;
  } | null;
}

const sm3Text = (text: string) => toHex(sm3(new TextEncoder().encode(text)));

function twoDecimals(yuan: string): string {
  const [whole = '0', fraction = ''] = yuan.split('.');
  return `${BigInt(whole)}.${`${fraction}00`.slice(0, 2)}`;
}

/**
 * Recomputes the record's hash chain here, in the browser, from the published record alone: the genesis
 * hash, each bid's SM3(prev ‖ canonical JSON of the public bid) and its link, the head, and the 底价 against
 * the commitment published before the start. Returns the problems found (none: the record is intact).
 */
export function verifyRecordInBrowser(record: AuctionRecordJson): string[] {
  const problems: string[] = [];
  const genesis = sm3Text(canonicalJson(record.genesis));
  if (genesis !== record.genesisHash) problems.push('起始记录（genesis）的哈希值与内容不符');
  let prev = genesis;
  let expected = 1;
  for (const bid of record.bids) {
    if (bid.seq !== expected) problems.push(`报价序号不连续：应为第 ${expected} 号，记录为第 ${bid.seq} 号`);
    expected = bid.seq + 1;
    if (bid.prevHash !== prev) problems.push(`第 ${bid.seq} 号报价的前序哈希与上一条记录不符`);
    const chained = {
      auctionId: record.genesis.auctionId,
      seq: bid.seq,
      pseudonym: bid.pseudonym,
      amountYuan: bid.amountYuan,
      at: bid.at,
      phase: bid.phase,
      kind: bid.kind,
    };
    if (sm3Text(`${prev}${canonicalJson(chained)}`) !== bid.hash)
      problems.push(`第 ${bid.seq} 号报价的内容与其哈希值不符`);
    prev = bid.hash;
  }
  if (prev !== record.head) problems.push('链尾哈希与最后一条报价不符');
  if (record.reserve && record.genesis.reserveSm3) {
    const commitment = sm3Text(`${record.reserve.salt}:${twoDecimals(record.reserve.amountYuan)}`);
    if (commitment !== record.genesis.reserveSm3) problems.push('公布的底价与竞价开始前的承诺值（SM3）不符');
  }
  return problems;
}
