/**
 * Password hashes: scrypt (node:crypto) with a random per-user salt, in a self-describing string
 * `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` so the cost can be raised later without breaking old
 * hashes. Comparison is constant-time, and a dummy hash with the same cost stands in for unknown
 * users, so a wrong name costs as much time as a wrong password.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** The scrypt cost of new hashes: N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds). */
export const SCRYPT_COST = Object.freeze({ logN: 15, r: 8, p: 1 });
const KEY_BYTES = 32;
const SALT_BYTES = 16;
// Refuse absurd costs read back from a tampered row instead of exhausting memory.
const MAX_LOG_N = 20;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hash a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const { logN, r, p } = SCRYPT_COST;
  const key = await derive(password, salt, logN, r, p);
  return ['scrypt', logN, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** The cost parameters of a stored hash, or undefined when it is not one of ours. */
export function hashCost(stored: string): { logN: number; r: number; p: number } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > MAX_LOG_N || r > 32 || p > 16) return undefined;
  return { logN, r, p };
}

/** Whether the password matches the stored hash; constant-time in the comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const cost = hashCost(stored);
  const parts = stored.split('$');
  if (!cost) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  const actual = await derive(password, salt, cost.logN, cost.r, cost.p);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password nobody knows, at the same cost as real ones: checked in place of a
 * user that does not exist, so the answer takes as long as for a wrong password.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64'));
  return dummy;
}
