import type { Kysely } from 'kysely';
import type { DialectKind } from '../dialect.js';

/**
 * Model cards. Every save of a registered model's card is a new row, numbered per model, so the
 * history is never rewritten; `model_version` says which version the revision describes (null: the
 * model as a whole). Keyed by the model's name like the registry's own child tables, which a
 * rename or delete of the model carries along.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema
    .createTable('model_card_revisions')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('model_version', 'integer')
    .addColumn('author', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('intended_use', 'text', (c) => c.notNull())
    .addColumn('out_of_scope_use', 'text', (c) => c.notNull())
    .addColumn('training_data', 'text', (c) => c.notNull())
    .addColumn('evaluation', 'text', (c) => c.notNull())
    .addColumn('owners', 'text', (c) => c.notNull())
    .addColumn('limitations', 'text', (c) => c.notNull())
    .addColumn('ethical_considerations', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_card_revisions_pk', ['name', 'revision'])
    .execute();
  await db.schema.createIndex('model_card_revisions_by_version').on('model_card_revisions').columns(['name', 'model_version']).execute();
}
