/**
 * PEM (RFC 7468) and the other textual forms certificates arrive in: a PEM file or bundle, base64 DER
 * in a JSON body, or raw DER bytes from a file as OpenSSL writes them (`-outform DER`).
 */

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in the text, in order; blocks with invalid base64 are skipped by the caller's check. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const body = match[2]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length === 0) {
      out.push({ label: match[1]!, der: new Uint8Array(0) });
      continue;
    }
    out.push({ label: match[1]!, der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  return out;
}

export function toPem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** True when the bytes look like text (PEM) rather than DER: DER of a SEQUENCE starts with 0x30. */
export function looksLikeText(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] !== 0x30;
}

/**
 * The DER objects with one of `labels` in an input: PEM text (one or more blocks), a base64 string of
 * DER (JSON bodies), or DER bytes. Returns [] when nothing usable is found.
 */
export function derObjectsOf(input: string | Uint8Array, labels: readonly string[]): Uint8Array[] {
  if (typeof input !== 'string' && !looksLikeText(input)) return [input];
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  if (text.includes('-----BEGIN ')) {
    return pemBlocks(text)
      .filter((b) => labels.includes(b.label))
      .map((b) => b.der);
  }
  const compact = text.replace(/\s+/g, '');
  if (compact.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    return [new Uint8Array(Buffer.from(compact, 'base64'))];
  }
  return [];
}
