import type { Kysely } from 'kysely';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import type { DrawsDb } from './context.ts';
import * as store from './store.ts';
import type { DrawGroup, DrawStatus, DrawVenue, SealedAssignee } from './tables.ts';

/** A drawn expert who confirmed, as the evaluation committee (评标委员会) takes them in. */
export interface DrawnMember {
  assignmentId: string;
  expertId: string;
  expertCode: string;
  name: string;
  accountId: string | null;
  groupIndex: number;
  venueRole: 'host' | 'away';
  venueName: string;
  specialtyCode: string;
}

/** The lot's current draw as the evaluation reads it: the members only once revealed (at its start). */
export interface DrawnCommittee {
  drawId: string;
  status: DrawStatus;
  revealed: boolean;
  evaluationStartsAt: Date;
  evaluationEndsAt: Date;
  venues: DrawVenue[];
  /** Confirmed assignments, in group and position order; empty until the reveal. */
  members: DrawnMember[];
  /** Assignments that ended without serving (拒绝/未答复/回避), each replaced by a 补抽. */
  replaced: { assignmentId: string; status: 'declined' | 'no-answer' | 'conflict' }[];
}

/**
 * The experts of the lot's latest draw that is not cancelled. Who they are stays sealed until the reveal
 * (招标投标法第三十七条第五款): before it, `members` is empty whoever asks.
 */
export async function readDrawnCommittee(
  deps: { db: Kysely<DrawsDb>; sealer: FieldSealer },
  lotId: string,
): Promise<DrawnCommittee | null> {
  const draws = await store.listDrawsOfLot(deps.db, lotId);
  const draw = draws.find((d) => d.status !== 'cancelled');
  if (!draw) return null;
  const revealed = draw.revealed_at !== null;
  const assignments = await store.listAssignmentsOfDraw(deps.db, draw.id);
  const venues = draw.venues;
  const groups: DrawGroup[] = draw.groups;
  const members: DrawnMember[] = [];
  if (revealed) {
    for (const a of assignments) {
      if (a.status !== 'confirmed') continue;
      const who = JSON.parse(
        deps.sealer.open(a.expert_sealed, `expert-assignment:${a.id}`),
      ) as SealedAssignee;
      const group = groups[a.group_index];
      const venue = group ? venues[group.venueIndex] : undefined;
      members.push({
        assignmentId: a.id,
        expertId: who.expertId,
        expertCode: who.code,
        name: who.name,
        accountId: who.accountId,
        groupIndex: a.group_index,
        venueRole: venue?.role ?? 'host',
        venueName: venue?.name ?? '',
        specialtyCode: group?.specialtyCode ?? '',
      });
    }
  }
  return {
    drawId: draw.id,
    status: draw.status,
    revealed,
    evaluationStartsAt: draw.evaluation_starts_at,
    evaluationEndsAt: draw.evaluation_ends_at,
    venues,
    members,
    replaced: assignments
      .filter((a) => a.status === 'declined' || a.status === 'no-answer' || a.status === 'conflict')
      .map((a) => ({ assignmentId: a.id, status: a.status as 'declined' | 'no-answer' | 'conflict' })),
  };
}
