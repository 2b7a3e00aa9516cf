import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/**
 * The certs part queries only its own tables (docs/architecture.md): accounts and organisations are read
 * through identity's exported records, sessions opened by identity's openSession. Read from the sources.
 */
const TABLE =
  /\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*['"`]([A-Za-z_][\w.]*)/g;
const RAW =
  /\b(insert\s+into|update|delete\s+from|from|join)\s+"?(accounts|organizations|sessions|grants|witness_\w+)\b/gi;

function foreignTables(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
  const found = [...code.matchAll(TABLE)].map((m) => m[2]!).filter((t) => !t.startsWith('cert_'));
  return [...found, ...[...code.matchAll(RAW)].map((m) => m[0])];
}

const here = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(here).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'migrations.ts',
);

test('the scanner sees the part and catches a foreign table', () => {
  expect(sources).toEqual(expect.arrayContaining(['store.ts', 'trust-store.ts', 'cert-login.ts']));
  expect(foreignTables("db.selectFrom('accounts').selectAll()")).not.toEqual([]);
  expect(
    foreignTables("db.selectFrom('cert_crls as c').leftJoin('cert_crl_entries as e', 'a', 'b')"),
  ).toEqual([]);
});

test.each(sources)('%s queries only cert_* tables', (file) => {
  expect(foreignTables(readFileSync(join(here, file), 'utf8'))).toEqual([]);
});
