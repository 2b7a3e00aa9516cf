import {
  type ExpertFactoryPlatform,
  type MadeExpert,
  makeExpert,
} from '../../service/experts/test-factory.ts';
import type { BidFactoryClient, BidFactoryPlatform, LotForBidding } from '../bids/test-factory.ts';
import { readDrawnCommittee } from './committee.ts';

/**
 * Test factory: the evaluation committee's experts (评标专家) drawn for a lot through the API — a pool of
 * `experts + spare` in one region and specialty, the draw requested and run by the agency, every drawn
 * expert confirming (with the no-conflict declaration), and the clock moved to the evaluation start, when
 * the names are revealed. Use a region/specialty pair no other test of the worker's database fills.
 */
export interface CommitteeExpert {
  expertId: string;
  code: string;
  name: string;
  account: NonNullable<MadeExpert['account']>;
  session: BidFactoryClient;
  assignmentId: string;
}

export interface DrawnCommitteeResult {
  drawId: string;
  startsAt: Date;
  experts: CommitteeExpert[];
  /** Pool members not drawn (for 补抽 after a 回避). */
  spare: MadeExpert[];
}

const HOUR = 3_600_000;

function expectOk(res: { statusCode: number; body: string }, what: string) {
  if (res.statusCode !== 200 && res.statusCode !== 201)
    throw new Error(`${what}: ${res.statusCode} ${res.body}`);
}

export async function drawnCommittee(
  platform: BidFactoryPlatform & ExpertFactoryPlatform,
  lot: Pick<LotForBidding, 'lot' | 'agency'>,
  opts: {
    regionCode: string;
    specialtyCode: string;
    experts?: number;
    spare?: number;
    startsInHours?: number;
  },
): Promise<DrawnCommitteeResult> {
  const count = opts.experts ?? 5;
  const pool: MadeExpert[] = [];
  for (let i = 0; i < count + (opts.spare ?? 2); i++) {
    pool.push(
      await makeExpert(platform, { regionCode: opts.regionCode, specialtyCodes: [opts.specialtyCode] }),
    );
  }
  const startsAt = new Date(platform.clock.now().getTime() + (opts.startsInHours ?? 24) * HOUR);
  const requester = lot.agency.session;
  const created = await requester.post(`/api/lots/${lot.lot.id}/expert-draws`, {
    evaluationStartsAt: startsAt.toISOString(),
    durationMinutes: 480,
    confirmWindowMinutes: 120,
    venues: [{ role: 'host', regionCode: opts.regionCode, name: '交易中心第一评标室', seats: count + 4 }],
    groups: [{ specialtyCode: opts.specialtyCode, count, venueIndex: 0 }],
    exclusions: [],
  });
  expectOk(created, 'draw request');
  const drawId = (created.json() as { id: string }).id;
  expectOk(await requester.post(`/api/expert-draws/${drawId}/run`), 'draw run');
  await platform.jobs.runDueJobs();

  const experts: CommitteeExpert[] = [];
  const spare: MadeExpert[] = [];
  for (const made of pool) {
    const session = await platform.as(made.account!);
    const mine = await session.get('/api/my/expert-assignments');
    expectOk(mine, 'my assignments');
    const item = (mine.json() as { items: { id: string; status: string; drawId?: string }[] }).items.find(
      (a) => a.status === 'notified',
    );
    if (!item) {
      spare.push(made);
      continue;
    }
    expectOk(
      await session.post(`/api/expert-assignments/${item.id}/confirm`, { declareNoConflict: true }),
      'confirm assignment',
    );
    experts.push({
      expertId: made.expertId,
      code: made.code,
      name: '',
      account: made.account!,
      session,
      assignmentId: item.id,
    });
  }
  if (experts.length !== count) throw new Error(`drew ${experts.length} experts, wanted ${count}`);
  platform.clock.set(startsAt);
  await platform.jobs.runDueJobs();
  const committee = await readDrawnCommittee(platform, lot.lot.id);
  for (const expert of experts) {
    expert.session = await platform.as(expert.account);
    expert.name = committee?.members.find((m) => m.expertId === expert.expertId)?.name ?? '';
  }
  return { drawId, startsAt, experts, spare };
}
