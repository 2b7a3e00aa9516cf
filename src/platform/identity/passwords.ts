import { hash, verify } from '@node-rs/argon2';

// argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's minimum recommendation).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verifying against this when the user does not exist keeps the answer time the same as for a wrong
// password, so timing does not reveal which usernames exist.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$8Z35ElmyfG9hG1AmqHNEGA$kJZPdBq9SCK0Bf14Zt9Hf2MTX29CtwAU6s9bEOewiZA';

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  try {
    return await verify(storedHash ?? DUMMY_HASH, password);
  } catch {
    // A malformed stored hash is a failed login, never a crash; it cannot match any password.
    return false;
  }
}

export function validatePasswordStrength(password: string): string | null {
  if (password.length < 8) return '密码至少 8 位';
  if (password.length > 128) return '密码最多 128 位';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  return null;
}
