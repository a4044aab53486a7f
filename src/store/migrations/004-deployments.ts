import type { Kysely } from 'kysely';
import type { DialectKind } from '../dialect.js';

/**
 * Managed deployments: one row per deployment with its traffic plan (JSON), the plan before the
 * last change (for rollback), and the load status the serving processes report. Every replica
 * reads the same row, so they agree on what to serve.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema
    .createTable('deployments')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('model_name', 'text', (c) => c.notNull())
    .addColumn('traffic', 'text', (c) => c.notNull())
    .addColumn('shadow', 'text')
    .addColumn('previous', 'text')
    .addColumn('description', 'text')
    .addColumn('log_retention_days', 'integer', (c) => c.notNull())
    .addColumn('generation', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('serving', 'text')
    .addColumn('status_time', 'bigint', (c) => c.notNull())
    .addColumn('creation_time', 'bigint', (c) => c.notNull())
    .addColumn('last_updated_time', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deployments_by_model').on('deployments').columns(['model_name']).execute();
}
