import { combine, split } from 'shamir-secret-sharing';
import { findBoundCertificatesOfAccount, parseCertificateDer } from '../../platform/certs/index.ts';
import {
  envelopeKeyId,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  importSm2PublicKeyDer,
  importSm2PublicKeyPem,
  type Sm2PrivateKey,
  sm2Encrypt,
  sm2PrivateKeyFromScalar,
} from '../../platform/crypto/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { findAccountByUsername } from '../../platform/identity/index.ts';
import { appendWitnessEvent } from '../../platform/witness/index.ts';
import { type BidsContext, type BidsDb, CITATIONS, DEFAULT_MAX_PART_BYTES, type ReadDb } from './context.ts';
import { assertMayActForLot, getLotTimeline } from './deps.ts';
import * as store from './store.ts';
import type { SummaryField } from './tables.ts';

/**
 * 投标设置 (the tender's bid settings): the opening summary's fields, deposit forms, the opening-key
 * fallback of 电子招标投标办法第三十一条, the decryption window and the part size limit. Editable by the
 * initiator or its agency until the documents are issued (documentsFrom), then fixed.
 */
export interface BidSettings {
  lotId: string;
  summaryFields: SummaryField[];
  depositForms: ('cash' | 'guarantee')[];
  allowFallback: boolean;
  decryptWindowMinutes: number;
  maxPartBytes: number;
  openingKey: {
    keyId: string;
    publicKeyPem: string;
    threshold: number;
    custodians: { accountId: string; label: string }[];
  } | null;
  /** When the settings became (or become) fixed: the documents' issue time; null before publication. */
  fixedAt: Date | null;
}

export const DEFAULT_SUMMARY_FIELDS: SummaryField[] = [
  { key: 'price', label: '投标报价（元）', type: 'money', required: true },
  { key: 'duration', label: '工期/交货期（日历天）', type: 'integer', required: true },
  { key: 'quality', label: '质量标准', type: 'text', required: false },
];
export const DEFAULT_DEPOSIT_FORMS: ('cash' | 'guarantee')[] = ['cash', 'guarantee'];
export const DEFAULT_DECRYPT_WINDOW_MINUTES = 30;
export const DEFAULT_THRESHOLD = 2;

export function defaultSettingsRow(lotId: string, at: Date) {
  return {
    lot_id: lotId,
    summary_fields: JSON.stringify(DEFAULT_SUMMARY_FIELDS),
    deposit_forms: JSON.stringify(DEFAULT_DEPOSIT_FORMS),
    allow_fallback: false,
    decrypt_window_minutes: DEFAULT_DECRYPT_WINDOW_MINUTES,
    max_part_bytes: DEFAULT_MAX_PART_BYTES,
    saved: false,
    updated_at: at,
    updated_by: null,
  };
}

/** The lot's bid settings (the defaults when the tender saved none). */
export async function getBidSettings(db: Db<BidsDb>, lotId: string): Promise<BidSettings> {
  return loadSettings(db, lotId);
}

export async function loadSettings(db: Db<BidsDb>, lotId: string): Promise<BidSettings> {
  const [row, key, shares, timeline] = await Promise.all([
    store.findSettings(db, lotId),
    store.findOpeningKey(db, lotId),
    store.listOpeningKeyShares(db, lotId),
    getLotTimeline(db, lotId),
  ]);
  const base = row ?? {
    summary_fields: DEFAULT_SUMMARY_FIELDS,
    deposit_forms: DEFAULT_DEPOSIT_FORMS,
    allow_fallback: false,
    decrypt_window_minutes: DEFAULT_DECRYPT_WINDOW_MINUTES,
    max_part_bytes: DEFAULT_MAX_PART_BYTES,
  };
  return {
    lotId,
    summaryFields: base.summary_fields,
    depositForms: base.deposit_forms,
    allowFallback: base.allow_fallback,
    decryptWindowMinutes: base.decrypt_window_minutes,
    maxPartBytes: Number(base.max_part_bytes),
    openingKey:
      base.allow_fallback && key
        ? {
            keyId: key.key_id,
            publicKeyPem: key.public_key_pem,
            threshold: key.threshold,
            custodians: shares.map((s) => ({ accountId: s.custodian_account_id, label: s.label })),
          }
        : null,
    fixedAt: timeline?.documentsFrom ?? null,
  };
}

export interface SaveSettingsInput {
  summaryFields?: SummaryField[];
  depositForms?: ('cash' | 'guarantee')[];
  allowFallback?: boolean;
  decryptWindowMinutes?: number;
  maxPartBytes?: number;
  /** Required with allowFallback: who holds a share of the opening key (交易中心, 监督部门, 代理机构 …). */
  openingKey?: {
    threshold?: number;
    custodians: { accountId?: string | undefined; username?: string | undefined; label: string }[];
  };
}

/** PUT bid-settings: the lot's initiator or agency, before the documents are issued. */
export async function saveBidSettings(
  ctx: BidsContext,
  lotId: string,
  input: SaveSettingsInput,
): Promise<BidSettings> {
  const now = ctx.clock.now();
  await assertMayActForLot(ctx.db, ctx.actor, lotId, now);
  const current = await loadSettings(ctx.db, lotId);
  assertEditable(await getLotTimeline(ctx.db, lotId), now);
  const next = {
    summaryFields: input.summaryFields ?? current.summaryFields,
    depositForms: input.depositForms ?? current.depositForms,
    allowFallback: input.allowFallback ?? current.allowFallback,
    decryptWindowMinutes: input.decryptWindowMinutes ?? current.decryptWindowMinutes,
    maxPartBytes: input.maxPartBytes ?? current.maxPartBytes,
  };
  checkSummaryFields(next.summaryFields);

  // The opening key: made when the fallback is switched on (or its custodians change), never stored whole.
  let key: Awaited<ReturnType<typeof makeOpeningKey>> | null | 'keep' = null;
  if (next.allowFallback) {
    const wanted = input.openingKey ?? (current.openingKey ? 'keep' : null);
    if (wanted === null) {
      throw new InvalidInput('OPENING_KEY_CUSTODIANS_REQUIRED', {
        title: '启用备用解密须指定开标备用密钥的保管人',
        detail: '请指定至少 2 名保管人（如交易中心、行政监督部门、招标代理机构），每人须已绑定加密证书。',
        citation: CITATIONS.fallback,
      });
    }
    key =
      wanted === 'keep'
        ? 'keep'
        : await makeOpeningKey(ctx, lotId, {
            ...(wanted.threshold === undefined ? {} : { threshold: wanted.threshold }),
            custodians: await resolveCustodians(ctx, wanted.custodians),
          });
  }

  await ctx.db.transaction().execute(async (tx) => {
    await store.upsertSettings(tx, {
      lot_id: lotId,
      summary_fields: JSON.stringify(next.summaryFields),
      deposit_forms: JSON.stringify(next.depositForms),
      allow_fallback: next.allowFallback,
      decrypt_window_minutes: next.decryptWindowMinutes,
      max_part_bytes: next.maxPartBytes,
      saved: true,
      updated_at: now,
      updated_by: ctx.actor?.accountId ?? null,
    });
    if (key !== 'keep') await store.replaceOpeningKey(tx, key?.row ?? null, lotId, key?.shares ?? []);
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: 'bid-settings',
      entityId: lotId,
      action: 'bid.settings-saved',
      payload: {
        ...next,
        openingKey:
          key === 'keep'
            ? current.openingKey
            : key
              ? {
                  keyId: key.row.key_id,
                  threshold: key.row.threshold,
                  custodians: key.shares.map((s) => ({ accountId: s.custodian_account_id, label: s.label })),
                }
              : null,
      },
    });
  });
  return loadSettings(ctx.db, lotId);
}

function assertEditable(timeline: Awaited<ReturnType<typeof getLotTimeline>>, now: Date) {
  if (timeline && now.getTime() >= timeline.documentsFrom.getTime()) {
    throw new RuleViolation('BID_SETTINGS_FIXED', {
      title: '投标设置已固定',
      detail:
        '招标文件已开始发售，投标设置（开标一览表、保证金形式、备用解密等）不能再修改；如需变更请发布澄清或修改。',
      citation: '《中华人民共和国招标投标法实施条例》第二十一条',
    });
  }
}

function checkSummaryFields(fields: SummaryField[]) {
  const keys = new Set<string>();
  for (const f of fields) {
    if (keys.has(f.key)) {
      throw new InvalidInput('SUMMARY_FIELD_DUPLICATE', { title: '开标一览表字段重复', detail: f.key });
    }
    keys.add(f.key);
  }
  if (!fields.some((f) => f.key === 'price')) {
    throw new InvalidInput('SUMMARY_PRICE_REQUIRED', {
      title: '开标一览表须包含投标报价',
      detail: '开标一览表应有键为 price 的投标报价字段。',
    });
  }
}

/** Custodians may be named by account ID or by user name (what a person knows). */
async function resolveCustodians(
  ctx: BidsContext,
  custodians: { accountId?: string | undefined; username?: string | undefined; label: string }[],
): Promise<{ accountId: string; label: string }[]> {
  const resolved: { accountId: string; label: string }[] = [];
  for (const c of custodians) {
    if (c.accountId) {
      resolved.push({ accountId: c.accountId, label: c.label });
      continue;
    }
    const account = c.username ? await findAccountByUsername(ctx.db, c.username) : undefined;
    if (!account) {
      throw new InvalidInput('CUSTODIAN_UNKNOWN', {
        title: '保管人账号不存在',
        detail: `没有用户名为“${c.username ?? ''}”的账号（保管人“${c.label}”）。`,
      });
    }
    resolved.push({ accountId: account.id, label: c.label });
  }
  return resolved;
}

/**
 * An SM2 key pair whose private scalar is split with Shamir's scheme (threshold of n) among the
 * custodians, each share SM2-encrypted to the custodian's bound encryption certificate. The scalar is
 * zeroed and never stored.
 */
async function makeOpeningKey(
  ctx: BidsContext,
  lotId: string,
  input: { threshold?: number; custodians: { accountId: string; label: string }[] },
) {
  const custodians = input.custodians;
  const threshold = input.threshold ?? DEFAULT_THRESHOLD;
  if (
    custodians.length < 2 ||
    new Set(custodians.map((c) => c.accountId)).size !== custodians.length ||
    threshold < 2 ||
    threshold > custodians.length
  ) {
    throw new InvalidInput('OPENING_KEY_CUSTODIANS_INVALID', {
      title: '开标备用密钥保管人设置不正确',
      detail: `需要至少 2 名不同的保管人，门限 2 ≤ t ≤ 保管人数（收到 ${custodians.length} 人，门限 ${threshold}）。`,
      citation: CITATIONS.fallback,
    });
  }
  const recipients = [];
  for (const c of custodians) {
    const binding = await findBoundCertificatesOfAccount(ctx.db, c.accountId);
    if (!binding) {
      throw new RuleViolation('CUSTODIAN_NO_ENCRYPTION_CERT', {
        title: '保管人未绑定加密证书',
        detail: `保管人“${c.label}”的账号没有已生效的双证书绑定，无法向其加密分存的密钥份额。`,
        citation: CITATIONS.fallback,
      });
    }
    const cert = parseCertificateDer(binding.encCertificateDer);
    recipients.push({ custodian: c, cert, key: importSm2PublicKeyDer(cert.publicKey.spki) });
  }
  const pair = generateSm2KeyPair();
  // The library wants plain Uint8Arrays (not Buffers).
  const scalar = new Uint8Array(Buffer.from(pair.scalarHex, 'hex'));
  let shares: Uint8Array[];
  try {
    shares = await split(scalar, custodians.length, threshold);
  } finally {
    scalar.fill(0);
  }
  const row = {
    lot_id: lotId,
    key_id: envelopeKeyId(pair.publicKey),
    public_key_pem: exportSm2PublicKeyPem(pair.publicKey),
    threshold,
    created_at: ctx.clock.now(),
  };
  const shareRows = recipients.map((r, index) => {
    const share = shares[index]!;
    const encrypted = Buffer.from(sm2Encrypt(r.key, share)).toString('base64url');
    share.fill(0);
    return {
      lot_id: lotId,
      share_index: index + 1,
      custodian_account_id: r.custodian.accountId,
      label: r.custodian.label,
      encrypted_share: encrypted,
      enc_certificate_fingerprint: r.cert.fingerprintSha256,
    };
  });
  return { row, shares: shareRows };
}

/** The opening-key custodian shares (ciphertext, SM2 to each custodian's bound encryption certificate). */
export async function listOpeningKeyShares(db: ReadDb, lotId: string) {
  return (await store.listOpeningKeyShares(db, lotId)).map((s) => ({
    custodianAccountId: s.custodian_account_id,
    label: s.label,
    index: s.share_index,
    encryptedShare: s.encrypted_share,
  }));
}

/** Shamir-combines ≥ threshold plaintext shares and checks the result against the stored public key. */
export async function combineOpeningKeyShares(
  db: ReadDb,
  lotId: string,
  shares: Uint8Array[],
): Promise<Sm2PrivateKey> {
  const key = await store.findOpeningKey(db, lotId);
  if (!key) throw new NotFound('OPENING_KEY_NOT_FOUND', { title: '该标段（包）没有开标备用密钥' });
  const wrong = () =>
    new RuleViolation('OPENING_KEY_SHARES_INVALID', {
      title: '密钥份额无法恢复开标备用密钥',
      detail: `需要至少 ${key.threshold} 份正确的密钥份额；所给份额恢复出的密钥与登记的公钥不符。`,
      citation: CITATIONS.fallback,
    });
  if (shares.length < key.threshold) throw wrong();
  let scalar: Uint8Array;
  try {
    scalar = await combine(shares.map((s) => new Uint8Array(s)));
  } catch {
    throw wrong();
  }
  try {
    const d = BigInt(`0x${Buffer.from(scalar).toString('hex') || '0'}`);
    let candidate: Sm2PrivateKey;
    try {
      candidate = sm2PrivateKeyFromScalar(d);
    } catch {
      throw wrong();
    }
    if (candidate.publicKey.pointHex !== importSm2PublicKeyPem(key.public_key_pem).pointHex) throw wrong();
    return candidate;
  } finally {
    scalar.fill(0);
  }
}
