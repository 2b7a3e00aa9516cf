export { CONTRACT_WITNESS_TYPE, type ContractsDb, type ContractsDeps } from './context.ts';
export { CONTRACT_FORMAT } from './contracts.ts';
export { registerContractJobs } from './jobs.ts';
export { contractsMigrations } from './migrations.ts';
export { registerContractRoutes } from './routes.ts';
export {
  CITATIONS as CONTRACT_CITATIONS,
  maxPerformanceBond,
  PDF_SIGN_FORMAT,
  pdfSigningText,
  SIGN_FORMAT,
  signingText,
} from './rules.ts';
export type { ContractsTables } from './tables.ts';
export { CONTRACT_STATUS_NAMES_ZH, readSignedContract, type SignedContractSummary } from './views.ts';
