import type { Kysely } from 'kysely';
import { NotFound } from '../../platform/errors.ts';
import type { ComplaintsContext, ComplaintsDb } from './context.ts';
import { covers, findLot, requireSupervisorScope } from './deps.ts';
import { lawOf, requireLot } from './filing.ts';
import { handlingDepartment } from './jurisdiction.ts';
import { isSupervisor, requireResponder, requireSignedIn } from './policy.ts';
import { listPriors, lotsWithPriors } from './priors.ts';
import {
  CITATIONS,
  GP_FILING_WORKING_DAYS,
  gpFilingDeadline,
  LAW_NAMES_ZH,
  WORKS_FILING_DAYS,
} from './rules.ts';
import type { BasisView } from './schemas.ts';
import * as store from './store.ts';
import type { ComplaintStatus } from './tables.ts';
import { toComplaintView, toPublicDecision, toSummaryView, type Viewer } from './views.ts';

function notFound(): NotFound {
  return new NotFound('COMPLAINT_NOT_FOUND', { title: '投诉不存在' });
}

/**
 * One complaint, as the actor may see it: the department whose scope covers its lot, the complainant, or an
 * organisation a notice was delivered to (respondent, related party). Anyone else: not found.
 */
export async function getComplaint(ctx: ComplaintsContext, complaintId: string) {
  const actor = requireSignedIn(ctx.actor);
  const row = await store.findComplaint(ctx.db, complaintId);
  if (!row) throw notFound();
  const now = ctx.clock.now();
  if (isSupervisor(actor)) {
    const scope = await requireSupervisorScope(ctx.db, actor);
    if (covers(scope, { regionCode: row.region_code, catalogItemCode: row.catalog_item_code })) {
      return toComplaintView(ctx.db, row, 'supervisor', now);
    }
  }
  const org = actor.organizationId;
  if (org && row.complainant_organization_id === org && actor.roles.includes('responder')) {
    return toComplaintView(ctx.db, row, 'complainant', now);
  }
  if (org) {
    const notices = await store.listNotices(ctx.db, row.id);
    const mine = notices.find(
      (n) => n.recipient_organization_id === org && n.recipient_role !== 'complainant',
    );
    if (mine) {
      const viewer: Viewer = mine.recipient_role === 'respondent' ? 'respondent' : 'related';
      return toComplaintView(ctx.db, row, viewer, now, org);
    }
  }
  throw notFound();
}

export async function listMyComplaints(ctx: ComplaintsContext) {
  const actor = requireResponder(ctx.actor);
  const now = ctx.clock.now();
  const rows = await store.listComplaintsOfComplainant(ctx.db, actor.organizationId);
  return Promise.all(rows.map((r) => toSummaryView(ctx.db, r, now)));
}

/** Complaints against (or concerning) the actor's organisation: those a written notice was delivered for. */
export async function listReceivedComplaints(ctx: ComplaintsContext) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return [];
  const now = ctx.clock.now();
  const rows = await store.listComplaintsNoticedTo(ctx.db, actor.organizationId);
  return Promise.all(rows.map((r) => toSummaryView(ctx.db, r, now)));
}

/** The department's list: only complaints whose lot lies in the supervisor's scope. */
export async function listSupervisedComplaints(
  ctx: ComplaintsContext,
  status: ComplaintStatus | 'open' | undefined,
) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const statuses: ComplaintStatus[] | null =
    status === 'open' ? [...store.OPEN_STATUSES] : status ? [status] : null;
  const now = ctx.clock.now();
  const rows = await store.listComplaintsInScope(ctx.db, scope, statuses);
  return Promise.all(rows.map((r) => toSummaryView(ctx.db, r, now)));
}

/**
 * What a complainant needs before filing on a lot: its law, the handling department, and the prior
 * 异议/质疑 it may rest the items on, each with the complaint period it opens.
 */
export async function complaintBasis(ctx: ComplaintsContext, lotId: string): Promise<BasisView> {
  const actor = requireResponder(ctx.actor);
  const lot = await requireLot(ctx, lotId);
  const law = lawOf(lot);
  const priors = await listPriors(ctx.db, lot.id, actor.organizationId);
  const { department } = handlingDepartment(lot, law);
  return {
    lot: {
      id: lot.id,
      code: lot.code,
      name: lot.name,
      projectName: lot.projectName,
      law,
      lawName: LAW_NAMES_ZH[law],
      department,
      hasAgency: lot.agencyOrganizationId !== null,
    },
    priors: priors.map((p) => ({
      source: p.source,
      id: p.id,
      itemNo: null,
      stage: p.stage,
      text: p.text,
      raisedAt: p.raisedAt.toISOString(),
      answerDueAt: p.answerDueAt.toISOString(),
      answeredAt: p.answeredAt?.toISOString() ?? null,
      answer: p.answer,
      items: p.items,
      complaintDeadline: law === 'gp' ? gpFilingDeadline(p.answerDueAt).toISOString() : null,
      complaintOpensAt: (p.answeredAt ?? p.answerDueAt).toISOString(),
    })),
    rules:
      law === 'works'
        ? [
            {
              text: `自知道或者应当知道之日起${WORKS_FILING_DAYS}日内投诉；异议答复期间不计算在内。`,
              citation: CITATIONS.worksTime,
            },
            {
              text: '对招标文件、开标、评标结果投诉的，应当先向招标人提出异议。',
              citation: CITATIONS.worksObjectionFirst,
            },
          ]
        : [
            {
              text: `质疑答复期满后${GP_FILING_WORKING_DAYS}个工作日内投诉（对答复不满意或者未在规定时间内答复的）。`,
              citation: CITATIONS.gpComplaintTime,
            },
            {
              text: '投诉事项不得超出已质疑事项的范围，但基于质疑答复内容提出的投诉事项除外。',
              citation: CITATIONS.gpScope,
            },
          ],
  };
}

/** The lots the complainant raised 异议/质疑 on, for choosing where to complain. */
export async function listMyComplaintLots(ctx: ComplaintsContext) {
  const actor = requireResponder(ctx.actor);
  const ids = (await lotsWithPriors(ctx.db, actor.organizationId)).slice(0, 100);
  const lots = [];
  for (const id of ids) {
    const lot = await findLot(ctx.db, id);
    if (lot) {
      const law = lawOf(lot);
      lots.push({
        id: lot.id,
        code: lot.code,
        name: lot.name,
        projectName: lot.projectName,
        law,
        lawName: LAW_NAMES_ZH[law],
      });
    }
  }
  return lots;
}

// ---- the portal: 投诉处理决定 (不予受理 and 终止 are not published) ----

export async function listPublicDecisions(
  db: Kysely<ComplaintsDb>,
  q: { law?: 'works' | 'gp' | undefined; q?: string | undefined; page: number; pageSize: number },
) {
  const filter = { law: q.law, text: q.q || undefined };
  const [rows, total] = await Promise.all([
    store.listPublishedDecisions(db, { ...filter, offset: (q.page - 1) * q.pageSize, limit: q.pageSize }),
    store.countPublishedDecisions(db, filter),
  ]);
  return { items: rows.map(toPublicDecision), total, page: q.page, pageSize: q.pageSize };
}

export async function getPublicDecision(db: Kysely<ComplaintsDb>, complaintId: string) {
  const row = await store.findComplaint(db, complaintId);
  if (row?.status !== 'decided') {
    throw new NotFound('DECISION_NOT_FOUND', { title: '投诉处理决定不存在或未公开' });
  }
  return toPublicDecision(row);
}
