import type { Kysely } from 'kysely';
import type { CalendarDate } from '../../platform/clock/index.ts';
import { NotFound, RuleViolation } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { ProcedureType } from '../procedures/index.ts';
import { assertProjectParty, projectNotFound } from './policy.ts';
import { toLotView } from './projects.ts';
import * as store from './store.ts';
import type { LotStatus, ProjectsTables } from './tables.ts';

/** What other modules know of a lot (标段/包) and its project. */
export interface LotSummary {
  id: string;
  code: string;
  name: string;
  projectId: string;
  projectCode: string;
  tenderProjectCode: string;
  projectName: string;
  catalogItemCode: string;
  procedureType: ProcedureType;
  estimateYuan: string;
  regionCode: string;
  initiatorOrganizationId: string;
  /** The agency holding the project's active authorisation, if any. */
  agencyOrganizationId: string | null;
  /** The date whose law applies: the lot's registration date. */
  rulesAsOf: CalendarDate;
  status: LotStatus;
  /** 依法必须招标. */
  mandatoryTender: boolean;
  /** 行政监督部门 in charge of the project (§5), as registered. */
  regulator: string;
}

type ReadDb = Kysely<ProjectsTables>;

export async function findLot(db: ReadDb, lotId: string): Promise<LotSummary | null> {
  const row = await store.findLotWithProject(db, lotId);
  if (!row) return null;
  const auth = await store.findActiveAuthorisation(db, row.project_id);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    projectId: row.project_id,
    projectCode: row.project_code,
    tenderProjectCode: row.tender_project_code,
    projectName: row.project_name,
    catalogItemCode: row.catalog_item_code,
    procedureType: row.procedure_type as ProcedureType,
    estimateYuan: row.estimate,
    regionCode: row.region_code,
    initiatorOrganizationId: row.initiator_organization_id,
    agencyOrganizationId: auth?.agency_organization_id ?? null,
    rulesAsOf: row.rules_as_of,
    status: row.status,
    mandatoryTender: row.mandatory_tender,
    regulator: row.regulator,
  };
}

/**
 * The actor may act for the project: one of the initiator's accounts, or an agency account whose
 * organisation holds the project's active authorisation (within its validity on `at` when given — pass
 * `clock.now()`; without it only revocation is checked). Otherwise Forbidden `AGENCY_NOT_AUTHORISED` (an
 * agency) / `NOT_PROJECT_PARTY`; Unauthenticated without an actor; NotFound if there is no such project.
 */
export async function assertMayActForProject(
  db: ReadDb,
  actor: Actor | null,
  projectId: string,
  at?: Date,
): Promise<{ party: 'initiator' | 'agency' }> {
  const project = await store.findProject(db, projectId);
  if (!project) throw projectNotFound();
  const { party } = await assertProjectParty(db, actor, project, at ?? null);
  return { party };
}

/** As `assertMayActForProject`, for the lot's project; returns the lot. NotFound `LOT_NOT_FOUND`. */
export async function assertMayActForLot(
  db: ReadDb,
  actor: Actor | null,
  lotId: string,
  at?: Date,
): Promise<LotSummary> {
  const lot = await findLot(db, lotId);
  if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  await assertMayActForProject(db, actor, lot.projectId, at);
  return lot;
}

/** Only a lot whose project the trading centre has received (受理) may be announced. */
export function assertLotReceived(lot: Pick<LotSummary, 'status' | 'code' | 'name'>): void {
  if (lot.status !== 'received') {
    throw new RuleViolation('LOT_NOT_RECEIVED', {
      title: '项目尚未受理',
      detail: `标段（包）“${lot.name}”（${lot.code}）所属项目尚未经交易中心受理，暂不能发布公告。`,
      citation: '《内蒙古自治区公共资源交易管理办法》第十五条',
    });
  }
}

export async function listLotsOfProject(db: ReadDb, projectId: string) {
  return (await store.listLots(db, projectId)).map(toLotView);
}
