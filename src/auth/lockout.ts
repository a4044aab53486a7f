/**
 * Lock-out after repeated failed sign-ins. Counted per login name, whether or not a user has that
 * name, so the answers for an unknown name and a known one are the same. Kept in the database so
 * every replica sees the same count.
 */
import type { Db } from '../store/db.js';
import { clearFailures, pruneFailures, saveFailures, selectFailures, type FailureRecord } from '../store/auth/failures.js';
import { CairnError } from '../core/errors.js';

/** How many failures within which window lock a name, and for how long. */
export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = Object.freeze({ maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 });

/** A 401 that says when to try again; the HTTP layer turns `retryAfterSeconds` into Retry-After. */
export class RetryLaterError extends CairnError {
  readonly retryAfterSeconds: number;

  constructor(code: 'UNAUTHENTICATED' | 'REQUEST_LIMIT_EXCEEDED', message: string, retryAfterSeconds: number) {
    super(code, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function lockedError(loginName: string, lockedUntil: number, now: number): RetryLaterError {
  const seconds = Math.max(1, Math.ceil((lockedUntil - now) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new RetryLaterError(
    'UNAUTHENTICATED',
    `Too many failed sign-in attempts for user name '${loginName}': sign-in is locked until ${new Date(lockedUntil).toISOString()} ` +
      `(try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to run 'cairn users unlock')`,
    seconds,
  );
}

/** Counts failures per login name and refuses sign-in while a name is locked. */
export class Lockout {
  constructor(
    private readonly db: Db,
    private readonly policy: LockoutPolicy,
    private readonly now: () => number,
  ) {}

  /** Throw while the name is locked; otherwise say whether it has failures to forget on success. */
  async ensureNotLocked(loginName: string): Promise<{ hasFailures: boolean }> {
    const record = await selectFailures(this.db.kysely, loginName);
    const now = this.now();
    if (record?.lockedUntil != null && record.lockedUntil > now) throw lockedError(loginName, record.lockedUntil, now);
    return { hasFailures: record !== undefined };
  }

  /** Count a failure; the one that reaches the limit locks the name and answers with the lock. */
  async recordFailure(loginName: string): Promise<void> {
    const now = this.now();
    const { maxFailures, windowMs, lockMs } = this.policy;
    const previous = await selectFailures(this.db.kysely, loginName);
    const fresh = !previous || previous.firstFailureAt < now - windowMs || (previous.lockedUntil !== null && previous.lockedUntil <= now);
    const next: FailureRecord = fresh
      ? { failures: 1, firstFailureAt: now, lockedUntil: null }
      : { failures: previous.failures + 1, firstFailureAt: previous.firstFailureAt, lockedUntil: null };
    if (next.failures >= maxFailures) next.lockedUntil = now + lockMs;
    await saveFailures(this.db.kysely, loginName, next);
    if (fresh) await pruneFailures(this.db.kysely, now - Math.max(windowMs, lockMs));
    if (next.lockedUntil !== null) throw lockedError(loginName, next.lockedUntil, now);
  }

  async clear(loginName: string): Promise<void> {
    await clearFailures(this.db.kysely, loginName);
  }
}
