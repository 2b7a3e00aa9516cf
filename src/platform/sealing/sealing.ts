import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CryptoInputError, fromBase64Url, hmacSm3, openSm4, sealSm4, toBase64Url } from '../crypto/index.ts';
import type { WitnessOrigin } from '../witness/index.ts';

/**
 * 字段密封 (field sealing): what the database must not reveal before its time — above all who has bid for a
 * lot and how many (DESIGN §4 "Sealed bids") — is stored sealed under an application key that is kept
 * outside the database (GGZY_FIELD_KEY, or `<dataDir>/keys/field.key`). A database administrator sees
 * ciphertext and blind indexes (HMAC-SM3), not names; the application opens them when the law allows
 * (after the bid deadline). Every instance of one platform must use the same key.
 */
export interface FieldSealer {
  /** SM4 + HMAC-SM3 (authenticated) under the field key, bound to `context` (e.g. `bid:<id>`). */
  seal(plain: string, context: string): string;
  /** Opens what `seal` wrote for the same context; throws CryptoIntegrityError on any change. */
  open(sealed: string, context: string): string;
  /** A stable keyed lookup value (hex HMAC-SM3 of the parts): equal inputs give equal indexes. */
  blindIndex(...parts: string[]): string;
  /** SM3 fingerprint of the key's index subkey: instances compare it to know they share one key. */
  readonly keyId: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const KEY_HEX = /^[0-9a-f]{64}$/i;

function subkey(master: Uint8Array, label: string): Uint8Array {
  return hmacSm3(master, encoder.encode(`ggzy-field/v1/${label}`));
}

export function createFieldSealer(master: Uint8Array): FieldSealer {
  if (master.length !== 32) throw new Error('field key must be 32 bytes');
  const sealKey = subkey(master, 'seal');
  const indexKey = subkey(master, 'index');
  const keyId = toHex(hmacSm3(indexKey, encoder.encode('key-id'))).slice(0, 16);
  return {
    keyId,
    seal(plain, context) {
      return toBase64Url(sealSm4(sealKey, encoder.encode(plain), encoder.encode(context)));
    },
    open(sealed, context) {
      const bytes = fromBase64Url(sealed);
      if (!bytes) throw new CryptoInputError('sm4.sealed', '密封字段格式错误', 'not base64url');
      return decoder.decode(openSm4(sealKey, bytes, encoder.encode(context)));
    },
    blindIndex(...parts) {
      // Length-prefixed so that ('ab','c') and ('a','bc') differ.
      const bytes = parts.map((p) => encoder.encode(`${encoder.encode(p).length}:${p};`));
      return toHex(hmacSm3(indexKey, ...bytes));
    },
  };
}

/** The key from `envKey` (64 hex digits) or `<dataDir>/keys/field.key`, created (0600) on first use. */
export async function loadFieldSealer(dataDir: string, envKey?: string): Promise<FieldSealer> {
  if (envKey) {
    if (!KEY_HEX.test(envKey)) throw new Error('GGZY_FIELD_KEY must be 64 hex digits (32 bytes)');
    return createFieldSealer(Buffer.from(envKey, 'hex'));
  }
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, 'field.key');
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (!KEY_HEX.test(text)) throw new Error(`${file} does not hold 64 hex digits`);
    return createFieldSealer(Buffer.from(text, 'hex'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    // 'wx': two instances starting together — the second reads the first one's key.
    await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return loadFieldSealer(dataDir);
  }
  return createFieldSealer(key);
}

/**
 * The witness origin of an act that must not name its actor before the opening (a sealed bid, a deposit):
 * the role and the request id stay, the account, organisation, IP and user agent go into the sealed record.
 */
export function sealedOrigin(origin: WitnessOrigin): WitnessOrigin {
  return {
    accountId: null,
    organizationId: null,
    role: 'responder',
    ip: null,
    userAgent: null,
    clientFingerprint: null,
    requestId: origin.requestId,
  };
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
