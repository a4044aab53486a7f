/** Browser sessions: sign in with a password to get a cookie and a CSRF token; sign out ends it. */
import type { Db } from '../store/db.js';
import { deleteSession, deleteSessions, insertSession } from '../store/auth/credentials.js';
import { csrfTokenFor, type Authenticator } from './authenticate.js';
import { hashSecret, newSecret } from './secrets.js';
import { viewOf, type UserView } from './users.js';

/** How long a session lasts after sign-in. */
export const SESSION_LIFETIME_MS = 12 * 3_600_000;

/** What a sign-in hands back: the cookie's secret (never stored), its CSRF token and the user. */
export interface SignIn {
  readonly sessionToken: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
  readonly user: UserView;
}

export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly authenticator: Authenticator,
    private readonly now: () => number,
  ) {}

  /** Check the password (lock-out applies) and open a session. */
  async signIn(name: string, password: string): Promise<SignIn> {
    const user = await this.authenticator.checkPassword(name, password);
    const sessionToken = newSecret('');
    const sessionHash = hashSecret(sessionToken);
    const now = this.now();
    const expiresAt = now + SESSION_LIFETIME_MS;
    await deleteSessions(this.db.kysely, undefined, now);
    await insertSession(this.db.kysely, { sessionHash, userId: user.userId, createdAt: now, expiresAt });
    return { sessionToken, csrfToken: csrfTokenFor(sessionHash), expiresAt, user: viewOf(user) };
  }

  async signOut(sessionHash: string): Promise<void> {
    await deleteSession(this.db.kysely, sessionHash);
  }
}
