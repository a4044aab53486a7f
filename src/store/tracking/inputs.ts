import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface DatasetInputWrite {
  dataset: { name: string; digest: string; sourceType: string; source: string; schema?: string | undefined; profile?: string | undefined };
  tags: { key: string; value: string }[];
}

/**
 * Link datasets (stored once per experiment, name and digest) and logged models to a run as
 * inputs, in one transaction. Re-logging the same input is a no-op.
 */
export async function insertRunInputs(
  db: Kysely<Database>,
  runId: string,
  experimentId: number,
  datasets: DatasetInputWrite[],
  modelIds: string[],
  now: number,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    let position = now * 1000;
    for (const input of datasets) {
      const d = input.dataset;
      await tx
        .insertInto('datasets')
        .values({
          dataset_uuid: randomUUID().replaceAll('-', ''),
          experiment_id: experimentId,
          name: d.name,
          digest: d.digest,
          dataset_source_type: d.sourceType,
          dataset_source: d.source,
          dataset_schema: d.schema ?? null,
          dataset_profile: d.profile ?? null,
        })
        .onConflict((oc) => oc.columns(['experiment_id', 'name', 'digest']).doNothing())
        .execute();
      const row = await tx
        .selectFrom('datasets')
        .select('dataset_uuid')
        .where('experiment_id', '=', experimentId)
        .where('name', '=', d.name)
        .where('digest', '=', d.digest)
        .executeTakeFirstOrThrow();
      const inputId = await linkInput(tx, 'DATASET', row.dataset_uuid, runId, position++);
      if (inputId && input.tags.length > 0) {
        await tx.insertInto('input_tags').values(input.tags.map((t) => ({ input_uuid: inputId, name: t.key, value: t.value })))
          .onConflict((oc) => oc.columns(['input_uuid', 'name']).doNothing()).execute();
      }
    }
    for (const modelId of modelIds) await linkInput(tx, 'MODEL', modelId, runId, position++);
  });
}

/** The new input's id, or undefined when the link already existed. */
async function linkInput(tx: Kysely<Database>, sourceType: string, sourceId: string, runId: string, position: number): Promise<string | undefined> {
  const inputId = randomUUID().replaceAll('-', '');
  const inserted = await tx
    .insertInto('inputs')
    .values({ input_uuid: inputId, source_type: sourceType, source_id: sourceId, destination_type: 'RUN', destination_id: runId, position })
    .onConflict((oc) => oc.columns(['source_type', 'source_id', 'destination_type', 'destination_id']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? inputId : undefined;
}
