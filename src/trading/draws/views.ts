import { Forbidden } from '../../platform/errors.ts';
import { ASSIGNMENT_STATUS_NAMES_ZH } from './assignments.ts';
import type { DrawsContext } from './context.ts';
import { assertMayActForLot, findLot, getExpertsForDraw } from './deps.ts';
import { AVOID_REASON_NAMES_ZH, openRound } from './draws.ts';
import { assertRequesterOf, drawNotFound, isSupervisor, requireSignedIn } from './policy.ts';
import { ruleTable } from './rules.ts';
import * as store from './store.ts';
import type {
  DrawGroup,
  DrawShortfall,
  DrawStatus,
  DrawVenue,
  FunnelStep,
  SealedAssignee,
} from './tables.ts';

export const DRAW_STATUS_NAMES_ZH: Record<DrawStatus, string> = {
  requested: '待抽取',
  drawn: '已抽取（通知确认中）',
  short: '人数不足',
  cancelled: '已取消',
};

const ROUND_REASON_NAMES_ZH = {
  declined: '专家拒绝参加',
  'no-answer': '专家未按时答复',
  conflict: '专家申报回避',
};
const BIDDERS_LINE = '本标段投标人（系统自动回避，名单密封）';

function summaryOf(draw: store.DrawRow, lot: Awaited<ReturnType<typeof findLot>>) {
  return {
    id: draw.id,
    lotId: draw.lot_id,
    lotCode: lot?.code ?? '',
    lotName: lot?.name ?? '',
    projectName: lot?.projectName ?? '',
    status: draw.status,
    statusNameZh: DRAW_STATUS_NAMES_ZH[draw.status],
    evaluationStartsAt: draw.evaluation_starts_at.toISOString(),
    evaluationEndsAt: draw.evaluation_ends_at.toISOString(),
    revealed: draw.revealed_at !== null,
    createdAt: draw.created_at.toISOString(),
  };
}

/** What the requester, the supervisor and (after the reveal) everyone with access see of a draw. */
async function buildView(ctx: DrawsContext, draw: store.DrawRow, full: boolean) {
  const lot = await findLot(ctx.db, draw.lot_id);
  const groups = draw.groups as DrawGroup[];
  const venues = draw.venues as DrawVenue[];
  const [exclusions, rounds, assignments] = await Promise.all([
    store.listExclusions(ctx.db, draw.id),
    store.listRounds(ctx.db, draw.id),
    store.listAssignmentsOfDraw(ctx.db, draw.id),
  ]);
  const names = full || draw.revealed_at !== null;
  const opened = names
    ? assignments.map((a) => ({
        a,
        who: JSON.parse(ctx.deps.sealer.open(a.expert_sealed, `expert-assignment:${a.id}`)) as SealedAssignee,
      }))
    : [];
  const details = full
    ? await getExpertsForDraw(
        ctx.db,
        ctx.deps.sealer,
        opened.map((o) => o.who.expertId),
      )
    : null;
  const count = (g: number, status: string) =>
    assignments.filter((a) => a.group_index === g && a.status === status).length;
  return {
    ...summaryOf(draw, lot),
    durationMinutes: draw.duration_minutes,
    confirmWindowMinutes: draw.confirm_window_minutes,
    venues,
    groups: groups.map((g, i) => ({
      ...g,
      venueName: venues[g.venueIndex]?.name ?? '',
      confirmed: count(i, 'confirmed'),
      pending: count(i, 'notified'),
      declined: count(i, 'declined'),
      noAnswer: count(i, 'no-answer'),
      conflict: count(i, 'conflict'),
    })),
    exclusions: [
      ...exclusions.map((e) => ({
        source: e.source,
        reasonCode: e.reason_code,
        reasonNameZh: AVOID_REASON_NAMES_ZH[e.reason_code],
        reasonText: e.reason_text,
        name: e.name,
        creditCode: e.credit_code,
      })),
      {
        source: 'automatic-sealed',
        reasonCode: '1',
        reasonNameZh: AVOID_REASON_NAMES_ZH['1'],
        reasonText: BIDDERS_LINE,
        name: BIDDERS_LINE,
        creditCode: null,
      },
    ],
    rules: ruleTable(draw.frequency_max, draw.same_initiator_days),
    shortfall: (draw.shortfall as DrawShortfall | null) ?? null,
    cancelReason: draw.cancel_reason,
    rounds: rounds.map((r) => ({
      round: r.round,
      kind: r.kind,
      kindNameZh: r.kind === 'initial' ? '首次抽取' : '补抽',
      reason: r.reason,
      reasonNameZh: r.reason ? ROUND_REASON_NAMES_ZH[r.reason] : null,
      replacesAssignmentId: r.replaces_assignment_id,
      status: r.status,
      seedCommitment: r.seed_commitment,
      listHash: r.list_hash,
      listSize: r.list_size,
      checkpointTreeSize: r.checkpoint_tree_size === null ? null : Number(r.checkpoint_tree_size),
      checkpointRootHash: r.checkpoint_root_hash,
      committedAt: r.committed_at.toISOString(),
      drawnAt: r.drawn_at?.toISOString() ?? null,
      ...(full
        ? {
            funnel: r.funnel as { g: number; steps: FunnelStep[] }[],
            bidders: openRound(ctx.deps, r).bidders,
          }
        : {}),
    })),
    assignments: names
      ? opened.map(({ a, who }) => ({
          id: a.id,
          round: a.round,
          groupIndex: a.group_index,
          code: who.code,
          name: who.name,
          status: a.status,
          statusNameZh: ASSIGNMENT_STATUS_NAMES_ZH[a.status],
          respondBy: a.respond_by.toISOString(),
          respondedAt: a.responded_at?.toISOString() ?? null,
          replacedByRound: a.replaced_by_round,
          ...(full && details
            ? {
                reason: a.reason_sealed
                  ? ctx.deps.sealer.open(a.reason_sealed, `expert-assignment-reason:${a.id}`)
                  : null,
                employerName: details.get(who.expertId)?.employerName ?? null,
                phoneMasked: details.get(who.expertId)?.phoneMasked ?? null,
                title: details.get(who.expertId)?.title ?? null,
              }
            : {}),
        }))
      : null,
    ...(full
      ? {
          notifications: (await store.listNotificationsOfDraw(ctx.db, draw.id)).map((n) => ({
            id: n.id,
            assignmentId: n.assignment_id,
            channel: n.channel,
            status: n.status,
            attempts: n.attempts,
            lastError: n.last_error,
            sentAt: n.sent_at?.toISOString() ?? null,
            message: n.message,
          })),
        }
      : {}),
  };
}

/** The requester's view: counts per group, no names before the reveal. */
export async function getDrawForRequester(ctx: DrawsContext, drawId: string) {
  const draw = await assertRequesterOf(ctx, drawId);
  return buildView(ctx, draw, false);
}

/** The supervisor's view: the whole record — names, exclusions with the bidders, funnels, notices. */
export async function getDrawForSupervisor(ctx: DrawsContext, drawId: string) {
  if (!isSupervisor(ctx.actor)) {
    throw new Forbidden('SUPERVISOR_REQUIRED', { title: '仅限行政监督部门' });
  }
  const draw = await store.findDraw(ctx.db, drawId);
  if (!draw) throw drawNotFound();
  return buildView(ctx, draw, true);
}

export async function listDrawsOfLot(ctx: DrawsContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  return (await store.listDrawsOfLot(ctx.db, lotId)).map((d) => summaryOf(d, lot));
}

/** The requester's draws (its organisation as initiator or agency). */
export async function listMyDraws(ctx: DrawsContext) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return [];
  const rows = await store.listDrawsOfOrganization(ctx.db, actor.organizationId);
  const out = [];
  for (const d of rows) out.push(summaryOf(d, await findLot(ctx.db, d.lot_id)));
  return out;
}

export async function listDrawsForSupervisor(ctx: DrawsContext) {
  if (!isSupervisor(ctx.actor)) throw new Forbidden('SUPERVISOR_REQUIRED', { title: '仅限行政监督部门' });
  const rows = await store.listAllDraws(ctx.db, 200);
  const out = [];
  for (const d of rows) out.push(summaryOf(d, await findLot(ctx.db, d.lot_id)));
  return out;
}
