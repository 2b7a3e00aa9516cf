import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import {
  CREDIT_CODE_CHARSET,
  composeCreditCode,
  type EntityRole,
  idNumberCheckCharacter,
  registerEntity,
} from '../../service/entities/index.ts';
import type { ProcedureType } from '../procedures/index.ts';
import { findLot, type LotSummary, type ProjectsDb } from './index.ts';

/**
 * Test factories for projects and lots (other modules' tests build on them). Market entities are
 * registered through the entities module's use case (the public route is rate-limited per address) and
 * accepted through the operator's API; projects are registered and received through this module's API.
 *
 * Production code may not import test code (.dependency-cruiser.cjs), so the test platform
 * (test/support/platform.ts) is described here by the little the factories use; pass `makeTestPlatform()`'s
 * result, and the clients come back as its `ApiClient`.
 */
export interface FactoryResponse {
  statusCode: number;
  body: string;
  json(): unknown;
}
export interface FactoryClient {
  get(url: string): Promise<FactoryResponse>;
  post(url: string, body?: unknown): Promise<FactoryResponse>;
}
/** The shape of test/support/platform.ts's TestAccount. */
export interface FactoryAccount {
  id: string;
  username: string;
  organizationId: string | null;
  roles: string[];
}
export interface FactoryPlatform<C extends FactoryClient = FactoryClient> {
  db: Kysely<ProjectsDb>;
  clock: Clock;
  makeAccount(
    roles: string[],
    opts?: { organizationName?: string; displayName?: string },
  ): Promise<FactoryAccount>;
  as(account: FactoryAccount): Promise<C>;
  login(username: string, password?: string): Promise<C>;
}

/** The same as test/support/platform.ts's TEST_PASSWORD, so `platform.as(account)` signs in again after the clock moves. */
export const FACTORY_PASSWORD = 'Test@2026pw';
const PASSWORD = FACTORY_PASSWORD;
const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

/** A market entity that the trading centre has accepted, with its administrator account signed in. */
export interface TestEntity<C extends FactoryClient = FactoryClient> {
  account: FactoryAccount;
  client: C;
  entityId: string;
  creditCode: string;
  name: string;
}

function newCreditCode(regionCode = '150102'): string {
  const body = [...randomBytes(8)].map((b) => CREDIT_CODE_CHARSET[b % CREDIT_CODE_CHARSET.length]).join('');
  return composeCreditCode({ authority: '9', category: '1', regionCode, organizationBody: body });
}

function newIdNumber(): string {
  const sequence = String(randomBytes(2).readUInt16BE() % 1000).padStart(3, '0');
  const day = String(1 + (randomBytes(1)[0]! % 28)).padStart(2, '0');
  const body = `150102198${randomBytes(1)[0]! % 10}03${day}${sequence}`;
  return body + idNumberCheckCharacter(body);
}

async function operatorClientOf<C extends FactoryClient>(platform: FactoryPlatform<C>): Promise<C> {
  const operator = await platform.makeAccount(['operator'], { displayName: '交易中心工作人员' });
  return platform.as(operator);
}

/** Registers a legal person with these roles and has an operator accept it (受理). */
export async function makeAcceptedEntity<C extends FactoryClient>(
  platform: FactoryPlatform<C>,
  roles: EntityRole[],
  opts: { name?: string; operatorClient?: FactoryClient } = {},
): Promise<TestEntity<C>> {
  const name =
    opts.name ?? uniqueName(roles.includes('tender_agency') ? '测试招标代理有限公司' : '测试建设单位');
  const creditCode = newCreditCode();
  const username = uniqueName('org');
  const result = await registerEntity(
    { db: platform.db, clock: platform.clock, actor: null, origin: SYSTEM_ORIGIN },
    {
      entity: {
        kind: 'legal_person',
        name,
        creditCode,
        roles,
        legalRepresentative: { name: '王建国', idType: 'resident_id', idNumber: newIdNumber(), phone: null },
        basicAccount: {
          bankName: '中国工商银行呼和浩特新城支行',
          branchCode: null,
          accountNumber: `0602${String(randomBytes(4).readUInt32BE()).padStart(12, '0')}`,
          accountName: name,
        },
        regionCode: '150102',
        address: '呼和浩特市新城区新华大街1号',
        zipCode: null,
        contact: { name: '李娜', phone: '13904710001', email: null },
        licence: { validFrom: null, validUntil: null },
        registeredCapital: null,
      },
      qualifications: [],
      account: { username, displayName: '机构管理员', password: PASSWORD },
    },
  );
  const operator = opts.operatorClient ?? (await operatorClientOf(platform));
  const accepted = await operator.post(`/api/admin/entities/${result.entity.id}/accept`, {
    reviewedVersion: 1,
  });
  if (accepted.statusCode !== 200) throw new Error(`entity not accepted: ${accepted.body}`);
  const body = accepted.json() as { organizationId: string; roles: { platformRole: string }[] };
  const account: FactoryAccount = {
    id: result.account.id,
    username,
    organizationId: body.organizationId,
    roles: [...new Set(body.roles.map((r) => r.platformRole))],
  };
  return {
    account,
    client: await platform.login(username, PASSWORD),
    entityId: result.entity.id,
    creditCode,
    name,
  };
}

/**
 * The catalog item a procedure usually belongs to: works → 0101 房屋建筑和市政, government procurement → 0201
 * 货物; 挂牌 / 拍卖 → 0301 国有土地使用权出让, 网络竞价 → 0601 企业国有产权.
 */
export function defaultCatalogItemOf(procedureType: ProcedureType): string {
  if (procedureType === 'listing' || procedureType === 'auction') return '0301';
  if (procedureType === 'online-bidding') return '0601';
  return procedureType.endsWith('.works') ? '0101' : '0201';
}

/** A valid project registration body with one lot (tests override what they need). */
export function projectBody(
  overrides: Record<string, unknown> & {
    procedureType?: ProcedureType;
    estimateYuan?: string;
    catalogItemCode?: string;
  } = {},
): Record<string, unknown> {
  const {
    procedureType = 'open-tender.works',
    estimateYuan = '5000000.00',
    catalogItemCode,
    ...rest
  } = overrides;
  return {
    name: uniqueName('呼和浩特市第一中学教学楼建设项目'),
    catalogItemCode: catalogItemCode ?? defaultCatalogItemOf(procedureType),
    mandatoryTender: procedureType.endsWith('.works'),
    fundSource: '财政资金',
    budgetYuan: estimateYuan,
    regionCode: '150102',
    approvalDocuments: [
      {
        name: '可行性研究报告批复',
        number: '呼发改审批〔2026〕12号',
        authority: '呼和浩特市发展和改革委员会',
      },
    ],
    lots: [{ name: '施工', procedureType, estimateYuan, content: '教学楼主体及附属工程施工' }],
    ...rest,
  };
}

export interface ReceivedLot<C extends FactoryClient = FactoryClient> {
  lot: LotSummary;
  projectId: string;
  initiator: FactoryAccount;
  initiatorClient: C;
  /** Present when `withAgency`: an accepted 招标代理机构 authorised for the project. */
  agency?: FactoryAccount;
  agencyClient?: C;
  operatorClient: C;
}

/**
 * A fresh initiator (accepted 招标人/采购人) registers a project with one lot through the API, optionally
 * authorises a fresh agency, and an operator receives (受理) it. The lot is then ready to be announced.
 */
export async function registerReceivedLot<C extends FactoryClient>(
  platform: FactoryPlatform<C>,
  opts: {
    procedureType: ProcedureType;
    estimateYuan?: string;
    catalogItemCode?: string;
    withAgency?: boolean;
    /** The project's 项目所在地 (default 150102). */
    regionCode?: string;
  },
): Promise<ReceivedLot<C>> {
  const operatorClient = await operatorClientOf(platform);
  const initiatorEntity = await makeAcceptedEntity(platform, ['tenderer', 'purchaser'], { operatorClient });
  const initiatorClient = initiatorEntity.client;
  const registered = await initiatorClient.post(
    '/api/projects',
    projectBody({
      procedureType: opts.procedureType,
      ...(opts.estimateYuan ? { estimateYuan: opts.estimateYuan } : {}),
      ...(opts.catalogItemCode ? { catalogItemCode: opts.catalogItemCode } : {}),
      ...(opts.regionCode ? { regionCode: opts.regionCode } : {}),
    }),
  );
  if (registered.statusCode !== 201) throw new Error(`project not registered: ${registered.body}`);
  const project = registered.json() as {
    id: string;
    version: number;
    catalogItemCode: string;
    lots: { id: string }[];
  };

  let agency: TestEntity<C> | undefined;
  if (opts.withAgency) {
    agency = await makeAcceptedEntity(platform, ['tender_agency', 'procurement_agency'], { operatorClient });
    const authorised = await initiatorClient.post(`/api/projects/${project.id}/authorisations`, {
      agencyCreditCode: agency.creditCode,
      documentName: '招标代理委托合同',
      scope: '招标代理全过程：编制招标文件、发布公告、组织开标评标',
      validFrom: null,
      validUntil: null,
    });
    if (authorised.statusCode !== 201) throw new Error(`agency not authorised: ${authorised.body}`);
  }

  const received = await operatorClient.post(`/api/admin/projects/${project.id}/receive`, {
    reviewedVersion: project.version,
    catalogItemCode: project.catalogItemCode,
  });
  if (received.statusCode !== 200) throw new Error(`project not received: ${received.body}`);

  const lot = await findLot(platform.db, project.lots[0]!.id);
  if (!lot) throw new Error('lot vanished');
  return {
    lot,
    projectId: project.id,
    initiator: initiatorEntity.account,
    initiatorClient,
    ...(agency ? { agency: agency.account, agencyClient: agency.client } : {}),
    operatorClient,
  };
}
