import type { Kysely } from 'kysely';
import { z } from 'zod';
import { formatShanghaiTime, type JumpingClock } from '../clock/index.ts';
import { RuleViolation } from '../errors.ts';
import { type HttpServer, originOf } from '../http/index.ts';
import { appendWitnessEvent, type WitnessTables } from '../witness/index.ts';
import type { PassReport } from './runner.ts';

/**
 * 沙箱时钟 (GGZY_SANDBOX=on only — training and acceptance environments, never production): the trading
 * centre moves platform time ahead to the next deadline, and every job that fell due runs at once, so a
 * whole procedure with its legal periods can be played through in minutes. Time never goes back; each
 * move is witnessed.
 */
export interface SandboxClockDeps {
  db: Kysely<WitnessTables>;
  clock: JumpingClock;
  runDueJobs(): Promise<PassReport>;
}

const ClockView = z.object({ sandbox: z.literal(true), now: z.string(), nowText: z.string() });
const MoveBody = z.strictObject({
  to: z.iso.datetime({ offset: true }).describe('推进到的时间（ISO 8601）'),
});
const MoveView = ClockView.extend({ jobsRun: z.number() });

function view(clock: JumpingClock) {
  const now = clock.now();
  return { sandbox: true as const, now: now.toISOString(), nowText: formatShanghaiTime(now) };
}

export function registerSandboxClockRoutes(app: HttpServer, deps: SandboxClockDeps): void {
  app.get(
    '/api/sandbox/clock',
    {
      schema: {
        tags: ['运维'],
        summary: '沙箱时钟：当前平台时间（仅沙箱环境）',
        response: { 200: ClockView },
      },
      config: { policy: 'authenticated' },
    },
    async () => view(deps.clock),
  );

  app.post(
    '/api/admin/sandbox/clock',
    {
      schema: {
        tags: ['运维'],
        summary: '沙箱时钟：将平台时间推进到指定时间，并执行到期的后台任务（仅沙箱环境）',
        body: MoveBody,
        response: { 200: MoveView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => {
      const from = deps.clock.now();
      const to = new Date(req.body.to);
      if (to.getTime() <= from.getTime()) {
        throw new RuleViolation('SANDBOX_CLOCK_BACKWARDS', {
          title: '沙箱时钟只能向后推进',
          detail: `当前平台时间为 ${formatShanghaiTime(from)}，不能回到 ${formatShanghaiTime(to)}。`,
        });
      }
      await deps.db.transaction().execute((tx) =>
        appendWitnessEvent(tx, from, originOf(req), {
          entityType: 'platform',
          entityId: 'sandbox-clock',
          action: 'sandbox.clock-moved',
          payload: { from: from.toISOString(), to: to.toISOString() },
        }),
      );
      deps.clock.jumpTo(to);
      let jobsRun = 0;
      // A job may schedule another that is already due (a window that ends at once): run until quiet.
      for (let pass = 0; pass < 20; pass++) {
        const report = await deps.runDueJobs();
        const ran = report.succeeded + report.retried + report.failed;
        jobsRun += ran;
        if (ran === 0) break;
      }
      return { ...view(deps.clock), jobsRun };
    },
  );
}
