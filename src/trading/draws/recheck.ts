import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { CITATIONS, type DrawsDeps, WITNESS, witness } from './context.ts';
import { listBidderOrganizationsForDraw, listDrawCandidates } from './deps.ts';
import { enqueueSupplementary } from './draws.ts';
import * as store from './store.ts';
import type { DrawGroup, DrawVenue, SealedAssignee } from './tables.ts';

/** The pool's rules that mean "has an interest in a bidder" (实施条例第四十六条第三款). */
const BIDDER_CONFLICTS = new Set(['employer', 'relationship']);

/**
 * 投标人复核: a round avoids the bidders known when it is drawn, but bids may arrive until the deadline. At
 * the bid deadline (and again at the reveal) the experts still serving are checked against the lot's final
 * bidders; one employed by or related to a bidder is withdrawn — 回避 by the platform, the assignment void
 * (第四十八条第三款) — and replaced by a 补抽. Witnessed without naming the expert or the bidder. Returns how
 * many were withdrawn; safe to run twice.
 */
export async function recheckBidders(deps: DrawsDeps, drawId: string): Promise<number> {
  const now = deps.clock.now();
  const draw = await store.findDraw(deps.db, drawId);
  if (!draw || draw.status === 'cancelled' || now.getTime() >= draw.evaluation_ends_at.getTime()) return 0;
  const serving = (await store.listAssignmentsOfDraw(deps.db, drawId)).filter(
    (a) => a.status === 'notified' || a.status === 'confirmed',
  );
  if (serving.length === 0) return 0;
  const bidders = await listBidderOrganizationsForDraw(deps.db, deps.sealer, draw.lot_id);
  if (bidders.length === 0) return 0;
  const avoid = bidders.map((b) => ({
    creditCode: b.creditCode,
    organizationId: b.organizationId,
    name: b.name,
    reasonCode: '1',
  }));
  const groups = draw.groups as DrawGroup[];
  const venues = draw.venues as DrawVenue[];
  const conflicted: typeof serving = [];
  for (const g of new Set(serving.map((a) => a.group_index))) {
    const group = groups[g]!;
    // Only the bidders are avoided here: the rule a serving expert now falls under is about them.
    const candidates = await listDrawCandidates(deps.db, {
      specialtyCode: group.specialtyCode,
      regionCode: venues[group.venueIndex]!.regionCode,
      period: { from: draw.evaluation_starts_at, to: draw.evaluation_ends_at },
      avoid,
      regulatorName: null,
      asOf: now,
    });
    const blocked = new Map(candidates.map((c) => [c.code, c.blockedBy]));
    for (const a of serving.filter((s) => s.group_index === g)) {
      const who = JSON.parse(
        deps.sealer.open(a.expert_sealed, `expert-assignment:${a.id}`),
      ) as SealedAssignee;
      if (BIDDER_CONFLICTS.has(blocked.get(who.code) ?? '')) conflicted.push(a);
    }
  }
  let withdrawn = 0;
  for (const a of conflicted) {
    await deps.db.transaction().execute(async (tx) => {
      const locked = await store.lockAssignment(tx, a.id);
      if (!locked || (locked.status !== 'notified' && locked.status !== 'confirmed')) return;
      await store.updateAssignment(tx, a.id, {
        status: 'conflict',
        responded_at: now,
        reason_sealed: deps.sealer.seal(
          '平台复核：该专家与本标段投标人存在利害关系（受聘或申报的关系）',
          `expert-assignment-reason:${a.id}`,
        ),
      });
      await witness(tx, now, SYSTEM_ORIGIN, WITNESS.assignment, a.id, 'expert-assignment.conflict-detected', {
        drawId,
        round: a.round,
        groupIndex: a.group_index,
        voidedWork: locked.status === 'confirmed',
        citation: CITATIONS.conflict,
      });
      await enqueueSupplementary(tx, drawId, a.id, now);
      withdrawn++;
    });
  }
  return withdrawn;
}
