import { z } from 'zod';
import { invalid } from '../../core/errors.js';
import { permissionsOf } from '../auth/permission-check.js';
import { experimentOfRun } from '../auth/permission-owners.js';
import { principalOf } from '../auth/principal.js';
import { mlflowPaths, route, type Route } from '../route.js';
import { runIdOf, runRef } from './runs.js';
import { double, empty, int64, tag } from './wire.js';

const TAG = 'Logging';

const metric = z.object({
  key: z.string(),
  value: double,
  timestamp: int64,
  step: int64.default(0),
  model_id: z.string().optional(),
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
  run_id: z.string().optional(),
});

const toLogged = (m: z.output<typeof metric>) => ({
  key: m.key, value: m.value, timestamp: m.timestamp, step: m.step, modelId: m.model_id, datasetName: m.dataset_name, datasetDigest: m.dataset_digest,
});

const datasetInput = z.object({
  tags: z.array(tag).default([]),
  dataset: z.object({
    name: z.string(),
    digest: z.string(),
    source_type: z.string(),
    source: z.string(),
    schema: z.string().optional(),
    profile: z.string().optional(),
  }),
});

/** MLflow's write RPCs for metrics, params, tags, batches, inputs and outputs. */
export const loggingRoutes: Route[] = [
  route({
    method: 'POST', paths: mlflowPaths('runs/log-metric'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentOfRun(services, runIdOf(body)) },
    summary: 'Log one metric point',
    body: metric.extend(runRef),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.runs.logBatch(runIdOf(body), { metrics: [toLogged(body)], params: [], tags: [] });
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/log-parameter'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentOfRun(services, runIdOf(body)) },
    summary: 'Log a param (params cannot change once logged)',
    body: z.object({ ...runRef, key: z.string(), value: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.runs.logBatch(runIdOf(body), { metrics: [], params: [{ key: body.key, value: body.value }], tags: [] });
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/log-batch'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentOfRun(services, body.run_id) },
    summary: 'Log metrics, params and tags in one all-or-nothing batch',
    body: z.object({ run_id: z.string(), metrics: z.array(metric).default([]), params: z.array(tag).default([]), tags: z.array(tag).default([]) }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.runs.logBatch(body.run_id, { metrics: body.metrics.map(toLogged), params: body.params, tags: body.tags });
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/log-inputs'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentOfRun(services, body.run_id) },
    summary: 'Record the datasets and models a run used',
    body: z.object({ run_id: z.string(), datasets: z.array(datasetInput).default([]), models: z.array(z.object({ model_id: z.string() })).default([]) }),
    response: empty,
    handler: async ({ body, services, request }) => {
      // A dataset first seen here is created by this call: its logger manages it, as with /api/v1/datasets.
      const names = [...new Set(body.datasets.map((d) => d.dataset.name))];
      const isNew = await Promise.all(names.map((name) => services.datasets.registry.get(name).then(() => false, () => true)));
      await services.tracking.inputs.log(
        body.run_id,
        body.datasets.map((d) => ({
          tags: d.tags,
          dataset: { name: d.dataset.name, digest: d.dataset.digest, sourceType: d.dataset.source_type, source: d.dataset.source, schema: d.dataset.schema, profile: d.dataset.profile },
        })),
        body.models.map((m) => m.model_id),
      );
      const principal = principalOf(request);
      for (const [i, name] of names.entries()) {
        if (isNew[i] === true) await permissionsOf(services).grantCreator(principal, 'dataset', name);
      }
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/outputs'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentOfRun(services, body.run_id) },
    summary: 'Record the logged models a run produced',
    body: z.object({ run_id: z.string(), models: z.array(z.object({ model_id: z.string(), step: int64 })) }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.runs.logOutputs(body.run_id, body.models.map((m) => ({ modelId: m.model_id, step: m.step })));
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/log-model'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentOfRun(services, runIdOf(body)) },
    summary: 'Record a model logged the MLflow 2 way (appended to the mlflow.log-model.history tag)',
    body: z.object({ ...runRef, model_json: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      const runId = runIdOf(body);
      let model: Record<string, unknown>;
      try {
        model = JSON.parse(body.model_json) as Record<string, unknown>;
      } catch {
        throw invalid("Invalid value for parameter 'model_json': not valid JSON");
      }
      for (const field of ['artifact_path', 'flavors', 'utc_time_created', 'run_id']) {
        if (!(field in model)) throw invalid(`Model json is missing mandatory fields: ['${field}']`);
      }
      const run = await services.tracking.runs.get(runId);
      const history = run.tags.find((t) => t.key === 'mlflow.log-model.history')?.value;
      const entries = history ? (JSON.parse(history) as unknown[]) : [];
      entries.push(model);
      await services.tracking.runs.setTag(runId, 'mlflow.log-model.history', JSON.stringify(entries));
      return {};
    },
  }),
];
