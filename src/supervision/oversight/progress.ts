import { Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { actionNameZh } from './actions.ts';
import type { OversightDeps } from './context.ts';
import {
  AWARD_STATUS_NAMES_ZH,
  EVALUATION_STATUS_NAMES_ZH,
  getAward,
  getEvaluationOutcome,
  getLotTimeline,
  getProcedure,
  HALL_STATE_NAMES_ZH,
  type ProcedureType,
  readOpeningOutcome,
  requireSupervisorScope,
  suspensionInForce,
} from './deps.ts';
import { catchUpIndex } from './indexer.ts';
import * as store from './store.ts';

/** The evaluation's milestones in the log and the status each one starts (evaluation/tables.ts). */
const EVALUATION_MILESTONES: Record<string, keyof typeof EVALUATION_STATUS_NAMES_ZH> = {
  'evaluation.plan-set': 'planned',
  'evaluation.committee-formed': 'committee',
  'evaluation.aggregated': 'aggregated',
  'evaluation.report-generated': 'reporting',
  'evaluation.reported': 'reported',
};
const PAUSE_ACTIONS = ['opening.paused', 'opening.resumed'] as const;
const FINISHED_AWARD = new Set(['contracted', 'failed', 'terminated']);

/**
 * 开标大厅与评标进度: the lots of the supervisor's scope, most recently active first, each with its stage
 * read from the modules that own it — the tender timeline (getLotTimeline), the hall (readOpeningOutcome),
 * the evaluation (its report through getEvaluationOutcome; the steps before it from the evaluation's own
 * witnessed milestones), the award (getAward) and a regulator's suspension (suspensionInForce).
 */
export async function listLotProgress(
  deps: OversightDeps,
  actor: Actor | null,
  query: { limit: number; activeOnly: boolean },
) {
  const scope = await requireSupervisorScope(deps.db, actor);
  await catchUpIndex(deps.db, deps.clock);
  const now = deps.clock.now();
  // Finished lots are filtered after reading; read more so that a page of active ones is still full.
  const lots = await store.listScopedLots(deps.db, scope, query.activeOnly ? query.limit * 4 : query.limit);
  const ids = lots.map((l) => l.lot_id);
  const [evaluationSteps, pauses, lastEvents, stepsDone, sheets] = await Promise.all([
    store.latestActionOfLots(deps.db, ids, Object.keys(EVALUATION_MILESTONES)),
    store.latestActionOfLots(deps.db, ids, PAUSE_ACTIONS),
    store.latestActionOfLots(deps.db, ids, null),
    store.countActionsOfLots(deps.db, ids, 'evaluation.step-completed'),
    store.countActionsOfLots(deps.db, ids, 'evaluation.sheet-submitted'),
  ]);

  const items = [];
  for (const lot of lots) {
    const [timeline, hall, outcome, award, suspension] = await Promise.all([
      getLotTimeline(deps.db, lot.lot_id),
      readOpeningOutcome(deps.db, lot.lot_id),
      getEvaluationOutcome(deps.db, lot.lot_id),
      getAward(deps.db, lot.lot_id),
      suspensionInForce(deps.db, lot.lot_id, now),
    ]);
    const finished = (award && FINISHED_AWARD.has(award.status)) || timeline?.status === 'terminated';
    if (query.activeOnly && finished) continue;

    const milestone = evaluationSteps.get(lot.lot_id);
    const evaluationStatus = outcome
      ? 'reported'
      : milestone
        ? EVALUATION_MILESTONES[milestone.action]!
        : null;
    const evaluation = evaluationStatus
      ? {
          status: evaluationStatus,
          statusNameZh: EVALUATION_STATUS_NAMES_ZH[evaluationStatus],
          failed: outcome?.status === 'failed',
          failedReason: outcome?.failedReason ?? null,
          candidates: outcome?.candidates.length ?? null,
          stepsCompleted: stepsDone.get(lot.lot_id) ?? 0,
          sheetsSubmitted: sheets.get(lot.lot_id) ?? 0,
        }
      : null;
    const opening = hall
      ? {
          state: hall.state,
          stateNameZh: HALL_STATE_NAMES_ZH[hall.state],
          paused: pauses.get(lot.lot_id)?.action === 'opening.paused',
          recordPublishedAt: hall.publishedAt?.toISOString() ?? null,
          bidsInRecord: hall.state === 'published' || hall.state === 'closed' ? hall.entries.length : null,
        }
      : null;
    const stageNameZh = award
      ? AWARD_STATUS_NAMES_ZH[award.status]
      : evaluation
        ? `评标：${evaluation.statusNameZh}`
        : opening
          ? `开标：${opening.stateNameZh}`
          : timeline
            ? timeline.statusNameZh
            : '已登记，尚未发布公告';
    const last = lastEvents.get(lot.lot_id);
    items.push({
      lotId: lot.lot_id,
      lotCode: lot.lot_code,
      lotName: lot.lot_name,
      projectId: lot.project_id,
      projectCode: lot.project_code,
      projectName: lot.project_name,
      regionCode: lot.region_code,
      catalogItemCode: lot.catalog_item_code,
      procedureType: lot.procedure_type,
      procedureNameZh: procedureName(lot.procedure_type),
      stageNameZh,
      finished: Boolean(finished),
      timeline: timeline
        ? {
            status: timeline.status,
            statusNameZh: timeline.statusNameZh,
            bidDeadline: timeline.bidDeadline.toISOString(),
            openingAt: timeline.openingAt.toISOString(),
            suspended: timeline.suspended,
          }
        : null,
      opening,
      evaluation,
      award: award ? { status: award.status, statusNameZh: AWARD_STATUS_NAMES_ZH[award.status] } : null,
      suspension: suspension
        ? {
            reason: suspension.reason,
            citation: suspension.citation,
            startedAt: suspension.startedAt.toISOString(),
            until: suspension.until?.toISOString() ?? null,
          }
        : null,
      lastEvent: last
        ? {
            action: last.action,
            actionNameZh: actionNameZh(last.action),
            occurredAt: last.occurredAt.toISOString(),
          }
        : null,
    });
    if (items.length >= query.limit) break;
  }
  return { department: scope.department, items };
}

function procedureName(type: string): string {
  return (getProcedure(type as ProcedureType) as { nameZh: string } | undefined)?.nameZh ?? type;
}

/**
 * Lots found by code or name, for the centre's forms (a violation is recorded on a lot) and a supervisor's
 * search; a supervisor finds only lots of its scope. The lots are those the witness index has met.
 */
export async function findLots(deps: OversightDeps, actor: Actor | null, text: string) {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  const scope = actor.roles.includes('operator') ? null : await requireSupervisorScope(deps.db, actor);
  await catchUpIndex(deps.db, deps.clock);
  const rows = await store.searchLots(deps.db, text, scope, 20);
  return {
    items: rows.map((l) => ({
      lotId: l.lot_id,
      lotCode: l.lot_code,
      lotName: l.lot_name,
      projectId: l.project_id,
      projectCode: l.project_code,
      projectName: l.project_name,
      procedureNameZh: procedureName(l.procedure_type),
    })),
  };
}
