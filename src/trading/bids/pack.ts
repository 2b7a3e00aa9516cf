import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createDetachedEnvelope,
  type DetachedContent,
  type Sm2PrivateKey,
  type Sm2PublicKey,
} from '../../platform/crypto/index.ts';
import {
  BID_FORMAT,
  BID_TOOL_NAME,
  type BidManifest,
  type BidManifestPart,
  type MachineFingerprint,
  PART_KIND_NAMES_ZH,
  type PartKind,
  type SignedBidManifest,
  signManifest,
  summaryPlaintext,
} from './format.ts';

/**
 * 投标文件制作 (the bidder's tool, offline): seals each part with a fresh SM4 content key (the crypto
 * module's detached envelope), wraps the key to the bidder's own encryption certificate key and, when
 * the tender allows the fallback, to the tender's opening key, and signs the manifest with the bidder's
 * SM2 signing key. Streams file to file: a 2 GB part never sits in memory.
 *
 *   <outDir>/manifest.json     SignedBidManifest (UTF-8 JSON)
 *   <outDir>/part-<no>.gzs4    the sealed bytes of part <no> (the sealed SM4 format, docs/crypto.md)
 */

export type PackPartSource = { path: string } | { bytes: Uint8Array };

export interface PackPartInput {
  kind: Exclude<PartKind, 'summary'>;
  name?: string;
  /** Shown to the bidder and the opening; defaults to the source file's base name. */
  filename?: string;
  source: PackPartSource;
}

export interface PackBidInput {
  lot: { id: string; code: string };
  bidder: { organizationId: string; creditCode: string; name: string };
  /** The bidder's SM2 signing key and its certificate (DER). */
  signKey: Sm2PrivateKey;
  signCertificateDer: Uint8Array;
  /** The bidder's own encryption certificate key (always a recipient). */
  encryptionKey: Sm2PublicKey;
  /** The tender's opening key, when the tender allows the 第31条 fallback. */
  openingKey?: Sm2PublicKey | null;
  /** 开标一览表 fields (price, duration …) as strings; the first part. */
  summary: Record<string, string>;
  parts: PackPartInput[];
  outDir: string;
  toolVersion: string;
  /** Defaults to this machine's (`machineFingerprint()`). */
  machine?: MachineFingerprint;
  /** Progress in bytes of plaintext read. */
  onProgress?: (done: number) => void;
  /** The tool's clock (informative). */
  now?: Date;
}

export interface PackedBid {
  signed: SignedBidManifest;
  dir: string;
  manifestPath: string;
  partPaths: { no: number; path: string; sealedLength: number }[];
}

export const MANIFEST_FILE = 'manifest.json';
export const partFileName = (no: number) => `part-${no}.gzs4`;

export async function packBid(input: PackBidInput): Promise<PackedBid> {
  await mkdir(input.outDir, { recursive: true, mode: 0o700 });
  const recipients = [input.encryptionKey, ...(input.openingKey ? [input.openingKey] : [])];
  const sources: { kind: PartKind; name: string; filename: string; source: PackPartSource }[] = [
    {
      kind: 'summary',
      name: PART_KIND_NAMES_ZH.summary,
      filename: 'summary.json',
      source: { bytes: summaryPlaintext(input.summary) },
    },
    ...input.parts.map((p) => ({
      kind: p.kind,
      name: p.name ?? PART_KIND_NAMES_ZH[p.kind],
      filename: p.filename ?? ('path' in p.source ? path.basename(p.source.path) : `${p.kind}.bin`),
      source: p.source,
    })),
  ];
  let done = 0;
  const parts: BidManifestPart[] = [];
  const partPaths: PackedBid['partPaths'] = [];
  for (const [index, part] of sources.entries()) {
    const no = index + 1;
    const sealer = createDetachedEnvelope({ recipients });
    const target = path.join(input.outDir, partFileName(no));
    const tmp = `${target}.tmp`;
    const source =
      'path' in part.source ? createReadStream(part.source.path) : Readable.from([part.source.bytes]);
    source.on('data', (chunk: Buffer | string) => {
      done += chunk.length;
      input.onProgress?.(done);
    });
    await pipeline(source, sealer.stream, createWriteStream(tmp, { mode: 0o600 }));
    await rename(tmp, target);
    const envelope = sealer.finish();
    parts.push({
      no,
      kind: part.kind,
      name: part.name,
      filename: part.filename,
      content: envelope.content as DetachedContent,
      recipients: envelope.recipients,
    });
    partPaths.push({ no, path: target, sealedLength: (envelope.content as DetachedContent).sealedLength });
  }
  const manifest: BidManifest = {
    format: BID_FORMAT,
    lotId: input.lot.id,
    lotCode: input.lot.code,
    bidder: input.bidder,
    nonce: randomBytes(16).toString('base64url'),
    createdAt: (input.now ?? new Date()).toISOString(),
    tool: { name: BID_TOOL_NAME, version: input.toolVersion },
    machine: input.machine ?? (await machineFingerprint()),
    signerCertificate: Buffer.from(input.signCertificateDer).toString('base64'),
    parts,
  };
  const signed = signManifest(manifest, input.signKey);
  const manifestPath = path.join(input.outDir, MANIFEST_FILE);
  await writeFile(manifestPath, `${JSON.stringify(signed, null, 2)}\n`, { mode: 0o600 });
  return { signed, dir: input.outDir, manifestPath, partPaths };
}

/** Reads a packed directory back: the signed manifest and where each part's sealed bytes are. */
export async function readPackedBid(dir: string): Promise<PackedBid> {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const signed = JSON.parse(await readFile(manifestPath, 'utf8')) as SignedBidManifest;
  return {
    signed,
    dir,
    manifestPath,
    partPaths: signed.manifest.parts.map((p) => ({
      no: p.no,
      path: path.join(dir, partFileName(p.no)),
      sealedLength: p.content.sealedLength,
    })),
  };
}

/**
 * The machine's fingerprint, recorded openly (collusion checks: 《招标投标法实施条例》第四十条 — files made on
 * the same computer): MAC addresses, CPU model, the first readable disk serial, host name.
 */
export async function machineFingerprint(): Promise<MachineFingerprint> {
  const macs = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) {
    for (const nic of list ?? []) {
      if (!nic.internal && nic.mac && nic.mac !== '00:00:00:00:00:00') macs.add(nic.mac.toLowerCase());
    }
  }
  const cpu = os.cpus()[0]?.model?.trim() || null;
  let hostname: string | null = null;
  try {
    hostname = os.hostname() || null;
  } catch {
    hostname = null;
  }
  return { macs: [...macs].sort(), cpu, diskSerial: await diskSerial(), hostname };
}

async function diskSerial(): Promise<string | null> {
  for (const base of ['/sys/block', '/sys/class/block']) {
    let names: string[];
    try {
      names = (await readdir(base)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (/^(loop|ram|zram|dm-|sr)/.test(name)) continue;
      for (const file of ['device/serial', 'device/wwid', 'serial']) {
        try {
          const text = (await readFile(path.join(base, name, file), 'utf8')).trim();
          if (text) return text;
        } catch {
          // not readable here (permissions, virtual disk): try the next
        }
      }
    }
  }
  return null;
}
