import { randomBytes, randomUUID } from 'node:crypto';
import {
  addWorkingDays,
  type CalendarDate,
  endOfShanghaiDay,
  shanghaiDateOf,
  startOfShanghaiDay,
} from '../../platform/clock/index.ts';
import { Forbidden, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import {
  createCheckpoint,
  latestCheckpoint,
  listCheckpoints,
  readWitnessLeafRow,
  SYSTEM_ORIGIN,
  sequenceWitnessEvents,
  type WitnessCheckpoint,
} from '../../platform/witness/index.ts';
import {
  CITATIONS,
  COMPLETE_ROUND_JOB,
  type InspectionsContext,
  type InspectionsDeps,
  PUBLICATION_DUE_JOB,
  type ReadDb,
  type Tx,
  WITNESS,
  witness,
} from './context.ts';
import { type GroupNeed, listHash, requireSupervisorScope, seedCommitment } from './deps.ts';
import { targetInScope } from './lists.ts';
import { assertSameDepartment, batchNotFound } from './plans.ts';
import { neededFor, orderList, RISK_LEVELS, replayRound, safeCounts } from './replay.ts';
import * as store from './store.ts';
import type {
  DrawGroupInfo,
  ExcludedTarget,
  InspectorEntry,
  ItemEntry,
  ListEntry,
  RoundSelection,
  TargetEntry,
} from './tables.ts';

const SEED_BYTES = 32;
const sealContext = (batchId: string, round: number) => `spot-check-seed:${batchId}:${round}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first signed checkpoint whose tree holds leaf `leafIndex` (tree size > leafIndex), or null. */
export async function firstCheckpointCovering(
  db: ReadDb,
  leafIndex: number,
): Promise<WitnessCheckpoint | null> {
  let best = await latestCheckpoint(db);
  if (!best || best.treeSize <= leafIndex) return null;
  for (;;) {
    const older = await listCheckpoints(db, { beforeSize: best.treeSize, limit: 50 });
    let moved = false;
    for (const c of older) {
      if (c.treeSize <= leafIndex) return best;
      best = c;
      moved = true;
    }
    if (!moved || older.length < 50) return best;
  }
}

/**
 * The public value of a round, as for the expert draw: the first signed checkpoint whose tree contains the
 * commit event. The log is sequenced and a checkpoint signed now if none covers it yet.
 */
export async function checkpointCovering(deps: InspectionsDeps, eventId: number): Promise<WitnessCheckpoint> {
  for (let attempt = 0; attempt < 8; attempt++) {
    let row = await readWitnessLeafRow(deps.db, eventId);
    if (!row) throw new Error(`commit event ${eventId} is missing`);
    let sequencedNow = false;
    if (row.leaf_index === null) {
      await sequenceWitnessEvents(deps.db, { maxBatches: 4 });
      row = await readWitnessLeafRow(deps.db, eventId);
      sequencedNow = true;
    }
    if (row && row.leaf_index !== null) {
      const leaf = Number(row.leaf_index);
      const found = sequencedNow ? null : await firstCheckpointCovering(deps.db, leaf);
      if (found) return found;
      await createCheckpoint(deps.db, deps.clock, await deps.signer());
      const made = await firstCheckpointCovering(deps.db, leaf);
      if (made) return made;
    }
    await sleep(20 * (attempt + 1));
  }
  throw new Error(`no checkpoint covers commit event ${eventId} yet`);
}

/** 00:00 (北京时间) of the same calendar date `years` earlier (29 February → 28 February). */
export function yearsBefore(now: Date, years: number): Date {
  const [y, m, d] = shanghaiDateOf(now).split('-').map(Number) as [number, number, number];
  const year = y - years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  const date = `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}` as CalendarDate;
  return startOfShanghaiDay(date);
}

/** The publication deadline: N working days after the draw (the draw day not counted). */
export function publishDueAt(drawnAt: Date, workingDays: number): Date {
  return endOfShanghaiDay(addWorkingDays(shanghaiDateOf(drawnAt), workingDays));
}

interface Prepared {
  groups: DrawGroupInfo[];
  excluded: ExcludedTarget[];
  targetList: ListEntry[];
  inspectorList: ListEntry[];
  needs: GroupNeed[];
}

/**
 * The target list of the batch: per item, its targets (kind, 交易目录 prefix, the drawing supervisor's
 * scope), one group for a flat ratio or one per risk level; targets drawn within the exclusion window
 * are left out; each group's count is ceil(population × ratio), capped at what is certainly available.
 */
async function prepare(
  ctx: InspectionsContext,
  batch: store.BatchRow,
  items: ItemEntry[],
  targets: TargetEntry[],
  inspectors: InspectorEntry[],
  scope: Parameters<typeof targetInScope>[0],
): Promise<Prepared> {
  const inScope = targets.filter((t) => targetInScope(scope, t));
  const now = ctx.clock.now();
  const since = batch.exclusion_years > 0 ? yearsBefore(now, batch.exclusion_years) : null;
  const recent = since
    ? await store.lastDrawnSince(
        ctx.db,
        inScope.map((t) => ({ kind: t.kind, entityId: t.entityId })),
        since,
        batch,
      )
    : new Map<string, { batchId: string; drawnAt: Date }>();
  const excluded: ExcludedTarget[] = [];
  const isExcluded = (t: TargetEntry) => recent.has(`${t.kind}:${t.entityId}`);
  for (const t of inScope) {
    const last = recent.get(`${t.kind}:${t.entityId}`);
    if (last) {
      excluded.push({
        code: t.code,
        name: t.name,
        lastBatchId: last.batchId,
        lastDrawnAt: last.drawnAt.toISOString(),
      });
    }
  }

  const groups: DrawGroupInfo[] = [];
  const list: ListEntry[] = [];
  for (const code of batch.item_codes) {
    const item = items.find((e) => e.code === code)!;
    const pool = inScope.filter(
      (t) =>
        t.kind === item.targetKind &&
        (item.catalogPrefix === null || (t.catalogItemCode ?? '').startsWith(item.catalogPrefix)),
    );
    const strata =
      item.ratioByRisk === null
        ? [{ riskLevel: null, ratio: item.ratioPercent ?? 0, members: pool }]
        : RISK_LEVELS.map((level) => ({
            riskLevel: level,
            ratio: item.ratioByRisk![level],
            members: pool.filter((t) => t.riskLevel === level),
          }));
    for (const s of strata) {
      const g = groups.length;
      const eligible = s.members.filter((t) => !isExcluded(t));
      for (const t of eligible) list.push({ g, c: t.code });
      groups.push({
        g,
        itemCode: item.code,
        itemName: item.name,
        itemKind: item.kind,
        riskLevel: s.riskLevel,
        ratioPercent: s.ratio,
        population: s.members.length,
        excluded: s.members.length - eligible.length,
        needed: neededFor(s.members.length, s.ratio),
        count: 0,
      });
    }
  }
  const targetList = orderList(list);
  const counts = safeCounts(
    targetList,
    groups.map((g) => ({ g: g.g, needed: g.needed })),
  );
  for (const g of groups) g.count = counts.get(g.g) ?? 0;
  const inspectorList = orderList(inspectors.map((i) => ({ g: 0, c: i.code })));
  return {
    groups,
    excluded,
    targetList,
    inspectorList,
    needs: groups.filter((g) => g.count > 0).map((g) => ({ g: g.g, count: g.count })),
  };
}

/**
 * 双随机抽取 of a batch: the lists in force are fixed, the seed committed (witnessed) before the public
 * value exists, then the targets and every target's team are drawn and the seed published. Refused for
 * another department's batch, a batch already drawn, too few inspectors, or nothing to draw.
 */
export async function drawBatch(ctx: InspectionsContext, batchId: string) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const batch = await store.findBatch(ctx.db, batchId);
  if (!batch) throw batchNotFound();
  assertSameDepartment(scope, batch.department);
  const rounds = await store.listRounds(ctx.db, batchId);
  if (rounds[0]?.status === 'committed') return completeRound(ctx.deps, batchId, 1);
  if (batch.status !== 'planned') {
    throw new RuleViolation('SPOT_CHECK_ALREADY_DRAWN', {
      title: '该批次已经抽取',
      detail: '每个批次只抽取一次；检查人员回避时仅对该检查对象补抽。',
      citation: CITATIONS.doubleRandom,
    });
  }
  const [itemsV, targetsV, inspectorsV] = await Promise.all([
    store.latestVersion(ctx.db, batch.department, 'items'),
    store.latestVersion(ctx.db, batch.department, 'targets'),
    store.latestVersion(ctx.db, batch.department, 'inspectors'),
  ]);
  const items = (itemsV?.entries ?? []) as ItemEntry[];
  const missing = batch.item_codes.filter((c) => !items.some((e) => e.code === c));
  if (!itemsV || missing.length > 0) {
    throw new RuleViolation('SPOT_CHECK_ITEM_UNKNOWN', {
      title: '抽查事项不在现行抽查事项清单中',
      detail: `现行清单中没有：${missing.join('、') || '（清单为空）'}。`,
      citation: CITATIONS.lists,
    });
  }
  if (!targetsV) {
    throw new RuleViolation('SPOT_CHECK_NO_TARGETS', {
      title: '尚未建立检查对象名录库',
      citation: CITATIONS.lists,
    });
  }
  const inspectors = (inspectorsV?.entries ?? []) as InspectorEntry[];
  if (!inspectorsV || inspectors.length < batch.inspectors_per_target) {
    throw new RuleViolation('SPOT_CHECK_INSPECTORS_TOO_FEW', {
      title: '执法检查人员不足',
      detail: `每个检查对象须由 ${batch.inspectors_per_target} 名检查人员检查，执法检查人员名录库现有 ${inspectors.length} 人。`,
      citation: CITATIONS.twoInspectors,
    });
  }
  const prepared = await prepare(ctx, batch, items, targetsV.entries as TargetEntry[], inspectors, scope);
  if (prepared.needs.length === 0) {
    throw new RuleViolation('SPOT_CHECK_NOTHING_TO_DRAW', {
      title: '没有可抽取的检查对象',
      detail: '名录库中本部门监管范围内符合所选事项的检查对象为空，或均在排除期内。',
      extensions: { groups: prepared.groups },
    });
  }

  const seed = randomBytes(SEED_BYTES);
  const commitment = seedCommitment(seed);
  const targetHash = listHash(prepared.targetList);
  const inspectorHash = listHash(prepared.inspectorList);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const locked = await store.lockBatch(tx, batchId);
    if (locked?.status !== 'planned' || (await store.lastRoundNo(tx, batchId)) !== 0) {
      throw new RuleViolation('SPOT_CHECK_ALREADY_DRAWN', { title: '该批次已经抽取或正在抽取' });
    }
    // Who started the draw; the commitment itself is the platform's.
    await witness(tx, now, ctx.origin, WITNESS.batch, batchId, 'spot-check-batch.draw-started', {
      scope: { regionPrefixes: scope.regionPrefixes, catalogPrefixes: scope.catalogPrefixes },
      groups: prepared.groups.map((g) => ({
        g: g.g,
        population: g.population,
        excluded: g.excluded,
        count: g.count,
      })),
    });
    const event = await witness(tx, now, SYSTEM_ORIGIN, WITNESS.batch, batchId, 'spot-check-draw.committed', {
      batchId,
      round: 1,
      kind: 'initial',
      targetCode: null,
      seedCommitment: commitment,
      targetListHash: targetHash,
      targetListSize: prepared.targetList.length,
      inspectorListHash: inspectorHash,
      inspectorListSize: prepared.inspectorList.length,
      needs: prepared.needs,
      inspectorsPerTarget: batch.inspectors_per_target,
      versions: { items: itemsV.id, targets: targetsV.id, inspectors: inspectorsV.id },
    });
    await store.insertRound(tx, {
      batch_id: batchId,
      round: 1,
      kind: 'initial',
      target_code: null,
      replaces_member_id: null,
      status: 'committed',
      needs: JSON.stringify(prepared.needs),
      inspectors_per_target: batch.inspectors_per_target,
      seed_sealed: ctx.deps.sealer.seal(seed.toString('hex'), sealContext(batchId, 1)),
      seed_commitment: commitment,
      seed_hex: null,
      target_list: JSON.stringify(prepared.targetList),
      target_list_hash: targetHash,
      inspector_list: JSON.stringify(prepared.inspectorList),
      inspector_list_hash: inspectorHash,
      commit_event_id: event.id,
      checkpoint_tree_size: null,
      checkpoint_root_hash: null,
      selection: JSON.stringify(null),
      committed_at: now,
      drawn_at: null,
    });
    await store.updateBatch(tx, batchId, {
      status: 'committed',
      items_version_id: itemsV.id,
      targets_version_id: targetsV.id,
      inspectors_version_id: inspectorsV.id,
      groups: JSON.stringify(prepared.groups),
      excluded: JSON.stringify(prepared.excluded),
      scope_region_prefixes: scope.regionPrefixes,
      scope_catalog_prefixes: scope.catalogPrefixes,
      drawn_by: scope.accountId,
      updated_at: now,
    });
    // Should this process stop between the commitment and the draw, the job finishes the round.
    await enqueueJob(tx, {
      type: COMPLETE_ROUND_JOB,
      payload: { batchId, round: 1 },
      runAt: new Date(now.getTime() + 5_000),
      dedupeKey: `${COMPLETE_ROUND_JOB}:${batchId}:1`,
    });
  });
  return completeRound(ctx.deps, batchId, 1, seed);
}

/**
 * Draws a committed round from its seed and the first checkpoint containing its commitment, records the
 * targets and teams and publishes the seed — idempotent (a drawn round is returned as it is).
 */
export async function completeRound(deps: InspectionsDeps, batchId: string, roundNo: number, known?: Buffer) {
  const row = await store.findRound(deps.db, batchId, roundNo);
  if (!row) throw batchNotFound();
  if (row.status !== 'committed') return { batchId, round: roundNo, status: row.status };
  const checkpoint = await checkpointCovering(deps, Number(row.commit_event_id));
  const seed = known ?? Buffer.from(deps.sealer.open(row.seed_sealed, sealContext(batchId, roundNo)), 'hex');
  const selection = replayRound({
    batchId,
    round: roundNo,
    kind: row.kind,
    targetCode: row.target_code,
    seed,
    rootHash: checkpoint.rootHash,
    treeSize: checkpoint.treeSize,
    targetList: row.target_list as ListEntry[] | null,
    inspectorList: row.inspector_list as ListEntry[],
    needs: row.needs as GroupNeed[],
    inspectorsPerTarget: row.inspectors_per_target,
  });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const batch = await store.lockBatch(tx, batchId);
    const locked = await store.lockRound(tx, batchId, roundNo);
    if (!batch || !locked || locked.status !== 'committed') return;
    const inspectors = (await store.findVersion(tx, batch.inspectors_version_id ?? ''))?.entries as
      | InspectorEntry[]
      | undefined;
    const inspectorOf = new Map((inspectors ?? []).map((i) => [i.code, i]));
    if (row.kind === 'initial') {
      await recordInitialSelection(tx, batch, selection, inspectorOf, roundNo, now);
    } else {
      const assignment = await store.findAssignmentByTarget(tx, batchId, row.target_code ?? '');
      if (!assignment) throw new Error(`batch ${batchId}: no assignment for ${row.target_code}`);
      await store.insertMembers(
        tx,
        (selection.teams[0]?.inspectors ?? []).map((code) =>
          memberRow(batch, assignment.id, code, inspectorOf, roundNo, now),
        ),
      );
    }
    await store.updateRound(tx, batchId, roundNo, {
      status: 'drawn',
      checkpoint_tree_size: checkpoint.treeSize,
      checkpoint_root_hash: Buffer.from(checkpoint.rootHash).toString('hex'),
      seed_hex: seed.toString('hex'),
      selection: JSON.stringify(selection),
      drawn_at: now,
    });
    await witness(tx, now, SYSTEM_ORIGIN, WITNESS.batch, batchId, 'spot-check-draw.drawn', {
      round: roundNo,
      kind: row.kind,
      targetCode: row.target_code,
      checkpoint: {
        treeSize: checkpoint.treeSize,
        rootHash: Buffer.from(checkpoint.rootHash).toString('hex'),
      },
      // The reveal: with the seed and the public lists anyone can replay the round.
      seed: seed.toString('hex'),
      selection,
    });
  });
  return { batchId, round: roundNo, status: 'drawn' as const };
}

function memberRow(
  batch: store.BatchRow,
  assignmentId: string,
  code: string,
  inspectorOf: Map<string, InspectorEntry>,
  round: number,
  now: Date,
) {
  const who = inspectorOf.get(code);
  if (!who) throw new Error(`batch ${batch.id}: inspector ${code} is not in the list`);
  return {
    id: randomUUID(),
    assignment_id: assignmentId,
    batch_id: batch.id,
    round,
    inspector_code: code,
    account_id: who.accountId,
    name: who.name,
    department: who.department,
    status: 'active' as const,
    recusal_reason: null,
    recused_at: null,
    created_at: now,
  };
}

async function recordInitialSelection(
  tx: Tx,
  batch: store.BatchRow,
  selection: RoundSelection,
  inspectorOf: Map<string, InspectorEntry>,
  round: number,
  now: Date,
) {
  const targets = ((await store.findVersion(tx, batch.targets_version_id ?? ''))?.entries ??
    []) as TargetEntry[];
  const targetOf = new Map(targets.map((t) => [t.code, t]));
  const groups = batch.groups as DrawGroupInfo[];
  const assignments = [];
  const members = [];
  const idOf = new Map<string, string>();
  for (const s of selection.targets ?? []) {
    for (const [position, code] of s.codes.entries()) {
      const t = targetOf.get(code);
      if (!t) throw new Error(`batch ${batch.id}: target ${code} is not in the list`);
      const id = randomUUID();
      idOf.set(code, id);
      assignments.push({
        id,
        batch_id: batch.id,
        target_code: code,
        target_kind: t.kind,
        entity_id: t.entityId,
        name: t.name,
        reference: t.reference,
        region_code: t.regionCode,
        catalog_item_code: t.catalogItemCode,
        risk_level: t.riskLevel,
        item_code: groups[s.g]?.itemCode ?? '',
        group_index: s.g,
        position,
        outcome: null,
        findings: null,
        attachments: '[]',
        recorded_by: null,
        recorded_by_name: null,
        recorded_at: null,
        drawn_at: now,
      });
    }
  }
  for (const t of selection.teams) {
    for (const code of t.inspectors)
      members.push(memberRow(batch, idOf.get(t.target)!, code, inspectorOf, round, now));
  }
  await store.insertAssignments(tx, assignments);
  await store.insertMembers(tx, members);
  const due = publishDueAt(now, batch.publish_working_days);
  await store.updateBatch(tx, batch.id, {
    status: 'drawn',
    drawn_at: now,
    publish_due_at: due,
    updated_at: now,
  });
  await enqueueJob(tx, {
    type: PUBLICATION_DUE_JOB,
    payload: { batchId: batch.id },
    runAt: new Date(due.getTime() + 1),
    dedupeKey: `${PUBLICATION_DUE_JOB}:${batch.id}`,
  });
}

/**
 * 回避: the inspector declares a conflict with the target (before recording its result); the member is
 * withdrawn and, in the same transaction, a redraw for that target alone is committed — from the same
 * inspector list, without the team's members and anyone who recused for it. No one left → the team stays
 * short (witnessed, shown to the department).
 */
export async function recuse(ctx: InspectionsContext, memberId: string, reason: string) {
  const actor = ctx.actor;
  const member = await store.findMember(ctx.db, memberId);
  if (!member || !actor || member.account_id !== actor.accountId) {
    throw new Forbidden('SPOT_CHECK_NOT_YOUR_ASSIGNMENT', {
      title: '不是本人的检查任务',
      detail: '只有被抽中的检查人员本人可以申请回避。',
    });
  }
  const assignment = await store.findAssignment(ctx.db, member.assignment_id);
  const batch = await store.findBatch(ctx.db, member.batch_id);
  if (!assignment || !batch) throw batchNotFound();
  if (member.status !== 'active') {
    throw new RuleViolation('SPOT_CHECK_ALREADY_RECUSED', { title: '已经回避' });
  }
  if (batch.status !== 'drawn' || assignment.outcome !== null) {
    throw new RuleViolation('SPOT_CHECK_RECUSAL_TOO_LATE', {
      title: '检查结果已记录或已公示，不能再回避',
      detail: '回避须在记录检查结果之前提出。',
      citation: CITATIONS.recusal,
    });
  }
  const inspectorsVersion = await store.findVersion(ctx.db, batch.inspectors_version_id ?? '');
  const roster = orderList(
    ((inspectorsVersion?.entries ?? []) as InspectorEntry[]).map((i) => ({ g: 0, c: i.code })),
  );
  const seed = randomBytes(SEED_BYTES);
  const now = ctx.clock.now();
  const committed = await ctx.db.transaction().execute(async (tx) => {
    await store.lockBatch(tx, batch.id);
    const locked = await store.lockMember(tx, memberId);
    if (locked?.status !== 'active')
      throw new RuleViolation('SPOT_CHECK_ALREADY_RECUSED', { title: '已经回避' });
    await store.updateMember(tx, memberId, { status: 'recused', recusal_reason: reason, recused_at: now });
    await witness(tx, now, ctx.origin, WITNESS.member, memberId, 'spot-check-member.recused', {
      batchId: batch.id,
      targetCode: assignment.target_code,
      inspectorCode: member.inspector_code,
      reason,
      citation: CITATIONS.recusal,
    });
    const team = await store.listMembersOfAssignment(tx, assignment.id);
    const taken = new Set(team.map((m) => m.inspector_code));
    const list = roster.filter((e) => !taken.has(e.c));
    if (list.length === 0) {
      await witness(
        tx,
        now,
        ctx.origin,
        WITNESS.assignment,
        assignment.id,
        'spot-check-assignment.team-short',
        {
          batchId: batch.id,
          targetCode: assignment.target_code,
          active: team.filter((m) => m.status === 'active').length,
          needed: batch.inspectors_per_target,
        },
      );
      return null;
    }
    const round = (await store.lastRoundNo(tx, batch.id)) + 1;
    const needs = [{ g: 0, count: 1 }];
    const commitment = seedCommitment(seed);
    const hash = listHash(list);
    const event = await witness(
      tx,
      now,
      SYSTEM_ORIGIN,
      WITNESS.batch,
      batch.id,
      'spot-check-draw.committed',
      {
        batchId: batch.id,
        round,
        kind: 'redraw',
        targetCode: assignment.target_code,
        seedCommitment: commitment,
        targetListHash: null,
        targetListSize: null,
        inspectorListHash: hash,
        inspectorListSize: list.length,
        needs,
        inspectorsPerTarget: batch.inspectors_per_target,
        versions: null,
      },
    );
    await store.insertRound(tx, {
      batch_id: batch.id,
      round,
      kind: 'redraw',
      target_code: assignment.target_code,
      replaces_member_id: memberId,
      status: 'committed',
      needs: JSON.stringify(needs),
      inspectors_per_target: batch.inspectors_per_target,
      seed_sealed: ctx.deps.sealer.seal(seed.toString('hex'), sealContext(batch.id, round)),
      seed_commitment: commitment,
      seed_hex: null,
      target_list: JSON.stringify(null),
      target_list_hash: null,
      inspector_list: JSON.stringify(list),
      inspector_list_hash: hash,
      commit_event_id: event.id,
      checkpoint_tree_size: null,
      checkpoint_root_hash: null,
      selection: JSON.stringify(null),
      committed_at: now,
      drawn_at: null,
    });
    await enqueueJob(tx, {
      type: COMPLETE_ROUND_JOB,
      payload: { batchId: batch.id, round },
      runAt: new Date(now.getTime() + 5_000),
      dedupeKey: `${COMPLETE_ROUND_JOB}:${batch.id}:${round}`,
    });
    return round;
  });
  if (committed === null) return { redrawRound: null, teamShort: true };
  await completeRound(ctx.deps, batch.id, committed, seed);
  return { redrawRound: committed, teamShort: false };
}
