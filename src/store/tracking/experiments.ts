import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

/** An experiment row with its tags. */
export interface ExperimentRecord {
  experimentId: number;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
  creationTime: number;
  lastUpdateTime: number;
  tags: { key: string; value: string }[];
}

type Q = Kysely<Database> | Transaction<Database>;

/** Insert an experiment; its artifact location is derived from the new id by the caller's function. */
export async function insertExperiment(
  db: Q,
  input: { name: string; artifactLocation?: string | undefined; tags: { key: string; value: string }[]; now: number },
  defaultLocation: (id: number) => string,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('experiments')
      .values({
        name: input.name,
        artifact_location: input.artifactLocation ?? '',
        lifecycle_stage: 'active',
        creation_time: input.now,
        last_update_time: input.now,
      })
      .returning('experiment_id')
      .executeTakeFirstOrThrow();
    const id = Number(row.experiment_id);
    if (!input.artifactLocation) {
      await tx.updateTable('experiments').set({ artifact_location: defaultLocation(id) }).where('experiment_id', '=', id).execute();
    }
    if (input.tags.length > 0) {
      await tx.insertInto('experiment_tags').values(input.tags.map((t) => ({ experiment_id: id, key: t.key, value: t.value }))).execute();
    }
    return id;
  });
}

/** Experiments by id, with tags, in the order asked. Missing ids are skipped. */
export async function selectExperiments(db: Q, ids: readonly number[]): Promise<ExperimentRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('experiments').selectAll().where('experiment_id', 'in', ids).execute();
  const tags = await db.selectFrom('experiment_tags').selectAll().where('experiment_id', 'in', ids).orderBy('key').execute();
  const byId = new Map<number, ExperimentRecord>();
  for (const r of rows) {
    byId.set(Number(r.experiment_id), {
      experimentId: Number(r.experiment_id),
      name: r.name,
      artifactLocation: r.artifact_location,
      lifecycleStage: r.lifecycle_stage,
      creationTime: r.creation_time,
      lastUpdateTime: r.last_update_time,
      tags: [],
    });
  }
  for (const t of tags) byId.get(Number(t.experiment_id))?.tags.push({ key: t.key, value: t.value });
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function selectExperimentIdByName(db: Q, name: string): Promise<number | undefined> {
  const row = await db.selectFrom('experiments').select('experiment_id').where('name', '=', name).executeTakeFirst();
  return row === undefined ? undefined : Number(row.experiment_id);
}

export async function renameExperiment(db: Q, id: number, name: string, now: number): Promise<void> {
  await db.updateTable('experiments').set({ name, last_update_time: now }).where('experiment_id', '=', id).execute();
}

/** Delete or restore an experiment and all its runs, in one transaction. */
export async function setExperimentLifecycle(db: Q, id: number, stage: 'active' | 'deleted', now: number): Promise<void> {
  const deletedTime = stage === 'deleted' ? now : null;
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('experiments')
      .set({ lifecycle_stage: stage, last_update_time: now, deleted_time: deletedTime })
      .where('experiment_id', '=', id)
      .execute();
    await tx.updateTable('runs').set({ lifecycle_stage: stage, deleted_time: deletedTime }).where('experiment_id', '=', id).execute();
  });
}

export async function upsertExperimentTag(db: Q, id: number, key: string, value: string): Promise<void> {
  await db
    .insertInto('experiment_tags')
    .values({ experiment_id: id, key, value })
    .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value }))
    .execute();
}

export async function deleteExperimentTag(db: Q, id: number, key: string): Promise<number> {
  const result = await db.deleteFrom('experiment_tags').where('experiment_id', '=', id).where('key', '=', key).executeTakeFirst();
  return Number(result.numDeletedRows);
}
