import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  makeTestPlatform,
  type TestAccount,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import { creditCodeCheckCharacter } from '../../platform/certs/index.ts';
import {
  type EnvelopeRecipient,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  type Sm2PrivateKey,
  sm2Sign,
  toBase64Url,
  unwrapContentKey,
} from '../../platform/crypto/index.ts';
import { sequenceWitnessEvents } from '../../platform/witness/index.ts';
import { type MachineFingerprint, packBid } from '../../trading/bids/index.ts';
import {
  type BidFactoryClient,
  type BidFactoryPlatform,
  issueBidderKeys,
  type LotForBidding,
  openLotForBidding,
  type TestBidder,
  uploadPacked,
} from '../../trading/bids/test-factory.ts';
import { signRequest } from '../../trading/deposits/index.ts';
import { reportSigningText } from '../../trading/evaluation/index.ts';
import {
  defaultPlan,
  type EvaluationFactoryPlatform,
  evaluatedLot,
  fullSheet,
} from '../../trading/evaluation/test-factory.ts';
import { relogin } from '../../trading/opening/test-factory.ts';
import { giveTestScope } from '../scopes/test-factory.ts';
import { followWitnessLog, startMonitoringLive } from './index.ts';

/**
 * 风险监测预警 through the real platform: lots opened by their parties through the API, the witness log
 * followed, alerts raised with their evidence, the rules as versioned data, the handling workflow within
 * the supervisors' scopes.
 */
let p: TestPlatform;
const factory = () => p as unknown as BidFactoryPlatform;
// biome-ignore lint/suspicious/noExplicitAny: the tests read response bodies loosely, by the fields they assert on.
type Json = Record<string, any>;

let supervisor: Awaited<ReturnType<TestPlatform['as']>>;
let farSupervisor: Awaited<ReturnType<TestPlatform['as']>>;
let operator: Awaited<ReturnType<TestPlatform['as']>>;
let bank: { id: string; key: Sm2PrivateKey };
let staff: { near: TestAccount; far: TestAccount; op: TestAccount };

/** Sessions live in platform time: after the clock jumps a lot's weeks, the staff sign in again. */
async function relogStaff() {
  supervisor = await p.as(staff.near);
  farSupervisor = await p.as(staff.far);
  operator = await p.as(staff.op);
}

beforeAll(async () => {
  p = await makeTestPlatform({
    GGZY_LOGIN_RATE_MAX: '100000',
    GGZY_REGISTRATION_RATE_MAX: '100000',
    GGZY_SESSION_HOURS: String(24 * 30),
  });
  const near = await p.makeAccount(['supervisor']);
  await giveTestScope(p.db, near.id, { department: '自治区住房和城乡建设厅' });
  const far = await p.makeAccount(['supervisor']);
  // 阿拉善盟 only: the test lots (呼和浩特) are outside its scope.
  await giveTestScope(p.db, far.id, { department: '阿拉善盟财政局', regionPrefixes: ['1529'] });
  const op = await p.makeAccount(['operator']);
  staff = { near, far, op };
  await relogStaff();
  const key = generateSm2KeyPair();
  const first17 = `91150100${Math.random().toString(16).slice(2, 12).toUpperCase()}`
    .slice(0, 17)
    .padEnd(17, '0');
  const registered = await operator.post('/api/admin/deposit-institutions', {
    name: uniqueName('测试银行'),
    kind: 'bank',
    creditCode: `${first17}${creditCodeCheckCharacter(first17)}`,
    publicKeyPem: exportSm2PublicKeyPem(key.publicKey),
  });
  expect(registered.statusCode, registered.body).toBe(201);
  bank = { id: registered.json().id, key };
});

beforeEach(async () => {
  if (staff) await relogStaff();
});

afterAll(async () => {
  await p?.close();
});

const deps = () => p.monitoring;

/** A client whose requests come from `ip` (the witness origin and the sealed bidder record keep it). */
function fromIp(session: BidFactoryClient, ip: string): BidFactoryClient {
  const request = (opts: InjectOptions) => session.request({ ...opts, remoteAddress: ip });
  const withBody = (method: 'POST' | 'PUT', url: string, body: unknown) =>
    request({
      method,
      url,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
    });
  return {
    ...session,
    request,
    get: (url: string) => request({ method: 'GET', url }),
    post: (url: string, body?: unknown) => withBody('POST', url, body),
    put: (url: string, body?: unknown) => withBody('PUT', url, body),
  };
}

function machine(n: number): MachineFingerprint {
  const hex = n.toString(16).padStart(2, '0');
  return {
    macs: [`52:54:00:00:00:${hex}`],
    cpu: 'Intel(R) Xeon(R) Gold 6230',
    diskSerial: `WD-${n}`,
    hostname: `pc-${n}`,
  };
}

interface BidPlan {
  price: string;
  machine: MachineFingerprint;
  ip: string;
  /** Deposit paid first from this other bidder's basic account (refused by the bank rule), then its own. */
  alsoPaidFromAccountOf?: number;
}

function ok<T extends { statusCode: number; body: string }>(res: T, what: string): T {
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res;
}

async function basicAccountOf(bidder: TestBidder) {
  const entity = (await bidder.session.get('/api/my/entity')).json() as Json;
  return (entity.entity?.basicAccount ?? entity.basicAccount) as {
    accountNumber: string;
    accountName: string;
    bankName: string;
  };
}

async function payDeposit(
  lotId: string,
  bidder: TestBidder,
  payer: { accountNumber: string; accountName: string; bankName: string },
) {
  const account = ok(
    await bidder.session.post(`/api/lots/${lotId}/my-deposit/account`, { institutionId: bank.id }),
    'virtual account',
  ).json() as Json;
  const body = JSON.stringify({
    virtualAccount: account.virtualAccount,
    amountYuan: '10000.00',
    payerAccountNumber: payer.accountNumber,
    payerAccountName: payer.accountName,
    payerBankName: payer.bankName,
    bankTransferId: uniqueName('TX'),
    valueTime: p.clock.now().toISOString(),
  });
  const headers = signRequest(bank.key, {
    institutionId: bank.id,
    method: 'POST',
    target: '/api/institution/transfers',
    body,
  });
  ok(
    await p.app.inject({
      method: 'POST',
      url: '/api/institution/transfers',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: body,
    }),
    'transfer notice',
  );
}

/**
 * A lot taken through bidding and the remote opening by its parties (as the opening test factory does),
 * each bid packed on the given machine and sent from the given address; stops once the record is
 * published. `bidders` reuses registered bidders (the same firms in several lots).
 */
async function openedLotWith(
  plans: BidPlan[],
  opts: {
    deposit?: boolean;
    bidders?: TestBidder[];
    beforePublish?: (lot: LotForBidding) => Promise<void>;
  } = {},
) {
  const existing = opts.bidders ?? [];
  const lot = await openLotForBidding(factory(), {
    bidders: plans.length - existing.length,
    ...(opts.deposit ? { depositYuan: '10000' } : {}),
  });
  for (const b of existing) {
    b.session = await p.as(b.account as never);
    ok(await b.session.get(`/api/lots/${lot.lot.id}/documents/file`), 'documents');
  }
  lot.bidders = [...existing, ...lot.bidders];
  p.clock.set(lot.lot.timeline.documentsFrom);
  await p.jobs.runDueJobs();
  await relogin(factory(), lot);
  if (opts.deposit) {
    for (const [i, plan] of plans.entries()) {
      const bidder = lot.bidders[i]!;
      if (plan.alsoPaidFromAccountOf !== undefined) {
        await payDeposit(lot.lot.id, bidder, await basicAccountOf(lot.bidders[plan.alsoPaidFromAccountOf]!));
      }
      await payDeposit(lot.lot.id, bidder, await basicAccountOf(bidder));
    }
  }
  for (const [i, plan] of plans.entries()) {
    const bidder = lot.bidders[i]!;
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-monitoring-bid-'));
    try {
      const packed = await packBid({
        lot: { id: lot.lot.id, code: lot.lot.code },
        bidder: { organizationId: bidder.organizationId, creditCode: bidder.creditCode, name: bidder.name },
        signKey: bidder.keys.signKey,
        signCertificateDer: bidder.keys.signCertDer,
        encryptionKey: bidder.keys.encPublicKey,
        openingKey: null,
        summary: { price: plan.price, duration: '300', quality: '合格' },
        parts: [
          {
            kind: 'technical',
            name: '技术部分',
            filename: '技术部分.pdf',
            source: { bytes: new TextEncoder().encode(`技术方案 ${uniqueName('t')}`) },
          },
        ],
        outDir,
        toolVersion: 'test',
        machine: plan.machine,
      });
      const result = await uploadPacked(fromIp(bidder.session, plan.ip), lot.lot.id, packed);
      if (!result.completed) throw new Error(`bid not submitted: ${JSON.stringify(result.created?.body)}`);
      ok(result.completed, 'complete');
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }
  p.clock.set(lot.lot.timeline.openingAt);
  await p.jobs.runDueJobs();
  await relogin(factory(), lot);
  const url = (rest: string) => `/api/lots/${lot.lot.id}/opening${rest}`;
  const host = lot.agency.session;
  for (const bidder of lot.bidders) ok(await bidder.session.post(url('/sign-in')), 'sign-in');
  ok(await host.post(url('/steps/start-opening'), {}), 'start-opening');
  ok(await host.post(url('/steps/start-decryption'), {}), 'start-decryption');
  for (const bidder of lot.bidders) {
    const mine = ok(await bidder.session.get(url('/my-bid')), 'my-bid').json() as {
      bidId: string;
      parts: { no: number; recipients: EnvelopeRecipient[] }[];
    };
    const keys = mine.parts.map((part) => ({
      no: part.no,
      key: toBase64Url(unwrapContentKey(part.recipients, bidder.keys.encKey)),
    }));
    ok(await bidder.session.post(url(`/bids/${mine.bidId}/keys`), { keys }), 'keys');
  }
  await p.jobs.runDueJobs();
  ok(await host.post(url('/steps/close-decryption'), {}), 'close-decryption');
  if (opts.beforePublish) await opts.beforePublish(lot);
  ok(await host.post(url('/steps/publish-record'), {}), 'publish-record');
  await relogStaff();
  return lot;
}

async function follow() {
  await sequenceWitnessEvents(p.db);
  return followWitnessLog(deps());
}

async function alertsOf(client: typeof supervisor, lotId: string): Promise<Json[]> {
  const res = await client.get(`/api/monitoring/alerts?lotId=${lotId}&pageSize=200`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

const SPREAD = ['1000000.00', '1100000.00', '1450000.00'];
let collusive: LotForBidding;
let collusiveAlerts: Json[];

describe('collusion signals of one lot (实施条例第四十条)', () => {
  test('two bidders sharing a machine and an address, one paying from the other’s account, raise alerts with the evidence', async () => {
    collusive = await openedLotWith(
      [
        { price: SPREAD[0]!, machine: machine(1), ip: '10.1.1.1' },
        { price: SPREAD[1]!, machine: machine(1), ip: '10.1.1.1', alsoPaidFromAccountOf: 0 },
        { price: SPREAD[2]!, machine: machine(3), ip: '10.3.3.3' },
      ],
      { deposit: true },
    );
    // Before the witness log is followed nothing is known.
    expect(await alertsOf(supervisor, collusive.lot.id)).toEqual([]);
    const followed = await follow();
    expect(followed.failed).toBe(0);
    expect(followed.scans.some((s) => s.lotId === collusive.lot.id && s.stage === 'opening')).toBe(true);

    collusiveAlerts = await alertsOf(supervisor, collusive.lot.id);
    const [a, b] = collusive.bidders;
    const rules = collusiveAlerts.map((x) => x.ruleCode).sort();
    expect(rules).toEqual(['same-ip', 'same-machine', 'same-payer']);
    for (const alert of collusiveAlerts) {
      expect(alert).toMatchObject({
        subjectType: 'lot',
        subjectId: collusive.lot.id,
        status: 'new',
        ruleVersion: 1,
      });
    }

    const machineAlert = collusiveAlerts.find((x) => x.ruleCode === 'same-machine')!;
    const detail = (await supervisor.get(`/api/monitoring/alerts/${machineAlert.id}`)).json() as Json;
    expect(detail.level).toBe('high');
    expect(detail.citation).toBe('《中华人民共和国招标投标法实施条例》第四十条第（一）项');
    expect(detail.evidence.bidders.map((x: Json) => x.organizationId).sort()).toEqual(
      [a!.organizationId, b!.organizationId].sort(),
    );
    expect(detail.evidence.shared).toEqual(
      expect.arrayContaining([
        {
          kind: 'mac',
          value: '52:54:00:00:00:01',
          organizationIds: [a!.organizationId, b!.organizationId].sort(),
        },
        { kind: 'disk', value: 'WD-1', organizationIds: [a!.organizationId, b!.organizationId].sort() },
      ]),
    );
    expect(detail.evidence.corroborating.map((c: Json) => c.kind)).toContain('hostname');
    expect(detail.routedTo.map((r: Json) => r.department)).toContain('自治区住房和城乡建设厅');
    expect(detail.routedTo.map((r: Json) => r.department)).not.toContain('阿拉善盟财政局');
    expect(detail.ruleVersionDetail).toMatchObject({
      version: 1,
      thresholds: { identifiers: ['mac', 'disk'] },
    });

    const ip = (
      await supervisor.get(
        `/api/monitoring/alerts/${collusiveAlerts.find((x) => x.ruleCode === 'same-ip')!.id}`,
      )
    ).json() as Json;
    expect(ip.evidence.shared).toEqual([
      { value: '10.1.1.1', organizationIds: [a!.organizationId, b!.organizationId].sort() },
    ]);
    const payer = (
      await supervisor.get(
        `/api/monitoring/alerts/${collusiveAlerts.find((x) => x.ruleCode === 'same-payer')!.id}`,
      )
    ).json() as Json;
    const accountA = (await basicAccountOf(a!)).accountNumber;
    expect(payer.citation).toBe('《中华人民共和国招标投标法实施条例》第四十条第（六）项');
    expect(
      payer.evidence.transfers.map((t: Json) => [t.organizationId, t.payerAccountNumber, t.status]).sort(),
    ).toEqual(
      [
        [a!.organizationId, accountA, 'accepted'],
        [b!.organizationId, accountA, 'rejected-payer'],
      ].sort(),
    );

    // The raising is witnessed, with the evidence's digest, not the evidence.
    const events = await p.db
      .selectFrom('witness_events')
      .select(['action', 'payload'])
      .where('entity_id', '=', machineAlert.id)
      .execute();
    expect(events.map((e) => e.action)).toEqual(['monitoring-alert.raised']);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({
      rule: 'same-machine',
      evidenceSm3: detail.evidenceSm3,
    });
    expect(events[0]!.payload).not.toContain('52:54:00');

    // Following again, or computing the lot again, raises nothing new: one finding, one alert.
    await follow();
    await p.db.transaction().execute(async (tx) => {
      const { scanOpenedLot } = await import('./scan.ts');
      const again = await scanOpenedLot(deps(), tx as never, collusive.lot.id, { source: 'rerun' });
      expect(again.raised).toBe(0);
    });
    expect(await alertsOf(supervisor, collusive.lot.id)).toHaveLength(3);
  });

  test('alerts are internal: outside the scope, to a bidder and to the public they are not shown', async () => {
    expect(await alertsOf(farSupervisor, collusive.lot.id)).toEqual([]);
    const detail = await farSupervisor.get(`/api/monitoring/alerts/${collusiveAlerts[0]!.id}`);
    expect(detail.statusCode).toBe(403);
    expect(detail.json().code).toBe('OUT_OF_SCOPE');
    expect((await operator.get(`/api/monitoring/alerts/${collusiveAlerts[0]!.id}`)).statusCode).toBe(200);
    expect((await collusive.bidders[0]!.session.get('/api/monitoring/alerts')).statusCode).toBe(403);
    expect((await p.anonymous.get('/api/monitoring/alerts')).statusCode).toBe(401);
  });
});

describe('bid-price screens', () => {
  let tight: LotForBidding;

  test('prices within half a percent raise the CV screen; spread prices do not', async () => {
    tight = await openedLotWith([
      { price: '1000000.00', machine: machine(11), ip: '10.0.0.11' },
      { price: '1004000.00', machine: machine(12), ip: '10.0.0.12' },
      { price: '1009000.00', machine: machine(13), ip: '10.0.0.13' },
    ]);
    await follow();
    const alerts = await alertsOf(supervisor, tight.lot.id);
    const cv = alerts.find((x) => x.ruleCode === 'price-cv');
    expect(cv).toBeDefined();
    const detail = (await supervisor.get(`/api/monitoring/alerts/${cv!.id}`)).json() as Json;
    expect(detail.evidence.cv).toBeCloseTo(0.0045, 4);
    expect(detail.evidence.threshold).toBe(0.05);
    expect(detail.level).toBe('low');
    expect(alerts.map((x) => x.ruleCode)).not.toContain('same-machine');
    expect(alerts.map((x) => x.ruleCode)).not.toContain('same-ip');
    // The spread lot of the first test: no price screen.
    const spread = collusiveAlerts.map((x) => x.ruleCode);
    expect(spread).not.toContain('price-cv');
    expect(spread).not.toContain('price-rd');
  });

  test('a changed threshold is a new version: the past alert keeps its version, a new lot is computed under the new one', async () => {
    const before = (await supervisor.get('/api/monitoring/rules'))
      .json()
      .items.find((r: Json) => r.code === 'price-cv');
    const changed = await supervisor.put('/api/monitoring/rules/price-cv', {
      enabled: true,
      level: 'high',
      thresholds: { maxCv: 0.001, minBids: 3 },
      reason: '试行更严格的离散系数阈值',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().current).toMatchObject({
      version: before.current.version + 1,
      level: 'high',
      thresholds: { maxCv: 0.001, minBids: 3 },
      reason: '试行更严格的离散系数阈值',
    });
    const history = (await operator.get('/api/monitoring/rules/price-cv/versions')).json().items as Json[];
    expect(history.map((v) => v.version)).toEqual([before.current.version + 1, before.current.version]);

    // The alert raised under the old version is as it was.
    const past = (await alertsOf(supervisor, tight.lot.id)).find((x) => x.ruleCode === 'price-cv')!;
    const pastDetail = (await supervisor.get(`/api/monitoring/alerts/${past.id}`)).json() as Json;
    expect(pastDetail).toMatchObject({ ruleVersion: before.current.version, level: 'low' });
    expect(pastDetail.ruleVersionDetail.thresholds).toEqual({ maxCv: 0.05, minBids: 3 });

    // The same prices in a new lot do not reach the new threshold.
    const later = await openedLotWith([
      { price: '1000000.00', machine: machine(21), ip: '10.0.0.21' },
      { price: '1004000.00', machine: machine(22), ip: '10.0.0.22' },
      { price: '1009000.00', machine: machine(23), ip: '10.0.0.23' },
    ]);
    await follow();
    expect((await alertsOf(supervisor, later.lot.id)).map((x) => x.ruleCode)).not.toContain('price-cv');

    const restored = await supervisor.put('/api/monitoring/rules/price-cv', {
      enabled: true,
      level: 'low',
      thresholds: { maxCv: 0.05, minBids: 3 },
      reason: '恢复默认阈值',
    });
    expect(restored.statusCode, restored.body).toBe(200);
  });

  test('an invalid threshold is refused with the reason and changes nothing; only supervisors change rules', async () => {
    const count = async () =>
      Number(
        (
          await p.db
            .selectFrom('monitoring_rule_versions')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await count();
    const change = (code: string, thresholds: Json) =>
      supervisor.put(`/api/monitoring/rules/${code}`, {
        enabled: true,
        level: 'low',
        thresholds,
        reason: '测试',
      });
    const negative = await change('price-cv', { maxCv: -0.05, minBids: 3 });
    expect(negative.statusCode).toBe(400);
    expect(negative.json()).toMatchObject({ code: 'RULE_THRESHOLD_INVALID', title: '预警规则阈值无效' });
    expect(negative.json().detail).toContain('离散系数阈值须大于 0');
    expect((await change('fixed-ratio', { minRepeats: 1 })).json().detail).toContain('重复次数不得小于 2');
    expect(
      (await change('score-deviation', { maxDeviationPercent: 150, minMembers: 3 })).json().detail,
    ).toContain('偏离比例不得大于 100%');
    expect((await change('price-cv', { maxCv: 0.05, minBids: 3, sneaky: 1 })).statusCode).toBe(400);
    expect((await change('no-such-rule', {})).statusCode).toBe(404);
    const noReason = await supervisor.put('/api/monitoring/rules/price-cv', {
      enabled: true,
      level: 'low',
      thresholds: { maxCv: 0.05, minBids: 3 },
      reason: '',
    });
    expect(noReason.statusCode).toBe(400);
    expect(
      (
        await operator.put('/api/monitoring/rules/price-cv', {
          enabled: false,
          level: 'low',
          thresholds: { maxCv: 0.05, minBids: 3 },
          reason: '交易中心不能调整',
        })
      ).statusCode,
    ).toBe(403);
    expect(await count()).toBe(n);
  });
});

describe('initiator signals', () => {
  test('a period at the legal minimum is flagged once the margin is raised above it, with the rule it rests on', async () => {
    const changed = await supervisor.put('/api/monitoring/rules/short-period', {
      enabled: true,
      level: 'medium',
      thresholds: { marginDays: 30 },
      reason: '对仅满足法定最短期限的项目预警',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    try {
      const lot = await openedLotWith([
        { price: '5000000.00', machine: machine(61), ip: '10.0.0.61' },
        { price: '5600000.00', machine: machine(62), ip: '10.0.0.62' },
        { price: '6900000.00', machine: machine(63), ip: '10.0.0.63' },
      ]);
      await follow();
      const alert = (await alertsOf(supervisor, lot.lot.id)).find((x) => x.ruleCode === 'short-period');
      expect(alert).toBeDefined();
      const detail = (await supervisor.get(`/api/monitoring/alerts/${alert!.id}`)).json() as Json;
      expect(detail.citation).toBe('《中华人民共和国招标投标法》第二十四条');
      expect(detail.evidence).toMatchObject({
        rule: 'works.documents-to-deadline',
        legalMinimum: 20,
        marginDays: 30,
        belowLegalMinimum: false,
      });
      expect(detail.evidence.days).toBeGreaterThanOrEqual(20);
      expect(detail.evidence.days).toBeLessThan(50);
    } finally {
      await supervisor.put('/api/monitoring/rules/short-period', {
        enabled: true,
        level: 'medium',
        thresholds: { marginDays: 0 },
        reason: '恢复默认',
      });
    }
  });
});

describe('fixed price ratios across processes (R023)', () => {
  test('the same two firms bidding in the same ratio in a second lot raise a fixed-ratio alert on it', async () => {
    const [a, b] = collusive.bidders;
    // In the first lot a and b bid 1,000,000 and 1,100,000; here 2,000,000 and 2,200,000.
    const second = await openedLotWith(
      [
        { price: '2000000.00', machine: machine(31), ip: '10.0.0.31' },
        { price: '2200000.00', machine: machine(32), ip: '10.0.0.32' },
        { price: '2950000.00', machine: machine(33), ip: '10.0.0.33' },
      ],
      { bidders: [a!, b!] },
    );
    await follow();
    const alert = (await alertsOf(supervisor, second.lot.id)).find((x) => x.ruleCode === 'fixed-ratio');
    expect(alert).toBeDefined();
    const detail = (await supervisor.get(`/api/monitoring/alerts/${alert!.id}`)).json() as Json;
    expect(detail.evidence.processes.map((x: Json) => x.lotId)).toEqual([collusive.lot.id, second.lot.id]);
    const ratio = a!.organizationId < b!.organizationId ? '0.91' : '1.10';
    expect(detail.evidence.ratio).toBe(ratio);
    expect(detail.citation).toBe('《中华人民共和国招标投标法实施条例》第四十条第（四）项');
    // The first lot itself was not flagged for it: one process is no repetition.
    expect(collusiveAlerts.map((x) => x.ruleCode)).not.toContain('fixed-ratio');
  });
});

describe('handling an alert (签收 → 核查 → 办结 → 反馈)', () => {
  test('each step in order, witnessed; out of order, out of scope and by the trading centre refused', async () => {
    const id = collusiveAlerts.find((x) => x.ruleCode === 'same-machine')!.id as string;
    const step = (client: typeof supervisor, name: string, body: Json = {}) =>
      client.post(`/api/monitoring/alerts/${id}/${name}`, body);

    const early = await step(supervisor, 'conclude', { finding: 'founded', conclusion: '经核查属实' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'ALERT_STEP_NOT_ALLOWED' });

    const far = await step(farSupervisor, 'acknowledge');
    expect(far.statusCode).toBe(403);
    expect(far.json().code).toBe('OUT_OF_SCOPE');
    expect((await step(operator, 'acknowledge')).statusCode).toBe(403);

    expect((await step(supervisor, 'acknowledge', { note: '已签收' })).json().status).toBe('acknowledged');
    expect((await step(supervisor, 'investigate')).json().status).toBe('investigating');
    const noText = await step(supervisor, 'conclude', { finding: 'founded', conclusion: '' });
    expect(noText.statusCode).toBe(400);
    const concluded = await step(supervisor, 'conclude', {
      finding: 'founded',
      conclusion: '两家投标人的投标文件由同一台电脑制作，认定为串通投标，依法移交处理。',
    });
    expect(concluded.statusCode, concluded.body).toBe(200);
    expect(concluded.json()).toMatchObject({
      status: 'concluded',
      finding: 'founded',
      findingNameZh: '属实',
    });
    const fed = await step(supervisor, 'feedback', { feedback: '已立案调查，处理结果将另行通报交易中心。' });
    expect(fed.json()).toMatchObject({ status: 'fed-back', statusNameZh: '已反馈交易中心' });
    expect(fed.json().steps.map((x: Json) => x.action)).toEqual([
      'raised',
      'acknowledge',
      'investigate',
      'conclude',
      'feedback',
    ]);
    expect(fed.json().steps[1]).toMatchObject({ department: '自治区住房和城乡建设厅', text: '已签收' });
    expect((await step(supervisor, 'acknowledge')).statusCode).toBe(409);

    // The trading centre sees the feedback.
    const seen = (await operator.get(`/api/monitoring/alerts/${id}`)).json() as Json;
    expect(seen.feedback).toBe('已立案调查，处理结果将另行通报交易中心。');

    const events = await p.db
      .selectFrom('witness_events')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual([
      'monitoring-alert.raised',
      'monitoring-alert.acknowledged',
      'monitoring-alert.investigating',
      'monitoring-alert.concluded',
      'monitoring-alert.fed-back',
    ]);

    const dashboard = (
      await supervisor.get(`/api/monitoring/dashboard?lotId=${collusive.lot.id}`)
    ).json() as Json;
    expect(dashboard.byStatus.find((x: Json) => x.status === 'fed-back').count).toBe(1);
    expect(dashboard.byLevel.find((x: Json) => x.level === 'high').count).toBeGreaterThanOrEqual(2);
    expect(dashboard.byRule.map((x: Json) => x.ruleCode)).toEqual(
      expect.arrayContaining(['same-machine', 'same-ip', 'same-payer']),
    );
    const farBoard = (
      await farSupervisor.get(`/api/monitoring/dashboard?lotId=${collusive.lot.id}`)
    ).json() as Json;
    expect(farBoard.total).toBe(0);
  });
});

describe('incremental computation', () => {
  test('the follower job computes a lot once its opening record is in the witness log', async () => {
    const lot = await openedLotWith([
      { price: '3000000.00', machine: machine(41), ip: '10.0.0.41' },
      { price: '3000000.00', machine: machine(41), ip: '10.0.0.42' },
      { price: '3900000.00', machine: machine(43), ip: '10.0.0.43' },
    ]);
    expect(await alertsOf(supervisor, lot.lot.id)).toEqual([]);
    await sequenceWitnessEvents(p.db);
    p.clock.advance(5_000);
    await p.jobs.runDueJobs();
    const rules = (await alertsOf(supervisor, lot.lot.id)).map((x) => x.ruleCode);
    expect(rules).toContain('same-machine');
    expect(rules).not.toContain('same-ip');
    const scan = await p.db
      .selectFrom('monitoring_lot_scans')
      .selectAll()
      .where('lot_id', '=', lot.lot.id)
      .executeTakeFirstOrThrow();
    expect(scan.stage).toBe('opening');
  });

  test('the live path computes the lot as soon as the opening record commits, before the log is sequenced', async () => {
    const stop = await startMonitoringLive(deps(), p.notifier);
    try {
      let publishedAt = 0;
      const lot = await openedLotWith(
        [
          { price: '4000000.00', machine: machine(51), ip: '10.0.0.51' },
          { price: '4100000.00', machine: machine(52), ip: '10.0.0.51' },
          { price: '4800000.00', machine: machine(53), ip: '10.0.0.53' },
        ],
        {
          beforePublish: async () => {
            publishedAt = performance.now();
          },
        },
      );
      let rules: string[] = [];
      for (let i = 0; i < 100 && !rules.includes('same-ip'); i++) {
        rules = (await alertsOf(supervisor, lot.lot.id)).map((x) => x.ruleCode);
        if (!rules.includes('same-ip')) await new Promise((r) => setTimeout(r, 50));
      }
      expect(rules).toContain('same-ip');
      const scan = await p.db
        .selectFrom('monitoring_lot_scans')
        .selectAll()
        .where('lot_id', '=', lot.lot.id)
        .executeTakeFirstOrThrow();
      expect(scan.duration_ms).toBeLessThan(1000);
      expect(performance.now() - publishedAt).toBeLessThan(10_000);
      // The follower later finds the lot done and raises nothing twice.
      await follow();
      expect((await alertsOf(supervisor, lot.lot.id)).filter((x) => x.ruleCode === 'same-ip')).toHaveLength(
        1,
      );
    } finally {
      await stop();
    }
  });
});

describe('in full on demand', () => {
  test('the platform-wide Cardinal set over the OCDS releases raises its flags as alerts', async () => {
    const { projectOpenData } = await import('../../service/opendata/index.ts');
    await sequenceWitnessEvents(p.db);
    await projectOpenData({ db: p.db, sealer: p.sealer, clock: p.clock, ocidPrefix: 'ocds-test01' });
    const requested = await operator.post('/api/monitoring/runs', { kind: 'cardinal' });
    expect(requested.statusCode, requested.body).toBe(201);
    expect(requested.json()).toMatchObject({ kind: 'cardinal', status: 'queued' });
    await p.jobs.runDueJobs();
    const runs = (await supervisor.get('/api/monitoring/runs')).json().items as Json[];
    const run = runs.find((r) => r.id === requested.json().id)!;
    expect(run.status, run.error).toBe('done');
    expect(run.processed).toBeGreaterThanOrEqual(5);
    // The lot where two bidders offered the same price (R028 相同报价) is flagged.
    const all = (await operator.get('/api/monitoring/alerts?rule=R028&pageSize=200')).json().items as Json[];
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((x) => x.source === 'cardinal')).toBe(true);
  });

  test('a rerun of every rule over every public lot raises nothing twice, and what became visible since', async () => {
    const list = async () =>
      (
        (await operator.get(`/api/monitoring/alerts?lotId=${collusive.lot.id}&pageSize=200`)).json()
          .items as Json[]
      )
        .map((x) => `${x.ruleCode}/${x.id}`)
        .sort();
    const before = await list();
    const requested = await supervisor.post('/api/monitoring/runs', { kind: 'rules' });
    expect(requested.statusCode, requested.body).toBe(201);
    await p.jobs.runDueJobs();
    const run = ((await supervisor.get('/api/monitoring/runs')).json().items as Json[]).find(
      (r) => r.id === requested.json().id,
    )!;
    expect(run.status, run.error).toBe('done');
    expect(run.processed).toBeGreaterThanOrEqual(5);
    const after = await list();
    // Every alert raised before is still there, unchanged; the only new one is the fixed ratio that the
    // second lot (opened after the first was computed) made visible on the first.
    expect(after.filter((x) => before.includes(x))).toEqual(before);
    expect(after.filter((x) => !before.includes(x)).map((x) => x.split('/')[0])).toEqual(['fixed-ratio']);
  });
});

describe('expert signals', () => {
  test('a member scoring a bidder far from the committee mean, and experts who keep judging the same winner, are flagged', {
    timeout: 300_000,
  }, async () => {
    const e = await evaluatedLot(p as unknown as EvaluationFactoryPlatform, {
      procedureType: 'open-tender.works',
      regionCode: '152923',
      specialtyCode: 'A080101',
      stopAt: 'committee',
    });
    const lotId = e.opened.lot.id;
    const url = `/api/lots/${lotId}/evaluation`;
    const plan = defaultPlan('works');
    const bidIds = e.opened.outcome.entries.map((x) => x.bidId);
    const deviant = e.members.at(-1)!;
    for (const step of ['qualification', 'preliminary', 'detailed'] as const) {
      for (const m of e.members) {
        let items = fullSheet(plan, step, bidIds);
        if (m === deviant && step === 'detailed') {
          items = items.map((x) =>
            x.bidId === bidIds[0] && x.criterionId === 'tech' ? { ...x, score: 0, reason: '方案不完整' } : x,
          );
        }
        ok(await m.session.post(`${url}/steps/${step}/sheet`, { items }), `sheet ${step}`);
      }
    }
    ok(await e.chair.session.post(`${url}/aggregate`), 'aggregate');
    const { reportSm3 } = ok(await e.chair.session.post(`${url}/report`), 'report').json() as {
      reportSm3: string;
    };
    for (const m of e.members) {
      const keys = await issueBidderKeys(factory(), m.account.username);
      const signature = toBase64Url(sm2Sign(keys.signKey, reportSigningText(lotId, reportSm3)));
      ok(await m.session.post(`${url}/report/signatures`, { decision: 'sign', signature }), 'sign');
    }
    await follow();
    await relogStaff();
    const alerts = await alertsOf(supervisor, lotId);
    const deviation = alerts.find((x) => x.ruleCode === 'score-deviation');
    expect(deviation).toBeDefined();
    const detail = (await supervisor.get(`/api/monitoring/alerts/${deviation!.id}`)).json() as Json;
    expect(detail.evidence.member.memberId).toBe(deviant.memberId);
    // Members' totals include the price score; the deviant gave 技术方案 0 of 40 where the others gave 40.
    expect(detail.evidence.deviations).toHaveLength(1);
    const [dev] = detail.evidence.deviations as Json[];
    expect(dev).toMatchObject({ bidId: bidIds[0], memberId: deviant.memberId });
    expect(dev!.score).toBeLessThan(dev!.mean);
    expect(dev!.deviationPercent).toBeGreaterThan(30);
    expect(alerts.filter((x) => x.ruleCode === 'score-deviation')).toHaveLength(1);
    expect(detail.citation).toContain('第四十九条');
    const committee = await p.db
      .selectFrom('monitoring_committees')
      .select(['expert_id'])
      .where('lot_id', '=', lotId)
      .execute();
    expect(committee.map((c) => c.expert_id).sort()).toEqual(
      e.committee.experts.map((x) => x.expertId).sort(),
    );

    // Two earlier lots judged by the same committee went to the same firm (history seeded in the read model).
    await relogin(factory(), e.opened);
    const awardUrl = `/api/lots/${lotId}/award`;
    const award = ok(await e.opened.agency.session.get(awardUrl), 'award').json() as Json;
    const first = award.candidates[0] as { bidId: string; organizationId: string };
    for (const n of [1, 2]) {
      const seeded = `seed-${n}-${lotId}`;
      await p.db
        .insertInto('monitoring_committees')
        .values(
          e.committee.experts.map((x) => ({
            lot_id: seeded,
            expert_id: x.expertId,
            expert_name: x.name,
            reported_at: new Date(p.clock.now().getTime() - n * 30 * 86_400_000),
          })),
        )
        .execute();
      await p.db
        .insertInto('monitoring_winners')
        .values({
          lot_id: seeded,
          winner_organization_id: first.organizationId,
          winner_name: '同一中标人',
          initiator_organization_id: 'someone',
          procedure_type: 'open-tender.works',
          awarded_at: new Date(p.clock.now().getTime() - n * 20 * 86_400_000),
        })
        .execute();
    }
    const publicity = ok(
      await e.opened.agency.session.post(`${awardUrl}/publicity`, {
        objectionChannel: '招标人 张工 0471-6600000',
      }),
      'publicity',
    ).json() as Json;
    p.clock.set(new Date(Date.parse(publicity.publicity.endsAt) + 60_000));
    await p.jobs.runDueJobs();
    await relogin(factory(), e.opened);
    ok(await e.opened.initiator.session.post(`${awardUrl}/confirm`, { bidId: first.bidId }), 'confirm');
    await follow();
    await relogStaff();
    const expertAlerts = (
      (
        await supervisor.get('/api/monitoring/alerts?rule=expert-same-winner&subjectType=expert&pageSize=200')
      ).json().items as Json[]
    ).filter((x) => x.lotId === lotId);
    expect(expertAlerts.map((x) => x.subjectId).sort()).toEqual(
      e.committee.experts.map((x) => x.expertId).sort(),
    );
    const one = (await supervisor.get(`/api/monitoring/alerts/${expertAlerts[0]!.id}`)).json() as Json;
    expect(one.evidence.lots).toHaveLength(3);
    expect(one.evidence.winner.organizationId).toBe(first.organizationId);
  });
});
