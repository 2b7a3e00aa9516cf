import { open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { keyMatchesCertificate, loadPrivateKey, parseCertificate } from '../platform/certs/index.ts';
import {
  importSm2PublicKeyDer,
  importSm2PublicKeyPem,
  type Sm2PrivateKey,
  type Sm2PublicKey,
} from '../platform/crypto/index.ts';
import {
  MAX_CHUNK_BYTES,
  PART_KINDS,
  type PackPartInput,
  type PartKind,
  packBid,
  readPackedBid,
  type SignedBidReceipt,
  verifyReceipt,
} from '../trading/bids/index.ts';
import { VERSION } from '../version.ts';

/**
 * 投标文件工具 (the bidder's side of issue 5): `ggzy bid pack` seals a bid offline, `ggzy bid submit` uploads
 * it in resumable chunks (HEAD and resume after a network error, retries with backoff) and saves the
 * receipt, `ggzy bid verify-receipt` checks a receipt offline and `ggzy bid withdraw` withdraws a bid; at
 * the opening `ggzy opening decrypt` (src/cli/opening.ts) unwraps the content keys with enc.key.pem. Each command returns its exit code: 0 done / valid, 1 refused / invalid, 2 bad usage or files.
 */

export interface BidIo {
  out(line: string): void;
  err(line: string): void;
  /** Progress on one line (a terminal); absent when not a TTY. */
  progress?(line: string): void;
}

const consoleIo: BidIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  ...(process.stderr.isTTY ? { progress: (line: string) => process.stderr.write(`\r${line}\u001b[K`) } : {}),
};

export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

// ------------------------------------------------------------------------------------ HTTP client

export interface ServerOptions {
  server?: string;
  token?: string;
  username?: string;
  password?: string;
}

interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  citation?: string;
  offset?: number;
}

export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(
      `${problem.title ?? `HTTP ${problem.status}`}${problem.detail ? `：${problem.detail}` : ''}${
        problem.citation ? `（${problem.citation}）` : ''
      }`,
    );
  }
}

export class BidClient {
  private token: string | null;

  constructor(
    readonly server: string,
    token?: string | null,
  ) {
    this.token = token ?? null;
  }

  static async connect(opts: ServerOptions): Promise<BidClient> {
    const server = (opts.server ?? process.env.GGZY_SERVER ?? '').replace(/\/+$/, '');
    if (!server) throw new CliFailure('请用 --server 或环境变量 GGZY_SERVER 指定平台地址', 2);
    const client = new BidClient(server, opts.token ?? process.env.GGZY_TOKEN ?? null);
    if (!client.token) {
      const password = opts.password ?? process.env.GGZY_PASSWORD;
      if (!opts.username || !password) {
        throw new CliFailure('请用 --token，或 --username 与 --password（或 GGZY_PASSWORD）登录', 2);
      }
      const res = await client.json<{ token: string }>('POST', '/api/auth/login', {
        username: opts.username,
        password,
        tokenKind: 'bearer',
      });
      client.token = res.token;
    }
    return client;
  }

  async raw(method: string, url: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) {
    return fetch(this.server + url, {
      method,
      headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
  }

  async json<T>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, url, {
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    if (!res.ok) throw new HttpProblem(problemOf(res.status, text));
    return (text ? JSON.parse(text) : null) as T;
  }
}

function problemOf(status: number, text: string): Problem {
  try {
    return { status, ...(JSON.parse(text) as Omit<Problem, 'status'>) };
  } catch {
    return { status, title: `HTTP ${status}`, detail: text.slice(0, 200) };
  }
}

// ------------------------------------------------------------------------------------------- pack

export interface PackOptions extends ServerOptions {
  lot: string;
  part: string[];
  certDir: string;
  out: string;
  /** Offline: what the server would tell. */
  lotCode?: string;
  orgId?: string;
  creditCode?: string;
  orgName?: string;
  openingKey?: string;
  /** Skip the server even if one is configured. */
  offline?: boolean;
}

interface CertPair {
  signKey: Sm2PrivateKey;
  signCertDer: Uint8Array;
  encKey: Sm2PrivateKey;
  encPublicKey: Sm2PublicKey;
  creditCode: string | null;
  orgName: string | null;
}

async function readCertDir(dir: string): Promise<CertPair> {
  const read = async (name: string) => {
    try {
      return await readFile(path.join(dir, name));
    } catch {
      throw new CliFailure(
        `无法读取 ${path.join(dir, name)}（证书目录应含 sign.key.pem sign.cert.pem enc.key.pem enc.cert.pem）`,
        2,
      );
    }
  };
  const signKey = loadPrivateKey(await read('sign.key.pem'));
  const signCert = parseCertificate(await read('sign.cert.pem'));
  const encKey = loadPrivateKey(await read('enc.key.pem'));
  const encCert = parseCertificate(await read('enc.cert.pem'));
  if (signKey.kind !== 'sm2' || encKey.kind !== 'sm2') throw new CliFailure('投标文件须使用 SM2 证书', 2);
  if (!keyMatchesCertificate(signKey, signCert))
    throw new CliFailure('sign.key.pem 与 sign.cert.pem 不匹配', 2);
  if (!keyMatchesCertificate(encKey, encCert)) throw new CliFailure('enc.key.pem 与 enc.cert.pem 不匹配', 2);
  const orgName = signCert.subject.rdns.flat().find((a) => a.shortName === 'O')?.value ?? null;
  return {
    signKey: signKey.sm2,
    signCertDer: signCert.der,
    encKey: encKey.sm2,
    encPublicKey: importSm2PublicKeyDer(encCert.publicKey.spki),
    creditCode: signCert.creditCode,
    orgName: typeof orgName === 'string' ? orgName : null,
  };
}

/** `summary:price=1,duration=2` → fields; `technical:FILE` → a file part (named by its kind). */
export function parsePartSpecs(specs: string[]): { summary: Record<string, string>; parts: PackPartInput[] } {
  const summary: Record<string, string> = {};
  const parts: PackPartInput[] = [];
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const kind = spec.slice(0, colon) as PartKind;
    const rest = spec.slice(colon + 1);
    if (colon < 1 || !PART_KINDS.includes(kind)) {
      throw new CliFailure(
        `--part ${spec}：类型应为 ${PART_KINDS.join('|')} 之一，如 technical:技术标.pdf`,
        2,
      );
    }
    if (kind === 'summary') {
      for (const pair of rest.split(',').filter(Boolean)) {
        const eq = pair.indexOf('=');
        if (eq < 1) throw new CliFailure(`--part summary:${rest}：应为 键=值,键=值`, 2);
        summary[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
      }
      continue;
    }
    if (!rest) throw new CliFailure(`--part ${spec}：缺少文件名`, 2);
    parts.push({ kind, filename: path.basename(rest), source: { path: rest } });
  }
  return { summary, parts };
}

interface SettingsView {
  summaryFields: { key: string; label: string; type: string; required: boolean }[];
  maxPartBytes: number;
  openingKey: { publicKeyPem: string } | null;
}

function checkSummary(summary: Record<string, string>, fields: SettingsView['summaryFields']) {
  const problems: string[] = [];
  for (const f of fields) {
    const value = summary[f.key];
    if (value === undefined || value === '') {
      if (f.required) problems.push(`缺少必填项“${f.label}”（${f.key}）`);
      continue;
    }
    if (f.type === 'money' && !/^\d{1,15}(\.\d{1,2})?$/.test(value))
      problems.push(`“${f.label}”应为金额（元，最多两位小数）：${value}`);
    if (f.type === 'integer' && !/^\d{1,9}$/.test(value)) problems.push(`“${f.label}”应为整数：${value}`);
    if (f.type === 'percent' && !/^\d{1,3}(\.\d{1,4})?$/.test(value))
      problems.push(`“${f.label}”应为百分数：${value}`);
  }
  for (const key of Object.keys(summary)) {
    if (!fields.some((f) => f.key === key)) problems.push(`开标一览表没有“${key}”这一项`);
  }
  if (problems.length > 0) throw new CliFailure(`开标一览表填写有误：\n  ${problems.join('\n  ')}`, 2);
}

export async function bidPack(opts: PackOptions, io: BidIo = consoleIo): Promise<number> {
  return run(io, async () => {
    const certs = await readCertDir(opts.certDir);
    const { summary, parts } = parsePartSpecs(opts.part);
    let lotCode = opts.lotCode;
    let bidder = {
      organizationId: opts.orgId ?? '',
      creditCode: opts.creditCode ?? certs.creditCode ?? '',
      name: opts.orgName ?? certs.orgName ?? '',
    };
    let openingKey = opts.openingKey ? importSm2PublicKeyPem(await readFile(opts.openingKey, 'utf8')) : null;
    const online = !opts.offline && Boolean(opts.server ?? process.env.GGZY_SERVER);
    if (online) {
      const client = await BidClient.connect(opts);
      const timeline = await client.json<{ lotCode: string; bidDeadline: string }>(
        'GET',
        `/api/lots/${opts.lot}/timeline`,
      );
      const settings = await client.json<SettingsView>('GET', `/api/lots/${opts.lot}/bid-settings`);
      const me = await client.json<{ organizationId: string; creditCode: string | null; name: string }>(
        'GET',
        '/api/my/entity',
      );
      lotCode = timeline.lotCode;
      bidder = { organizationId: me.organizationId, creditCode: me.creditCode ?? '', name: me.name };
      openingKey = settings.openingKey ? importSm2PublicKeyPem(settings.openingKey.publicKeyPem) : null;
      checkSummary(summary, settings.summaryFields);
      io.out(
        `标段 ${lotCode}，投标截止 ${new Date(timeline.bidDeadline).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`,
      );
    }
    if (!lotCode || !bidder.organizationId || !bidder.creditCode || !bidder.name) {
      throw new CliFailure(
        '离线制作时请给出 --lot-code --org-id --credit-code --org-name（或用 --server 从平台读取）',
        2,
      );
    }
    if (Object.keys(summary).length === 0)
      throw new CliFailure('请用 --part summary:price=…,duration=… 填写开标一览表', 2);
    const packed = await packBid({
      lot: { id: opts.lot, code: lotCode },
      bidder,
      signKey: certs.signKey,
      signCertificateDer: certs.signCertDer,
      encryptionKey: certs.encPublicKey,
      openingKey,
      summary,
      parts,
      outDir: opts.out,
      toolVersion: VERSION,
    });
    io.out(`投标文件已加密签名：${packed.dir}`);
    for (const p of packed.signed.manifest.parts) {
      io.out(
        `  第 ${p.no} 部分 ${p.name}（${p.filename}）${p.content.sealedLength} 字节  SM3 ${p.content.sealedDigest}`,
      );
    }
    io.out(`内容密钥已加密给本单位加密证书${openingKey ? '和开标备用密钥' : ''}；清单已用签名证书签名。`);
    return 0;
  });
}

// ----------------------------------------------------------------------------------------- submit

export interface SubmitOptions extends ServerOptions {
  dir: string;
  /** Attempts per step before giving up (default 10). */
  retries?: number;
  /** First backoff in ms (default 500, doubling up to 8 s). */
  backoffMs?: number;
  chunkBytes?: number;
  /** Called when the last byte was accepted, before completion (benchmarks time the receipt from here). */
  onUploaded?: () => void;
}

const UPLOAD_STATE = 'upload.json';
const RECEIPT_FILE = 'receipt.json';

function isRetryable(error: unknown): boolean {
  if (error instanceof HttpProblem) return error.problem.status >= 500 || error.problem.status === 429;
  // fetch reports a broken connection as a TypeError ("fetch failed") or an undici/socket error code.
  const code = (error as { code?: unknown })?.code;
  return error instanceof TypeError || (typeof code === 'string' && /^(E[A-Z]+|UND_ERR)/.test(code));
}

async function withRetry<T>(what: string, opts: SubmitOptions, io: BidIo, fn: () => Promise<T>): Promise<T> {
  const attempts = opts.retries ?? 10;
  let delay = opts.backoffMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      io.err(
        `\n${what}失败（${(error as Error).message}），${Math.round(delay / 100) / 10} 秒后重试（第 ${attempt} 次）…`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 8000);
    }
  }
}

/** Uploads a packed directory and returns the receipt (also written to `<dir>/receipt.json`). */
export async function submitPackedBid(opts: SubmitOptions, io: BidIo = consoleIo): Promise<SignedBidReceipt> {
  const packed = await readPackedBid(opts.dir);
  const client = await withRetry('登录', opts, io, () => BidClient.connect(opts));
  const lotId = packed.signed.manifest.lotId;
  const statePath = path.join(opts.dir, UPLOAD_STATE);
  const chunkBytes = Math.min(opts.chunkBytes ?? MAX_CHUNK_BYTES, MAX_CHUNK_BYTES);

  type UploadView = {
    uploadId: string;
    status: string;
    parts: { no: number; offset: number; length: number }[];
  };
  let upload: UploadView | null = null;
  try {
    const saved = JSON.parse(await readFile(statePath, 'utf8')) as { uploadId: string; server: string };
    if (saved.server === client.server) {
      upload = await withRetry('查询上传进度', opts, io, () =>
        client.json<UploadView>('GET', `/api/bid-uploads/${saved.uploadId}`),
      );
    }
  } catch {
    upload = null;
  }
  if (!upload || upload.status === 'expired') {
    upload = await withRetry('提交清单', opts, io, () =>
      client.json<UploadView>('POST', `/api/lots/${lotId}/bid-uploads`, { manifest: packed.signed }),
    );
    await writeFile(statePath, JSON.stringify({ uploadId: upload.uploadId, server: client.server }));
  }
  const uploadId = upload.uploadId;
  const total = upload.parts.reduce((sum, p) => sum + p.length, 0);
  let done = upload.parts.reduce((sum, p) => sum + p.offset, 0);
  const started = Date.now();
  const startedAt = done;
  const show = () => {
    if (!io.progress) return;
    const ratio = total === 0 ? 1 : done / total;
    const bar = '#'.repeat(Math.round(ratio * 30)).padEnd(30, '.');
    const seconds = (Date.now() - started) / 1000;
    const speed = seconds > 0 ? (done - startedAt) / seconds / 1e6 : 0;
    io.progress(
      `上传 [${bar}] ${(ratio * 100).toFixed(1)}%  ${(done / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB  ${speed.toFixed(1)} MB/s`,
    );
  };

  for (const part of upload.parts) {
    const file = await open(path.join(opts.dir, `part-${part.no}.gzs4`), 'r');
    try {
      let offset = part.offset;
      const buffer = Buffer.alloc(Math.min(chunkBytes, Math.max(part.length, 1)));
      let failures = 0;
      let delay = opts.backoffMs ?? 500;
      while (offset < part.length) {
        const size = Math.min(buffer.length, part.length - offset);
        const { bytesRead } = await file.read(buffer, 0, size, offset);
        if (bytesRead !== size) throw new CliFailure(`part-${part.no}.gzs4 比清单声明的短`, 2);
        try {
          const res = await client.raw('PATCH', `/api/bid-uploads/${uploadId}/parts/${part.no}`, {
            body: buffer.subarray(0, size),
            headers: { 'content-type': 'application/octet-stream', 'upload-offset': String(offset) },
          });
          if (res.status === 204) {
            done += Number(res.headers.get('upload-offset')) - offset;
            offset = Number(res.headers.get('upload-offset'));
            failures = 0;
            delay = opts.backoffMs ?? 500;
            show();
            continue;
          }
          const problem = problemOf(res.status, await res.text());
          if (problem.code === 'UPLOAD_OFFSET_MISMATCH' && typeof problem.offset === 'number') {
            done += problem.offset - offset;
            offset = problem.offset;
            continue;
          }
          throw new HttpProblem(problem);
        } catch (error) {
          if (!isRetryable(error) || ++failures >= (opts.retries ?? 10)) throw error;
          io.err(
            `\n上传中断（${(error as Error).message}），${Math.round(delay / 100) / 10} 秒后从断点续传…`,
          );
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay = Math.min(delay * 2, 8000);
          // Where did the server get to? (tus HEAD)
          const head = await withRetry('查询断点', opts, io, async () => {
            const res = await client.raw('HEAD', `/api/bid-uploads/${uploadId}/parts/${part.no}`);
            if (res.status !== 204) throw new HttpProblem({ status: res.status, title: '查询断点失败' });
            return Number(res.headers.get('upload-offset'));
          });
          done += head - offset;
          offset = head;
        }
      }
    } finally {
      await file.close();
    }
  }
  if (io.progress) io.progress('');
  opts.onUploaded?.();
  const receipt = await withRetry('完成递交', opts, io, () =>
    client.json<SignedBidReceipt>('POST', `/api/bid-uploads/${uploadId}/complete`),
  );
  await writeFile(path.join(opts.dir, RECEIPT_FILE), `${JSON.stringify(receipt, null, 2)}\n`);
  return receipt;
}

export async function bidSubmit(opts: SubmitOptions, io: BidIo = consoleIo): Promise<number> {
  return run(io, async () => {
    const receipt = await submitPackedBid(opts, io);
    const r = receipt.receipt;
    io.out('投标文件已递交，平台回执：');
    io.out(`  投标编号 ${r.bidId}`);
    io.out(`  标段 ${r.lotCode}  投标人 ${r.bidder.name}（${r.bidder.creditCode}）`);
    io.out(`  接收时间 ${r.receivedAt}（服务器时间）`);
    for (const p of r.parts) io.out(`  第 ${p.no} 部分 ${p.sealedLength} 字节  SM3 ${p.sealedDigest}`);
    io.out(`  清单 SM3 ${r.manifestSm3}`);
    io.out(
      receipt.witness
        ? `  见证日志：第 ${receipt.witness.leafIndex} 号叶子，检查点树大小 ${receipt.witness.treeSize}`
        : '  见证日志证明稍后可用 ggzy bid verify-receipt --server 取得',
    );
    io.out(`回执已保存：${path.join(opts.dir, RECEIPT_FILE)}`);
    return 0;
  });
}

// --------------------------------------------------------------------------------- verify-receipt

export interface VerifyOptions extends Partial<ServerOptions> {
  trust?: string[];
}

export async function bidVerifyReceipt(
  file: string,
  opts: VerifyOptions,
  io: BidIo = consoleIo,
): Promise<number> {
  return run(io, async () => {
    let signed: SignedBidReceipt;
    try {
      signed = JSON.parse(await readFile(file, 'utf8')) as SignedBidReceipt;
    } catch {
      throw new CliFailure(`无法读取回执 ${file}`, 2);
    }
    const keys: Sm2PublicKey[] = [];
    for (const pem of opts.trust ?? []) keys.push(importSm2PublicKeyPem(await readFile(pem, 'utf8')));
    const server = opts.server ?? process.env.GGZY_SERVER;
    if (server) {
      const client = new BidClient(server.replace(/\/+$/, ''));
      const published = await client.json<{ keys: { publicKeyPem: string }[] }>(
        'GET',
        '/api/witness/public-key',
      );
      if (keys.length === 0) for (const k of published.keys) keys.push(importSm2PublicKeyPem(k.publicKeyPem));
    }
    if (keys.length === 0) throw new CliFailure('请用 --trust 指定平台公钥文件，或用 --server 从平台读取', 2);
    const result = verifyReceipt(signed, keys);
    for (const note of result.notes) io.out(`说明：${note}`);
    if (!result.ok) {
      io.out('回执无效：');
      for (const problem of result.problems) io.out(`  - ${problem}`);
      return 1;
    }
    io.out(`回执有效：平台签名正确${result.witnessChecked ? '，见证日志存在性证明与签名检查点一致' : ''}。`);
    io.out(
      `  投标编号 ${signed.receipt.bidId}，接收时间 ${signed.receipt.receivedAt}，清单 SM3 ${signed.receipt.manifestSm3}`,
    );
    if (server) {
      const client = new BidClient(server.replace(/\/+$/, ''));
      const live = await client.json<{ live: boolean; detail: string }>('POST', '/api/bid-receipts/verify', {
        receipt: signed,
      });
      io.out(`  平台记录：${live.detail}`);
    }
    return 0;
  });
}

// ------------------------------------------------------------------------------ withdraw, decrypt

export async function bidWithdraw(
  opts: ServerOptions & { bid?: string; receipt?: string },
  io: BidIo = consoleIo,
): Promise<number> {
  return run(io, async () => {
    let bidId = opts.bid;
    if (!bidId && opts.receipt)
      bidId = (JSON.parse(await readFile(opts.receipt, 'utf8')) as SignedBidReceipt).receipt.bidId;
    if (!bidId) throw new CliFailure('请用 --bid 或 --receipt 指定要撤回的投标文件', 2);
    const client = await BidClient.connect(opts);
    const res = await client.json<{ status: string }>('POST', `/api/bids/${bidId}/withdraw`);
    io.out(`投标文件 ${bidId} 已撤回（${res.status}）；投标保证金将按规定退还。`);
    return 0;
  });
}

async function run(io: BidIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CliFailure) {
      io.err(error.message);
      return error.exitCode;
    }
    if (error instanceof HttpProblem) {
      io.err(`平台拒绝：${error.message}${error.problem.code ? ` [${error.problem.code}]` : ''}`);
      return 1;
    }
    io.err(`失败：${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
