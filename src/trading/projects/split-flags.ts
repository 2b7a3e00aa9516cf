import type { Transaction } from 'kysely';
import { type CalendarDate, shanghaiDateOf, shiftDate } from '../../platform/clock/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import type { TradingCatalogItem } from '../../service/catalogs/index.ts';
import type { LotRow, ProjectRow } from './store.ts';
import * as store from './store.ts';
import type { ProjectsTables, SplitFlagEvidenceLot } from './tables.ts';

/**
 * 化整为零 (§49(1)): a project that must be traded on the platform split into pieces below the threshold.
 * When an initiator registers a lot under its catalog item's threshold and, together with the initiator's
 * other under-threshold lots of the same item registered in the last 12 months, the estimates reach the
 * threshold, a flag with the evidence is recorded and witnessed. It never blocks the registration: the
 * regulator decides.
 */
export const SPLIT_CITATION =
  '《内蒙古自治区公共资源交易管理办法》第四十九条第（一）项（将应当进入平台交易的项目化整为零或者以其他方式规避进入平台交易）';

/** The first registration date inside the 12-month window ending today: the same date a year ago, plus one day. */
export function splitWindowFrom(today: CalendarDate): CalendarDate {
  const [y, m, d] = today.split('-');
  const day = m === '02' && d === '29' ? '28' : d;
  return shiftDate(`${Number(y) - 1}-${m}-${day}` as CalendarDate, 1);
}

export async function checkSplitting(
  tx: Transaction<ProjectsTables & WitnessTables>,
  input: { at: Date; origin: WitnessOrigin; project: ProjectRow; lot: LotRow; item: TradingCatalogItem },
): Promise<void> {
  const { item, lot, project } = input;
  if (!item.splitThresholdYuan) return;
  const threshold = yuanToFen(item.splitThresholdYuan);
  const estimate = yuanToFen(lot.estimate);
  if (estimate >= threshold) return;
  const windowFrom = splitWindowFrom(shanghaiDateOf(input.at));
  const others = await store.smallLotsOfInitiator(tx, {
    organizationId: project.initiator_organization_id,
    catalogItemCode: item.code,
    threshold: item.splitThresholdYuan,
    since: windowFrom,
    exceptLotId: lot.id,
  });
  if (others.length === 0) return;
  const total = others.reduce((sum, o) => sum + yuanToFen(o.estimate), estimate);
  if (total < threshold) return;

  const evidence: SplitFlagEvidenceLot[] = [
    ...others.map((o) => ({
      lotId: o.id,
      lotCode: o.code,
      lotName: o.name,
      projectCode: o.project_code,
      projectName: o.project_name,
      estimateYuan: fenToYuan(yuanToFen(o.estimate)),
      rulesAsOf: o.rules_as_of,
    })),
    {
      lotId: lot.id,
      lotCode: lot.code,
      lotName: lot.name,
      projectCode: project.code,
      projectName: project.name,
      estimateYuan: fenToYuan(estimate),
      rulesAsOf: lot.rules_as_of,
    },
  ];
  const citation = item.splitThresholdCitation
    ? `${SPLIT_CITATION}；${item.splitThresholdCitation}`
    : SPLIT_CITATION;
  const flag = await store.insertSplitFlag(tx, {
    lot_id: lot.id,
    project_id: project.id,
    initiator_organization_id: project.initiator_organization_id,
    catalog_item_code: item.code,
    threshold: fenToYuan(threshold),
    total: fenToYuan(total),
    evidence: JSON.stringify(evidence),
    citation,
    window_from: windowFrom,
    created_at: input.at,
  });
  await appendWitnessEvent(tx, input.at, input.origin, {
    entityType: 'lot',
    entityId: lot.id,
    action: 'lot.split-flagged',
    payload: {
      flagId: flag.id,
      catalogItemCode: item.code,
      thresholdYuan: fenToYuan(threshold),
      totalYuan: fenToYuan(total),
      lots: evidence.map((e) => ({ code: e.lotCode, estimateYuan: e.estimateYuan, rulesAsOf: e.rulesAsOf })),
      windowFrom,
      citation,
    },
  });
}

export function toSplitFlagView(row: Awaited<ReturnType<typeof store.listSplitFlags>>['rows'][number]) {
  return {
    id: Number(row.id),
    lotId: row.lot_id,
    lotCode: row.lot_code,
    projectId: row.project_id,
    initiatorOrganizationId: row.initiator_organization_id,
    initiatorName: row.initiator_name,
    catalogItemCode: row.catalog_item_code,
    thresholdYuan: row.threshold,
    totalYuan: row.total,
    citation: row.citation,
    windowFrom: row.window_from,
    lots: row.evidence,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listSplitFlagsOf(db: Db<ProjectsTables>, page: { limit: number; offset: number }) {
  const { total, rows } = await store.listSplitFlags(db, page);
  return { total, items: rows.map(toSplitFlagView) };
}
