import { readFile } from 'node:fs/promises';
import {
  type EnvelopeRecipient,
  fromBase64Url,
  importSm2PrivateKeyPem,
  type Sm2PrivateKey,
  sm2Decrypt,
  sm2Sign,
  sm3Hex,
  toBase64Url,
  unwrapContentKey,
} from '../platform/crypto/index.ts';
import { confirmationMessage } from '../trading/opening/index.ts';

/**
 * `ggzy opening …` — the bidder's and the custodian's side of the remote opening (不见面开标). Private keys
 * are read from local PEM files and never leave the machine: only content keys (after the deadline, for the
 * bidder's own bid), a decrypted opening-key share (a custodian, in the fallback) or a signature are sent.
 */
export interface OpeningApi {
  get(path: string): Promise<{ status: number; body: unknown }>;
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
}

export interface ConnectOptions {
  server?: string;
  username?: string;
  password?: string;
  token?: string;
}

class CliError extends Error {}

function problem(res: { status: number; body: unknown }, what: string): never {
  const body = res.body as { title?: string; detail?: string; code?: string } | null;
  throw new CliError(
    `${what}失败（HTTP ${res.status}${body?.code ? ` ${body.code}` : ''}）：${body?.title ?? ''}${body?.detail ? `——${body.detail}` : ''}`,
  );
}

/** A session against the platform: `--token` (Bearer) or a password login. */
export async function connect(opts: ConnectOptions): Promise<OpeningApi> {
  const server = (opts.server ?? process.env.GGZY_SERVER ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  let auth: Record<string, string> = {};
  if (opts.token ?? process.env.GGZY_TOKEN) {
    auth = { authorization: `Bearer ${opts.token ?? process.env.GGZY_TOKEN}` };
  } else if (opts.username) {
    const password = opts.password ?? process.env.GGZY_PASSWORD;
    if (!password) throw new CliError('请用 --password 或环境变量 GGZY_PASSWORD 提供密码');
    const res = await fetch(`${server}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: opts.username, password }),
    });
    if (!res.ok) problem({ status: res.status, body: await res.json().catch(() => null) }, '登录');
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new CliError('登录成功但未收到会话');
    auth = { cookie };
  } else {
    throw new CliError('请用 --username/--password 或 --token 登录');
  }
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}

async function loadKey(file: string): Promise<Sm2PrivateKey> {
  return importSm2PrivateKeyPem(await readFile(file, 'utf8'));
}

/** 解密: unwrap each part's content key with enc.key.pem here, post the content keys. */
export async function decryptOwnBid(api: OpeningApi, lotId: string, encKey: Sm2PrivateKey) {
  const res = await api.get(`/api/lots/${encodeURIComponent(lotId)}/opening/my-bid`);
  if (res.status !== 200) problem(res, '获取本单位投标文件');
  const bid = res.body as {
    bidId: string;
    parts: { no: number; name: string; status: string; recipients: EnvelopeRecipient[] }[];
  };
  const pending = bid.parts.filter((p) => p.status === 'sealed' || p.status === 'key-rejected');
  if (pending.length === 0) return { bidId: bid.bidId, parts: 0 };
  const keys = pending.map((part) => {
    const key = unwrapContentKey(part.recipients, encKey);
    try {
      return { no: part.no, key: toBase64Url(key) };
    } finally {
      key.fill(0);
    }
  });
  const posted = await api.post(`/api/lots/${encodeURIComponent(lotId)}/opening/bids/${bid.bidId}/keys`, {
    keys,
  });
  if (posted.status !== 200) problem(posted, '提交内容密钥');
  return { bidId: bid.bidId, parts: keys.length };
}

/** 备用解密: the custodian decrypts its share with its enc.key.pem here and posts it. */
export async function postCustodianShare(api: OpeningApi, lotId: string, encKey: Sm2PrivateKey) {
  const res = await api.get(`/api/lots/${encodeURIComponent(lotId)}/opening/fallback/my-share`);
  if (res.status !== 200) problem(res, '获取开标密钥分片');
  const { index, encryptedShare } = res.body as { index: number; encryptedShare: string };
  const share = sm2Decrypt(encKey, fromBase64Url(encryptedShare) ?? new Uint8Array());
  try {
    const posted = await api.post(`/api/lots/${encodeURIComponent(lotId)}/opening/fallback/shares`, {
      index,
      share: toBase64Url(share),
    });
    if (posted.status !== 200) problem(posted, '提交开标密钥分片');
    return posted.body as { combined: boolean; posted: number; threshold: number };
  } finally {
    share.fill(0);
  }
}

/** 确认开标记录: checks the record's SM3, signs it with sign.key.pem, posts the signature. */
export async function confirmRecordWithKey(api: OpeningApi, lotId: string, signKey: Sm2PrivateKey) {
  const res = await api.get(`/api/lots/${encodeURIComponent(lotId)}/opening/record`);
  if (res.status !== 200) problem(res, '获取开标记录');
  const { recordJson, recordSm3 } = res.body as { recordJson: string; recordSm3: string };
  if (sm3Hex(new TextEncoder().encode(recordJson)) !== recordSm3) {
    throw new CliError('开标记录的 SM3 与内容不符，拒绝签名');
  }
  const signature = toBase64Url(sm2Sign(signKey, confirmationMessage(lotId, recordSm3)));
  const posted = await api.post(`/api/lots/${encodeURIComponent(lotId)}/opening/confirmations`, {
    signature,
  });
  if (posted.status !== 200) problem(posted, '确认开标记录');
  return { recordSm3 };
}

async function run(action: () => Promise<string>): Promise<number> {
  try {
    console.log(await action());
    return 0;
  } catch (error) {
    if (error instanceof CliError || (error instanceof Error && 'code' in error)) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

export function openingDecrypt(opts: ConnectOptions & { lot: string; key: string }): Promise<number> {
  return run(async () => {
    const result = await decryptOwnBid(await connect(opts), opts.lot, await loadKey(opts.key));
    return result.parts === 0
      ? `投标文件 ${result.bidId} 已解密，无需重复提交。`
      : `已提交投标文件 ${result.bidId} 的 ${result.parts} 个内容密钥；开标记录随即公布。`;
  });
}

export function openingShare(opts: ConnectOptions & { lot: string; key: string }): Promise<number> {
  return run(async () => {
    const result = await postCustodianShare(await connect(opts), opts.lot, await loadKey(opts.key));
    return result.combined
      ? '分片已提交，已达门限：备用解密完成，提交的分片已全部删除。'
      : `分片已提交（${result.posted}/${result.threshold}），等待其他保管人。`;
  });
}

export function openingConfirm(opts: ConnectOptions & { lot: string; key: string }): Promise<number> {
  return run(async () => {
    const result = await confirmRecordWithKey(await connect(opts), opts.lot, await loadKey(opts.key));
    return `已以签名证书确认开标记录（SM3 ${result.recordSm3}）。`;
  });
}
