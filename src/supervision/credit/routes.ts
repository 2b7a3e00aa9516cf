import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import { checkLotParties, listChecks, listLotChecks } from './eligibility.ts';
import { getImport, importList, listImports, searchListEntries } from './imports.ts';
import type { CreditContext, CreditDb } from './policy.ts';
import {
  addRestriction,
  createRecord,
  getPublicRecord,
  getRecord,
  listMyRecords,
  listPublicList,
  listRecordsForStaff,
  revokeRecord,
  searchPublicRecords,
} from './records.ts';
import { applyForRepair, decideRepair, listRepairs } from './repair.ts';
import {
  BAN_BASES,
  EXTERNAL_LISTS,
  FAIR_COMPETITION_CITATION,
  FORBIDDEN_FACTOR_KINDS,
  RESTRICTION_KIND_NAMES_ZH,
  RESTRICTION_KINDS,
  SCORE_FACTOR_KINDS,
} from './rules.ts';
import {
  BanBasesView,
  CheckListQuery,
  CheckView,
  EntrySearchQuery,
  EntryView,
  FactorKindsView,
  IdParams,
  ImportInput,
  ImportView,
  LotParams,
  ManualCheckInput,
  Page,
  PublicListQuery,
  PublicRecordView,
  PublicSearchQuery,
  pageOf,
  RecordInput,
  RecordListQuery,
  RecordView,
  RepairApplicationInput,
  RepairDecisionInput,
  RepairListQuery,
  RepairView,
  RestrictionInput,
  RevokeInput,
  ScoreRuleInput,
  ScoreRuleView,
  ScoreView,
  SubjectQuery,
} from './schemas.ts';
import { computeScore, createScoreRule, listScoreRules } from './score.ts';

export interface CreditRouteDeps {
  db: Kysely<CreditDb>;
  clock: Clock;
}

const TAGS = ['信用管理'];
const PUBLIC_TAGS = ['信用信息公示'];
const SUPERVISOR = { roles: ['supervisor'] } as const;
const STAFF = { roles: ['supervisor', 'operator'] } as const;
const LOT_READERS = { roles: ['initiator', 'agency', 'supervisor', 'operator'] } as const;

/** 信用管理 (§43): records, restrictions, repair, external lists, checks and scores; the public 信用信息. */
export function registerCreditRoutes(app: HttpServer, deps: CreditRouteDeps): void {
  const ctx = (req: FastifyRequest): CreditContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  // ---- the portal (public) ----

  app.get(
    '/api/credit/lists/dishonest',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '失信名单：公示期内的违法、失信记录（可按名称或统一社会信用代码检索）',
        querystring: PublicListQuery,
        response: { 200: pageOf(PublicRecordView) },
      },
      config: { policy: 'public' },
    },
    async (req) => listPublicList(deps, 'dishonest', req.query),
  );

  app.get(
    '/api/credit/lists/honest',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '守信名单：公示期内的表彰奖励记录',
        querystring: PublicListQuery,
        response: { 200: pageOf(PublicRecordView) },
      },
      config: { policy: 'public' },
    },
    async (req) => listPublicList(deps, 'honest', req.query),
  );

  app.get(
    '/api/credit/search',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '信用信息查询：按名称或代码查询，含公示期满转入后台保存的记录（已修复、已撤销的不再显示）',
        querystring: PublicSearchQuery,
        response: { 200: pageOf(PublicRecordView) },
      },
      config: { policy: 'public' },
    },
    async (req) => searchPublicRecords(deps, req.query),
  );

  app.get(
    '/api/credit/public-records/:id',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '信用信息详情',
        params: IdParams,
        response: { 200: PublicRecordView },
      },
      config: { policy: 'public' },
    },
    async (req) => getPublicRecord(deps, req.params.id),
  );

  // ---- records (supervisor; the trading centre reads) ----

  app.get(
    '/api/credit/reference',
    {
      schema: {
        tags: TAGS,
        summary: '限制措施依据（法定禁止期限）、限制内容与外部名单种类',
        response: { 200: BanBasesView },
      },
      config: { policy: 'authenticated' },
    },
    async () => ({
      items: BAN_BASES.map((b) => ({ ...b, restrictionName: RESTRICTION_KIND_NAMES_ZH[b.restriction] })),
      restrictionKinds: RESTRICTION_KINDS.map((kind) => ({ kind, name: RESTRICTION_KIND_NAMES_ZH[kind] })),
      listKinds: EXTERNAL_LISTS.map((l) => ({ kind: l.kind, name: l.name })),
    }),
  );

  app.get(
    '/api/credit/records',
    {
      schema: {
        tags: TAGS,
        summary: '信用记录（行政监督部门看本部门监管范围内的；交易中心只读全部）',
        querystring: RecordListQuery,
        response: { 200: pageOf(RecordView) },
      },
      config: { policy: STAFF },
    },
    async (req) => listRecordsForStaff(ctx(req), req.query),
  );

  app.post(
    '/api/credit/records',
    {
      schema: {
        tags: TAGS,
        summary: '登记信用记录（违法、失信记录须载明法律依据、处理决定、决定机关、文号和日期）',
        body: RecordInput,
        response: { 201: RecordView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req, reply) => reply.status(201).send(await createRecord(ctx(req), req.body)),
  );

  app.get(
    '/api/credit/my-records',
    {
      schema: {
        tags: TAGS,
        summary: '本单位的信用记录（可据此申请信用修复）',
        response: { 200: z.object({ items: z.array(RecordView) }) },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => ({ items: await listMyRecords(ctx(req)) }),
  );

  app.get(
    '/api/credit/records/:id',
    {
      schema: { tags: TAGS, summary: '信用记录详情', params: IdParams, response: { 200: RecordView } },
      config: { policy: 'authenticated' },
    },
    async (req) => getRecord(ctx(req), req.params.id),
  );

  app.post(
    '/api/credit/records/:id/restrictions',
    {
      schema: {
        tags: TAGS,
        summary: '为违法、失信记录增加限制措施（限制内容、范围、起止日期、法律依据）',
        params: IdParams,
        body: RestrictionInput,
        response: { 200: RecordView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => addRestriction(ctx(req), req.params.id, req.body),
  );

  app.post(
    '/api/credit/records/:id/revoke',
    {
      schema: {
        tags: TAGS,
        summary: '撤销信用记录（处理决定被撤销或纠正；停止公示并解除限制）',
        params: IdParams,
        body: RevokeInput,
        response: { 200: RecordView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => revokeRecord(ctx(req), req.params.id, req.body.reason),
  );

  // ---- credit repair (信用修复) ----

  app.post(
    '/api/credit/records/:id/repair-applications',
    {
      schema: {
        tags: TAGS,
        summary: '申请信用修复（信用主体本单位账号；行政监督部门可登记线下申请）',
        params: IdParams,
        body: RepairApplicationInput,
        response: { 201: RepairView },
      },
      config: { policy: 'authenticated' },
    },
    async (req, reply) => reply.status(201).send(await applyForRepair(ctx(req), req.params.id, req.body)),
  );

  app.get(
    '/api/credit/repair-applications',
    {
      schema: {
        tags: TAGS,
        summary: '信用修复申请',
        querystring: RepairListQuery,
        response: { 200: pageOf(RepairView) },
      },
      config: { policy: STAFF },
    },
    async (req) => listRepairs(ctx(req), req.query),
  );

  app.post(
    '/api/credit/repair-applications/:id/decide',
    {
      schema: {
        tags: TAGS,
        summary: '信用修复决定（准予修复：当日停止公示并解除限制）',
        params: IdParams,
        body: RepairDecisionInput,
        response: { 200: RepairView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => decideRepair(ctx(req), req.params.id, req.body),
  );

  // ---- external lists (外部名单导入) ----

  app.post(
    '/api/credit/imports',
    {
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags: TAGS,
        summary: '导入外部信用名单（CSV/JSON 文件内容或数据行；逐行校验，批次记录并见证）',
        body: ImportInput,
        response: { 200: ImportView, 201: ImportView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req, reply) => {
      const result = await importList(ctx(req), req.body);
      return reply.status(result.dryRun ? 200 : 201).send(result);
    },
  );

  app.get(
    '/api/credit/imports',
    {
      schema: {
        tags: TAGS,
        summary: '外部名单导入批次',
        querystring: Page,
        response: { 200: pageOf(ImportView) },
      },
      config: { policy: STAFF },
    },
    async (req) => listImports(ctx(req), req.query),
  );

  app.get(
    '/api/credit/imports/:id',
    {
      schema: {
        tags: TAGS,
        summary: '导入批次详情与名单行',
        params: IdParams,
        querystring: Page,
        response: { 200: z.object({ batch: ImportView, entries: z.array(EntryView) }) },
      },
      config: { policy: STAFF },
    },
    async (req) => getImport(ctx(req), req.params.id, req.query),
  );

  app.get(
    '/api/credit/list-entries',
    {
      schema: {
        tags: TAGS,
        summary: '在已导入的外部名单（含历史批次）中查询',
        querystring: EntrySearchQuery,
        response: { 200: z.object({ items: z.array(EntryView) }) },
      },
      config: { policy: STAFF },
    },
    async (req) => searchListEntries(ctx(req), req.query.q),
  );

  // ---- checks (信用核查记录) ----

  app.get(
    '/api/lots/:lotId/credit-checks',
    {
      schema: {
        tags: TAGS,
        summary: '标段（包）的信用核查记录（报名、投标、定标时的核查，采购文件留存）',
        params: LotParams,
        response: { 200: z.object({ items: z.array(CheckView) }) },
      },
      config: { policy: LOT_READERS },
    },
    async (req) => listLotChecks(ctx(req), req.params.lotId),
  );

  app.post(
    '/api/lots/:lotId/credit-checks',
    {
      schema: {
        tags: TAGS,
        summary: '对标段（包）的投标人（联合体全体成员）进行信用核查并留存记录',
        params: LotParams,
        body: ManualCheckInput,
        response: { 201: CheckView },
      },
      config: { policy: { roles: ['initiator', 'agency', 'supervisor'] } },
    },
    async (req, reply) => reply.status(201).send(await checkLotParties(ctx(req), req.params.lotId, req.body)),
  );

  app.get(
    '/api/credit/checks',
    {
      schema: {
        tags: TAGS,
        summary: '信用核查日志（行政监督部门看本部门监管范围内的）',
        querystring: CheckListQuery,
        response: { 200: pageOf(CheckView) },
      },
      config: { policy: STAFF },
    },
    async (req) => listChecks(ctx(req), req.query),
  );

  // ---- scores (信用评分) ----

  app.get(
    '/api/credit/score-factors',
    {
      schema: {
        tags: TAGS,
        summary: '信用评分允许与禁止的评价因素',
        response: { 200: FactorKindsView },
      },
      config: { policy: 'authenticated' },
    },
    async () => ({
      allowed: Object.entries(SCORE_FACTOR_KINDS).map(([kind, name]) => ({ kind, name })),
      forbidden: Object.entries(FORBIDDEN_FACTOR_KINDS).map(([kind, name]) => ({ kind, name })),
      citation: FAIR_COMPETITION_CITATION,
    }),
  );

  app.get(
    '/api/credit/score-rules',
    {
      schema: {
        tags: TAGS,
        summary: '信用评分规则（全部版本）',
        response: { 200: z.object({ items: z.array(ScoreRuleView) }) },
      },
      config: { policy: STAFF },
    },
    async (req) => listScoreRules(ctx(req)),
  );

  app.post(
    '/api/credit/score-rules',
    {
      schema: {
        tags: TAGS,
        summary: '发布信用评分规则新版本（不得设置地域、所有制、注册地、规模、本地纳税社保等因素）',
        body: ScoreRuleInput,
        response: { 201: ScoreRuleView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req, reply) => reply.status(201).send(await createScoreRule(ctx(req), req.body)),
  );

  app.get(
    '/api/credit/score',
    {
      schema: {
        tags: TAGS,
        summary: '信用主体的信用评分与各因素得分',
        querystring: SubjectQuery,
        response: { 200: ScoreView },
      },
      config: { policy: STAFF },
    },
    async (req) => computeScore(ctx(req), req.query),
  );
}
