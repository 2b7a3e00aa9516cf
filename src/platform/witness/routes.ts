import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { SM2_DEFAULT_USER_ID } from '../crypto/index.ts';
import { NotFound } from '../errors.ts';
import { checkpointText, latestCheckpoint, listCheckpoints, type WitnessCheckpoint } from './checkpoints.ts';
import { listSequencedEvents, type SequencedEvent } from './feed.ts';
import { listCheckpointPublicKeys, type WitnessPublicKey } from './keys.ts';
import { LEAF_FORMAT_VERSION } from './leaf.ts';
import { toHex } from './merkle.ts';
import { getConsistencyProof, getInclusionProof } from './proofs.ts';
import {
  CheckpointList,
  CheckpointListQuery,
  CheckpointView,
  ConsistencyProofView,
  ConsistencyQuery,
  EventIdParams,
  InclusionProofView,
  ProofQuery,
  PublicKeys,
  WitnessFeed,
  WitnessFeedQuery,
} from './schemas.ts';
import type { WitnessTables } from './tables.ts';
import { readTreeSize } from './tree-store.ts';

/**
 * The platform's HTTP server as these routes need it. Spelled out rather than imported from http/,
 * because http/ imports this module's WitnessOrigin and the import would close a cycle.
 */
export type WitnessHttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface WitnessRouteDeps {
  db: Kysely<WitnessTables>;
}

const TAGS = ['交易见证'];

/** Roles that see where an action came from (IP, user agent …); the public sees who, what and when. */
// The public sees that something happened, when, and its leaf hash — enough to check the log against
// the signed checkpoints — but not what was in it: a payload may hold what is confidential until a
// deadline (a bid's price before the opening). Staff, supervisors and auditors see the content;
// only supervisors and auditors see where a request came from.
const CONTENT_ROLES = new Set(['operator', 'supervisor', 'auditor']);
const ORIGIN_ROLES = new Set(['supervisor', 'auditor']);

export function registerWitnessRoutes(app: WitnessHttpApp, deps: WitnessRouteDeps): void {
  const { db } = deps;

  app.get(
    '/api/witness/events',
    {
      schema: {
        tags: TAGS,
        summary: '见证事件公示（按叶子序号分页）',
        description: '公众可见：谁（机构、角色）、做了什么、何时。行政监督与审计角色另见操作来源与叶子字节。',
        querystring: WitnessFeedQuery,
        response: { 200: WitnessFeed },
      },
      config: { policy: 'public' },
    },
    async (req) => {
      const full = seesOrigin(req);
      const content = full || (req.actor?.roles.some((role) => CONTENT_ROLES.has(role)) ?? false);
      const [events, treeSize] = await Promise.all([
        listSequencedEvents(db, { ...req.query, withLeafBytes: full }),
        readTreeSize(db),
      ]);
      return {
        items: events.map((event) => toEventView(event, content, full)),
        nextAfter: events.length === req.query.limit ? events.at(-1)!.leafIndex : null,
        treeSize,
      };
    },
  );

  app.get(
    '/api/witness/events/:id/proof',
    {
      schema: {
        tags: TAGS,
        summary: '见证事件存在性证明（默认对最新签名检查点）',
        params: EventIdParams,
        querystring: ProofQuery,
        response: { 200: InclusionProofView },
      },
      config: { policy: 'public' },
    },
    async (req) => {
      const proof = await getInclusionProof(db, req.params.id, { treeSize: req.query.treeSize });
      return {
        eventId: proof.eventId,
        leafIndex: proof.leafIndex,
        treeSize: proof.treeSize,
        leafHash: toHex(proof.leafHash),
        inclusionPath: proof.inclusionPath.map(toHex),
        checkpoint: proof.checkpoint ? toCheckpointView(proof.checkpoint) : null,
      };
    },
  );

  app.get(
    '/api/witness/checkpoints/latest',
    {
      schema: { tags: TAGS, summary: '最新签名检查点', response: { 200: CheckpointView } },
      config: { policy: 'public' },
    },
    async () => {
      const checkpoint = await latestCheckpoint(db);
      if (!checkpoint) {
        throw new NotFound('WITNESS_NO_CHECKPOINT', {
          title: '尚无签名检查点',
          detail: '见证日志还没有发布过检查点。',
        });
      }
      return toCheckpointView(checkpoint);
    },
  );

  app.get(
    '/api/witness/checkpoints',
    {
      schema: {
        tags: TAGS,
        summary: '签名检查点列表（新到旧）',
        querystring: CheckpointListQuery,
        response: { 200: CheckpointList },
      },
      config: { policy: 'public' },
    },
    async (req) => {
      const checkpoints = await listCheckpoints(db, { beforeSize: req.query.before, limit: req.query.limit });
      return {
        items: checkpoints.map(toCheckpointView),
        nextBefore: checkpoints.length === req.query.limit ? checkpoints.at(-1)!.treeSize : null,
      };
    },
  );

  app.get(
    '/api/witness/consistency',
    {
      schema: {
        tags: TAGS,
        summary: '两个树大小之间的一致性证明',
        querystring: ConsistencyQuery,
        response: { 200: ConsistencyProofView },
      },
      config: { policy: 'public' },
    },
    async (req) => {
      const proof = await getConsistencyProof(db, req.query.from, req.query.to);
      return { fromSize: proof.fromSize, toSize: proof.toSize, proof: proof.proof.map(toHex) };
    },
  );

  app.get(
    '/api/witness/public-key',
    {
      schema: { tags: TAGS, summary: '检查点签名公钥（SM2）', response: { 200: PublicKeys } },
      config: { policy: 'public' },
    },
    async () => {
      const keys = await listCheckpointPublicKeys(db);
      const current = keys.find((key) => key.retiredAt === null);
      if (!current) {
        throw new NotFound('WITNESS_NO_KEY', {
          title: '尚无检查点签名密钥',
          detail: '平台将在签发第一个检查点时生成。',
        });
      }
      return { current: toKeyView(current), keys: keys.map(toKeyView) };
    },
  );
}

function seesOrigin(req: FastifyRequest): boolean {
  return req.actor?.roles.some((role) => ORIGIN_ROLES.has(role)) ?? false;
}

function toEventView(event: SequencedEvent, content: boolean, full: boolean) {
  const publicView = {
    eventId: event.id,
    leafIndex: event.leafIndex,
    leafHash: toHex(event.leafHash),
    occurredAt: event.occurredAt.toISOString(),
    entityType: event.entityType,
    action: event.action,
  };
  if (!content) return publicView;
  const view = {
    ...publicView,
    actorRole: event.actorRole,
    actorOrganizationId: event.actorOrganizationId,
    entityId: event.entityId,
    payload: parsePayload(event.payload),
  };
  if (!full) return view;
  const header = Buffer.alloc(9);
  header[0] = LEAF_FORMAT_VERSION;
  header.writeBigUInt64BE(BigInt(event.leafIndex), 1);
  return {
    ...view,
    origin: {
      accountId: event.actorAccountId,
      ip: event.ip,
      userAgent: event.userAgent,
      clientFingerprint: event.clientFingerprint,
      requestId: event.requestId,
    },
    leafBytes: event.leafTail ? Buffer.concat([header, event.leafTail]).toString('base64') : undefined,
  };
}

/** Payloads are canonical JSON written by appendWitnessEvent; a row edited into non-JSON is shown as text. */
function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return text;
    throw error;
  }
}

function toCheckpointView(checkpoint: WitnessCheckpoint) {
  return {
    treeSize: checkpoint.treeSize,
    rootHash: toHex(checkpoint.rootHash),
    issuedAt: checkpoint.issuedAt.toISOString(),
    keyId: checkpoint.keyId,
    signature: Buffer.from(checkpoint.signature).toString('base64'),
    signedText: checkpointText(checkpoint.treeSize, checkpoint.rootHash, checkpoint.issuedAt),
  };
}

function toKeyView(key: WitnessPublicKey) {
  return {
    keyId: key.keyId,
    algorithm: 'SM2' as const,
    hash: 'SM3' as const,
    userId: SM2_DEFAULT_USER_ID,
    publicKeyPem: key.publicKeyPem,
    createdAt: key.createdAt.toISOString(),
    retiredAt: key.retiredAt?.toISOString() ?? null,
  };
}
