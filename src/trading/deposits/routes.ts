import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf, signedRouteHooks } from '../../platform/http/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { recordTransfer, requestVirtualAccount } from './cash.ts';
import { type AcceptedFormsReader, bothForms, type DepositsContext, type DepositsDb } from './context.ts';
import { issueGuarantee, lotForIssuer, revokeGuaranteeByIssuer, verifyGuarantee } from './guarantees.ts';
import {
  authenticateInstitution,
  INSTITUTION_KIND_NAMES_ZH,
  listInstitutions,
  registerInstitution,
  requireOperator,
  setInstitutionStatus,
} from './institutions.ts';
import { bindDepositSealer, confirmInstruction, decideForfeit, listInstructions } from './refunds.ts';
import {
  AccountRequestBody,
  AccountView,
  ConfirmInstructionBody,
  ForfeitDecisionBody,
  GuaranteeIssueResult,
  GuaranteeNoParams,
  GuaranteeVerifyResult,
  IdParams,
  InstitutionLotView,
  InstitutionStatusBody,
  InstitutionView,
  InstructionView,
  LateRefundView,
  LotDepositsView,
  LotIdParams,
  MyDepositView,
  RefundView,
  RegisterInstitutionBody,
  RevokeGuaranteeBody,
  SignedGuaranteeBody,
  TransferNoticeBody,
  TransferNoticeResult,
} from './schemas.ts';
import type { InstitutionRow } from './store.ts';
import { getMyDeposit, listLateRefunds, listLotDeposits } from './views.ts';

export interface DepositRouteDeps {
  db: Kysely<DepositsDb>;
  clock: Clock;
  sealer: FieldSealer;
  /** The forms the lot's tender accepts (bids module's settings); default both. */
  acceptedForms?: AcceptedFormsReader;
  /** Real time for the signed-request window (never the scaled platform clock); default the system's. */
  realNow?: () => Date;
}

const TAGS = ['投标保证金与电子保函'];
const INSTITUTION_TAGS = ['金融机构接口（签名请求）'];
const OPERATOR = { roles: ['operator'] as const };
const MONITOR = { roles: ['operator', 'supervisor'] as const };
const RESPONDER = { roles: ['responder'] as const };
const PARTY = { roles: ['initiator', 'agency'] as const };
const LOT_READERS = { roles: ['operator', 'supervisor', 'initiator', 'agency'] as const };
const SIGNED = 'signed-request' as const;
const MAX_SIGNED_BODY = 256 * 1024;

function institutionView(row: InstitutionRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    kindNameZh: INSTITUTION_KIND_NAMES_ZH[row.kind],
    creditCode: row.credit_code,
    publicKeyPem: row.public_key_pem,
    hasCertificate: row.certificate_pem !== null,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function registerDepositRoutes(app: HttpServer, deps: DepositRouteDeps): void {
  bindDepositSealer(deps.sealer);
  const realNow = deps.realNow ?? (() => new Date());
  const ctx = (req: FastifyRequest): DepositsContext => ({
    db: deps.db,
    clock: deps.clock,
    sealer: deps.sealer,
    acceptedForms: deps.acceptedForms ?? bothForms,
    actor: req.actor,
    origin: originOf(req),
  });

  // ---- signed institution requests: the exact body bytes are kept to check the signature over them ----
  const { hooks: signed, callerOf: institutionOf } = signedRouteHooks<InstitutionRow>({
    maxBody: MAX_SIGNED_BODY,
    tooLargeDetail: '机构接口请求体不超过 256 KiB。',
    authenticate: (request) => authenticateInstitution(deps.db, request, realNow()),
  });

  app.get(
    '/api/institution/lots/:lotId',
    {
      schema: {
        tags: INSTITUTION_TAGS,
        summary: '出具保函所需的标段信息（受益人、截止时间、保证金、有效期要求）',
        params: LotIdParams,
        response: { 200: InstitutionLotView },
      },
      config: { policy: SIGNED },
      ...signed,
    },
    async (req) => lotForIssuer(ctx(req), req.params.lotId),
  );

  app.post(
    '/api/institution/transfers',
    {
      schema: {
        tags: INSTITUTION_TAGS,
        summary: '银行到账通知（虚拟子账号入账）',
        body: TransferNoticeBody,
        response: { 200: TransferNoticeResult },
      },
      config: { policy: SIGNED },
      ...signed,
    },
    async (req) => {
      const r = await recordTransfer(ctx(req), institutionOf(req), req.body);
      return {
        transferId: r.transfer.id,
        status: r.transfer.status,
        counted: r.transfer.status === 'accepted',
        returnInstructionId: r.returnInstructionId,
        replayed: r.replayed,
      };
    },
  );

  app.post(
    '/api/institution/guarantees',
    {
      schema: {
        tags: INSTITUTION_TAGS,
        summary: '出具电子保函',
        body: SignedGuaranteeBody,
        response: { 200: GuaranteeIssueResult },
      },
      config: { policy: SIGNED },
      ...signed,
    },
    async (req) => {
      const r = await issueGuarantee(ctx(req), institutionOf(req), req.body);
      return {
        guaranteeId: r.guarantee.id,
        documentSm3: r.guarantee.document_sm3,
        status: r.guarantee.status,
        replayed: r.replayed,
      };
    },
  );

  app.post(
    '/api/institution/guarantees/:guaranteeNo/revoke',
    {
      schema: {
        tags: INSTITUTION_TAGS,
        summary: '撤销本机构出具的电子保函',
        params: GuaranteeNoParams,
        body: RevokeGuaranteeBody,
        response: { 200: z.object({ guaranteeNo: z.string(), status: z.string() }) },
      },
      config: { policy: SIGNED },
      ...signed,
    },
    async (req) => {
      const row = await revokeGuaranteeByIssuer(ctx(req), institutionOf(req), {
        guaranteeNo: req.params.guaranteeNo,
        reason: req.body.reason,
      });
      return { guaranteeNo: row.guarantee_no, status: row.status };
    },
  );

  app.get(
    '/api/institution/refund-instructions',
    {
      schema: {
        tags: INSTITUTION_TAGS,
        summary: '待执行的退还/退回/释放指令（本机构）',
        response: { 200: z.object({ items: z.array(InstructionView) }) },
      },
      config: { policy: SIGNED },
      ...signed,
    },
    async (req) => ({ items: await listInstructions(ctx(req), institutionOf(req)) }),
  );

  app.post(
    '/api/institution/refund-instructions/:id/executed',
    {
      schema: {
        tags: INSTITUTION_TAGS,
        summary: '确认已执行指令',
        params: IdParams,
        body: ConfirmInstructionBody,
        response: {
          200: z.object({
            id: z.string(),
            status: z.string(),
            executedAt: z.string().nullable(),
            lateInterestYuan: z.string().nullable(),
          }),
        },
      },
      config: { policy: SIGNED },
      ...signed,
    },
    async (req) => {
      const row = await confirmInstruction(ctx(req), institutionOf(req), {
        instructionId: req.params.id,
        bankReference: req.body.bankReference,
      });
      return {
        id: row.id,
        status: row.status,
        executedAt: row.executed_at?.toISOString() ?? null,
        lateInterestYuan: row.late_interest_yuan,
      };
    },
  );

  // ---- operator: institutions and the refund monitor ----

  app.post(
    '/api/admin/deposit-institutions',
    {
      schema: {
        tags: TAGS,
        summary: '登记金融机构/担保机构（交易中心）',
        body: RegisterInstitutionBody,
        response: { 201: InstitutionView },
      },
      config: { policy: OPERATOR },
    },
    async (req, reply) =>
      reply.status(201).send(institutionView(await registerInstitution(ctx(req), req.body))),
  );

  app.get(
    '/api/admin/deposit-institutions',
    {
      schema: {
        tags: TAGS,
        summary: '已登记的金融机构/担保机构',
        response: { 200: z.object({ items: z.array(InstitutionView) }) },
      },
      config: { policy: OPERATOR },
    },
    async (req) => {
      requireOperator(req.actor);
      return { items: (await listInstitutions(deps.db)).map(institutionView) };
    },
  );

  app.post(
    '/api/admin/deposit-institutions/:id/status',
    {
      schema: {
        tags: TAGS,
        summary: '暂停或恢复机构',
        params: IdParams,
        body: InstitutionStatusBody,
        response: { 200: InstitutionView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => institutionView(await setInstitutionStatus(ctx(req), req.params.id, req.body.status)),
  );

  app.get(
    '/api/admin/deposit-refunds/late',
    {
      schema: {
        tags: TAGS,
        summary: '逾期未退还的保证金（监测）',
        response: { 200: z.object({ items: z.array(LateRefundView) }) },
      },
      config: { policy: MONITOR },
    },
    async (req) => ({ items: await listLateRefunds(ctx(req)) }),
  );

  // ---- responder: its own deposit ----

  app.get(
    '/api/lots/:lotId/my-deposit',
    {
      schema: {
        tags: TAGS,
        summary: '本单位在该标段的投标保证金',
        params: LotIdParams,
        response: { 200: MyDepositView },
      },
      config: { policy: RESPONDER },
    },
    async (req) => getMyDeposit(ctx(req), req.params.lotId),
  );

  app.post(
    '/api/lots/:lotId/my-deposit/account',
    {
      schema: {
        tags: TAGS,
        summary: '申请保证金虚拟子账号',
        params: LotIdParams,
        body: AccountRequestBody,
        response: { 200: AccountView },
      },
      config: { policy: RESPONDER },
    },
    async (req) => {
      const c = ctx(req);
      const row = await requestVirtualAccount(c, {
        lotId: req.params.lotId,
        institutionId: req.body.institutionId,
      });
      const bank = (await listInstitutions(deps.db)).find((i) => i.id === row.institution_id);
      return {
        virtualAccount: row.virtual_account,
        institutionId: row.institution_id,
        bankName: bank?.name ?? '',
        openedAt: row.created_at.toISOString(),
      };
    },
  );

  // ---- after the deadline: the lot's deposits; forfeit decisions ----

  app.get(
    '/api/lots/:lotId/deposits',
    {
      schema: {
        tags: TAGS,
        summary: '标段保证金缴纳与退还情况（投标截止后）',
        params: LotIdParams,
        response: { 200: LotDepositsView },
      },
      config: { policy: LOT_READERS },
    },
    async (req) => listLotDeposits(ctx(req), req.params.lotId),
  );

  app.post(
    '/api/deposit-refunds/:id/forfeit-decision',
    {
      schema: {
        tags: TAGS,
        summary: '确认或不同意不予退还保证金（招标人/代理机构）',
        params: IdParams,
        body: ForfeitDecisionBody,
        response: { 200: RefundView.pick({ id: true, status: true }) },
      },
      config: { policy: PARTY },
    },
    async (req) => {
      const row = await decideForfeit(ctx(req), { refundId: req.params.id, forfeit: req.body.forfeit });
      return { id: row.id, status: row.status };
    },
  );

  // ---- public ----

  app.post(
    '/api/public/guarantees/verify',
    {
      schema: {
        tags: TAGS,
        summary: '核验电子保函（持有保函者）',
        body: SignedGuaranteeBody,
        response: { 200: GuaranteeVerifyResult },
      },
      config: { policy: 'public' },
    },
    async (req) => verifyGuarantee(deps.db, req.body),
  );
}
