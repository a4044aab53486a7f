import type { Kysely } from 'kysely';
import type { DialectKind } from '../dialect.js';

/**
 * The dataset registry and the lineage graph. A dataset version is named by its content digest
 * (a DVC md5, `<md5>.dir` for a folder, or the digest MLflow's client computed) and numbered per
 * dataset; its files carry their own digest and, for tables, a profile (JSON). Lineage is a plain
 * edge list: node ids are strings the capabilities build, so the graph needs no foreign keys.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema
    .createTable('dataset_registry')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dataset_versions')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint')
    .addColumn('file_count', 'integer')
    .addColumn('source', 'text')
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('git_commit', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // What MLflow's client sent with log_input: its schema and profile JSON, kept as given.
    .addColumn('mlflow_schema', 'text')
    .addColumn('mlflow_profile', 'text')
    .addPrimaryKeyConstraint('dataset_versions_pk', ['name', 'digest'])
    .addUniqueConstraint('dataset_versions_number', ['name', 'version'])
    .execute();

  await db.schema
    .createTable('dataset_files')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('md5', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint')
    .addColumn('profile', 'text')
    .addPrimaryKeyConstraint('dataset_files_pk', ['name', 'digest', 'path'])
    .execute();

  await db.schema
    .createTable('lineage_nodes')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('node_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lineage_nodes_by_type').on('lineage_nodes').columns(['node_type', 'created_at']).execute();

  await db.schema
    .createTable('lineage_edges')
    .addColumn('from_node', 'text', (c) => c.notNull())
    .addColumn('to_node', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addPrimaryKeyConstraint('lineage_edges_pk', ['from_node', 'to_node', 'kind'])
    .execute();
  // Upstream walks follow edges backwards.
  await db.schema.createIndex('lineage_edges_by_target').on('lineage_edges').columns(['to_node']).execute();
}
