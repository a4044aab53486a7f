/** SQL for the audit log: append under the chain lock, read pages, walk the chain in order. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditEntry, ChainHead } from '../../audit/chain.js';
import type { Db } from '../db.js';
import type { AuditEntriesTable, Database } from '../schema.js';

type Q = Kysely<Database>;

// Any constant works, as long as nothing else in cairn takes the same advisory lock.
const AUDIT_CHAIN_LOCK = 0x636169726e41;

/**
 * Serialise appends until the caller's transaction ends. On SQLite the unit of work already holds
 * the database's write lock (BEGIN IMMEDIATE); on PostgreSQL a transaction-scoped advisory lock
 * orders concurrent appenders, so each reads the head its predecessor committed.
 */
export async function lockAuditChain(db: Db): Promise<void> {
  if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(db.kysely);
}

/** The newest sequence number and hash, or undefined before the first entry. */
export async function selectChainHead(q: Q): Promise<ChainHead | undefined> {
  const row = await q.selectFrom('audit_chain_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirst();
  return row === undefined ? undefined : { lastSeq: Number(row.last_seq), lastHash: row.last_hash };
}

/** Insert an entry and move the head to it (same transaction as the caller's). */
export async function insertAuditEntry(q: Q, entry: AuditEntry): Promise<void> {
  await q
    .insertInto('audit_entries')
    .values({
      seq: entry.seq,
      time: entry.time,
      actor: entry.actor,
      auth_method: entry.authMethod,
      action: entry.action,
      verb: entry.verb,
      resource_kind: entry.resourceKind,
      resource_id: entry.resourceId,
      client_address: entry.clientAddress,
      request_id: entry.requestId,
      summary: entry.summary,
      hash: entry.hash,
    })
    .execute();
  await q
    .insertInto('audit_chain_head')
    .values({ id: 1, last_seq: entry.seq, last_hash: entry.hash })
    .onConflict((oc) => oc.column('id').doUpdateSet({ last_seq: entry.seq, last_hash: entry.hash }))
    .execute();
}

/** Filters of an audit query; all optional, combined with AND. */
export interface AuditFilter {
  readonly actor?: string | undefined;
  /** Matches the action ('POST /api/...') or the verb ('create run'), as a substring. */
  readonly action?: string | undefined;
  readonly resourceKind?: string | undefined;
  readonly resourceId?: string | undefined;
  /** Epoch milliseconds, inclusive. */
  readonly since?: number | undefined;
  /** Epoch milliseconds, exclusive. */
  readonly until?: number | undefined;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Where a page starts: newest first below `before`, or oldest first above `after` (exports). */
export type AuditCursor = { readonly before?: number } | { readonly after: number };

/** Entries matching the filter, one page from the cursor. */
export async function selectAuditEntries(q: Q, filter: AuditFilter, limit: number, cursor: AuditCursor = {}): Promise<AuditEntry[]> {
  let query = q.selectFrom('audit_entries').selectAll();
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.action !== undefined) {
    const pattern = `%${escapeLike(filter.action)}%`;
    query = query.where((eb) => eb.or([eb('action', 'like', sql<string>`${pattern} escape '\\'`), eb('verb', 'like', sql<string>`${pattern} escape '\\'`)]));
  }
  if (filter.resourceKind !== undefined) query = query.where('resource_kind', '=', filter.resourceKind);
  if (filter.resourceId !== undefined) query = query.where('resource_id', '=', filter.resourceId);
  if (filter.since !== undefined) query = query.where('time', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('time', '<', filter.until);
  if ('after' in cursor) {
    const rows = await query.where('seq', '>', cursor.after).orderBy('seq', 'asc').limit(limit).execute();
    return rows.map(toEntry);
  }
  if (cursor.before !== undefined) query = query.where('seq', '<', cursor.before);
  const rows = await query.orderBy('seq', 'desc').limit(limit).execute();
  return rows.map(toEntry);
}

function toEntry(r: Selectable<AuditEntriesTable>): AuditEntry {
  return {
    seq: Number(r.seq),
    time: Number(r.time),
    actor: r.actor,
    authMethod: r.auth_method,
    action: r.action,
    verb: r.verb,
    resourceKind: r.resource_kind,
    resourceId: r.resource_id,
    clientAddress: r.client_address,
    requestId: r.request_id,
    summary: r.summary,
    hash: r.hash,
  };
}
