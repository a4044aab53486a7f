import type { Kysely, Selectable } from 'kysely';
import type { Database, LoggedModelsTable } from '../schema.js';
import { metricValue, type KeyValue } from './runs.js';

export interface LoggedModelRecord {
  modelId: string;
  experimentId: number;
  name: string;
  artifactLocation: string;
  creationTimestampMs: number;
  lastUpdatedTimestampMs: number;
  status: string;
  lifecycleStage: string;
  modelType: string | null;
  sourceRunId: string | null;
  statusMessage: string | null;
  tags: KeyValue[];
  params: KeyValue[];
  metrics: { key: string; value: number; timestamp: number; step: number; runId: string; datasetName: string | null; datasetDigest: string | null }[];
}

function toRecord(r: Selectable<LoggedModelsTable>): LoggedModelRecord {
  return {
    modelId: r.model_id,
    experimentId: Number(r.experiment_id),
    name: r.name,
    artifactLocation: r.artifact_location,
    creationTimestampMs: r.creation_timestamp_ms,
    lastUpdatedTimestampMs: r.last_updated_timestamp_ms,
    status: r.status,
    lifecycleStage: r.lifecycle_stage,
    modelType: r.model_type,
    sourceRunId: r.source_run_id,
    statusMessage: r.status_message,
    tags: [],
    params: [],
    metrics: [],
  };
}

export async function insertLoggedModel(db: Kysely<Database>, m: Omit<LoggedModelRecord, 'metrics'>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('logged_models')
      .values({
        model_id: m.modelId,
        experiment_id: m.experimentId,
        name: m.name,
        artifact_location: m.artifactLocation,
        creation_timestamp_ms: m.creationTimestampMs,
        last_updated_timestamp_ms: m.lastUpdatedTimestampMs,
        status: m.status,
        lifecycle_stage: m.lifecycleStage,
        model_type: m.modelType,
        source_run_id: m.sourceRunId,
        status_message: m.statusMessage,
      })
      .execute();
    await upsertKeyValues(tx, 'logged_model_tags', m.modelId, m.tags);
    await upsertKeyValues(tx, 'logged_model_params', m.modelId, m.params);
  });
}

export async function upsertKeyValues(
  db: Kysely<Database>,
  table: 'logged_model_tags' | 'logged_model_params',
  modelId: string,
  items: KeyValue[],
): Promise<void> {
  const unique = [...new Map(items.map((i) => [i.key, i])).values()];
  if (unique.length === 0) return;
  await db
    .insertInto(table)
    .values(unique.map((i) => ({ model_id: modelId, key: i.key, value: i.value })))
    .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

/** Logged models by id with tags, params and metrics, in the order asked. */
export async function selectLoggedModels(db: Kysely<Database>, ids: readonly string[]): Promise<LoggedModelRecord[]> {
  if (ids.length === 0) return [];
  const [rows, tags, params, metrics] = await Promise.all([
    db.selectFrom('logged_models').selectAll().where('model_id', 'in', ids).execute(),
    db.selectFrom('logged_model_tags').selectAll().where('model_id', 'in', ids).orderBy('key').execute(),
    db.selectFrom('logged_model_params').selectAll().where('model_id', 'in', ids).orderBy('key').execute(),
    db.selectFrom('logged_model_metrics').selectAll().where('model_id', 'in', ids).orderBy('metric_name').orderBy('metric_step').execute(),
  ]);
  const byId = new Map(rows.map((r) => [r.model_id, toRecord(r)]));
  for (const t of tags) byId.get(t.model_id)?.tags.push({ key: t.key, value: t.value });
  for (const p of params) byId.get(p.model_id)?.params.push({ key: p.key, value: p.value });
  for (const m of metrics) {
    byId.get(m.model_id)?.metrics.push({
      key: m.metric_name, value: metricValue(m.metric_value, m.is_nan), timestamp: m.metric_timestamp_ms, step: m.metric_step,
      runId: m.run_id, datasetName: m.dataset_name, datasetDigest: m.dataset_digest,
    });
  }
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function updateLoggedModel(
  db: Kysely<Database>,
  modelId: string,
  changes: { status?: string; statusMessage?: string | null; lifecycleStage?: string },
  now: number,
): Promise<void> {
  await db
    .updateTable('logged_models')
    .set({
      last_updated_timestamp_ms: now,
      ...(changes.status === undefined ? {} : { status: changes.status }),
      ...(changes.statusMessage === undefined ? {} : { status_message: changes.statusMessage }),
      ...(changes.lifecycleStage === undefined ? {} : { lifecycle_stage: changes.lifecycleStage }),
    })
    .where('model_id', '=', modelId)
    .execute();
}

export async function deleteLoggedModelTag(db: Kysely<Database>, modelId: string, key: string): Promise<number> {
  const r = await db.deleteFrom('logged_model_tags').where('model_id', '=', modelId).where('key', '=', key).executeTakeFirst();
  return Number(r.numDeletedRows);
}
