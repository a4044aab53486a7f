/**
 * The MLflow client sends its user name and password with every request (HTTP Basic). Running
 * scrypt on each would cost tens of milliseconds per metric batch, so a password that verified
 * is remembered for a few minutes, keyed by an HMAC (with a per-process random key) of the user,
 * their current hash and the password. A changed password changes the hash, so old entries stop
 * matching at once. Each replica keeps its own cache.
 */
import { createHmac, randomBytes } from 'node:crypto';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

export class VerifiedPasswords {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  private fingerprint(userId: string, passwordHash: string, password: string): string {
    return createHmac('sha256', this.key).update(`${userId}\0${passwordHash}\0${password}`).digest('base64');
  }

  /** Whether this exact password verified against this exact hash recently. */
  has(userId: string, passwordHash: string, password: string): boolean {
    const key = this.fingerprint(userId, passwordHash, password);
    const until = this.entries.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.entries.delete(key);
    return false;
  }

  remember(userId: string, passwordHash: string, password: string): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(this.fingerprint(userId, passwordHash, password), this.now() + TTL_MS);
  }
}
