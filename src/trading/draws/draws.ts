import { randomBytes, randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { AppError, InvalidInput, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import {
  createCheckpoint,
  SYSTEM_ORIGIN,
  sequenceWitnessEvents,
  type WitnessOrigin,
} from '../../platform/witness/index.ts';
import {
  CITATIONS,
  type DrawsContext,
  type DrawsDeps,
  RECHECK_JOB,
  REVEAL_JOB,
  ROUND_JOB,
  SMS_JOB,
  SUPPLEMENTARY_JOB,
  type Tx,
  WINDOW_END_JOB,
  WITNESS,
  witness,
} from './context.ts';
import {
  assertMayActForLot,
  findEntityOfOrganization,
  findLot,
  getExpertsForDraw,
  getLotTimeline,
  isKnownRegion,
  isKnownSpecialty,
  listDrawCandidates,
} from './deps.ts';
import { type EligibleResult, eligibleList } from './eligibility.ts';
import { assertRequesterOf, drawNotFound, requireSignedIn } from './policy.ts';
import { codeTags, expertRefOf } from './refs.ts';
import {
  type EligibleEntry,
  type GroupNeed,
  listJson,
  ReplayError,
  replayDraw,
  SEED_BYTES,
  seedCommitment,
} from './replay.ts';
import { DEFAULT_RULE, regionChain, ruleCitation } from './rules.ts';
import type { DrawRequestInput } from './schemas.ts';
import * as store from './store.ts';
import type {
  AvoidReasonCode,
  DrawGroup,
  DrawShortfall,
  DrawVenue,
  SealedAssignee,
  SupplementaryReason,
} from './tables.ts';

const MINUTE = 60_000;

/** 回避原因 names (数据规范 9547). */
export const AVOID_REASON_NAMES_ZH: Record<AvoidReasonCode, string> = {
  '1': '投标单位',
  '2': '招标单位',
  '3': '主管部门',
  '4': '招标代理机构',
  '9': '其他',
};

/** Body members that would name experts (指定专家): refused, never stripped. */
const DESIGNATION_KEYS =
  /^(experts?|expert_?ids?|expert_?codes?|expert_?names?|designated.*|designation.*|preferred.*|assigned.*|members?)$/i;

function findDesignation(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findDesignation(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      if (DESIGNATION_KEYS.test(key)) return path ? `${path}.${key}` : key;
      const found = findDesignation(member, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** 指定专家 is forbidden: a request naming experts in any member is refused whole. */
export function assertNoDesignation(body: unknown): void {
  const where = findDesignation(body, '');
  if (where) {
    throw new RuleViolation('DRAW_DESIGNATION_FORBIDDEN', {
      title: '不得指定评标专家',
      detail: `抽取申请含有指定专家的内容（${where}）。评标专家只能从专家库中随机抽取，任何单位和个人不得以明示、暗示等任何方式指定或者变相指定。`,
      citation: CITATIONS.designation,
      extensions: { field: where },
    });
  }
}

function invalid(code: string, title: string, detail: string, field?: string): InvalidInput {
  return new InvalidInput(code, { title, detail, ...(field ? { extensions: { field } } : {}) });
}

function validateRequest(input: DrawRequestInput, now: Date): { startsAt: Date; endsAt: Date } {
  const startsAt = new Date(input.evaluationStartsAt);
  const endsAt = new Date(startsAt.getTime() + input.durationMinutes * MINUTE);
  if (startsAt.getTime() - input.confirmWindowMinutes * MINUTE <= now.getTime()) {
    throw new RuleViolation('DRAW_TOO_LATE', {
      title: '评标开始时间过近',
      detail: `评标开始时间 ${formatShanghaiTime(startsAt)} 距现在不足专家确认时限（${input.confirmWindowMinutes} 分钟），专家来不及确认。`,
    });
  }
  const hosts = input.venues.filter((v) => v.role === 'host');
  if (hosts.length !== 1) {
    throw invalid('DRAW_HOST_VENUE', '须有且只有一个主场', '远程异地评标设一个主场，其余为副场。', 'venues');
  }
  input.venues.forEach((v, i) => {
    if (!isKnownRegion(v.regionCode)) {
      throw invalid(
        'DRAW_REGION_UNKNOWN',
        '行政区划代码不存在',
        `第 ${i + 1} 个评标场地的行政区划代码 ${v.regionCode} 不存在。`,
        `venues[${i}].regionCode`,
      );
    }
  });
  const seatsUsed = new Map<number, number>();
  input.groups.forEach((g, i) => {
    if (!isKnownSpecialty(g.specialtyCode)) {
      throw invalid(
        'DRAW_SPECIALTY_UNKNOWN',
        '评标专业代码不存在',
        `第 ${i + 1} 组的专业代码 ${g.specialtyCode} 不在《公共资源交易评标专家专业分类标准》中。`,
        `groups[${i}].specialtyCode`,
      );
    }
    if (g.venueIndex >= input.venues.length) {
      throw invalid(
        'DRAW_VENUE_UNKNOWN',
        '评标场地不存在',
        `第 ${i + 1} 组指向第 ${g.venueIndex + 1} 个场地，但只有 ${input.venues.length} 个场地。`,
        `groups[${i}].venueIndex`,
      );
    }
    seatsUsed.set(g.venueIndex, (seatsUsed.get(g.venueIndex) ?? 0) + g.count);
  });
  for (const [index, used] of seatsUsed) {
    const venue = input.venues[index]!;
    if (used > venue.seats) {
      throw invalid(
        'DRAW_SEATS_TOO_FEW',
        '评标场地席位不足',
        `场地“${venue.name}”有 ${venue.seats} 个席位，分配到该场地的专家共 ${used} 名。`,
        `venues[${index}].seats`,
      );
    }
  }
  input.exclusions.forEach((e, i) => {
    const reasonCode = (e as { reasonCode?: unknown }).reasonCode;
    if (!reasonCode || !e.reasonText?.trim()) {
      throw new InvalidInput('DRAW_EXCLUSION_REASON_REQUIRED', {
        title: '回避单位须写明回避原因',
        detail: `回避单位“${e.name}”未写明回避原因（原因代码及说明）。`,
        citation: CITATIONS.avoidCodes,
        extensions: { field: `exclusions[${i}].reasonText` },
      });
    }
  });
  return { startsAt, endsAt };
}

/**
 * 专家抽取申请: the initiator or its authorised agency asks for a draw. The platform adds the initiator (2),
 * the agency (4) and the regulator (3) to the 回避 list itself; the lot's bidders (1) are added at each
 * round, sealed. Nothing is drawn yet.
 */
export async function requestDraw(ctx: DrawsContext, lotId: string, input: DrawRequestInput) {
  const actor = requireSignedIn(ctx.actor);
  // The parsed body keeps unknown members (a loose schema), so a designation is seen here.
  assertNoDesignation(input);
  const now = ctx.clock.now();
  const lot = await assertMayActForLot(ctx.db, actor, lotId, now);
  const timeline = await getLotTimeline(ctx.db, lotId);
  const { startsAt, endsAt } = validateRequest(input, now);
  const active = (await store.listDrawsOfLot(ctx.db, lotId)).find((d) => d.status !== 'cancelled');
  if (active) {
    throw new RuleViolation('DRAW_ALREADY_ACTIVE', {
      title: '本标段已有专家抽取',
      detail: '本标段（包）已有一次未取消的专家抽取；如需重新抽取，请先取消原抽取。',
    });
  }
  const host = input.venues.find((v) => v.role === 'host')!;
  const rule = (await store.findDrawRule(ctx.db, regionChain(host.regionCode))) ?? null;
  const initiator = await findEntityOfOrganization(ctx.db, lot.initiatorOrganizationId);
  const agency = lot.agencyOrganizationId
    ? await findEntityOfOrganization(ctx.db, lot.agencyOrganizationId)
    : undefined;
  const exclusions: Omit<store.ExclusionRow, 'draw_id' | 'seq'>[] = [
    ...input.exclusions.map((e) => ({
      source: 'requester' as const,
      reason_code: (e as { reasonCode: AvoidReasonCode }).reasonCode,
      reason_text: e.reasonText!.trim(),
      name: e.name,
      credit_code: e.creditCode?.trim().toUpperCase() || null,
      organization_id: null,
    })),
    {
      source: 'automatic',
      reason_code: '2',
      reason_text: '招标人（采购人）',
      name: initiator?.name ?? '招标人',
      credit_code: initiator?.creditCode ?? null,
      organization_id: lot.initiatorOrganizationId,
    },
    ...(lot.agencyOrganizationId
      ? [
          {
            source: 'automatic' as const,
            reason_code: '4' as const,
            reason_text: '受托招标代理机构',
            name: agency?.name ?? '招标代理机构',
            credit_code: agency?.creditCode ?? null,
            organization_id: lot.agencyOrganizationId,
          },
        ]
      : []),
    {
      source: 'automatic',
      reason_code: '3',
      reason_text: '本项目行政监督部门（其工作人员不得担任评标委员会成员）',
      name: lot.regulator,
      credit_code: null,
      organization_id: null,
    },
  ];
  const id = randomUUID();
  const party = actor.organizationId === lot.initiatorOrganizationId ? 'initiator' : 'agency';
  const venues: DrawVenue[] = input.venues.map((v) => ({
    role: v.role,
    regionCode: v.regionCode,
    roomId: v.roomId ?? null,
    name: v.name,
    seats: v.seats,
  }));
  const groups: DrawGroup[] = input.groups.map((g) => ({
    specialtyCode: g.specialtyCode,
    count: g.count,
    venueIndex: g.venueIndex,
  }));
  await ctx.db.transaction().execute(async (tx) => {
    await store.insertDraw(
      tx,
      {
        id,
        lot_id: lot.id,
        project_id: lot.projectId,
        initiator_organization_id: lot.initiatorOrganizationId,
        agency_organization_id: lot.agencyOrganizationId,
        requested_by: actor.accountId,
        requester_organization_id: actor.organizationId,
        requester_party: party,
        evaluation_starts_at: startsAt,
        evaluation_ends_at: endsAt,
        duration_minutes: input.durationMinutes,
        confirm_window_minutes: input.confirmWindowMinutes,
        venues: JSON.stringify(venues),
        groups: JSON.stringify(groups),
        regulator_name: lot.regulator,
        frequency_max: rule?.frequency_max ?? DEFAULT_RULE.frequencyMax,
        same_initiator_days: rule?.same_initiator_days ?? DEFAULT_RULE.sameInitiatorDays,
        status: 'requested',
        shortfall: JSON.stringify(null),
        revealed_at: null,
        cancelled_at: null,
        cancel_reason: null,
        created_at: now,
        updated_at: now,
      },
      exclusions.map((e, seq) => ({ ...e, draw_id: id, seq })),
    );
    await witness(tx, now, ctx.origin, WITNESS.draw, id, 'expert-draw.requested', {
      lotId: lot.id,
      evaluationStartsAt: startsAt,
      durationMinutes: input.durationMinutes,
      confirmWindowMinutes: input.confirmWindowMinutes,
      venues,
      groups,
      exclusions: exclusions.map((e) => ({
        source: e.source,
        reasonCode: e.reason_code,
        reasonText: e.reason_text,
        name: e.name,
        creditCode: e.credit_code,
      })),
      bidders: 'sealed',
      rules: {
        frequencyMax: rule?.frequency_max ?? DEFAULT_RULE.frequencyMax,
        sameInitiatorDays: rule?.same_initiator_days ?? DEFAULT_RULE.sameInitiatorDays,
      },
    });
    // Bids arriving after a round is drawn: the serving experts are checked against them at the deadline.
    if (timeline && timeline.bidDeadline.getTime() > now.getTime() && timeline.bidDeadline < startsAt) {
      await enqueueJob(tx, {
        type: RECHECK_JOB,
        payload: { drawId: id },
        runAt: timeline.bidDeadline,
        dedupeKey: `${RECHECK_JOB}:${id}`,
      });
    }
    // 揭晓 at the evaluation's start, whatever happens in between (a cancelled draw is not revealed).
    await enqueueJob(tx, {
      type: REVEAL_JOB,
      payload: { drawId: id },
      runAt: startsAt,
      dedupeKey: `${REVEAL_JOB}:${id}`,
    });
  });
  return { id };
}

// ------------------------------------------------------------------------------------ drawing

export class NotEnoughExperts extends AppError {
  constructor(shortfall: Omit<DrawShortfall, 'at' | 'round'>) {
    super(422, 'DRAW_NOT_ENOUGH_EXPERTS', {
      title: '符合条件的专家人数不足',
      detail: `第 ${shortfall.groupIndex + 1} 组（专业 ${shortfall.specialtyCode}）需要 ${shortfall.needed} 名专家，在“${shortfall.ruleNameZh}”规则之后仅剩 ${shortfall.available} 名，未抽取任何专家。`,
      citation: ruleCitation(shortfall.rule) || CITATIONS.random,
      extensions: {
        groupIndex: shortfall.groupIndex,
        specialtyCode: shortfall.specialtyCode,
        rule: shortfall.rule,
        needed: shortfall.needed,
        available: shortfall.available,
        funnel: shortfall.funnel,
      },
    });
  }
}

function systemContext(deps: DrawsDeps): DrawsContext {
  return { db: deps.db, clock: deps.clock, actor: null, origin: SYSTEM_ORIGIN, deps };
}

export interface DrawRunResult {
  drawId: string;
  round: number;
  status: 'drawn';
  assignments: number;
}

/**
 * 随机抽取 (the first round): eligible list → commitment (witnessed) → the first signed checkpoint containing
 * the commitment → replay → sealed assignments and notices, in that order. `ctx.actor` null = the platform
 * (the benchmark); otherwise the requester. Not enough experts → 422, nothing drawn, the attempt witnessed.
 */
export async function runDraw(ctxOrDeps: DrawsContext | DrawsDeps, drawId: string): Promise<DrawRunResult> {
  const ctx = 'deps' in ctxOrDeps ? ctxOrDeps : systemContext(ctxOrDeps);
  const draw = ctx.actor ? await assertRequesterOf(ctx, drawId) : await store.findDraw(ctx.db, drawId);
  if (!draw) throw drawNotFound();
  const now = ctx.clock.now();
  const rounds = await store.listRounds(ctx.db, drawId);
  const first = rounds.find((r) => r.round === 1);
  if (first?.status === 'committed') return completeRound(ctx.deps, drawId, 1);
  if (draw.status !== 'requested' || first) {
    throw new RuleViolation('DRAW_NOT_REQUESTED', {
      title: draw.status === 'cancelled' ? '专家抽取已取消' : '专家抽取已执行',
      detail: '只有待抽取的申请可以执行抽取。',
    });
  }
  if (now.getTime() >= draw.evaluation_starts_at.getTime()) {
    throw new RuleViolation('DRAW_TOO_LATE', {
      title: '评标已开始',
      detail: `评标开始时间 ${formatShanghaiTime(draw.evaluation_starts_at)} 已过，不能再抽取。`,
    });
  }
  const groups = draw.groups as DrawGroup[];
  const needs: GroupNeed[] = groups.map((g, i) => ({ g: i, count: g.count }));
  const exclusions = await store.listExclusions(ctx.db, drawId);
  const eligible = await eligibleList(ctx.deps, draw, exclusions, needs, new Set(), now);
  if (eligible.shortfall) {
    await recordShortfall(ctx, drawId, 1, eligible.shortfall, null);
    throw new NotEnoughExperts(eligible.shortfall);
  }
  const secrets = await commitRound(ctx, drawId, {
    round: 1,
    kind: 'initial',
    needs,
    eligible,
    reason: null,
    replaces: null,
  });
  return completeRound(ctx.deps, drawId, 1, secrets);
}

async function recordShortfall(
  ctx: DrawsContext,
  drawId: string,
  round: number,
  shortfall: NonNullable<EligibleResult['shortfall']>,
  replaces: string | null,
): Promise<void> {
  const now = ctx.clock.now();
  const full: DrawShortfall = { ...shortfall, round, at: now.toISOString() };
  await ctx.db.transaction().execute(async (tx) => {
    const draw = await store.lockDraw(tx, drawId);
    if (!draw) throw drawNotFound();
    // A failed first draw stays 待抽取 (the requester may change the request); a failed 补抽 marks 人数不足.
    await store.updateDraw(tx, drawId, {
      shortfall: JSON.stringify(full),
      updated_at: now,
      ...(replaces ? { status: 'short' as const } : {}),
    });
    await witness(
      tx,
      now,
      ctx.origin,
      WITNESS.draw,
      drawId,
      replaces ? 'expert-draw.short' : 'expert-draw.insufficient',
      {
        round,
        replacesAssignmentId: replaces,
        groupIndex: full.groupIndex,
        specialtyCode: full.specialtyCode,
        needed: full.needed,
        available: full.available,
        rule: full.rule,
        funnel: full.funnel.map((s) => ({ rule: s.rule, remaining: s.remaining })),
      },
    );
  });
}

interface CommitInput {
  round: number;
  kind: 'initial' | 'supplementary';
  needs: GroupNeed[];
  eligible: EligibleResult;
  reason: SupplementaryReason | null;
  replaces: string | null;
}

/**
 * The eligible list is stored deflated, then sealed: its canonical JSON (thousands of near-sequential
 * codes) shrinks about tenfold, and writing the round row dominated the commit's time without it.
 */
function sealList(sealer: FieldSealer, json: string, context: string): string {
  return sealer.seal(deflateRawSync(json, { level: 1 }).toString('base64'), context);
}

function openList(sealer: FieldSealer, sealed: string, context: string): string {
  return inflateRawSync(Buffer.from(sealer.open(sealed, context), 'base64')).toString('utf8');
}

/** Step 1: the seed and the list are fixed, sealed, and their commitments witnessed. */
async function commitRound(ctx: DrawsContext, drawId: string, input: CommitInput): Promise<RoundSecrets> {
  const now = ctx.clock.now();
  const seed = randomBytes(SEED_BYTES);
  const list: EligibleEntry[] = input.eligible.list;
  const commitment = seedCommitment(seed);
  // One serialisation for both: the canonical JSON is what is hashed and what is sealed.
  const json = listJson(list);
  const hash = sm3Hex(json);
  const { sealer } = ctx.deps;
  const ctxOf = (what: string) => `expert-draw-${what}:${drawId}:${input.round}`;
  await ctx.db.transaction().execute(async (tx) => {
    const draw = await store.lockDraw(tx, drawId);
    if (!draw) throw drawNotFound();
    if ((await store.lastRoundNo(tx, drawId)) !== input.round - 1) {
      throw new RuleViolation('DRAW_ROUND_CONFLICT', {
        title: '抽取正在进行',
        detail: '另一次抽取已先行提交，请刷新后查看。',
      });
    }
    if (input.kind === 'initial' && draw.status !== 'requested') {
      throw new RuleViolation('DRAW_NOT_REQUESTED', { title: '专家抽取已执行或已取消' });
    }
    const event = await witness(tx, now, SYSTEM_ORIGIN, WITNESS.draw, drawId, 'expert-draw.committed', {
      drawId,
      round: input.round,
      kind: input.kind,
      reason: input.reason,
      replacesAssignmentId: input.replaces,
      seedCommitment: commitment,
      listHash: hash,
      listSize: list.length,
      needs: input.needs,
    });
    await store.insertRound(tx, {
      draw_id: drawId,
      round: input.round,
      kind: input.kind,
      reason: input.reason,
      replaces_assignment_id: input.replaces,
      needs: JSON.stringify(input.needs),
      status: 'committed',
      seed_sealed: sealer.seal(seed.toString('hex'), ctxOf('seed')),
      list_sealed: sealList(sealer, json, ctxOf('list')),
      seed_commitment: commitment,
      list_hash: hash,
      list_size: list.length,
      funnel: JSON.stringify(input.eligible.funnel),
      bidders_sealed: sealer.seal(JSON.stringify(input.eligible.bidders), ctxOf('bidders')),
      commit_event_id: event.id,
      checkpoint_tree_size: null,
      checkpoint_root_hash: null,
      checkpoint_issued_at: null,
      selected_sealed: null,
      draw_event_id: null,
      committed_at: now,
      drawn_at: null,
    });
    if (input.replaces) {
      const replaced = await store.lockAssignment(tx, input.replaces);
      if (!replaced || replaced.replaced_by_round !== null) {
        throw new RuleViolation('DRAW_ROUND_CONFLICT', { title: '该专家已被补抽替换' });
      }
      await store.updateAssignment(tx, input.replaces, { replaced_by_round: input.round });
    }
    // Finishes the round should this process stop between the commitment and the draw.
    await enqueueJob(tx, {
      type: ROUND_JOB,
      payload: { drawId, round: input.round },
      runAt: new Date(now.getTime() + 5_000),
      dedupeKey: `${ROUND_JOB}:${drawId}:${input.round}`,
    });
  });
  return { seed, list, ids: input.eligible.ids };
}

/** What the drawing process still holds after the commit (so the draw need not open the seal again). */
interface RoundSecrets {
  seed: Buffer;
  list: EligibleEntry[];
  ids: Map<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Step 2, the public value: the first signed checkpoint whose tree contains the commit event. The log is
 * sequenced and a checkpoint signed now if none covers it yet (another instance may be sequencing: retry).
 */
export async function checkpointCovering(deps: DrawsDeps, eventId: number) {
  for (let attempt = 0; attempt < 8; attempt++) {
    let event = await store.witnessEventRow(deps.db, eventId);
    if (!event) throw new Error(`commit event ${eventId} is missing`);
    let sequencedNow = false;
    if (event.leaf_index === null) {
      await sequenceWitnessEvents(deps.db, { maxBatches: 4 });
      event = await store.witnessEventRow(deps.db, eventId);
      sequencedNow = true;
    }
    if (event?.leaf_index !== null && event?.leaf_index !== undefined) {
      const leaf = Number(event.leaf_index);
      // An event this call just put in the tree is in no checkpoint yet: sign one straight away.
      const found = sequencedNow ? undefined : await store.firstCheckpointCovering(deps.db, leaf);
      if (found) return found;
      await createCheckpoint(deps.db, deps.clock, await deps.signer());
      const made = await store.firstCheckpointCovering(deps.db, leaf);
      if (made) return made;
    }
    await sleep(20 * (attempt + 1));
  }
  throw new Error(`no checkpoint covers commit event ${eventId} yet`);
}

function openRound(deps: DrawsDeps, round: store.RoundRow) {
  const ctxOf = (what: string) => `expert-draw-${what}:${round.draw_id}:${round.round}`;
  return {
    seed: Buffer.from(deps.sealer.open(round.seed_sealed, ctxOf('seed')), 'hex'),
    list: JSON.parse(openList(deps.sealer, round.list_sealed, ctxOf('list'))) as EligibleEntry[],
    bidders: JSON.parse(deps.sealer.open(round.bidders_sealed, ctxOf('bidders'))) as unknown[],
    selected: round.selected_sealed
      ? (JSON.parse(deps.sealer.open(round.selected_sealed, ctxOf('selected'))) as {
          g: number;
          codes: string[];
        }[])
      : null,
  };
}

export { openRound };

/** Code → expert id for codes of a round, when the drawing process no longer holds them (a restart). */
async function idsOfCodes(deps: DrawsDeps, drawId: string, needs: GroupNeed[], codes: Set<string>) {
  const draw = (await store.findDraw(deps.db, drawId))!;
  const groups = draw.groups as DrawGroup[];
  const venues = draw.venues as DrawVenue[];
  const ids = new Map<string, string>();
  for (const need of needs) {
    const group = groups[need.g]!;
    const candidates = await listDrawCandidates(deps.db, {
      specialtyCode: group.specialtyCode,
      regionCode: venues[group.venueIndex]!.regionCode,
      period: { from: draw.evaluation_starts_at, to: draw.evaluation_ends_at },
      avoid: [],
      regulatorName: null,
      asOf: deps.clock.now(),
    });
    for (const c of candidates) if (codes.has(c.code)) ids.set(c.code, c.expertId);
  }
  return ids;
}

/**
 * Step 3: replay the round from its sealed seed and list and the checkpoint, and record the assignments
 * (sealed), the notices (outbox) and the jobs — idempotent: a round already drawn is returned as it is.
 */
export async function completeRound(
  deps: DrawsDeps,
  drawId: string,
  roundNo: number,
  known?: RoundSecrets,
): Promise<DrawRunResult> {
  const row = (await store.listRounds(deps.db, drawId)).find((r) => r.round === roundNo);
  if (!row) throw drawNotFound();
  const done = (n: number): DrawRunResult => ({ drawId, round: roundNo, status: 'drawn', assignments: n });
  if (row.status === 'drawn') return done((row.needs as GroupNeed[]).reduce((s, n) => s + n.count, 0));
  const checkpoint = await checkpointCovering(deps, Number(row.commit_event_id));
  // The seal is opened only when this process no longer holds the round's secrets (a restart, the job).
  const { seed, list } = known ?? openRound(deps, row);
  const needs = row.needs as GroupNeed[];
  let selection: { g: number; codes: string[] }[];
  try {
    selection = replayDraw({
      drawId,
      round: roundNo,
      seed,
      rootHash: checkpoint.root_hash,
      treeSize: Number(checkpoint.tree_size),
      list,
      needs,
    });
  } catch (error) {
    if (error instanceof ReplayError) throw new Error(`draw ${drawId} round ${roundNo}: ${error.message}`);
    throw error;
  }
  const codes = new Set(selection.flatMap((s) => s.codes));
  const ids = known?.ids ?? (await idsOfCodes(deps, drawId, needs, codes));
  const expertIds = [...codes].map((c) => {
    const id = ids.get(c);
    if (!id) throw new Error(`draw ${drawId}: expert ${c} is no longer in the pool`);
    return id;
  });
  const experts = await getExpertsForDraw(deps.db, deps.sealer, expertIds);
  const lot = await findLot(deps.db, (await store.findDraw(deps.db, drawId))!.lot_id);
  const { sealer } = deps;
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const locked = await store.lockRound(tx, drawId, roundNo);
    if (!locked || locked.status === 'drawn') return done(codes.size);
    const draw = (await store.lockDraw(tx, drawId))!;
    const venues = draw.venues as DrawVenue[];
    const groups = draw.groups as DrawGroup[];
    const cancelled = draw.status === 'cancelled';
    const start = draw.evaluation_starts_at.getTime();
    const windowEnd = now.getTime() + draw.confirm_window_minutes * MINUTE;
    // A 补抽 close to the evaluation answers by its start; during the evaluation, within the window.
    const respondBy = new Date(roundNo > 1 && now.getTime() < start ? Math.min(windowEnd, start) : windowEnd);
    const assignments: Parameters<typeof store.insertAssignments>[1] = [];
    const notices: Parameters<typeof store.insertNotifications>[1] = [];
    const flat = selection.flatMap((s) => s.codes.map((code, position) => ({ g: s.g, code, position })));
    const tags = codeTags(
      sealer,
      flat.map((f) => f.code),
    );
    flat.forEach((f, i) => {
      const expertId = ids.get(f.code)!;
      const expert = experts.get(expertId);
      const id = randomUUID();
      const sealed: SealedAssignee = {
        expertId,
        code: f.code,
        name: expert?.name ?? '',
        accountId: expert?.accountId ?? null,
      };
      assignments.push({
        id,
        draw_id: drawId,
        round: roundNo,
        group_index: f.g,
        position: f.position,
        expert_ref: expertRefOf(sealer, expertId),
        code_tag: tags[i]!,
        expert_sealed: sealer.seal(JSON.stringify(sealed), `expert-assignment:${id}`),
        initiator_organization_id: draw.initiator_organization_id,
        period_from: draw.evaluation_starts_at,
        period_to: draw.evaluation_ends_at,
        status: cancelled ? 'cancelled' : 'notified',
        respond_by: respondBy,
        responded_at: null,
        reason_sealed: null,
        replaced_by_round: null,
        created_at: now,
      });
      if (cancelled) return;
      const venue = venues[groups[f.g]!.venueIndex]!;
      const message = noticeText(
        lot?.projectName ?? '',
        lot?.name ?? '',
        draw.evaluation_starts_at,
        venue,
        respondBy,
      );
      notices.push({
        id: randomUUID(),
        assignment_id: id,
        draw_id: drawId,
        channel: 'in-app',
        recipient_sealed: null,
        message,
        status: 'sent',
        attempts: 1,
        last_error: null,
        sent_at: now,
        created_at: now,
      });
      const smsId = randomUUID();
      const phone = expert?.phone ?? null;
      notices.push({
        id: smsId,
        assignment_id: id,
        draw_id: drawId,
        channel: 'sms',
        recipient_sealed: phone ? sealer.seal(phone, `expert-notification-phone:${smsId}`) : null,
        message,
        status: !deps.smsGatewayUrl ? 'not-configured' : phone ? 'pending' : 'failed',
        attempts: 0,
        last_error: !deps.smsGatewayUrl ? '未配置短信网关' : phone ? null : '专家未登记手机号',
        sent_at: null,
        created_at: now,
      });
    });
    await store.insertAssignments(tx, assignments);
    await store.insertNotifications(tx, notices);
    const event = await witness(tx, now, SYSTEM_ORIGIN, WITNESS.draw, drawId, 'expert-draw.drawn', {
      drawId,
      round: roundNo,
      checkpoint: {
        treeSize: Number(checkpoint.tree_size),
        rootHash: Buffer.from(checkpoint.root_hash).toString('hex'),
      },
      // Who was drawn stays sealed until the reveal: only the assignment ids and their groups.
      assignments: assignments.map((a) => ({ assignmentId: a.id, groupIndex: a.group_index })),
    });
    await store.updateRound(tx, drawId, roundNo, {
      status: 'drawn',
      checkpoint_tree_size: Number(checkpoint.tree_size),
      checkpoint_root_hash: Buffer.from(checkpoint.root_hash).toString('hex'),
      checkpoint_issued_at: checkpoint.issued_at,
      selected_sealed: sealer.seal(JSON.stringify(selection), `expert-draw-selected:${drawId}:${roundNo}`),
      draw_event_id: event.id,
      drawn_at: now,
    });
    if (draw.status === 'requested') {
      await store.updateDraw(tx, drawId, {
        status: 'drawn',
        shortfall: JSON.stringify(null),
        updated_at: now,
      });
    }
    if (!cancelled) {
      await enqueueJob(tx, {
        type: WINDOW_END_JOB,
        payload: { drawId, round: roundNo },
        runAt: respondBy,
        dedupeKey: `${WINDOW_END_JOB}:${drawId}:${roundNo}`,
      });
      if (deps.smsGatewayUrl && notices.some((n) => n.status === 'pending')) {
        await enqueueJob(tx, {
          type: SMS_JOB,
          payload: { drawId },
          maxAttempts: 8,
          dedupeKey: `${SMS_JOB}:${drawId}:${roundNo}`,
        });
      }
    }
    if (draw.revealed_at) {
      // A 补抽 after the evaluation started is public at once.
      await witness(tx, now, SYSTEM_ORIGIN, WITNESS.draw, drawId, 'expert-draw.revealed', {
        drawId,
        rounds: [
          { round: roundNo, seed: seed.toString('hex'), listHash: row.list_hash, selected: selection },
        ],
      });
    }
    return done(assignments.length);
  });
}

/** The notice: the project, the lot, the time and the venue — never the bidders. */
export function noticeText(
  projectName: string,
  lotName: string,
  startsAt: Date,
  venue: DrawVenue,
  respondBy: Date,
): string {
  return `【公共资源交易平台】您已被随机抽取为“${projectName}”${lotName}的评标专家。评标时间：${formatShanghaiTime(startsAt)}；地点：${venue.name}。请于 ${formatShanghaiTime(respondBy)} 前登录平台确认是否参加；确认前请勿向任何人透露。`;
}

// --------------------------------------------------------------------------- 补抽, window, reveal

/**
 * 补抽: replaces one declined, unanswered or 回避 assignment under the same rules, as a new round with its
 * own commitment and checkpoint. Too few → the draw is 人数不足 (no silent partial committee).
 */
export async function runSupplementary(deps: DrawsDeps, drawId: string, assignmentId: string): Promise<void> {
  const ctx = systemContext(deps);
  const draw = await store.findDraw(deps.db, drawId);
  const replaced = await store.findAssignment(deps.db, assignmentId);
  if (!draw || !replaced || draw.status === 'cancelled') return;
  if (replaced.replaced_by_round !== null) return;
  if (!['declined', 'no-answer', 'conflict'].includes(replaced.status)) return;
  if (deps.clock.now().getTime() >= draw.evaluation_ends_at.getTime()) return;
  const rounds = await store.listRounds(deps.db, drawId);
  const pending = rounds.find((r) => r.status === 'committed');
  if (pending) {
    await completeRound(deps, drawId, pending.round);
    return runSupplementary(deps, drawId, assignmentId);
  }
  const drawn = new Set<string>();
  for (const a of await store.listAssignmentsOfDraw(deps.db, drawId)) {
    drawn.add(
      (JSON.parse(deps.sealer.open(a.expert_sealed, `expert-assignment:${a.id}`)) as SealedAssignee).code,
    );
  }
  const needs: GroupNeed[] = [{ g: replaced.group_index, count: 1 }];
  const exclusions = await store.listExclusions(deps.db, drawId);
  const round = (rounds.at(-1)?.round ?? 0) + 1;
  const eligible = await eligibleList(deps, draw, exclusions, needs, drawn, deps.clock.now());
  if (eligible.shortfall) {
    await recordShortfall(ctx, drawId, round, eligible.shortfall, assignmentId);
    return;
  }
  const secrets = await commitRound(ctx, drawId, {
    round,
    kind: 'supplementary',
    needs,
    eligible,
    reason: replaced.status as SupplementaryReason,
    replaces: assignmentId,
  });
  await completeRound(deps, drawId, round, secrets);
}

/** At the confirmation window's end: unanswered → 未答复, each followed by an automatic 补抽. */
export async function closeWindow(deps: DrawsDeps, drawId: string, round: number): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const draw = await store.lockDraw(tx, drawId);
    if (!draw || draw.status === 'cancelled') return 0;
    const open = (await store.listNotifiedOfRound(tx, drawId, round)).filter(
      (a) => a.respond_by.getTime() <= now.getTime(),
    );
    for (const a of open) {
      await store.updateAssignment(tx, a.id, { status: 'no-answer', responded_at: null });
      await witness(tx, now, SYSTEM_ORIGIN, WITNESS.assignment, a.id, 'expert-assignment.no-answer', {
        drawId,
        round,
        groupIndex: a.group_index,
      });
      await enqueueSupplementary(tx, drawId, a.id, now);
    }
    return open.length;
  });
}

export function enqueueSupplementary(tx: Tx, drawId: string, assignmentId: string, now: Date) {
  return enqueueJob(tx, {
    type: SUPPLEMENTARY_JOB,
    payload: { drawId, assignmentId },
    runAt: now,
    dedupeKey: `${SUPPLEMENTARY_JOB}:${assignmentId}`,
  });
}

/** 揭晓 at the evaluation's start: seeds, lists and selections become public (witnessed with the seeds). */
export async function revealDraw(deps: DrawsDeps, drawId: string): Promise<boolean> {
  const now = deps.clock.now();
  const draw = await store.findDraw(deps.db, drawId);
  if (!draw || draw.revealed_at || draw.status === 'cancelled') return false;
  if (now.getTime() < draw.evaluation_starts_at.getTime()) return false;
  const rounds = (await store.listRounds(deps.db, drawId)).filter((r) => r.status === 'drawn');
  if (rounds.length === 0) return false; // nothing was drawn: nothing to reveal
  const opened = rounds.map((r) => ({ round: r, ...openRound(deps, r) }));
  return deps.db.transaction().execute(async (tx) => {
    const locked = await store.lockDraw(tx, drawId);
    if (!locked || locked.revealed_at || locked.status === 'cancelled') return false;
    await store.updateDraw(tx, drawId, { revealed_at: now, updated_at: now });
    await witness(tx, now, SYSTEM_ORIGIN, WITNESS.draw, drawId, 'expert-draw.revealed', {
      drawId,
      rounds: opened.map((o) => ({
        round: o.round.round,
        seed: o.seed.toString('hex'),
        listHash: o.round.list_hash,
        selected: o.selected,
      })),
    });
    return true;
  });
}

/** The requester cancels a draw before the evaluation starts (witnessed); its experts are released. */
export async function cancelDraw(ctx: DrawsContext, drawId: string, reason: string): Promise<void> {
  await assertRequesterOf(ctx, drawId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const draw = await store.lockDraw(tx, drawId);
    if (!draw) throw drawNotFound();
    if (draw.status === 'cancelled') {
      throw new RuleViolation('DRAW_ALREADY_CANCELLED', { title: '专家抽取已取消' });
    }
    if (now.getTime() >= draw.evaluation_starts_at.getTime()) {
      throw new RuleViolation('DRAW_CANCEL_TOO_LATE', {
        title: '评标已开始，不能取消抽取',
        detail: '评标开始后如需更换专家，应依法更换并重新随机抽取。',
        citation: CITATIONS.replacement,
      });
    }
    await store.updateDraw(tx, drawId, {
      status: 'cancelled',
      cancelled_at: now,
      cancel_reason: reason,
      updated_at: now,
    });
    const released = await store.setAssignmentsStatus(tx, drawId, ['notified', 'confirmed'], 'cancelled');
    await witness(tx, now, ctx.origin, WITNESS.draw, drawId, 'expert-draw.cancelled', {
      reason,
      releasedAssignments: released.length,
    });
  });
}

export function originWithRole(origin: WitnessOrigin, role: string): WitnessOrigin {
  return { ...origin, role };
}
