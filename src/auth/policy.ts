/** The rules for user names and passwords. */
import { invalid } from '../core/errors.js';

/** The minimum password policy (CVE-2025-11200 and -1474 were about weak and empty passwords). */
export const PASSWORD_POLICY = Object.freeze({ minLength: 12, maxLength: 256, minDistinctCharacters: 5 });

const USER_NAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

/** User names are compared case-insensitively: store and look up the lower-case form. */
export function normalizeUserName(name: string): string {
  return name.trim().toLowerCase();
}

/** Check a new user's name; returns the normalised form. */
export function checkUserName(name: string): string {
  const normal = normalizeUserName(name);
  if (!USER_NAME.test(normal)) {
    throw invalid(`User name '${name}' is not valid: use 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit`);
  }
  return normal;
}

/** Refuse a password that breaks the policy, saying which rule and what would pass. */
export function checkPasswordPolicy(password: string, userName: string): void {
  const { minLength, maxLength, minDistinctCharacters } = PASSWORD_POLICY;
  const length = [...password].length;
  if (length < minLength) throw invalid(`Password is too short: use at least ${minLength} characters (got ${length})`);
  if (length > maxLength) throw invalid(`Password is too long: use at most ${maxLength} characters`);
  if (new Set(password).size < minDistinctCharacters) {
    throw invalid(`Password is too simple: use at least ${minDistinctCharacters} different characters`);
  }
  if (password.toLowerCase().includes(normalizeUserName(userName))) throw invalid('Password must not contain the user name');
}
