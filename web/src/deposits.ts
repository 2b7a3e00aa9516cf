/**
 * 投标保证金 (deposits) API for the responder's page: its own deposit for a lot, and asking for the lot's
 * virtual sub-account (虚拟子账号). Mirrors src/trading/deposits/schemas.ts (the web app is built apart).
 */

import { lotPath } from './announcements.ts';
import { api } from './api.ts';

export interface BankAccountView {
  accountNumber: string;
  accountName: string;
  bankName: string;
}

export interface DepositTransferView {
  id: string;
  amountYuan: string;
  payer: BankAccountView;
  bankTransferId: string;
  valueAt: string;
  receivedAt: string;
  status: 'accepted' | 'rejected-payer' | 'late';
  statusNameZh: string;
  rejectReason: string | null;
}

export interface DepositGuaranteeView {
  id: string;
  guaranteeNo: string;
  issuerName: string;
  amountYuan: string;
  validFrom: string;
  validUntil: string;
  status: 'valid' | 'revoked' | 'released';
  statusNameZh: string;
  documentSm3: string;
  issuedAt: string;
}

export interface DepositRefundView {
  id: string;
  kind: string;
  /** What is refunded: a cash `transfer` or a `guarantee`. */
  source: string;
  kindNameZh: string;
  reasonNameZh: string;
  principalYuan: string;
  interestYuan: string;
  interestRatePercent: string | null;
  citation: string;
  dueAt: string;
  status: string;
  statusNameZh: string;
  late: boolean;
  lateInterestYuan: string | null;
  executedAt: string | null;
  bankReference: string | null;
}

export interface MyDepositView {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  bidDeadline: string;
  requiredYuan: string | null;
  acceptedForms: ('cash' | 'guarantee')[];
  account: { virtualAccount: string; bankName: string; openedAt: string } | null;
  transfers: DepositTransferView[];
  guarantees: DepositGuaranteeView[];
  refunds: DepositRefundView[];
  status: {
    required: boolean;
    requiredYuan: string | null;
    satisfied: boolean;
    paidYuan: string;
    forms: string[];
  };
  banks: { id: string; name: string }[];
}

export const DEPOSIT_FORM_NAMES_ZH: Record<string, string> = {
  cash: '现金（基本账户转账）',
  guarantee: '电子保函',
};

export function getMyDeposit(lotId: string): Promise<MyDepositView> {
  return api.get<MyDepositView>(lotPath(lotId, '/my-deposit'));
}

export function requestVirtualAccount(lotId: string, institutionId?: string) {
  return api.post<{ virtualAccount: string; bankName: string }>(
    lotPath(lotId, '/my-deposit/account'),
    institutionId ? { institutionId } : {},
  );
}

/** "1,234,567.89" for a yuan string. */
export function formatYuan(yuan: string | null | undefined): string {
  if (!yuan) return '—';
  const [whole = '0', fraction = '00'] = yuan.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0')}`;
}

// ---- the trading centre, supervisors and the lot's initiator/agency (after the bid deadline) ----

export type InstitutionKind = 'bank' | 'insurer' | 'guarantor';

export const INSTITUTION_KIND_NAMES_ZH: Record<InstitutionKind, string> = {
  bank: '银行',
  insurer: '保险机构',
  guarantor: '担保机构',
};

export interface InstitutionView {
  id: string;
  name: string;
  kind: InstitutionKind;
  kindNameZh: string;
  creditCode: string;
  publicKeyPem: string;
  hasCertificate: boolean;
  status: 'active' | 'suspended';
  createdAt: string;
  updatedAt: string;
}

export interface RegisterInstitutionInput {
  name: string;
  kind: InstitutionKind;
  creditCode: string;
  certificatePem?: string;
  publicKeyPem?: string;
}

export interface LateRefundView extends DepositRefundView {
  lotId: string;
  lotCode: string;
  /** Null while the lot is before its bid deadline (secrecy) or the bidder is not known. */
  bidderName: string | null;
}

export interface LotDepositBidder {
  bidderRef: string;
  organizationId: string;
  name: string;
  creditCode: string | null;
  virtualAccount: string | null;
  transfers: DepositTransferView[];
  guarantees: DepositGuaranteeView[];
  refunds: DepositRefundView[];
  status: MyDepositView['status'];
}

export interface DepositSignalView {
  id: string;
  kind: string;
  kindNameZh: string;
  citation: string;
  /** The bidders' names (after the deadline). */
  bidders: string[];
  createdAt: string;
}

export interface LotDepositsView {
  lotId: string;
  lotCode: string;
  requiredYuan: string | null;
  bidDeadline: string;
  bidders: LotDepositBidder[];
  /** Only supervisors are given the signals; empty for everyone else. */
  signals: DepositSignalView[];
}

export function listInstitutions(): Promise<{ items: InstitutionView[] }> {
  return api.get<{ items: InstitutionView[] }>('/api/admin/deposit-institutions');
}

export function registerInstitution(input: RegisterInstitutionInput): Promise<InstitutionView> {
  return api.post<InstitutionView>('/api/admin/deposit-institutions', input);
}

export function setInstitutionStatus(id: string, status: 'active' | 'suspended'): Promise<InstitutionView> {
  return api.post<InstitutionView>(`/api/admin/deposit-institutions/${encodeURIComponent(id)}/status`, {
    status,
  });
}

export function listLateRefunds(): Promise<{ items: LateRefundView[] }> {
  return api.get<{ items: LateRefundView[] }>('/api/admin/deposit-refunds/late');
}

export function getLotDeposits(lotId: string): Promise<LotDepositsView> {
  return api.get<LotDepositsView>(lotPath(lotId, '/deposits'));
}

/** 不予退还: `forfeit: true` confirms the proposal, `false` declines it (an ordinary refund follows). */
export function decideForfeit(refundId: string, forfeit: boolean): Promise<{ id: string; status: string }> {
  return api.post<{ id: string; status: string }>(
    `/api/deposit-refunds/${encodeURIComponent(refundId)}/forfeit-decision`,
    { forfeit },
  );
}

/** How long past its due date a refund is at `now`: "逾期 3 天 4 小时"; "未逾期" when it is not. */
export function lateBy(dueAt: string, now: string | number | Date): string {
  const ms = new Date(now).getTime() - new Date(dueAt).getTime();
  if (!Number.isFinite(ms) || ms <= 0) return '未逾期';
  const hours = Math.floor(ms / 3_600_000);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  if (days === 0) return rest === 0 ? '逾期不足 1 小时' : `逾期 ${rest} 小时`;
  return rest === 0 ? `逾期 ${days} 天` : `逾期 ${days} 天 ${rest} 小时`;
}

/** The text of a PEM file a person picked (certificate or public key), refused when it is not one. */
export async function readPemFile(file: File): Promise<string> {
  if (file.size > 20_000) throw new Error('文件过大：证书或公钥 PEM 文件一般不超过 20 KB。');
  const text = (await file.text()).trim();
  if (!/^-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
    throw new Error('所选文件不是 PEM 格式（应以“-----BEGIN”开头）。DER 格式的证书请先转换为 PEM。');
  }
  return text;
}
