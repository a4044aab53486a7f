/** SQL for API tokens, browser sessions and the one-time bootstrap token: all stored as hashes. */
import type { Kysely, Selectable } from 'kysely';
import type { ApiTokensTable, Database } from '../schema.js';

/** An API token row (its hash, never its secret). */
export interface TokenRecord {
  tokenId: string;
  tokenHash: string;
  userId: string;
  name: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

function toToken(row: Selectable<ApiTokensTable>): TokenRecord {
  const opt = (v: number | null): number | null => (v === null ? null : Number(v));
  return {
    tokenId: row.token_id,
    tokenHash: row.token_hash,
    userId: row.user_id,
    name: row.name,
    createdAt: Number(row.created_at),
    expiresAt: opt(row.expires_at),
    revokedAt: opt(row.revoked_at),
    lastUsedAt: opt(row.last_used_at),
  };
}

export async function insertToken(db: Kysely<Database>, token: Omit<TokenRecord, 'revokedAt' | 'lastUsedAt'>): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      token_id: token.tokenId,
      token_hash: token.tokenHash,
      user_id: token.userId,
      name: token.name,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
    })
    .execute();
}

export async function selectTokenByHash(db: Kysely<Database>, tokenHash: string): Promise<TokenRecord | undefined> {
  const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row ? toToken(row) : undefined;
}

export async function selectTokenById(db: Kysely<Database>, tokenId: string): Promise<TokenRecord | undefined> {
  const row = await db.selectFrom('api_tokens').selectAll().where('token_id', '=', tokenId).executeTakeFirst();
  return row ? toToken(row) : undefined;
}

/** Tokens of one user, or of everyone when userId is undefined; newest first. */
export async function selectTokens(db: Kysely<Database>, userId: string | undefined): Promise<TokenRecord[]> {
  let query = db.selectFrom('api_tokens').selectAll();
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  const rows = await query.orderBy('created_at', 'desc').orderBy('token_id').execute();
  return rows.map(toToken);
}

/** Mark a token revoked (the first revocation time is kept); false when there is no such token. */
export async function revokeToken(db: Kysely<Database>, tokenId: string, now: number): Promise<boolean> {
  const found = await db.selectFrom('api_tokens').select('revoked_at').where('token_id', '=', tokenId).executeTakeFirst();
  if (!found) return false;
  if (found.revoked_at === null) await db.updateTable('api_tokens').set({ revoked_at: now }).where('token_id', '=', tokenId).execute();
  return true;
}

export async function touchToken(db: Kysely<Database>, tokenId: string, now: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('token_id', '=', tokenId).execute();
}

/** A session row: whose it is and until when it holds. */
export interface SessionRecord {
  sessionHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export async function insertSession(db: Kysely<Database>, session: SessionRecord): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ session_hash: session.sessionHash, user_id: session.userId, created_at: session.createdAt, expires_at: session.expiresAt })
    .execute();
}

export async function selectSession(db: Kysely<Database>, sessionHash: string): Promise<SessionRecord | undefined> {
  const row = await db.selectFrom('sessions').selectAll().where('session_hash', '=', sessionHash).executeTakeFirst();
  return row ? { sessionHash: row.session_hash, userId: row.user_id, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) } : undefined;
}

export async function deleteSession(db: Kysely<Database>, sessionHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('session_hash', '=', sessionHash).execute();
}

/** Drop a user's sessions (on password change or disable) and every expired session. */
export async function deleteSessions(db: Kysely<Database>, userId: string | undefined, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  if (userId !== undefined) await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Replace any earlier bootstrap token with a new one: only the last printed token works. */
export async function replaceBootstrapToken(db: Kysely<Database>, tokenHash: string, now: number, expiresAt: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('bootstrap_tokens').execute();
    await tx.insertInto('bootstrap_tokens').values({ token_hash: tokenHash, created_at: now, expires_at: expiresAt }).execute();
  });
}

export async function selectBootstrapToken(db: Kysely<Database>, tokenHash: string): Promise<{ expiresAt: number } | undefined> {
  const row = await db.selectFrom('bootstrap_tokens').select('expires_at').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row ? { expiresAt: Number(row.expires_at) } : undefined;
}

/** Use the bootstrap token up: true for exactly one caller, however many race for it. */
export async function consumeBootstrapToken(db: Kysely<Database>, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('bootstrap_tokens').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
