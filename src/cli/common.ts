import { type Config, ConfigError, loadConfig } from '../platform/config/index.ts';
import { isDatabaseUnavailable } from '../platform/db/index.ts';

/** Loads config or exits with the message that names the wrong variable. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

/** Where the database is, with any password hidden. */
export function describeDatabase(config: Config): string {
  if (config.database.kind === 'pglite') return `内置数据库 PGlite（${config.database.dir}）`;
  return `PostgreSQL ${config.database.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`;
}

/** Prints a fault the operator can act on, then exits non-zero. */
export function failAndExit(config: Config | null, error: unknown): never {
  if (config && isDatabaseUnavailable(error)) {
    console.error(`无法连接数据库：${describeDatabase(config)}`);
    console.error(`Cannot reach the database: ${(error as Error).message}`);
    console.error(
      '请确认数据库已启动、DATABASE_URL 正确 (check that the server runs and DATABASE_URL is right).',
    );
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exit(1);
}
