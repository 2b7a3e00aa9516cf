import type { Kysely } from 'kysely';
import { sm2Sign, toBase64Url } from '../../platform/crypto/index.ts';
import type { ExpertFactoryPlatform } from '../../service/experts/test-factory.ts';
import {
  type BidderKeys,
  type BidFactoryClient,
  type BidFactoryPlatform,
  issueBidderKeys,
  type LotForBidding,
} from '../bids/test-factory.ts';
import { type CommitteeExpert, type DrawnCommitteeResult, drawnCommittee } from '../draws/test-factory.ts';
import { type OpenedLot, type OpenedLotOptions, openedLot } from '../opening/test-factory.ts';
import type { EvaluationDb } from './context.ts';
import { type EvaluationOutcome, getEvaluationOutcome } from './outcome.ts';
import { reportSigningText } from './report.ts';
import type { EvaluationPlan } from './tables.ts';

/**
 * Test factory: a lot evaluated through the API by its committee — the plan set before the deadline, the
 * opening done, experts drawn, the committee formed, every member signed in, declared and voting the first
 * expert chair, each step scored, the result aggregated, the report generated and SM2-signed by all.
 * The awards and contracts tests start from here. Use a region/specialty pair no other test fills.
 */
export type EvaluationFactoryPlatform = BidFactoryPlatform & ExpertFactoryPlatform & { db: unknown };

export interface TestMember {
  memberId: string;
  kind: 'expert' | 'initiator-representative';
  session: BidFactoryClient;
  account: { id: string; username: string };
  keys: BidderKeys | null;
}

export interface EvaluatedLot {
  opened: OpenedLot;
  committee: DrawnCommitteeResult;
  members: TestMember[];
  chair: TestMember;
  outcome: EvaluationOutcome;
}

export interface EvaluatedLotOptions extends Omit<OpenedLotOptions, 'beforeBids'> {
  regionCode: string;
  specialtyCode: string;
  experts?: number;
  /** Add the initiator's own account as its representative (招标人代表). */
  withRepresentative?: boolean;
  plan?: EvaluationPlan;
  /** Stop before the report (status 'aggregated'): `outcome` is then not available. */
  stopAt?: 'committee' | 'scored';
}

function expectOk(res: { statusCode: number; body: string }, what: string) {
  if (res.statusCode !== 200 && res.statusCode !== 201)
    throw new Error(`${what}: ${res.statusCode} ${res.body}`);
}

/** A comprehensive plan valid under both laws (price weight 40): one pass/fail item per review, two scored items. */
export function defaultPlan(law: 'works' | 'gp'): EvaluationPlan {
  return {
    method: 'comprehensive',
    criteria: [
      {
        id: 'qual-license',
        step: 'qualification',
        name: '营业执照及资质证书',
        kind: 'pass-fail',
        min: null,
        max: null,
        objective: false,
        ground: 'unqualified',
      },
      {
        id: 'pre-signed',
        step: 'preliminary',
        name: '投标文件签字盖章',
        kind: 'pass-fail',
        min: null,
        max: null,
        objective: false,
        ground: 'unsigned',
      },
      {
        id: 'tech',
        step: 'detailed',
        name: '技术方案',
        kind: 'scored',
        min: 0,
        max: 40,
        objective: false,
        ground: null,
      },
      {
        id: 'record',
        step: 'detailed',
        name: '类似业绩',
        kind: 'scored',
        min: 0,
        max: 20,
        objective: true,
        ground: null,
      },
    ],
    priceWeight: law === 'gp' ? 40 : 40,
    abnormalLowPercent: 80,
    candidateCount: 3,
  };
}

/** Scores a member gives by default: pass everything, full marks except 2 points off 技术方案 for bids after the first. */
export function fullSheet(
  plan: EvaluationPlan,
  step: string,
  bidIds: string[],
): { bidId: string; criterionId: string; passed?: boolean; score?: number; reason?: string }[] {
  const out = [];
  for (const bidId of bidIds) {
    for (const c of plan.criteria.filter((x) => x.step === step)) {
      if (c.kind === 'pass-fail') out.push({ bidId, criterionId: c.id, passed: true });
      else if (c.id === 'tech' && bidId !== bidIds[0]) {
        out.push({ bidId, criterionId: c.id, score: (c.max ?? 0) - 2, reason: '方案深度略有不足' });
      } else out.push({ bidId, criterionId: c.id, score: c.max ?? 0 });
    }
  }
  return out;
}

export async function evaluatedLot(
  platform: EvaluationFactoryPlatform,
  opts: EvaluatedLotOptions,
): Promise<EvaluatedLot> {
  const law = opts.procedureType === 'open-tender.gp' ? 'gp' : 'works';
  const plan = opts.plan ?? defaultPlan(law);
  const { regionCode, specialtyCode, experts, withRepresentative, plan: _p, stopAt, ...openOpts } = opts;
  const opened = await openedLot(platform, {
    ...openOpts,
    beforeBids: async (lot: LotForBidding) => {
      expectOk(await lot.agency.session.put(`/api/lots/${lot.lot.id}/evaluation/plan`, plan), 'set plan');
    },
  });
  const lotId = opened.lot.id;
  const expertCount = experts ?? (withRepresentative ? 4 : 5);
  const committee = await drawnCommittee(platform, opened, {
    regionCode,
    specialtyCode,
    experts: expertCount,
  });
  opened.agency.session = await platform.as(opened.agency.account);
  opened.initiator.session = await platform.as(opened.initiator.account);
  expectOk(
    await opened.agency.session.post(`/api/lots/${lotId}/evaluation/committee`, {
      representativeAccountIds: withRepresentative ? [opened.initiator.account.id] : [],
    }),
    'form committee',
  );
  const sessions: {
    session: BidFactoryClient;
    account: { id: string; username: string };
    expert: CommitteeExpert | null;
  }[] = [
    ...committee.experts.map((e) => ({ session: e.session, account: e.account, expert: e })),
    ...(withRepresentative
      ? [{ session: opened.initiator.session, account: opened.initiator.account, expert: null }]
      : []),
  ];
  const members: TestMember[] = [];
  for (const s of sessions) {
    expectOk(await s.session.post(`/api/lots/${lotId}/evaluation/sign-in`), 'sign-in');
    expectOk(
      await s.session.post(`/api/lots/${lotId}/evaluation/declaration`, { declareNoConflict: true }),
      'declare',
    );
    const view = await s.session.get(`/api/lots/${lotId}/evaluation/member`);
    expectOk(view, 'member view');
    const me = (view.json() as { me: { memberId: string; kind: TestMember['kind'] } }).me;
    members.push({
      memberId: me.memberId,
      kind: me.kind,
      session: s.session,
      account: s.account,
      keys: null,
    });
  }
  const chair = members.find((m) => m.kind === 'expert') ?? members[0]!;
  for (const m of members) {
    const voted = await m.session.post(`/api/lots/${lotId}/evaluation/chair-votes`, {
      memberId: chair.memberId,
    });
    expectOk(voted, 'vote');
    if ((voted.json() as { elected: boolean }).elected) break;
  }
  if (stopAt === 'committee') {
    return { opened, committee, members, chair, outcome: null as unknown as EvaluationOutcome };
  }
  const bidIds = opened.outcome.entries.map((e) => e.bidId);
  for (const step of ['qualification', 'preliminary', 'detailed'] as const) {
    if (!plan.criteria.some((c) => c.step === step)) continue;
    for (const m of members) {
      expectOk(
        await m.session.post(`/api/lots/${lotId}/evaluation/steps/${step}/sheet`, {
          items: fullSheet(plan, step, bidIds),
        }),
        `sheet ${step}`,
      );
    }
  }
  expectOk(await chair.session.post(`/api/lots/${lotId}/evaluation/aggregate`), 'aggregate');
  if (stopAt === 'scored') {
    return { opened, committee, members, chair, outcome: null as unknown as EvaluationOutcome };
  }
  const generated = await chair.session.post(`/api/lots/${lotId}/evaluation/report`);
  expectOk(generated, 'report');
  const { reportSm3 } = generated.json() as { reportSm3: string };
  for (const m of members) {
    m.keys = await issueBidderKeys(platform, m.account.username);
    const signature = toBase64Url(sm2Sign(m.keys.signKey, reportSigningText(lotId, reportSm3)));
    expectOk(
      await m.session.post(`/api/lots/${lotId}/evaluation/report/signatures`, {
        decision: 'sign',
        signature,
      }),
      'sign report',
    );
  }
  const outcome = await getEvaluationOutcome(platform.db as Kysely<EvaluationDb>, lotId);
  if (!outcome) throw new Error('evaluation not reported');
  return { opened, committee, members, chair, outcome };
}
