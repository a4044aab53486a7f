/** SQL for model versions: create with a fresh number, read, update, stage moves, soft delete, tags. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, ModelVersionsTable } from '../schema.js';
import { chunks, isRetryableConflict, versionKeyIn, type KeyValue, type ModelVersionRecord, type Q, type VersionKey } from './records.js';

/** What a new version is made of; its number is chosen by the store. */
export interface NewModelVersion {
  name: string;
  source: string;
  storageLocation: string;
  runId: string | null;
  runLink: string | null;
  description: string | null;
  userId: string | null;
  modelId: string | null;
  tags: KeyValue[];
  now: number;
}

const KEYS_PER_QUERY = 500;
const CREATE_ATTEMPTS = 50;

function toRecord(r: Selectable<ModelVersionsTable>): ModelVersionRecord {
  return {
    name: r.name,
    version: Number(r.version),
    creationTime: Number(r.creation_time),
    lastUpdatedTime: Number(r.last_updated_time),
    description: r.description,
    userId: r.user_id,
    currentStage: r.current_stage,
    source: r.source,
    storageLocation: r.storage_location,
    runId: r.run_id,
    runLink: r.run_link,
    status: r.status,
    statusMessage: r.status_message,
    modelId: r.model_id,
    tags: [],
    aliases: [],
  };
}

const keyOf = (name: string, version: number): string => `${version}\u0000${name}`;

/**
 * Insert a version numbered one past the highest number the model ever had (deleted versions
 * included, so numbers are never reused). Two writers may pick the same number; the primary key
 * refuses the second, which starts again and sees the first one's row. Returns undefined when
 * the registered model does not exist.
 */
export async function insertModelVersion(db: Kysely<Database>, input: NewModelVersion): Promise<number | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (tx) => {
        const model = await tx.selectFrom('registered_models').select('name').where('name', '=', input.name).executeTakeFirst();
        if (!model) return undefined;
        const top = await tx
          .selectFrom('model_versions')
          .select((eb) => eb.fn.max<number | null>('version').as('top'))
          .where('name', '=', input.name)
          .executeTakeFirst();
        const version = Number(top?.top ?? 0) + 1;
        await tx
          .insertInto('model_versions')
          .values({
            name: input.name,
            version,
            creation_time: input.now,
            last_updated_time: input.now,
            description: input.description,
            user_id: input.userId,
            current_stage: 'None',
            source: input.source,
            storage_location: input.storageLocation,
            run_id: input.runId,
            run_link: input.runLink,
            status: 'READY',
            status_message: null,
            model_id: input.modelId,
            deleted: 0,
          })
          .execute();
        if (input.tags.length > 0) {
          await tx.insertInto('model_version_tags').values(input.tags.map((t) => ({ name: input.name, version, key: t.key, value: t.value }))).execute();
        }
        await tx.updateTable('registered_models').set({ last_updated_time: input.now }).where('name', '=', input.name).execute();
        return version;
      });
    } catch (error) {
      if (attempt >= CREATE_ATTEMPTS || !isRetryableConflict(error)) throw error;
    }
  }
}

/** Live versions by key, with tags and aliases, in the order asked; deleted or missing keys are skipped. */
export async function selectModelVersions(db: Q, keys: readonly VersionKey[]): Promise<ModelVersionRecord[]> {
  const found = new Map<string, ModelVersionRecord>();
  for (const part of chunks(keys, KEYS_PER_QUERY)) {
    const rows = await db.selectFrom('model_versions').selectAll().where('deleted', '=', 0).where(versionKeyIn('name', 'version', part)).execute();
    for (const row of rows) found.set(keyOf(row.name, Number(row.version)), toRecord(row));
    if (rows.length === 0) continue;
    const tags = await db.selectFrom('model_version_tags').selectAll().where(versionKeyIn('name', 'version', part)).orderBy('key').execute();
    for (const t of tags) found.get(keyOf(t.name, Number(t.version)))?.tags.push({ key: t.key, value: t.value });
    const aliases = await db.selectFrom('registered_model_aliases').selectAll().where(versionKeyIn('name', 'version', part)).orderBy('alias').execute();
    for (const a of aliases) found.get(keyOf(a.name, Number(a.version)))?.aliases.push(a.alias);
  }
  return keys.flatMap((k) => found.get(keyOf(k.name, k.version)) ?? []);
}

/** The highest live version number of each stage, for the given models. */
export async function selectLatestVersionKeysByStage(db: Q, names: readonly string[]): Promise<VersionKey[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('model_versions')
    .select(['name', 'current_stage', (eb) => eb.fn.max<number>('version').as('version')])
    .where('deleted', '=', 0)
    .where('name', 'in', names)
    .groupBy(['name', 'current_stage'])
    .execute();
  return rows.map((r) => ({ name: r.name, version: Number(r.version) })).sort((a, b) => a.version - b.version);
}

/** The highest live version number of a model, or undefined when it has none. */
export async function selectNewestVersionNumber(db: Q, name: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('model_versions')
    .select((eb) => eb.fn.max<number | null>('version').as('top'))
    .where('name', '=', name)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  return row?.top === null || row?.top === undefined ? undefined : Number(row.top);
}

export async function updateModelVersionDescription(db: Q, key: VersionKey, description: string, now: number): Promise<void> {
  await db
    .updateTable('model_versions')
    .set({ description, last_updated_time: now })
    .where('name', '=', key.name)
    .where('version', '=', key.version)
    .where('deleted', '=', 0)
    .execute();
}

/** Move a version to a stage; with `archiveOthers`, the other live versions in that stage go to Archived. */
export async function moveModelVersionToStage(db: Kysely<Database>, key: VersionKey, stage: string, archiveOthers: boolean, now: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('model_versions')
      .set({ current_stage: stage, last_updated_time: now })
      .where('name', '=', key.name)
      .where('version', '=', key.version)
      .where('deleted', '=', 0)
      .execute();
    if (archiveOthers) {
      await tx
        .updateTable('model_versions')
        .set({ current_stage: 'Archived', last_updated_time: now })
        .where('name', '=', key.name)
        .where('version', '<>', key.version)
        .where('current_stage', '=', stage)
        .where('deleted', '=', 0)
        .execute();
    }
    await tx.updateTable('registered_models').set({ last_updated_time: now }).where('name', '=', key.name).execute();
  });
}

/**
 * Soft-delete a version: the row stays so its number is never handed out again, while its
 * aliases and tags go with it (nothing can reach a deleted version).
 */
export async function softDeleteModelVersion(db: Kysely<Database>, key: VersionKey, now: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('model_versions')
      .set({ deleted: 1, last_updated_time: now })
      .where('name', '=', key.name)
      .where('version', '=', key.version)
      .execute();
    await tx.deleteFrom('registered_model_aliases').where('name', '=', key.name).where('version', '=', key.version).execute();
    await tx.deleteFrom('model_version_tags').where('name', '=', key.name).where('version', '=', key.version).execute();
    await tx.updateTable('registered_models').set({ last_updated_time: now }).where('name', '=', key.name).execute();
  });
}

export async function upsertModelVersionTag(db: Q, key: VersionKey, tag: KeyValue): Promise<void> {
  await db
    .insertInto('model_version_tags')
    .values({ name: key.name, version: key.version, key: tag.key, value: tag.value })
    .onConflict((oc) => oc.columns(['name', 'version', 'key']).doUpdateSet({ value: tag.value }))
    .execute();
}

export async function deleteModelVersionTag(db: Q, key: VersionKey, tagKey: string): Promise<void> {
  await db.deleteFrom('model_version_tags').where('name', '=', key.name).where('version', '=', key.version).where('key', '=', tagKey).execute();
}
