/** API tokens: shown once at creation, stored as sha256, with a name, an expiry and revocation. */
import { invalid, notFound } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { insertToken, revokeToken, selectTokenById, selectTokens, type TokenRecord } from '../store/auth/credentials.js';
import { hashSecret, newSecret, newTokenId, TOKEN_PREFIX } from './secrets.js';
import type { Users } from './users.js';

/** A token as lists show it: never the secret or its hash. */
export interface TokenView {
  readonly tokenId: string;
  readonly userName: string;
  readonly name: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  readonly lastUsedAt: number | null;
}

/** New tokens expire after 90 days unless the caller asks otherwise (`never` is allowed, on purpose). */
export const DEFAULT_TOKEN_LIFETIME_MS = 90 * 86_400_000;

export class Tokens {
  constructor(
    private readonly db: Db,
    private readonly users: Users,
    private readonly now: () => number,
  ) {}

  /** Create a token for a user; the secret is in the answer and nowhere else. */
  async create(input: { userName: string; name: string; lifetimeMs: number | null }): Promise<{ token: string; view: TokenView }> {
    const user = await this.users.record(input.userName);
    const name = input.name.trim();
    if (!name || name.length > 100) throw invalid('Token name must be 1 to 100 characters');
    if (input.lifetimeMs !== null && !(input.lifetimeMs > 0)) throw invalid('Token lifetime must be positive');
    const token = newSecret(TOKEN_PREFIX);
    const now = this.now();
    const record = { tokenId: newTokenId(), tokenHash: hashSecret(token), userId: user.userId, name, createdAt: now, expiresAt: input.lifetimeMs === null ? null : now + input.lifetimeMs };
    await insertToken(this.db.kysely, record);
    return { token, view: { tokenId: record.tokenId, userName: user.name, name, createdAt: now, expiresAt: record.expiresAt, revokedAt: null, lastUsedAt: null } };
  }

  /** Tokens of one user, or everyone's when no user is named. */
  async list(userName?: string): Promise<TokenView[]> {
    const user = userName === undefined ? undefined : await this.users.record(userName);
    const records = await selectTokens(this.db.kysely, user?.userId);
    const names = new Map((await this.users.list()).map((u) => [u.userId, u.name]));
    return records.map((r) => this.viewOf(r, names.get(r.userId) ?? '(deleted user)'));
  }

  /** One token by id, with the user it belongs to. */
  async get(tokenId: string): Promise<TokenView & { userId: string }> {
    const record = await selectTokenById(this.db.kysely, tokenId);
    if (!record) throw notFound(`Token '${tokenId}' does not exist`);
    const names = new Map((await this.users.list()).map((u) => [u.userId, u.name]));
    return { ...this.viewOf(record, names.get(record.userId) ?? '(deleted user)'), userId: record.userId };
  }

  async revoke(tokenId: string): Promise<void> {
    if (!(await revokeToken(this.db.kysely, tokenId, this.now()))) throw notFound(`Token '${tokenId}' does not exist`);
  }

  private viewOf(r: TokenRecord, userName: string): TokenView {
    return { tokenId: r.tokenId, userName, name: r.name, createdAt: r.createdAt, expiresAt: r.expiresAt, revokedAt: r.revokedAt, lastUsedAt: r.lastUsedAt };
  }
}
