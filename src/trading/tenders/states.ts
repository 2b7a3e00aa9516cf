import type { TimelineStatus } from './tables.ts';

/**
 * The lot's timeline status. Time drives it, not people: the deadline jobs move it forward when the clock
 * passes each instant (documentsFrom, documentsUntil, bidDeadline, openingAt). A 终止公告 ends it.
 *
 *   scheduled ─documentsFrom→ documents-open ─documentsUntil→ documents-closed ─bidDeadline→ bids-closed
 *     ─openingAt→ opening          (any state before opening) ─终止公告→ terminated
 */
export const TIMELINE_STATUS_NAMES_ZH: Record<TimelineStatus, string> = {
  scheduled: '公告已发布，招标文件未开始发售',
  'documents-open': '招标文件发售中',
  'documents-closed': '招标文件发售已截止',
  'bids-closed': '投标已截止',
  opening: '开标',
  terminated: '已终止',
};

/** The forward order of the time-driven states. */
export const TIMELINE_ORDER: readonly TimelineStatus[] = [
  'scheduled',
  'documents-open',
  'documents-closed',
  'bids-closed',
  'opening',
];

export interface TimelineInstants {
  documentsFrom: Date;
  documentsUntil: Date;
  bidDeadline: Date;
  openingAt: Date;
}

/** Which state the timeline should be in at `now`. */
export function statusAt(timeline: TimelineInstants, now: Date): TimelineStatus {
  const t = now.getTime();
  if (t >= timeline.openingAt.getTime()) return 'opening';
  if (t >= timeline.bidDeadline.getTime()) return 'bids-closed';
  if (t >= timeline.documentsUntil.getTime()) return 'documents-closed';
  if (t >= timeline.documentsFrom.getTime()) return 'documents-open';
  return 'scheduled';
}

/** The states between `from` (exclusive) and `to` (inclusive), in order; empty unless `to` lies ahead. */
export function stepsForward(from: TimelineStatus, to: TimelineStatus): TimelineStatus[] {
  const i = TIMELINE_ORDER.indexOf(from);
  const j = TIMELINE_ORDER.indexOf(to);
  if (i < 0 || j <= i) return [];
  return TIMELINE_ORDER.slice(i + 1, j + 1);
}
