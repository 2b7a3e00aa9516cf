import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type CalendarDate,
  compareDates,
  formatShanghaiTime,
  shanghaiDateOf,
} from '../../platform/clock/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { scheduleDeadlineChecks } from './clocks.ts';
import {
  COMPLAINT_WITNESS_TYPE,
  type ComplaintsContext,
  type ComplaintsDb,
  suspensionCause,
  type Tx,
  witness,
} from './context.ts';
import {
  findEntityOfOrganization,
  findLot,
  getProcedure,
  hasObtainedDocuments,
  type LotSummary,
  readOpeningOutcome,
  resumeLot,
  suspensionInForce,
  tenderLawOf,
} from './deps.ts';
import { handlingDepartment } from './jurisdiction.ts';
import { resolveMaterials } from './materials.ts';
import { deliver } from './notices.ts';
import { requireResponder } from './policy.ts';
import { listPriors, type PriorObjection } from './priors.ts';
import {
  acceptanceDueAt,
  afterWorkingDays,
  CITATIONS,
  DECISION_WORKING_DAYS,
  decisionDueAt,
  GP_COPIES_WORKING_DAYS,
  gpFilingDeadline,
  LAW_NAMES_ZH,
  MATTER_NAMES_ZH,
  NOT_ACCEPTED_NAMES_ZH,
  notAcceptedCitation,
  objectionAnswerDays,
  PRIOR_NAME_ZH,
  pausedWorkingDays,
  STAGE_NAMES_ZH,
  STAGES_OF_LAW,
  WORKS_FILING_DAYS,
  WORKS_OBJECTION_STAGES,
  worksFilingDeadline,
} from './rules.ts';
import type { CorrectionInput, FileComplaintInput, MaterialInput } from './schemas.ts';
import { assertCan } from './states.ts';
import * as store from './store.ts';
import type { ComplaintItem, ComplaintLaw, Party } from './tables.ts';
import { toComplaintView } from './views.ts';

export function lawOf(lot: LotSummary): ComplaintLaw {
  return tenderLawOf(lot.procedureType);
}

export async function requireLot(ctx: ComplaintsContext, lotId: string): Promise<LotSummary> {
  const lot = await findLot(ctx.db, lotId);
  if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  return lot;
}

/** An organisation took part in the lot: obtained its documents or has an opened bid in it. */
export async function tookPart(
  ctx: ComplaintsContext,
  lotId: string,
  organizationId: string,
): Promise<boolean> {
  if (await hasObtainedDocuments(ctx.db, lotId, organizationId)) return true;
  const opening = await readOpeningOutcome(ctx.db, lotId);
  return opening?.entries.some((e) => e.organizationId === organizationId) ?? false;
}

async function partyName(ctx: ComplaintsContext, organizationId: string): Promise<string> {
  return (await findEntityOfOrganization(ctx.db, organizationId))?.name ?? '（未登记主体）';
}

/** "The same matter" (同一投诉事项): the prior 异议/质疑 (and its item) an item rests on, or its text. */
function matterKey(item: ComplaintItem): string {
  if (item.prior && !item.arisesFromAnswer) {
    return `${item.prior.source}:${item.prior.id}#${item.prior.itemNo ?? item.matter}`;
  }
  const normalized = item.text.replace(/\s+/g, '').replace(/[，。；、,.;]/g, '');
  return `text:${item.stage}:${createHash('sha256').update(normalized).digest('hex')}`;
}

interface CheckedItems {
  items: ComplaintItem[];
  linked: PriorObjection[];
}

function checkItems(law: ComplaintLaw, input: FileComplaintInput, priors: PriorObjection[]): CheckedItems {
  const items: ComplaintItem[] = [];
  const linked = new Map<string, PriorObjection>();
  const prior = PRIOR_NAME_ZH[law];
  for (const [index, item] of input.items.entries()) {
    const no = index + 1;
    if (!STAGES_OF_LAW[law].includes(item.stage)) {
      throw new InvalidInput('COMPLAINT_STAGE_INVALID', {
        title: '投诉事项所涉环节不适用于该项目',
        detail: `第 ${no} 项投诉事项选择了“${STAGE_NAMES_ZH[item.stage]}”，${LAW_NAMES_ZH[law]}项目不适用。`,
        extensions: { field: `items/${index}/stage` },
      });
    }
    let found: PriorObjection | null = null;
    if (item.prior) {
      const ref = item.prior;
      found = priors.find((p) => p.source === ref.source && p.id === ref.id) ?? null;
      if (!found) {
        throw new RuleViolation('COMPLAINT_PRIOR_NOT_FOUND', {
          title: `所引用的${prior}不存在`,
          detail: `第 ${no} 项投诉事项引用的${prior}不是本单位对本标段（包）提出的${prior}。`,
          citation: law === 'works' ? CITATIONS.worksObjectionFirst : CITATIONS.gpConditions,
          extensions: { field: `items/${index}/prior` },
        });
      }
      if (found.stage !== item.stage) {
        throw new RuleViolation('COMPLAINT_PRIOR_STAGE_MISMATCH', {
          title: `投诉事项与所引用的${prior}不属于同一环节`,
          detail: `第 ${no} 项投诉事项针对“${STAGE_NAMES_ZH[item.stage]}”，所引用的${prior}针对“${STAGE_NAMES_ZH[found.stage]}”。`,
          citation: law === 'works' ? CITATIONS.worksObjectionFirst : CITATIONS.gpScope,
        });
      }
      linked.set(`${found.source}:${found.id}`, found);
    }
    if (law === 'works' && WORKS_OBJECTION_STAGES.includes(item.stage) && !found) {
      throw new RuleViolation('COMPLAINT_OBJECTION_REQUIRED', {
        title: '应当先向招标人提出异议',
        detail: `第 ${no} 项投诉事项针对“${STAGE_NAMES_ZH[item.stage]}”，属于《招标投标法实施条例》第二十二条、第四十四条、第五十四条规定的事项，应当先向招标人提出异议；请引用已提出的异议。`,
        citation: CITATIONS.worksObjectionFirst,
        extensions: { field: `items/${index}/prior` },
      });
    }
    if (law === 'gp') checkGpScope(no, index, item, found);
    items.push({
      no,
      stage: item.stage,
      matter: item.matter,
      text: item.text,
      prior: item.prior && found ? { source: found.source, id: found.id, itemNo: item.prior.itemNo } : null,
      arisesFromAnswer: item.arisesFromAnswer,
    });
  }
  return { items, linked: [...linked.values()] };
}

/**
 * 94号令第二十条: a complaint item may not go beyond what the 质疑 raised, except a matter arising from the
 * answer itself. An item must name its 质疑 (and, for a 质疑 with items, the item of the same matter).
 */
function checkGpScope(
  no: number,
  index: number,
  item: FileComplaintInput['items'][number],
  found: PriorObjection | null,
): void {
  const beyond = (detail: string) =>
    new RuleViolation('COMPLAINT_BEYOND_CHALLENGE', {
      title: '投诉事项超出了已质疑事项的范围',
      detail,
      citation: CITATIONS.gpScope,
      extensions: { field: `items/${index}` },
    });
  if (!found) {
    throw beyond(
      `第 ${no} 项投诉事项“${item.text.slice(0, 40)}”未在质疑中提出。投诉事项不得超出已质疑事项的范围，但基于质疑答复内容提出的投诉事项除外；请引用对应的质疑。`,
    );
  }
  if (item.arisesFromAnswer) {
    if (!found.answeredAt) {
      throw beyond(`第 ${no} 项投诉事项声明基于质疑答复提出，但所引用的质疑尚未答复。`);
    }
    return;
  }
  if (!found.items) return;
  const itemNo = item.prior?.itemNo ?? null;
  const raised =
    itemNo === null
      ? found.items.filter((i) => i.matter === item.matter)
      : found.items.filter((i) => i.no === itemNo);
  if (raised.length === 0) {
    throw beyond(
      itemNo === null
        ? `第 ${no} 项投诉事项（${MATTER_NAMES_ZH[item.matter]}）在所引用的质疑中没有对应的质疑事项。`
        : `所引用的质疑没有第 ${itemNo} 项质疑事项。`,
    );
  }
  const [first] = raised;
  if (first && first.matter !== item.matter) {
    throw beyond(
      `第 ${no} 项投诉事项为“${MATTER_NAMES_ZH[item.matter]}”，而所引用的第 ${first.no} 项质疑事项为“${MATTER_NAMES_ZH[first.matter]}”。`,
    );
  }
}

interface Timing {
  deadline: Date;
  explanation: string;
}

/** 工程 (条例第六十条): 10 日 from knowing, the 异议 answer time not counted. */
function worksTiming(knownOn: CalendarDate, linked: PriorObjection[], now: Date): Timing {
  const today = shanghaiDateOf(now);
  for (const p of linked) {
    if (!p.answeredAt && now.getTime() <= p.answerDueAt.getTime()) {
      throw new RuleViolation('COMPLAINT_OBJECTION_PENDING', {
        title: '异议尚在答复期内',
        detail: `所引用的异议于 ${formatShanghaiTime(p.raisedAt)} 提出，招标人应于 ${formatShanghaiTime(p.answerDueAt)} 前答复；请待答复或答复期限届满后再投诉。`,
        citation: CITATIONS.worksObjectionFirst,
      });
    }
  }
  const excluded = objectionAnswerDays(
    linked.map((p) => ({
      from: shanghaiDateOf(p.raisedAt),
      to: p.answeredAt ? shanghaiDateOf(p.answeredAt) : today,
    })),
    knownOn,
  );
  const deadline = worksFilingDeadline(knownOn, excluded);
  return {
    deadline,
    explanation: `知道或者应当知道之日为 ${knownOn}，投诉期限为 ${WORKS_FILING_DAYS} 日${excluded > 0 ? `，另扣除异议答复期间 ${excluded} 日` : ''}，应于 ${formatShanghaiTime(deadline)} 前提出`,
  };
}

/** 政府采购 (94号令第十七条): 15 个工作日 after each 质疑's answer period ends; none before it is answered or ends. */
function gpTiming(linked: PriorObjection[], now: Date): Timing {
  let earliest: { deadline: Date; prior: PriorObjection } | null = null;
  for (const p of linked) {
    if (!p.answeredAt && now.getTime() <= p.answerDueAt.getTime()) {
      throw new RuleViolation('COMPLAINT_CHALLENGE_PENDING', {
        title: '质疑尚在答复期内',
        detail: `所引用的质疑于 ${formatShanghaiTime(p.raisedAt)} 提出，答复期限至 ${formatShanghaiTime(p.answerDueAt)}；对答复不满意或者答复期满未答复的，方可投诉。`,
        citation: CITATIONS.gpComplaintTime,
      });
    }
    const deadline = gpFilingDeadline(p.answerDueAt);
    if (!earliest || deadline.getTime() < earliest.deadline.getTime()) earliest = { deadline, prior: p };
  }
  if (!earliest) throw new Error('a 政府采购 complaint has at least one linked 质疑');
  return {
    deadline: earliest.deadline,
    explanation: `质疑答复期限于 ${formatShanghaiTime(earliest.prior.answerDueAt)} 届满，投诉应在答复期满后 15 个工作日内、即 ${formatShanghaiTime(earliest.deadline)} 前提出`,
  };
}

/**
 * 投诉 (条例第六十条; 94号令第十七条至第十九条): filed by a 投标人/供应商 or 其他利害关系人 against a lot,
 * routed to the handling department. Refused at the door, with the rule and nothing stored: an item that
 * needed an 异议/质疑 first, an item beyond the 质疑 (第二十条), a complaint out of time. The same matter
 * filed again by the same complainant is received, linked to the first complaint and not accepted again
 * (条例第六十一条第一款: 由最先收到投诉的行政监督部门负责处理).
 */
export async function fileComplaint(ctx: ComplaintsContext, input: FileComplaintInput) {
  const actor = requireResponder(ctx.actor);
  const organizationId = actor.organizationId;
  const lot = await requireLot(ctx, input.lotId);
  const law = lawOf(lot);
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);

  if (compareDates(input.knownOn as CalendarDate, today) > 0) {
    throw new InvalidInput('KNOWN_DATE_IN_FUTURE', {
      title: '知道或者应当知道之日不能晚于今天',
      extensions: { field: 'knownOn' },
    });
  }
  await checkStanding(ctx, lot, law, input, organizationId);
  checkSignature(law, input.signatory.capacity, input.materials);
  if (input.respondents.includes('agency') && !lot.agencyOrganizationId) {
    throw new InvalidInput('NO_AGENCY', {
      title: '该项目没有委托代理机构',
      detail: '被投诉人只能选择招标人（采购人）。',
      extensions: { field: 'respondents' },
    });
  }
  const materials = await resolveMaterials(ctx.db, input.materials);
  const priors = await listPriors(ctx.db, lot.id, organizationId);
  if (law === 'gp' && priors.length === 0) {
    throw new RuleViolation('COMPLAINT_CHALLENGE_REQUIRED', {
      title: '提起投诉前应当依法进行质疑',
      detail: '本单位未对该标段（包）的采购文件、采购过程或者采购结果提出过质疑。',
      citation: `${CITATIONS.gpConditions}；${CITATIONS.gpComplaintTime}`,
    });
  }
  const { items, linked } = checkItems(law, input, priors);
  const keys = items.map(matterKey);
  const earliest = await firstReceiver(ctx.db, law, lot.id, organizationId, items, keys);

  // A matter already filed goes to the first receiver whatever the time (条例第六十一条第一款); others are timed.
  const timing: Timing = earliest
    ? { deadline: earliest.filing_deadline, explanation: '' }
    : law === 'works'
      ? worksTiming(input.knownOn as CalendarDate, linked, now)
      : gpTiming(linked, now);
  if (!earliest && now.getTime() > timing.deadline.getTime()) {
    throw new RuleViolation('COMPLAINT_OUT_OF_TIME', {
      title: '已超过投诉期限',
      detail: `${timing.explanation}；当前时间为 ${formatShanghaiTime(now)}。`,
      citation: law === 'works' ? CITATIONS.worksTime : CITATIONS.gpComplaintTime,
      extensions: { deadline: timing.deadline.toISOString() },
    });
  }

  const { department, basis } = handlingDepartment(lot, law);
  const respondents: Party[] = [];
  for (const role of [...new Set(input.respondents)]) {
    const id = role === 'initiator' ? lot.initiatorOrganizationId : lot.agencyOrganizationId!;
    respondents.push({ organizationId: id, role, name: await partyName(ctx, id) });
  }
  const complainantName = actor.organizationName ?? (await partyName(ctx, organizationId));

  return ctx.db.transaction().execute(async (tx) => {
    // Two filings of one matter at once: the second to take the lock finds the first.
    await store.lockComplainantOnLot(tx, lot.id, organizationId);
    const first = earliest ?? (await firstReceiver(tx, law, lot.id, organizationId, items, keys));
    const number = await store.nextComplaintNumber(tx);
    const code = `TS${today.slice(0, 4)}${String(number).padStart(6, '0')}`;
    const duplicate = first !== null;
    const row = await store.insertComplaint(tx, {
      id: randomUUID(),
      code,
      law,
      lot_id: lot.id,
      lot_code: lot.code,
      lot_name: lot.name,
      project_name: lot.projectName,
      procedure_type: lot.procedureType,
      region_code: lot.regionCode,
      catalog_item_code: lot.catalogItemCode,
      department,
      department_basis: basis,
      complainant_organization_id: organizationId,
      complainant_name: complainantName,
      complainant_account_id: actor.accountId,
      complainant_kind: input.complainantKind,
      complainant_address: input.address,
      contact_name: input.contactName,
      contact_phone: input.contactPhone,
      interest: input.interest,
      signatory_name: input.signatory.name,
      signatory_capacity: input.signatory.capacity,
      respondents: JSON.stringify(respondents),
      related: '[]',
      facts: input.facts,
      requests: input.requests,
      legal_basis: input.legalBasis,
      known_on: input.knownOn,
      known_evidence: input.knownEvidence,
      items: JSON.stringify(items),
      matter_keys: JSON.stringify(keys),
      materials: JSON.stringify(materials),
      status: duplicate ? 'not-accepted' : 'received',
      received_at: now,
      filing_deadline: timing.deadline,
      duplicate_of: first?.id ?? null,
      acceptance_due_at: acceptanceDueAt(law, now, 0),
      // 政府采购: the copies and decision clocks run from receipt (94号令第二十一条、第二十六条).
      copies_due_at: law === 'gp' && !duplicate ? afterWorkingDays(now, GP_COPIES_WORKING_DAYS) : null,
      decision_due_at:
        law === 'gp' && !duplicate ? decisionDueAt(law, { receivedAt: now, acceptedAt: null }, 0) : null,
      not_accepted_at: duplicate ? now : null,
      not_accepted_reason: duplicate ? 'duplicate' : null,
      not_accepted_text: duplicate
        ? `同一投诉事项已于 ${formatShanghaiTime(first.received_at)} 由${first.department}收到（投诉编号 ${first.code}），由最先收到投诉的部门负责处理，本次投诉不再受理。`
        : null,
      not_accepted_citation: duplicate ? notAcceptedCitation(law, 'duplicate') : null,
      correction_materials: '[]',
      explanation_materials: '[]',
      excluded_working_days: 0,
      decision_late: false,
      closed_at: duplicate ? now : null,
      created_at: now,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.filed', {
      code,
      lotId: lot.id,
      law,
      department,
      complainantOrganizationId: organizationId,
      respondents: respondents.map((r) => r.organizationId),
      items: items.map((i) => ({ no: i.no, stage: i.stage, matter: i.matter, prior: i.prior })),
      materials: materials.map((m) => ({ sha256: m.sha256, sm3: m.sm3 })),
      knownOn: input.knownOn,
      filingDeadline: timing.deadline.toISOString(),
      citation: law === 'works' ? CITATIONS.worksTime : CITATIONS.gpComplaintTime,
    });
    if (duplicate) {
      await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.not-accepted', {
        reason: 'duplicate',
        duplicateOf: first.id,
        citation: row.not_accepted_citation,
      });
      await deliver(tx, row, {
        kind: 'not-accepted',
        to: ['complainant'],
        body: `${row.not_accepted_text}（${NOT_ACCEPTED_NAMES_ZH.duplicate}；${row.not_accepted_citation}）`,
        at: now,
        by: null,
      });
    } else {
      await deliver(tx, row, {
        kind: 'received',
        to: ['complainant'],
        body:
          law === 'works'
            ? `${department}已于 ${formatShanghaiTime(now)} 收到您的投诉，将于 ${formatShanghaiTime(row.acceptance_due_at)} 前决定是否受理（${CITATIONS.worksAcceptance}）。`
            : `${department}已于 ${formatShanghaiTime(now)} 收到您的投诉书，将于 ${formatShanghaiTime(row.acceptance_due_at)} 前完成审查；投诉处理决定将于收到投诉之日起${DECISION_WORKING_DAYS}个工作日内作出（补正、检验、检测、鉴定、专家评审时间不计入；${CITATIONS.gpDecision}）。`,
        at: now,
        by: null,
      });
      await scheduleDeadlineChecks(tx, row, now);
    }
    return toComplaintView(tx, row, 'complainant', now);
  });
}

/**
 * The complaint that first received one of these matters from this complainant on this lot (条例第六十一条
 * 第一款: 由最先收到投诉的行政监督部门负责处理), or null. A complaint repeating some matters and adding others
 * is refused: the new matters are filed on their own.
 */
async function firstReceiver(
  db: Kysely<ComplaintsDb>,
  law: ComplaintLaw,
  lotId: string,
  organizationId: string,
  items: ComplaintItem[],
  keys: string[],
): Promise<store.ComplaintRow | null> {
  const earlier = (await store.listComplaintsOnLotBy(db, lotId, organizationId)).filter(
    (c) => c.status !== 'not-accepted',
  );
  const first = earlier.find((c) => c.matter_keys.some((k) => keys.includes(k))) ?? null;
  if (!first) return null;
  const covered = new Set(earlier.flatMap((c) => c.matter_keys));
  if (keys.every((k) => covered.has(k))) return first;
  const repeated = items.filter((_, i) => covered.has(keys[i]!)).map((i) => i.no);
  throw new RuleViolation('COMPLAINT_PARTLY_DUPLICATE', {
    title: '部分投诉事项已经投诉',
    detail: `第 ${repeated.join('、')} 项投诉事项已于 ${formatShanghaiTime(first.received_at)} 投诉（${first.code}）。请将新的事项单独投诉。`,
    citation: law === 'works' ? CITATIONS.worksFirstReceiver : CITATIONS.gpFirstReceiver,
  });
}

async function checkStanding(
  ctx: ComplaintsContext,
  lot: LotSummary,
  law: ComplaintLaw,
  input: FileComplaintInput,
  organizationId: string,
): Promise<void> {
  if (lot.initiatorOrganizationId === organizationId || lot.agencyOrganizationId === organizationId) {
    throw new Forbidden('COMPLAINANT_IS_PARTY', { title: '招标人（采购人）或其代理机构不能对本项目投诉' });
  }
  if (input.complainantKind === 'interested-party') {
    if (law === 'gp') {
      throw new RuleViolation('GP_COMPLAINANT_MUST_CHALLENGE', {
        title: '政府采购投诉由提出质疑的供应商提起',
        detail: '政府采购项目的投诉人应当是已依法提出质疑的供应商。',
        citation: `${CITATIONS.gpConditions}；${CITATIONS.gpChallengeWho}`,
      });
    }
    if (!input.interest) {
      throw new InvalidInput('INTEREST_REQUIRED', {
        title: '请说明与本项目的利害关系',
        detail:
          '其他利害关系人是投标人以外的，与招标项目或者招标活动有直接或者间接利益关系的法人、其他组织和自然人。',
        citation: CITATIONS.worksWho,
        extensions: { field: 'interest' },
      });
    }
    return;
  }
  if (!(await tookPart(ctx, lot.id, organizationId))) {
    throw new RuleViolation('COMPLAINANT_NOT_BIDDER', {
      title: '本单位不是该标段（包）的投标人（供应商）',
      detail:
        '本单位未获取该标段（包）的招标（采购）文件，也没有投标。与项目有利害关系的，请以“其他利害关系人”身份投诉并说明利害关系。',
      citation: law === 'works' ? CITATIONS.worksWho : CITATIONS.gpChallengeWho,
    });
  }
}

/** 投诉书 signed by an authorised representative carries the 授权委托书 (11号令第十条; 94号令第八条). */
function checkSignature(law: ComplaintLaw, capacity: string, materials: readonly MaterialInput[]): void {
  if (capacity !== 'authorised-agent') return;
  if (materials.some((m) => m.kind === 'power-of-attorney')) return;
  throw new InvalidInput('POWER_OF_ATTORNEY_REQUIRED', {
    title: '授权代表签署的，应当提交授权委托书',
    detail: '授权委托书应当载明代理人的姓名、代理事项、具体权限、期限和相关事项。',
    citation: law === 'works' ? CITATIONS.worksAgent : CITATIONS.gpAgent,
    extensions: { field: 'materials' },
  });
}

/** Loads a complaint the actor filed (its organisation's), or NotFound. */
async function requireOwnComplaint(ctx: ComplaintsContext, complaintId: string) {
  const actor = requireResponder(ctx.actor);
  const row = await store.findComplaint(ctx.db, complaintId);
  if (!row || row.complainant_organization_id !== actor.organizationId) {
    throw new NotFound('COMPLAINT_NOT_FOUND', { title: '投诉不存在' });
  }
  return { actor, row };
}

/**
 * 补正 (政府采购, 94号令第二十一条): the complainant corrects within the period the notice set; the clock that
 * stood still during the 补正 runs again, its days added to the review, copies and decision periods.
 */
export async function submitCorrection(ctx: ComplaintsContext, complaintId: string, input: CorrectionInput) {
  const { actor, row } = await requireOwnComplaint(ctx, complaintId);
  assertCan(row.status, 'correct');
  const now = ctx.clock.now();
  if (row.correction_due_at && now.getTime() > row.correction_due_at.getTime()) {
    throw new RuleViolation('CORRECTION_OVERDUE', {
      title: '已超过补正期限',
      detail: `补正期限为 ${formatShanghaiTime(row.correction_due_at)}。投诉人未按期补正的，不予受理。`,
      citation: CITATIONS.gpReview,
    });
  }
  const materials = await resolveMaterials(ctx.db, input.materials);
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockComplaint(tx, complaintId);
    if (!current) throw new NotFound('COMPLAINT_NOT_FOUND', { title: '投诉不存在' });
    assertCan(current.status, 'correct');
    const excluded = await endOpenPause(tx, current.id, now, actor.accountId);
    const total = current.excluded_working_days + excluded;
    const updated = await store.updateComplaint(tx, current.id, {
      status: 'received',
      corrected_at: now,
      correction_text: input.text,
      correction_materials: JSON.stringify(materials),
      excluded_working_days: total,
      acceptance_due_at: acceptanceDueAt(current.law, current.received_at, total),
      copies_due_at: afterWorkingDays(current.received_at, GP_COPIES_WORKING_DAYS + total),
      decision_due_at: decisionDueAt(
        current.law,
        { receivedAt: current.received_at, acceptedAt: null },
        total,
      ),
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, current.id, 'complaint.corrected', {
      excludedWorkingDays: excluded,
      materials: materials.map((m) => ({ sha256: m.sha256, sm3: m.sm3 })),
      acceptanceDueAt: updated.acceptance_due_at.toISOString(),
      decisionDueAt: updated.decision_due_at?.toISOString() ?? null,
      citation: CITATIONS.gpReview,
    });
    await scheduleDeadlineChecks(tx, updated, now);
    return toComplaintView(tx, updated, 'complainant', now);
  });
}

/** Ends the complaint's open pause (if any) and returns the working days it took out of the clock. */
export async function endOpenPause(
  tx: Tx,
  complaintId: string,
  at: Date,
  by: string | null,
): Promise<number> {
  const open = await store.findOpenPause(tx, complaintId);
  if (!open) return 0;
  const excluded = pausedWorkingDays(open.started_at, at);
  await store.endPause(tx, open.id, { endedAt: at, excluded, by });
  return excluded;
}

/** Ends the lot's suspension if this complaint ordered it and it is still in force (the handling closed). */
export async function liftOwnSuspension(ctx: ComplaintsContext, tx: Tx, row: store.ComplaintRow, at: Date) {
  const s = await suspensionInForce(tx, row.lot_id, at);
  if (!s || s.cause !== suspensionCause(row.id)) return false;
  await resumeLot(tx, at, ctx.origin, { lotId: row.lot_id, cause: suspensionCause(row.id) });
  await witness(tx, at, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.procedure-resumed', {
    lotId: row.lot_id,
    suspensionId: s.id,
    reason: 'closed',
  });
  return true;
}

/**
 * 撤回投诉 (in writing, with reasons). Before acceptance it ends the case. After acceptance: 工程 — a request
 * the department grants or refuses (11号令第十八条: refused when a violation is already established, and the
 * investigation goes on); 政府采购 — the handling is terminated (94号令第三十条; 实施条例第五十七条).
 */
export async function withdrawComplaint(ctx: ComplaintsContext, complaintId: string, reason: string) {
  const { row } = await requireOwnComplaint(ctx, complaintId);
  assertCan(row.status, 'withdraw');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockComplaint(tx, complaintId);
    if (!current) throw new NotFound('COMPLAINT_NOT_FOUND', { title: '投诉不存在' });
    assertCan(current.status, 'withdraw');
    const accepted = current.status === 'accepted' || current.status === 'paused';
    if (accepted && current.law === 'works') {
      if (current.withdrawal_requested_at && current.withdrawal_decision === null) {
        throw new RuleViolation('WITHDRAWAL_PENDING', { title: '撤回申请正在审查中' });
      }
      const updated = await store.updateComplaint(tx, current.id, {
        withdrawal_requested_at: now,
        withdrawal_reason: reason,
        withdrawal_decision: null,
        withdrawal_decided_at: null,
        withdrawal_refusal_reason: null,
        updated_at: now,
      });
      await witness(
        tx,
        now,
        ctx.origin,
        COMPLAINT_WITNESS_TYPE,
        current.id,
        'complaint.withdrawal-requested',
        {
          reason,
          citation: CITATIONS.worksWithdrawal,
        },
      );
      return toComplaintView(tx, updated, 'complainant', now);
    }
    await endOpenPause(tx, current.id, now, null);
    const terminated = accepted && current.law === 'gp';
    const updated = await store.updateComplaint(tx, current.id, {
      status: terminated ? 'terminated' : 'withdrawn',
      withdrawal_requested_at: now,
      withdrawal_reason: reason,
      withdrawal_decision: 'granted',
      withdrawal_decided_at: now,
      closed_at: now,
      updated_at: now,
    });
    const lifted = await liftOwnSuspension(ctx, tx, updated, now);
    await witness(
      tx,
      now,
      ctx.origin,
      COMPLAINT_WITNESS_TYPE,
      current.id,
      terminated ? 'complaint.terminated' : 'complaint.withdrawn',
      { reason, procedureResumed: lifted, citation: terminated ? CITATIONS.gpTermination : null },
    );
    await deliver(tx, updated, {
      kind: terminated ? 'termination' : 'withdrawal-granted',
      to: updated.copies_sent_at || lifted ? ['complainant', 'respondents', 'related'] : ['complainant'],
      body: terminated
        ? `投诉人于 ${formatShanghaiTime(now)} 书面申请撤回投诉（理由：${reason}），${updated.department}终止投诉处理程序（${CITATIONS.gpTermination}）。${lifted ? '暂停的采购活动同时恢复。' : ''}`
        : `投诉人于 ${formatShanghaiTime(now)} 书面撤回投诉（理由：${reason}），本案办结。${lifted ? '暂停的招标投标（采购）活动同时恢复。' : ''}`,
      at: now,
      by: null,
    });
    return toComplaintView(tx, updated, 'complainant', now);
  });
}
