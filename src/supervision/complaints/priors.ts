import type { Kysely } from 'kysely';
import { listSequencedEvents } from '../../platform/witness/index.ts';
import type { ComplaintsDb } from './context.ts';
import {
  listDocumentObjectionsByOrganization,
  listResultObjectionsByOrganization,
  OPENING_WITNESS_TYPE,
} from './deps.ts';
import * as store from './store.ts';
import type { ChallengeItem, ItemStage, PriorSource } from './tables.ts';

/**
 * A prior 异议 (工程) or 质疑 (政府采购) an organisation raised on a lot, wherever it was recorded: on the
 * documents (trading/tenders), at the opening (trading/opening, read from its witnessed record), on the
 * evaluation result (trading/awards), or on the 采购过程/结果 (this module's 质疑).
 */
export interface PriorObjection {
  source: PriorSource;
  id: string;
  lotId: string;
  stage: ItemStage;
  text: string;
  raisedAt: Date;
  /** When the answer was due; at the opening it is answered on the spot (条例第四十四条第三款). */
  answerDueAt: Date;
  answeredAt: Date | null;
  answer: string | null;
  /** The 质疑's own items, for a 质疑 filed here. */
  items: ChallengeItem[] | null;
}

export async function listPriors(
  db: Kysely<ComplaintsDb>,
  lotId: string,
  organizationId: string,
): Promise<PriorObjection[]> {
  const [documents, results, challenges, opening] = await Promise.all([
    listDocumentObjectionsByOrganization(db, lotId, organizationId),
    listResultObjectionsByOrganization(db, lotId, organizationId),
    store.listChallengesOfLot(db, lotId, organizationId),
    listOpeningObjections(db, lotId, organizationId),
  ]);
  const priors: PriorObjection[] = [
    ...documents.map((o) => ({ ...o, source: 'tenders' as const, items: null })),
    ...opening,
    ...results.map((o) => ({ ...o, source: 'awards' as const, items: null })),
    ...challenges.map((c) => ({
      source: 'challenge' as const,
      id: c.id,
      lotId: c.lot_id,
      stage: c.stage,
      text: c.items.map((i) => `${i.no}. ${i.text}`).join('\n'),
      raisedAt: c.filed_at,
      answerDueAt: c.answer_due_at,
      answeredAt: c.answered_at,
      answer: c.answer,
      items: c.items,
    })),
  ];
  return priors.sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime());
}

/** The lots an organisation raised any 异议/质疑 on (for the complainant's choice of lot). */
export async function lotsWithPriors(db: Kysely<ComplaintsDb>, organizationId: string): Promise<string[]> {
  const [documents, results, challenges] = await Promise.all([
    listDocumentObjectionsByOrganization(db, null, organizationId),
    listResultObjectionsByOrganization(db, null, organizationId),
    store.listChallengesOfOrganization(db, organizationId),
  ]);
  return [...new Set([...documents, ...results].map((o) => o.lotId).concat(challenges.map((c) => c.lot_id)))];
}

/**
 * 开标异议 (条例第四十四条第三款) are raised and answered in the opening hall and recorded in its witnessed
 * log (`opening.objection-raised` / `opening.objection-answered`, entity ('opening', lotId), the raising
 * bidder as the actor's organisation). The opening module exports no read port for them, so they are read
 * from the sequenced witness log — the public record of the hall.
 */
async function listOpeningObjections(
  db: Kysely<ComplaintsDb>,
  lotId: string,
  organizationId: string,
): Promise<PriorObjection[]> {
  const events = await listSequencedEvents(db, {
    entityType: OPENING_WITNESS_TYPE,
    entityId: lotId,
    actions: ['opening.objection-raised', 'opening.objection-answered'],
    limit: 1000,
  });
  const answers = new Map<string, { at: Date; answer: string }>();
  for (const e of events) {
    if (e.action !== 'opening.objection-answered') continue;
    const p = parsePayload(e.payload);
    if (typeof p.objectionId === 'string') {
      answers.set(p.objectionId, { at: e.occurredAt, answer: typeof p.answer === 'string' ? p.answer : '' });
    }
  }
  const raised: PriorObjection[] = [];
  for (const e of events) {
    if (e.action !== 'opening.objection-raised' || e.actorOrganizationId !== organizationId) continue;
    const p = parsePayload(e.payload);
    if (typeof p.objectionId !== 'string') continue;
    const answer = answers.get(p.objectionId);
    raised.push({
      source: 'opening',
      id: p.objectionId,
      lotId,
      stage: 'opening',
      text: typeof p.text === 'string' ? p.text : '',
      raisedAt: e.occurredAt,
      answerDueAt: e.occurredAt,
      answeredAt: answer?.at ?? null,
      answer: answer?.answer ?? null,
      items: null,
    });
  }
  return raised;
}

function parsePayload(payload: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(payload);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
