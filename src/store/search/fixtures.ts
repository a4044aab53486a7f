/** Rows the search tests run against, inserted with Kysely straight into the tables. */
import type { Db } from '../db.js';

interface RunSeed {
  id: string;
  experiment: number;
  name: string;
  user: string;
  status: string;
  start: number;
  end: number | null;
  stage?: string;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

/** Runs r1..r5 in experiments 1 and 2 (r4 deleted), with metrics (NaN included), params, tags, datasets. */
export const RUNS: readonly RunSeed[] = [
  { id: 'r1', experiment: 1, name: 'alpha', user: 'ann', status: 'FINISHED', start: 1000, end: 2000,
    metrics: { acc: 0.9, loss: 0.1 }, params: { lr: '0.01', opt: 'Adam' }, tags: { team: 'ML', 'mlflow.runName': 'alpha' } },
  { id: 'r2', experiment: 1, name: 'beta', user: 'bob', status: 'RUNNING', start: 2000, end: null,
    metrics: { acc: 0.5, loss: NaN }, params: { lr: '0.1' }, tags: { team: 'ml', glob: 'a*b[1]?' } },
  { id: 'r3', experiment: 1, name: 'Gamma', user: 'ann', status: 'FAILED', start: 3000, end: 3500,
    metrics: { acc: NaN }, params: { opt: 'adam' }, tags: { note: '50%_off' } },
  { id: 'r4', experiment: 1, name: 'delta', user: 'cat', status: 'FINISHED', start: 3000, end: 4000, stage: 'deleted' },
  { id: 'r5', experiment: 2, name: 'eps', user: 'ann', status: 'FINISHED', start: 500, end: 600, metrics: { acc: 0.7 } },
];

/** Insert the tracking fixture: experiments 1-3, the runs above, and their dataset inputs. */
export async function seedTracking(db: Db): Promise<void> {
  const k = db.kysely;
  await k.insertInto('experiments').values([
    { experiment_id: 1, name: 'exp-alpha', artifact_location: 'a/1', lifecycle_stage: 'active', creation_time: 100, last_update_time: 500, deleted_time: null },
    { experiment_id: 2, name: 'exp-Beta', artifact_location: 'a/2', lifecycle_stage: 'active', creation_time: 200, last_update_time: 300, deleted_time: null },
    { experiment_id: 3, name: 'archived', artifact_location: 'a/3', lifecycle_stage: 'deleted', creation_time: 300, last_update_time: 300, deleted_time: 400 },
  ]).execute();
  await k.insertInto('experiment_tags').values([
    { experiment_id: 1, key: 'env', value: 'prod' },
    { experiment_id: 2, key: 'env', value: 'dev' },
  ]).execute();
  for (const run of RUNS) {
    await k.insertInto('runs').values({
      run_uuid: run.id, name: run.name, experiment_id: run.experiment, user_id: run.user, status: run.status, start_time: run.start,
      end_time: run.end, deleted_time: null, lifecycle_stage: run.stage ?? 'active', artifact_uri: `a/${run.id}`,
    }).execute();
    for (const [key, value] of Object.entries(run.metrics ?? {})) {
      const point = { run_uuid: run.id, key, timestamp: 1, step: 0, value: Number.isNaN(value) ? 0 : value, is_nan: Number.isNaN(value) ? 1 : 0 };
      await k.insertInto('metrics').values(point).execute();
      await k.insertInto('latest_metrics').values(point).execute();
    }
    for (const [key, value] of Object.entries(run.params ?? {})) await k.insertInto('params').values({ run_uuid: run.id, key, value }).execute();
    for (const [key, value] of Object.entries(run.tags ?? {})) await k.insertInto('tags').values({ run_uuid: run.id, key, value }).execute();
  }
  await k.insertInto('datasets').values([
    { dataset_uuid: 'd1', experiment_id: 1, name: 'train_set', digest: 'abc', dataset_source_type: 'local', dataset_source: '{}', dataset_schema: null, dataset_profile: null },
    { dataset_uuid: 'd2', experiment_id: 1, name: 'eval_set', digest: 'def', dataset_source_type: 'local', dataset_source: '{}', dataset_schema: null, dataset_profile: null },
  ]).execute();
  const inputs: Array<[string, string, string, string]> = [['i1', 'd1', 'r1', 'training'], ['i2', 'd2', 'r2', 'eval'], ['i3', 'd2', 'r1', 'eval']];
  for (const [input, dataset, run, context] of inputs) {
    await k.insertInto('inputs').values({ input_uuid: input, source_type: 'DATASET', source_id: dataset, destination_type: 'RUN', destination_id: run, position: 0 }).execute();
    await k.insertInto('input_tags').values({ input_uuid: input, name: 'mlflow.data.context', value: context }).execute();
  }
}

/** Insert the registry fixture: models alpha, Beta, gamma and the prompt prompt-1, with versions. */
export async function seedRegistry(db: Db): Promise<void> {
  const k = db.kysely;
  const model = (name: string, created: number, updated: number) => ({ name, creation_time: created, last_updated_time: updated, description: null, user_id: null });
  await k.insertInto('registered_models').values([model('alpha', 100, 400), model('Beta', 200, 300), model('gamma', 300, 200), model('prompt-1', 400, 100)]).execute();
  await k.insertInto('registered_model_tags').values([
    { name: 'alpha', key: 'owner', value: 'ann' },
    { name: 'gamma', key: 'owner', value: 'bob' },
    { name: 'prompt-1', key: 'mlflow.prompt.is_prompt', value: 'true' },
  ]).execute();
  const version = (name: string, v: number, created: number, updated: number, runId: string | null, source: string, deleted = 0) => ({
    name, version: v, creation_time: created, last_updated_time: updated, description: null, user_id: null, current_stage: 'None',
    source, storage_location: source, run_id: runId, run_link: null, status: 'READY', status_message: null, model_id: null, deleted,
  });
  await k.insertInto('model_versions').values([
    version('alpha', 1, 10, 50, 'run1', 's3://a/1'),
    version('alpha', 2, 20, 60, 'run2', 'models:/m-1'),
    version('alpha', 3, 25, 70, 'run3', 's3://a/3', 1),
    version('Beta', 1, 30, 60, 'run1', 's3://b/1'),
    version('prompt-1', 1, 40, 100, null, 'dummy-source'),
  ]).execute();
  await k.insertInto('model_version_tags').values([
    { name: 'alpha', version: 1, key: 'stage', value: 'prod' },
    { name: 'prompt-1', version: 1, key: 'mlflow.prompt.is_prompt', value: 'true' },
  ]).execute();
}

/** Insert the logged-model fixture: m1, m2 (experiment 5), m3 (deleted), m4 (experiment 6). */
export async function seedLoggedModels(db: Db): Promise<void> {
  const k = db.kysely;
  const model = (id: string, experiment: number, name: string, created: number, status: string, type: string | null, stage = 'active') => ({
    model_id: id, experiment_id: experiment, name, artifact_location: `a/${id}`, creation_timestamp_ms: created, last_updated_timestamp_ms: created + 50,
    status, lifecycle_stage: stage, model_type: type, source_run_id: type === null ? null : 'run1', status_message: null,
  });
  await k.insertInto('logged_models').values([
    model('m1', 5, 'model-a', 100, 'READY', 'agent'),
    model('m2', 5, 'model-b', 200, 'PENDING', null),
    model('m3', 5, 'model-c', 300, 'READY', 'agent', 'deleted'),
    model('m4', 6, 'model-d', 50, 'READY', 'agent'),
  ]).execute();
  await k.insertInto('logged_model_params').values([{ model_id: 'm1', key: 'p', value: '1' }, { model_id: 'm2', key: 'p', value: '2' }]).execute();
  await k.insertInto('logged_model_tags').values([{ model_id: 'm1', key: 't', value: 'x' }]).execute();
  const point = (id: string, ts: number, step: number, value: number, dataset: string) => ({
    model_id: id, metric_name: 'acc', metric_timestamp_ms: ts, metric_step: step, metric_value: value, is_nan: 0, experiment_id: 5, run_id: 'run1',
    dataset_name: dataset, dataset_digest: `${dataset}-digest`,
  });
  await k.insertInto('logged_model_metrics').values([
    point('m1', 10, 0, 0.5, 'ds1'), point('m1', 20, 1, 0.9, 'ds1'), point('m1', 15, 0, 0.3, 'ds2'), point('m2', 10, 0, 0.7, 'ds2'),
  ]).execute();
}
