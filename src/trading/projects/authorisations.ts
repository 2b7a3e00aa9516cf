import { randomUUID } from 'node:crypto';
import { getBlobRecord } from '../../platform/blobs/index.ts';
import { type CalendarDate, shanghaiDateOf } from '../../platform/clock/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { findOrganizationByCreditCode } from '../../platform/identity/index.ts';
import { findEntityOfOrganization } from '../../service/entities/index.ts';
import { AGENCY_ENTITY_ROLES, assertProjectParty, projectNotFound } from './policy.ts';
import {
  loadProjectView,
  PROJECT_WITNESS_TYPE,
  type ProjectsContext,
  type ProjectView,
  witness,
} from './projects.ts';
import type { AuthorisationInput } from './schemas.ts';
import * as store from './store.ts';

const INITIATOR_ONLY = () =>
  new Forbidden('INITIATOR_ONLY', {
    title: '只有招标人（采购人）可以委托或撤销代理',
    detail: '委托代理由招标人（采购人）本单位账号办理，代理机构不能自行变更委托。',
  });

/**
 * 委托代理: the initiator authorises an accepted agency for the project, with the authorisation document,
 * its scope and validity, on record and witnessed. One agency at a time: to change it, revoke first.
 */
export async function authoriseAgency(
  ctx: ProjectsContext,
  projectId: string,
  input: AuthorisationInput,
): Promise<ProjectView> {
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const organizationId = input.agencyOrganizationId
    ? input.agencyOrganizationId
    : (await findOrganizationByCreditCode(ctx.db, (input.agencyCreditCode ?? '').toUpperCase()))?.id;
  const agency = organizationId ? await findEntityOfOrganization(ctx.db, organizationId) : undefined;
  if (agency?.status !== 'active' || !agency.roles.some((r) => AGENCY_ENTITY_ROLES.includes(r))) {
    throw new RuleViolation('AGENCY_NOT_ELIGIBLE', {
      title: '该单位不是已登记的代理机构',
      detail: '只能委托已在平台完成市场主体注册、以招标代理机构或采购代理机构角色经交易中心受理的单位。',
      citation: '《中华人民共和国招标投标法》第十三条',
    });
  }
  const validFrom = input.validFrom ?? today;
  if (input.validUntil !== null && (input.validUntil < validFrom || input.validUntil < today)) {
    throw new InvalidInput('AUTHORISATION_VALIDITY', {
      title: '委托期限无效',
      detail: '委托截止日不能早于起始日或今日。',
      extensions: { field: 'validUntil' },
    });
  }
  if (input.documentBlobId && !(await getBlobRecord(ctx.db, input.documentBlobId))) {
    throw new InvalidInput('BLOB_NOT_FOUND', {
      title: '附件不存在',
      detail: '委托文件尚未上传，请先上传文件再提交。',
      extensions: { field: 'documentBlobId' },
    });
  }

  const result = await ctx.db.transaction().execute(async (tx) => {
    const project = await store.lockProject(tx, projectId);
    if (!project) throw projectNotFound();
    const { actor, party } = await assertProjectParty(tx, ctx.actor, project, now);
    if (party !== 'initiator') throw INITIATOR_ONLY();
    const existing = await store.findActiveAuthorisation(tx, project.id);
    if (existing && existing.valid_until !== null && existing.valid_until < today) {
      await store.updateAuthorisation(tx, existing.id, { status: 'expired' });
      await witness(
        tx,
        now,
        ctx.origin,
        PROJECT_WITNESS_TYPE,
        project.id,
        'project.agency-authorisation-expired',
        {
          authorisationId: existing.id,
          validUntil: existing.valid_until,
        },
      );
    } else if (existing) {
      throw new RuleViolation('AGENCY_ALREADY_AUTHORISED', {
        title: '该项目已有委托代理机构',
        detail: `项目已委托“${existing.agency_name}”。如需更换，请先撤销现有委托。`,
      });
    }
    const row = await store.insertAuthorisation(tx, {
      id: randomUUID(),
      project_id: project.id,
      agency_organization_id: agency.organizationId,
      agency_name: agency.name,
      document_name: input.documentName,
      document_number: input.documentNumber,
      document_blob_id: input.documentBlobId,
      scope: input.scope,
      valid_from: validFrom as CalendarDate,
      valid_until: input.validUntil as CalendarDate | null,
      status: 'active',
      revoked_at: null,
      revoked_by: null,
      revoke_reason: null,
      created_by: actor.accountId,
      created_at: now,
    });
    await witness(tx, now, ctx.origin, PROJECT_WITNESS_TYPE, project.id, 'project.agency-authorised', {
      authorisationId: row.id,
      agencyOrganizationId: row.agency_organization_id,
      agencyName: row.agency_name,
      agencyCreditCode: agency.creditCode,
      documentName: row.document_name,
      documentNumber: row.document_number,
      documentBlobId: row.document_blob_id,
      scope: row.scope,
      validFrom: row.valid_from,
      validUntil: row.valid_until,
    });
    return { project, party };
  });
  return loadProjectView(ctx.db, result.project, today, result.party);
}

/** 撤销委托: from now on the agency may no longer act for the project. */
export async function revokeAuthorisation(
  ctx: ProjectsContext,
  projectId: string,
  authorisationId: string,
  input: { reason: string },
): Promise<ProjectView> {
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const result = await ctx.db.transaction().execute(async (tx) => {
    const project = await store.lockProject(tx, projectId);
    if (!project) throw projectNotFound();
    const { actor, party } = await assertProjectParty(tx, ctx.actor, project, now);
    if (party !== 'initiator') throw INITIATOR_ONLY();
    const auth = await store.findAuthorisation(tx, project.id, authorisationId);
    if (!auth) throw new NotFound('AUTHORISATION_NOT_FOUND', { title: '委托记录不存在' });
    if (auth.status !== 'active') {
      throw new RuleViolation('AUTHORISATION_NOT_ACTIVE', {
        title: '该委托已失效',
        detail: '该委托已撤销或已过期，无需再撤销。',
      });
    }
    await store.updateAuthorisation(tx, auth.id, {
      status: 'revoked',
      revoked_at: now,
      revoked_by: actor.accountId,
      revoke_reason: input.reason,
    });
    await witness(tx, now, ctx.origin, PROJECT_WITNESS_TYPE, project.id, 'project.agency-revoked', {
      authorisationId: auth.id,
      agencyOrganizationId: auth.agency_organization_id,
      reason: input.reason,
    });
    return { project, party };
  });
  return loadProjectView(ctx.db, result.project, today, result.party);
}
