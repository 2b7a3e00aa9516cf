/**
 * 风险监测预警 (办法第七条、第四十二条): signals over the platform's own records — 围标串标 identity
 * collisions, price screens, expert and initiator signals, and the Cardinal set — computed as the records
 * land and in full on demand, raised as alerts with their evidence and legal source, routed to the
 * supervisors in scope and handled through a witnessed workflow. Rules and thresholds are versioned data.
 * See docs/monitoring.md.
 */
export { STATUS_NAMES_ZH } from './alerts.ts';
export { runCardinalAlerts } from './cardinal.ts';
export { FOLLOW_JOB, type MonitoringDb, type MonitoringDeps, RERUN_JOB } from './context.ts';
export { computeOpenedLot, type FollowResult, followWitnessLog, MONITORED_ACTIONS } from './follower.ts';
export { type MonitoringJobRegistry, registerMonitoringJobs } from './jobs.ts';
export { startMonitoringLive } from './live.ts';
export { monitoringMigrations } from './migrations.ts';
export { registerMonitoringRoutes } from './routes.ts';
export { seedMonitoringRules } from './rule-versions.ts';
export { RULES } from './rules.ts';
export { rerunAllRules } from './runs.ts';
export { type ScanResult, scanOpenedLot } from './scan.ts';
export type { AlertLevel, AlertStatus, MonitoringTables } from './tables.ts';
