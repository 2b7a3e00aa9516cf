export {
  type DatabaseHandle,
  type DatabaseTarget,
  type Db,
  isDatabaseUnavailable,
  openDatabase,
} from './database.ts';
export { type MigrationReport, migrateToLatest, type SqlMigration } from './migrate.ts';
