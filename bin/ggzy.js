#!/usr/bin/env node
// The `ggzy` command. The TypeScript sources are bundled by esbuild into dist/ggzy.mjs whenever a source
// is newer than the bundle, so there is no build step to forget — and the running server carries no
// TypeScript loader (a loader thread costs ~70 MB of idle memory; see bench/startup.bench.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist', 'ggzy.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!fs.existsSync(out)) return true;
  const built = fs.statSync(out).mtimeMs;
  return (
    newestSource(path.join(root, 'src')) > built ||
    fs.statSync(path.join(root, 'package.json')).mtimeMs > built
  );
}

if (isStale()) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(root, 'src', 'cli', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    write: false,
    logLevel: 'warning',
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Write then rename, so a second process starting at the same moment never imports half a file.
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, result.outputFiles[0].contents);
  fs.renameSync(tmp, out);
}

await import(pathToFileURL(out).href);
