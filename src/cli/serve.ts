import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { DEFAULT_WEB_DIR, PROJECT_ROOT, startPlatform } from '../main.ts';
import { describeDemoAccounts, seedDemo } from '../seed/demo.ts';
import { configOrExit, describeDatabase, failAndExit } from './common.ts';

export function buildWebIfMissing(): void {
  if (fs.existsSync(path.join(DEFAULT_WEB_DIR, 'index.html'))) return;
  const config = path.join(PROJECT_ROOT, 'web', 'vite.config.ts');
  if (!fs.existsSync(config)) {
    console.warn('未找到 web/vite.config.ts，跳过网页构建 (web app not present; serving the API only).');
    return;
  }
  console.log('首次启动：正在构建网页应用 (building the web app, once)…');
  const vite = path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error('网页应用构建失败 (web build failed); the API still starts.');
  }
}

export async function serve(options: { demo: boolean; buildWeb: boolean }): Promise<void> {
  const config = configOrExit();
  if (config.database.kind === 'pglite') {
    // The embedded database is PostgreSQL compiled to WebAssembly. V8 normally keeps a quick baseline
    // compilation and an optimised one side by side; compiling optimised code only, once, at start costs
    // a second or two and saves ~40 MB of resident memory for the life of the server
    // (bench/startup.bench.ts). Must be set before the module is compiled.
    v8.setFlagsFromString('--no-liftoff');
  }
  if (options.buildWeb) buildWebIfMissing();
  const started = Date.now();
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let seeded = false;
  try {
    platform = await startPlatform({
      config,
      beforeListen: async (built) => {
        if (!options.demo) return;
        seeded = await seedDemo({ ...built, securityClock: built.sessionClock, dataDir: config.dataDir });
      },
    });
  } catch (error) {
    failAndExit(config, error);
  }
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${
    (platform.app.server.address() as { port: number }).port
  }`;
  console.log('');
  console.log('ggzy 公共资源交易平台已启动 (started)');
  console.log(`  地址 URL:        ${url}/`);
  console.log(`  接口文档 API:    ${url}/api/docs`);
  console.log(`  数据库 database: ${describeDatabase(config)}`);
  if (config.GGZY_TIME_SCALE !== 1) console.log(`  时间倍率 time scale: ×${config.GGZY_TIME_SCALE}`);
  console.log(
    `  启动用时 start:  ${Date.now() - started} ms${seeded ? '（已写入演示数据 demo data seeded）' : ''}`,
  );
  if (options.demo) console.log(`\n${describeDemoAccounts()}`);
  console.log('');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`收到 ${signal}，正在停止 (stopping)…`);
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
