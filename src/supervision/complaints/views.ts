import type { Kysely } from 'kysely';
import type { ComplaintsDb } from './context.ts';
import { suspensionCause } from './context.ts';
import { listSuspensions, type Suspension } from './deps.ts';
import { listPriors, type PriorObjection } from './priors.ts';
import {
  CITATIONS,
  gpFilingDeadline,
  LAW_NAMES_ZH,
  MATTER_NAMES_ZH,
  NOT_ACCEPTED_NAMES_ZH,
  NOTICE_NAMES_ZH,
  OUTCOME_NAMES_ZH,
  PAUSE_REASON_NAMES_ZH,
  STAGE_NAMES_ZH,
} from './rules.ts';
import type { ChallengeView, ComplaintSummaryView, ComplaintView, PublicDecisionView } from './schemas.ts';
import { COMPLAINT_STATUS_NAMES_ZH, can, isOpen } from './states.ts';
import * as store from './store.ts';
import type { Material } from './tables.ts';

export type Viewer = 'complainant' | 'respondent' | 'related' | 'supervisor';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const KIND_NAMES_ZH = { bidder: '投标人（供应商）', 'interested-party': '其他利害关系人' } as const;
const CAPACITY_NAMES_ZH = {
  'legal-representative': '法定代表人（主要负责人）',
  'authorised-agent': '授权代表',
} as const;
const ROLE_NAMES_ZH = {
  initiator: '招标人（采购人）',
  agency: '代理机构',
  related: '与投诉事项有关的当事人',
} as const;

function materialViews(list: Material[]) {
  return list.map((m) => ({
    sha256: m.sha256,
    sm3: m.sm3,
    size: m.size,
    filename: m.filename,
    kind: m.kind,
    description: m.description,
  }));
}

function priorView(p: PriorObjection, itemNo: number | null) {
  return {
    source: p.source,
    id: p.id,
    itemNo,
    stage: p.stage,
    text: p.text,
    raisedAt: p.raisedAt.toISOString(),
    answerDueAt: p.answerDueAt.toISOString(),
    answeredAt: iso(p.answeredAt),
    answer: p.answer,
  };
}

type Clock = ComplaintView['clocks'][number];

function clock(
  row: store.ComplaintRow,
  now: Date,
  c: {
    key: string;
    name: string;
    dueAt: Date | null;
    doneAt: Date | null;
    paused: boolean;
    flaggedAt: Date | null;
    citation: string;
  },
): Clock {
  const running = isOpen(row.status) && !c.doneAt && !c.paused;
  return {
    key: c.key,
    name: c.name,
    dueAt: iso(c.dueAt),
    doneAt: iso(c.doneAt),
    paused: c.paused && !c.doneAt,
    overdue: c.flaggedAt !== null || (running && c.dueAt !== null && now.getTime() > c.dueAt.getTime()),
    flaggedAt: iso(c.flaggedAt),
    citation: c.citation,
  };
}

/** The complaint's clocks, each with its own start, due moment, completion and flag. */
export function clocksOf(row: store.ComplaintRow, now: Date): Clock[] {
  const gp = row.law === 'gp';
  const clocks: Clock[] = [
    clock(row, now, {
      key: 'filing',
      name: gp ? '投诉期限（质疑答复期满后15个工作日）' : '投诉期限（知道或应当知道之日起10日）',
      dueAt: row.filing_deadline,
      doneAt: row.received_at,
      paused: false,
      flaggedAt: null,
      citation: gp ? CITATIONS.gpComplaintTime : CITATIONS.worksTime,
    }),
    clock(row, now, {
      key: 'acceptance',
      name: gp ? '受理审查（收到之日起5个工作日）' : '决定是否受理（收到之日起3个工作日）',
      dueAt: row.acceptance_due_at,
      doneAt: row.accepted_at ?? row.not_accepted_at ?? (row.status === 'withdrawn' ? row.closed_at : null),
      paused: row.status === 'correction',
      flaggedAt: row.acceptance_overdue_at,
      citation: gp ? CITATIONS.gpReview : CITATIONS.worksAcceptance,
    }),
  ];
  if (row.correction_requested_at) {
    clocks.push(
      clock(row, now, {
        key: 'correction',
        name: '补正期限',
        dueAt: row.correction_due_at,
        doneAt:
          row.corrected_at ?? (row.status === 'correction' ? null : (row.not_accepted_at ?? row.closed_at)),
        paused: false,
        flaggedAt: row.correction_lapsed_at,
        citation: CITATIONS.gpReview,
      }),
    );
  }
  if (row.copies_due_at || row.copies_sent_at) {
    clocks.push(
      clock(row, now, {
        key: 'copies',
        name: gp ? '向被投诉人发送投诉书副本（收到之日起8个工作日）' : '向被投诉人发送投诉书副本',
        dueAt: row.copies_due_at,
        doneAt: row.copies_sent_at,
        paused: row.status === 'correction',
        flaggedAt: row.copies_overdue_at,
        citation: gp ? CITATIONS.gpReview : CITATIONS.worksDecisionContent,
      }),
    );
  }
  if (row.explanation_due_at || row.explanation_at) {
    clocks.push(
      clock(row, now, {
        key: 'explanation',
        name: '被投诉人书面说明（收到副本之日起5个工作日）',
        dueAt: row.explanation_due_at,
        doneAt: row.explanation_at,
        paused: false,
        flaggedAt: row.explanation_overdue_at,
        citation: CITATIONS.gpExplanation,
      }),
    );
  }
  if (row.decision_due_at || row.decided_at) {
    clocks.push(
      clock(row, now, {
        key: 'decision',
        name: gp
          ? '作出处理决定（收到之日起30个工作日，补正、检验、检测、鉴定、专家评审时间不计入）'
          : '作出处理决定（受理之日起30个工作日，检验、检测、鉴定、专家评审时间不计入）',
        dueAt: row.decision_due_at,
        doneAt: row.decided_at,
        paused: row.status === 'paused' || row.status === 'correction',
        flaggedAt: row.decision_overdue_at,
        citation: gp ? CITATIONS.gpDecision : CITATIONS.worksDecision,
      }),
    );
  }
  return clocks;
}

function actionsFor(row: store.ComplaintRow, viewer: Viewer, now: Date, suspensions: Suspension[]): string[] {
  const actions: string[] = [];
  const open = isOpen(row.status);
  const withdrawalPending = row.withdrawal_requested_at !== null && row.withdrawal_decision === null;
  if (viewer === 'complainant') {
    if (open && !withdrawalPending) actions.push('withdraw');
    if (row.status === 'correction' && row.correction_due_at && now <= row.correction_due_at)
      actions.push('correct');
  } else if (viewer === 'respondent') {
    if (can(row.status, 'explain') && row.copies_sent_at && !row.explanation_at) actions.push('explain');
  } else if (viewer === 'supervisor') {
    if (can(row.status, 'accept')) actions.push('accept');
    if (can(row.status, 'refuse')) actions.push('refuse');
    if (row.law === 'gp' && can(row.status, 'request-correction') && !row.correction_requested_at) {
      if (now <= row.acceptance_due_at) actions.push('request-correction');
    }
    if (can(row.status, 'send-copies') && !row.copies_sent_at) actions.push('send-copies');
    if (can(row.status, 'pause')) actions.push('pause');
    if (can(row.status, 'resume')) actions.push('resume');
    if (can(row.status, 'decide') && !withdrawalPending) actions.push('decide');
    if (row.law === 'works' && withdrawalPending && open) actions.push('decide-withdrawal');
    const inForce = suspensions.find((s) => s.endedAt === null && (!s.until || s.until > now));
    if (open && !inForce) actions.push('suspend');
    if (inForce && inForce.cause === suspensionCause(row.id)) actions.push('resume-procedure');
  }
  return actions;
}

/**
 * The complaint as one party sees it: the whole 投诉书 and its handling, the clocks, and the written notices
 * delivered to this party (all of them for the department).
 */
export async function toComplaintView(
  db: Kysely<ComplaintsDb>,
  row: store.ComplaintRow,
  viewer: Viewer,
  now: Date,
  viewerOrganizationId: string | null = null,
): Promise<ComplaintView> {
  const [pauses, notices, suspensions, priors, duplicateOf] = await Promise.all([
    store.listPauses(db, row.id),
    store.listNotices(db, row.id),
    listSuspensions(db, row.lot_id),
    listPriors(db, row.lot_id, row.complainant_organization_id),
    row.duplicate_of ? store.findComplaint(db, row.duplicate_of) : Promise.resolve(undefined),
  ]);
  const own = suspensions.filter((s) => s.cause === suspensionCause(row.id));
  const recipient = viewer === 'complainant' ? row.complainant_organization_id : viewerOrganizationId;
  return {
    id: row.id,
    code: row.code,
    law: row.law,
    lawName: LAW_NAMES_ZH[row.law],
    status: row.status,
    statusName: COMPLAINT_STATUS_NAMES_ZH[row.status],
    viewer,
    lot: {
      id: row.lot_id,
      code: row.lot_code,
      name: row.lot_name,
      projectName: row.project_name,
      procedureType: row.procedure_type,
      regionCode: row.region_code,
      catalogItemCode: row.catalog_item_code,
    },
    department: row.department,
    departmentBasis: row.department_basis,
    complainant: {
      organizationId: row.complainant_organization_id,
      name: row.complainant_name,
      kind: row.complainant_kind,
      kindName: KIND_NAMES_ZH[row.complainant_kind],
      address: row.complainant_address,
      contactName: row.contact_name,
      contactPhone: row.contact_phone,
      interest: row.interest,
      signatoryName: row.signatory_name,
      signatoryCapacity: CAPACITY_NAMES_ZH[row.signatory_capacity],
    },
    respondents: row.respondents.map((p) => ({ ...p, role: ROLE_NAMES_ZH[p.role] })),
    related: row.related.map((p) => ({ ...p, role: ROLE_NAMES_ZH[p.role] })),
    facts: row.facts,
    requests: row.requests,
    legalBasis: row.legal_basis,
    knownOn: row.known_on,
    knownEvidence: row.known_evidence,
    items: row.items.map((i) => {
      const p = i.prior ? priors.find((x) => x.source === i.prior?.source && x.id === i.prior.id) : undefined;
      return {
        no: i.no,
        stage: i.stage,
        stageName: STAGE_NAMES_ZH[i.stage],
        matter: i.matter,
        matterName: MATTER_NAMES_ZH[i.matter],
        text: i.text,
        arisesFromAnswer: i.arisesFromAnswer,
        prior: p ? priorView(p, i.prior?.itemNo ?? null) : null,
      };
    }),
    materials: materialViews(row.materials),
    receivedAt: row.received_at.toISOString(),
    filingDeadline: row.filing_deadline.toISOString(),
    duplicateOf: duplicateOf ? { id: duplicateOf.id, code: duplicateOf.code } : null,
    clocks: clocksOf(row, now),
    pauses: pauses.map((p) => ({
      reason: p.reason,
      reasonName: PAUSE_REASON_NAMES_ZH[p.reason],
      note: p.note,
      startedAt: p.started_at.toISOString(),
      endedAt: iso(p.ended_at),
      excludedWorkingDays: p.excluded_working_days,
    })),
    suspensions: own.map((s) => ({
      startedAt: s.startedAt.toISOString(),
      until: iso(s.until),
      endedAt: iso(s.endedAt),
      reason: s.reason,
      citation: s.citation,
      inForce: s.endedAt === null && (!s.until || s.until > now),
    })),
    notAccepted:
      row.not_accepted_at && row.not_accepted_reason
        ? {
            reason: row.not_accepted_reason,
            reasonName: NOT_ACCEPTED_NAMES_ZH[row.not_accepted_reason],
            text: row.not_accepted_text ?? '',
            citation: row.not_accepted_citation ?? '',
            at: row.not_accepted_at.toISOString(),
          }
        : null,
    correction:
      row.correction_requested_at && row.correction_due_at
        ? {
            requestedAt: row.correction_requested_at.toISOString(),
            items: row.correction_items ?? '',
            dueAt: row.correction_due_at.toISOString(),
            correctedAt: iso(row.corrected_at),
            text: row.correction_text,
            materials: materialViews(row.correction_materials),
          }
        : null,
    explanation:
      row.copies_sent_at || row.explanation_at
        ? {
            dueAt: iso(row.explanation_due_at),
            submittedAt: iso(row.explanation_at),
            text: row.explanation_text,
            materials: materialViews(row.explanation_materials),
            late:
              row.explanation_due_at !== null &&
              (row.explanation_at ?? now).getTime() > row.explanation_due_at.getTime(),
          }
        : null,
    withdrawal: row.withdrawal_requested_at
      ? {
          requestedAt: row.withdrawal_requested_at.toISOString(),
          reason: row.withdrawal_reason ?? '',
          decision: row.withdrawal_decision,
          decidedAt: iso(row.withdrawal_decided_at),
          refusalReason: row.withdrawal_refusal_reason,
        }
      : null,
    decision:
      row.decided_at && row.outcome
        ? {
            outcome: row.outcome,
            outcomeName: OUTCOME_NAMES_ZH[row.outcome],
            reasoning: row.decision_reasoning ?? '',
            handling: row.decision_handling,
            legalBasis: row.decision_legal_basis ?? '',
            citation: row.decision_citation ?? '',
            decidedAt: row.decided_at.toISOString(),
            late: row.decision_late,
            published: row.status === 'decided',
          }
        : null,
    notices: notices
      .filter((n) => viewer === 'supervisor' || n.recipient_organization_id === recipient)
      .map((n) => ({
        id: n.id,
        kind: n.kind,
        kindName: NOTICE_NAMES_ZH[n.kind],
        recipientOrganizationId: n.recipient_organization_id,
        recipientRole: n.recipient_role,
        title: n.title,
        body: n.body,
        issuedAt: n.issued_at.toISOString(),
      })),
    actions: actionsFor(row, viewer, now, suspensions),
  };
}

export async function toSummaryView(
  db: Kysely<ComplaintsDb>,
  row: store.ComplaintRow,
  now: Date,
): Promise<ComplaintSummaryView> {
  const clocks = clocksOf(row, now);
  const next = clocks
    .filter((c) => !c.doneAt && !c.paused && c.dueAt)
    .sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!))[0];
  let suspended = false;
  if (isOpen(row.status)) {
    const s = (await listSuspensions(db, row.lot_id)).find(
      (x) => x.cause === suspensionCause(row.id) && x.endedAt === null && (!x.until || x.until > now),
    );
    suspended = s !== undefined;
  }
  return {
    id: row.id,
    code: row.code,
    law: row.law,
    lawName: LAW_NAMES_ZH[row.law],
    status: row.status,
    statusName: COMPLAINT_STATUS_NAMES_ZH[row.status],
    lotCode: row.lot_code,
    lotName: row.lot_name,
    projectName: row.project_name,
    complainantName: row.complainant_name,
    department: row.department,
    receivedAt: row.received_at.toISOString(),
    nextDueAt: isOpen(row.status) ? (next?.dueAt ?? null) : null,
    nextDueName: isOpen(row.status) ? (next?.name ?? null) : null,
    overdue: clocks.some((c) => c.overdue),
    suspended,
  };
}

/** 投诉处理决定 as published on the portal: never contacts, addresses or materials. */
export function toPublicDecision(row: store.ComplaintRow): PublicDecisionView {
  return {
    id: row.id,
    code: row.code,
    law: row.law,
    lawName: LAW_NAMES_ZH[row.law],
    department: row.department,
    projectName: row.project_name,
    lotCode: row.lot_code,
    lotName: row.lot_name,
    complainantName: row.complainant_name,
    respondents: row.respondents.map((p) => p.name),
    receivedAt: row.received_at.toISOString(),
    decidedAt: (row.decided_at ?? row.updated_at).toISOString(),
    items: row.items.map((i) => `${i.no}. ${i.text}`),
    outcome: row.outcome ?? '',
    outcomeName: row.outcome ? OUTCOME_NAMES_ZH[row.outcome] : '',
    reasoning: row.decision_reasoning ?? '',
    handling: row.decision_handling,
    legalBasis: row.decision_legal_basis ?? '',
    citation: row.decision_citation ?? '',
  };
}

export function toChallengeView(row: store.ChallengeRow, now: Date): ChallengeView {
  return {
    id: row.id,
    lotId: row.lot_id,
    lotCode: row.lot_code,
    lotName: row.lot_name,
    projectName: row.project_name,
    stage: row.stage,
    stageName: STAGE_NAMES_ZH[row.stage],
    step: row.step,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    knownOn: row.known_on,
    knownEvidence: row.known_evidence,
    items: row.items.map((i) => ({
      no: i.no,
      matter: i.matter,
      matterName: MATTER_NAMES_ZH[i.matter],
      text: i.text,
    })),
    facts: row.facts,
    requests: row.requests,
    legalBasis: row.legal_basis,
    materials: materialViews(row.materials),
    filedAt: row.filed_at.toISOString(),
    deadlineAt: row.deadline_at.toISOString(),
    answerDueAt: row.answer_due_at.toISOString(),
    answer: row.answer,
    answerMaterials: materialViews(row.answer_materials),
    answeredAt: iso(row.answered_at),
    answerLate: row.answer_late,
    overdue:
      row.overdue_flagged_at !== null || (!row.answered_at && now.getTime() > row.answer_due_at.getTime()),
    complaintDeadline: gpFilingDeadline(row.answer_due_at).toISOString(),
    citation: CITATIONS.gpChallengeAnswer,
  };
}
