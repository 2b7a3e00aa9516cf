import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A scratch directory and the system OpenSSL 3 for interoperability tests. */
export interface OpensslSandbox {
  readonly dir: string;
  /** Runs /usr/bin/openssl in `dir`; throws on a non-zero exit. */
  run(...args: string[]): Buffer;
  /** Runs it and reports only whether it exited 0 (for "Verified OK" / failure checks). */
  succeeds(...args: string[]): boolean;
  write(name: string, data: Uint8Array | string): string;
  read(name: string): Buffer;
  remove(): void;
}

export const OPENSSL = '/usr/bin/openssl';

export function opensslSandbox(prefix: string): OpensslSandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const run = (...args: string[]) =>
    execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    dir,
    run,
    succeeds(...args) {
      try {
        run(...args);
        return true;
      } catch (error) {
        // execFileSync throws exactly when the exit status is non-zero, which is the answer asked for.
        if (error instanceof Error && 'status' in error && typeof error.status === 'number') return false;
        throw error;
      }
    },
    write(name, data) {
      fs.writeFileSync(path.join(dir, name), data);
      return name;
    },
    read(name) {
      return fs.readFileSync(path.join(dir, name));
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
