/**
 * Turn credentials into a principal: a user name and password (HTTP Basic or the login form), an
 * API token or the bootstrap token (Bearer), or a session cookie. Every failure is a 401 whose
 * message says why, without ever telling whether a user name exists.
 */
import { createHash } from 'node:crypto';
import { CairnError } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { selectBootstrapToken, selectSession, selectTokenByHash, touchToken } from '../store/auth/credentials.js';
import { selectUserById, selectUserByName, type UserRecord } from '../store/auth/users.js';
import type { VerifiedPasswords } from './credential-cache.js';
import type { Lockout } from './lockout.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { normalizeUserName } from './policy.js';
import type { Principal } from './roles.js';
import { hashSecret, sameSecret } from './secrets.js';
import { roleOf } from './users.js';

const unauthenticated = (message: string): CairnError => new CairnError('UNAUTHENTICATED', message);

/** One message for an unknown name and a wrong password alike. */
export const INVALID_CREDENTIALS = 'Invalid user name or password';

// "last used" is for people reading token lists: a write per minute per token is plenty.
const TOUCH_EVERY_MS = 60_000;
// Login names longer than any valid one are cut, so guessed names cannot grow rows without bound.
const MAX_LOGIN_KEY = 128;

/** The CSRF token of a session: derived from its secret, so nothing more is stored. */
export function csrfTokenFor(sessionHash: string): string {
  return createHash('sha256').update(`cairn-csrf\0${sessionHash}`).digest('base64url');
}

/** Whether a CSRF header value belongs to the session (constant-time). */
export function csrfMatches(sessionHash: string, header: string): boolean {
  return sameSecret(csrfTokenFor(sessionHash), header);
}

export class Authenticator {
  constructor(
    private readonly db: Db,
    private readonly lockout: Lockout,
    private readonly verified: VerifiedPasswords,
    private readonly now: () => number,
  ) {}

  /**
   * Check a user name and password. The same scrypt work runs whether or not the user exists,
   * failures count toward the name's lock-out, and the answer for both is the same.
   */
  async checkPassword(rawName: string, password: string): Promise<UserRecord> {
    const name = normalizeUserName(rawName).slice(0, MAX_LOGIN_KEY);
    const { hasFailures } = await this.lockout.ensureNotLocked(name);
    const user = await selectUserByName(this.db.kysely, name);
    const remembered = user !== undefined && this.verified.has(user.userId, user.passwordHash, password);
    const ok = remembered || (await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash())));
    if (!ok || !user) {
      await this.lockout.recordFailure(name);
      throw unauthenticated(INVALID_CREDENTIALS);
    }
    if (!remembered) this.verified.remember(user.userId, user.passwordHash, password);
    if (hasFailures) await this.lockout.clear(name);
    // Said only to someone who knows the password, so it reveals nothing to a guesser.
    if (user.disabled) throw unauthenticated(`User '${user.name}' is disabled; ask an administrator to enable it`);
    return user;
  }

  /** HTTP Basic: a user name and password on every request. */
  async withPassword(name: string, password: string): Promise<Principal> {
    const user = await this.checkPassword(name, password);
    return { kind: 'user', userId: user.userId, name: user.name, role: roleOf(user), via: 'password' };
  }

  /** Bearer: an API token, or the one-time bootstrap token while no user exists. */
  async withBearer(token: string): Promise<Principal> {
    const tokenHash = hashSecret(token);
    const now = this.now();
    const record = await selectTokenByHash(this.db.kysely, tokenHash);
    if (!record) {
      const bootstrap = await selectBootstrapToken(this.db.kysely, tokenHash);
      if (bootstrap && bootstrap.expiresAt > now) return { kind: 'bootstrap', tokenHash };
      if (bootstrap) throw unauthenticated(`The bootstrap token expired at ${new Date(bootstrap.expiresAt).toISOString()}; restart the server to print a new one`);
      throw unauthenticated('Invalid API token');
    }
    if (record.revokedAt !== null) throw unauthenticated(`API token '${record.name}' (${record.tokenId}) was revoked at ${new Date(record.revokedAt).toISOString()}`);
    if (record.expiresAt !== null && record.expiresAt <= now) {
      throw unauthenticated(`API token '${record.name}' (${record.tokenId}) expired at ${new Date(record.expiresAt).toISOString()}; create a new one`);
    }
    const user = await selectUserById(this.db.kysely, record.userId);
    if (!user) throw unauthenticated(`API token '${record.name}' belongs to a user that no longer exists`);
    if (user.disabled) throw unauthenticated(`API token '${record.name}' belongs to user '${user.name}', which is disabled`);
    if (record.lastUsedAt === null || now - record.lastUsedAt > TOUCH_EVERY_MS) await touchToken(this.db.kysely, record.tokenId, now);
    return { kind: 'user', userId: user.userId, name: user.name, role: roleOf(user), via: 'token', tokenId: record.tokenId };
  }

  /** A browser session cookie. */
  async withSession(sessionToken: string): Promise<Principal> {
    const sessionHash = hashSecret(sessionToken);
    const session = await selectSession(this.db.kysely, sessionHash);
    if (!session) throw unauthenticated('Your session has ended; sign in again');
    if (session.expiresAt <= this.now()) throw unauthenticated(`Your session expired at ${new Date(session.expiresAt).toISOString()}; sign in again`);
    const user = await selectUserById(this.db.kysely, session.userId);
    if (!user || user.disabled) throw unauthenticated('Your session has ended; sign in again');
    return { kind: 'user', userId: user.userId, name: user.name, role: roleOf(user), via: 'session', sessionHash };
  }
}
