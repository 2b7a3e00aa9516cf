import { z } from 'zod';

const Hex32 = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('32 字节 SM3 哈希，小写十六进制');
const Size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const CheckpointView = z.object({
  treeSize: z.number().int().describe('树大小（叶子数）'),
  rootHash: Hex32.describe('默克尔树根哈希'),
  issuedAt: z.string().describe('签发时间，ISO 8601 UTC'),
  keyId: z.string().describe('签名公钥标识：SM3(DER 公钥)'),
  signature: z.string().describe('SM2 签名（DER，Base64），签名用户标识 1234567812345678'),
  signedText: z.string().describe('被签名的原文（UTF-8）'),
});

export const WitnessOriginView = z.object({
  accountId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  clientFingerprint: z.string().nullable(),
  requestId: z.string().nullable(),
});

export const WitnessEventView = z.object({
  eventId: z.number().int(),
  leafIndex: z.number().int(),
  leafHash: Hex32,
  occurredAt: z.string(),
  entityType: z.string(),
  action: z.string(),
  actorRole: z.string().nullable().optional().describe('操作角色，交易中心、行政监督与审计角色可见'),
  actorOrganizationId: z
    .string()
    .nullable()
    .optional()
    .describe('操作机构，交易中心、行政监督与审计角色可见'),
  entityId: z.string().optional().describe('对象编号，交易中心、行政监督与审计角色可见'),
  payload: z.unknown().optional().describe('事件内容（JSON），交易中心、行政监督与审计角色可见'),
  origin: WitnessOriginView.optional().describe('操作来源，仅行政监督与审计角色可见'),
  leafBytes: z
    .string()
    .optional()
    .describe('叶子字节（Base64），仅行政监督与审计角色可见，SM3(0x00‖叶子字节) = leafHash'),
});

export const WitnessFeedQuery = z.strictObject({
  after: Size.optional().describe('游标：只返回叶子序号大于此值的事件'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  entityType: z.string().min(1).max(64).optional(),
  entityId: z.string().min(1).max(128).optional(),
});

export const WitnessFeed = z.object({
  items: z.array(WitnessEventView),
  nextAfter: z.number().int().nullable().describe('下一页的游标；null 表示已到末尾'),
  treeSize: z.number().int(),
});

export const EventIdParams = z.strictObject({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export const ProofQuery = z.strictObject({
  treeSize: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

export const InclusionProofView = z.object({
  eventId: z.number().int(),
  leafIndex: z.number().int(),
  treeSize: z.number().int(),
  leafHash: Hex32,
  inclusionPath: z.array(Hex32).describe('RFC 9162 存在性证明路径，自叶子一侧起'),
  checkpoint: CheckpointView.nullable(),
});

export const CheckpointListQuery = z.strictObject({
  before: Size.optional().describe('游标：只返回树大小小于此值的检查点'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const CheckpointList = z.object({
  items: z.array(CheckpointView),
  nextBefore: z.number().int().nullable(),
});

export const ConsistencyQuery = z.strictObject({ from: Size, to: Size });

export const ConsistencyProofView = z.object({
  fromSize: z.number().int(),
  toSize: z.number().int(),
  proof: z.array(Hex32).describe('RFC 9162 一致性证明'),
});

export const PublicKeyView = z.object({
  keyId: z.string(),
  algorithm: z.literal('SM2'),
  hash: z.literal('SM3'),
  userId: z.string().describe('SM2 签名用户标识（GM/T 0009 默认值）'),
  publicKeyPem: z.string(),
  createdAt: z.string(),
  retiredAt: z.string().nullable(),
});

export const PublicKeys = z.object({
  current: PublicKeyView,
  keys: z.array(PublicKeyView).describe('全部检查点签名公钥（含已停用的），用于验证历史检查点'),
});
