import type { Kysely } from 'kysely';
import type { DialectKind } from '../dialect.js';

/**
 * Monitors and alerts. A monitor row holds its spec (JSON), the reference snapshot it computed
 * once, and a lease so that of several replicas only one runs a given schedule tick. Each run is a
 * row (status, failure reason, the full result as JSON); its numbers are also kept one per row in
 * monitor_metrics, the time series that charts, alert rules and /metrics read. Alert rules keep
 * their state (consecutive breaches, firing or not) per monitor and rule; every firing and
 * resolution is an alert event; a 'retrain' channel leaves a trigger row for pipelines to consume.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema
    .createTable('monitors')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text')
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text')
    .addColumn('reference_state', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('last_tick', 'bigint')
    .addColumn('last_run_id', 'text')
    .addColumn('last_run_at', 'bigint')
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('monitor_runs')
    .addColumn('run_id', 'text', (c) => c.primaryKey())
    .addColumn('monitor', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint', (c) => c.notNull())
    .addColumn('window_from', 'bigint')
    .addColumn('window_to', 'bigint')
    .addColumn('reference_rows', 'bigint')
    .addColumn('current_rows', 'bigint')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('monitor_runs_by_time').on('monitor_runs').columns(['monitor', 'started_at']).execute();

  await db.schema
    .createTable('monitor_metrics')
    .addColumn('monitor', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('column_name', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitor_metrics_by_series').on('monitor_metrics').columns(['monitor', 'metric', 'column_name', 'time']).execute();
  await db.schema.createIndex('monitor_metrics_by_run').on('monitor_metrics').columns(['run_id']).execute();

  await db.schema
    .createTable('alert_states')
    .addColumn('monitor', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('consecutive', 'integer', (c) => c.notNull())
    .addColumn('firing', 'integer', (c) => c.notNull())
    .addColumn('since', 'bigint')
    .addColumn('last_value', 'double precision')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_states_pk', ['monitor', 'rule'])
    .execute();

  await db.schema
    .createTable('alert_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('monitor', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('column_name', 'text', (c) => c.notNull())
    .addColumn('comparator', 'text', (c) => c.notNull())
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('deliveries', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_events_by_time').on('alert_events').columns(['monitor', 'time']).execute();

  await db.schema
    .createTable('retrain_triggers')
    .addColumn('trigger_id', 'text', (c) => c.primaryKey())
    .addColumn('monitor', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .execute();
}
