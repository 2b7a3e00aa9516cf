import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ApiClient,
  makeTestPlatform,
  TEST_PASSWORD,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import type { TestClock } from '../../platform/clock/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import {
  CREDIT_CODE_CHARSET,
  composeCreditCode,
  flagExpiredQualifications,
  idNumberCheckCharacter,
  listExpiredQualifications,
} from './index.ts';

// ---- platform for the tests ----

/**
 * The real platform on the worker's shared database, which holds other files' rows: tests isolate by
 * their own data (fresh names, credit codes, ID numbers) and never assume empty tables.
 */
const PASSWORD = TEST_PASSWORD;
const START = '2026-03-02T01:00:00.000Z'; // 09:00 in Shanghai
let p: TestPlatform;
let clock: TestClock;
let db: TestPlatform['db'];
let operator: ApiClient;
let anonymous: ApiClient;

beforeAll(async () => {
  p = await makeTestPlatform({ GGZY_LOGIN_RATE_MAX: '10000', GGZY_REGISTRATION_RATE_MAX: '10000' });
  clock = p.clock;
  clock.set(START);
  db = p.db;
  anonymous = p.anonymous;
  operator = await login(await makeStaffAccount(['operator']));
});

afterAll(async () => {
  await p.close();
});

function login(username: string, password = PASSWORD): Promise<ApiClient> {
  return p.login(username, password);
}

const unique = uniqueName;

async function makeStaffAccount(roles: string[]): Promise<string> {
  const username = unique('staff');
  await p.identity.createAccount(
    { db, clock, actor: null, origin: SYSTEM_ORIGIN },
    { username, displayName: '交易中心工作人员', password: PASSWORD, roles },
  );
  return username;
}

// ---- factories ----

/** A fresh, valid 统一社会信用代码 registered in Inner Mongolia, both check characters computed. */
function newCreditCode(regionCode = '150102'): string {
  const body = [...randomBytes(8)].map((b) => CREDIT_CODE_CHARSET[b % CREDIT_CODE_CHARSET.length]).join('');
  return composeCreditCode({ authority: '9', category: '1', regionCode, organizationBody: body });
}

/** A fresh, valid 居民身份证号. */
function newIdNumber(): string {
  const sequence = String(randomBytes(2).readUInt16BE() % 1000).padStart(3, '0');
  const day = String(1 + (randomBytes(1)[0]! % 28)).padStart(2, '0');
  const body = `150102198${randomBytes(1)[0]! % 10}03${day}${sequence}`;
  return body + idNumberCheckCharacter(body);
}

interface OrganizationBody {
  kind: string;
  name: string;
  creditCode: string;
  roles: string[];
  legalRepresentative: { name: string; idType: string; idNumber: string; phone: string | null };
  basicAccount: { bankName: string; branchCode: string | null; accountNumber: string; accountName: string };
  regionCode: string;
  address: string;
  zipCode: string | null;
  contact: { name: string; phone: string; email: string | null };
  licence: { validFrom: string | null; validUntil: string | null };
  registeredCapital: { amount: string; currency: string } | null;
}

interface PersonBody {
  kind: 'natural_person';
  name: string;
  roles: string[];
  idType: string;
  idNumber: string;
  idValidUntil: string | null;
  bankAccount: { bankName: string; branchCode: string | null; accountNumber: string; accountName: string };
  regionCode: string;
  address: string;
  contact: { name: string; phone: string; email: string | null };
}

function organizationDetails(overrides: Partial<OrganizationBody> = {}): OrganizationBody {
  return {
    kind: 'legal_person',
    name: unique('内蒙古测试建设有限公司'),
    creditCode: newCreditCode(),
    roles: ['tenderer', 'bidder'],
    legalRepresentative: {
      name: '王建国',
      idType: 'resident_id',
      idNumber: newIdNumber(),
      phone: '0471-6661234',
    },
    basicAccount: {
      bankName: '中国工商银行呼和浩特新城支行',
      branchCode: '102191000018',
      accountNumber: `0602${String(randomBytes(4).readUInt32BE()).padStart(12, '0')}`,
      accountName: '内蒙古测试建设有限公司',
    },
    regionCode: '150102',
    address: '呼和浩特市新城区新华大街1号',
    zipCode: '010010',
    contact: { name: '李娜', phone: '13904710001', email: 'lina@example.cn' },
    licence: { validFrom: '2015-06-01', validUntil: null },
    registeredCapital: { amount: '5000', currency: 'CNY' },
    ...overrides,
  };
}

interface Registration<E> {
  entity: E;
  qualifications: unknown[];
  account: { username: string; displayName: string; password: string };
}

function registration<E extends OrganizationBody | PersonBody>(
  entity: E,
  extra: { qualifications?: unknown[]; username?: string } = {},
): Registration<E> {
  return {
    entity,
    qualifications: extra.qualifications ?? [
      {
        category: '建筑工程施工总承包',
        name: '建筑工程施工总承包',
        level: '一级',
        certificateNumber: unique('D115'),
        issuingAuthority: '内蒙古自治区住房和城乡建设厅',
        validFrom: '2021-01-01',
        validUntil: '2030-12-31',
      },
    ],
    account: { username: extra.username ?? unique('reg'), displayName: '机构管理员', password: PASSWORD },
  };
}

/** A registration of a fresh legal person, with one qualification. */
function orgRegistration(overrides: Partial<OrganizationBody> = {}): Registration<OrganizationBody> {
  return registration(organizationDetails(overrides));
}

interface Registered<E> {
  entityId: string;
  username: string;
  body: Registration<E>;
  admin: ApiClient;
}

async function register<E>(body: Registration<E>): Promise<Registered<E>> {
  const res = await anonymous.post('/api/public/entity-registrations', body);
  expect(res.statusCode, res.body).toBe(201);
  return {
    entityId: res.json().entity.id,
    username: body.account.username,
    body,
    admin: await login(body.account.username),
  };
}

async function accept(entityId: string, reviewedVersion = 1) {
  const res = await operator.post(`/api/admin/entities/${entityId}/accept`, { reviewedVersion });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

/** The whole 受理 queue, page by page (other tests' registrations may be in it too). */
async function submittedQueueIds(): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await operator.get(`/api/admin/entities?status=submitted&limit=200&offset=${offset}`);
    expect(page.statusCode).toBe(200);
    const items = page.json().items as { id: string; status: string }[];
    for (const item of items) expect(item.status).toBe('submitted');
    ids.push(...items.map((i) => i.id));
    if (items.length < 200) return ids;
  }
}

async function witnessActions(entityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('witness_events')
    .select('action')
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

// ---- tests ----

describe('注册登记 → 受理 → 公开查询', () => {
  test('a registration waits for 受理; once accepted, the public finds it by name or credit code', async () => {
    const body = orgRegistration();
    const res = await anonymous.post('/api/public/entity-registrations', body);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created.entity).toMatchObject({
      status: 'submitted',
      statusName: '已提交，待受理',
      version: 1,
      kindName: '法人',
      creditCode: body.entity.creditCode,
      category: {
        registrationAuthority: { code: '9', name: '工商（市场监管）' },
        institutionCategory: { code: '1', name: '企业' },
      },
      region: { code: '150102', name: '新城区', pathName: '内蒙古自治区 呼和浩特市 新城区' },
      roles: [
        { code: 'tenderer', name: '招标人', platformRole: 'initiator' },
        { code: 'bidder', name: '投标人', platformRole: 'responder' },
      ],
      registeredCapital: { amount: '5000', currency: 'CNY', unit: '万元' },
    });
    expect(created.entity.legalRepresentative.idNumberMasked).toMatch(/^1501\*{10}[0-9X]{4}$/);
    const entityId: string = created.entity.id;

    // The registrant signs in at once, but holds no platform role before 受理.
    const admin = await login(body.account.username);
    expect((await admin.get('/api/auth/me')).json()).toMatchObject({ roles: [] });
    const fragment = body.entity.name.slice(-10);
    expect(
      (await anonymous.get(`/api/public/entities?q=${encodeURIComponent(fragment)}`)).json().items,
    ).toEqual([]);

    expect(await submittedQueueIds()).toContain(entityId);

    const accepted = await accept(entityId);
    expect(accepted.json()).toMatchObject({ status: 'active', acceptedVersion: 1 });
    expect((await admin.get('/api/auth/me')).json()).toMatchObject({ roles: ['initiator', 'responder'] });

    const byName = await anonymous.get(`/api/public/entities?q=${encodeURIComponent(fragment)}`);
    expect(byName.statusCode).toBe(200);
    expect(byName.json().items).toEqual([
      {
        id: entityId,
        name: body.entity.name,
        creditCode: body.entity.creditCode,
        kindName: '法人',
        region: { code: '150102', name: '新城区', pathName: '内蒙古自治区 呼和浩特市 新城区' },
        roles: [
          { code: 'tenderer', name: '招标人' },
          { code: 'bidder', name: '投标人' },
        ],
        status: 'active',
        statusName: '已受理',
        qualifications: [
          {
            category: '建筑工程施工总承包',
            name: '建筑工程施工总承包',
            level: '一级',
            validUntil: '2030-12-31',
            expired: false,
          },
        ],
      },
    ]);
    const byCode = await anonymous.get(`/api/public/entities?q=${body.entity.creditCode.toLowerCase()}`);
    expect((byCode.json().items as { id: string }[]).map((i) => i.id)).toEqual([entityId]);

    expect(await witnessActions(entityId)).toEqual(['entity.registered', 'entity.accepted']);
  });

  test('returned for 补正, corrected and resubmitted, then accepted — never accepting an unseen version', async () => {
    const { entityId, admin, body } = await register(orgRegistration());
    const returned = await operator.post(`/api/admin/entities/${entityId}/return`, {
      reason: '营业执照扫描件不清晰，请重新上传并核对注册地址。',
      reviewedVersion: 1,
    });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'returned', statusName: '已退回，待补正' });

    const mine = await admin.get('/api/my/entity');
    expect(mine.json()).toMatchObject({
      status: 'returned',
      returnReason: '营业执照扫描件不清晰，请重新上传并核对注册地址。',
    });
    const early = await operator.post(`/api/admin/entities/${entityId}/accept`, { reviewedVersion: 1 });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'ENTITY_STATE_CONFLICT', title: '当前状态不能受理' });

    const fixed = await admin.put('/api/my/entity', {
      ...body.entity,
      address: '呼和浩特市新城区新华大街2号',
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ version: 2, status: 'returned' });
    const resubmitted = await admin.post('/api/my/entity/submit');
    expect(resubmitted.json()).toMatchObject({ status: 'submitted', returnReason: null });

    const stale = await operator.post(`/api/admin/entities/${entityId}/accept`, { reviewedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'ENTITY_CHANGED_SINCE_REVIEW' });
    await accept(entityId, 2);
    expect(await witnessActions(entityId)).toEqual([
      'entity.registered',
      'entity.returned',
      'entity.updated',
      'entity.submitted',
      'entity.accepted',
    ]);
  });
});

describe('refused registrations leave nothing behind', () => {
  async function organizationsNamed(name: string) {
    return db.selectFrom('organizations').select('id').where('name', '=', name).execute();
  }

  test('a wrong 18th check character: 400 naming the check character', async () => {
    const good = newCreditCode();
    const wrongCheck = CREDIT_CODE_CHARSET[(CREDIT_CODE_CHARSET.indexOf(good[17]!) + 1) % 31]!;
    const body = orgRegistration({ creditCode: good.slice(0, 17) + wrongCheck });
    const res = await anonymous.post('/api/public/entity-registrations', body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: 'CREDIT_CODE_INVALID',
      title: '统一社会信用代码校验码错误',
      part: 'check-character',
      citation: 'GB 32100-2015《法人和其他组织统一社会信用代码编码规则》',
    });
    expect(res.json().detail).toContain(`第18位校验码“${wrongCheck}”不正确`);
    expect(await organizationsNamed(body.entity.name)).toHaveLength(0);
  });

  test('the same credit code twice: 409, and the second account is not created', async () => {
    const first = await register(orgRegistration());
    const again = registration(
      organizationDetails({ creditCode: first.body.entity.creditCode, name: unique('冒名公司') }),
    );
    const res = await anonymous.post('/api/public/entity-registrations', again);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'ENTITY_ALREADY_REGISTERED',
      title: '该统一社会信用代码已登记',
    });
    expect(res.json().detail).toContain(first.body.entity.creditCode);
    const account = await db
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', again.account.username)
      .execute();
    expect(account).toHaveLength(0);
  });

  test('two registrations of one code at the same moment: one is registered, the other gets 409', async () => {
    const entity = organizationDetails();
    const [a, b] = await Promise.all([
      anonymous.post('/api/public/entity-registrations', registration(entity)),
      anonymous.post(
        '/api/public/entity-registrations',
        registration({ ...entity, name: unique('同时公司') }),
      ),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.statusCode === 409)!.json()).toMatchObject({
      code: 'ENTITY_ALREADY_REGISTERED',
    });
  });

  test('an unknown region code: 400', async () => {
    const body = orgRegistration({ regionCode: '150199' });
    const res = await anonymous.post('/api/public/entity-registrations', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'REGION_UNKNOWN', title: '行政区划代码不存在' });
    expect(await organizationsNamed(body.entity.name)).toHaveLength(0);
  });

  test('unknown fields and a bad representative ID number are refused', async () => {
    const extra = orgRegistration();
    const withExtra = { ...extra, entity: { ...extra.entity, isVerified: true } };
    const res = await anonymous.post('/api/public/entity-registrations', withExtra);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });

    const id = newIdNumber();
    const badId = `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`;
    const bad = registration(
      organizationDetails({
        legalRepresentative: { name: '王建国', idType: 'resident_id', idNumber: badId, phone: null },
      }),
    );
    const refused = await anonymous.post('/api/public/entity-registrations', bad);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'ID_NUMBER_INVALID',
      title: '法定代表人身份证件号码不正确',
    });
  });
});

describe('versions and the witness log', () => {
  test('two edits make three versions, each with its snapshot hash witnessed in the same transaction', async () => {
    const { entityId, admin, body } = await register(orgRegistration());
    const first = await admin.put('/api/my/entity', {
      ...body.entity,
      contact: { ...body.entity.contact, name: '赵敏' },
    });
    expect(first.statusCode, first.body).toBe(200);
    const second = await admin.put('/api/my/entity', {
      ...body.entity,
      contact: { ...body.entity.contact, name: '赵敏' },
      address: '呼和浩特市新城区中山东路8号',
    });
    expect(second.json()).toMatchObject({ version: 3, address: '呼和浩特市新城区中山东路8号' });

    const versions = await admin.get('/api/my/entity/versions');
    const items = versions.json().items as {
      version: number;
      action: string;
      snapshotSm3: string;
      snapshot: { details: { address: string; legalRepresentative: { idNumber: string } } };
    }[];
    expect(items.map((v) => [v.version, v.action])).toEqual([
      [1, 'registered'],
      [2, 'updated'],
      [3, 'updated'],
    ]);
    expect(items[0]!.snapshot.details.address).toBe('呼和浩特市新城区新华大街1号');
    expect(items[2]!.snapshot.details.address).toBe('呼和浩特市新城区中山东路8号');
    // ID numbers stay masked in the history too.
    expect(items[0]!.snapshot.details.legalRepresentative.idNumber).toMatch(/^1501\*+/);
    expect(JSON.stringify(versions.json())).not.toContain(body.entity.legalRepresentative.idNumber);

    const events = await db
      .selectFrom('witness_events')
      .select(['action', 'payload', 'actor_account_id'])
      .where('entity_id', '=', entityId)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['entity.registered', 'entity.updated', 'entity.updated']);
    const payloads = events.map(
      (e) => JSON.parse(e.payload) as { snapshotSm3: string; changedFields?: string[] },
    );
    expect(payloads.map((p) => p.snapshotSm3)).toEqual(items.map((v) => v.snapshotSm3));
    expect(payloads[1]!.changedFields).toEqual(['contact']);
    expect(payloads[2]!.changedFields).toEqual(['address']);
    // The public log names what changed, never the private values.
    expect(events.map((e) => e.payload).join('')).not.toContain('赵敏');

    const unchanged = await admin.put('/api/my/entity', {
      ...body.entity,
      contact: { ...body.entity.contact, name: '赵敏' },
      address: '呼和浩特市新城区中山东路8号',
    });
    expect(unchanged.json()).toMatchObject({ version: 3 });
  });

  test('after 受理 the credit code and roles are locked; other details still change', async () => {
    const { entityId, admin, body } = await register(orgRegistration());
    await accept(entityId);
    const recode = await admin.put('/api/my/entity', { ...body.entity, creditCode: newCreditCode() });
    expect(recode.statusCode).toBe(409);
    expect(recode.json()).toMatchObject({ code: 'ENTITY_IDENTITY_LOCKED' });
    const moreRoles = await admin.put('/api/my/entity', {
      ...body.entity,
      roles: ['tenderer', 'bidder', 'tender_agency'],
    });
    expect(moreRoles.statusCode).toBe(409);
    const phone = await admin.put('/api/my/entity', {
      ...body.entity,
      contact: { ...body.entity.contact, phone: '13904710099' },
    });
    expect(phone.json()).toMatchObject({ status: 'active', version: 2, contact: { phone: '13904710099' } });
  });
});

describe('public lookup shows public fields only', () => {
  test('no ID numbers, bank accounts, phones or e-mail addresses; natural persons are not listed', async () => {
    const { entityId, body } = await register(orgRegistration());
    await accept(entityId);
    const res = await anonymous.get(`/api/public/entities?q=${encodeURIComponent(body.entity.name)}`);
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(res.json().items).toHaveLength(1);
    const entity = body.entity;
    for (const secret of [
      entity.legalRepresentative.idNumber,
      entity.legalRepresentative.name,
      entity.legalRepresentative.phone,
      entity.basicAccount.accountNumber,
      entity.contact.phone,
      entity.contact.email,
      entity.address,
    ]) {
      expect(text).not.toContain(secret);
    }
    for (const key of ['legalRepresentative', 'basicAccount', 'contact', 'person', 'address']) {
      expect(res.json().items[0]).not.toHaveProperty(key);
    }

    const personName = unique('张三');
    const person = await register(
      registration(
        {
          kind: 'natural_person',
          name: personName,
          roles: ['competitive_bidder'],
          idType: 'resident_id',
          idNumber: newIdNumber(),
          idValidUntil: '2035-01-01',
          bankAccount: {
            bankName: '中国农业银行',
            branchCode: null,
            accountNumber: '6228480012345678',
            accountName: personName,
          },
          regionCode: '152530',
          address: '锡林郭勒盟正蓝旗上都镇',
          contact: { name: personName, phone: '13847900001', email: null },
        },
        { qualifications: [] },
      ),
    );
    await accept(person.entityId);
    const none = await anonymous.get(`/api/public/entities?q=${encodeURIComponent(personName)}`);
    expect(none.json().items).toEqual([]);
  });

  test('a too-short query is refused in Chinese', async () => {
    const res = await anonymous.get('/api/public/entities?q=a');
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('至少 2 个字符');
  });
});

describe('自然人 natural persons', () => {
  test('may register as 竞买人 with a valid ID (shown masked), not as 招标人; one registration per ID', async () => {
    const idNumber = newIdNumber();
    const name = unique('李四');
    const person = (roles: string[]) =>
      registration(
        {
          kind: 'natural_person',
          name,
          roles,
          idType: 'resident_id',
          idNumber,
          idValidUntil: null,
          bankAccount: {
            bankName: '中国银行',
            branchCode: null,
            accountNumber: '6217000011112222',
            accountName: name,
          },
          regionCode: '150203',
          address: '包头市昆都仑区钢铁大街',
          contact: { name, phone: '13604720002', email: null },
        },
        { qualifications: [] },
      );
    const tenderer = await anonymous.post('/api/public/entity-registrations', person(['tenderer']));
    expect(tenderer.statusCode).toBe(409);
    expect(tenderer.json()).toMatchObject({ code: 'ROLE_NOT_ALLOWED_FOR_PERSON' });
    expect(tenderer.json().citation).toContain('《中华人民共和国招标投标法》第八条');

    const ok = await anonymous.post(
      '/api/public/entity-registrations',
      person(['competitive_bidder', 'assignee']),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().entity).toMatchObject({
      kindName: '自然人',
      creditCode: null,
      person: {
        idType: 'resident_id',
        idNumberMasked: `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`,
      },
      legalRepresentative: null,
    });
    expect(ok.body).not.toContain(idNumber);

    const twice = await anonymous.post('/api/public/entity-registrations', person(['competitive_bidder']));
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'PERSON_ALREADY_REGISTERED' });
  });
});

describe('机构管理员 organisation administrator', () => {
  test('creates a responder account in its own organisation, but never an operator', async () => {
    const { entityId, admin } = await register(orgRegistration());
    const tooEarly = await admin.post('/api/my/accounts', {
      username: unique('staff'),
      displayName: '投标专员',
      password: PASSWORD,
      roles: ['responder'],
    });
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json()).toMatchObject({ code: 'ENTITY_NOT_ACTIVE' });
    await accept(entityId);

    const username = unique('staff');
    const created = await admin.post('/api/my/accounts', {
      username,
      displayName: '投标专员',
      password: PASSWORD,
      roles: ['responder'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const member = await login(username);
    const me = (await member.get('/api/auth/me')).json();
    const adminMe = (await admin.get('/api/auth/me')).json();
    expect(me).toMatchObject({ roles: ['responder'], organization: { id: adminMe.organization.id } });

    const staffRole = await admin.post('/api/my/accounts', {
      username: unique('evil'),
      displayName: '假冒工作人员',
      password: PASSWORD,
      roles: ['operator'],
    });
    expect(staffRole.statusCode).toBe(403);
    expect(staffRole.json()).toMatchObject({ code: 'ROLE_NOT_DELEGABLE', title: '不能创建该角色的账号' });
    const notHeld = await admin.post('/api/my/accounts', {
      username: unique('agent'),
      displayName: '代理',
      password: PASSWORD,
      roles: ['agency'],
    });
    expect(notHeld.statusCode).toBe(403);
    expect(notHeld.json()).toMatchObject({ code: 'ROLE_NOT_HELD' });

    // A member who is not the administrator manages nothing.
    const byMember = await member.post('/api/my/accounts', {
      username: unique('x'),
      displayName: 'x',
      password: PASSWORD,
      roles: ['responder'],
    });
    expect(byMember.statusCode).toBe(403);
    expect(byMember.json()).toMatchObject({ code: 'ORG_ADMIN_REQUIRED' });

    const list = await admin.get('/api/my/accounts');
    expect(
      (list.json().items as { username: string; isAdmin: boolean }[]).map((a) => [a.username, a.isAdmin]),
    ).toEqual(expect.arrayContaining([[username, false]]));
    expect(list.json().items).toHaveLength(2);

    const disabled = await admin.post(`/api/my/accounts/${created.json().id}/disable`);
    expect(disabled.json()).toEqual({ sessionsEnded: 1 });
    expect((await member.get('/api/auth/me')).statusCode).toBe(401);
    expect(await witnessActions(created.json().id)).toEqual([
      'account.created',
      'session.opened',
      'account.disabled',
    ]);
  });

  test('cannot disable an account of another organisation', async () => {
    const one = await register(orgRegistration());
    const other = await register(orgRegistration());
    const otherAdminId = (await other.admin.get('/api/auth/me')).json().id as string;
    const res = await one.admin.post(`/api/my/accounts/${otherAdminId}/disable`);
    expect(res.statusCode).toBe(404);
  });
});

describe('who may 受理', () => {
  test('neither a registrant nor a bidder may accept or return', async () => {
    const { entityId, admin } = await register(orgRegistration());
    const self = await admin.post(`/api/admin/entities/${entityId}/accept`, { reviewedVersion: 1 });
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ code: 'ROLE_FORBIDDEN' });
    const bidder = await login(await makeStaffAccount(['responder']));
    const res = await bidder.post(`/api/admin/entities/${entityId}/return`, { reason: '试图退回' });
    expect(res.statusCode).toBe(403);
    const queue = await bidder.get('/api/admin/entities?status=submitted');
    expect(queue.statusCode).toBe(403);
    const anon = await anonymous.post(`/api/admin/entities/${entityId}/accept`, { reviewedVersion: 1 });
    expect(anon.statusCode).toBe(401);
    expect((await operator.get(`/api/admin/entities/${entityId}`)).json()).toMatchObject({
      status: 'submitted',
    });
  });
});

describe('资质过期 qualification expiry', () => {
  test('a certificate past its last valid day is flagged expired, once, with a witness event', async () => {
    const { entityId, username } = await register(
      registration(organizationDetails(), {
        qualifications: [
          {
            category: '招标代理',
            name: '工程招标代理机构资格',
            level: '甲级',
            certificateNumber: unique('ZB'),
            issuingAuthority: '住房和城乡建设部',
            validFrom: '2021-07-01',
            validUntil: '2026-06-30',
          },
        ],
      }),
    );
    try {
      expect(await listExpiredQualifications(db, '2026-06-30', { entityId })).toEqual([]);
      // 2026-07-01 00:30 in Shanghai is still 2026-06-30 in UTC: the law's day is Shanghai's.
      clock.set('2026-06-30T16:30:00.000Z');
      const admin = await login(username); // months later: a new session
      const expired = await listExpiredQualifications(db, '2026-07-01', { entityId });
      expect(expired).toHaveLength(1);
      expect(expired[0]).toMatchObject({
        name: '工程招标代理机构资格',
        validUntil: '2026-06-30',
        flaggedAt: null,
      });
      expect((await admin.get('/api/my/entity')).json().qualifications[0]).toMatchObject({ expired: true });

      const first = await flagExpiredQualifications({ db, clock });
      expect(first.today).toBe('2026-07-01');
      expect(first.flagged).toBeGreaterThanOrEqual(1);
      // A shared database may hold more expired certificates than one sweep takes: sweep until done.
      while ((await flagExpiredQualifications({ db, clock })).flagged > 0);
      const [flagged] = await listExpiredQualifications(db, '2026-07-01', { entityId });
      expect(flagged!.flaggedAt).toEqual(clock.now());
      await flagExpiredQualifications({ db, clock });
      expect(
        (await witnessActions(entityId)).filter((a) => a === 'entity.qualification-expired'),
      ).toHaveLength(1);
      expect((await admin.get('/api/my/entity')).json().qualifications[0].expiredFlaggedAt).toBe(
        clock.now().toISOString(),
      );
    } finally {
      clock.set(START);
    }
  });

  test('adding and removing a qualification each make a version', async () => {
    const { admin } = await register(orgRegistration());
    const added = await admin.post('/api/my/entity/qualifications', {
      category: '市政公用工程',
      name: '市政公用工程施工总承包',
      level: '二级',
      certificateNumber: unique('D215'),
      issuingAuthority: '呼和浩特市住房和城乡建设局',
      validUntil: '2029-05-31',
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ version: 2 });
    const qualificationId = (added.json().qualifications as { id: string; name: string }[]).find(
      (q) => q.name === '市政公用工程施工总承包',
    )!.id;
    const removed = await admin.delete(`/api/my/entity/qualifications/${qualificationId}`);
    expect(removed.json()).toMatchObject({ version: 3 });
    const versions = (await admin.get('/api/my/entity/versions')).json().items as { action: string }[];
    expect(versions.map((v) => v.action)).toEqual([
      'registered',
      'qualification-added',
      'qualification-removed',
    ]);
  });
});

describe('修改 without retyping ID numbers', () => {
  /** The details as the edit form sends them when the ID number is left empty: no `idNumber` at all. */
  function withoutRepresentativeId(entity: OrganizationBody) {
    const { idNumber: _omitted, ...representative } = entity.legalRepresentative;
    return { ...entity, legalRepresentative: representative };
  }

  async function storedIds(entityId: string) {
    return db
      .selectFrom('market_entities')
      .select(['representative_id_number', 'person_id_number', 'version'])
      .where('id', '=', entityId)
      .executeTakeFirstOrThrow();
  }

  /** The stored snapshots, unmasked, by version. */
  async function storedSnapshots(entityId: string) {
    const rows = await db
      .selectFrom('entity_versions')
      .select(['version', 'snapshot'])
      .where('entity_id', '=', entityId)
      .orderBy('version')
      .execute();
    return rows.map((r) => {
      const snapshot = (typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) : r.snapshot) as {
        details: { idNumber?: string; legalRepresentative?: { idNumber: string } };
      };
      return { version: r.version, details: snapshot.details };
    });
  }

  async function updatePayloads(entityId: string) {
    const events = await db
      .selectFrom('witness_events')
      .select('payload')
      .where('entity_id', '=', entityId)
      .where('action', '=', 'entity.updated')
      .orderBy('id')
      .execute();
    return events.map((e) => JSON.parse(e.payload) as { version: number; changedFields: string[] });
  }

  test('an address edit without the ID number keeps the stored number, in the row and in the new version', async () => {
    const { entityId, admin, body } = await register(orgRegistration());
    const original = body.entity.legalRepresentative.idNumber;
    await accept(entityId); // identity locked: the kept number must not count as a change of it
    const res = await admin.put('/api/my/entity', {
      ...withoutRepresentativeId(body.entity),
      address: '呼和浩特市新城区兴安北路 9 号',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      version: 2,
      status: 'active',
      address: '呼和浩特市新城区兴安北路 9 号',
      legalRepresentative: { idNumberMasked: `${original.slice(0, 4)}**********${original.slice(-4)}` },
    });
    expect(res.body).not.toContain(original);
    expect(await storedIds(entityId)).toMatchObject({ representative_id_number: original, version: 2 });
    const snapshots = await storedSnapshots(entityId);
    expect(snapshots.map((s) => [s.version, s.details.legalRepresentative?.idNumber])).toEqual([
      [1, original],
      [2, original],
    ]);
    // Only the address changed, so the witness event names only the address.
    expect((await updatePayloads(entityId)).map((p) => p.changedFields)).toEqual([['address']]);

    // The same edit again changes nothing: no new version.
    const again = await admin.put('/api/my/entity', {
      ...withoutRepresentativeId(body.entity),
      address: '呼和浩特市新城区兴安北路 9 号',
    });
    expect(again.json()).toMatchObject({ version: 2 });
  });

  test('a new valid ID number replaces the stored one; an invalid one is refused in Chinese', async () => {
    const { entityId, admin, body } = await register(orgRegistration());
    const replacement = newIdNumber();
    const replaced = await admin.put('/api/my/entity', {
      ...body.entity,
      legalRepresentative: { ...body.entity.legalRepresentative, idNumber: replacement },
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({
      version: 2,
      legalRepresentative: {
        idNumberMasked: `${replacement.slice(0, 4)}**********${replacement.slice(-4)}`,
      },
    });
    expect(await storedIds(entityId)).toMatchObject({ representative_id_number: replacement });
    expect((await storedSnapshots(entityId))[1]!.details.legalRepresentative?.idNumber).toBe(replacement);
    expect((await updatePayloads(entityId)).map((p) => p.changedFields)).toEqual([['legalRepresentative']]);

    const badCheck = `${replacement.slice(0, 17)}${replacement[17] === '0' ? '1' : '0'}`;
    const refused = await admin.put('/api/my/entity', {
      ...body.entity,
      address: '不应保存的地址',
      legalRepresentative: { ...body.entity.legalRepresentative, idNumber: badCheck },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'ID_NUMBER_INVALID',
      title: '法定代表人身份证件号码不正确',
      citation: 'GB 11643-1999《公民身份号码》',
      field: 'entity.legalRepresentative.idNumber',
    });
    expect(refused.json().detail).toMatch(/校验码/);
    expect(await storedIds(entityId)).toMatchObject({ representative_id_number: replacement, version: 2 });

    // A different document type needs that document's number: the stored one belongs to the other.
    const retyped = await admin.put('/api/my/entity', {
      ...withoutRepresentativeId(body.entity),
      legalRepresentative: {
        ...withoutRepresentativeId(body.entity).legalRepresentative,
        idType: 'passport',
      },
    });
    expect(retyped.statusCode).toBe(400);
    expect(retyped.json()).toMatchObject({
      code: 'ID_NUMBER_REQUIRED',
      title: '请填写法定代表人证件号码',
      field: 'entity.legalRepresentative.idNumber',
    });
    // A new representative is a new person: the previous one's number is not carried over to them.
    const newPerson = await admin.put('/api/my/entity', {
      ...withoutRepresentativeId(body.entity),
      legalRepresentative: { ...withoutRepresentativeId(body.entity).legalRepresentative, name: '新任法人' },
    });
    expect(newPerson.statusCode).toBe(400);
    expect(newPerson.json()).toMatchObject({
      code: 'ID_NUMBER_REQUIRED',
      field: 'entity.legalRepresentative.idNumber',
    });
    expect(newPerson.json().detail).toContain('法定代表人已更改');
    // An empty string is not "left out": the form omits the field.
    const empty = await admin.put('/api/my/entity', {
      ...body.entity,
      legalRepresentative: { ...body.entity.legalRepresentative, idNumber: '' },
    });
    expect(empty.statusCode).toBe(400);
    expect(await storedIds(entityId)).toMatchObject({ representative_id_number: replacement, version: 2 });
  });

  test('a natural person edits the address without the ID number, also once accepted', async () => {
    const idNumber = newIdNumber();
    const name = unique('王五');
    const person: PersonBody = {
      kind: 'natural_person',
      name,
      roles: ['competitive_bidder'],
      idType: 'resident_id',
      idNumber,
      idValidUntil: null,
      bankAccount: {
        bankName: '中国银行',
        branchCode: null,
        accountNumber: '6217000033334444',
        accountName: name,
      },
      regionCode: '150203',
      address: '包头市昆都仑区钢铁大街 1 号',
      contact: { name, phone: '13604720003', email: null },
    };
    const { entityId, admin } = await register(registration(person, { qualifications: [] }));
    await accept(entityId);
    const { idNumber: _omitted, ...withoutId } = person;
    const res = await admin.put('/api/my/entity', { ...withoutId, address: '包头市昆都仑区钢铁大街 2 号' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, address: '包头市昆都仑区钢铁大街 2 号' });
    expect(await storedIds(entityId)).toMatchObject({ person_id_number: idNumber });
    expect((await storedSnapshots(entityId)).map((s) => s.details.idNumber)).toEqual([idNumber, idNumber]);

    const bad = await admin.put('/api/my/entity', { ...person, idNumber: `${idNumber.slice(0, 17)}Y` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'ID_NUMBER_INVALID', title: '身份证件号码不正确' });
  });

  test('registration still requires the ID number', async () => {
    const body = orgRegistration();
    const res = await anonymous.post('/api/public/entity-registrations', {
      ...body,
      entity: withoutRepresentativeId(body.entity),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('我的单位 says who administers it, and versions name who changed them', () => {
  test('isOrganizationAdmin is true for the administrator and false for a member', async () => {
    const { entityId, admin } = await register(orgRegistration());
    expect((await admin.get('/api/my/entity')).json()).toMatchObject({ isOrganizationAdmin: true });
    await accept(entityId);
    const username = unique('member');
    const created = await admin.post('/api/my/accounts', {
      username,
      displayName: '投标专员',
      password: PASSWORD,
      roles: ['responder'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const member = await login(username);
    const mine = await member.get('/api/my/entity');
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ id: entityId, isOrganizationAdmin: false });
    // What the member is told matches what it may do.
    expect((await member.get('/api/my/accounts')).statusCode).toBe(403);
    // The operator's view of an entity is not about the caller: no such field there.
    expect((await operator.get(`/api/admin/entities/${entityId}`)).json()).not.toHaveProperty(
      'isOrganizationAdmin',
    );
  });

  test('each version names the account that made it, by its display name', async () => {
    const body = orgRegistration();
    const displayName = unique('管理员');
    body.account.displayName = displayName;
    const { entityId, admin } = await register(body);
    await admin.put('/api/my/entity', { ...body.entity, address: '呼和浩特市新城区新华大街 3 号' });
    const adminId = (await admin.get('/api/auth/me')).json().id as string;
    for (const res of [
      await admin.get('/api/my/entity/versions'),
      await operator.get(`/api/admin/entities/${entityId}/versions`),
    ]) {
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { version: number; changedBy: string; changedByName: string }[];
      expect(items.map((v) => [v.version, v.changedBy, v.changedByName])).toEqual([
        [1, adminId, displayName],
        [2, adminId, displayName],
      ]);
    }
  });
});
