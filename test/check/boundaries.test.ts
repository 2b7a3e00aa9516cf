import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function cruise(cwd: string) {
  return spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
      'src',
      '--config',
      path.join(root, '.dependency-cruiser.cjs'),
      '--output-type',
      'err',
    ],
    { cwd, encoding: 'utf8' },
  );
}

test('the boundary rules catch a kernel importing a system and a module bypassing another index', () => {
  const run = cruise(path.join(root, 'test/fixtures/boundary-violation'));
  expect(run.status).not.toBe(0);
  expect(run.stdout).toContain('platform-imports-no-system');
  expect(run.stdout).toContain('module-only-through-index');
});

test('the project itself keeps its boundaries', () => {
  const run = cruise(root);
  expect(run.stdout + run.stderr).toMatch(/no dependency violations found/);
  expect(run.status).toBe(0);
});
