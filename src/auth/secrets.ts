/** Random secrets (API tokens, session and bootstrap tokens), their stored hashes, and lifetimes. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { invalid } from '../core/errors.js';

/** Every API token starts with this, so secret scanners and people recognise one. */
export const TOKEN_PREFIX = 'cairn_';
/** The one-time token printed at first start. */
export const BOOTSTRAP_PREFIX = 'cairn_bootstrap_';

/** A new secret: the prefix and 32 random bytes, base64url. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What is stored for a secret: its sha256, hex. The secrets are random, so no salt or slow hash is needed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A short random id to name a token in lists and revoke it by (not a secret). */
export function newTokenId(): string {
  return randomBytes(8).toString('hex');
}

/** Compare two strings without an early exit on the first difference. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parse a lifetime like `30d`, `12h`, `90m` or `2w`; `never` gives null (no expiry). */
export function parseLifetime(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (value === 'never') return null;
  const match = /^(\d+)\s*([mhdw])$/.exec(value);
  const amount = Number(match?.[1]);
  const unit = UNITS[match?.[2] ?? ''];
  if (!match || !unit || amount < 1 || amount > 3650 * 86_400_000 / unit) {
    throw invalid(`Token lifetime '${text}' is not valid: use a number and a unit (m, h, d, w), e.g. 30d, or 'never'`);
  }
  return amount * unit;
}
