import { randomUUID } from 'node:crypto';
import { Forbidden, Unauthenticated } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { toRunView } from './alerts.ts';
import { runCardinalAlerts } from './cardinal.ts';
import { type MonitoringContext, type MonitoringDeps, RERUN_JOB, WITNESS } from './context.ts';
import { iterateSnapshots } from './deps.ts';
import { scanAwardedLot, scanEvaluatedLot, scanOpenedLot } from './scan.ts';
import type { RunInput } from './schemas.ts';
import * as store from './store.ts';

/**
 * 全量重算 ("in full on demand"): a supervisor or the trading centre asks; a job computes every rule over
 * every lot whose records are public (open data's processes), or the Cardinal set over all of them. Alerts
 * already raised stay as they are (same finding, same alert); what is new is raised under the versions in
 * force now.
 */
export async function requestRun(ctx: MonitoringContext, input: RunInput) {
  const actor = ctx.actor;
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  if (!actor.roles.includes('supervisor') && !actor.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', { title: '无权发起全量重算' });
  }
  const now = ctx.clock.now();
  const run = await ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertRun(tx, {
      id: randomUUID(),
      kind: input.kind,
      status: 'queued',
      requested_by: actor.accountId,
      requested_at: now,
      started_at: null,
      finished_at: null,
      processed: 0,
      alerts_raised: 0,
      error: null,
    });
    await enqueueJob(tx, { type: RERUN_JOB, payload: { runId: row.id }, runAt: now, maxAttempts: 1 });
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: WITNESS.run,
      entityId: row.id,
      action: 'monitoring-run.requested',
      payload: { kind: input.kind },
    });
    return row;
  });
  return toRunView(run);
}

export async function listRuns(ctx: MonitoringContext) {
  return (await store.listRuns(ctx.db, 20)).map(toRunView);
}

/** Every stage of every public lot, each lot in its own transaction. */
export async function rerunAllRules(deps: MonitoringDeps): Promise<{ lots: number; raised: number }> {
  let lots = 0;
  let raised = 0;
  const ids: string[] = [];
  for await (const s of iterateSnapshots(deps.db)) ids.push(s.lot.id);
  for (const lotId of ids) {
    lots++;
    raised += await deps.db.transaction().execute(async (tx) => {
      await store.lockCursor(tx);
      const opts = { source: 'rerun' as const };
      const results = [
        await scanOpenedLot(deps, tx, lotId, opts),
        await scanEvaluatedLot(deps, tx, lotId, opts),
        await scanAwardedLot(deps, tx, lotId, opts),
      ];
      return results.reduce((sum, r) => sum + r.raised, 0);
    });
  }
  return { lots, raised };
}

/** The rerun job: marks the run, computes, records the outcome (witnessed). */
export async function executeRun(deps: MonitoringDeps, runId: string): Promise<void> {
  const run = await store.findRun(deps.db, runId);
  if (run?.status !== 'queued') return;
  await store.updateRun(deps.db, runId, { status: 'running', started_at: deps.clock.now() });
  try {
    const outcome =
      run.kind === 'rules'
        ? await rerunAllRules(deps)
        : await runCardinalAlerts(deps).then((r) => ({ lots: r.processes, raised: r.raised }));
    const now = deps.clock.now();
    await deps.db.transaction().execute(async (tx) => {
      await store.updateRun(tx, runId, {
        status: 'done',
        finished_at: now,
        processed: outcome.lots,
        alerts_raised: outcome.raised,
      });
      await appendWitnessEvent(tx, now, SYSTEM_ORIGIN, {
        entityType: WITNESS.run,
        entityId: runId,
        action: 'monitoring-run.finished',
        payload: { kind: run.kind, processed: outcome.lots, alertsRaised: outcome.raised },
      });
    });
  } catch (error) {
    await store.updateRun(deps.db, runId, {
      status: 'failed',
      finished_at: deps.clock.now(),
      error: error instanceof Error ? error.message.slice(0, 1000) : String(error),
    });
    throw error;
  }
}
