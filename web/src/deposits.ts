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
