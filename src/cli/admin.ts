import { buildPlatform, type Platform } from '../main.ts';
import { allMigrations } from '../migrations.ts';
import { SystemClock } from '../platform/clock/index.ts';
import type { Config } from '../platform/config/index.ts';
import { migrateToLatest, openDatabase } from '../platform/db/index.ts';
import { createIdentity } from '../platform/identity/index.ts';
import { SYSTEM_ORIGIN } from '../platform/witness/index.ts';
import { describeDemoAccounts, seedDemo } from '../seed/demo.ts';
import type { AllTables } from '../tables.ts';
import { configOrExit, describeDatabase, failAndExit } from './common.ts';

/** Opens and migrates the configured database for a one-shot command, then closes it. */
async function withDatabase<R>(
  fn: (deps: { config: Config; db: Awaited<ReturnType<typeof openDatabase<AllTables>>> }) => Promise<R>,
): Promise<R> {
  const config = configOrExit();
  let handle: Awaited<ReturnType<typeof openDatabase<AllTables>>> | undefined;
  try {
    handle = await openDatabase<AllTables>(config.database, { poolSize: 2 });
    await migrateToLatest(handle.db, allMigrations);
    return await fn({ config, db: handle });
  } catch (error) {
    await handle?.close().catch(() => undefined);
    return failAndExit(config, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export async function migrate(): Promise<void> {
  const config = configOrExit();
  try {
    const handle = await openDatabase<AllTables>(config.database, { poolSize: 1 });
    const report = await migrateToLatest(handle.db, allMigrations);
    await handle.close();
    console.log(`${describeDatabase(config)}：已应用 ${report.applied.length} 个迁移 (migrations applied)`);
    for (const name of report.applied) console.log(`  ${name}`);
  } catch (error) {
    failAndExit(config, error);
  }
}

export async function seed(): Promise<void> {
  const config = configOrExit();
  // The whole platform, without listening: the demo people act through its API (src/seed/demo.ts).
  let platform: Platform | undefined;
  try {
    platform = await buildPlatform({ config, logger: false, webDir: null });
    const seeded = await seedDemo({
      ...platform,
      securityClock: platform.sessionClock,
      dataDir: config.dataDir,
    });
    console.log(
      seeded
        ? '已写入演示数据 (demo data seeded)'
        : '数据库中已有账号，未写入演示数据 (accounts exist; nothing seeded)',
    );
    if (seeded) console.log(describeDemoAccounts());
  } catch (error) {
    await platform?.close().catch(() => undefined);
    platform = undefined;
    failAndExit(config, error);
  } finally {
    await platform?.close();
  }
}

export async function createUser(input: {
  username: string;
  name: string;
  role: string[];
  password?: string;
  orgId?: string;
}): Promise<void> {
  const password = input.password ?? process.env.GGZY_NEW_PASSWORD;
  if (!password) {
    console.error('请用 --password 或环境变量 GGZY_NEW_PASSWORD 给出密码 (a password is required).');
    process.exit(2);
  }
  await withDatabase(async ({ config, db }) => {
    const clock = new SystemClock(config.GGZY_TIME_SCALE);
    const identity = createIdentity({
      db: db.db,
      sessionClock: clock,
      sessionHours: config.GGZY_SESSION_HOURS,
    });
    try {
      const account = await identity.createAccount(
        { db: db.db, clock, actor: null, origin: { ...SYSTEM_ORIGIN, role: 'cli' } },
        {
          username: input.username,
          displayName: input.name,
          password,
          roles: input.role,
          organizationId: input.orgId ?? null,
        },
      );
      console.log(`已创建账号 ${account.username} (${account.id})，角色：${account.roles.join(', ')}`);
    } catch (error) {
      if (error instanceof Error && 'title' in error) {
        const problem = error as Error & { title: string; detail?: string };
        console.error(`${problem.title}${problem.detail ? `：${problem.detail}` : ''}`);
        process.exitCode = 1;
        return;
      }
      throw error;
    }
  });
}
