import { CryptoInputError } from './errors.ts';

/**
 * The few DER (ITU-T X.690) pieces SM2 keys and signatures need. Deliberately strict: a reader that
 * accepted non-minimal lengths or integers would let two different byte strings mean the same key or
 * signature, which OpenSSL refuses too.
 */

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  objectIdentifier: 0x06,
  sequence: 0x30,
  context0: 0xa0,
  context1: 0xa1,
} as const;

export interface DerElement {
  tag: number;
  /** The content octets (a view into the input). */
  content: Uint8Array;
  /** Offset just after this element in the input. */
  end: number;
}

/** Malformed DER: a `CryptoInputError`, so callers that only know the public error types still catch it. */
export class DerError extends CryptoInputError {
  constructor(detail: string) {
    super('der.malformed', 'DER 编码格式错误', detail);
  }
}

export function readElement(input: Uint8Array, offset: number): DerElement {
  if (offset + 2 > input.length) throw new DerError('truncated DER element');
  const tag = input[offset]!;
  let length = input[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > input.length) throw new DerError('bad DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + input[start + i]!;
    if (length < 0x80 || input[start] === 0) throw new DerError('non-minimal DER length');
    start += count;
  }
  const end = start + length;
  if (end > input.length) throw new DerError('truncated DER element');
  return { tag, content: input.subarray(start, end), end };
}

/** Reads the elements inside a constructed value's content. */
export function readChildren(content: Uint8Array): DerElement[] {
  const out: DerElement[] = [];
  let offset = 0;
  while (offset < content.length) {
    const element = readElement(content, offset);
    out.push(element);
    offset = element.end;
  }
  return out;
}

/** Reads exactly one element that fills `input`, with the expected tag. */
export function readOnly(input: Uint8Array, tag: number): DerElement {
  const element = readElement(input, 0);
  if (element.end !== input.length) throw new DerError('trailing bytes after DER element');
  expectTag(element, tag);
  return element;
}

export function expectTag(element: DerElement | undefined, tag: number): DerElement {
  if (!element || element.tag !== tag) throw new DerError(`expected DER tag 0x${tag.toString(16)}`);
  return element;
}

export function encode(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const header = [tag];
  if (length < 0x80) header.push(length);
  else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    header.push(0x80 | bytes.length, ...bytes);
  }
  return concat([Uint8Array.from(header), ...parts]);
}

/** A non-negative INTEGER in its minimal two's-complement form. */
export function encodeUnsignedInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new DerError('negative integer');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return encode(TAG.integer, Buffer.from(hex, 'hex'));
}

export function decodeUnsignedInteger(element: DerElement): bigint {
  expectTag(element, TAG.integer);
  const bytes = element.content;
  if (bytes.length === 0) throw new DerError('empty integer');
  if (bytes[0]! & 0x80) throw new DerError('negative integer');
  if (bytes.length > 1 && bytes[0] === 0 && !(bytes[1]! & 0x80)) throw new DerError('non-minimal integer');
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

export function encodeObjectIdentifier(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return encode(TAG.objectIdentifier, Uint8Array.from(bytes));
}

export function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export function toPem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER inside the first PEM block with one of the labels; null when there is none. */
export function fromPem(pem: string, labels: string[]): { label: string; der: Uint8Array } | null {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!match || !labels.includes(match[1]!)) return null;
  const body = match[2]!.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return null;
  return { label: match[1]!, der: Buffer.from(body, 'base64') };
}

/** Big-endian unsigned bytes of `value`, left-padded to `length` (GM/T 0003.1 §4.2.1 integer-to-bytes). */
export function bigintToBytes(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16);
  if (value < 0n || hex.length > length * 2) throw new DerError('integer does not fit');
  return Buffer.from(hex.padStart(length * 2, '0'), 'hex');
}

/** Big-endian unsigned bytes to an integer (GM/T 0003.1 §4.2.2 bytes-to-integer). */
export function bytesToBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}
