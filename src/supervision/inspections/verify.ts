import { importSm2PublicKeyPem, type Sm2PublicKey } from '../../platform/crypto/index.ts';
import {
  canonicalJson,
  hashLeaf,
  keyIdOf,
  leafBytes,
  verifyCheckpointSignature,
  verifyInclusion,
} from '../../platform/witness/index.ts';
import type { ReadDb } from './context.ts';
import { listHash, seedCommitment } from './deps.ts';
import {
  buildSpotCheckRecord,
  SPOT_CHECK_RECORD_FORMAT,
  type SpotCheckFacts,
  type SpotCheckRecord,
  type SpotCheckRecordRound,
  spotCheckFacts,
} from './record.ts';
import { isOrderedList, replayRound } from './replay.ts';
import type { ListEntry, RoundSelection } from './tables.ts';

/**
 * 抽取复核 of a spot-check batch, round by round and check by check, in this order (as the expert draw's):
 *   commit-event      the witnessed commitment names this batch and round, and equals the record's
 *   inclusion         the commit event's leaf is in the checkpoint's Merkle tree
 *   checkpoint        the checkpoint is signed by a platform checkpoint key
 *   first-checkpoint  (database only) no earlier checkpoint contained the commit event
 *   seed              SM3("ggzy-draw-seed/v1" ‖ seed) equals the commitment
 *   list              the lists are ordered, of the committed size and hash to the committed hashes; a
 *                     redraw's list is round 1's inspectors minus those already drawn for the target
 *   replay            replaying gives the recorded selection
 *   assignments       (database only) the targets and team members stored are exactly the replayed ones
 * The first failing check of the first failing round is what the report names.
 */
export type SpotCheckName =
  | 'format'
  | 'commit-event'
  | 'inclusion'
  | 'checkpoint'
  | 'first-checkpoint'
  | 'seed'
  | 'list'
  | 'replay'
  | 'assignments';

export const SPOT_CHECK_NAMES_ZH: Record<SpotCheckName, string> = {
  format: '记录格式',
  'commit-event': '承诺见证事件',
  inclusion: '见证日志存在性证明',
  checkpoint: '检查点签名',
  'first-checkpoint': '首个包含承诺的检查点',
  seed: '种子与承诺',
  list: '名录与摘要',
  replay: '重放抽取结果',
  assignments: '抽取结果与检查任务',
};

export interface SpotCheckVerification {
  ok: boolean;
  batchId: string;
  rounds: { round: number; checks: SpotCheckName[]; replayed: boolean }[];
  notReplayed: number[];
  failure: { round: number | null; check: SpotCheckName; checkName: string; detail: string } | null;
}

class Failed extends Error {
  constructor(
    readonly check: SpotCheckName,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function hex(value: unknown, bytes?: number): Uint8Array | null {
  if (typeof value !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(value)) return null;
  const out = Buffer.from(value, 'hex');
  return bytes === undefined || out.length === bytes ? out : null;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function checkList(list: unknown, size: number | null, hash: string | null, what: string): ListEntry[] {
  if (!Array.isArray(list)) throw new Failed('list', `${what}缺失`);
  const entries = list as ListEntry[];
  if (entries.length !== size) throw new Failed('list', `${what}条目数为 ${entries.length}，承诺为 ${size}`);
  if (
    !entries.every((e) => Number.isSafeInteger(e?.g) && typeof e?.c === 'string') ||
    !isOrderedList(entries)
  ) {
    throw new Failed('list', `${what}未按（组，编码）排序或有重复`);
  }
  if (listHash(entries) !== hash) throw new Failed('list', `${what}的 SM3 摘要与承诺不符：名录被改动`);
  return entries;
}

function verifyRound(
  record: SpotCheckRecord,
  r: SpotCheckRecordRound,
  keys: Map<string, Sm2PublicKey>,
  facts: SpotCheckFacts | null,
): { checks: SpotCheckName[]; replayed: boolean } {
  const checks: SpotCheckName[] = [];
  const e = r.commitEvent;
  if (!e) throw new Failed('commit-event', '承诺见证事件不存在或尚未入树');
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(e.payload) as Record<string, unknown>;
  } catch {
    throw new Failed('commit-event', '承诺见证事件内容不是 JSON');
  }
  if (
    e.entity_type !== 'spot-check-batch' ||
    e.entity_id !== record.batchId ||
    e.action !== 'spot-check-draw.committed'
  ) {
    throw new Failed('commit-event', '见证事件不是本批次的抽取承诺');
  }
  const expected: Record<string, unknown> = {
    round: r.round,
    kind: r.kind,
    targetCode: r.targetCode,
    seedCommitment: r.seedCommitment,
    targetListHash: r.targetListHash,
    targetListSize: r.targetListSize,
    inspectorListHash: r.inspectorListHash,
    inspectorListSize: r.inspectorListSize,
    needs: r.needs,
    inspectorsPerTarget: r.inspectorsPerTarget,
  };
  for (const [field, value] of Object.entries(expected)) {
    if (!same(payload[field], value))
      throw new Failed('commit-event', `记录的 ${field} 与见证日志中的承诺不符`);
  }
  checks.push('commit-event');

  const cp = r.checkpoint;
  if (!cp) throw new Failed('inclusion', '本轮尚无包含承诺的签名检查点');
  const root = hex(cp.rootHash, 32);
  const path = (r.inclusionPath ?? []).map((p) => hex(p, 32));
  let leafHash: Uint8Array;
  try {
    leafHash = hashLeaf(leafBytes({ ...e, leaf_index: e.leaf_index }, e.leaf_index));
  } catch {
    throw new Failed('inclusion', '承诺见证事件字段无效，无法计算叶子哈希');
  }
  if (
    !root ||
    path.some((p) => p === null) ||
    !verifyInclusion({
      leafIndex: e.leaf_index,
      treeSize: cp.treeSize,
      leafHash,
      inclusionPath: path as Uint8Array[],
      rootHash: root,
    })
  ) {
    throw new Failed(
      'inclusion',
      `承诺见证事件（第 ${e.leaf_index} 号叶子）不在树大小为 ${cp.treeSize} 的检查点中`,
    );
  }
  checks.push('inclusion');

  const key = keys.get(cp.keyId);
  if (!key) throw new Failed('checkpoint', '检查点签名密钥不在受信任的平台公钥之中');
  if (
    !verifyCheckpointSignature(
      {
        treeSize: cp.treeSize,
        rootHash: root,
        issuedAt: new Date(cp.issuedAt),
        keyId: cp.keyId,
        signature: Buffer.from(cp.signature, 'base64url'),
      },
      key,
    )
  ) {
    throw new Failed('checkpoint', '检查点签名验证失败');
  }
  checks.push('checkpoint');

  if (facts) {
    const first = facts.firstCheckpointSize.get(r.round) ?? null;
    if (first !== cp.treeSize) {
      throw new Failed(
        'first-checkpoint',
        `包含承诺的第一个检查点树大小为 ${first ?? '（无）'}，记录使用的是 ${cp.treeSize}`,
      );
    }
    checks.push('first-checkpoint');
  }

  if (r.seed === null) return { checks, replayed: false };
  const seed = hex(r.seed, 32);
  if (!seed || seedCommitment(seed) !== r.seedCommitment)
    throw new Failed('seed', '种子与承诺不符（SM3 不一致）');
  checks.push('seed');

  const targetList =
    r.kind === 'initial' ? checkList(r.targetList, r.targetListSize, r.targetListHash, '检查对象名录') : null;
  const inspectorList = checkList(r.inspectorList, r.inspectorListSize, r.inspectorListHash, '检查人员名录');
  if (r.kind === 'redraw') {
    // A redraw draws from round 1's inspectors without everyone already drawn for this target.
    const first = record.rounds.find((x) => x.round === 1);
    const before = new Set(
      record.rounds
        .filter((x) => x.round < r.round)
        .flatMap((x) => x.selection?.teams ?? [])
        .filter((t) => t.target === r.targetCode)
        .flatMap((t) => t.inspectors),
    );
    const allowed = (first?.inspectorList ?? []).filter((x) => !before.has(x.c));
    if (!same(allowed, inspectorList)) {
      throw new Failed('list', '补抽名录不等于首次抽取的检查人员名录减去已为该对象抽中的人员');
    }
  }
  checks.push('list');

  let replayed: RoundSelection;
  try {
    replayed = replayRound({
      batchId: record.batchId,
      round: r.round,
      kind: r.kind,
      targetCode: r.targetCode,
      seed,
      rootHash: root,
      treeSize: cp.treeSize,
      targetList,
      inspectorList,
      needs: r.needs,
      inspectorsPerTarget: r.inspectorsPerTarget,
    });
  } catch (error) {
    throw new Failed('replay', `重放失败：${error instanceof Error ? error.message : String(error)}`);
  }
  if (!same(replayed, r.selection)) {
    const codes = (s: RoundSelection | null) =>
      (s?.teams ?? []).map((t) => `${t.target}[${t.inspectors.join(',')}]`).join('、');
    throw new Failed('replay', `重放结果 ${codes(replayed)} 与记录的抽取结果 ${codes(r.selection)} 不符`);
  }
  checks.push('replay');

  if (facts) {
    const sortBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    if (r.kind === 'initial') {
      const expectedTargets = (replayed.targets ?? []).flatMap((s) =>
        s.codes.map((code, position) => ({ g: s.g, position, code })),
      );
      const k = (x: { g: number; position: number }) => `${x.g}:${String(x.position).padStart(6, '0')}`;
      if (!same(sortBy(facts.assignments, k), sortBy(expectedTargets, k))) {
        throw new Failed('assignments', '数据库中的检查对象与重放的抽取结果不符');
      }
    }
    const stored = facts.members.filter((m) => m.round === r.round);
    const expectedMembers = replayed.teams.flatMap((t) =>
      t.inspectors.map((inspector) => ({ round: r.round, target: t.target, inspector })),
    );
    const mk = (m: { target: string; inspector: string }) => `${m.target}|${m.inspector}`;
    if (!same(sortBy(stored, mk), sortBy(expectedMembers, mk))) {
      throw new Failed('assignments', '数据库中的检查组成员与重放的抽取结果不符');
    }
    checks.push('assignments');
  }
  return { checks, replayed: true };
}

/**
 * Verifies a spot-check draw record. Keys: `trustedKeysPem` when given (offline, the published keys),
 * otherwise the keys the record carries. `facts` from the database add the first-checkpoint and the
 * stored-assignments checks.
 */
export function verifySpotCheckRecord(
  record: SpotCheckRecord,
  opts: { trustedKeysPem?: string[]; facts?: SpotCheckFacts } = {},
): SpotCheckVerification {
  const report: SpotCheckVerification = {
    ok: true,
    batchId: typeof record?.batchId === 'string' ? record.batchId : '',
    rounds: [],
    notReplayed: [],
    failure: null,
  };
  const fail = (round: number | null, check: SpotCheckName, detail: string): SpotCheckVerification => ({
    ...report,
    ok: false,
    failure: { round, check, checkName: SPOT_CHECK_NAMES_ZH[check], detail },
  });
  if (!record || record.format !== SPOT_CHECK_RECORD_FORMAT || !Array.isArray(record.rounds)) {
    return fail(null, 'format', `不是 ${SPOT_CHECK_RECORD_FORMAT} 格式的抽取记录`);
  }
  const keys = new Map<string, Sm2PublicKey>();
  try {
    const pems = opts.trustedKeysPem ?? (record.checkpointKeys ?? []).map((k) => k.publicKeyPem);
    for (const pem of pems) {
      const key = importSm2PublicKeyPem(pem);
      keys.set(keyIdOf(key), key);
    }
  } catch {
    return fail(null, 'format', '平台检查点公钥无法读取');
  }
  if (record.rounds.length === 0) return fail(null, 'format', '记录中没有抽取轮次');
  for (const r of record.rounds) {
    try {
      const done = verifyRound(record, r, keys, opts.facts ?? null);
      report.rounds.push({ round: r.round, ...done });
      if (!done.replayed) report.notReplayed.push(r.round);
    } catch (error) {
      if (error instanceof Failed) return fail(r.round, error.check, error.detail);
      return fail(
        r.round,
        'format',
        `记录无法解析：${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return report;
}

/** The platform's own verification: the record rebuilt from the database, checked with the database's facts. */
export async function verifySpotCheckInDatabase(
  db: ReadDb,
  batchId: string,
): Promise<SpotCheckVerification | null> {
  const record = await buildSpotCheckRecord({ db }, batchId);
  if (!record) return null;
  return verifySpotCheckRecord(record, { facts: await spotCheckFacts(db, batchId, record) });
}
