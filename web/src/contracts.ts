/**
 * 合同管理 (src/trading/contracts): drafts from the award, signatures by both parties (SM2 in the browser
 * with the party's own key file), refunds and publication tracking, and the supervision alerts.
 */
import { api } from './api.ts';

export interface ContractAlert {
  id: string;
  lotId: string;
  kind: string;
  kindNameZh: string;
  daysBefore: number;
  audience: 'parties' | 'regulator';
  regulator: string;
  projectName: string;
  lotName: string;
  title: string;
  detail: string;
  citation: string;
  createdAt: string;
}

export interface ContractView {
  id: string;
  lotId: string;
  title: string;
  /** 'rights': the 出让（转让）合同 after an auction's deal. */
  law: 'works' | 'gp' | 'rights';
  status: 'draft' | 'signing' | 'signed';
  statusNameZh: string;
  parties: {
    initiator: { organizationId: string; name: string };
    supplier: { organizationId: string; name: string; creditCode: string };
  };
  viewerParty: 'initiator' | 'supplier' | null;
  priceYuan: string;
  performanceBondYuan: string | null;
  /** null: no 履约保证金 is taken (an auction's contract). */
  maxPerformanceBondYuan: string | null;
  partyNamesZh: { initiator: string; supplier: string };
  terms: {
    scope: string;
    period: string | null;
    quality: string | null;
    payment: string;
    other: string | null;
  };
  contractSm3: string;
  signingText: string;
  dueAt: string;
  dueCitation: string;
  signatures: {
    party: string;
    partyNameZh: string;
    method: string;
    certificateFingerprint: string;
    signedAt: string;
  }[];
  signedAt: string | null;
  late: boolean;
  lateReason: string | null;
  refunds: {
    scheduledAt: string;
    reasonNameZh: string;
    dueBy: string;
    periodZh: string;
    citation: string;
  } | null;
  publication: {
    required: boolean;
    /** false for an auction's contract: its 成交公示 published the result. */
    available: boolean;
    dueAt: string | null;
    publishedAt: string | null;
    announcementId: string | null;
    late: boolean;
    citation: string | null;
  };
}

export interface ContractPage {
  lotId: string;
  award: {
    winner: { organizationId: string; bidderName: string; creditCode: string; priceYuan: string };
    noticeIssuedAt: string;
    contractDueAt: string;
    /** Past the limit by platform time. */
    overdue: boolean;
    citation: string;
    /** 'award' (中标通知书) or 'deal' (an auction's 成交通知书). */
    source: 'award' | 'deal';
    law: 'works' | 'gp' | 'rights';
    noticeNameZh: string;
    partyNamesZh: { initiator: string; supplier: string };
  };
  draftDefaults: {
    title: string;
    priceYuan: string;
    maxPerformanceBondYuan: string | null;
    period: string | null;
    quality: string | null;
  };
  contract: ContractView | null;
  alerts: ContractAlert[];
}

export interface ContractListItem {
  id: string;
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  title: string;
  status: string;
  statusNameZh: string;
  priceYuan: string;
  supplierName: string;
  initiatorName: string;
  dueAt: string;
  signedAt: string | null;
  late: boolean;
  publishedAt: string | null;
}

export interface DraftInput {
  title?: string | null;
  priceYuan: string;
  performanceBondYuan?: string | null;
  terms: {
    scope: string;
    period?: string | null;
    quality?: string | null;
    payment: string;
    other?: string | null;
  };
}

export const listMyContracts = () => api.get<{ items: ContractListItem[] }>('/api/my/contracts');
export const getContractPage = (lotId: string) =>
  api.get<ContractPage>(`/api/lots/${encodeURIComponent(lotId)}/contract`);
export const draftContract = (lotId: string, body: DraftInput) =>
  api.post<ContractPage>(`/api/lots/${encodeURIComponent(lotId)}/contract`, body);
export const signContract = (contractId: string, signature: string, lateReason?: string | null) =>
  api.post<ContractPage>(`/api/contracts/${encodeURIComponent(contractId)}/sign`, {
    signature,
    ...(lateReason ? { lateReason } : {}),
  });
export const publishContract = (contractId: string) =>
  api.post<ContractPage>(`/api/contracts/${encodeURIComponent(contractId)}/publish`);
export const listContractAlerts = () =>
  api.get<{ items: ContractAlert[] }>('/api/supervision/contract-alerts');
