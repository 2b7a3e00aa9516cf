/**
 * A strict reader for the outer DER structure of certificates and CRLs (ITU-T X.690 §10). The ASN.1
 * library under x509.ts accepts BER and ignores trailing bytes; signatures are over exact bytes, so the
 * outer frame and the to-be-signed part are cut out here, and anything that is not minimal DER is refused.
 */

export class DerFrameError extends Error {}

export interface DerNode {
  tag: number;
  /** Offset of the tag byte in the input. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just after the element. */
  end: number;
}

export function readNode(input: Uint8Array, offset: number): DerNode {
  if (offset + 2 > input.length) throw new DerFrameError('truncated element');
  const tag = input[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerFrameError('multi-byte tags are not used in X.509');
  let length = input[offset + 1]!;
  let contentStart = offset + 2;
  if (length === 0x80) throw new DerFrameError('indefinite length is BER, not DER');
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count > 4 || contentStart + count > input.length) throw new DerFrameError('bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + input[contentStart + i]!;
    if (length < 0x80 || input[contentStart] === 0) throw new DerFrameError('non-minimal length');
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > input.length) throw new DerFrameError('truncated element');
  return { tag, start: offset, contentStart, end };
}

/** The children of a constructed element. */
export function childrenOf(input: Uint8Array, node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let offset = node.contentStart; offset < node.end; ) {
    const child = readNode(input, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/**
 * A signed object (Certificate, CertificateList, CSR): SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }
 * filling the input exactly. Returns the exact to-be-signed bytes and the signature bytes.
 */
export function signedFrame(input: Uint8Array): { tbs: Uint8Array; signature: Uint8Array } {
  const outer = readNode(input, 0);
  if (outer.tag !== 0x30) throw new DerFrameError('not a SEQUENCE');
  if (outer.end !== input.length) throw new DerFrameError('trailing bytes after the structure');
  const parts = childrenOf(input, outer);
  const [tbs, algorithm, signature] = parts;
  if (parts.length !== 3 || !tbs || !algorithm || !signature) throw new DerFrameError('expected 3 parts');
  if (tbs.tag !== 0x30 || algorithm.tag !== 0x30 || signature.tag !== 0x03) {
    throw new DerFrameError('unexpected part types');
  }
  const bits = input.subarray(signature.contentStart, signature.end);
  if (bits.length < 1 || bits[0] !== 0) throw new DerFrameError('signature BIT STRING has unused bits');
  return { tbs: input.subarray(tbs.start, tbs.end), signature: bits.subarray(1) };
}

/** A non-negative INTEGER's content as lowercase hex without leading zero bytes ("00" for zero). */
export function unsignedHex(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return Buffer.from(bytes.subarray(i)).toString('hex') || '00';
}
