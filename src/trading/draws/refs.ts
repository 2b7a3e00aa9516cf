import crypto from 'node:crypto';
import type { FieldSealer } from '../../platform/sealing/index.ts';

/**
 * 专家编号的密封标记 (the code tag): the rules "busy / frequency / same initiator" must match the recent
 * assignments against thousands of candidates within a few milliseconds. A blind index per candidate
 * costs an HMAC each (≈5 µs: 100 ms for 20,000 candidates), so assignments also carry the expert's code
 * encrypted deterministically — SM4-ECB of the code padded to one 16-byte block, under a key derived from
 * the field key. The database shows neither the code nor the name; the drawing process decrypts the recent
 * assignments' tags in ONE cipher call and matches codes, with no per-candidate work.
 */
const BLOCK = 16;

function tagKey(sealer: FieldSealer): Buffer {
  return Buffer.from(sealer.blindIndex('expert-draw', 'code-tag-key/v1'), 'hex').subarray(0, BLOCK);
}

const keys = new WeakMap<FieldSealer, Buffer>();
function keyOf(sealer: FieldSealer): Buffer {
  let key = keys.get(sealer);
  if (!key) {
    key = tagKey(sealer);
    keys.set(sealer, key);
  }
  return key;
}

/** The tags (hex) of these codes, in order. Codes are ASCII of at most 16 characters. */
export function codeTags(sealer: FieldSealer, codes: string[]): string[] {
  if (codes.length === 0) return [];
  const plain = Buffer.alloc(codes.length * BLOCK);
  codes.forEach((code, i) => {
    if (!/^[\x21-\x7e]{1,16}$/.test(code)) throw new RangeError(`expert code not tag-able: ${code}`);
    plain.write(code, i * BLOCK, 'ascii');
  });
  const cipher = crypto.createCipheriv('sm4-ecb', keyOf(sealer), null);
  cipher.setAutoPadding(false);
  const out = Buffer.concat([cipher.update(plain), cipher.final()]);
  return codes.map((_, i) => out.toString('hex', i * BLOCK, (i + 1) * BLOCK));
}

/** The codes behind these tags, in order (one cipher call for all). */
export function codesOfTags(sealer: FieldSealer, tags: string[]): string[] {
  if (tags.length === 0) return [];
  const data = Buffer.from(tags.join(''), 'hex');
  if (data.length !== tags.length * BLOCK) throw new RangeError('bad code tag');
  const decipher = crypto.createDecipheriv('sm4-ecb', keyOf(sealer), null);
  decipher.setAutoPadding(false);
  const out = Buffer.concat([decipher.update(data), decipher.final()]);
  return tags.map((_, i) => out.toString('ascii', i * BLOCK, (i + 1) * BLOCK).replace(/\0+$/, ''));
}

/** The blind lookup value of an expert (contracts: `expert_ref`), for the expert's own assignment list. */
export function expertRefOf(sealer: FieldSealer, expertId: string): string {
  return sealer.blindIndex('expert', expertId);
}
