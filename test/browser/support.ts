/// <reference lib="dom" />
/**
 * Browser-test support: starts the real server (`node bin/ggzy.js serve --demo`) in a child process on
 * a fresh data directory and a free port, and drives Debian's Chromium with playwright-core.
 *
 * GGZY_BROWSER_BASE_URL=http://host:port runs the tests against a server that is already running
 * (with the demo accounts) instead of starting one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM_PATH = process.env.GGZY_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS_DIR = process.env.GGZY_SHOTS_DIR ?? '/tmp/shots';

export const DEMO_PASSWORD = 'Ggzy@2026';

/** The demo accounts `serve --demo` seeds, with the menu each role must see (in order: web/src/roles.ts). */
export const DEMO_ROLES = [
  {
    username: 'admin',
    role: 'operator',
    roleName: '交易中心管理员',
    menu: [
      '工作台首页',
      '账号管理',
      '市场主体受理',
      '目录管理',
      '场地管理',
      '项目受理',
      '化整为零预警',
      '保证金监管',
      '专家库',
      '交易见证',
      '任务队列',
      '第三方系统接入',
      '数据推送',
      '统计分析',
      '开标大厅',
      '竞价主持',
      '现场管理',
      '预警信息',
      '信用管理',
      '评价',
      '监管范围',
      '权责清单',
    ],
  },
  {
    username: 'zhaobiao',
    role: 'initiator',
    roleName: '招标人',
    menu: [
      '工作台首页',
      '我的单位',
      '我的项目',
      '招标公告',
      '场地预约',
      '竞价项目',
      '开标大厅',
      '专家抽取',
      '评标组织',
      '定标',
      '合同管理',
      '评标任务',
      '投诉答复',
      '评价',
    ],
  },
  {
    username: 'daili',
    role: 'agency',
    roleName: '代理机构',
    menu: [
      '工作台首页',
      '我的单位',
      '代理项目',
      '招标文件',
      '场地预约',
      '竞价项目',
      '开标大厅',
      '竞价主持',
      '专家抽取',
      '评标组织',
      '定标',
      '合同管理',
      '投诉答复',
      '评价',
    ],
  },
  ...(['toubiao1', 'toubiao2', 'toubiao3'] as const).map((username) => ({
    username,
    role: 'responder',
    roleName: '投标人',
    menu: [
      '工作台首页',
      '我的单位',
      '我的投标',
      '保证金',
      '我的竞买',
      '开标大厅',
      '合同管理',
      '评标澄清与结果',
      '质疑投诉',
      '评价',
    ],
  })),
  {
    username: 'zhuanjia',
    role: 'expert',
    roleName: '评标专家',
    menu: ['工作台首页', '专家信息', '抽取通知', '评标任务', '评价'],
  },
  {
    username: 'jiandu',
    role: 'supervisor',
    roleName: '行政监督',
    menu: [
      '工作台首页',
      '化整为零预警',
      '保证金监管',
      '专家库',
      '抽取监督',
      '统计分析',
      '开标大厅',
      '实时监督',
      '现场管理',
      '投诉处理',
      '预警信息',
      '预警规则',
      '信用管理',
      '双随机抽查',
      '评价',
    ],
  },
  {
    username: 'shenji',
    role: 'auditor',
    roleName: '审计',
    menu: ['工作台首页', '统计分析', '归档查阅', '见证日志'],
  },
] as const;

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  /** The server's data directory (the demo accounts' certificates are under certs/<username>/). */
  dataDir: string;
  /** The server's recent output, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `node bin/ggzy.js serve --demo` on a fresh data directory and waits for /api/health → 200. */
export async function startServer(options: { timeoutMs?: number; env?: Record<string, string> } = {}) {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-browser-'));
  const host = '127.0.0.1';
  const port = await freePort(host);
  const baseUrl = `http://${host}:${port}`;

  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n'));
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  const child: ChildProcess = spawn(process.execPath, ['bin/ggzy.js', 'serve', '--demo'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      GGZY_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: host,
      LOG_LEVEL: 'warn',
      // Every test logs in through the same address; the production default (10/min) would throttle them.
      GGZY_LOGIN_RATE_MAX: '1000',
      // Checkpoints soon after start, so the portal and 交易见证 show a signed one during the run.
      GGZY_CHECKPOINT_SECONDS: '3',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let stopping = false;
  const output = () => lines.join('\n');
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      if (!stopping) {
        // A server that dies under the tests explains every later failure: say so, with its last words.
        console.error(`ggzy serve exited unexpectedly (code ${code}, signal ${signal}):\n${output()}`);
      }
      resolve();
    });
  });

  const stop = async () => {
    stopping = true;
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      const { code, signal } = exited;
      await stop();
      throw new Error(`ggzy serve exited early (code ${code}, signal ${signal}):\n${output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`ggzy serve did not answer /api/health within ${timeoutMs} ms:\n${output()}`);
    }
    await sleep(250);
  }
  return { baseUrl, dataDir, output, stop } satisfies RunningServer;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A fresh context (own cookies and storage) in Chinese, Beijing time, desktop size. */
export async function newPage(
  browser: Browser,
  baseURL: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 900 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  (page as Page & { uncaughtErrors?: string[] }).uncaughtErrors = errors;
  return { context, page };
}

/** Script errors the page threw (none is expected). */
export function pageErrors(page: Page): string[] {
  return (page as Page & { uncaughtErrors?: string[] }).uncaughtErrors ?? [];
}

/** Logs in through the login page like a person: type, press Enter, wait for the workspace. */
export async function loginThroughPage(
  page: Page,
  username: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByLabel('密码', { exact: true }).press('Enter');
  await page.waitForURL((url) => url.pathname.startsWith('/workspace'));
  await page.getByTestId('current-user-name').waitFor();
}

/** Waits until fades and slides (dialogs, drawers, messages) have finished; endless spinners do not count. */
export async function animationsDone(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity),
  );
}

/** axe (WCAG 2.0 A and AA, which GB/T 37668 follows) on the page as painted, once fades have finished. */
export async function axeViolations(page: Page, disable: string[] = []) {
  const { AxeBuilder } = await import('@axe-core/playwright');
  await animationsDone(page);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa'])
    .disableRules(disable)
    .analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
  }));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await animationsDone(page);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
