import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function ggzy(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [path.join(root, 'bin/ggzy.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', ...env },
    timeout: 60_000,
  });
}

test('a database that is down at start gives a clear message and a non-zero exit', () => {
  const run = ggzy(['serve'], { DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/ggzy', PORT: '0' });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('无法连接数据库');
  expect(run.stderr).toContain('127.0.0.1:1');
  expect(run.stderr).not.toContain('secret'); // the password is hidden
});

test('a wrong configuration value names the variable and what it expected', () => {
  const run = ggzy(['serve'], { PORT: 'eighty' });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('PORT');
  expect(run.stderr).toContain('0–65535');
  const scale = ggzy(['migrate'], { GGZY_TIME_SCALE: '-5' });
  expect(scale.status).toBe(2);
  expect(scale.stderr).toContain('GGZY_TIME_SCALE');
});

test('every command explains itself with --help', () => {
  for (const args of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['user', 'create', '--help']]) {
    const run = ggzy(args, {});
    expect(run.status, args.join(' ')).toBe(0);
    expect(run.stdout).toMatch(/Usage: ggzy/);
  }
});
