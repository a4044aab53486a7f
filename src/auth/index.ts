/** Identity and authentication: users, API tokens, sessions, lock-out, rate limits and roles. */
import { nowMs } from '../core/clock.js';
import type { Db } from '../store/db.js';
import { Authenticator } from './authenticate.js';
import { Bootstrap } from './bootstrap.js';
import { VerifiedPasswords } from './credential-cache.js';
import { DEFAULT_LOCKOUT, Lockout, type LockoutPolicy } from './lockout.js';
import { dummyPasswordHash } from './passwords.js';
import { RateLimiter } from './rate-limit.js';
import { Sessions } from './sessions.js';
import { Tokens } from './tokens.js';
import { Users } from './users.js';

export { Authenticator, csrfMatches, csrfTokenFor, INVALID_CREDENTIALS } from './authenticate.js';
export { Bootstrap, BOOTSTRAP_LIFETIME_MS } from './bootstrap.js';
export { DEFAULT_LOCKOUT, RetryLaterError, type LockoutPolicy } from './lockout.js';
export { PASSWORD_POLICY } from './policy.js';
export { RateLimiter } from './rate-limit.js';
export { authorize, isRole, ROLES, roleGrants, type AccessRequest, type Decision, type Permission, type Principal, type ResourceRef, type Role } from './roles.js';
export { parseLifetime, TOKEN_PREFIX } from './secrets.js';
export { SESSION_LIFETIME_MS, Sessions, type SignIn } from './sessions.js';
export { DEFAULT_TOKEN_LIFETIME_MS, Tokens, type TokenView } from './tokens.js';
export { Users, type UserView } from './users.js';

/** The auth capability, as the rest of cairn sees it. */
export interface Auth {
  readonly users: Users;
  readonly tokens: Tokens;
  readonly sessions: Sessions;
  readonly authenticator: Authenticator;
  readonly bootstrap: Bootstrap;
  /** Undefined when rate limiting is off. */
  readonly rateLimiter: RateLimiter | undefined;
}

/** Options for tests and the server: the clock, the lock-out policy and the rate limit (0 = off). */
export interface AuthOptions {
  readonly now?: () => number;
  readonly lockout?: LockoutPolicy;
  readonly rateLimitPerMinute?: number;
}

/**
 * Build the auth capability over a database.
 * @example const auth = createAuth(db, { rateLimitPerMinute: 3000 });
 */
export function createAuth(db: Db, options: AuthOptions = {}): Auth {
  const now = options.now ?? nowMs;
  const lockout = new Lockout(db, options.lockout ?? DEFAULT_LOCKOUT, now);
  const users = new Users(db, lockout, now);
  const authenticator = new Authenticator(db, lockout, new VerifiedPasswords(now), now);
  // Computed now, so the first unknown-user sign-in does not pay for it (and take longer).
  void dummyPasswordHash();
  return Object.freeze({
    users,
    tokens: new Tokens(db, users, now),
    sessions: new Sessions(db, authenticator, now),
    authenticator,
    bootstrap: new Bootstrap(db, users, now),
    rateLimiter: options.rateLimitPerMinute ? new RateLimiter(options.rateLimitPerMinute, now) : undefined,
  });
}
