import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/**
 * A module writes only its own tables (docs/architecture.md). The kernel's identity tables are written
 * by identity's exported functions (recordAccount, recordOrganization, setAccountRoles, grant …), inside
 * this module's transaction. This check needs no dependency-cruiser: it reads the module's sources.
 */

const OWN_TABLES = ['market_entities', 'entity_qualifications', 'entity_versions'];
const KERNEL_TABLES = ['accounts', 'organizations', 'sessions', 'grants'];
const kernel = KERNEL_TABLES.join('|');

/** Kysely writes naming a kernel table: insertInto('accounts'), updateTable("sessions as s") … */
const KYSELY_KERNEL_WRITE = new RegExp(
  String.raw`\b(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*['"\x60](${kernel})\b`,
  'g',
);
/** The same in raw SQL: insert into accounts, update "sessions", delete from grants. */
const RAW_KERNEL_WRITE = new RegExp(
  String.raw`\b(insert\s+into|update|delete\s+from)\s+"?(${kernel})\b`,
  'gi',
);
/** Every table a Kysely query names: it must be one of this module's own. */
const KYSELY_TABLE =
  /\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*['"`]([A-Za-z_][\w.]*)/g;

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

function violations(source: string): string[] {
  const code = withoutComments(source);
  const found: string[] = [];
  for (const m of code.matchAll(KYSELY_KERNEL_WRITE)) found.push(m[0]);
  for (const m of code.matchAll(RAW_KERNEL_WRITE)) found.push(m[0]);
  for (const m of code.matchAll(KYSELY_TABLE)) {
    const table = m[2]!.split('.').pop()!;
    if (!OWN_TABLES.includes(table)) found.push(m[0]);
  }
  return found;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(here, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .sort();

test('the scanner sees the module and catches a kernel write', () => {
  expect(sources).toEqual(expect.arrayContaining(['entities.ts', 'store.ts', 'organization-accounts.ts']));
  expect(violations("await tx.insertInto('accounts').values(row).execute();")).not.toEqual([]);
  expect(violations('db.updateTable("sessions").set({ revoked_at: at })')).not.toEqual([]);
  expect(violations('db\n  .updateTable(`organizations as o`)')).not.toEqual([]);
  expect(violations('sql`UPDATE grants SET revoked_at = now()`')).not.toEqual([]);
  expect(violations("db.selectFrom('accounts').selectAll()")).not.toEqual([]);
  expect(violations("db.selectFrom('market_entities').innerJoin('entity_versions', 'a', 'b')")).toEqual([]);
  expect(violations("// we never insertInto('accounts') here\nconst x = 1;")).toEqual([]);
});

test.each(sources)('%s writes no kernel identity table and queries only this module’s tables', (file) => {
  expect(violations(readFileSync(join(here, file), 'utf8'))).toEqual([]);
});
