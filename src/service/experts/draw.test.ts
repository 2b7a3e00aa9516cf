import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import {
  DRAW_RULE_CITATIONS,
  DRAW_RULE_NAMES_ZH,
  DRAW_RULE_ORDER,
  type DrawCandidateQuery,
  findExpertOfAccount,
  getExpertsForDraw,
  importExperts,
  listDrawCandidates,
  recordExpertPerformance,
} from './index.ts';
import { makeExpert, randomIdNumber } from './test-factory.ts';

/**
 * The pool's half of the draw, rule by rule. Each test works under its own specialty+region slice (a
 * county of its own) so that other tests' experts — on the worker's shared database — never show up.
 */
let p: TestPlatform;

beforeAll(async () => {
  p = await makeTestPlatform();
  p.clock.set('2026-05-04T01:00:00.000Z');
}, 120_000);

afterAll(async () => {
  await p.close();
});

const EVALUATION = {
  from: new Date('2026-06-10T01:00:00.000Z'), // 09:00 Beijing, 10 June
  to: new Date('2026-06-11T10:00:00.000Z'), // 18:00 Beijing, 11 June
};

function query(regionCode: string, extra: Partial<DrawCandidateQuery> = {}): DrawCandidateQuery {
  return {
    specialtyCode: 'A0801',
    regionCode,
    period: EVALUATION,
    avoid: [],
    regulatorName: null,
    asOf: p.clock.now(),
    ...extra,
  };
}

const BIDDER = { name: '某某建设集团有限公司', creditCode: '91150100MA0N000011', organizationId: null };

describe('rules', () => {
  test('every rule has a Chinese name and a citation, in the contract order', () => {
    expect(DRAW_RULE_ORDER).toEqual(['status', 'unavailable', 'employer', 'relationship', 'regulator-staff']);
    for (const rule of DRAW_RULE_ORDER) {
      expect(DRAW_RULE_NAMES_ZH[rule]).toMatch(/[\u4e00-\u9fa5]/);
      expect(DRAW_RULE_CITATIONS[rule]).toMatch(/《/);
    }
  });
});

describe('listDrawCandidates', () => {
  test('specialty prefix and region prefix select the slice, ordered by code', async () => {
    // 150121 土默特左旗 (呼和浩特) and 150202 东河区 (包头)
    const leaf = await makeExpert(p, { regionCode: '150121', specialtyCodes: ['A080101'] });
    const inner = await makeExpert(p, { regionCode: '150121', specialtyCodes: ['A0801', 'A080201'] });
    const otherSpecialty = await makeExpert(p, { regionCode: '150121', specialtyCodes: ['B0401'] });
    const otherCity = await makeExpert(p, { regionCode: '150202', specialtyCodes: ['A080101'] });

    const county = await listDrawCandidates(p.db, query('150121'));
    const ids = county.map((c) => c.expertId);
    expect(ids).toContain(leaf.expertId);
    expect(ids).toContain(inner.expertId);
    expect(ids).not.toContain(otherSpecialty.expertId);
    expect(ids).not.toContain(otherCity.expertId);
    // An expert with two matching codes (A0801 and, below it, nothing else here) appears once.
    expect(ids.filter((id) => id === inner.expertId)).toHaveLength(1);
    expect(county.map((c) => c.code)).toEqual([...county.map((c) => c.code)].sort());

    const city = await listDrawCandidates(p.db, query('150100'));
    expect(city.map((c) => c.expertId)).toEqual(expect.arrayContaining([leaf.expertId, inner.expertId]));
    expect(city.map((c) => c.expertId)).not.toContain(otherCity.expertId);
    const province = await listDrawCandidates(p.db, query('150000', { specialtyCode: 'A08' }));
    expect(province.map((c) => c.expertId)).toEqual(
      expect.arrayContaining([leaf.expertId, inner.expertId, otherCity.expertId]),
    );
    // A leaf request does not match an expert who holds only the inner code above it.
    const leafOnly = await listDrawCandidates(p.db, query('150121', { specialtyCode: 'A080101' }));
    expect(leafOnly.map((c) => c.expertId)).toContain(leaf.expertId);
    expect(leafOnly.map((c) => c.expertId)).not.toContain(inner.expertId);
    expect(county.find((c) => c.expertId === leaf.expertId)).toMatchObject({
      code: leaf.code,
      regionCode: '150121',
      blockedBy: null,
    });
  });

  test('status: suspended and retired experts are blocked; a suspension ending before the evaluation is not', async () => {
    const region = '150122'; // 托克托县
    const suspended = await makeExpert(p, { regionCode: region, status: 'suspended' });
    const retired = await makeExpert(p, { regionCode: region, status: 'retired' });
    const endsBefore = await makeExpert(p, {
      regionCode: region,
      status: 'suspended',
      suspendedUntil: '2026-06-09',
    });
    const endsDuring = await makeExpert(p, {
      regionCode: region,
      status: 'suspended',
      suspendedUntil: '2026-06-10',
    });
    const rows = await listDrawCandidates(p.db, query(region));
    const by = new Map(rows.map((r) => [r.expertId, r.blockedBy]));
    expect(by.get(suspended.expertId)).toBe('status');
    expect(by.get(retired.expertId)).toBe('status');
    expect(by.get(endsBefore.expertId)).toBeNull();
    expect(by.get(endsDuring.expertId)).toBe('status');
  });

  test('unavailable: a declared period overlapping the evaluation dates (Asia/Shanghai) blocks', async () => {
    const region = '150123'; // 和林格尔县
    const overlapping = await makeExpert(p, {
      regionCode: region,
      unavailability: [{ from: '2026-06-11', to: '2026-06-20', reason: '出差' }],
    });
    const before = await makeExpert(p, {
      regionCode: region,
      unavailability: [{ from: '2026-06-01', to: '2026-06-09' }],
    });
    const after = await makeExpert(p, {
      regionCode: region,
      unavailability: [{ from: '2026-06-12', to: '2026-06-12' }],
    });
    const rows = await listDrawCandidates(p.db, query(region));
    const by = new Map(rows.map((r) => [r.expertId, r.blockedBy]));
    expect(by.get(overlapping.expertId)).toBe('unavailable');
    expect(by.get(before.expertId)).toBeNull();
    expect(by.get(after.expertId)).toBeNull();
    // An evaluation ending at 00:00 Beijing on 12 June does not touch 12 June.
    const endsAtMidnight = await listDrawCandidates(
      p.db,
      query(region, { period: { from: EVALUATION.from, to: new Date('2026-06-11T16:00:00.000Z') } }),
    );
    expect(endsAtMidnight.find((r) => r.expertId === after.expertId)?.blockedBy).toBeNull();
  });

  test('employer: employed by an avoided organisation (credit code, organisation or name) blocks', async () => {
    const region = '150124'; // 清水河县
    const byCode = await makeExpert(p, {
      regionCode: region,
      employerName: '另一个名字',
      employerCreditCode: BIDDER.creditCode,
    });
    const byName = await makeExpert(p, { regionCode: region, employerName: BIDDER.name });
    const free = await makeExpert(p, { regionCode: region });
    const rows = await listDrawCandidates(p.db, query(region, { avoid: [BIDDER] }));
    const by = new Map(rows.map((r) => [r.expertId, r.blockedBy]));
    expect(by.get(byCode.expertId)).toBe('employer');
    expect(by.get(byName.expertId)).toBe('employer');
    expect(by.get(free.expertId)).toBeNull();
  });

  test('relationship: declared ties with an avoided organisation block; a former employer only within 3 years', async () => {
    const region = '150125'; // 武川县
    const spouse = await makeExpert(p, {
      regionCode: region,
      relationships: [
        { kind: 'spouse-employer', organizationName: BIDDER.name, creditCode: BIDDER.creditCode },
      ],
    });
    const formerRecent = await makeExpert(p, {
      regionCode: region,
      relationships: [
        {
          kind: 'former-employer',
          organizationName: BIDDER.name,
          creditCode: BIDDER.creditCode,
          endedOn: '2023-05-05',
        },
      ],
    });
    const formerOld = await makeExpert(p, {
      regionCode: region,
      relationships: [
        {
          kind: 'former-employer',
          organizationName: BIDDER.name,
          creditCode: BIDDER.creditCode,
          endedOn: '2023-05-03',
        },
      ],
    });
    const nameOnly = await makeExpert(p, {
      regionCode: region,
      relationships: [{ kind: 'shareholding', organizationName: BIDDER.name }],
    });
    const rows = await listDrawCandidates(p.db, query(region, { avoid: [BIDDER] }));
    const by = new Map(rows.map((r) => [r.expertId, r.blockedBy]));
    expect(by.get(spouse.expertId)).toBe('relationship');
    // asOf is 2026-05-04: employment ended 2023-05-05 is within three years, 2023-05-03 is not.
    expect(by.get(formerRecent.expertId)).toBe('relationship');
    expect(by.get(formerOld.expertId)).toBeNull();
    // Without a credit code the declaration is shown to the supervisor but not applied automatically.
    expect(by.get(nameOnly.expertId)).toBeNull();
  });

  test('regulator-staff: the project regulator by name, and avoid entries with reason 3 (主管部门)', async () => {
    const region = '150221'; // 土默特右旗
    const staff = await makeExpert(p, {
      regionCode: region,
      employerName: '包头市住房和城乡建设局',
      employerKind: 'government',
    });
    const authority = await makeExpert(p, { regionCode: region, employerName: '某某主管部门' });
    const free = await makeExpert(p, { regionCode: region });
    const rows = await listDrawCandidates(
      p.db,
      query(region, {
        regulatorName: '包头市住房和城乡建设局',
        avoid: [{ name: '某某主管部门', creditCode: null, organizationId: null, reasonCode: '3' }],
      }),
    );
    const by = new Map(rows.map((r) => [r.expertId, r.blockedBy]));
    expect(by.get(staff.expertId)).toBe('regulator-staff');
    expect(by.get(authority.expertId)).toBe('regulator-staff');
    expect(by.get(free.expertId)).toBeNull();
  });

  test('the FIRST rule in order is reported when several apply', async () => {
    const region = '150222'; // 固阳县
    const all = await makeExpert(p, {
      regionCode: region,
      status: 'suspended',
      employerCreditCode: BIDDER.creditCode,
      unavailability: [{ from: '2026-06-10', to: '2026-06-10' }],
    });
    const unavailableAndEmployer = await makeExpert(p, {
      regionCode: region,
      employerCreditCode: BIDDER.creditCode,
      unavailability: [{ from: '2026-06-10', to: '2026-06-10' }],
    });
    const rows = await listDrawCandidates(p.db, query(region, { avoid: [BIDDER] }));
    const by = new Map(rows.map((r) => [r.expertId, r.blockedBy]));
    expect(by.get(all.expertId)).toBe('status');
    expect(by.get(unavailableAndEmployer.expertId)).toBe('unavailable');
  });

  test('an unknown specialty or region is refused', async () => {
    await expect(listDrawCandidates(p.db, query('150121', { specialtyCode: 'A99' }))).rejects.toMatchObject({
      code: 'EXPERT_SPECIALTY_UNKNOWN',
    });
    await expect(listDrawCandidates(p.db, query('159999'))).rejects.toMatchObject({
      code: 'EXPERT_REGION_UNKNOWN',
    });
  });
});

describe('the other exports for the draw', () => {
  test('getExpertsForDraw opens the phone; findExpertOfAccount follows the status', async () => {
    const made = await makeExpert(p, { name: '张工', phone: '13900001111', regionCode: '150223' });
    const map = await getExpertsForDraw(p.db, p.sealer, [made.expertId]);
    expect(map.get(made.expertId)).toMatchObject({
      code: made.code,
      name: '张工',
      accountId: made.account.id,
      phone: '13900001111',
      phoneMasked: '139****1111',
      regionCode: '150223',
    });
    expect(map.get(made.expertId)?.idNumberMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(await findExpertOfAccount(p.db, made.account.id)).toMatchObject({
      expertId: made.expertId,
      code: made.code,
      status: 'active',
    });
    const suspended = await makeExpert(p, { status: 'suspended' });
    expect(await findExpertOfAccount(p.db, suspended.account.id)).toBeNull();
    expect(await findExpertOfAccount(p.db, suspended.account.id, { includeInactive: true })).toMatchObject({
      status: 'suspended',
    });
  });

  test('recordExpertPerformance writes a record and its witness event in the caller transaction', async () => {
    const made = await makeExpert(p);
    await p.db.transaction().execute(async (tx) => {
      await recordExpertPerformance(tx, {
        expertId: made.expertId,
        title: '评标表现：按时到场，独立评审',
        result: '优',
        lotId: 'lot-x',
        at: p.clock.now(),
        origin: SYSTEM_ORIGIN,
      });
    });
    const records = await p.db
      .selectFrom('expert_records')
      .selectAll()
      .where('expert_id', '=', made.expertId)
      .execute();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'performance', result: '优', lot_id: 'lot-x' });
    const events = await p.db
      .selectFrom('witness_events')
      .select(['action'])
      .where('entity_id', '=', made.expertId)
      .execute();
    expect(events.map((e) => e.action)).toContain('expert.record-added');
  });
});

describe('importExperts', () => {
  test('imports a batch in one transaction with one witness event, sealing ID number and phone', async () => {
    // An address code no other test uses: the batch can only repeat itself (handled below), never an
    // expert another test of this worker's database already holds (10^7 numbers per code and 1,200 drawn).
    const IMPORT_AREA = '152921';
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      name: `导入专家${i}`,
      gender: 'female' as const,
      idNumber: randomIdNumber(IMPORT_AREA),
      phone: `1380000${String(i).padStart(4, '0')}`,
      employerName: '导入单位',
      employerKind: 'enterprise' as const,
      regionCode: '150203',
      title: '工程师',
      titleLevel: 'intermediate' as const,
      yearsInField: 9,
      specialtyCodes: ['C0201', 'C0202'],
    }));
    // randomIdNumber may repeat in 1,200 draws only by a tiny chance; make the batch distinct for certain.
    const seen = new Set<string>();
    for (const row of rows) {
      while (seen.has(row.idNumber)) row.idNumber = randomIdNumber(IMPORT_AREA);
      seen.add(row.idNumber);
    }
    const before = await p.db
      .selectFrom('witness_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const { created, experts } = await importExperts(p.db, p.sealer, p.clock, rows);
    expect(created).toBe(1200);
    expect(new Set(experts.map((e) => e.code)).size).toBe(1200);
    expect(experts[0]!.code).toMatch(/^ZJ15\d{6,}$/);
    const after = await p.db
      .selectFrom('witness_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(1);
    const stored = await p.db
      .selectFrom('experts')
      .selectAll()
      .where('id', '=', experts[0]!.expertId)
      .executeTakeFirstOrThrow();
    expect(stored.id_number_sealed).not.toContain(rows[0]!.idNumber);
    expect(stored.phone_masked).toBe('138****0000');
    const specialties = await p.db
      .selectFrom('expert_specialties')
      .select(['expert_id', 'code', 'is_main', 'region_code'])
      .where('expert_id', '=', experts[0]!.expertId)
      .orderBy('code')
      .execute();
    expect(specialties).toEqual([
      { expert_id: experts[0]!.expertId, code: 'C0201', is_main: true, region_code: '150203' },
      { expert_id: experts[0]!.expertId, code: 'C0202', is_main: false, region_code: '150203' },
    ]);
  });

  test('bad rows refuse the whole import: ID number, specialty, region, the same person twice', async () => {
    const good = {
      name: '坏数据',
      gender: 'male' as const,
      idNumber: randomIdNumber(),
      phone: '13900000000',
      employerName: '单位',
      employerKind: 'other' as const,
      regionCode: '150102',
      title: '工程师',
      titleLevel: 'intermediate' as const,
      yearsInField: 5,
      specialtyCodes: ['A080101'],
    };
    const count = async () =>
      Number(
        (
          await p.db
            .selectFrom('experts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const bad = `${good.idNumber.slice(0, 17)}${good.idNumber[17] === '0' ? '1' : '0'}`;
    await expect(
      importExperts(p.db, p.sealer, p.clock, [good, { ...good, idNumber: bad }]),
    ).rejects.toMatchObject({
      code: 'EXPERT_IMPORT_INVALID',
      extensions: { row: 1, field: 'idNumber' },
    });
    await expect(
      importExperts(p.db, p.sealer, p.clock, [{ ...good, specialtyCodes: ['Z01'] }]),
    ).rejects.toMatchObject({ extensions: { field: 'specialtyCodes' } });
    await expect(
      importExperts(p.db, p.sealer, p.clock, [{ ...good, regionCode: '159999' }]),
    ).rejects.toMatchObject({
      extensions: { field: 'regionCode' },
    });
    await expect(importExperts(p.db, p.sealer, p.clock, [good, { ...good }])).rejects.toMatchObject({
      extensions: { row: 1, field: 'idNumber' },
    });
    expect(await count()).toBe(before);
    await importExperts(p.db, p.sealer, p.clock, [good]);
    await expect(importExperts(p.db, p.sealer, p.clock, [good])).rejects.toMatchObject({
      code: 'EXPERT_IMPORT_INVALID',
      detail: expect.stringContaining('已在专家库中'),
    });
  });
});
