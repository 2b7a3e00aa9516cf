import { randomBytes, randomUUID } from 'node:crypto';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { type AppError, Forbidden, InvalidInput, RuleViolation } from '../../platform/errors.ts';
import { findOrganizationByCreditCode } from '../../platform/identity/index.ts';
import { canonicalJson, type WitnessOrigin } from '../../platform/witness/index.ts';
import {
  CITATIONS,
  notifyOrganizations,
  type ReadDb,
  type TendersContext,
  type Tx,
  witness,
} from './context.ts';
import {
  assertMayActForLot,
  checkCreditCode,
  findEntityOfOrganization,
  getProcedure,
  type LotSummary,
  normalizeCreditCode,
  type ProcedureType,
  type Timeline,
} from './deps.ts';
import { requireSignedIn } from './policy.ts';
import * as store from './store.ts';

/**
 * 邀请招标 (招标投标法第十七条; 政府采购法第三十四条、87号令第十四条): the 投标邀请书 names at least three
 * accepted bidders/suppliers; only they obtain the documents and object to them. Whether a procedure works
 * this way, how many it must invite and under which rule is the procedures module's data
 * (`ProcedureDefinition.invitation`), never a branch on the procedure's name.
 */

/** 主体角色 an invitation may name: 投标人 (工程) and 供应商 (政府采购). */
const INVITEE_ENTITY_ROLES = new Set(['bidder', 'supplier']);

export interface Invitee {
  organizationId: string;
  organizationName: string;
  creditCode: string;
}

/** The drafted codes as stored: trimmed, upper-cased, each once, in the order given. */
export function distinctCreditCodes(codes: readonly string[]): string[] {
  return [...new Set(codes.map(normalizeCreditCode))];
}

/**
 * Resolves the 统一社会信用代码 of an invitation to accepted bidders/suppliers and lists every problem,
 * each naming the code it is about (the draft refuses the first; the check screen shows them all).
 */
export async function checkInvitees(
  db: ReadDb,
  lot: LotSummary,
  codes: readonly string[],
): Promise<{ invitees: Invitee[]; problems: AppError[] }> {
  const rule = getProcedure(lot.procedureType).invitation;
  if (!rule) return { invitees: [], problems: [] };
  const problems: AppError[] = [];
  const invitees: Invitee[] = [];
  const distinct = distinctCreditCodes(codes);
  for (const code of distinct) {
    const format = checkCreditCode(code);
    if (!format.ok) {
      problems.push(
        new InvalidInput('INVITEE_CREDIT_CODE_INVALID', {
          title: '受邀单位的统一社会信用代码有误',
          detail: `${code}：${format.message}`,
          extensions: { creditCode: code },
        }),
      );
      continue;
    }
    const organization = await findOrganizationByCreditCode(db, code);
    const entity = organization ? await findEntityOfOrganization(db, organization.id) : undefined;
    if (!organization || !entity) {
      problems.push(
        new RuleViolation('INVITEE_NOT_REGISTERED', {
          title: '受邀单位未在平台登记',
          detail: `统一社会信用代码 ${code} 不是本平台登记的市场主体。请核对代码，或请该单位先完成市场主体登记。`,
          citation: CITATIONS.responderRegistered,
          extensions: { creditCode: code },
        }),
      );
      continue;
    }
    if (entity.status !== 'active') {
      problems.push(
        new RuleViolation('INVITEE_NOT_ACCEPTED', {
          title: '受邀单位的市场主体登记未经受理',
          detail: `${entity.name}（${code}）的市场主体登记尚未经交易中心受理或已暂停，不能向其发出投标邀请书。`,
          citation: CITATIONS.responderRegistered,
          extensions: { creditCode: code },
        }),
      );
      continue;
    }
    if (!entity.roles.some((r) => INVITEE_ENTITY_ROLES.has(r))) {
      problems.push(
        new RuleViolation('INVITEE_NOT_BIDDER', {
          title: '受邀单位未登记为投标人（供应商）',
          detail: `${entity.name}（${code}）未以投标人或供应商角色登记，不能接受投标邀请。`,
          citation: rule.citation,
          extensions: { creditCode: code },
        }),
      );
      continue;
    }
    invitees.push({ organizationId: organization.id, organizationName: entity.name, creditCode: code });
  }
  if (distinct.length < rule.minimumInvitees) {
    problems.push(
      new RuleViolation('INVITEES_TOO_FEW', {
        title: `投标邀请书应向${rule.minimumInvitees}家以上单位发出`,
        detail: `目前受邀单位为${distinct.length}家（重复的代码只计一次）。`,
        citation: rule.citation,
      }),
    );
  }
  return { invitees, problems };
}

/**
 * Records the invitees of a published 投标邀请书 and tells each of them, inside the publication's
 * transaction. Each record is witnessed by a commitment only: who was invited is not for the public log.
 */
export async function issueInvitations(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  input: {
    lot: LotSummary;
    announcementId: string;
    title: string;
    body: string;
    timeline: Timeline;
    invitees: Invitee[];
  },
): Promise<void> {
  const { lot, announcementId } = input;
  for (const invitee of input.invitees) {
    const id = randomUUID();
    const nonce = randomBytes(16).toString('hex');
    const commitment = sm3Hex(
      canonicalJson({
        id,
        lotId: lot.id,
        announcementId,
        organizationId: invitee.organizationId,
        creditCode: invitee.creditCode,
        at,
        nonce,
      }),
    );
    await store.insertInvitation(tx, {
      id,
      lot_id: lot.id,
      announcement_id: announcementId,
      organization_id: invitee.organizationId,
      organization_name: invitee.organizationName,
      credit_code: invitee.creditCode,
      invited_at: at,
      nonce,
      commitment,
    });
    await witness(tx, at, origin, 'tender-invitation', id, 'tender.invitation-issued', { commitment });
  }
  const t = input.timeline;
  await notifyOrganizations(tx, at, origin, {
    lotId: lot.id,
    organizationIds: input.invitees.map((i) => i.organizationId),
    kind: 'invitation',
    title: `投标邀请书：${lot.projectName}${lot.name}`,
    body: `${input.title}\n\n${input.body}\n\n招标文件获取时间：${formatShanghaiTime(t.documentsFrom)} 至 ${formatShanghaiTime(t.documentsUntil)}；投标截止时间：${formatShanghaiTime(t.bidDeadline)}；开标时间：${formatShanghaiTime(t.openingAt)}。`,
    referenceId: announcementId,
  });
}

/**
 * For a procedure by invitation, only an invited organisation obtains the documents, reads their
 * clarifications or objects to them: anyone else is refused with the rule, and nothing is recorded.
 */
export async function assertInvited(
  db: ReadDb,
  timeline: { lot_id: string; procedure_type: string },
  organizationId: string,
): Promise<void> {
  const rule = getProcedure(timeline.procedure_type as ProcedureType).invitation;
  if (!rule) return;
  if (await store.isInvited(db, timeline.lot_id, organizationId)) return;
  throw new Forbidden('NOT_INVITED', {
    title: '本单位未受邀参加该项目',
    detail: '该标段（包）采用邀请招标，只有投标邀请书列明的单位才能获取招标文件、对招标文件提出异议。',
    citation: rule.citation,
  });
}

/** The invitees of a lot, for its initiator and agency (who named them); not who downloaded (87号令第二十八条). */
export async function listLotInvitations(ctx: TendersContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  return store.listInvitationsOfLot(ctx.db, lotId);
}

/** The lots the signed-in responder's organisation is invited to (the portal does not list them). */
export async function listMyInvitations(ctx: TendersContext, limit: number) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return [];
  return store.listInvitationsOfOrganization(ctx.db, actor.organizationId, limit);
}
