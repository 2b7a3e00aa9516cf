import type { Kysely } from 'kysely';
import type { Clock } from '../clock/index.ts';
import {
  exportSm2PrivateKeyPem,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  importSm2PrivateKeyPem,
  importSm2PublicKeyPem,
  type Sm2PrivateKey,
  type Sm2PublicKey,
  sm2PublicKeyDer,
  sm2Sign,
  sm3Hex,
} from '../crypto/index.ts';
import type { WitnessTables } from './tables.ts';

export const CHECKPOINT_KEY_PURPOSE = 'witness-checkpoint';

/** Signs checkpoints. The platform's comes from `loadCheckpointSigner`; an HSM/KMS could stand behind one. */
export interface CheckpointSigner {
  /** SM3 of the DER SubjectPublicKeyInfo, hex. */
  keyId: string;
  publicKeyPem: string;
  /** SM2 with the GM/T 0009 default ID; DER signature. */
  sign(message: Uint8Array): Uint8Array;
}

export interface WitnessPublicKey {
  keyId: string;
  publicKeyPem: string;
  publicKey: Sm2PublicKey;
  createdAt: Date;
  retiredAt: Date | null;
}

export function keyIdOf(publicKey: Sm2PublicKey): string {
  return sm3Hex(sm2PublicKeyDer(publicKey));
}

export function signerFromPrivateKey(key: Sm2PrivateKey): CheckpointSigner {
  return {
    keyId: keyIdOf(key.publicKey),
    publicKeyPem: exportSm2PublicKeyPem(key.publicKey),
    sign: (message) => sm2Sign(key, message),
  };
}

/**
 * The platform's checkpoint key, generated and stored on first use. Two instances starting together
 * both may generate one; the partial unique index lets only the first insert win and both use it.
 * Production would keep this key in an HSM/KMS and sign there (docs/witness.md).
 */
export async function loadCheckpointSigner(
  db: Kysely<WitnessTables>,
  clock: Clock,
): Promise<CheckpointSigner> {
  const existing = await activeKeyRow(db);
  if (existing) return signerFromPrivateKey(importSm2PrivateKeyPem(existing.private_key_pem));
  const key = generateSm2KeyPair();
  await db
    .insertInto('platform_keys')
    .values({
      id: keyIdOf(key.publicKey),
      purpose: CHECKPOINT_KEY_PURPOSE,
      private_key_pem: exportSm2PrivateKeyPem(key),
      public_key_pem: exportSm2PublicKeyPem(key.publicKey),
      created_at: clock.now(),
      retired_at: null,
    })
    .onConflict((oc) => oc.column('purpose').where('retired_at', 'is', null).doNothing())
    .execute();
  const stored = await activeKeyRow(db);
  if (!stored) throw new Error('platform checkpoint key vanished right after it was stored');
  return signerFromPrivateKey(importSm2PrivateKeyPem(stored.private_key_pem));
}

/** Every checkpoint key the platform has used (active first), public halves only. */
export async function listCheckpointPublicKeys(db: Kysely<WitnessTables>): Promise<WitnessPublicKey[]> {
  const rows = await db
    .selectFrom('platform_keys')
    .select(['id', 'public_key_pem', 'created_at', 'retired_at'])
    .where('purpose', '=', CHECKPOINT_KEY_PURPOSE)
    .orderBy('retired_at', (ob) => ob.desc().nullsFirst())
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    keyId: row.id,
    publicKeyPem: row.public_key_pem,
    publicKey: importSm2PublicKeyPem(row.public_key_pem),
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  }));
}

function activeKeyRow(db: Kysely<WitnessTables>) {
  return db
    .selectFrom('platform_keys')
    .select(['id', 'private_key_pem'])
    .where('purpose', '=', CHECKPOINT_KEY_PURPOSE)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
}
