import type { FastifyRequest } from 'fastify';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import type { ContractsContext, ContractsDeps } from './context.ts';
import { draftContract, publishContract, signContract, uploadSignedContract } from './contracts.ts';
import { ContractIdParams, DraftBody, LotIdParams, SignBody, UploadBody } from './schemas.ts';
import {
  getContractById,
  getContractOfLot,
  listContractAlertsForSupervisor,
  listMyContracts,
} from './views.ts';

const TAGS = ['合同'];
const PARTIES = { roles: ['initiator', 'agency'] as const };
const SIGNERS = { roles: ['initiator', 'responder'] as const };
const ANY_PARTY = { roles: ['initiator', 'agency', 'responder'] as const };
const SUPERVISOR = { roles: ['supervisor'] as const };

export function registerContractRoutes(app: HttpServer, deps: ContractsDeps): void {
  const ctx = (req: FastifyRequest): ContractsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
    deps,
  });

  app.get(
    '/api/my/contracts',
    { schema: { tags: TAGS, summary: '本单位的合同' }, config: { policy: ANY_PARTY } },
    async (req) => ({ items: await listMyContracts(ctx(req)) }),
  );
  app.get(
    '/api/lots/:lotId/contract',
    {
      schema: {
        tags: TAGS,
        summary: '标段的合同：中标结果、草拟默认值、签署、退款、公告、提醒',
        params: LotIdParams,
      },
      config: { policy: ANY_PARTY },
    },
    async (req) => getContractOfLot(ctx(req), req.params.lotId),
  );
  app.post(
    '/api/lots/:lotId/contract',
    {
      schema: {
        tags: TAGS,
        summary: '草拟（或在签署前修改）合同：价款须等于中标价，履约保证金不超过10%',
        params: LotIdParams,
        body: DraftBody,
      },
      config: { policy: PARTIES },
    },
    async (req) => {
      await draftContract(ctx(req), req.params.lotId, req.body);
      return getContractOfLot(ctx(req), req.params.lotId);
    },
  );
  app.post(
    '/api/contracts/:contractId/sign',
    {
      schema: {
        tags: TAGS,
        summary: '在线签署合同（本单位已绑定签名证书的 SM2 签名）',
        params: ContractIdParams,
        body: SignBody,
      },
      config: { policy: SIGNERS },
    },
    async (req) => {
      await signContract(ctx(req), req.params.contractId, req.body);
      return getContractById(ctx(req), req.params.contractId);
    },
  );
  app.post(
    '/api/contracts/:contractId/signed-copy',
    {
      schema: {
        tags: TAGS,
        summary: '上传线下已签署的合同 PDF 及双方对其 SHA-256 的 SM2 签名',
        params: ContractIdParams,
        body: UploadBody,
      },
      config: { policy: { roles: ['initiator'] as const } },
    },
    async (req) => {
      await uploadSignedContract(ctx(req), req.params.contractId, req.body);
      return getContractById(ctx(req), req.params.contractId);
    },
  );
  app.post(
    '/api/contracts/:contractId/publish',
    {
      schema: {
        tags: TAGS,
        summary: '发布合同公告（政府采购：签订后2个工作日内）',
        params: ContractIdParams,
      },
      config: { policy: PARTIES },
    },
    async (req) => {
      await publishContract(ctx(req), req.params.contractId);
      return getContractById(ctx(req), req.params.contractId);
    },
  );
  app.get(
    '/api/supervision/contract-alerts',
    {
      schema: { tags: TAGS, summary: '合同预警（超期签订、逾期未签、合同公告逾期）' },
      config: { policy: SUPERVISOR },
    },
    async (req) => ({ items: await listContractAlertsForSupervisor(ctx(req)) }),
  );
}
