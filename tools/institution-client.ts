/**
 * DEV TOOL — shared by tools/bank-simulator.ts and tools/guarantor-simulator.ts. Not part of the platform:
 * it plays a bank or guarantee institution from outside, over HTTP, with SM2-signed requests exactly as a
 * real institution's system would (docs/deposits.md "Signed institution requests").
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  exportSm2PrivateKeyPem,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  importSm2PrivateKeyPem,
  type Sm2PrivateKey,
} from '../src/platform/crypto/index.ts';
import { signRequest } from '../src/trading/deposits/index.ts';

export interface InstitutionState {
  key: Sm2PrivateKey;
  /** The platform's id of this institution once registered. */
  institutionId: string | null;
  dir: string;
}

/** Loads (or creates, 0600) the simulator's SM2 key and saved institution id under `dir`. */
export async function loadState(dir: string): Promise<InstitutionState> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyFile = path.join(dir, 'key.pem');
  let key: Sm2PrivateKey;
  try {
    key = importSm2PrivateKeyPem(await readFile(keyFile, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    key = generateSm2KeyPair();
    await writeFile(keyFile, exportSm2PrivateKeyPem(key), { mode: 0o600, flag: 'wx' });
  }
  let institutionId: string | null = null;
  try {
    institutionId = (JSON.parse(await readFile(path.join(dir, 'institution.json'), 'utf8')) as { id: string })
      .id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { key, institutionId, dir };
}

export async function saveInstitutionId(state: InstitutionState, id: string): Promise<void> {
  await writeFile(path.join(state.dir, 'institution.json'), `${JSON.stringify({ id }, null, 2)}\n`);
  state.institutionId = id;
}

export function publicKeyPem(state: InstitutionState): string {
  return exportSm2PublicKeyPem(state.key.publicKey);
}

/** A signed request to the platform; returns status and parsed JSON body. */
export async function signedFetch(
  server: string,
  state: InstitutionState,
  method: 'GET' | 'POST',
  target: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  if (!state.institutionId)
    throw new Error('institution not registered yet: run `register` (or `use --id …`) first');
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers = signRequest(state.key, {
    institutionId: state.institutionId,
    method,
    target,
    body: payload,
  });
  const res = await fetch(new URL(target, server), {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: payload }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** Registers the institution through the operator API (an operator's login), saving its id. */
export async function registerWithOperator(
  server: string,
  state: InstitutionState,
  input: {
    username: string;
    password: string;
    name: string;
    kind: 'bank' | 'insurer' | 'guarantor';
    creditCode: string;
  },
): Promise<string> {
  const login = await fetch(new URL('/api/auth/login', server), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: input.username, password: input.password }),
  });
  if (login.status !== 200) throw new Error(`operator login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const res = await fetch(new URL('/api/admin/deposit-institutions', server), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({
      name: input.name,
      kind: input.kind,
      creditCode: input.creditCode,
      publicKeyPem: publicKeyPem(state),
    }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`registration refused: ${res.status} ${text}`);
  const id = (JSON.parse(text) as { id: string }).id;
  await saveInstitutionId(state, id);
  return id;
}

/** `--name value` pairs after the command. */
export function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) flags[arg.slice(2)] = 'true';
    else {
      flags[arg.slice(2)] = next;
      i += 1;
    }
  }
  return flags;
}

export function required(flags: Record<string, string>, name: string): string {
  const value = flags[name];
  if (!value) throw new Error(`missing --${name}`);
  return value;
}
