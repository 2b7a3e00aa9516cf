/**
 * 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters — registration authority,
 * entity category, 6-digit administrative region, 9-character organisation code, check character.
 * The alphabet leaves out I, O, S, V and Z.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters (GB 32100-2015 §5.2), or null if one is invalid. */
export function creditCodeCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]!);
    if (value < 0) return null;
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** True for an 18-character code of the right shape whose check character is right. */
export function isValidCreditCode(code: string): boolean {
  return SHAPE.test(code) && creditCodeCheckCharacter(code.slice(0, 17)) === code[17];
}

/**
 * The first valid credit code inside a text, e.g. an OU of "91150100MA0N0R0B3Q", an
 * organizationIdentifier of "USCC-91150100..." or a CN of "某公司@91150100...". Candidates are 18
 * alphanumeric characters standing alone; the check character keeps a citizen ID number (also 18
 * characters) from passing for a credit code in all but 1 of 31 cases, and the shape rules out most.
 */
export function findCreditCode(text: string): string | null {
  const upper = text.normalize('NFKC').toUpperCase();
  for (const match of upper.matchAll(/(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])/g)) {
    if (isValidCreditCode(match[0])) return match[0];
  }
  return null;
}
