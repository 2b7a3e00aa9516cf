import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { DemoCertificates, IssueDemoOptions } from '../../platform/certs/index.ts';
import { parseCertificate } from '../../platform/certs/index.ts';
import {
  importSm2PrivateKeyPem,
  importSm2PublicKeyDer,
  importSm2PublicKeyPem,
  type Sm2PrivateKey,
  type Sm2PublicKey,
} from '../../platform/crypto/index.ts';
import type { ProcedureType } from '../procedures/index.ts';
import { suggestTimeline } from '../procedures/index.ts';
import {
  type FactoryAccount,
  type FactoryClient,
  type FactoryPlatform,
  type FactoryResponse,
  makeAcceptedEntity,
  registerReceivedLot,
} from '../projects/test-factory.ts';
import type { LotTimeline } from '../tenders/index.ts';
import type { SignedBidManifest, SignedBidReceipt } from './format.ts';
import { type PackedBid, type PackPartInput, packBid, readPackedBid } from './pack.ts';

/**
 * Test factories for sealed bids (other modules' tests — deposits, opening — build on them): a lot open
 * for bidding with registered bidders holding bound demo SM2 certificates, and a real submission through
 * the HTTP API (pack → POST manifest → PATCH chunks → complete).
 *
 * Pass `makeTestPlatform()`'s result (test/support/platform.ts); production code never imports this.
 */
export interface BidFactoryClient extends FactoryClient {
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

export interface BidFactoryPlatform extends FactoryPlatform<BidFactoryClient> {
  clock: FactoryPlatform['clock'] & { set(at: Date | string): void };
  certs: { demoCa: { issue(opts: Omit<IssueDemoOptions, 'dataDir'>): Promise<DemoCertificates> } };
  jobs: { runDueJobs(): Promise<unknown> };
}

export interface BidderKeys {
  signKey: Sm2PrivateKey;
  signCertDer: Uint8Array;
  encKey: Sm2PrivateKey;
  encPublicKey: Sm2PublicKey;
  /** PEM files of the pair (sign.key.pem, sign.cert.pem, enc.key.pem, enc.cert.pem, ca.cert.pem). */
  certDir: string;
}

export interface TestBidder {
  account: FactoryAccount;
  session: BidFactoryClient;
  organizationId: string;
  creditCode: string;
  name: string;
  keys: BidderKeys;
}

export interface TestCustodian {
  account: FactoryAccount;
  session: BidFactoryClient;
  label: string;
  encKey: Sm2PrivateKey;
}

export interface LotForBidding {
  lot: { id: string; code: string; procedureType: ProcedureType; timeline: LotTimeline };
  initiator: { account: FactoryAccount; session: BidFactoryClient };
  agency: { account: FactoryAccount; session: BidFactoryClient };
  operator: { session: BidFactoryClient };
  bidders: TestBidder[];
  /** The opening key's custodians when `allowFallback` (交易中心, 监督部门, 代理机构), with their keys. */
  custodians: TestCustodian[];
  openingKey: Sm2PublicKey | null;
}

const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

function expectStatus(res: FactoryResponse, status: number, what: string) {
  if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
}

/** Demo SM2 dual certificates for an account, bound to it, with the keys read back. */
export async function issueBidderKeys(
  platform: BidFactoryPlatform,
  username: string,
  validDays?: number,
): Promise<BidderKeys> {
  const certDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-certs-'));
  const issued = await platform.certs.demoCa.issue({
    username,
    outDir: certDir,
    ...(validDays === undefined ? {} : { validDays }),
  });
  const signCert = parseCertificate(issued.sign.certificatePem);
  const encCert = parseCertificate(issued.encryption.certificatePem);
  return {
    signKey: importSm2PrivateKeyPem(issued.sign.privateKeyPem),
    signCertDer: signCert.der,
    encKey: importSm2PrivateKeyPem(issued.encryption.privateKeyPem),
    encPublicKey: importSm2PublicKeyDer(encCert.publicKey.spki),
    certDir,
  };
}

/** An accepted bidder with bound demo certificates that has obtained the lot's documents. */
export async function addBidder(
  platform: BidFactoryPlatform,
  lotId: string,
  opts: { download?: boolean } = {},
): Promise<TestBidder> {
  const entity = await makeAcceptedEntity(platform, ['bidder'], { name: uniqueName('测试投标建设有限公司') });
  const keys = await issueBidderKeys(platform, entity.account.username);
  if (opts.download ?? true) {
    const dl = await entity.client.get(`/api/lots/${lotId}/documents/file`);
    expectStatus(dl, 200, 'documents download');
  }
  return {
    account: entity.account,
    session: entity.client,
    organizationId: entity.account.organizationId!,
    creditCode: entity.creditCode,
    name: entity.name,
    keys,
  };
}

/**
 * A lot whose tender announcement is published with bid settings saved (and the opening key split among
 * three custodians when `allowFallback`), documents on sale, and `bidders` (default 3) registered bidders
 * holding bound demo certificates who downloaded the documents. The clock stands at the publication.
 */
export async function openLotForBidding(
  platform: BidFactoryPlatform,
  opts: {
    procedureType?: ProcedureType;
    depositYuan?: string;
    allowFallback?: boolean;
    bidders?: number;
    maxPartBytes?: number;
    estimateYuan?: string;
    catalogItemCode?: string;
  } = {},
): Promise<LotForBidding> {
  const procedureType = opts.procedureType ?? 'open-tender.works';
  const received = await registerReceivedLot(platform, {
    procedureType,
    withAgency: true,
    ...(opts.estimateYuan ? { estimateYuan: opts.estimateYuan } : {}),
    ...(opts.catalogItemCode ? { catalogItemCode: opts.catalogItemCode } : {}),
  });
  const lotId = received.lot.id;
  const agencySession = received.agencyClient!;

  const custodians: TestCustodian[] = [];
  if (opts.allowFallback) {
    for (const [roles, label] of [
      [['operator'], '交易中心'],
      [['supervisor'], '行政监督部门'],
      [['agency'], '招标代理机构'],
    ] as const) {
      const account = await platform.makeAccount([...roles], { displayName: `${label}保管人` });
      const keys = await issueBidderKeys(platform, account.username);
      custodians.push({ account, session: await platform.as(account), label, encKey: keys.encKey });
    }
  }
  const settings = await received.initiatorClient.put(`/api/lots/${lotId}/bid-settings`, {
    allowFallback: opts.allowFallback ?? false,
    ...(opts.maxPartBytes ? { maxPartBytes: opts.maxPartBytes } : {}),
    ...(opts.allowFallback
      ? {
          openingKey: {
            threshold: 2,
            custodians: custodians.map((c) => ({ accountId: c.account.id, label: c.label })),
          },
        }
      : {}),
  });
  expectStatus(settings, 200, 'bid settings');
  const openingKeyPem = (settings.json() as { openingKey: { publicKeyPem: string } | null }).openingKey
    ?.publicKeyPem;

  // Tender documents and the announcement (as tenders.test.ts does).
  const upload = await received.initiatorClient.request({
    method: 'POST',
    url: '/api/blobs',
    headers: { 'content-type': 'multipart/form-data; boundary=X' },
    payload: `--X\r\nContent-Disposition: form-data; name="file"; filename="招标文件.pdf"\r\nContent-Type: application/pdf\r\n\r\n招标文件 ${uniqueName('doc')}\r\n--X--\r\n`,
  });
  if (upload.statusCode !== 201 && upload.statusCode !== 200)
    throw new Error(`documents blob: ${upload.body}`);
  const sha256 = (upload.json() as { sha256: string }).sha256;
  expectStatus(
    await received.initiatorClient.post(`/api/lots/${lotId}/documents`, { sha256, filename: '招标文件.pdf' }),
    201,
    'tender documents',
  );
  const t = suggestTimeline(procedureType, platform.clock.now(), received.lot.rulesAsOf);
  const draft = await received.initiatorClient.post(`/api/lots/${lotId}/announcements`, {
    kind: procedureType.endsWith('.gp') ? 'procurement' : 'tender',
    title: `${received.lot.projectName}招标公告`,
    body: '一、招标条件\n本招标项目已具备招标条件，现进行公开招标。',
    timeline: {
      documentsFrom: t.documentsFrom.toISOString(),
      documentsUntil: t.documentsUntil.toISOString(),
      bidDeadline: t.bidDeadline.toISOString(),
      openingAt: t.openingAt.toISOString(),
    },
    ...(opts.depositYuan ? { depositYuan: opts.depositYuan } : {}),
  });
  expectStatus(draft, 201, 'announcement draft');
  const id = (draft.json() as { id: string }).id;
  expectStatus(
    await received.initiatorClient.post(`/api/lots/${lotId}/announcements/${id}/publish`),
    200,
    'publish',
  );
  await platform.jobs.runDueJobs();
  const view = await received.initiatorClient.get(`/api/lots/${lotId}/timeline`);
  expectStatus(view, 200, 'timeline');
  const raw = view.json() as Record<string, unknown>;
  const date = (key: string) => (raw[key] ? new Date(raw[key] as string) : null);
  const timeline = {
    ...raw,
    publishedAt: date('publishedAt')!,
    documentsFrom: date('documentsFrom')!,
    documentsUntil: date('documentsUntil')!,
    bidDeadline: date('bidDeadline')!,
    openingAt: date('openingAt')!,
    objectionUntil: date('objectionUntil'),
    terminatedAt: date('terminatedAt'),
  } as LotTimeline;

  const bidders: TestBidder[] = [];
  for (let i = 0; i < (opts.bidders ?? 3); i++) bidders.push(await addBidder(platform, lotId));
  return {
    lot: { id: lotId, code: received.lot.code, procedureType, timeline },
    initiator: { account: received.initiator, session: received.initiatorClient },
    agency: { account: received.agency!, session: agencySession },
    operator: { session: received.operatorClient },
    bidders,
    custodians,
    openingKey: openingKeyPem ? importSm2PublicKeyPem(openingKeyPem) : null,
  };
}

export interface SubmitOptions {
  summary?: Record<string, string>;
  parts?: { kind: PackPartInput['kind']; name: string; bytes: Uint8Array }[];
  /** Bytes per PATCH (default 8 MiB). */
  chunkBytes?: number;
}

/** Packs a bid for `bidder` into a temporary directory (the CLI's library), returns the directory. */
export async function packTestBid(
  lot: Pick<LotForBidding, 'lot' | 'openingKey'>,
  bidder: TestBidder,
  opts: SubmitOptions = {},
): Promise<PackedBid> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-bid-'));
  return packBid({
    lot: { id: lot.lot.id, code: lot.lot.code },
    bidder: { organizationId: bidder.organizationId, creditCode: bidder.creditCode, name: bidder.name },
    signKey: bidder.keys.signKey,
    signCertificateDer: bidder.keys.signCertDer,
    encryptionKey: bidder.keys.encPublicKey,
    openingKey: lot.openingKey,
    summary: opts.summary ?? { price: '1234567.89', duration: '365', quality: '合格' },
    parts: (
      opts.parts ?? [
        { kind: 'technical', name: '技术部分', bytes: new TextEncoder().encode('施工组织设计……') },
      ]
    ).map((p) => ({ kind: p.kind, name: p.name, filename: `${p.name}.pdf`, source: { bytes: p.bytes } })),
    outDir,
    toolVersion: 'test',
    machine: { macs: ['02:00:00:00:00:01'], cpu: 'test cpu', diskSerial: null, hostname: 'test-host' },
  });
}

/** POST the manifest, PATCH every part in chunks, complete: the platform's answer to each step. */
export async function uploadPacked(
  session: BidFactoryClient,
  lotId: string,
  packed: PackedBid | SignedBidManifest,
  dir?: string,
  opts: { chunkBytes?: number } = {},
) {
  const signed = 'signed' in packed ? packed.signed : packed;
  const folder = 'signed' in packed ? packed.dir : dir!;
  const created = await session.post(`/api/lots/${lotId}/bid-uploads`, { manifest: signed });
  if (created.statusCode !== 201) return { created, completed: null };
  const { uploadId } = created.json() as { uploadId: string };
  const chunk = opts.chunkBytes ?? 8 * 1024 * 1024;
  for (const part of signed.manifest.parts) {
    const bytes = await readFile(path.join(folder, `part-${part.no}.gzs4`));
    for (let at = 0; at < bytes.length || (at === 0 && bytes.length === 0); at += chunk) {
      const res = await session.request({
        method: 'PATCH',
        url: `/api/bid-uploads/${uploadId}/parts/${part.no}`,
        headers: { 'content-type': 'application/octet-stream', 'upload-offset': String(at) },
        payload: bytes.subarray(at, at + chunk),
      });
      if (res.statusCode !== 204) return { created, uploadId, completed: null, failed: res };
      if (bytes.length === 0) break;
    }
  }
  const completed = await session.post(`/api/bid-uploads/${uploadId}/complete`);
  return { created, uploadId, completed };
}

/** Packs and submits a bid through the real HTTP API; returns the platform's signed receipt. */
export async function submitBid(
  platform: BidFactoryPlatform,
  lot: Pick<LotForBidding, 'lot' | 'openingKey'>,
  bidder: TestBidder,
  opts: SubmitOptions = {},
): Promise<SignedBidReceipt> {
  void platform;
  const packed = await packTestBid(lot, bidder, opts);
  try {
    const result = await uploadPacked(bidder.session, lot.lot.id, packed, undefined, opts);
    if (!result.completed) {
      const failed = 'failed' in result ? result.failed : result.created;
      throw new Error(`bid not submitted: ${failed?.statusCode} ${failed?.body}`);
    }
    expectStatus(result.completed, 200, 'complete');
    return result.completed.json() as SignedBidReceipt;
  } finally {
    await rm(packed.dir, { recursive: true, force: true });
  }
}

export { readPackedBid };
