/** The dataset registry's SQL: datasets, their numbered versions, and each version's files. */
import { sql, type Kysely } from 'kysely';
import { readableCondition, type ReadableIds } from '../readable.js';
import type { Database, DatasetVersionsTable } from '../schema.js';

/** A dataset version as stored, files not included. */
export interface DatasetVersionRow {
  name: string;
  version: number;
  digest: string;
  sizeBytes: number | null;
  fileCount: number | null;
  source: string | null;
  sourceType: string;
  gitCommit: string | null;
  createdBy: string | null;
  createdAt: number;
  mlflowSchema: string | null;
  mlflowProfile: string | null;
}

/** One file of a version, with its table profile (JSON) when it has one. */
export interface DatasetFileRow {
  path: string;
  md5: string;
  sizeBytes: number | null;
  profile: string | null;
}

/** A dataset with its version count and newest version. */
export interface DatasetRow {
  name: string;
  description: string | null;
  createdAt: number;
  lastUpdatedAt: number;
  versionCount: number;
  latest: DatasetVersionRow | undefined;
}

const toVersion = (r: DatasetVersionsTable): DatasetVersionRow => ({
  name: r.name,
  version: Number(r.version),
  digest: r.digest,
  sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
  fileCount: r.file_count === null ? null : Number(r.file_count),
  source: r.source,
  sourceType: r.source_type,
  gitCommit: r.git_commit,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  mlflowSchema: r.mlflow_schema,
  mlflowProfile: r.mlflow_profile,
});

/** Create the dataset if it is new; a description given later replaces the old one. */
export async function upsertDataset(db: Kysely<Database>, name: string, description: string | undefined, now: number): Promise<void> {
  await db
    .insertInto('dataset_registry')
    .values({ name, description: description ?? null, created_at: now, last_updated_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet(description === undefined ? { last_updated_at: now } : { description, last_updated_at: now }))
    .execute();
}

/** What a new version carries. */
export type NewVersionRow = Omit<DatasetVersionRow, 'version'> & { files: DatasetFileRow[] };

/**
 * Insert a version under the next number, with its files, in one transaction. Returns false
 * when the dataset already has a version with this digest (nothing is written then).
 */
export async function insertVersion(db: Kysely<Database>, v: NewVersionRow, now: number): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await upsertDataset(tx, v.name, undefined, now);
    const exists = await tx.selectFrom('dataset_versions').select('version').where('name', '=', v.name).where('digest', '=', v.digest).executeTakeFirst();
    if (exists) return false;
    const top = await tx.selectFrom('dataset_versions').select((eb) => eb.fn.max('version').as('top')).where('name', '=', v.name).executeTakeFirst();
    await tx
      .insertInto('dataset_versions')
      .values({
        name: v.name,
        digest: v.digest,
        version: Number(top?.top ?? 0) + 1,
        size_bytes: v.sizeBytes,
        file_count: v.fileCount,
        source: v.source,
        source_type: v.sourceType,
        git_commit: v.gitCommit,
        created_by: v.createdBy,
        created_at: v.createdAt,
        mlflow_schema: v.mlflowSchema,
        mlflow_profile: v.mlflowProfile,
      })
      .execute();
    // 200 rows × 6 values stays under both engines' bound-parameter limits.
    for (let i = 0; i < v.files.length; i += 200) {
      await tx
        .insertInto('dataset_files')
        .values(v.files.slice(i, i + 200).map((f) => ({ name: v.name, digest: v.digest, path: f.path, md5: f.md5, size_bytes: f.sizeBytes, profile: f.profile })))
        .execute();
    }
    return true;
  });
}

/** Datasets by name, a page at a time, optionally only names starting with `prefix`. */
export async function selectDatasets(db: Kysely<Database>, o: { prefix?: string | undefined; after?: string | undefined; exact?: string | undefined; limit: number; readable?: ReadableIds | undefined }): Promise<DatasetRow[]> {
  let query = db.selectFrom('dataset_registry').selectAll().orderBy('name').limit(o.limit);
  if (o.readable) query = query.where(readableCondition(sql.ref('name'), o.readable));
  if (o.exact !== undefined) query = query.where('name', '=', o.exact);
  if (o.after !== undefined) query = query.where('name', '>', o.after);
  if (o.prefix) query = query.where((eb) => eb(eb.fn('substr', ['name', eb.lit(1), eb.val(o.prefix?.length ?? 0)]), '=', o.prefix ?? ''));
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const names = rows.map((r) => r.name);
  const counts = await db.selectFrom('dataset_versions').select(['name', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('version').as('top')]).where('name', 'in', names).groupBy('name').execute();
  const latest = counts.length === 0 ? [] : await db
    .selectFrom('dataset_versions')
    .selectAll()
    .where((eb) => eb.or(counts.map((c) => eb.and([eb('name', '=', c.name), eb('version', '=', Number(c.top))]))))
    .execute();
  return rows.map((r) => ({
    name: r.name,
    description: r.description,
    createdAt: Number(r.created_at),
    lastUpdatedAt: Number(r.last_updated_at),
    versionCount: Number(counts.find((c) => c.name === r.name)?.n ?? 0),
    latest: latest.filter((l) => l.name === r.name).map(toVersion)[0],
  }));
}

/** One dataset, or undefined. */
export async function selectDataset(db: Kysely<Database>, name: string): Promise<DatasetRow | undefined> {
  const [row] = await selectDatasets(db, { exact: name, limit: 1 });
  return row;
}

/** Every version of a dataset, newest first. */
export async function selectVersions(db: Kysely<Database>, name: string): Promise<DatasetVersionRow[]> {
  const rows = await db.selectFrom('dataset_versions').selectAll().where('name', '=', name).orderBy('version', 'desc').execute();
  return rows.map(toVersion);
}

/** A version by number or digest. */
export async function selectVersion(db: Kysely<Database>, name: string, ref: { version: number } | { digest: string }): Promise<DatasetVersionRow | undefined> {
  let query = db.selectFrom('dataset_versions').selectAll().where('name', '=', name);
  query = 'version' in ref ? query.where('version', '=', ref.version) : query.where('digest', '=', ref.digest);
  const row = await query.executeTakeFirst();
  return row && toVersion(row);
}

/** A version's files, by path. */
export async function selectFiles(db: Kysely<Database>, name: string, digest: string): Promise<DatasetFileRow[]> {
  const rows = await db.selectFrom('dataset_files').selectAll().where('name', '=', name).where('digest', '=', digest).orderBy('path').execute();
  return rows.map((r) => ({ path: r.path, md5: r.md5, sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes), profile: r.profile }));
}
