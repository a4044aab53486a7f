/** Traces in SQL: the trace row, its tags and request metadata, and its links to runs. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, TraceInfoTable } from '../schema.js';
import type { KeyValue } from './runs.js';

type Q = Kysely<Database> | Transaction<Database>;

/** A stored trace: times in epoch milliseconds, tags and metadata as maps. */
export interface TraceRecord {
  traceId: string;
  experimentId: number;
  requestTimeMs: number;
  executionDurationMs: number | null;
  state: string;
  clientRequestId: string | null;
  requestPreview: string | null;
  responsePreview: string | null;
  metadata: Record<string, string>;
  tags: Record<string, string>;
}

// Rows per multi-row insert: well under SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += CHUNK) out.push(items.slice(at, at + CHUNK));
  return out;
}

function toRecord(r: Selectable<TraceInfoTable>): TraceRecord {
  return {
    traceId: r.request_id,
    experimentId: Number(r.experiment_id),
    requestTimeMs: r.timestamp_ms,
    executionDurationMs: r.execution_time_ms,
    state: r.status,
    clientRequestId: r.client_request_id,
    requestPreview: r.request_preview,
    responsePreview: r.response_preview,
    metadata: {},
    tags: {},
  };
}

/**
 * Store a trace with its tags and metadata. A trace sent again (the client retries after a lost
 * answer) replaces the row and merges tags and metadata, as MLflow's start_trace does.
 */
export async function upsertTrace(db: Kysely<Database>, t: TraceRecord): Promise<void> {
  const changes = {
    experiment_id: t.experimentId,
    timestamp_ms: t.requestTimeMs,
    execution_time_ms: t.executionDurationMs,
    status: t.state,
    client_request_id: t.clientRequestId,
    request_preview: t.requestPreview,
    response_preview: t.responsePreview,
  };
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('trace_info').values({ request_id: t.traceId, ...changes }).onConflict((oc) => oc.column('request_id').doUpdateSet(changes)).execute();
    await upsertTraceKeyValues(tx, 'trace_tags', t.traceId, toKeyValues(t.tags));
    await upsertTraceKeyValues(tx, 'trace_request_metadata', t.traceId, toKeyValues(t.metadata));
  });
}

function toKeyValues(map: Readonly<Record<string, string>>): KeyValue[] {
  return Object.entries(map).map(([key, value]) => ({ key, value }));
}

/** Insert or overwrite tags or metadata entries of one trace. */
export async function upsertTraceKeyValues(db: Q, table: 'trace_tags' | 'trace_request_metadata', traceId: string, items: readonly KeyValue[]): Promise<void> {
  for (const part of chunks(items)) {
    await db
      .insertInto(table)
      .values(part.map((i) => ({ request_id: traceId, key: i.key, value: i.value })))
      .onConflict((oc) => oc.columns(['request_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  }
}

/** Traces by id with their tags and metadata, in the order asked; unknown ids are left out. */
export async function selectTraces(db: Kysely<Database>, ids: readonly string[]): Promise<TraceRecord[]> {
  if (ids.length === 0) return [];
  const byId = new Map<string, TraceRecord>();
  for (const part of chunks([...new Set(ids)])) {
    const [rows, tags, metadata] = await Promise.all([
      db.selectFrom('trace_info').selectAll().where('request_id', 'in', part).execute(),
      db.selectFrom('trace_tags').selectAll().where('request_id', 'in', part).orderBy('key').execute(),
      db.selectFrom('trace_request_metadata').selectAll().where('request_id', 'in', part).orderBy('key').execute(),
    ]);
    for (const r of rows) byId.set(r.request_id, toRecord(r));
    for (const t of tags) {
      const trace = byId.get(t.request_id);
      if (trace) trace.tags[t.key] = t.value;
    }
    for (const m of metadata) {
      const trace = byId.get(m.request_id);
      if (trace) trace.metadata[m.key] = m.value;
    }
  }
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Remove one tag; answers how many rows went (0 or 1). */
export async function deleteTraceTag(db: Kysely<Database>, traceId: string, key: string): Promise<number> {
  const r = await db.deleteFrom('trace_tags').where('request_id', '=', traceId).where('key', '=', key).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Which traces of an experiment a delete-traces request names. */
export interface TraceDeletion {
  experimentId: number;
  maxTimestampMs?: number | undefined;
  maxTraces?: number | undefined;
  traceIds?: readonly string[] | undefined;
}

/** Delete the traces a request names (oldest first when capped), with everything hanging off them. */
export async function deleteTraces(db: Kysely<Database>, what: TraceDeletion): Promise<number> {
  return db.transaction().execute(async (tx) => {
    let query = tx.selectFrom('trace_info').select('request_id').where('experiment_id', '=', what.experimentId);
    if (what.maxTimestampMs !== undefined) query = query.where('timestamp_ms', '<=', what.maxTimestampMs);
    if (what.traceIds !== undefined) {
      if (what.traceIds.length === 0) return 0;
      query = query.where('request_id', 'in', [...what.traceIds]);
    }
    if (what.maxTraces !== undefined) query = query.orderBy('timestamp_ms').orderBy('request_id').limit(what.maxTraces);
    const ids = (await query.execute()).map((r) => r.request_id);
    for (const part of chunks(ids)) {
      await tx.deleteFrom('trace_tags').where('request_id', 'in', part).execute();
      await tx.deleteFrom('trace_request_metadata').where('request_id', 'in', part).execute();
      await tx.deleteFrom('trace_run_links').where('request_id', 'in', part).execute();
      await tx.deleteFrom('trace_info').where('request_id', 'in', part).execute();
    }
    return ids.length;
  });
}

/** Link traces to a run; links that exist already are kept as they are. */
export async function insertTraceRunLinks(db: Kysely<Database>, traceIds: readonly string[], runId: string): Promise<void> {
  for (const part of chunks([...new Set(traceIds)])) {
    await db
      .insertInto('trace_run_links')
      .values(part.map((id) => ({ request_id: id, run_id: runId })))
      .onConflict((oc) => oc.columns(['request_id', 'run_id']).doNothing())
      .execute();
  }
}

/** The runs a trace was linked to with link-to-run. */
export async function selectTraceRunLinks(db: Kysely<Database>, traceId: string): Promise<string[]> {
  const rows = await db.selectFrom('trace_run_links').select('run_id').where('request_id', '=', traceId).orderBy('run_id').execute();
  return rows.map((r) => r.run_id);
}
