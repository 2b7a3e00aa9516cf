import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { isCalendarDate } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { InvalidInput } from '../../platform/errors.ts';
import { findOrganizationByCreditCode } from '../../platform/identity/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN, type WitnessOrigin } from '../../platform/witness/index.ts';
import { checkIdNumber, maskIdNumber, normalizeIdNumber } from '../entities/index.ts';
import { isKnownRegion } from '../regions/index.ts';
import {
  EXPERT_WITNESS_TYPE,
  type ExpertsDb,
  expertCode,
  ID_INDEX_LABEL,
  IMPORT_WITNESS_TYPE,
  idNumberContext,
  maskPhone,
  phoneContext,
  todayOf,
} from './common.ts';
import { isKnownSpecialty } from './specialties.ts';
import * as store from './store.ts';
import type {
  EmployerKind,
  ExpertRelationshipsTable,
  ExpertStatus,
  ExpertsTable,
  ExpertUnavailabilityTable,
  Gender,
  RelationshipKind,
  TitleLevel,
} from './tables.ts';

export interface ExpertRelationshipInput {
  kind: RelationshipKind;
  organizationName: string;
  creditCode?: string | null;
  /** For a former employer: the date the employment ended. */
  endedOn?: string | null;
  note?: string | null;
}

export interface ExpertUnavailabilityInput {
  from: string;
  to: string;
  reason?: string | null;
}

/** One expert for `importExperts` (the demo seed, the benchmark generator, a migration from an old pool). */
export interface ExpertImportRow {
  name: string;
  gender: Gender;
  idNumber: string;
  phone: string;
  employerName: string;
  employerCreditCode?: string | null;
  employerKind: EmployerKind;
  regionCode: string;
  title: string;
  titleLevel: TitleLevel;
  education?: string | null;
  yearsInField: number;
  /** 评标专业 codes; the first is the 主专业. */
  specialtyCodes: string[];
  /** An existing account (role `expert`) that becomes this expert's login. */
  accountId?: string | null;
  status?: ExpertStatus;
  statusReason?: string | null;
  suspendedUntil?: string | null;
  relationships?: ExpertRelationshipInput[];
  unavailability?: ExpertUnavailabilityInput[];
  applicationId?: string | null;
}

export const PHONE_PATTERN = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

function invalidRow(index: number, detail: string, field: string): InvalidInput {
  return new InvalidInput('EXPERT_IMPORT_INVALID', {
    title: '专家数据不正确',
    detail: `第 ${index + 1} 条：${detail}`,
    extensions: { row: index, field },
  });
}

interface Checked {
  row: ExpertImportRow;
  idNumber: string;
  idIndex: string;
}

function checkRow(row: ExpertImportRow, index: number, today: string, sealer: FieldSealer): Checked {
  const idNumber = normalizeIdNumber(row.idNumber);
  const id = checkIdNumber(idNumber, today);
  if (!id.ok) throw invalidRow(index, id.message, 'idNumber');
  if (!PHONE_PATTERN.test(row.phone)) throw invalidRow(index, `联系电话“${row.phone}”格式不正确。`, 'phone');
  if (!isKnownRegion(row.regionCode)) {
    throw invalidRow(index, `行政区划代码 ${row.regionCode} 不存在。`, 'regionCode');
  }
  if (row.specialtyCodes.length === 0) throw invalidRow(index, '至少需要一个评标专业。', 'specialtyCodes');
  for (const code of row.specialtyCodes) {
    if (!isKnownSpecialty(code)) throw invalidRow(index, `评标专业代码 ${code} 不存在。`, 'specialtyCodes');
  }
  if (row.name.trim().length === 0) throw invalidRow(index, '姓名不能为空。', 'name');
  for (const u of row.unavailability ?? []) {
    if (!isCalendarDate(u.from) || !isCalendarDate(u.to) || u.to < u.from) {
      throw invalidRow(index, `不可参加评标日期 ${u.from} 至 ${u.to} 不正确。`, 'unavailability');
    }
  }
  return { row, idNumber, idIndex: sealer.blindIndex(ID_INDEX_LABEL, idNumber) };
}

/**
 * Bulk insert for the demo seed and the 100,000-expert benchmark generator: all rows or none, in one
 * transaction, with multi-row INSERTs of 1,000. Every row is checked as an application would be (ID number,
 * phone, region, specialties; the same person twice — in the batch or already in the pool — is refused).
 * An import is witnessed by ONE event (`expert.imported`: how many, the first and last 专家编号 and the SM3
 * of all codes in order), not one per expert: it records who loaded the pool and what, without making a
 * 100,000-row load 100,000 log entries. Admission through the regulator (`admitApplication`) is witnessed
 * per expert.
 */
export async function importExperts(
  db: Kysely<ExpertsDb>,
  sealer: FieldSealer,
  clock: Clock,
  rows: ExpertImportRow[],
  opts: { origin?: WitnessOrigin; reason?: string } = {},
): Promise<{ created: number; experts: { expertId: string; code: string }[] }> {
  if (rows.length === 0) return { created: 0, experts: [] };
  const at = clock.now();
  const today = todayOf(at);
  const checked = rows.map((row, i) => checkRow(row, i, today, sealer));

  const seen = new Map<string, number>();
  checked.forEach((c, i) => {
    const first = seen.get(c.idIndex);
    if (first !== undefined)
      throw invalidRow(i, `与第 ${first + 1} 条是同一人（身份证号相同）。`, 'idNumber');
    seen.set(c.idIndex, i);
  });

  // Employer and related organisations registered on the platform are linked by credit code.
  const codes = new Set<string>();
  for (const { row } of checked) {
    if (row.employerCreditCode) codes.add(row.employerCreditCode.toUpperCase());
    for (const r of row.relationships ?? []) if (r.creditCode) codes.add(r.creditCode.toUpperCase());
  }
  const organizationOf = new Map<string, string>();
  for (const code of codes) {
    const org = await findOrganizationByCreditCode(db, code);
    if (org) organizationOf.set(code, org.id);
  }

  return db.transaction().execute(async (tx) => {
    const existing = await store.findExpertsByIdIndex(
      tx,
      checked.map((c) => c.idIndex),
    );
    if (existing.length > 0) {
      const index = checked.findIndex((c) => c.idIndex === existing[0]!.id_number_index);
      throw invalidRow(index, `该人员已在专家库中（专家编号 ${existing[0]!.code}）。`, 'idNumber');
    }
    const accountIds = checked.map((c) => c.row.accountId).filter((a): a is string => Boolean(a));
    const linked = await store.findExpertsByAccounts(tx, accountIds);
    if (linked.length > 0) {
      const index = checked.findIndex((c) => c.row.accountId === linked[0]!.account_id);
      throw invalidRow(index, '该账号已关联其他专家。', 'accountId');
    }

    const numbers = await store.nextExpertNumbers(tx, checked.length);
    const experts: Insertable<ExpertsTable>[] = [];
    const specialties: store.SpecialtyInsert[] = [];
    const relationships: Insertable<ExpertRelationshipsTable>[] = [];
    const unavailability: Insertable<ExpertUnavailabilityTable>[] = [];
    checked.forEach(({ row, idNumber, idIndex }, i) => {
      const id = randomUUID();
      const creditCode = row.employerCreditCode ? row.employerCreditCode.toUpperCase() : null;
      experts.push({
        id,
        code: expertCode(row.regionCode, numbers[i]!),
        account_id: row.accountId ?? null,
        application_id: row.applicationId ?? null,
        name: row.name.trim(),
        gender: row.gender,
        id_number_sealed: sealer.seal(idNumber, idNumberContext(id)),
        id_number_index: idIndex,
        id_number_masked: maskIdNumber(idNumber),
        phone_sealed: sealer.seal(row.phone, phoneContext(id)),
        phone_masked: maskPhone(row.phone),
        employer_name: row.employerName.trim(),
        employer_credit_code: creditCode,
        employer_organization_id: creditCode ? (organizationOf.get(creditCode) ?? null) : null,
        employer_kind: row.employerKind,
        region_code: row.regionCode,
        title: row.title,
        title_level: row.titleLevel,
        education: row.education ?? null,
        years_in_field: row.yearsInField,
        status: row.status ?? 'active',
        status_reason: row.statusReason ?? null,
        suspended_until: row.suspendedUntil ?? null,
        admitted_at: at,
        version: 1,
        created_at: at,
        updated_at: at,
      });
      [...new Set(row.specialtyCodes)].forEach((code, k) => {
        specialties.push({ expert_id: id, code, is_main: k === 0 });
      });
      for (const [position, r] of (row.relationships ?? []).entries()) {
        const code = r.creditCode ? r.creditCode.toUpperCase() : null;
        relationships.push({
          id: randomUUID(),
          expert_id: id,
          position,
          kind: r.kind,
          organization_name: r.organizationName,
          credit_code: code,
          organization_id: code ? (organizationOf.get(code) ?? null) : null,
          ended_on: r.endedOn ?? null,
          note: r.note ?? null,
          created_at: at,
        });
      }
      for (const u of row.unavailability ?? []) {
        unavailability.push({
          id: randomUUID(),
          expert_id: id,
          from_date: u.from,
          to_date: u.to,
          reason: u.reason ?? null,
          created_at: at,
        });
      }
    });
    await store.insertExperts(tx, experts);
    await store.insertSpecialties(tx, specialties);
    await store.insertRelationships(tx, relationships);
    await store.insertUnavailability(tx, unavailability);

    const allCodes = experts.map((e) => e.code);
    const importId = randomUUID();
    await appendWitnessEvent(tx, at, opts.origin ?? SYSTEM_ORIGIN, {
      entityType: IMPORT_WITNESS_TYPE,
      entityId: importId,
      action: 'expert.imported',
      payload: {
        count: experts.length,
        firstCode: allCodes[0],
        lastCode: allCodes[allCodes.length - 1],
        codesSm3: sm3Hex(allCodes.join('\n')),
        reason: opts.reason ?? null,
      },
    });
    // A single imported expert (the test factory, a linked demo account) is also findable under its own id.
    if (experts.length === 1) {
      await appendWitnessEvent(tx, at, opts.origin ?? SYSTEM_ORIGIN, {
        entityType: EXPERT_WITNESS_TYPE,
        entityId: experts[0]!.id,
        action: 'expert.imported',
        payload: { importId, code: experts[0]!.code },
      });
    }
    return {
      created: experts.length,
      experts: experts.map((e) => ({ expertId: e.id, code: e.code })),
    };
  });
}
