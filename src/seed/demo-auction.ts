import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { formatShanghaiTime, type JumpingClock } from '../platform/clock/index.ts';
import { importSm2PrivateKeyPem, type Sm2PrivateKey } from '../platform/crypto/index.ts';
import type { HttpServer } from '../platform/http/index.ts';
import {
  findAccountByUsername,
  findOrganizationByCreditCode,
  type Identity,
} from '../platform/identity/index.ts';
import { SYSTEM_ORIGIN } from '../platform/witness/index.ts';
import { findEntityOfOrganization, registerEntity } from '../service/entities/index.ts';
import type { AllTables } from '../tables.ts';
import { type AuctionRecord, type BidAck, verifyAuctionRecord } from '../trading/auctions/index.ts';
import { signRequest } from '../trading/deposits/index.ts';
import { DemoClient as Client, type DemoClient, type DemoPeople, DemoRequestError } from './demo-client.ts';

/**
 * 竞价交易 in the demo:
 *  - `seedDemoAuction` (for `npm start`): 呼和浩特市示范第一中学 disposes of its scrapped school buses and old
 *    teaching equipment (0603 行政事业单位资产) by 挂牌, through the demo agency: the terms set, the 底价 sealed,
 *    the 出让公告 published (公告期, 竞买申请 open), toubiao1 registered — so the portal's 竞价交易, 竞价项目
 *    and 我的竞买 have something to show;
 *  - `runDemoAuction` (for `ggzy demo --auction`): a land listing (0301 国有建设用地使用权) by the demo
 *    自然资源局 that turns into online 限时竞价 among three bidders, at accelerated time, every step through the
 *    platform's API and printed in Chinese — terms, sealed 底价, registrations and deposits, 报价单, the timed
 *    countdown with bids that restart it (and two the engine refuses), the close, 资格审核, 成交公示, the
 *    deposits converted and refunded, and the auction record verified (and a tampered copy caught).
 */

interface LotView {
  id: string;
  code: string;
  name: string;
  procedureType: string;
}
interface ProjectView {
  id: string;
  code: string;
  name: string;
  status: string;
  version: number;
  lots: LotView[];
  authorisations: { current: boolean }[];
}
interface AuctionView {
  id: string;
  lotId: string;
  status: string;
  phase: string | null;
  terms: Record<string, unknown> & { biddingStartsAt: string; listingEndsAt: string | null };
  reserveSm3?: string | null;
  [extra: string]: unknown;
}
interface Registration {
  pseudonym: string;
  status: string;
  deposit: { requiredYuan: string | null; satisfied: boolean };
}
interface RoomView {
  status: string;
  phase: string | null;
  seq: number;
  currentPriceYuan: string | null;
  leaderPseudonym: string | null;
  countdownEndsAt: string | null;
  phaseEndsAt: string | null;
  result: { outcome: string; priceYuan: string | null; winnerPseudonym: string | null } | null;
}

const DAY = 86_400_000;
const AGENCY_CREDIT_CODE = '91150100MA0000007W';

function at(iso: string | Date | null | undefined): string {
  return iso ? formatShanghaiTime(new Date(iso)) : '—';
}

/** "36,000,000.00 元". */
export function yuan(amount: string | null | undefined): string {
  if (!amount) return '—';
  const [whole = '0', fraction = '00'] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0')} 元`;
}

/** 09:00 Beijing of the day `days` after `from` (whole calendar days; the rules count days by date). */
function morningAfter(from: Date, days: number, hour = 9): Date {
  const beijing = new Date(from.getTime() + 8 * 3_600_000 + days * DAY);
  const d = beijing.toISOString().slice(0, 10);
  return new Date(`${d}T${String(hour).padStart(2, '0')}:00:00+08:00`);
}

async function findOwnProject(initiator: DemoClient, name: string): Promise<ProjectView | null> {
  const list = await initiator.get<{ items: { id: string; name: string }[] }>('/api/my/projects?limit=100');
  const item = list.items.find((p) => p.name === name);
  return item ? initiator.get<ProjectView>(`/api/projects/${item.id}`) : null;
}

async function auctionOfLot(client: DemoClient, lotId: string): Promise<AuctionView | null> {
  try {
    return await client.get<AuctionView>(`/api/lots/${lotId}/auction`);
  } catch (error) {
    if (error instanceof DemoRequestError && error.status === 404) return null;
    throw error;
  }
}

async function myRegistration(client: DemoClient, auctionId: string): Promise<Registration | null> {
  try {
    return await client.get<Registration>(`/api/auctions/${auctionId}/my-registration`);
  } catch (error) {
    if (error instanceof DemoRequestError && error.status === 404) return null;
    throw error;
  }
}

// ---- the seed (npm start) ----

const SCHOOL_ASSETS = {
  name: '呼和浩特市示范第一中学闲置资产处置',
  catalogItemCode: '0603',
  mandatoryTender: false,
  fundSource: '其他',
  budgetYuan: '300000.00',
  regionCode: '150102',
  address: '呼和浩特市新城区新华大街示范路1号',
  approvalDocuments: [
    { name: '关于同意处置报废资产的批复', number: '呼教财〔2026〕8号', authority: '呼和浩特市教育局' },
  ],
  lots: [
    {
      name: '报废校车及教学设备一批',
      procedureType: 'listing' as const,
      estimateYuan: '300000.00',
      content: '报废校车3辆（已办理注销登记）及淘汰教学设备一批，按现状整体转让',
    },
  ],
};

/**
 * The demo 挂牌 of the seed: project registered by zhaobiao with daili authorised, received by the centre;
 * daili sets the terms (公告 now, 挂牌 from 11 days on for 10 days), seals the 底价 and publishes; toubiao1
 * applies. Each step first looks whether it was done (a start killed half-way completes the rest).
 */
export async function seedDemoAuction(deps: { clock: { now(): Date } }, people: DemoPeople): Promise<string> {
  const { zhaobiao, daili, admin, toubiao1 } = people;
  let project = await findOwnProject(zhaobiao, SCHOOL_ASSETS.name);
  project ??= await zhaobiao.post<ProjectView>('/api/projects', SCHOOL_ASSETS);
  if (!project.authorisations.some((a) => a.current)) {
    project = await zhaobiao.post<ProjectView>(`/api/projects/${project.id}/authorisations`, {
      agencyCreditCode: AGENCY_CREDIT_CODE,
      documentName: '资产处置委托合同',
      documentNumber: 'ZX-2026-090',
      scope: '资产处置全过程：挂牌公告、组织竞价、成交公示',
    });
  }
  if (project.status === 'submitted') {
    project = await admin.post<ProjectView>(`/api/admin/projects/${project.id}/receive`, {
      reviewedVersion: project.version,
      catalogItemCode: SCHOOL_ASSETS.catalogItemCode,
      note: '登记材料齐全，予以受理（演示数据）。',
    });
  }
  const lot = project.lots[0]!;
  let auction = await auctionOfLot(daili, lot.id);
  if (!auction || auction.status === 'draft') {
    const now = deps.clock.now();
    const announcementAt = now;
    const biddingStartsAt = morningAfter(now, 12);
    const listingEndsAt = new Date(morningAfter(biddingStartsAt, 10, 15).getTime());
    const until = morningAfter(listingEndsAt, -2, 16);
    auction = await daili.put<AuctionView>(`/api/lots/${lot.id}/auction`, {
      title: '报废校车3辆及淘汰教学设备一批（整体转让）',
      description:
        '报废校车3辆（均已办理机动车注销登记，仅作报废拆解用途）及淘汰的理化生实验台、多媒体教学设备一批，按现状整体转让；标的现场可于工作日预约查看。（演示数据）',
      startPriceYuan: '300000.00',
      stepYuan: '10000.00',
      depositYuan: '60000.00',
      announcementAt: announcementAt.toISOString(),
      registrationUntil: until.toISOString(),
      depositDeadline: until.toISOString(),
      biddingStartsAt: biddingStartsAt.toISOString(),
      listingEndsAt: listingEndsAt.toISOString(),
      countdownMinutes: 5,
      timedEntry: 'listed-bid',
      timedStart: 'highest-plus-step',
      minBidders: 1,
      qualification: 'post',
    });
    await daili.post(`/api/auctions/${auction.id}/reserve`, { reserveYuan: '320000.00' });
    auction = await daili.post<AuctionView>(`/api/auctions/${auction.id}/publish`, {});
  }
  if (auction.status === 'announced' && !(await myRegistration(toubiao1, auction.id))) {
    await toubiao1.post(`/api/auctions/${auction.id}/registrations`, {});
  }
  return auction.id;
}

// ---- ggzy demo --auction ----

export interface DemoAuctionDeps {
  app: HttpServer;
  db: Kysely<AllTables>;
  identity: Identity;
  jobs: { runDueJobs(): Promise<unknown> };
  clock: JumpingClock;
  /** The demo data directory (the demo bank's key is in simulators/bank/). */
  dataDir: string;
  log(line: string): void;
}

export const AUCTION_BIDDERS = ['toubiao1', 'toubiao2', 'toubiao3'] as const;
const PASSWORD = 'Ggzy@2026';

/** The demo 出让人 of the land listing: a natural-resources bureau, registered and accepted for the demo. */
const GRANTOR = {
  username: 'churangren',
  displayName: '高原（出让人）',
  name: '呼和浩特市自然资源局（演示）',
  creditCode: '11150100MB0000107W',
};

const LAND = {
  name: '和林格尔新区盛乐园区2026-07号地块国有建设用地使用权出让',
  catalogItemCode: '0301',
  mandatoryTender: false,
  fundSource: '其他',
  budgetYuan: '36000000.00',
  regionCode: '150123',
  address: '和林格尔新区盛乐园区云谷路以南、金盛路以东',
  approvalDocuments: [
    {
      name: '关于和林格尔新区盛乐园区2026-07号地块出让方案的批复',
      number: '呼政土批〔2026〕19号',
      authority: '呼和浩特市人民政府',
    },
  ],
  lots: [
    {
      name: '2026-07号地块（工业用地，4.8公顷）',
      procedureType: 'listing' as const,
      estimateYuan: '36000000.00',
      content: '出让面积48,000平方米，用途为工业用地（数据中心），出让年限50年，容积率1.0–2.0',
    },
  ],
};

const TERMS = {
  startPriceYuan: '36000000.00',
  stepYuan: '500000.00',
  depositYuan: '7200000.00',
  reserveYuan: '38000000.00',
  countdownMinutes: 5,
};

/** Opens a bearer session for a demo account (witnessed like any sign-in). */
async function signIn(deps: DemoAuctionDeps, username: string): Promise<DemoClient> {
  const account = await findAccountByUsername(deps.db, username);
  if (!account) throw new Error(`演示账号 ${username} 不存在（demo account missing）`);
  const session = await deps.identity.openSession(
    { db: deps.db, clock: deps.clock, actor: null, origin: SYSTEM_ORIGIN },
    { accountId: account.id, kind: 'bearer', method: 'password' },
  );
  return new Client(deps.app, session.token);
}

async function jumpTo(deps: DemoAuctionDeps, to: Date | string, why: string): Promise<void> {
  const target = new Date(to);
  if (target.getTime() > deps.clock.now().getTime()) {
    deps.clock.jumpTo(target);
    deps.log(`    ⏩ 时间推进至 ${at(target)}（${why}）`);
  }
  await deps.jobs.runDueJobs();
}

/** The demo 出让人 registers as a market entity (出让人) and the trading centre accepts it. */
async function ensureGrantor(deps: DemoAuctionDeps, admin: DemoClient): Promise<DemoClient> {
  if (!(await findAccountByUsername(deps.db, GRANTOR.username))) {
    await registerEntity(
      { db: deps.db, clock: deps.clock, actor: null, origin: SYSTEM_ORIGIN },
      {
        entity: {
          kind: 'legal_person',
          name: GRANTOR.name,
          creditCode: GRANTOR.creditCode,
          roles: ['grantor'],
          regionCode: '150100',
          address: '呼和浩特市新城区新华东街1号',
          zipCode: null,
          contact: { name: '高原', phone: '0471-6600010', email: null },
          legalRepresentative: {
            name: '韩自然',
            idType: 'resident_id',
            idNumber: '150102197206150016',
            phone: null,
          },
          basicAccount: {
            bankName: '中国工商银行呼和浩特新华支行',
            branchCode: null,
            accountNumber: '0602001109200098765',
            accountName: GRANTOR.name,
          },
          licence: { validFrom: null, validUntil: null },
          registeredCapital: null,
        },
        qualifications: [],
        account: { username: GRANTOR.username, displayName: GRANTOR.displayName, password: PASSWORD },
      },
    );
  }
  const organization = await findOrganizationByCreditCode(deps.db, GRANTOR.creditCode);
  const entity = organization ? await findEntityOfOrganization(deps.db, organization.id) : undefined;
  if (!entity) throw new Error('演示出让人未能登记');
  if (entity.status === 'submitted') {
    const view = await admin.get<{ version: number }>(`/api/admin/entities/${entity.id}`);
    await admin.post(`/api/admin/entities/${entity.id}/accept`, { reviewedVersion: view.version });
  }
  return signIn(deps, GRANTOR.username);
}

interface Bank {
  id: string;
  key: Sm2PrivateKey;
}

/** 演示银行 as the demo seed registered it (its key under <data>/simulators/bank/). */
async function demoBank(deps: DemoAuctionDeps): Promise<Bank> {
  const dir = path.join(deps.dataDir, 'simulators', 'bank');
  const key = importSm2PrivateKeyPem(await readFile(path.join(dir, 'key.pem'), 'utf8'));
  const { id } = JSON.parse(await readFile(path.join(dir, 'institution.json'), 'utf8')) as { id: string };
  return { id, key };
}

/** The bidder's virtual sub-account for the lot, and the bank's signed 到账通知 of a transfer from its 基本账户. */
async function payDeposit(
  deps: DemoAuctionDeps,
  bank: Bank,
  bidder: DemoClient,
  lotId: string,
  amountYuan: string,
  ref: string,
): Promise<string> {
  const entity = await bidder.get<{
    basicAccount: { accountNumber: string; accountName: string; bankName: string };
  }>('/api/my/entity');
  const account = await bidder.post<{ virtualAccount: string }>(`/api/lots/${lotId}/my-deposit/account`, {
    institutionId: bank.id,
  });
  const target = '/api/institution/transfers';
  const body = JSON.stringify({
    virtualAccount: account.virtualAccount,
    amountYuan,
    payerAccountNumber: entity.basicAccount.accountNumber,
    payerAccountName: entity.basicAccount.accountName,
    payerBankName: entity.basicAccount.bankName,
    bankTransferId: `DEMO-AUCTION-${lotId.slice(0, 8)}-${ref}`,
    valueTime: deps.clock.now().toISOString(),
  });
  const res = await deps.app.inject({
    method: 'POST',
    url: target,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'ggzy demo (演示银行)',
      ...signRequest(bank.key, { institutionId: bank.id, method: 'POST', target, body }),
    },
    payload: body,
  });
  if (res.statusCode !== 200 && res.statusCode !== 201) {
    throw new Error(`演示银行到账通知被拒绝：${res.statusCode} ${res.body}`);
  }
  return account.virtualAccount;
}

export interface DemoAuctionSummary {
  auctionId: string;
  winner: string;
  priceYuan: string;
  bids: number;
  recordOk: boolean;
  tamperDetected: boolean;
}

export async function runDemoAuction(deps: DemoAuctionDeps): Promise<DemoAuctionSummary> {
  const admin = await signIn(deps, 'admin');
  const bidders = new Map<string, DemoClient>();
  for (const username of AUCTION_BIDDERS) bidders.set(username, await signIn(deps, username));
  const bidder = (u: string) => bidders.get(u)!;

  deps.log('① 出让人登记与项目受理（§15）');
  const grantor = await ensureGrantor(deps, admin);
  let project = await grantor.post<ProjectView>('/api/projects', LAND);
  project = await admin.post<ProjectView>(`/api/admin/projects/${project.id}/receive`, {
    reviewedVersion: project.version,
    catalogItemCode: LAND.catalogItemCode,
    note: '出让方案已经批准，登记材料齐全，予以受理。',
  });
  const lot = project.lots[0]!;
  deps.log(`    ${GRANTOR.name}（出让人）登记 ${project.code}：${LAND.name}；交易方式 挂牌；交易中心受理`);

  deps.log(
    '② 竞价规则、密封底价、发布挂牌出让公告（39号令第十条：公告不少于20日；第十九条：挂牌不少于10日）',
  );
  const now = deps.clock.now();
  const biddingStartsAt = morningAfter(now, 21);
  const listingEndsAt = morningAfter(biddingStartsAt, 10, 15);
  const until = morningAfter(listingEndsAt, -2, 16);
  let auction = await grantor.put<AuctionView>(`/api/lots/${lot.id}/auction`, {
    title: LAND.lots[0]!.name,
    description:
      '出让面积48,000平方米，工业用地（数据中心），出让年限50年，容积率1.0–2.0，建筑密度不低于40%；竞得人须在成交后10个工作日内签订《国有建设用地使用权出让合同》。（演示数据）',
    startPriceYuan: TERMS.startPriceYuan,
    stepYuan: TERMS.stepYuan,
    depositYuan: TERMS.depositYuan,
    announcementAt: now.toISOString(),
    registrationUntil: until.toISOString(),
    depositDeadline: until.toISOString(),
    biddingStartsAt: biddingStartsAt.toISOString(),
    listingEndsAt: listingEndsAt.toISOString(),
    countdownMinutes: TERMS.countdownMinutes,
    timedEntry: 'listed-bid',
    timedStart: 'highest-plus-step',
    minBidders: 1,
    qualification: 'post',
  });
  const { reserveSm3 } = await grantor.post<{ reserveSm3: string }>(`/api/auctions/${auction.id}/reserve`, {
    reserveYuan: TERMS.reserveYuan,
  });
  deps.log(
    `    起始价 ${yuan(TERMS.startPriceYuan)}，加价幅度 ${yuan(TERMS.stepYuan)}，竞买保证金 ${yuan(TERMS.depositYuan)}`,
  );
  deps.log(`    底价已密封（竞价结束前保密），公开其 SM3 承诺 ${reserveSm3.slice(0, 16)}…`);
  auction = await grantor.post<AuctionView>(`/api/auctions/${auction.id}/publish`, {});
  deps.log(
    `    出让公告已发布：竞买申请与保证金截止 ${at(until)}；挂牌 ${at(biddingStartsAt)} 至 ${at(listingEndsAt)}；限时竞价每次报价后倒计时 ${TERMS.countdownMinutes} 分钟`,
  );

  deps.log('③ 竞买申请与竞买保证金（竞买人匿名：竞价中只显示竞买号）');
  const bank = await demoBank(deps);
  const pseudonyms = new Map<string, string>();
  for (const [i, username] of AUCTION_BIDDERS.entries()) {
    const registration = await bidder(username).post<Registration>(
      `/api/auctions/${auction.id}/registrations`,
      {},
    );
    pseudonyms.set(username, registration.pseudonym);
    const account = await payDeposit(deps, bank, bidder(username), lot.id, TERMS.depositYuan, String(i + 1));
    deps.log(
      `    ${username}：${registration.pseudonym}；从基本账户转入虚拟子账号 ${account} 竞买保证金 ${yuan(TERMS.depositYuan)}`,
    );
  }
  // The pseudonym is what the room shows ("竞买号 A7K3"); the username only in this printout.
  const name = (u: string) => `${pseudonyms.get(u)}（${u}）`;

  const bid = async (username: string, amountYuan: string): Promise<BidAck> =>
    bidder(username).post<BidAck>(`/api/auctions/${auction.id}/bids`, { amountYuan });

  await jumpTo(deps, biddingStartsAt, '挂牌开始');
  deps.log('④ 挂牌报价（报价单：每次不低于当前价加一个加价幅度）');
  const listing: [string, string, number][] = [
    ['toubiao1', '36000000.00', 2],
    ['toubiao2', '36500000.00', 3],
    ['toubiao3', '37000000.00', 1],
  ];
  for (const [username, amount, days] of listing) {
    const ack = await bid(username, amount);
    deps.log(`    ${at(ack.at)} ${name(username)} 报价 ${yuan(ack.amountYuan)}（第 ${ack.seq} 号）`);
    await jumpTo(deps, new Date(deps.clock.now().getTime() + days * DAY), '挂牌期间');
  }

  await jumpTo(deps, new Date(listingEndsAt.getTime() + 1_000), '挂牌期满');
  let room = await admin.get<RoomView>(`/api/auctions/${auction.id}/room`);
  deps.log(
    `⑤ 挂牌期满，三家竞买人均有有效报价，转入网上限时竞价（39号令第二十条）：自 ${yuan(room.currentPriceYuan)}加一个加价幅度起，倒计时截止 ${at(room.countdownEndsAt ?? room.phaseEndsAt)}`,
  );

  deps.log(`⑥ 限时竞价：每次有效报价后倒计时重新计为 ${TERMS.countdownMinutes} 分钟，期满无新报价即结束`);
  const timed: [string, number][] = [
    ['toubiao1', 2],
    ['toubiao2', 4],
    ['toubiao3', 3],
    ['toubiao1', 4.5],
    ['toubiao3', 2],
    ['toubiao2', 3.5],
    ['toubiao3', 1],
  ];
  let last: BidAck | null = null;
  for (const [username, minutes] of timed) {
    // Wait `minutes` of the countdown, then bid the next valid amount.
    await jumpTo(deps, new Date(deps.clock.now().getTime() + minutes * 60_000), `倒计时已过 ${minutes} 分钟`);
    const state = await bidder(username).get<RoomView & { me: { nextValidYuan: string[] } | null }>(
      `/api/auctions/${auction.id}/room`,
    );
    const amount = state.me?.nextValidYuan[0];
    if (!amount) throw new Error('没有可报的有效价格');
    last = await bid(username, amount);
    deps.log(
      `    ${at(last.at)} ${name(username)} 报价 ${yuan(last.amountYuan)}（第 ${last.seq} 号），倒计时重新开始，截止 ${at(last.countdownEndsAt)}`,
    );
    if (username === 'toubiao3' && minutes === 2) {
      // The engine refuses what the rules forbid, in the bidder's own words.
      for (const [who, amountYuan] of [
        ['toubiao3', (BigInt(last.amountYuan.split('.')[0]!) + 500_000n).toString()],
        ['toubiao1', (BigInt(last.amountYuan.split('.')[0]!) + 623_456n).toString()],
      ] as const) {
        try {
          await bid(who, `${amountYuan}.00`);
        } catch (error) {
          const code = error instanceof DemoRequestError ? error.code : null;
          const title = /"title":"([^"]+)"/.exec((error as Error).message)?.[1] ?? '';
          deps.log(`    ✗ ${name(who)} 报价 ${yuan(`${amountYuan}.00`)} 被拒绝：${title}（${code}）`);
        }
      }
    }
  }
  if (!last?.countdownEndsAt) throw new Error('限时竞价没有倒计时');

  await jumpTo(deps, new Date(new Date(last.countdownEndsAt).getTime() + 1), '倒计时届满，无新报价');
  room = await admin.get<RoomView>(`/api/auctions/${auction.id}/room`);
  const winner = [...pseudonyms.entries()].find(([, p]) => p === room.result?.winnerPseudonym)?.[0] ?? '—';
  deps.log(
    `⑦ 竞价结束：共 ${room.seq} 次有效报价；最高报价 ${yuan(room.result?.priceYuan)}，竞得人 ${room.result?.winnerPseudonym ?? '—'}（${winner}），不低于底价 → 预成交`,
  );

  deps.log('⑧ 竞得人资格审核（2个工作日内）→ 成交通知书、成交公示');
  await jumpTo(deps, new Date(deps.clock.now().getTime() + 2 * 3_600_000), '出让人审核竞得人资格');
  await grantor.post(`/api/auctions/${auction.id}/qualification`, { passed: true });
  const result = await grantor.get<Record<string, unknown>>(`/api/auctions/${auction.id}/result`);
  deps.log(
    `    资格审核通过，成交通知书已发出（${at(result.noticeAt as string | null)}），成交公示已发布；成交价 ${yuan(result.priceYuan as string)}`,
  );
  await deps.jobs.runDueJobs();

  deps.log('⑨ 竞买保证金：竞得人的转为成交价款，其余5个工作日内原路退还（不计利息）');
  try {
    const deposits = await grantor.get<{
      bidders: {
        name: string;
        refunds: { kindNameZh: string; statusNameZh: string; principalYuan: string | null; dueAt?: string }[];
      }[];
    }>(`/api/lots/${lot.id}/deposits`);
    for (const b of deposits.bidders) {
      for (const r of b.refunds) {
        deps.log(
          `    ${b.name}：${r.kindNameZh} ${yuan(r.principalYuan)}，${r.statusNameZh}${r.dueAt ? `，期限 ${at(r.dueAt)}` : ''}`,
        );
      }
    }
  } catch (error) {
    deps.log(`    （保证金明细暂不可查：${(error as Error).message.slice(0, 120)}）`);
  }

  deps.log('⑩ 竞价记录：每次报价首尾相接的 SM3 哈希链，公开可验');
  const record = await admin.get<AuctionRecord>(`/api/public/auctions/${auction.id}/record`);
  const verified = verifyAuctionRecord(record);
  deps.log(
    `    ${record.bids.length} 条报价，链尾 ${record.head.slice(0, 16)}…；底价 ${yuan(record.reserve?.amountYuan)} 与竞价前承诺一致：${verified.ok ? '核验通过' : `发现问题：${verified.problems.join('；')}`}`,
  );
  const tampered: AuctionRecord = JSON.parse(JSON.stringify(record));
  const first = tampered.bids[0];
  if (first) first.amountYuan = '36500000.00';
  const caught = verifyAuctionRecord(tampered);
  deps.log(
    `    篡改一条报价后再核验：${caught.ok ? '未发现（不应发生）' : `发现篡改 —— ${caught.problems[0]}`}`,
  );

  return {
    auctionId: auction.id,
    winner: `${room.result?.winnerPseudonym ?? '—'}（${winner}）`,
    priceYuan: yuan(room.result?.priceYuan),
    bids: record.bids.length,
    recordOk: verified.ok,
    tamperDetected: !caught.ok,
  };
}
