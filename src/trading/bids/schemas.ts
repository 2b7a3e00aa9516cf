import { z } from 'zod';
import { PART_KINDS, type PartKind } from './format.ts';

/**
 * Contracts of the sealed-bid API (投标文件递交、回执、撤回、投标设置). The manifest is parsed strictly
 * (no unknown member anywhere): what the bidder signed is exactly what the platform stores.
 */

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, { message: '应为 64 位小写十六进制摘要' });
const Base64Url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, { message: '应为 base64url 编码' });
const Text = (max: number) => z.string().max(max);

export const RecipientSchema = z.strictObject({
  keyId: Hex64,
  keyIdType: z.literal('sm3-spki'),
  algorithm: z.literal('sm2-encrypt'),
  encryptedKey: Base64Url(1024),
});

export const ManifestPartSchema = z.strictObject({
  no: z.number().int().min(1).max(64),
  kind: z.enum(PART_KINDS as [PartKind, ...PartKind[]]),
  name: Text(100).min(1),
  filename: Text(255).min(1),
  content: z.strictObject({
    algorithm: z.enum(['sm4-ctr-hmac-sm3', 'sm4-cbc-hmac-sm3']),
    sealedDigest: Hex64,
    sealedLength: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  }),
  recipients: z.array(RecipientSchema).min(1).max(8),
});

export const BidManifestSchema = z.strictObject({
  format: z.literal('ggzy-bid/v1'),
  lotId: Text(100).min(1),
  lotCode: Text(100),
  bidder: z.strictObject({ organizationId: Text(100), creditCode: Text(18), name: Text(200) }),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22}$/, { message: '应为 16 字节随机数的 base64url 编码' }),
  createdAt: Text(40),
  tool: z.strictObject({ name: z.literal('ggzy-bid'), version: Text(40) }),
  machine: z.strictObject({
    macs: z.array(Text(64)).max(64),
    cpu: Text(200).nullable(),
    diskSerial: Text(200).nullable(),
    hostname: Text(255).nullable(),
  }),
  signerCertificate: z
    .string()
    .min(1)
    .max(16384)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: '应为 base64' }),
  parts: z.array(ManifestPartSchema).min(1).max(64),
});

export const SignedBidManifestSchema = z.strictObject({
  manifest: BidManifestSchema,
  signature: z.strictObject({
    algorithm: z.literal('sm2-sm3'),
    userId: Text(255).min(1),
    value: Base64Url(200),
  }),
});

export const UploadBody = z
  .strictObject({ manifest: SignedBidManifestSchema })
  .describe('签名的投标文件清单');

export const UploadView = z.object({
  uploadId: z.string(),
  status: z.string().describe('uploading 上传中 · completed 已完成 · expired 截止时未完成（视为撤回）'),
  parts: z.array(z.object({ no: z.number(), offset: z.number(), length: z.number() })),
});

export const LotIdParams = z.strictObject({ lotId: z.string().min(1).max(100) });
export const UploadParams = z.strictObject({ uploadId: z.string().min(1).max(100) });
export const UploadPartParams = z.strictObject({
  uploadId: z.string().min(1).max(100),
  no: z.coerce.number().int().min(1).max(64),
});
export const BidParams = z.strictObject({ bidId: z.string().min(1).max(100) });

const WitnessEventSchema = z.strictObject({
  id: z.number().int(),
  occurred_at_us: z.number().int(),
  created_at_us: z.number().int(),
  actor_account_id: z.string().nullable(),
  actor_organization_id: z.string().nullable(),
  actor_role: z.string().nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  client_fingerprint: z.string().nullable(),
  request_id: z.string().nullable(),
  entity_type: z.string(),
  entity_id: z.string(),
  action: z.string(),
  payload: z.string(),
});

export const SignedReceiptSchema = z.strictObject({
  receipt: z.strictObject({
    format: z.literal('ggzy-bid-receipt/v1'),
    bidId: Text(100),
    lotId: Text(100),
    lotCode: Text(100),
    bidder: z.strictObject({ organizationId: Text(100), creditCode: Text(18), name: Text(200) }),
    manifestSm3: Hex64,
    parts: z
      .array(z.strictObject({ no: z.number().int(), sealedDigest: Hex64, sealedLength: z.number().int() }))
      .max(64),
    receivedAt: Text(40),
    witnessEventId: z.number().int(),
    platformKeyId: Text(64),
  }),
  signature: Base64Url(200),
  witness: z
    .strictObject({
      event: WitnessEventSchema,
      leafIndex: z.number().int().min(0),
      treeSize: z.number().int().min(1),
      inclusionPath: z.array(Hex64).max(64),
      checkpoint: z.strictObject({
        treeSize: z.number().int().min(1),
        rootHash: Hex64,
        issuedAt: Text(40),
        keyId: Text(64),
        signature: Base64Url(200),
      }),
    })
    .nullable(),
});

export const VerifyReceiptBody = z.strictObject({ receipt: SignedReceiptSchema });
export const ReceiptCheckView = z.object({
  genuine: z.boolean().describe('回执是否为本平台签发且未被改动（含见证日志存在性证明）'),
  live: z.boolean().describe('是否仍为该投标人当前有效的投标文件'),
  status: z.enum(['live', 'superseded', 'withdrawn', 'unknown']),
  detail: z.string(),
  problems: z.array(z.string()),
  notes: z.array(z.string()),
});

export const MyBidView = z.object({
  bidId: z.string(),
  lotId: z.string(),
  status: z.enum(['live', 'superseded', 'withdrawn']),
  receivedAt: z.string(),
  manifestSm3: z.string(),
  parts: z.array(
    z.object({ no: z.number(), kind: z.string(), sealedDigest: z.string(), sealedLength: z.number() }),
  ),
});

const SummaryFieldSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, { message: '字段键应为英文字母开头的标识符' }),
  label: Text(60).min(1),
  type: z.enum(['money', 'text', 'integer', 'percent']),
  required: z.boolean(),
});

export const BidSettingsBody = z.strictObject({
  summaryFields: z.array(SummaryFieldSchema).min(1).max(30).optional().describe('开标一览表字段'),
  depositForms: z
    .array(z.enum(['cash', 'guarantee']))
    .min(1)
    .max(2)
    .optional()
    .describe('投标保证金形式：cash 现金（转账） · guarantee 电子保函'),
  allowFallback: z.boolean().optional().describe('是否允许开标备用密钥解密（电子招标投标办法第三十一条）'),
  decryptWindowMinutes: z.number().int().min(5).max(1440).optional().describe('开标解密时限（分钟）'),
  maxPartBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 2 ** 30)
    .optional()
    .describe('每个组成部分（密文）的最大字节数'),
  openingKey: z
    .strictObject({
      threshold: z.number().int().min(2).max(16).optional().describe('恢复密钥所需的份额数（默认 2）'),
      custodians: z
        .array(
          z
            .strictObject({
              accountId: z.string().min(1).max(100).optional().describe('保管人账号 ID'),
              username: z.string().min(1).max(64).optional().describe('或：保管人用户名'),
              label: Text(60).min(1),
            })
            .refine((c) => (c.accountId === undefined) !== (c.username === undefined), {
              message: '每名保管人给出账号 ID 或用户名之一',
            }),
        )
        .min(2)
        .max(16),
    })
    .optional()
    .describe('开标备用密钥的保管人（每人须已绑定加密证书）'),
});

export const BidSettingsView = z.object({
  lotId: z.string(),
  summaryFields: z.array(
    z.object({ key: z.string(), label: z.string(), type: z.string(), required: z.boolean() }),
  ),
  depositForms: z.array(z.string()),
  allowFallback: z.boolean(),
  decryptWindowMinutes: z.number(),
  maxPartBytes: z.number(),
  openingKey: z
    .object({
      keyId: z.string(),
      publicKeyPem: z.string(),
      threshold: z.number(),
      custodians: z.array(z.object({ accountId: z.string(), label: z.string() })),
    })
    .nullable(),
  fixedAt: z.string().nullable(),
});

export const OpeningKeySharesView = z.object({
  items: z.array(
    z.object({
      custodianAccountId: z.string(),
      label: z.string(),
      index: z.number(),
      encryptedShare: z.string(),
    }),
  ),
});
