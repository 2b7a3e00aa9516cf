import { z } from 'zod';
import { YuanAmount } from '../../platform/money/index.ts';

export const LotIdParams = z.object({ lotId: z.string().min(1).max(100) });
export const ContractIdParams = z.object({ contractId: z.string().min(1).max(100) });

const SIGNATURE = z.string().min(8).max(400).describe('SM2 签名（DER，base64url）');
const LATE_REASON = z.string().trim().max(2000).nullish().describe('超过30日签订的理由（超期时必填）');

export const DraftBody = z.object({
  title: z.string().trim().max(300).nullish(),
  priceYuan: YuanAmount.describe('合同价款（元），须与中标价一致'),
  performanceBondYuan: YuanAmount.nullish().describe('履约保证金（元），不超过合同金额的10%'),
  terms: z.object({
    scope: z.string().trim().min(2, '请填写合同标的（工程范围/采购内容）').max(5000),
    period: z.string().trim().max(500).nullish().describe('履行期限（默认取投标文件的工期/交货期）'),
    quality: z.string().trim().max(500).nullish().describe('质量标准（默认取投标文件）'),
    payment: z.string().trim().min(2, '请填写价款支付方式').max(5000),
    other: z.string().trim().max(10000).nullish(),
  }),
});

export const SignBody = z.object({ signature: SIGNATURE, lateReason: LATE_REASON });

export const UploadBody = z.object({
  pdfSha256: z.string().regex(/^[0-9a-f]{64}$/, '应为 64 位十六进制 SHA-256'),
  initiatorSignature: SIGNATURE,
  supplierSignature: SIGNATURE,
  lateReason: LATE_REASON,
});
