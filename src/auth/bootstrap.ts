/**
 * The first admin. cairn has no default account and no default password: either an operator runs
 * `cairn users create <name> --admin`, or the server, started with authentication on and no
 * users, prints a one-time token that may create the first admin through POST /api/v1/users.
 */
import { CairnError, invalid } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { consumeBootstrapToken, replaceBootstrapToken } from '../store/auth/credentials.js';
import { checkPasswordPolicy, checkUserName } from './policy.js';
import { BOOTSTRAP_PREFIX, hashSecret, newSecret } from './secrets.js';
import type { Users, UserView } from './users.js';

/** How long a printed bootstrap token stays valid. */
export const BOOTSTRAP_LIFETIME_MS = 24 * 3_600_000;

export class Bootstrap {
  constructor(
    private readonly db: Db,
    private readonly users: Users,
    private readonly now: () => number,
  ) {}

  /** When no user exists, make a new one-time token (earlier ones stop working) and return it to print. */
  async issue(): Promise<{ token: string; expiresAt: number } | undefined> {
    if ((await this.users.count()) > 0) return undefined;
    const token = newSecret(BOOTSTRAP_PREFIX);
    const now = this.now();
    const expiresAt = now + BOOTSTRAP_LIFETIME_MS;
    await replaceBootstrapToken(this.db.kysely, hashSecret(token), now, expiresAt);
    return { token, expiresAt };
  }

  /** Use the token (once) to create the first user, who must be an admin. */
  async createFirstAdmin(tokenHash: string, input: { name: string; password: string; role: string }): Promise<UserView> {
    if (input.role !== 'admin') throw invalid(`The bootstrap token creates the first admin: role must be 'admin', not '${input.role}'`);
    if ((await this.users.count()) > 0) throw new CairnError('UNAUTHENTICATED', 'The bootstrap token is no longer valid: users exist already');
    // Validate before spending the token, so a too-short password does not waste it.
    const name = checkUserName(input.name);
    checkPasswordPolicy(input.password, name);
    // Spent atomically: of two racing requests exactly one goes on. If creating then fails, a
    // restart prints a new token, because still no user exists.
    if (!(await consumeBootstrapToken(this.db.kysely, tokenHash))) throw new CairnError('UNAUTHENTICATED', 'The bootstrap token was already used');
    const created = await this.users.create({ ...input, name });
    return created;
  }
}
