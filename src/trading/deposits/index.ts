export {
  type AcceptedFormsReader,
  type DepositForm,
  type DepositsContext,
  type DepositsDb,
  WITNESS as DEPOSIT_WITNESS_TYPES,
} from './context.ts';
export { type DepositPayerEvidence, readDepositEvidence } from './evidence.ts';
export { registerDepositJobs } from './jobs.ts';
export { depositsMigrations } from './migrations.ts';
export {
  bindDepositSealer,
  type ScheduleRefundsInput,
  scheduleDepositRefunds,
  settleAuctionDeposits,
} from './refunds.ts';
export { type DepositRouteDeps, registerDepositRoutes } from './routes.ts';
export { REFUND_PERIODS, REFUND_REASON_NAMES_ZH, type RefundReason } from './rules.ts';
export {
  type GuaranteeDocument,
  guaranteeSigningText,
  requestSigningText,
  signGuarantee,
  signRequest,
} from './signing.ts';
export { type DepositStatus, depositStatus } from './status.ts';
export type { DepositsTables } from './tables.ts';
export { type DepositTermsInput, setDepositTerms } from './terms.ts';
