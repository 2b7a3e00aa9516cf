import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { bidPack, submitPackedBid } from '../cli/bid.ts';
import { connect, decryptOwnBid } from '../cli/opening.ts';
import { formatShanghaiTime, type JumpingClock } from '../platform/clock/index.ts';
import {
  exportSm2PrivateKeyPem,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  importSm2PrivateKeyPem,
  type Sm2PrivateKey,
  sm2Sign,
  toBase64Url,
} from '../platform/crypto/index.ts';
import type { HttpServer } from '../platform/http/index.ts';
import { findAccountByUsername, type Identity } from '../platform/identity/index.ts';
import type { AllTables } from '../tables.ts';
import { type GuaranteeDocument, signGuarantee, signRequest } from '../trading/deposits/index.ts';
import { reportSigningText } from '../trading/evaluation/index.ts';
import { suggestTimeline } from '../trading/procedures/index.ts';
import { SEED_ORIGIN } from './demo.ts';
import { DemoClient } from './demo-client.ts';
import { DEMO_BANK } from './demo-deposits.ts';
import { DEMO_COMMITTEE_EXPERTS, DEMO_COMMITTEE_SPECIALTY } from './demo-experts.ts';

/**
 * `ggzy demo`: one whole tender played by the demo people at accelerated time, every step through the
 * platform's API (the bidders' through the command-line tools over HTTP, as a bidder's machine would) —
 * registration, announcement, documents, five sealed bids with deposits (one by e-guarantee), the remote
 * opening with decryption, the expert draw, the evaluation, publicity, award, contract and refunds. The
 * clock runs at the real rate and jumps over the days each legal period asks for.
 */
export interface DemoTenderDeps {
  app: HttpServer;
  db: Kysely<AllTables>;
  identity: Identity;
  jobs: { runDueJobs(): Promise<unknown> };
  clock: JumpingClock;
  /** Where the platform listens (the bidders' tools call it over HTTP). */
  serverUrl: string;
  /** The demo data directory (the demo accounts' certificates are in certs/<username>/). */
  dataDir: string;
  log(line: string): void;
}

export const DEMO_BIDDERS = ['toubiao1', 'toubiao2', 'toubiao3', 'toubiao4', 'toubiao5'] as const;
const PASSWORD = 'Ggzy@2026';

interface LotView {
  id: string;
  code: string;
  name: string;
  rulesAsOf: string;
}
interface ProjectView {
  id: string;
  code: string;
  version: number;
  lots: LotView[];
}
interface TimelineView {
  documentsFrom: string;
  documentsUntil: string;
  bidDeadline: string;
  openingAt: string;
}

export interface DemoTenderState {
  people: Map<string, DemoClient>;
  projectId: string;
  lot: LotView;
  timeline: TimelineView;
  /** The bidders' quoted prices (yuan), in DEMO_BIDDERS order. */
  prices: string[];
  drawId: string;
  evaluationStartsAt: Date;
}

const PROJECT = {
  name: '呼和浩特市示范第一中学综合体育馆钢结构工程',
  catalogItemCode: '0101',
  mandatoryTender: true,
  fundSource: '财政资金',
  budgetYuan: '9600000.00',
  regionCode: '150102',
  address: '呼和浩特市新城区新华大街示范路1号',
  approvalDocuments: [
    {
      name: '关于呼和浩特市示范第一中学综合体育馆工程初步设计的批复',
      number: '呼发改审批〔2026〕41号',
      authority: '呼和浩特市发展和改革委员会',
    },
  ],
  lots: [
    {
      name: '钢结构施工',
      procedureType: 'open-tender.works' as const,
      estimateYuan: '9600000.00',
      content: '综合体育馆主体钢结构制作、安装及防腐防火涂装',
    },
  ],
};

const DEPOSIT_YUAN = '100000.00';
const PRICES = ['9180000.00', '9320000.00', '9050000.00', '9410000.00', '9260000.00'];

function at(iso: string | Date): string {
  return formatShanghaiTime(new Date(iso));
}

/** Opens a bearer session for a demo account (witnessed like any sign-in). */
async function signIn(deps: DemoTenderDeps, username: string): Promise<DemoClient> {
  const account = await findAccountByUsername(deps.db, username);
  if (!account) throw new Error(`演示账号 ${username} 不存在（demo account missing）`);
  const session = await deps.identity.openSession(
    { db: deps.db, clock: deps.clock, actor: null, origin: SEED_ORIGIN },
    { accountId: account.id, kind: 'bearer', method: 'password' },
  );
  return new DemoClient(deps.app, session.token);
}

/** Moves platform time to `to` and runs every job that fell due (deadlines, windows, reveals). */
export async function jumpTo(deps: DemoTenderDeps, to: Date | string, why: string): Promise<void> {
  const target = new Date(to);
  if (target.getTime() > deps.clock.now().getTime()) {
    deps.clock.jumpTo(target);
    deps.log(`    ⏩ 时间推进至 ${at(target)}（${why}）`);
  }
  await deps.jobs.runDueJobs();
}

/** Registration, announcement and documents; the five bidders obtain the documents and pay deposits. */
export async function prepareTender(
  deps: DemoTenderDeps,
): Promise<Omit<DemoTenderState, 'drawId' | 'evaluationStartsAt'>> {
  const people = new Map<string, DemoClient>();
  for (const username of ['admin', 'zhaobiao', 'daili', 'jiandu', ...DEMO_BIDDERS]) {
    people.set(username, await signIn(deps, username));
  }
  const person = (u: string) => people.get(u)!;
  const zhaobiao = person('zhaobiao');
  const daili = person('daili');
  const admin = person('admin');

  deps.log('① 项目登记与受理（§15）');
  let project = await zhaobiao.post<ProjectView>('/api/projects', PROJECT);
  project = await zhaobiao.post<ProjectView>(`/api/projects/${project.id}/authorisations`, {
    agencyCreditCode: '91150100MA0000007W',
    documentName: '招标代理委托合同',
    documentNumber: 'ZX-2026-041',
    scope: '招标代理全过程：编制招标文件、发布公告、组织开标评标、发布结果公告',
  });
  project = await admin.post<ProjectView>(`/api/admin/projects/${project.id}/receive`, {
    reviewedVersion: project.version,
    catalogItemCode: PROJECT.catalogItemCode,
    note: '登记材料齐全，予以受理。',
  });
  const lot = project.lots[0]!;
  deps.log(
    `    招标人 zhaobiao 登记项目 ${project.code}，委托代理机构 daili；交易中心受理。标段 ${lot.code}`,
  );

  deps.log('② 招标文件与招标公告（§16–17）');
  await daili.put(`/api/lots/${lot.id}/bid-settings`, { depositForms: ['cash', 'guarantee'] });
  const sha256 = await daili.upload(
    'tender-documents.txt',
    'text/plain',
    Buffer.from(`${PROJECT.name}\n${lot.name} 招标文件（演示）\n第三章 评标办法：综合评估法\n`),
  );
  await daili.post(`/api/lots/${lot.id}/documents`, { sha256, filename: `${PROJECT.name}招标文件.txt` });
  const suggested = suggestTimeline(
    'open-tender.works',
    new Date(deps.clock.now().getTime() + 60_000),
    lot.rulesAsOf as never,
  );
  const draft = await daili.post<{ id: string }>(`/api/lots/${lot.id}/announcements`, {
    kind: 'tender',
    title: `${PROJECT.name}${lot.name}招标公告`,
    body: `1. 招标条件：本项目已具备招标条件，现公开招标。\n2. 投标保证金：人民币 10 万元，银行转账或电子保函。\n3. 评标办法：综合评估法。`,
    depositYuan: DEPOSIT_YUAN,
    timeline: {
      documentsFrom: suggested.documentsFrom.toISOString(),
      documentsUntil: suggested.documentsUntil.toISOString(),
      bidDeadline: suggested.bidDeadline.toISOString(),
      openingAt: suggested.openingAt.toISOString(),
    },
  });
  await daili.post(`/api/lots/${lot.id}/announcements/${draft.id}/publish`);
  const timeline = await daili.get<TimelineView>(`/api/lots/${lot.id}/timeline`);
  deps.log(
    `    公告已发布（SM2 签名）：发售 ${at(timeline.documentsFrom)} 起，投标截止 ${at(timeline.bidDeadline)}，开标 ${at(timeline.openingAt)}`,
  );
  return { people, projectId: project.id, lot, timeline, prices: PRICES };
}

/** The five bidders obtain the documents, pay their deposits (one by e-guarantee), seal and submit bids. */
export async function submitBids(
  deps: DemoTenderDeps,
  state: Pick<DemoTenderState, 'people' | 'projectId' | 'lot' | 'timeline' | 'prices'>,
): Promise<void> {
  const { lot, timeline } = state;
  await jumpTo(deps, timeline.documentsFrom, '招标文件开始发售');
  deps.log('③ 获取招标文件、缴纳投标保证金（§18）');
  for (const username of DEMO_BIDDERS) {
    await state.people.get(username)!.download(`/api/lots/${lot.id}/documents/file`);
  }
  const admin = state.people.get('admin')!;
  const bank = await demoInstitution(deps, admin, 'bank');
  for (const username of DEMO_BIDDERS.slice(0, 4)) {
    await payByTransfer(deps, state.people.get(username)!, bank, lot.id, username);
  }
  const guarantor = await demoInstitution(deps, admin, 'guarantor');
  await issueGuarantee(deps, guarantor, state, 'toubiao5');
  deps.log(
    '    toubiao1–4 经演示银行从基本账户转账；toubiao5 提交演示担保机构的电子保函（SM2 签名，平台验签）',
  );

  deps.log('④ 投标人本地加密、签名并上传投标文件（§17）');
  for (const [i, username] of DEMO_BIDDERS.entries()) {
    const dir = path.join(deps.dataDir, 'demo-bids', username);
    await mkdir(dir, { recursive: true });
    const technical = path.join(dir, '技术标.txt');
    await writeFile(
      technical,
      `${username} 技术标：钢结构施工组织设计、质量与安全保证措施（演示）\n`.repeat(40),
    );
    const out = path.join(dir, 'sealed');
    const quiet = { out: () => {}, err: (line: string) => deps.log(`    ${line}`) };
    const login = { server: deps.serverUrl, username, password: PASSWORD };
    const packed = await bidPack(
      {
        ...login,
        lot: lot.id,
        part: [
          `summary:price=${state.prices[i]},duration=${180 - i * 5},quality=合格`,
          `technical:${technical}`,
        ],
        certDir: path.join(deps.dataDir, 'certs', username),
        out,
      },
      quiet,
    );
    if (packed !== 0) throw new Error(`${username} 的投标文件封装失败`);
    const receipt = await submitPackedBid({ ...login, dir: out }, quiet);
    deps.log(
      `    ${username}：报价 ${state.prices[i]} 元，已密封提交，回执：见证事件 #${receipt.receipt.witnessEventId}，清单 SM3 ${receipt.receipt.manifestSm3.slice(0, 16)}…`.trimEnd(),
    );
  }
}

async function demoInstitution(
  deps: DemoTenderDeps,
  admin: DemoClient,
  kind: 'bank' | 'guarantor',
): Promise<{ id: string; creditCode: string; name: string; key: Sm2PrivateKey }> {
  const dir = path.join(deps.dataDir, 'simulators', kind);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info =
    kind === 'bank'
      ? DEMO_BANK
      : { name: '演示融资担保有限公司（仅供演示和测试）', creditCode: '91152500MA0000066D' };
  const { items } = await admin.get<{ items: { id: string; creditCode: string }[] }>(
    '/api/admin/deposit-institutions',
  );
  const existing = items.find((i) => i.creditCode === info.creditCode);
  let key: Sm2PrivateKey;
  try {
    key = importSm2PrivateKeyPem(await readFile(path.join(dir, 'key.pem'), 'utf8'));
  } catch {
    key = generateSm2KeyPair();
    await writeFile(path.join(dir, 'key.pem'), exportSm2PrivateKeyPem(key), { mode: 0o600 });
  }
  if (existing) return { id: existing.id, ...info, key };
  const created = await admin.post<{ id: string }>('/api/admin/deposit-institutions', {
    name: info.name,
    kind,
    creditCode: info.creditCode,
    publicKeyPem: exportSm2PublicKeyPem(key.publicKey),
  });
  return { id: created.id, ...info, key };
}

async function institutionPost(
  deps: DemoTenderDeps,
  institution: { id: string; key: Sm2PrivateKey },
  target: string,
  payload: unknown,
): Promise<void> {
  const body = JSON.stringify(payload);
  const res = await deps.app.inject({
    method: 'POST',
    url: target,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'ggzy demo (institution)',
      ...signRequest(institution.key, { institutionId: institution.id, method: 'POST', target, body }),
    },
    payload: body,
  });
  if (res.statusCode !== 200 && res.statusCode !== 201) {
    throw new Error(`演示机构请求被拒绝 ${target}: ${res.statusCode} ${res.body}`);
  }
}

interface EntityView {
  name: string;
  creditCode: string | null;
  basicAccount: { accountNumber: string; accountName: string; bankName: string };
}

async function payByTransfer(
  deps: DemoTenderDeps,
  bidder: DemoClient,
  bank: { id: string; key: Sm2PrivateKey },
  lotId: string,
  username: string,
): Promise<void> {
  const entity = await bidder.get<EntityView>('/api/my/entity');
  const account = await bidder.post<{ virtualAccount: string }>(`/api/lots/${lotId}/my-deposit/account`, {
    institutionId: bank.id,
  });
  await institutionPost(deps, bank, '/api/institution/transfers', {
    virtualAccount: account.virtualAccount,
    amountYuan: DEPOSIT_YUAN,
    payerAccountNumber: entity.basicAccount.accountNumber,
    payerAccountName: entity.basicAccount.accountName,
    payerBankName: entity.basicAccount.bankName,
    bankTransferId: `DEMO-${lotId.slice(0, 8)}-${username}`,
    valueTime: deps.clock.now().toISOString(),
  });
}

/** 电子保函: the guarantor signs a guarantee for the bidder (applicant) in favour of the initiator. */
async function issueGuarantee(
  deps: DemoTenderDeps,
  guarantor: { id: string; creditCode: string; name: string; key: Sm2PrivateKey },
  state: Pick<DemoTenderState, 'people' | 'projectId' | 'lot'>,
  username: string,
): Promise<void> {
  const applicant = await state.people.get(username)!.get<EntityView>('/api/my/entity');
  const project = await state.people
    .get('zhaobiao')!
    .get<{ initiator: { organizationId: string; name: string } }>(`/api/projects/${state.projectId}`);
  const now = deps.clock.now();
  const document: GuaranteeDocument = {
    format: 'ggzy-guarantee/v1',
    guaranteeNo: `DEMO-BH-${state.lot.code.slice(-8)}`,
    issuer: { institutionId: guarantor.id, creditCode: guarantor.creditCode, name: guarantor.name },
    lotId: state.lot.id,
    lotCode: state.lot.code,
    applicant: { creditCode: applicant.creditCode ?? '', name: applicant.name },
    beneficiary: project.initiator,
    amountYuan: DEPOSIT_YUAN,
    validFrom: now.toISOString(),
    validUntil: new Date(now.getTime() + 180 * 86_400_000).toISOString(),
    issuedAt: now.toISOString(),
  };
  await institutionPost(deps, guarantor, '/api/institution/guarantees', {
    guarantee: document,
    signature: signGuarantee(guarantor.key, document),
  });
}

/** 不见面开标: sign-in, reveal, each bidder decrypting with its own key (the CLI), the signed record. */
export async function openBids(
  deps: DemoTenderDeps,
  state: Pick<DemoTenderState, 'people' | 'lot' | 'timeline'>,
): Promise<void> {
  const { lot, timeline } = state;
  await jumpTo(deps, timeline.openingAt, '投标截止，开标时间到');
  deps.log('⑤ 不见面开标：签到、开标、投标人远程解密、公布开标记录（§20）');
  const url = (rest: string) => `/api/lots/${lot.id}/opening${rest}`;
  const daili = state.people.get('daili')!;
  for (const username of DEMO_BIDDERS) await state.people.get(username)!.post(url('/sign-in'));
  await daili.post(url('/steps/start-opening'), {});
  await daili.post(url('/steps/start-decryption'), {});
  for (const username of DEMO_BIDDERS) {
    const api = await connect({ server: deps.serverUrl, username, password: PASSWORD });
    const key = importSm2PrivateKeyPem(
      await readFile(path.join(deps.dataDir, 'certs', username, 'enc.key.pem'), 'utf8'),
    );
    await decryptOwnBid(api, lot.id, key);
  }
  await deps.jobs.runDueJobs();
  await daili.post(url('/steps/close-decryption'), {});
  await daili.post(url('/steps/publish-record'), {});
  const record = await daili.get<{
    recordSm3: string;
    record: { entries: { bidder: { name: string }; priceYuan: string }[] };
  }>(`/api/public/lots/${lot.id}/opening-record`);
  for (const entry of record.record.entries) deps.log(`    ${entry.bidder.name}：${entry.priceYuan} 元`);
  deps.log(`    开标记录 SM3 ${record.recordSm3}（平台 SM2 签名，公开可验）`);
  await jumpTo(deps, new Date(deps.clock.now().getTime() + 31 * 60_000), '开标记录确认期结束');
}

/** 随机抽取评标专家: four experts of specialty A080102 (the demo's five hold it), confirmed, revealed. */
export async function drawExperts(
  deps: DemoTenderDeps,
  state: Pick<DemoTenderState, 'people' | 'lot'>,
): Promise<{ drawId: string; evaluationStartsAt: Date }> {
  deps.log('⑥ 随机抽取评标专家（§19）');
  const daili = state.people.get('daili')!;
  const startsAt = new Date(deps.clock.now().getTime() + 26 * 3_600_000);
  const draw = await daili.post<{ id: string }>(`/api/lots/${state.lot.id}/expert-draws`, {
    evaluationStartsAt: startsAt.toISOString(),
    durationMinutes: 480,
    confirmWindowMinutes: 120,
    venues: [{ role: 'host', regionCode: '150102', name: '交易中心第一评标室', seats: 9 }],
    groups: [{ specialtyCode: DEMO_COMMITTEE_SPECIALTY, count: 4, venueIndex: 0 }],
    exclusions: [],
  });
  await daili.post(`/api/expert-draws/${draw.id}/run`);
  await deps.jobs.runDueJobs();
  let confirmed = 0;
  for (const username of ['zhuanjia', ...DEMO_COMMITTEE_EXPERTS.map((e) => e.username)]) {
    const expert = await signIn(deps, username);
    state.people.set(username, expert);
    const mine = await expert.get<{ items: { id: string; status: string }[] }>('/api/my/expert-assignments');
    const notice = mine.items.find((a) => a.status === 'notified');
    if (!notice) continue;
    await expert.post(`/api/expert-assignments/${notice.id}/confirm`, { declareNoConflict: true });
    confirmed += 1;
  }
  deps.log(`    种子承诺已入见证日志后抽取；${confirmed} 位专家确认参加（名单在评标开始前保密）`);
  await jumpTo(deps, startsAt, '评标开始，专家名单揭晓');
  return { drawId: draw.id, evaluationStartsAt: startsAt };
}

/** 评标办法 of the demo (综合评估法): set before the deadline, the only criteria the committee may score. */
const PLAN = {
  method: 'comprehensive',
  criteria: [
    {
      id: 'qual-license',
      step: 'qualification',
      name: '营业执照、施工总承包资质及安全生产许可证',
      kind: 'pass-fail',
      min: null,
      max: null,
      objective: true,
      ground: 'unqualified',
    },
    {
      id: 'pre-signed',
      step: 'preliminary',
      name: '投标文件签字盖章及投标有效期',
      kind: 'pass-fail',
      min: null,
      max: null,
      objective: true,
      ground: 'unsigned',
    },
    {
      id: 'tech',
      step: 'detailed',
      name: '施工组织设计',
      kind: 'scored',
      min: 0,
      max: 40,
      objective: false,
      ground: null,
    },
    {
      id: 'record',
      step: 'detailed',
      name: '类似工程业绩',
      kind: 'scored',
      min: 0,
      max: 20,
      objective: true,
      ground: null,
    },
  ],
  priceWeight: 40,
  abnormalLowPercent: 80,
  candidateCount: 3,
};

/** 评标办法 set by the agency before the bid deadline (实施条例第四十九条: only these criteria count). */
export async function setEvaluationPlan(
  deps: DemoTenderDeps,
  state: Pick<DemoTenderState, 'people' | 'lot'>,
) {
  await state.people.get('daili')!.put(`/api/lots/${state.lot.id}/evaluation/plan`, PLAN);
  deps.log(
    '    评标办法：综合评估法（资格审查、初步评审合格制；施工组织设计 40 分、业绩 20 分；价格 40 分）',
  );
}

interface MemberView {
  me: { memberId: string; kind: string };
  bidders?: { bidId: string; bidderName: string }[];
}

/** Signs `text` with the demo account's SM2 signing key (data/certs/<username>/sign.key.pem), as its tool would. */
async function signAs(deps: DemoTenderDeps, username: string, text: string): Promise<string> {
  const key = importSm2PrivateKeyPem(
    await readFile(path.join(deps.dataDir, 'certs', username, 'sign.key.pem'), 'utf8'),
  );
  return toBase64Url(sm2Sign(key, new TextEncoder().encode(text)));
}

/** 评标: committee of four drawn experts and the initiator's representative, independent scores, the report. */
export async function evaluate(deps: DemoTenderDeps, state: DemoTenderState): Promise<string> {
  const lotId = state.lot.id;
  const url = (rest: string) => `/api/lots/${lotId}/evaluation${rest}`;
  deps.log('⑦ 评标（§21）：组建评标委员会、签到、回避声明、推选组长、独立评分、汇总');
  const daili = state.people.get('daili')!;
  const initiatorId = (await findAccountByUsername(deps.db, 'zhaobiao'))!.id;
  await daili.post(url('/committee'), { representativeAccountIds: [initiatorId] });
  const members: { username: string; client: DemoClient; memberId: string; kind: string }[] = [];
  for (const username of ['zhuanjia', ...DEMO_COMMITTEE_EXPERTS.map((e) => e.username), 'zhaobiao']) {
    const client = state.people.get(username)!;
    const tasks = await client.get<{ items: { lotId: string }[] }>('/api/my/evaluations');
    if (!tasks.items.some((t) => t.lotId === lotId)) continue;
    await client.post(url('/sign-in'));
    await client.post(url('/declaration'), { declareNoConflict: true });
    const view = await client.get<MemberView>(url('/member'));
    members.push({ username, client, memberId: view.me.memberId, kind: view.me.kind });
  }
  const chair = members.find((m) => m.kind === 'expert')!;
  for (const m of members) {
    const voted = await m.client.post<{ elected: boolean }>(url('/chair-votes'), {
      memberId: chair.memberId,
    });
    if (voted.elected) break;
  }
  deps.log(
    `    委员会 ${members.length} 人（专家 ${members.filter((m) => m.kind === 'expert').length} 人、招标人代表 1 人），组长：${chair.username}`,
  );
  const { record } = await daili.get<{ record: { entries: { bidId: string }[] } }>(
    `/api/public/lots/${lotId}/opening-record`,
  );
  const entries = record.entries;
  for (const step of ['qualification', 'preliminary', 'detailed'] as const) {
    for (const [mi, m] of members.entries()) {
      const items = entries.flatMap((e, bi) =>
        PLAN.criteria
          .filter((c) => c.step === step)
          .map((c) =>
            c.kind === 'pass-fail'
              ? { bidId: e.bidId, criterionId: c.id, passed: true }
              : {
                  bidId: e.bidId,
                  criterionId: c.id,
                  // Each member judges on its own: a little spread between members and bids.
                  score: Math.max(0, (c.max ?? 0) - ((bi * 3 + mi) % 7)),
                  reason: '按评分标准逐项评审',
                },
          ),
      );
      await m.client.post(url(`/steps/${step}/sheet`), { items });
    }
  }
  await chair.client.post(url('/aggregate'));
  const report = await chair.client.post<{ reportSm3: string }>(url('/report'));
  for (const m of members) {
    const signature = await signAs(deps, m.username, reportSigningText(lotId, report.reportSm3));
    await m.client.post(url('/report/signatures'), { decision: 'sign', signature });
  }
  await deps.jobs.runDueJobs();
  const view = await daili.get<{
    aggregation: {
      bidders: { rank: number | null; bidderName: string; score: string | null; priceScore: string | null }[];
    } | null;
  }>(url(''));
  const ranked = (view.aggregation?.bidders ?? [])
    .filter((b) => b.rank !== null)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  for (const b of ranked.slice(0, 3)) {
    deps.log(`    第${b.rank}名 ${b.bidderName}：综合得分 ${b.score}（其中价格分 ${b.priceScore}）`);
  }
  deps.log(`    评标报告已由全体成员 SM2 签名，SM3 ${report.reportSm3.slice(0, 16)}…，PDF 已归档`);
  return report.reportSm3;
}

interface AwardView {
  status: string;
  candidates: { rank: number; bidId: string; bidderName: string; priceYuan: string }[];
  publicity: { endsAt: string | null } | null;
}

/** 定标: candidates publicity ≥3 日, the initiator confirms the first, the signed notice and the result. */
export async function award(deps: DemoTenderDeps, state: DemoTenderState) {
  const lotId = state.lot.id;
  const daili = state.people.get('daili')!;
  const zhaobiao = state.people.get('zhaobiao')!;
  deps.log('⑧ 中标候选人公示（实施条例第五十四条，不少于3日）');
  let view = await daili.post<AwardView>(`/api/lots/${lotId}/award/publicity`, {
    objectionChannel: '招标代理机构 张丽 0471-6600002；投标人也可在平台提出异议',
  });
  await jumpTo(deps, new Date(view.publicity!.endsAt!), '公示期满');
  deps.log('⑨ 定标与中标通知书（§22）');
  const first = view.candidates.find((c) => c.rank === 1)!;
  view = await zhaobiao.post<AwardView>(`/api/lots/${lotId}/award/confirm`, { bidId: first.bidId });
  view = await daili.post<AwardView>(`/api/lots/${lotId}/award/notice`);
  deps.log(
    `    招标人确定第一中标候选人 ${first.bidderName} 为中标人（${first.priceYuan} 元）；中标通知书经平台 SM2 签名发出，中标结果公告已发布`,
  );
  return first;
}

interface ContractPage {
  draftDefaults: { priceYuan: string; maxPerformanceBondYuan: string };
  contract: {
    id: string;
    signingText: string;
    status: string;
    refunds: { dueBy: string; periodZh: string } | null;
  } | null;
}

/** 合同: drafted at the winning price, signed by both parties with SM2, deposits refunded. */
export async function signContract(
  deps: DemoTenderDeps,
  state: DemoTenderState,
  winner: { bidderName: string },
): Promise<{ priceYuan: string; refunds: number }> {
  const lotId = state.lot.id;
  const zhaobiao = state.people.get('zhaobiao')!;
  deps.log('⑩ 签订合同（§23，中标通知书发出之日起30日内）');
  await jumpTo(deps, new Date(deps.clock.now().getTime() + 5 * 86_400_000), '合同谈判');
  let page = await zhaobiao.get<ContractPage>(`/api/lots/${lotId}/contract`);
  page = await zhaobiao.post<ContractPage>(`/api/lots/${lotId}/contract`, {
    priceYuan: page.draftDefaults.priceYuan,
    performanceBondYuan: page.draftDefaults.maxPerformanceBondYuan,
    terms: {
      scope: PROJECT.lots[0]!.content,
      payment: '按月支付已完成工程量的80%，竣工结算后付至97%，余款为质量保证金',
    },
  });
  const contract = page.contract!;
  const winnerUsername = await winnerAccount(state, winner.bidderName);
  for (const username of [winnerUsername, 'zhaobiao']) {
    const signature = await signAs(deps, username, contract.signingText);
    page = await state.people
      .get(username)!
      .post<ContractPage>(`/api/contracts/${contract.id}/sign`, { signature });
  }
  deps.log(
    `    合同价款 ${page.draftDefaults.priceYuan} 元（与中标价一致），履约保证金 ${page.draftDefaults.maxPerformanceBondYuan} 元（≤10%）；双方 SM2 签名`,
  );
  await deps.jobs.runDueJobs();
  deps.log('⑪ 退还投标保证金（实施条例第五十七条：合同签订后5日内，含银行同期存款利息）');
  const deposits = await state.people.get('daili')!.get<{
    bidders: {
      name: string;
      refunds: {
        kindNameZh: string;
        statusNameZh: string;
        principalYuan: string | null;
        interestYuan: string | null;
      }[];
    }[];
  }>(`/api/lots/${lotId}/deposits`);
  let refunds = 0;
  for (const b of deposits.bidders) {
    for (const r of b.refunds) {
      refunds += 1;
      const money = r.principalYuan ? ` ${r.principalYuan} 元（利息 ${r.interestYuan ?? '0.00'} 元）` : '';
      deps.log(`    ${b.name}：${r.kindNameZh}${money}，${r.statusNameZh}`);
    }
  }
  if (page.contract?.refunds)
    deps.log(`    退还期限 ${page.contract.refunds.periodZh}，最迟 ${at(page.contract.refunds.dueBy)}`);
  return { priceYuan: page.draftDefaults.priceYuan, refunds };
}

async function winnerAccount(state: DemoTenderState, bidderName: string): Promise<string> {
  for (const username of DEMO_BIDDERS) {
    const entity = await state.people.get(username)!.get<EntityView>('/api/my/entity');
    if (entity.name === bidderName) return username;
  }
  throw new Error(`中标人 ${bidderName} 不是演示投标人`);
}

export interface DemoTenderSummary {
  winner: string;
  contractYuan: string;
  refunds: number;
}

export async function runDemoTender(deps: DemoTenderDeps): Promise<DemoTenderSummary> {
  const prepared = await prepareTender(deps);
  await setEvaluationPlan(deps, prepared);
  await submitBids(deps, prepared);
  await openBids(deps, prepared);
  const drawn = await drawExperts(deps, prepared);
  const state: DemoTenderState = { ...prepared, ...drawn };
  await evaluate(deps, state);
  const winner = await award(deps, state);
  const contract = await signContract(deps, state, winner);
  return { winner: winner.bidderName, contractYuan: contract.priceYuan, refunds: contract.refunds };
}
