import { z } from 'zod';
import { LOGGED_MODEL_STATUSES, type LoggedModelRecord } from '../../tracking/index.js';
import { readableTest } from '../auth/permission-check.js';
import { experimentOfLoggedModel } from '../auth/permission-owners.js';
import { mlflowPaths, route, type Route } from '../route.js';
import { empty, encodeDouble, tags } from './wire.js';

const TAG = 'Logged models';
const modelIdParam = z.object({ model_id: z.string() });

const loggedModelOut = z.object({
  info: z.record(z.string(), z.unknown()),
  data: z.object({ params: z.array(z.object({ key: z.string(), value: z.string() })).optional(), metrics: z.array(z.record(z.string(), z.unknown())).optional() }),
});

const nonEmpty = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);

function encodeLoggedModel(m: LoggedModelRecord): z.infer<typeof loggedModelOut> {
  const registrations = m.tags.find((t) => t.key === 'mlflow.modelVersions')?.value;
  return {
    info: {
      model_id: m.modelId,
      experiment_id: String(m.experimentId),
      name: m.name,
      creation_timestamp_ms: m.creationTimestampMs,
      last_updated_timestamp_ms: m.lastUpdatedTimestampMs,
      artifact_uri: m.artifactLocation,
      status: m.status,
      ...(m.modelType === null ? {} : { model_type: m.modelType }),
      ...(m.sourceRunId === null ? {} : { source_run_id: m.sourceRunId }),
      ...(m.statusMessage === null ? {} : { status_message: m.statusMessage }),
      tags: nonEmpty(m.tags),
      registrations: registrations ? parseRegistrations(registrations) : undefined,
    },
    data: {
      params: nonEmpty(m.params),
      metrics: nonEmpty(
        m.metrics.map((x) => ({
          key: x.key, value: encodeDouble(x.value), timestamp: x.timestamp, step: x.step, run_id: x.runId, model_id: m.modelId,
          ...(x.datasetName === null ? {} : { dataset_name: x.datasetName }),
          ...(x.datasetDigest === null ? {} : { dataset_digest: x.datasetDigest }),
        })),
      ),
    },
  };
}

function parseRegistrations(json: string): { name: string; version: string }[] | undefined {
  try {
    const list = JSON.parse(json) as { name?: unknown; version?: unknown }[];
    return Array.isArray(list) ? list.map((r) => ({ name: String(r.name), version: String(r.version) })) : undefined;
  } catch {
    return undefined;
  }
}

/** MLflow 3's logged-model RPCs, which every `log_model` call and `register_model` rely on. */
export const loggedModelRoutes: Route[] = [
  route({
    method: 'POST', paths: mlflowPaths('logged-models'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body }) => body.experiment_id },
    summary: 'Create a logged model (status PENDING until finalized)',
    body: z.object({
      experiment_id: z.string(), name: z.string().optional(), model_type: z.string().optional(), source_run_id: z.string().optional(),
      params: tags, tags,
    }),
    response: z.object({ model: loggedModelOut }),
    handler: async ({ body, services }) => ({
      model: encodeLoggedModel(await services.tracking.loggedModels.create({
        experimentId: body.experiment_id, name: body.name, modelType: body.model_type, sourceRunId: body.source_run_id, params: body.params, tags: body.tags,
      })),
    }),
  }),
  route({
    method: 'POST', paths: mlflowPaths('logged-models/search'), tag: TAG, access: 'read', audit: 'none',
    permission: { filters: 'experiment' },
    summary: 'Search logged models with a filter, datasets and ordering',
    body: z.object({
      experiment_ids: z.array(z.string()).default([]),
      filter: z.string().optional(),
      datasets: z.array(z.object({ dataset_name: z.string(), dataset_digest: z.string().optional() })).optional(),
      max_results: z.number().int().optional(),
      order_by: z.array(z.object({ field_name: z.string(), ascending: z.boolean().optional(), dataset_name: z.string().optional(), dataset_digest: z.string().optional() })).optional(),
      page_token: z.string().optional(),
    }),
    response: z.object({ models: z.array(loggedModelOut).optional(), next_page_token: z.string().optional() }),
    handler: async ({ body, services, request }) => {
      const readable = await readableTest({ services, request }, 'experiment');
      const page = await services.tracking.search.loggedModelsPage({
        experimentIds: body.experiment_ids.filter(readable), filter: body.filter, datasets: body.datasets, maxResults: body.max_results ?? 100,
        orderBy: body.order_by, pageToken: body.page_token || undefined,
      });
      return { models: page.items.map(encodeLoggedModel), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  }),
  route({
    method: 'GET', paths: mlflowPaths('logged-models/:model_id'), tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ params, services }) => experimentOfLoggedModel(services, params.model_id) },
    summary: 'Get a logged model',
    params: modelIdParam,
    query: z.object({ allow_deleted: z.boolean().optional() }),
    response: z.object({ model: loggedModelOut }),
    handler: async ({ params, query, services }) => ({
      model: encodeLoggedModel(await services.tracking.loggedModels.get(params.model_id, query.allow_deleted ?? false)),
    }),
  }),
  route({
    method: 'PATCH', paths: mlflowPaths('logged-models/:model_id'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ params, services }) => experimentOfLoggedModel(services, params.model_id) },
    summary: 'Finalize a logged model (READY or UPLOAD_FAILED)',
    params: modelIdParam,
    body: z.object({ model_id: z.string().optional(), status: z.enum(LOGGED_MODEL_STATUSES) }),
    response: z.object({ model: loggedModelOut }),
    handler: async ({ params, body, services }) => ({ model: encodeLoggedModel(await services.tracking.loggedModels.finalize(params.model_id, body.status)) }),
  }),
  route({
    method: 'DELETE', paths: mlflowPaths('logged-models/:model_id'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'MANAGE', id: ({ params, services }) => experimentOfLoggedModel(services, params.model_id) },
    summary: 'Delete a logged model',
    params: modelIdParam,
    response: empty,
    handler: async ({ params, services }) => {
      await services.tracking.loggedModels.delete(params.model_id);
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('logged-models/:model_id/params'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ params, services }) => experimentOfLoggedModel(services, params.model_id) },
    summary: 'Add params to a logged model',
    params: modelIdParam,
    body: z.object({ model_id: z.string().optional(), params: tags }),
    response: empty,
    handler: async ({ params, body, services }) => {
      await services.tracking.loggedModels.logParams(params.model_id, body.params);
      return {};
    },
  }),
  route({
    method: 'PATCH', paths: mlflowPaths('logged-models/:model_id/tags'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ params, services }) => experimentOfLoggedModel(services, params.model_id) },
    summary: 'Set tags on a logged model',
    params: modelIdParam,
    body: z.object({ model_id: z.string().optional(), tags }),
    response: empty,
    handler: async ({ params, body, services }) => {
      await services.tracking.loggedModels.setTags(params.model_id, body.tags);
      return {};
    },
  }),
  route({
    method: 'DELETE', paths: mlflowPaths('logged-models/:model_id/tags/:tag_key'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ params, services }) => experimentOfLoggedModel(services, params.model_id) },
    summary: 'Delete a tag from a logged model',
    params: z.object({ model_id: z.string(), tag_key: z.string() }),
    response: empty,
    handler: async ({ params, services }) => {
      await services.tracking.loggedModels.deleteTag(params.model_id, params.tag_key);
      return {};
    },
  }),
];
