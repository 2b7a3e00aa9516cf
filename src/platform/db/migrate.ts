import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

/**
 * A migration is a list of single SQL statements (PGlite's extended protocol takes one statement per
 * query) or a function for what SQL alone cannot say. Names sort in the order they run.
 */
export interface SqlMigration {
  name: string;
  statements: string[];
}

class ListProvider implements MigrationProvider {
  constructor(private readonly list: SqlMigration[]) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const m of this.list) {
      if (out[m.name]) throw new Error(`duplicate migration name ${m.name}`);
      out[m.name] = {
        up: async (db: Kysely<unknown>) => {
          for (const statement of m.statements) await sql.raw(statement).execute(db);
        },
      };
    }
    return out;
  }
}

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest<T>(db: Kysely<T>, list: SqlMigration[]): Promise<MigrationReport> {
  // The migrator only touches its own bookkeeping tables and runs raw SQL: the schema type is irrelevant.
  const plain = db as unknown as Kysely<unknown>;
  // Kysely looks for its bookkeeping tables in any schema unless told which: name the current one, so a
  // database holding several ggzy schemas (tests, benches, tenants) migrates each on its own.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(plain);
  const migrator = new Migrator({
    db: plain,
    migrationTableSchema: rows[0]?.schema ?? 'public',
    provider: new ListProvider(list),
    migrationTableName: 'ggzy_migrations',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `数据库迁移失败${failed ? `（${failed.migrationName}）` : ''}: ${String((error as Error).message ?? error)}`,
      {
        cause: error,
      },
    );
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
