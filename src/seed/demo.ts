import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { issueDemoCertificates } from '../platform/certs/index.ts';
import type { Clock } from '../platform/clock/index.ts';
import type { HttpServer } from '../platform/http/index.ts';
import {
  type Actor,
  findAccountByUsername,
  findOrganizationByCreditCode,
  type Identity,
  ROLE_NAMES_ZH,
  type Role,
} from '../platform/identity/index.ts';
import type { FieldSealer } from '../platform/sealing/index.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN, type WitnessOrigin } from '../platform/witness/index.ts';
import {
  type EntityRole,
  findEntityOfOrganization,
  type RegistrationInput,
  registerEntity,
} from '../service/entities/index.ts';
import { seedRegulationDutyLists } from '../supervision/duties/index.ts';
import type { AllTables } from '../tables.ts';
import { seedDemoAuction } from './demo-auction.ts';
import { DemoClient, type DemoPeople, type DemoUsername } from './demo-client.ts';
import { seedDemoDeposits } from './demo-deposits.ts';
import { DEMO_COMMITTEE_EXPERTS, seedDemoExperts } from './demo-experts.ts';
import { seedDemoTrading } from './demo-trading.ts';

/**
 * Demo data for `npm start`: one account per role, in fictional organisations (the market entities among
 * them registered and accepted), and the trading data of demo-trading.ts. Seeded only into an empty
 * database, so a restart keeps whatever people did since.
 */
export const DEMO_PASSWORD = 'Ggzy@2026';

interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  organization: string | null;
}

/**
 * A market entity (市场主体) as its first account registers it. Its organisation is created by the
 * registration, and the trading centre's 受理 gives the account the platform role of the entity's roles.
 */
interface DemoEntity {
  roles: EntityRole[];
  regionCode: string;
  address: string;
  legalRepresentative: { name: string; idNumber: string };
  bankName: string;
  accountNumber: string;
  contact: { name: string; phone: string };
}

interface DemoOrganization {
  name: string;
  creditCode: string | null;
  /** Present for the market entities; staff organisations (centre, regulator, audit) are not. */
  entity?: DemoEntity;
}

// The market entities' credit codes are valid under GB 32100, as registration requires: their fictional
// organisation bodies (MA…/MB…) carry GB 11714 check characters. Staff organisations are not registered.
const ORGANIZATIONS: DemoOrganization[] = [
  { name: '内蒙古自治区公共资源交易中心（演示）', creditCode: '12150000MB0000001C' },
  {
    name: '呼和浩特市示范第一中学（演示）',
    creditCode: '12150100MB0000000E',
    entity: {
      roles: ['tenderer', 'purchaser'],
      regionCode: '150102',
      address: '呼和浩特市新城区新华大街示范路1号',
      legalRepresentative: { name: '刘建华', idNumber: '150102197803120018' },
      bankName: '中国工商银行呼和浩特新城支行',
      accountNumber: '0602001109200012345',
      contact: { name: '李强', phone: '0471-6600001' },
    },
  },
  {
    name: '内蒙古正信招标代理有限公司（演示）',
    creditCode: '91150100MA0000007W',
    entity: {
      roles: ['tender_agency', 'procurement_agency'],
      regionCode: '150105',
      address: '呼和浩特市赛罕区敕勒川大街18号',
      legalRepresentative: { name: '张正信', idNumber: '15010219820705002X' },
      bankName: '中国建设银行呼和浩特赛罕支行',
      accountNumber: '15050170650800000123',
      contact: { name: '张丽', phone: '0471-6600002' },
    },
  },
  {
    name: '内蒙古北疆建设工程有限公司（演示）',
    creditCode: '91150000MA0000015J',
    entity: {
      roles: ['bidder', 'supplier'],
      regionCode: '150102',
      address: '呼和浩特市新城区兴安北路30号',
      legalRepresentative: { name: '赵北疆', idNumber: '150203197509180038' },
      bankName: '中国农业银行呼和浩特兴安支行',
      accountNumber: '05510101040012345',
      contact: { name: '赵刚', phone: '0471-6600003' },
    },
  },
  {
    name: '包头市草原路桥有限责任公司（演示）',
    creditCode: '91150200MA0000023P',
    entity: {
      roles: ['bidder', 'supplier'],
      regionCode: '150203',
      address: '包头市昆都仑区钢铁大街66号',
      legalRepresentative: { name: '孙草原', idNumber: '150602198011220047' },
      bankName: '中国银行包头昆都仑支行',
      accountNumber: '152212345678901234',
      contact: { name: '孙伟', phone: '0472-6600004' },
    },
  },
  {
    name: '鄂尔多斯市恒达建筑安装有限公司（演示）',
    creditCode: '91150600MA00000317',
    entity: {
      roles: ['bidder', 'supplier'],
      regionCode: '150602',
      address: '鄂尔多斯市东胜区鄂尔多斯大街9号',
      legalRepresentative: { name: '周恒达', idNumber: '150105197902140056' },
      bankName: '鄂尔多斯银行东胜支行',
      accountNumber: '7100001234567890',
      contact: { name: '周杰', phone: '0477-6600005' },
    },
  },
  { name: '内蒙古自治区发展和改革委员会（演示）', creditCode: '11150000MB00000072' },
  { name: '内蒙古自治区审计厅（演示）', creditCode: '11150000MB00000085' },
  // Two more bidders, so that the end-to-end demo (ggzy demo) has the five bidders of a real tender.
  {
    name: '呼和浩特市青城建设集团有限公司（演示）',
    creditCode: '91150100MA000004X5',
    entity: {
      roles: ['bidder', 'supplier'],
      regionCode: '150104',
      address: '呼和浩特市玉泉区南二环路88号',
      legalRepresentative: { name: '钱青城', idNumber: '150104198103160032' },
      bankName: '内蒙古银行呼和浩特玉泉支行',
      accountNumber: '1200001234567891',
      contact: { name: '钱峰', phone: '0471-6600006' },
    },
  },
  {
    name: '赤峰市红山建筑工程有限公司（演示）',
    creditCode: '91150400MA0000058L',
    entity: {
      roles: ['bidder', 'supplier'],
      regionCode: '150402',
      address: '赤峰市红山区昭乌达路120号',
      legalRepresentative: { name: '郝红山', idNumber: '150402197608220044' },
      bankName: '中国建设银行赤峰红山支行',
      accountNumber: '15050166650800000456',
      contact: { name: '郝静', phone: '0476-6600007' },
    },
  },
];

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    username: 'admin',
    displayName: '王敏（交易中心）',
    role: 'operator',
    organization: ORGANIZATIONS[0]!.name,
  },
  {
    username: 'zhaobiao',
    displayName: '李强（招标人）',
    role: 'initiator',
    organization: ORGANIZATIONS[1]!.name,
  },
  {
    username: 'daili',
    displayName: '张丽（代理机构）',
    role: 'agency',
    organization: ORGANIZATIONS[2]!.name,
  },
  {
    username: 'toubiao1',
    displayName: '赵刚（投标人一）',
    role: 'responder',
    organization: ORGANIZATIONS[3]!.name,
  },
  {
    username: 'toubiao2',
    displayName: '孙伟（投标人二）',
    role: 'responder',
    organization: ORGANIZATIONS[4]!.name,
  },
  {
    username: 'toubiao3',
    displayName: '周杰（投标人三）',
    role: 'responder',
    organization: ORGANIZATIONS[5]!.name,
  },
  {
    username: 'toubiao4',
    displayName: '钱峰（投标人四）',
    role: 'responder',
    organization: ORGANIZATIONS[8]!.name,
  },
  {
    username: 'toubiao5',
    displayName: '郝静（投标人五）',
    role: 'responder',
    organization: ORGANIZATIONS[9]!.name,
  },
  { username: 'zhuanjia', displayName: '吴华（评标专家）', role: 'expert', organization: null },
  // The other experts of the demo committee (each one in the pool with its own login; see demo-experts.ts).
  ...DEMO_COMMITTEE_EXPERTS.map((e) => ({
    username: e.username,
    displayName: `${e.name}（评标专家）`,
    role: 'expert' as const,
    organization: null,
  })),
  {
    username: 'jiandu',
    displayName: '郑洁（行政监督）',
    role: 'supervisor',
    organization: ORGANIZATIONS[6]!.name,
  },
  { username: 'shenji', displayName: '冯涛（审计）', role: 'auditor', organization: ORGANIZATIONS[7]!.name },
];

export async function isDatabaseEmpty(db: Kysely<AllTables>): Promise<boolean> {
  const row = await db.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

const SEEDED_MARK = { entityType: 'platform', entityId: 'demo', action: 'demo.seeded' } as const;

async function isSeeded(db: Kysely<AllTables>): Promise<boolean> {
  const mark = await db
    .selectFrom('witness_events')
    .select('id')
    .where('entity_type', '=', SEEDED_MARK.entityType)
    .where('entity_id', '=', SEEDED_MARK.entityId)
    .where('action', '=', SEEDED_MARK.action)
    .limit(1)
    .executeTakeFirst();
  return mark !== undefined;
}

/** Where the seed's own actions come from in the witness log (the people's actions name their accounts). */
export const SEED_ORIGIN: WitnessOrigin = { ...SYSTEM_ORIGIN, userAgent: 'ggzy demo seed' };

function registrationOf(account: DemoAccount, org: DemoOrganization, entity: DemoEntity): RegistrationInput {
  return {
    entity: {
      kind: 'legal_person',
      name: org.name,
      creditCode: org.creditCode ?? '',
      roles: entity.roles,
      regionCode: entity.regionCode,
      address: entity.address,
      zipCode: null,
      contact: { ...entity.contact, email: null },
      legalRepresentative: {
        ...entity.legalRepresentative,
        idType: 'resident_id',
        phone: null,
      },
      // 基本账户: deposits are refunded to it.
      basicAccount: {
        bankName: entity.bankName,
        branchCode: null,
        accountNumber: entity.accountNumber,
        accountName: org.name,
      },
      licence: { validFrom: null, validUntil: null },
      registeredCapital: null,
    },
    qualifications: [],
    account: { username: account.username, displayName: account.displayName, password: DEMO_PASSWORD },
  };
}

export interface DemoSeedDeps {
  db: Kysely<AllTables>;
  clock: Clock;
  identity: Identity;
  /** The composed platform's HTTP app: the demo people act through the API, as they would in the browser. */
  app: HttpServer;
  /** Real time for certificate validity. */
  securityClock: Clock;
  /** Where each demo account's keys and certificates are written (`certs/<username>/`). */
  dataDir: string;
  /** The field sealer: the demo experts' ID numbers and phones are stored sealed. */
  sealer: FieldSealer;
}

/**
 * Seeds the demo organisations, accounts, market entities and certificates, then the demo trading data
 * (demo-trading.ts), on the first start. Every step is idempotent and the last one writes the
 * `demo.seeded` witness event, so a start interrupted half-way (killed while seeding) completes the seed on
 * the next start instead of failing or seeding twice. A database that already has accounts of its own (a
 * real deployment) is never seeded.
 */
export async function seedDemo(deps: DemoSeedDeps): Promise<boolean> {
  if (await isSeeded(deps.db)) return false;
  const partlySeeded = (await findAccountByUsername(deps.db, DEMO_ACCOUNTS[0]!.username)) !== undefined;
  if (!partlySeeded && !(await isDatabaseEmpty(deps.db))) return false;

  const ctx = { db: deps.db, clock: deps.clock, actor: null, origin: SEED_ORIGIN };
  const orgIds = new Map<string, string>();
  for (const org of ORGANIZATIONS) {
    if (org.entity) continue; // created by the entity's registration, below
    const existing = org.creditCode ? await findOrganizationByCreditCode(deps.db, org.creditCode) : undefined;
    const id = existing?.id ?? (await deps.identity.createOrganization(ctx, org)).id;
    orgIds.set(org.name, id);
  }
  for (const account of DEMO_ACCOUNTS) {
    if (await findAccountByUsername(deps.db, account.username)) continue;
    const org = ORGANIZATIONS.find((o) => o.name === account.organization);
    if (org?.entity) {
      // 注册登记 as the entity's first account does it (the public route is rate-limited per address).
      await registerEntity(ctx, registrationOf(account, org, org.entity));
      continue;
    }
    await deps.identity.createAccount(ctx, {
      username: account.username,
      displayName: account.displayName,
      password: DEMO_PASSWORD,
      roles: [account.role],
      organizationId: account.organization ? (orgIds.get(account.organization) ?? null) : null,
    });
  }
  // SM2 dual certificates from the built-in demo CA, so certificate login can be tried at once.
  for (const account of DEMO_ACCOUNTS) {
    if (fs.existsSync(path.join(deps.dataDir, 'certs', account.username, 'sign.cert.pem'))) continue;
    await issueDemoCertificates(
      { db: deps.db, clock: deps.clock, securityClock: deps.securityClock },
      { username: account.username, dataDir: deps.dataDir },
    );
  }

  await withDemoSessions(deps, async (people) => {
    // 受理: the trading centre accepts the registrations, which gives the accounts their roles.
    for (const org of ORGANIZATIONS) {
      if (!org.entity || !org.creditCode) continue;
      const organization = await findOrganizationByCreditCode(deps.db, org.creditCode);
      const entity = organization ? await findEntityOfOrganization(deps.db, organization.id) : undefined;
      if (!entity) throw new Error(`demo entity ${org.name} was not registered`);
      if (entity.status !== 'submitted') continue;
      const view = await people.admin.get<{ version: number }>(`/api/admin/entities/${entity.id}`);
      await people.admin.post(`/api/admin/entities/${entity.id}/accept`, { reviewedVersion: view.version });
    }
    const accountId = async (username: string) => {
      const account = await findAccountByUsername(deps.db, username);
      if (!account) throw new Error(`demo account ${username} is missing`);
      return account.id;
    };
    // 监管范围: the demo regulator (发展改革委, 综合监管) oversees every trading category in the whole region.
    await people.admin.put(`/api/supervision/scopes/${await accountId('jiandu')}`, {
      department: ORGANIZATIONS[6]!.name,
      regionPrefixes: ['15'],
      catalogPrefixes: ['01', '02', '03', '04', '05', '06', '07', '08', '09'],
    });
    const { buildingLotId } = await seedDemoTrading(deps, people, {
      centre: await accountId('admin'),
      supervisor: await accountId('jiandu'),
      agency: await accountId('daili'),
    });
    // toubiao1's 投标保证金 for the building lot, paid through the demo bank.
    const bidder = ORGANIZATIONS[3]!;
    await seedDemoDeposits(deps, people, {
      lotId: buildingLotId,
      payer: {
        accountNumber: bidder.entity!.accountNumber,
        accountName: bidder.name,
        bankName: bidder.entity!.bankName,
      },
    });
    // 竞价交易: the school's scrapped buses and equipment by 挂牌, in its 公告期 (demo-auction.ts).
    await seedDemoAuction(deps, people);
  });

  // 综合评标评审专家库: zhuanjia as an expert, and a pool a demo draw can draw from.
  const expertAccount = await findAccountByUsername(deps.db, 'zhuanjia');
  if (!expertAccount) throw new Error('demo account zhuanjia is missing');
  const committeeAccountIds = new Map<string, string>();
  for (const e of DEMO_COMMITTEE_EXPERTS) {
    const account = await findAccountByUsername(deps.db, e.username);
    if (!account) throw new Error(`demo account ${e.username} is missing`);
    committeeAccountIds.set(e.username, account.id);
  }
  await seedDemoExperts(deps, {
    expertAccountId: expertAccount.id,
    committeeAccountIds,
    bidders: ORGANIZATIONS.filter((o) => o.entity?.roles.includes('bidder') && o.creditCode).map((o) => ({
      name: o.name,
      creditCode: o.creditCode!,
    })),
    regulatorName: ORGANIZATIONS[6]!.name,
  });

  // 监管权力和责任清单、服务事项清单 (§37): version 1 of each, drawn from the regulation's own articles.
  await seedRegulationDutyLists(deps.db, deps.clock);

  await deps.db.transaction().execute((tx) =>
    appendWitnessEvent(tx, deps.clock.now(), SEED_ORIGIN, {
      ...SEEDED_MARK,
      payload: { accounts: DEMO_ACCOUNTS.map((a) => a.username) },
    }),
  );
  return true;
}

/**
 * Signs the demo people in (a bearer session each, witnessed like any sign-in), runs `fn` with an API
 * client per person, and signs them out again whatever happens.
 */
async function withDemoSessions(
  deps: DemoSeedDeps,
  fn: (people: DemoPeople) => Promise<void>,
): Promise<void> {
  const opened: { client: DemoClient; actor: Actor }[] = [];
  const signIn = async (username: DemoUsername): Promise<DemoClient> => {
    const account = await findAccountByUsername(deps.db, username);
    if (!account) throw new Error(`demo account ${username} is missing`);
    const session = await deps.identity.openSession(
      { db: deps.db, clock: deps.clock, actor: null, origin: SEED_ORIGIN },
      { accountId: account.id, kind: 'bearer', method: 'password' },
    );
    const client = new DemoClient(deps.app, session.token);
    opened.push({ client, actor: session.actor });
    return client;
  };
  try {
    const people: DemoPeople = {
      admin: await signIn('admin'),
      zhaobiao: await signIn('zhaobiao'),
      daili: await signIn('daili'),
      toubiao1: await signIn('toubiao1'),
    };
    await fn(people);
  } finally {
    for (const { actor } of opened) {
      const origin = { ...SEED_ORIGIN, accountId: actor.accountId, organizationId: actor.organizationId };
      await deps.identity.logout({
        db: deps.db,
        clock: deps.clock,
        actor,
        origin: { ...origin, role: null },
      });
    }
  }
}

export function describeDemoAccounts(): string {
  const lines = DEMO_ACCOUNTS.map(
    (a) => `  ${ROLE_NAMES_ZH[a.role].padEnd(8, '　')}  ${a.username.padEnd(10)} ${a.displayName}`,
  );
  return `演示账号（密码均为 ${DEMO_PASSWORD}；演示证书和私钥在 数据目录/certs/<用户名>/）:\n${lines.join('\n')}`;
}
