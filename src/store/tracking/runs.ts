import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Db } from '../db.js';
import { commitTogether } from '../group-commit.js';
import type { Database, RunsTable } from '../schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface KeyValue {
  key: string;
  value: string;
}

/** A stored metric point; NaN is kept as a flag because SQLite stores NaN as NULL. */
export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface RunInfoRecord {
  runId: string;
  runName: string;
  experimentId: number;
  userId: string;
  status: string;
  startTime: number;
  endTime: number | null;
  lifecycleStage: string;
  artifactUri: string;
}

export interface DatasetInputRecord {
  dataset: { name: string; digest: string; sourceType: string; source: string; schema: string | null; profile: string | null };
  tags: KeyValue[];
}

/** A run with everything MLflow returns for it. */
export interface RunRecord {
  info: RunInfoRecord;
  params: KeyValue[];
  tags: KeyValue[];
  metrics: MetricPoint[];
  datasetInputs: DatasetInputRecord[];
  modelInputs: string[];
  modelOutputs: { modelId: string; step: number }[];
}

export const metricValue = (value: number, isNan: number): number => (isNan ? Number.NaN : value);

/** Insert a run and its first tags; on SQLite it joins the next group commit. */
export async function insertRun(db: Db, info: RunInfoRecord, tags: KeyValue[]): Promise<void> {
  const row = {
    run_uuid: info.runId,
    name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    end_time: info.endTime,
    deleted_time: null,
    lifecycle_stage: info.lifecycleStage,
    artifact_uri: info.artifactUri,
  };
  if (db.sqlite) {
    await commitTogether(db, (handle) => {
      handle
        .prepare(
          `insert into runs (run_uuid, name, experiment_id, user_id, status, start_time, end_time, deleted_time, lifecycle_stage, artifact_uri)
           values (@run_uuid, @name, @experiment_id, @user_id, @status, @start_time, @end_time, @deleted_time, @lifecycle_stage, @artifact_uri)`,
        )
        .run(row);
      const insertTag = handle.prepare('insert into tags (run_uuid, key, value) values (?, ?, ?)');
      for (const t of tags) insertTag.run(info.runId, t.key, t.value);
    });
    return;
  }
  await db.kysely.transaction().execute(async (tx) => {
    await tx.insertInto('runs').values(row).execute();
    if (tags.length > 0) await tx.insertInto('tags').values(tags.map((t) => ({ run_uuid: info.runId, key: t.key, value: t.value }))).execute();
  });
}

/** The run's info row alone: what write paths check (exists, active) before writing. */
export async function selectRunInfo(db: Q, runId: string): Promise<RunInfoRecord | undefined> {
  const r = await db.selectFrom('runs').selectAll().where('run_uuid', '=', runId).executeTakeFirst();
  return r === undefined ? undefined : toInfo(r);
}

function toInfo(r: Selectable<RunsTable>): RunInfoRecord {
  return {
    runId: r.run_uuid,
    runName: r.name,
    experimentId: Number(r.experiment_id),
    userId: r.user_id,
    status: r.status,
    startTime: r.start_time,
    endTime: r.end_time,
    lifecycleStage: r.lifecycle_stage,
    artifactUri: r.artifact_uri,
  };
}

// Ordering children by (run_uuid, key) follows their primary keys, so no sort is needed.
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Whole runs by id, in the order asked; loads each child table once per chunk of ids. */
export async function selectRuns(db: Q, runIds: readonly string[]): Promise<RunRecord[]> {
  const byId = new Map<string, RunRecord>();
  for (const ids of chunks(runIds)) {
    const [infos, params, tags, metrics, inputs, outputs] = await Promise.all([
      db.selectFrom('runs').selectAll().where('run_uuid', 'in', ids).execute(),
      db.selectFrom('params').selectAll().where('run_uuid', 'in', ids).orderBy('run_uuid').orderBy('key').execute(),
      db.selectFrom('tags').selectAll().where('run_uuid', 'in', ids).orderBy('run_uuid').orderBy('key').execute(),
      db.selectFrom('latest_metrics').selectAll().where('run_uuid', 'in', ids).orderBy('run_uuid').orderBy('key').execute(),
      db.selectFrom('inputs').selectAll().where('destination_type', '=', 'RUN').where('destination_id', 'in', ids).orderBy('position').execute(),
      db.selectFrom('run_outputs').selectAll().where('run_uuid', 'in', ids).execute(),
    ]);
    for (const r of infos) {
      byId.set(r.run_uuid, { info: toInfo(r), params: [], tags: [], metrics: [], datasetInputs: [], modelInputs: [], modelOutputs: [] });
    }
    for (const p of params) byId.get(p.run_uuid)?.params.push({ key: p.key, value: p.value });
    for (const t of tags) byId.get(t.run_uuid)?.tags.push({ key: t.key, value: t.value });
    for (const m of metrics) {
      byId.get(m.run_uuid)?.metrics.push({ key: m.key, value: metricValue(m.value, m.is_nan), timestamp: m.timestamp, step: m.step });
    }
    for (const o of outputs) byId.get(o.run_uuid)?.modelOutputs.push({ modelId: o.model_id, step: o.step });
    const datasetInputs = inputs.filter((i) => i.source_type === 'DATASET');
    for (const i of inputs) if (i.source_type === 'MODEL') byId.get(i.destination_id)?.modelInputs.push(i.source_id);
    if (datasetInputs.length > 0) {
      const [datasets, inputTags] = await Promise.all([
        db.selectFrom('datasets').selectAll().where('dataset_uuid', 'in', [...new Set(datasetInputs.map((i) => i.source_id))]).execute(),
        db.selectFrom('input_tags').selectAll().where('input_uuid', 'in', datasetInputs.map((i) => i.input_uuid)).orderBy('name').execute(),
      ]);
      const datasetById = new Map(datasets.map((d) => [d.dataset_uuid, d]));
      for (const i of datasetInputs) {
        const d = datasetById.get(i.source_id);
        if (!d) continue;
        byId.get(i.destination_id)?.datasetInputs.push({
          dataset: { name: d.name, digest: d.digest, sourceType: d.dataset_source_type, source: d.dataset_source, schema: d.dataset_schema, profile: d.dataset_profile },
          tags: inputTags.filter((t) => t.input_uuid === i.input_uuid).map((t) => ({ key: t.name, value: t.value })),
        });
      }
    }
  }
  return runIds.flatMap((id) => byId.get(id) ?? []);
}

export async function updateRunInfo(
  db: Q,
  runId: string,
  changes: { status?: string | undefined; endTime?: number | undefined; runName?: string | undefined },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const set: { status?: string; end_time?: number; name?: string } = {};
    if (changes.status !== undefined) set.status = changes.status;
    if (changes.endTime !== undefined) set.end_time = changes.endTime;
    if (changes.runName !== undefined) set.name = changes.runName;
    if (Object.keys(set).length > 0) await tx.updateTable('runs').set(set).where('run_uuid', '=', runId).execute();
    // The run name is both an attribute and the mlflow.runName tag; keep them equal.
    if (changes.runName !== undefined) await upsertRunTag(tx, runId, 'mlflow.runName', changes.runName);
  });
}

export async function setRunLifecycle(db: Q, runId: string, stage: 'active' | 'deleted', now: number): Promise<void> {
  await db
    .updateTable('runs')
    .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? now : null })
    .where('run_uuid', '=', runId)
    .execute();
}

export async function upsertRunTag(db: Q, runId: string, key: string, value: string): Promise<void> {
  await db
    .insertInto('tags')
    .values({ run_uuid: runId, key, value })
    .onConflict((oc) => oc.columns(['run_uuid', 'key']).doUpdateSet({ value }))
    .execute();
}

export async function deleteRunTag(db: Q, runId: string, key: string): Promise<number> {
  const r = await db.deleteFrom('tags').where('run_uuid', '=', runId).where('key', '=', key).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function selectParams(db: Q, runId: string, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('params').select(['key', 'value']).where('run_uuid', '=', runId).where('key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function insertRunOutputs(db: Q, runId: string, outputs: { modelId: string; step: number }[]): Promise<void> {
  if (outputs.length === 0) return;
  await db
    .insertInto('run_outputs')
    .values(outputs.map((o) => ({ run_uuid: runId, model_id: o.modelId, step: o.step })))
    .onConflict((oc) => oc.columns(['run_uuid', 'model_id']).doUpdateSet((eb) => ({ step: eb.ref('excluded.step') })))
    .execute();
}
