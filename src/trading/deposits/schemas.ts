import { z } from 'zod';
import { isValidCreditCode } from '../../platform/certs/index.ts';
import { YuanAmount } from '../../platform/money/index.ts';

export const LotIdParams = z.object({ lotId: z.string().uuid() });
export const IdParams = z.object({ id: z.string().uuid() });
export const GuaranteeNoParams = z.object({ guaranteeNo: z.string().min(1).max(64) });

export const InstitutionKindSchema = z.enum(['bank', 'insurer', 'guarantor']);

export const RegisterInstitutionBody = z
  .object({
    name: z.string().trim().min(2).max(200).describe('机构名称'),
    kind: InstitutionKindSchema.describe('bank 银行 · insurer 保险机构 · guarantor 担保机构'),
    creditCode: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isValidCreditCode, {
        message: '统一社会信用代码不正确（应为 18 位，校验位按 GB 32100-2015 计算）',
      })
      .describe('统一社会信用代码'),
    certificatePem: z.string().max(20_000).nullish().describe('机构 SM2 证书（PEM）'),
    publicKeyPem: z.string().max(2_000).nullish().describe('或：机构 SM2 公钥（PEM）'),
  })
  .strict();

export const InstitutionStatusBody = z.object({ status: z.enum(['active', 'suspended']) }).strict();

export const InstitutionView = z.object({
  id: z.string(),
  name: z.string(),
  kind: InstitutionKindSchema,
  kindNameZh: z.string(),
  creditCode: z.string(),
  publicKeyPem: z.string(),
  hasCertificate: z.boolean(),
  status: z.enum(['active', 'suspended']),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const AccountRequestBody = z
  .object({ institutionId: z.string().uuid().optional().describe('开户银行（平台登记多家银行时必选）') })
  .strict();

const BankAccount = z.object({ accountNumber: z.string(), accountName: z.string(), bankName: z.string() });

export const TransferNoticeBody = z
  .object({
    virtualAccount: z
      .string()
      .trim()
      .regex(/^[0-9 -]{8,40}$/)
      .describe('虚拟子账号'),
    amountYuan: YuanAmount.refine((v) => Number(v) > 0, '金额须大于0'),
    payerAccountNumber: z.string().trim().min(4).max(40),
    payerAccountName: z.string().trim().min(1).max(200),
    payerBankName: z.string().trim().min(1).max(200),
    bankTransferId: z.string().trim().min(1).max(64).describe('银行流水号（幂等）'),
    valueTime: z.string().datetime({ offset: true }).describe('到账时间（ISO 8601）'),
  })
  .strict();

export const TransferNoticeResult = z.object({
  transferId: z.string(),
  status: z.enum(['accepted', 'rejected-payer', 'late']),
  counted: z.boolean(),
  returnInstructionId: z.string().nullable(),
  replayed: z.boolean(),
});

export const GuaranteeDocumentSchema = z
  .object({
    format: z.literal('ggzy-guarantee/v1'),
    guaranteeNo: z.string().min(1).max(64),
    issuer: z.object({ institutionId: z.string(), creditCode: z.string(), name: z.string() }).strict(),
    lotId: z.string().uuid(),
    lotCode: z.string().min(1).max(64),
    applicant: z
      .object({ creditCode: z.string().min(18).max(18), name: z.string().min(1).max(200) })
      .strict(),
    beneficiary: z.object({ organizationId: z.string(), name: z.string() }).strict(),
    amountYuan: YuanAmount,
    validFrom: z.string().datetime({ offset: true }),
    validUntil: z.string().datetime({ offset: true }),
    issuedAt: z.string().datetime({ offset: true }),
  })
  .strict();

export const SignedGuaranteeBody = z
  .object({
    guarantee: GuaranteeDocumentSchema,
    signature: z
      .string()
      .min(16)
      .max(200)
      .describe('出具机构 SM2 签名（base64url DER），签名原文为保函的规范 JSON'),
  })
  .strict();

export const RevokeGuaranteeBody = z.object({ reason: z.string().trim().min(2).max(500) }).strict();

export const GuaranteeIssueResult = z.object({
  guaranteeId: z.string(),
  documentSm3: z.string(),
  status: z.enum(['valid', 'revoked', 'released']),
  replayed: z.boolean(),
});

export const GuaranteeVerifyResult = z.object({
  genuine: z.boolean(),
  registered: z.boolean(),
  status: z.enum(['valid', 'revoked', 'released']).nullable(),
  issuer: z.object({ name: z.string(), kind: InstitutionKindSchema, status: z.string() }).optional(),
  problems: z.array(z.string()),
});

export const InstructionView = z.object({
  id: z.string(),
  kind: z.enum(['refund', 'return', 'release', 'forfeit', 'convert']),
  lotId: z.string(),
  principalYuan: z.string(),
  interestYuan: z.string(),
  totalYuan: z.string(),
  payee: BankAccount.nullable(),
  guaranteeNo: z.string().nullable(),
  virtualAccount: z.string().nullable(),
  reason: z.string(),
  citation: z.string(),
  dueAt: z.string(),
});

export const ConfirmInstructionBody = z
  .object({ bankReference: z.string().trim().min(1).max(64).describe('银行/机构的执行流水号') })
  .strict();

export const ForfeitDecisionBody = z.object({ forfeit: z.boolean() }).strict();

const TransferView = z.object({
  id: z.string(),
  amountYuan: z.string(),
  payer: BankAccount,
  bankTransferId: z.string(),
  valueAt: z.string(),
  receivedAt: z.string(),
  status: z.string(),
  statusNameZh: z.string(),
  rejectReason: z.string().nullable(),
});

const GuaranteeView = z.object({
  id: z.string(),
  guaranteeNo: z.string(),
  issuerName: z.string(),
  amountYuan: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
  status: z.string(),
  statusNameZh: z.string(),
  documentSm3: z.string(),
  issuedAt: z.string(),
});

export const RefundView = z.object({
  id: z.string(),
  kind: z.string(),
  kindNameZh: z.string(),
  source: z.string(),
  sourceId: z.string(),
  reason: z.string(),
  reasonNameZh: z.string(),
  principalYuan: z.string(),
  interestYuan: z.string(),
  interestRatePercent: z.string().nullable(),
  interestBasis: z.string().nullable(),
  citation: z.string(),
  dueAt: z.string(),
  status: z.string(),
  statusNameZh: z.string(),
  late: z.boolean(),
  lateInterestYuan: z.string().nullable(),
  executedAt: z.string().nullable(),
  bankReference: z.string().nullable(),
});

export const DepositStatusView = z.object({
  required: z.boolean(),
  requiredYuan: z.string().nullable(),
  satisfied: z.boolean(),
  paidYuan: z.string(),
  forms: z.array(z.string()),
});

export const MyDepositView = z.object({
  lotId: z.string(),
  lotCode: z.string(),
  lotName: z.string(),
  projectName: z.string(),
  bidDeadline: z.string(),
  requiredYuan: z.string().nullable(),
  acceptedForms: z.array(z.string()),
  account: z.object({ virtualAccount: z.string(), bankName: z.string(), openedAt: z.string() }).nullable(),
  transfers: z.array(TransferView),
  guarantees: z.array(GuaranteeView),
  refunds: z.array(RefundView),
  status: DepositStatusView,
  banks: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const AccountView = z.object({
  virtualAccount: z.string(),
  institutionId: z.string(),
  bankName: z.string(),
  openedAt: z.string(),
});

export const LotDepositsView = z.object({
  lotId: z.string(),
  lotCode: z.string(),
  requiredYuan: z.string().nullable(),
  bidDeadline: z.string(),
  bidders: z.array(
    z.object({
      bidderRef: z.string(),
      organizationId: z.string(),
      name: z.string(),
      creditCode: z.string().nullable(),
      virtualAccount: z.string().nullable(),
      transfers: z.array(TransferView),
      guarantees: z.array(GuaranteeView),
      refunds: z.array(RefundView),
      status: DepositStatusView,
    }),
  ),
  signals: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      kindNameZh: z.string(),
      citation: z.string(),
      bidders: z.array(z.string()),
      createdAt: z.string(),
    }),
  ),
});

export const LateRefundView = RefundView.extend({
  lotId: z.string(),
  lotCode: z.string(),
  bidderName: z.string().nullable(),
});

export const InstitutionLotView = z.object({
  lotId: z.string(),
  lotCode: z.string(),
  lotName: z.string(),
  projectName: z.string(),
  beneficiary: z.object({ organizationId: z.string(), name: z.string() }),
  bidDeadline: z.string(),
  depositYuan: z.string().nullable(),
  acceptedForms: z.array(z.string()),
  guaranteeMustCoverUntil: z.string(),
});
