import { NotFound } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { OversightDeps } from './context.ts';
import { assertInScope } from './deps.ts';
import { catchUpIndex } from './indexer.ts';
import * as store from './store.ts';
import { toEventView } from './views.ts';

/** Events shown on one project's timeline at most (a project's whole life is far fewer). */
export const TIMELINE_LIMIT = 5000;

/**
 * 项目时间线: everything the witness log holds about a project and its lots, oldest first, each event
 * with its Chinese name, lot, role and the rule it cites — for a supervisor whose scope covers the project.
 */
export async function projectTimeline(deps: OversightDeps, actor: Actor | null, projectId: string) {
  await catchUpIndex(deps.db, deps.clock);
  const project = await store.findProject(deps.db, projectId);
  if (!project) {
    throw new NotFound('PROJECT_NOT_IN_WITNESS_INDEX', {
      title: '项目不存在或尚无见证记录',
      detail: '见证日志中没有该项目的事件（新登记的项目需要数秒后才进入见证日志）。',
    });
  }
  await assertInScope(deps.db, actor, {
    regionCode: project.region_code,
    catalogItemCode: project.catalog_item_code,
    label: `项目“${project.project_name}”`,
  });
  const [lots, events] = await Promise.all([
    store.listLotsOfProject(deps.db, projectId),
    store.listProjectEvents(deps.db, projectId, TIMELINE_LIMIT),
  ]);
  return {
    project: {
      id: project.project_id,
      code: project.project_code,
      name: project.project_name,
      regionCode: project.region_code,
      catalogItemCode: project.catalog_item_code,
      regulator: project.regulator,
    },
    lots: lots.map((l) => ({
      id: l.lot_id,
      code: l.lot_code,
      name: l.lot_name,
      procedureType: l.procedure_type,
      lastEventAt: l.last_event_at.toISOString(),
    })),
    events: events.map(toEventView),
    truncated: events.length === TIMELINE_LIMIT,
  };
}
