import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function ggzy(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(root, 'bin/ggzy.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', GGZY_DATA_DIR: dataDir, ...env },
    timeout: 120_000,
  });
}

test('`ggzy migrate`, `ggzy seed` and `ggzy user create` work on the embedded database and say what they did', () => {
  const migrated = ggzy(['migrate']);
  expect(migrated.status, migrated.stderr).toBe(0);
  expect(migrated.stdout).toContain('0001_platform_identity');

  const seeded = ggzy(['seed']);
  expect(seeded.status, seeded.stderr).toBe(0);
  expect(seeded.stdout).toContain('admin');
  const again = ggzy(['seed']);
  expect(again.stdout).toContain('未写入演示数据');

  const created = ggzy(
    ['user', 'create', '--username', 'clerk01', '--name', '窗口受理员', '--role', 'operator'],
    {
      GGZY_NEW_PASSWORD: 'Clerk@2026x',
    },
  );
  expect(created.status, created.stderr).toBe(0);
  expect(created.stdout).toContain('已创建账号 clerk01');

  const duplicate = ggzy(['user', 'create', '--username', 'clerk01', '--name', 'x', '--role', 'operator'], {
    GGZY_NEW_PASSWORD: 'Clerk@2026x',
  });
  expect(duplicate.status).toBe(1);
  expect(duplicate.stderr).toContain('用户名已被使用');

  const weak = ggzy([
    'user',
    'create',
    '--username',
    'clerk02',
    '--name',
    'x',
    '--role',
    'operator',
    '--password',
    '123',
  ]);
  expect(weak.status).toBe(1);
  expect(weak.stderr).toContain('密码强度不足');

  const badRole = ggzy(['user', 'create', '--username', 'clerk03', '--name', 'x', '--role', 'king']);
  expect(badRole.status).not.toBe(0);
  expect(badRole.stderr).toMatch(/king/);
}, 240_000);
