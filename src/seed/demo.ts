import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { issueDemoCertificates } from '../platform/certs/index.ts';
import type { Clock } from '../platform/clock/index.ts';
import {
  findAccountByUsername,
  findOrganizationByCreditCode,
  type Identity,
  ROLE_NAMES_ZH,
  type Role,
} from '../platform/identity/index.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN } from '../platform/witness/index.ts';
import type { AllTables } from '../tables.ts';

/**
 * Demo data for `npm start`: one account per role, in fictional organisations. Seeded only into an
 * empty database, so a restart keeps whatever people did since.
 */
export const DEMO_PASSWORD = 'Ggzy@2026';

interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  organization: string | null;
}

const ORGANIZATIONS: { name: string; creditCode: string | null }[] = [
  { name: '内蒙古自治区公共资源交易中心（演示）', creditCode: '12150000MB0000001C' },
  { name: '呼和浩特市示范第一中学（演示）', creditCode: '12150100MB0000002L' },
  { name: '内蒙古正信招标代理有限公司（演示）', creditCode: '91150100MA0000003G' },
  { name: '内蒙古北疆建设工程有限公司（演示）', creditCode: '91150000MA0000004E' },
  { name: '包头市草原路桥有限责任公司（演示）', creditCode: '91150200MA0000005U' },
  { name: '鄂尔多斯市恒达建筑安装有限公司（演示）', creditCode: '91150600MA0000006K' },
  { name: '内蒙古自治区发展和改革委员会（演示）', creditCode: '11150000MB00000072' },
  { name: '内蒙古自治区审计厅（演示）', creditCode: '11150000MB00000085' },
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
  { username: 'zhuanjia', displayName: '吴华（评标专家）', role: 'expert', organization: null },
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

/**
 * Seeds the demo organisations, accounts and certificates on the first start. Every step is idempotent
 * and the last one writes the `demo.seeded` witness event, so a start interrupted half-way (killed while
 * seeding) completes the seed on the next start instead of failing or seeding twice. A database that
 * already has accounts of its own (a real deployment) is never seeded.
 */
export async function seedDemo(deps: {
  db: Kysely<AllTables>;
  clock: Clock;
  identity: Identity;
  /** Real time for certificate validity. */
  securityClock: Clock;
  /** Where each demo account's keys and certificates are written (`certs/<username>/`). */
  dataDir: string;
}): Promise<boolean> {
  if (await isSeeded(deps.db)) return false;
  const partlySeeded = (await findAccountByUsername(deps.db, DEMO_ACCOUNTS[0]!.username)) !== undefined;
  if (!partlySeeded && !(await isDatabaseEmpty(deps.db))) return false;

  const ctx = { db: deps.db, clock: deps.clock, actor: null, origin: SYSTEM_ORIGIN };
  const orgIds = new Map<string, string>();
  for (const org of ORGANIZATIONS) {
    const existing = org.creditCode ? await findOrganizationByCreditCode(deps.db, org.creditCode) : undefined;
    const id = existing?.id ?? (await deps.identity.createOrganization(ctx, org)).id;
    orgIds.set(org.name, id);
  }
  for (const account of DEMO_ACCOUNTS) {
    if (await findAccountByUsername(deps.db, account.username)) continue;
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
  await deps.db.transaction().execute((tx) =>
    appendWitnessEvent(tx, deps.clock.now(), SYSTEM_ORIGIN, {
      ...SEEDED_MARK,
      payload: { accounts: DEMO_ACCOUNTS.map((a) => a.username) },
    }),
  );
  return true;
}

export function describeDemoAccounts(): string {
  const lines = DEMO_ACCOUNTS.map(
    (a) => `  ${ROLE_NAMES_ZH[a.role].padEnd(8, '　')}  ${a.username.padEnd(10)} ${a.displayName}`,
  );
  return `演示账号（密码均为 ${DEMO_PASSWORD}；演示证书和私钥在 数据目录/certs/<用户名>/）:\n${lines.join('\n')}`;
}
