/**
 * One real server for the whole browser run: the web app is built from the current sources first (so a
 * stale web/dist is never tested), then `ggzy serve --demo` starts on a fresh data directory.
 */
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { PROJECT_ROOT, type RunningServer, startServer } from './support.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** Null against an external server (GGZY_BROWSER_BASE_URL): tests that need the demo key files skip. */
    dataDir: string | null;
  }
}

let server: RunningServer | null = null;

export async function setup(project: TestProject) {
  const external = process.env.GGZY_BROWSER_BASE_URL;
  if (external) {
    project.provide('baseUrl', external.replace(/\/$/, ''));
    project.provide('dataDir', null);
    return;
  }
  if (process.env.GGZY_SKIP_WEB_BUILD !== '1') {
    const { build } = await import('vite');
    const started = Date.now();
    await build({ configFile: path.join(PROJECT_ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
    console.log(`web app built in ${Date.now() - started} ms`);
  }
  server = await startServer();
  project.provide('baseUrl', server.baseUrl);
  project.provide('dataDir', server.dataDir);
}

export async function teardown() {
  await server?.stop();
  server = null;
}
