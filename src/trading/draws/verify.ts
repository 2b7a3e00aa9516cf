import { importSm2PublicKeyPem, type Sm2PublicKey } from '../../platform/crypto/index.ts';
import {
  canonicalJson,
  hashLeaf,
  keyIdOf,
  leafBytes,
  verifyCheckpointSignature,
  verifyInclusion,
} from '../../platform/witness/index.ts';
import { type DrawRecord, RECORD_FORMAT, type RecordRound } from './record.ts';
import { isOrderedList, listHash, ReplayError, replayDraw, seedCommitment } from './replay.ts';

/**
 * 抽取复核 (`ggzy experts verify-draw`): every round of a draw record, check by check, in this order —
 *   commit-event   the witnessed commitment names this draw and round, and the record's commitments
 *   inclusion      the commit event's leaf is in the checkpoint's Merkle tree
 *   checkpoint     the checkpoint is signed by a platform checkpoint key
 *   first-checkpoint  (database only) no earlier checkpoint contained the commit event
 *   seed           SM3("ggzy-draw-seed/v1" ‖ seed) equals the commitment
 *   list           the list is ordered by (g, c), has listSize entries, and hashes to listHash
 *   replay         replaying gives the recorded selection
 *   assignments    (database only) the sealed assignments hold exactly the replayed experts
 * The first failing check of the first failing round is what the report names.
 */
export type CheckName =
  | 'format'
  | 'commit-event'
  | 'inclusion'
  | 'checkpoint'
  | 'first-checkpoint'
  | 'seed'
  | 'list'
  | 'replay'
  | 'assignments';

export const CHECK_NAMES_ZH: Record<CheckName, string> = {
  format: '记录格式',
  'commit-event': '承诺见证事件',
  inclusion: '见证日志存在性证明',
  checkpoint: '检查点签名',
  'first-checkpoint': '首个包含承诺的检查点',
  seed: '种子与承诺',
  list: '合格名单与摘要',
  replay: '重放抽取结果',
  assignments: '抽取结果与专家分配',
};

export interface VerifyFailure {
  round: number | null;
  check: CheckName;
  detail: string;
}

export interface DrawVerification {
  ok: boolean;
  drawId: string;
  rounds: { round: number; checks: CheckName[]; replayed: boolean }[];
  /** Rounds whose seed is not public yet (offline, before the reveal): checked up to the checkpoint. */
  notReplayed: number[];
  failure: VerifyFailure | null;
}

export interface DatabaseFacts {
  /** Tree size of the earliest checkpoint covering each round's commit leaf. */
  firstCheckpointSize: Map<number, number | null>;
  /** Codes of each round's assignments (opened from the seal), by group and position. */
  assignedCodes: Map<number, { g: number; position: number; code: string }[]>;
}

class Failed extends Error {
  constructor(
    readonly check: CheckName,
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

/** Equal as canonical JSON (jsonb and JSON.parse may order an object's keys differently). */
function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function verifyRound(
  record: DrawRecord,
  r: RecordRound,
  keys: Map<string, Sm2PublicKey>,
  facts: DatabaseFacts | null,
): { checks: CheckName[]; replayed: boolean } {
  const checks: CheckName[] = [];
  const e = r.commitEvent;
  if (!e) throw new Failed('commit-event', '承诺见证事件不存在或尚未入树');
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(e.payload) as Record<string, unknown>;
  } catch {
    throw new Failed('commit-event', '承诺见证事件内容不是 JSON');
  }
  if (
    e.entity_type !== 'expert-draw' ||
    e.entity_id !== record.drawId ||
    e.action !== 'expert-draw.committed'
  ) {
    throw new Failed('commit-event', '见证事件不是本次抽取的承诺记录');
  }
  if (payload.round !== r.round) throw new Failed('commit-event', '承诺见证事件的轮次与记录不符');
  if (payload.seedCommitment !== r.seedCommitment)
    throw new Failed('commit-event', '种子承诺与见证日志中的承诺不符');
  if (payload.listHash !== r.listHash) throw new Failed('commit-event', '合格名单摘要与见证日志中的承诺不符');
  if (payload.listSize !== r.listSize) throw new Failed('commit-event', '合格名单人数与见证日志中的承诺不符');
  if (!same(payload.needs, r.needs)) throw new Failed('commit-event', '各组抽取人数与见证日志中的承诺不符');
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
  const signature = Buffer.from(cp.signature, 'base64url');
  if (!key) throw new Failed('checkpoint', '检查点签名密钥不在受信任的平台公钥之中');
  if (
    !verifyCheckpointSignature(
      { treeSize: cp.treeSize, rootHash: root, issuedAt: new Date(cp.issuedAt), keyId: cp.keyId, signature },
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

  if (r.seed === null || r.list === null) return { checks, replayed: false };
  const seed = hex(r.seed, 32);
  if (!seed || seedCommitment(seed) !== r.seedCommitment)
    throw new Failed('seed', '种子与承诺不符（SM3 不一致）');
  checks.push('seed');
  const list = r.list;
  if (!Array.isArray(list) || list.length !== r.listSize)
    throw new Failed('list', `合格名单人数为 ${Array.isArray(list) ? list.length : 0}，承诺为 ${r.listSize}`);
  if (!isOrderedList(list)) throw new Failed('list', '合格名单未按（组，专家编号）排序或有重复');
  if (listHash(list) !== r.listHash) throw new Failed('list', '合格名单的 SM3 摘要与承诺不符：名单被改动');
  checks.push('list');

  let replayed: { g: number; codes: string[] }[];
  try {
    replayed = replayDraw({
      drawId: record.drawId,
      round: r.round,
      seed,
      rootHash: root,
      treeSize: cp.treeSize,
      list,
      needs: r.needs,
    });
  } catch (error) {
    if (error instanceof ReplayError) throw new Failed('replay', `重放失败：${error.message}`);
    throw error;
  }
  if (!same(replayed, r.selected)) {
    throw new Failed(
      'replay',
      `重放结果 ${replayed.flatMap((s) => s.codes).join('、')} 与记录的抽取结果 ${(r.selected ?? []).flatMap((s) => s.codes).join('、')} 不符`,
    );
  }
  checks.push('replay');

  if (facts) {
    const assigned = (facts.assignedCodes.get(r.round) ?? [])
      .slice()
      .sort((a, b) => a.g - b.g || a.position - b.position);
    const expected = replayed.flatMap((s) => s.codes.map((code, position) => ({ g: s.g, position, code })));
    if (
      !same(
        assigned,
        expected.sort((a, b) => a.g - b.g || a.position - b.position),
      )
    ) {
      throw new Failed('assignments', '数据库中的专家分配与重放的抽取结果不符');
    }
    checks.push('assignments');
  }
  return { checks, replayed: true };
}

/**
 * Verifies a draw record. Keys: `trustedKeysPem` when given (offline, the published keys), otherwise the
 * keys the record carries. `facts` from the database add the first-checkpoint and assignment checks.
 */
export function verifyDrawRecord(
  record: DrawRecord,
  opts: { trustedKeysPem?: string[]; facts?: DatabaseFacts } = {},
): DrawVerification {
  const report: DrawVerification = {
    ok: true,
    drawId: record?.drawId ?? '',
    rounds: [],
    notReplayed: [],
    failure: null,
  };
  if (!record || record.format !== RECORD_FORMAT || !Array.isArray(record.rounds)) {
    return {
      ...report,
      ok: false,
      failure: { round: null, check: 'format', detail: `不是 ${RECORD_FORMAT} 格式的抽取记录` },
    };
  }
  const keys = new Map<string, Sm2PublicKey>();
  for (const pem of opts.trustedKeysPem ?? record.checkpointKeys.map((k) => k.publicKeyPem)) {
    const key = importSm2PublicKeyPem(pem);
    keys.set(keyIdOf(key), key);
  }
  if (record.rounds.length === 0) {
    return {
      ...report,
      ok: false,
      failure: { round: null, check: 'format', detail: '该抽取尚无任何抽取轮次' },
    };
  }
  for (const r of record.rounds) {
    try {
      const result = verifyRound(record, r, keys, opts.facts ?? null);
      report.rounds.push({ round: r.round, ...result });
      if (!result.replayed) report.notReplayed.push(r.round);
    } catch (error) {
      if (!(error instanceof Failed)) throw error;
      return { ...report, ok: false, failure: { round: r.round, check: error.check, detail: error.detail } };
    }
  }
  return report;
}
