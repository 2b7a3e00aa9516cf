import type { z } from 'zod';
import { type CalendarDate, compareDates, shanghaiDateOf } from '../../platform/clock/index.ts';
import { maskIdNumber } from '../../service/entities/index.ts';
import {
  EXTERNAL_LISTS,
  PERFORMANCE_RATING_NAMES_ZH,
  RECORD_KIND_NAMES_ZH,
  RESTRICTION_KIND_NAMES_ZH,
  SCORE_FACTOR_KINDS,
  SEVERITY_NAMES_ZH,
} from './rules.ts';
import type {
  CheckView,
  ImportView,
  PublicRecordView,
  RecordView,
  RepairView,
  RestrictionView,
  ScoreRuleView,
} from './schemas.ts';
import type * as store from './store.ts';

export type RecordViewT = z.infer<typeof RecordView>;
export type PublicRecordViewT = z.infer<typeof PublicRecordView>;
export type RepairViewT = z.infer<typeof RepairView>;
export type ImportViewT = z.infer<typeof ImportView>;
export type CheckViewT = z.infer<typeof CheckView>;
export type ScoreRuleViewT = z.infer<typeof ScoreRuleView>;

export const REPAIR_STATUS_NAMES_ZH = {
  pending: '待决定',
  approved: '准予修复',
  rejected: '不予修复',
} as const;
export const STAGE_NAMES_ZH = { registration: '报名', bid: '投标', award: '定标（成交）' } as const;

export const RECORD_STATUS_NAMES_ZH = {
  revoked: '已撤销',
  repaired: '已信用修复',
  listed: '公示中',
  archived: '公示期满（后台可查）',
  scheduled: '待公示',
  unpublished: '不予公示',
  recorded: '已记录',
} as const;
export type RecordStatus = keyof typeof RECORD_STATUS_NAMES_ZH;

const reached = (day: CalendarDate | null, today: CalendarDate) =>
  day !== null && compareDates(day, today) <= 0;

export function isOnList(row: store.RecordRow, now: Date): boolean {
  const today = shanghaiDateOf(now);
  return (
    row.published_at !== null &&
    row.published_at.getTime() <= now.getTime() &&
    row.publication_ends_on !== null &&
    compareDates(row.publication_ends_on, today) >= 0 &&
    !reached(row.repaired_on, today) &&
    !reached(row.revoked_on, today)
  );
}

export function recordStatus(row: store.RecordRow, now: Date): RecordStatus {
  const today = shanghaiDateOf(now);
  if (reached(row.revoked_on, today)) return 'revoked';
  if (reached(row.repaired_on, today)) return 'repaired';
  if (row.kind === 'performance') return 'recorded';
  if (!row.publish) return 'unpublished';
  if (!row.published_at || row.published_at.getTime() > now.getTime()) return 'scheduled';
  return isOnList(row, now) ? 'listed' : 'archived';
}

export function scopeText(catalogPrefixes: string[], regionPrefixes: string[]): string {
  const catalogs = catalogPrefixes.length === 0 ? '全部交易类别' : `交易目录 ${catalogPrefixes.join('、')}`;
  const regions = regionPrefixes.length === 0 ? '全部地域' : `行政区划 ${regionPrefixes.join('、')}`;
  return `${catalogs}；${regions}`;
}

export function restrictionInForce(row: store.RestrictionRow, today: CalendarDate): boolean {
  return (
    compareDates(row.from_date, today) <= 0 &&
    compareDates(row.to_date, today) >= 0 &&
    !(row.lifted_on !== null && compareDates(row.lifted_on, today) <= 0)
  );
}

export function toRestrictionView(
  row: store.RestrictionRow,
  today: CalendarDate,
): z.infer<typeof RestrictionView> {
  return {
    id: row.id,
    kind: row.kind,
    kindName: RESTRICTION_KIND_NAMES_ZH[row.kind],
    catalogPrefixes: row.catalog_prefixes,
    regionPrefixes: row.region_prefixes,
    scopeText: scopeText(row.catalog_prefixes, row.region_prefixes),
    fromDate: row.from_date,
    toDate: row.to_date,
    basisCode: row.basis_code,
    legalBasis: row.legal_basis,
    liftedOn: row.lifted_on,
    liftedReason: row.lifted_reason,
    inForce: restrictionInForce(row, today),
  };
}

export function toRepairView(
  row: store.RepairRow & { record_code?: string; subject_name?: string },
): RepairViewT {
  return {
    id: row.id,
    recordId: row.record_id,
    recordCode: row.record_code ?? null,
    subjectName: row.subject_name ?? null,
    status: row.status,
    statusName: REPAIR_STATUS_NAMES_ZH[row.status],
    channel: row.channel,
    applicantName: row.applicant_name,
    statement: row.statement,
    commitment: row.commitment,
    evidence: row.evidence,
    submittedAt: row.submitted_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    decidedByName: row.decided_by_name,
    decisionReason: row.decision_reason,
    effectiveOn: row.effective_on,
  };
}

export function toRecordView(
  row: store.RecordRow,
  restrictions: store.RestrictionRow[],
  repairs: store.RepairRow[],
  now: Date,
): RecordViewT {
  const today = shanghaiDateOf(now);
  const status = recordStatus(row, now);
  const publishedOn = row.published_at ? shanghaiDateOf(row.published_at) : null;
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    kindName: RECORD_KIND_NAMES_ZH[row.kind],
    subject: {
      kind: row.subject_kind,
      name: row.subject_name,
      creditCode: row.subject_credit_code,
      idNumber: row.subject_id_number,
      organizationId: row.subject_organization_id,
    },
    regionCode: row.region_code,
    catalogItemCode: row.catalog_item_code,
    lotId: row.lot_id,
    severity: row.severity,
    severityName: row.severity ? SEVERITY_NAMES_ZH[row.severity] : null,
    facts: row.facts,
    legalBasis: row.legal_basis,
    penalty: row.penalty,
    decidingAuthority: row.deciding_authority,
    decisionNumber: row.decision_number,
    decisionDate: row.decision_date,
    performanceRating: row.performance_rating,
    performanceRatingName: row.performance_rating
      ? PERFORMANCE_RATING_NAMES_ZH[row.performance_rating]
      : null,
    publication: {
      publish: row.publish,
      publishedAt: row.published_at?.toISOString() ?? null,
      dueOn: row.publication_due_on,
      // 1531号 第六条: on the list within 20 working days of the decision.
      late:
        row.publish &&
        row.publication_due_on !== null &&
        compareDates(publishedOn ?? today, row.publication_due_on) > 0,
      endsOn: row.publication_ends_on,
      repairEarliestOn: row.repair_earliest_on,
      rule: row.publication_rule,
      onList: status === 'listed',
    },
    status,
    statusName: RECORD_STATUS_NAMES_ZH[status],
    repairedOn: row.repaired_on,
    revokedOn: row.revoked_on,
    revokeReason: row.revoke_reason,
    restrictions: restrictions.filter((r) => r.record_id === row.id).map((r) => toRestrictionView(r, today)),
    repairs: repairs.filter((r) => r.record_id === row.id).map((r) => toRepairView(r)),
    createdByName: row.created_by_name,
    createdAt: row.created_at.toISOString(),
  };
}

export function publicSubjectCode(row: store.RecordRow): string | null {
  if (row.subject_credit_code) return row.subject_credit_code;
  return row.subject_id_number ? maskIdNumber(row.subject_id_number) : null;
}

export function toPublicRecordView(
  row: store.RecordRow,
  restrictions: store.RestrictionRow[],
  now: Date,
): PublicRecordViewT {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    kindName: RECORD_KIND_NAMES_ZH[row.kind],
    subjectName: row.subject_name,
    subjectCode: publicSubjectCode(row),
    severityName: row.severity ? SEVERITY_NAMES_ZH[row.severity] : null,
    facts: row.facts,
    legalBasis: row.legal_basis,
    penalty: row.penalty,
    decidingAuthority: row.deciding_authority,
    decisionNumber: row.decision_number,
    decisionDate: row.decision_date,
    publishedAt: row.published_at?.toISOString() ?? null,
    publicationEndsOn: row.publication_ends_on,
    onList: isOnList(row, now),
    restrictions: restrictions
      .filter((r) => r.record_id === row.id)
      .map((r) => ({
        kindName: RESTRICTION_KIND_NAMES_ZH[r.kind],
        scopeText: scopeText(r.catalog_prefixes, r.region_prefixes),
        fromDate: r.from_date,
        // A restriction lifted early (repair) shows its real end.
        toDate: r.lifted_on && r.lifted_on <= r.to_date ? r.lifted_on : r.to_date,
        legalBasis: r.legal_basis,
      })),
  };
}

export const listNameOf = (kind: string) => EXTERNAL_LISTS.find((l) => l.kind === kind)?.name ?? kind;

export function toImportView(
  row: store.ImportRow,
  supersededBy: store.ImportRow | null | undefined = undefined,
): ImportViewT {
  return {
    id: row.id,
    source: row.source,
    listKind: row.list_kind,
    listName: listNameOf(row.list_kind),
    asOf: row.as_of,
    format: row.format,
    contentSm3: row.content_sm3,
    totalRows: row.total_rows,
    acceptedRows: row.accepted_rows,
    rejectedRows: row.rejected_rows,
    rejected: row.rejected,
    note: row.note,
    importedByName: row.imported_by_name,
    importedAt: row.imported_at.toISOString(),
    ...(supersededBy === undefined
      ? {}
      : { supersededBy: supersededBy ? { id: supersededBy.id, asOf: supersededBy.as_of } : null }),
    dryRun: false,
  };
}

export function toCheckView(row: store.CheckRow): CheckViewT {
  return {
    id: row.id,
    checkedAt: row.checked_at.toISOString(),
    lotId: row.lot_id,
    stage: row.stage,
    stageName: STAGE_NAMES_ZH[row.stage],
    catalogItemCode: row.catalog_item_code,
    regionCode: row.region_code,
    mandatoryTender: row.mandatory_tender,
    law: row.law,
    parties: row.parties,
    sources: row.sources,
    hits: row.hits,
    barred: row.barred,
    reasons: row.reasons,
    requestedBy: row.requested_by,
  };
}

export function toScoreRuleView(row: store.ScoreRuleRow): ScoreRuleViewT {
  return {
    version: row.version,
    effectiveFrom: row.effective_from,
    baseScore: row.base_score,
    minScore: row.min_score,
    maxScore: row.max_score,
    factors: row.factors.map((f) => ({ ...f, name: SCORE_FACTOR_KINDS[f.kind] ?? f.kind })),
    note: row.note,
    createdByName: row.created_by_name,
    createdAt: row.created_at.toISOString(),
  };
}
