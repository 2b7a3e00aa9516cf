/**
 * 第三方系统接入 (src/service/interfaces): the operator's API for system credentials and the recent pushes
 * of the aggregation port, and the shapes the server answers with (schemas.ts there).
 */
import { api } from './api.ts';

export interface InterfaceSystem {
  id: string;
  platformCode: string;
  name: string;
  kind: 'third-party' | 'city-centre';
  kindName: string;
  certificateSubject: string;
  certificateSm3: string;
  certificateNotAfter: string;
  regionPrefixes: string[];
  tables: string[];
  status: 'active' | 'revoked';
  statusName: string;
  revokeReason: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export interface RecordResult {
  index: number;
  table: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  key: string | null;
  version: string | null;
  problems: FieldProblem[];
}

export interface InterfacePush {
  pushId: string;
  receivedAt: string;
  total: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  results: RecordResult[];
  system: { id: string; platformCode: string; name: string };
}

export interface RegisterSystemInput {
  platformCode: string;
  certificatePem: string;
  regionPrefixes: string[];
  tables: string[];
}

export const RESULT_STATUS_NAMES: Record<RecordResult['status'], string> = {
  accepted: '已接收',
  duplicate: '重复',
  rejected: '已拒绝',
};

/** The tables a system usually pushes (数据规范); the operator may add any other table name. */
export const COMMON_TABLES: { value: string; label: string }[] = [
  { value: 'PROJECT', label: 'PROJECT 项目' },
  { value: 'TENDER_PROJECT', label: 'TENDER_PROJECT 招标项目' },
  { value: 'SECTION', label: 'SECTION 标段(包)' },
  { value: 'TENDER_ANN_QUA_INQUERY_ANN', label: 'TENDER_ANN_QUA_INQUERY_ANN 招标公告与资格预审公告' },
  { value: 'BID_OPENING_RECORD', label: 'BID_OPENING_RECORD 开标记录' },
  { value: 'TENDER_LIST', label: 'TENDER_LIST 投标人名单' },
  { value: 'TENDER_CANDIDATE_ANNOUNCE', label: 'TENDER_CANDIDATE_ANNOUNCE 中标候选人公示' },
  { value: 'WIN_RESULT_ANNO', label: 'WIN_RESULT_ANNO 中标结果公告' },
  { value: 'CONTRACT_PERFORMANCE', label: 'CONTRACT_PERFORMANCE 合同' },
  { value: 'TENDER_ABNORMITY_REPORT', label: 'TENDER_ABNORMITY_REPORT 招标异常情况报告' },
  { value: 'PURCHASE_PROJECT', label: 'PURCHASE_PROJECT 采购项目' },
  { value: 'PURCHASE_QUALI_INQUERY_ANN', label: 'PURCHASE_QUALI_INQUERY_ANN 采购公告' },
  { value: 'CORRECTION_ITEM', label: 'CORRECTION_ITEM 更正事项' },
  { value: 'PURCHASE_BIDDING_RECORD', label: 'PURCHASE_BIDDING_RECORD 采购开标记录' },
  { value: 'PURCHASE_TENDER_LIST', label: 'PURCHASE_TENDER_LIST 供应商名单' },
  { value: 'BID_DEAL_ANNOUNCE', label: 'BID_DEAL_ANNOUNCE 中标(成交)结果公告' },
  { value: 'PURCHASE_CONTRACT', label: 'PURCHASE_CONTRACT 采购合同' },
];

export const interfacesApi = {
  listSystems: async () =>
    (await api.get<{ items: InterfaceSystem[] }>('/api/admin/interface-systems')).items,
  register: (input: RegisterSystemInput) => api.post<InterfaceSystem>('/api/admin/interface-systems', input),
  revoke: (id: string, reason: string) =>
    api.post<InterfaceSystem>(`/api/admin/interface-systems/${encodeURIComponent(id)}/revoke`, { reason }),
  listPushes: async (systemId?: string) =>
    (
      await api.get<{ items: InterfacePush[] }>('/api/admin/interface-pushes', {
        query: { systemId, limit: 50 },
      })
    ).items,
};
