export { CLARIFICATION_KIND_NAMES_ZH } from './clarifications.ts';
export {
  CLARIFICATION_WITNESS_TYPE,
  EVALUATION_WITNESS_TYPE,
  type EvaluationContext,
  type EvaluationDb,
  type EvaluationDeps,
  REPORT_COMPLETED_JOB as EVALUATION_REPORT_COMPLETED_JOB,
} from './context.ts';
export { type EvaluationScoreEvidence, readEvaluationScores } from './evidence.ts';
export { type EvaluationJobRegistry, registerEvaluationJobs } from './jobs.ts';
export { evaluationMigrations } from './migrations.ts';
export { type EvaluationOutcome, getEvaluationOutcome } from './outcome.ts';
export { type PdfBlock, renderPdf, reportFontBytes } from './pdf.ts';
export {
  buildReportContent,
  REPORT_FORMAT,
  REPORT_SIGN_FORMAT,
  type ReportContent,
  renderReportPdf,
  reportDigest,
  reportSigningText,
} from './report.ts';
export { registerEvaluationRoutes } from './routes.ts';
export {
  type AggregationInput,
  type AggregationResult,
  aggregate,
  CITATIONS as EVALUATION_CITATIONS,
  checkComposition,
  METHOD_NAMES_ZH,
  priceScoreCenti,
  REJECTION_GROUNDS,
  scoreDeviations,
} from './rules.ts';
export { createEvaluationDeps } from './setup.ts';
export type { EvaluationMethod, EvaluationPlan, EvaluationTables, PlanCriterion } from './tables.ts';
export { EVALUATION_STATUS_NAMES_ZH } from './views.ts';
