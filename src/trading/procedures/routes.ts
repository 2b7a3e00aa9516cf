import { z } from 'zod';
import { type Clock, shanghaiDateOf } from '../../platform/clock/index.ts';
import type { HttpServer } from '../../platform/http/index.ts';
import {
  getProcedure,
  PROCEDURE_STAGE_NAMES_ZH,
  PROCEDURE_TYPES,
  type ProcedureType,
  tenderLawOf,
} from './definitions.ts';
import { PROCEDURE_RULES, type ProcedureRule } from './rules.ts';
import {
  ProcedureParams,
  ProcedureView,
  SuggestQuery,
  TimelineCheckView,
  TimelineInput,
  TimelineView,
} from './schemas.ts';
import { checkTimeline, suggestTimeline, type Timeline } from './timeline.ts';

const TAGS = ['交易方式与法定时限'];
const HOUR_MS = 3_600_000;

function toRuleView(rule: ProcedureRule) {
  return {
    id: rule.id,
    kind: rule.kind,
    descriptionZh: rule.descriptionZh,
    citation: rule.citation,
    effectiveFrom: rule.effectiveFrom,
    effectiveUntil: rule.effectiveUntil ?? null,
    minimum:
      rule.kind === 'period'
        ? rule.minimum
        : rule.kind === 'clarification'
          ? rule.minimumBeforeDeadline
          : null,
  };
}

function toProcedureView(type: ProcedureType, today: string) {
  const definition = getProcedure(type);
  return {
    ...definition,
    announcementKinds: [...definition.announcementKinds],
    invitation: definition.invitation ?? null,
    stages: definition.stages.map((code) => ({ code, nameZh: PROCEDURE_STAGE_NAMES_ZH[code] })),
    rules: PROCEDURE_RULES.filter(
      (rule) =>
        rule.appliesTo.includes(type) &&
        rule.effectiveFrom <= today &&
        (rule.effectiveUntil === undefined || today < rule.effectiveUntil),
    ).map(toRuleView),
  };
}

function toTimelineView(timeline: Timeline) {
  return {
    publishedAt: timeline.publishedAt.toISOString(),
    documentsFrom: timeline.documentsFrom.toISOString(),
    documentsUntil: timeline.documentsUntil.toISOString(),
    bidDeadline: timeline.bidDeadline.toISOString(),
    openingAt: timeline.openingAt.toISOString(),
  };
}

/** Public reference: procedure types with the rules in force, and timeline checks for forms. */
export function registerProcedureRoutes(app: HttpServer, deps: { clock: Clock }): void {
  app.get(
    '/api/public/procedures',
    {
      schema: {
        tags: TAGS,
        summary: '交易方式及其法定时限规则（按当日有效的法律）',
        response: { 200: z.object({ items: z.array(ProcedureView) }) },
      },
      config: { policy: 'public' },
    },
    async () => {
      const today = shanghaiDateOf(deps.clock.now());
      return { items: PROCEDURE_TYPES.map((type) => toProcedureView(type, today)) };
    },
  );

  app.get(
    '/api/public/procedures/:type/suggested-timeline',
    {
      schema: {
        tags: TAGS,
        summary: '按法定最短期限推荐的时间安排（供填写公告时参考；不给发布时间时从下一个整点起算）',
        params: ProcedureParams,
        querystring: SuggestQuery,
        response: { 200: TimelineView },
      },
      config: { policy: 'public' },
    },
    async (req) => {
      tenderLawOf(req.params.type as ProcedureType);
      const now = deps.clock.now();
      // Without a time, from the next whole hour: a form filled now is published a little later, and a
      // timeline starting before its own publication would be out of order.
      const publishedAt = req.query.publishedAt
        ? new Date(req.query.publishedAt)
        : new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
      return toTimelineView(
        suggestTimeline(req.params.type as ProcedureType, publishedAt, shanghaiDateOf(now)),
      );
    },
  );

  app.post(
    '/api/public/procedures/:type/timeline-check',
    {
      schema: {
        tags: TAGS,
        summary: '检查时间安排是否符合法定时限（不保存任何数据）',
        params: ProcedureParams,
        body: TimelineInput,
        response: { 200: TimelineCheckView },
      },
      config: { policy: 'public' },
    },
    async (req) => {
      tenderLawOf(req.params.type as ProcedureType);
      const b = req.body;
      const violations = checkTimeline(
        req.params.type as ProcedureType,
        {
          publishedAt: new Date(b.publishedAt),
          documentsFrom: new Date(b.documentsFrom),
          documentsUntil: new Date(b.documentsUntil),
          bidDeadline: new Date(b.bidDeadline),
          openingAt: new Date(b.openingAt),
        },
        shanghaiDateOf(deps.clock.now()),
      );
      return {
        lawful: violations.length === 0,
        violations: violations.map((v) => ({
          code: v.code,
          title: v.title,
          detail: v.detail ?? null,
          citation: v.citation ?? null,
        })),
      };
    },
  );
}
