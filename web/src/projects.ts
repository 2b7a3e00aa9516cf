/**
 * 项目登记 in the browser: the shapes of src/trading/projects/schemas.ts and the Chinese names of codes.
 * Nothing here decides anything: the server checks the catalog, region, amounts and who may act, and its
 * answer is shown as it is.
 */
import { ref } from 'vue';
import { api } from './api.ts';

export type ProjectStatus = 'submitted' | 'returned' | 'received';

export interface LotView {
  id: string;
  code: string;
  seq: number;
  name: string;
  procedureType: string;
  procedureName: string;
  estimateYuan: string;
  content: string;
  rulesAsOf: string;
  status: string;
  statusName: string;
}

export interface AuthorisationView {
  id: string;
  agencyOrganizationId: string;
  agencyName: string;
  documentName: string;
  documentNumber: string | null;
  documentBlobId: string | null;
  scope: string;
  validFrom: string;
  validUntil: string | null;
  status: string;
  statusName: string;
  current: boolean;
  revokedAt: string | null;
  revokeReason: string | null;
  createdAt: string;
}

export interface ApprovalDocument {
  name: string;
  number: string;
  authority: string;
  blobId: string | null;
}

export interface ProjectView {
  id: string;
  code: string;
  tenderProjectCode: string;
  name: string;
  catalogItemCode: string;
  catalogItemName: string | null;
  tradingMode: string | null;
  mandatoryTender: boolean;
  fundSource: string;
  budgetYuan: string;
  region: { code: string; pathName: string };
  address: string | null;
  approvalDocuments: ApprovalDocument[];
  regulator: string;
  investmentProjectCode: string | null;
  initiator: { organizationId: string; name: string };
  status: ProjectStatus;
  statusName: string;
  returnReasons: string[] | null;
  version: number;
  receivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  lots: LotView[];
  authorisations: AuthorisationView[];
  permissions: { edit: boolean; authorise: boolean };
}

export interface ProjectListItem {
  id: string;
  code: string;
  name: string;
  catalogItemCode: string;
  regionCode: string;
  budgetYuan: string;
  initiatorName: string;
  status: ProjectStatus;
  statusName: string;
  lotCount: number;
  version: number;
  agencyName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SplitFlagView {
  id: number;
  lotId: string;
  lotCode: string;
  projectId: string;
  initiatorOrganizationId: string;
  initiatorName: string;
  catalogItemCode: string;
  thresholdYuan: string;
  totalYuan: string;
  citation: string;
  windowFrom: string;
  lots: {
    lotId: string;
    lotCode: string;
    lotName: string;
    projectCode: string;
    projectName: string;
    estimateYuan: string;
    rulesAsOf: string;
  }[];
  createdAt: string;
}

export const PROJECT_STATUS_TAG: Record<
  ProjectStatus,
  { text: string; type: 'warning' | 'danger' | 'success' }
> = {
  submitted: { text: '待受理', type: 'warning' },
  returned: { text: '退回补正', type: 'danger' },
  received: { text: '已受理', type: 'success' },
};

export const TRADING_MODE_NAMES: Record<string, string> = {
  tender: '招标',
  procurement: '政府采购',
  auction: '拍卖',
  listing: '挂牌',
  other: '其他',
};

export interface CatalogItemOption {
  code: string;
  name: string;
  categoryName: string;
  tradingModes: string[];
  regulator: string;
  splitThresholdYuan: string | null;
}

export interface ProcedureOption {
  type: string;
  nameZh: string;
  law: 'works' | 'gp';
}

/** The trading catalog in force today, flattened for a select. */
export async function loadCatalogItems(): Promise<CatalogItemOption[]> {
  const catalog = await api.get<{
    categories: { code: string; name: string; items: CatalogItemOption[] }[];
  }>('/api/public/catalogs/trading');
  return catalog.categories.flatMap((c) => c.items.map((i) => ({ ...i, categoryName: c.name })));
}

export async function loadProcedures(): Promise<ProcedureOption[]> {
  return (await api.get<{ items: ProcedureOption[] }>('/api/public/procedures')).items;
}

/** "1,234,567.89 元". */
export function formatYuan(value: string | null | undefined): string {
  if (!value) return '—';
  const [whole = '0', fraction = '00'] = value.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0')} 元`;
}

/**
 * A file attached to a form (审批文件扫描件, 委托代理合同), uploaded to /api/blobs: the form sends `sha256` as
 * the blob id. A file attached before arrives with its SHA-256 only; its size and SM3 are looked up.
 */
export interface AttachedFile {
  sha256: string;
  sm3: string | null;
  size: number | null;
  filename: string | null;
}

/** Uploads still running in the open form: saving waits for them (the blob id is not known before). */
export const pendingUploads = ref(0);

export interface ApprovalDocumentForm {
  name: string;
  number: string;
  authority: string;
  file: AttachedFile | null;
}

export function emptyApprovalDocument(): ApprovalDocumentForm {
  return { name: '', number: '', authority: '', file: null };
}

function attachedOf(blobId: string | null): AttachedFile | null {
  return blobId ? { sha256: blobId, sm3: null, size: null, filename: null } : null;
}

export interface LotForm {
  name: string;
  procedureType: string;
  estimateYuan: string;
  content: string;
}

export interface ProjectForm {
  name: string;
  catalogItemCode: string;
  mandatoryTender: boolean;
  fundSource: string;
  budgetYuan: string;
  regionCode: string;
  address: string;
  regulator: string;
  investmentProjectCode: string;
  approvalDocuments: ApprovalDocumentForm[];
  lots: LotForm[];
}

export function emptyLot(): LotForm {
  return { name: '', procedureType: 'open-tender.works', estimateYuan: '', content: '' };
}

export function emptyProjectForm(): ProjectForm {
  return {
    name: '',
    catalogItemCode: '0101',
    mandatoryTender: true,
    fundSource: '财政资金',
    budgetYuan: '',
    regionCode: '150102',
    address: '',
    regulator: '',
    investmentProjectCode: '',
    approvalDocuments: [emptyApprovalDocument()],
    lots: [emptyLot()],
  };
}

export function formOfProject(p: ProjectView): ProjectForm {
  return {
    name: p.name,
    catalogItemCode: p.catalogItemCode,
    mandatoryTender: p.mandatoryTender,
    fundSource: p.fundSource,
    budgetYuan: p.budgetYuan,
    regionCode: p.region.code,
    address: p.address ?? '',
    regulator: p.regulator,
    investmentProjectCode: p.investmentProjectCode ?? '',
    approvalDocuments: p.approvalDocuments.map((d) => ({
      name: d.name,
      number: d.number,
      authority: d.authority,
      file: attachedOf(d.blobId),
    })),
    lots: [],
  };
}

/** The body of POST /api/projects (with lots) or PUT /api/projects/:id (without). */
export function bodyOf(form: ProjectForm, withLots: boolean): Record<string, unknown> {
  const text = (v: string) => (v.trim() === '' ? null : v.trim());
  return {
    name: form.name.trim(),
    catalogItemCode: form.catalogItemCode,
    mandatoryTender: form.mandatoryTender,
    fundSource: form.fundSource.trim(),
    budgetYuan: form.budgetYuan.trim(),
    regionCode: form.regionCode.trim(),
    address: text(form.address),
    regulator: text(form.regulator),
    investmentProjectCode: text(form.investmentProjectCode),
    approvalDocuments: form.approvalDocuments
      .filter((d) => d.name.trim() || d.number.trim() || d.authority.trim() || d.file)
      .map((d) => ({
        name: d.name.trim(),
        number: d.number.trim(),
        authority: d.authority.trim(),
        blobId: d.file?.sha256 ?? null,
      })),
    ...(withLots
      ? {
          lots: form.lots.map((l) => ({
            name: l.name.trim(),
            procedureType: l.procedureType,
            estimateYuan: l.estimateYuan.trim(),
            content: l.content.trim(),
          })),
        }
      : {}),
  };
}
