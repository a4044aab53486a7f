import type { Kysely } from 'kysely';
import type { DialectKind } from '../dialect.js';

/**
 * MLflow 3 traces: one row per trace with its tags and request metadata, and the runs a trace
 * was linked to after the fact. Span data is not here: the client uploads it as traces.json to
 * the trace's artifact location.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema
    .createTable('trace_info')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('experiment_id', 'bigint', (c) => c.notNull())
    .addColumn('timestamp_ms', 'bigint', (c) => c.notNull())
    .addColumn('execution_time_ms', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('client_request_id', 'text')
    .addColumn('request_preview', 'text')
    .addColumn('response_preview', 'text')
    .execute();
  await db.schema.createIndex('trace_info_by_experiment').on('trace_info').columns(['experiment_id', 'timestamp_ms']).execute();

  // No (key, value) index: PostgreSQL refuses index rows over ~2.7 kB and tag values reach 8000
  // characters; search probes these tables per trace through the primary key instead.
  for (const table of ['trace_tags', 'trace_request_metadata']) {
    await db.schema
      .createTable(table)
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['request_id', 'key'])
      .execute();
  }

  await db.schema
    .createTable('trace_run_links')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('trace_run_links_pk', ['request_id', 'run_id'])
    .execute();
  await db.schema.createIndex('trace_run_links_by_run').on('trace_run_links').columns(['run_id']).execute();
}
