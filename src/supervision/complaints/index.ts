export { flagChallengeOverdue } from './challenges.ts';
export { checkComplaintDeadlines, sweepOverdueComplaints } from './clocks.ts';
export {
  CHALLENGE_ANSWER_DUE_JOB,
  CHALLENGE_WITNESS_TYPE,
  COMPLAINT_DEADLINE_JOB,
  COMPLAINT_WITNESS_TYPE,
  type ComplaintsContext,
  type ComplaintsDb,
  suspensionCause,
} from './context.ts';
export { type ComplaintJobRegistry, registerComplaintJobs } from './jobs.ts';
export { financeDepartmentOf, handlingDepartment } from './jurisdiction.ts';
export { complaintsMigrations } from './migrations.ts';
export { type ComplaintRouteDeps, registerComplaintRoutes } from './routes.ts';
export { CITATIONS as COMPLAINT_CITATIONS, OUTCOME_NAMES_ZH } from './rules.ts';
export { COMPLAINT_STATUS_NAMES_ZH } from './states.ts';
export type { ComplaintLaw, ComplaintStatus, ComplaintsTables, Outcome } from './tables.ts';
