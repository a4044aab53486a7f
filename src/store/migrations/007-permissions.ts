import type { Kysely } from 'kysely';
import type { DialectKind } from '../dialect.js';

/**
 * Per-resource permissions: one row per (resource, user) with a level of NONE, READ, EDIT or
 * MANAGE. A user without a row on a resource has the server's default permission. Rows are keyed
 * by the user's id, so renaming a user keeps their grants; registered models, datasets,
 * deployments and monitors are keyed by name, experiments by id.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema
    .createTable('resource_permissions')
    .addColumn('resource_kind', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('resource_permissions_pk', ['resource_kind', 'resource_id', 'user_id'])
    .execute();
  // Search filters read every grant of one user on one kind of resource.
  await db.schema.createIndex('resource_permissions_by_user').on('resource_permissions').columns(['user_id', 'resource_kind', 'level']).execute();
}
