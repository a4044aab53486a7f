/** SQL for registered models: create, read (with tags, aliases, latest versions), rename, delete, tags. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { chunks, type KeyValue, type Q, type RegisteredModelRecord } from './records.js';
import { selectLatestVersionKeysByStage, selectModelVersions } from './versions.js';

const NAMES_PER_QUERY = 500;

/** The tables that hold a model's name: everything a rename or delete must touch together. */
const CHILD_TABLES = ['registered_model_tags', 'model_versions', 'model_version_tags', 'registered_model_aliases', 'model_card_revisions'] as const;

export async function insertRegisteredModel(
  db: Kysely<Database>,
  input: { name: string; description: string | null; userId: string | null; tags: KeyValue[]; now: number },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('registered_models')
      .values({ name: input.name, creation_time: input.now, last_updated_time: input.now, description: input.description, user_id: input.userId })
      .execute();
    if (input.tags.length > 0) {
      await tx.insertInto('registered_model_tags').values(input.tags.map((t) => ({ name: input.name, key: t.key, value: t.value }))).execute();
    }
  });
}

/** Registered models by name, in the order asked; missing names are skipped. */
export async function selectRegisteredModels(db: Q, names: readonly string[]): Promise<RegisteredModelRecord[]> {
  const found = new Map<string, RegisteredModelRecord>();
  for (const part of chunks([...new Set(names)], NAMES_PER_QUERY)) {
    const rows = await db.selectFrom('registered_models').selectAll().where('name', 'in', part).execute();
    if (rows.length === 0) continue;
    for (const r of rows) {
      found.set(r.name, {
        name: r.name,
        creationTime: Number(r.creation_time),
        lastUpdatedTime: Number(r.last_updated_time),
        description: r.description,
        userId: r.user_id,
        tags: [],
        aliases: [],
        latestVersions: [],
      });
    }
    const tags = await db.selectFrom('registered_model_tags').selectAll().where('name', 'in', part).orderBy('key').execute();
    for (const t of tags) found.get(t.name)?.tags.push({ key: t.key, value: t.value });
    const aliases = await db.selectFrom('registered_model_aliases').selectAll().where('name', 'in', part).orderBy('alias').execute();
    for (const a of aliases) found.get(a.name)?.aliases.push({ alias: a.alias, version: Number(a.version) });
    const latest = await selectModelVersions(db, await selectLatestVersionKeysByStage(db, part));
    for (const v of latest) found.get(v.name)?.latestVersions.push(v);
  }
  return names.flatMap((name) => found.get(name) ?? []);
}

export async function registeredModelExists(db: Q, name: string): Promise<boolean> {
  const row = await db.selectFrom('registered_models').select('name').where('name', '=', name).executeTakeFirst();
  return row !== undefined;
}

/** Rename a model and carry its tags, versions (deleted ones too) and aliases over, all at once. */
export async function renameRegisteredModel(db: Kysely<Database>, from: string, to: string, now: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('registered_models').set({ name: to, last_updated_time: now }).where('name', '=', from).execute();
    for (const table of CHILD_TABLES) await tx.updateTable(table).set({ name: to }).where('name', '=', from).execute();
  });
}

export async function updateRegisteredModelDescription(db: Q, name: string, description: string, now: number): Promise<void> {
  await db.updateTable('registered_models').set({ description, last_updated_time: now }).where('name', '=', name).execute();
}

/** Delete a model with all its versions, tags and aliases; the name is then free for a new model. */
export async function deleteRegisteredModel(db: Kysely<Database>, name: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const table of CHILD_TABLES) await tx.deleteFrom(table).where('name', '=', name).execute();
    await tx.deleteFrom('registered_models').where('name', '=', name).execute();
  });
}

export async function upsertRegisteredModelTag(db: Q, name: string, tag: KeyValue): Promise<void> {
  await db
    .insertInto('registered_model_tags')
    .values({ name, key: tag.key, value: tag.value })
    .onConflict((oc) => oc.columns(['name', 'key']).doUpdateSet({ value: tag.value }))
    .execute();
}

export async function deleteRegisteredModelTag(db: Q, name: string, key: string): Promise<void> {
  await db.deleteFrom('registered_model_tags').where('name', '=', name).where('key', '=', key).execute();
}

/** The value of one model tag, or undefined when the model does not carry it. */
export async function selectRegisteredModelTag(db: Q, name: string, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('registered_model_tags').select('value').where('name', '=', name).where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function upsertAlias(db: Q, name: string, alias: string, version: number): Promise<void> {
  await db
    .insertInto('registered_model_aliases')
    .values({ name, alias, version })
    .onConflict((oc) => oc.columns(['name', 'alias']).doUpdateSet({ version }))
    .execute();
}

export async function deleteAlias(db: Q, name: string, alias: string): Promise<void> {
  await db.deleteFrom('registered_model_aliases').where('name', '=', name).where('alias', '=', alias).execute();
}

/** The version an alias points at, or undefined when the model has no such alias. */
export async function selectAliasVersion(db: Q, name: string, alias: string): Promise<number | undefined> {
  const row = await db.selectFrom('registered_model_aliases').select('version').where('name', '=', name).where('alias', '=', alias).executeTakeFirst();
  return row === undefined ? undefined : Number(row.version);
}
