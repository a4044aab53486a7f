/**
 * MLflow 3 tracing RPCs. The v3 RPCs live under /api/3.0 (and /ajax-api/3.0); tag edits and
 * delete-traces are served under 2.0 and 3.0, as MLflow registers them, and the client uses 2.0.
 */
import { z } from 'zod';
import { invalid, notFound } from '../../core/errors.js';
import type { Services } from '../../services.js';
import { readableTest } from '../auth/permission-check.js';
import { experimentOfRun, experimentsOfTraces } from '../auth/permission-owners.js';
import { mlflowPaths, route, type Route } from '../route.js';
import { encodeTraceInfo, traceInfoIn, traceInfoOut, traceLocationIn } from './trace-wire.js';
import { empty, int64 } from './wire.js';

const TAG = 'Traces';
const traceIdParam = z.object({ trace_id: z.string() });
const traceOut = z.object({ trace: z.object({ trace_info: traceInfoOut }) });
const v2AndV3 = (path: string): string[] => [...mlflowPaths(path, '2.0'), ...mlflowPaths(path, '3.0')];

function experimentIdOf(location: z.infer<typeof traceLocationIn>, field: string): string {
  const id = location.mlflow_experiment?.experiment_id;
  if (id === undefined || (location.type !== undefined && location.type !== 'MLFLOW_EXPERIMENT')) {
    throw invalid(`Invalid value for parameter '${field}': cairn keeps traces in MLflow experiments; give {"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "<id>"}}.`);
  }
  return id;
}

async function traceAnswer(services: Services, traceId: string) {
  return { trace: { trace_info: encodeTraceInfo(await services.tracking.traces.get(traceId)) } };
}


/** Start, read, search, tag, delete and link traces. */
export const traceRoutes: Route[] = [
  route({
    method: 'POST', paths: mlflowPaths('traces', '3.0'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body }) => body.trace.trace_info.trace_location.mlflow_experiment?.experiment_id },
    summary: 'Store a trace (StartTraceV3); the answer names where to upload its spans',
    body: z.object({ trace: z.object({ trace_info: traceInfoIn, spans: z.array(z.unknown()).optional() }) }),
    response: traceOut,
    handler: async ({ body, services }) => {
      const info = body.trace.trace_info;
      const stored = await services.tracking.traces.start({
        traceId: info.trace_id,
        experimentId: experimentIdOf(info.trace_location, 'trace.trace_info.trace_location'),
        requestTimeMs: info.request_time,
        executionDurationMs: info.execution_duration,
        state: info.state,
        clientRequestId: info.client_request_id,
        requestPreview: info.request_preview,
        responsePreview: info.response_preview,
        metadata: info.trace_metadata,
        tags: info.tags,
      });
      return { trace: { trace_info: encodeTraceInfo(stored) } };
    },
  }),
  route({
    method: 'GET', paths: mlflowPaths('traces/get', '3.0'), tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ query, services }) => experimentsOfTraces(services, [query.trace_id]) },
    summary: 'A trace with its spans from the tracking store: with allow_partial, its info and no spans',
    query: z.object({ trace_id: z.string(), allow_partial: z.boolean().optional() }),
    response: traceOut,
    handler: async ({ query, services }) => {
      // The client asks only when a trace's tags say its spans are in the tracking store, which
      // cairn never says; MLflow answers the same for a trace whose spans are elsewhere.
      const answer = await traceAnswer(services, query.trace_id);
      if (!query.allow_partial) {
        throw notFound(`Trace with ID '${query.trace_id}' has no spans in the tracking store: cairn keeps span data as traces.json at the trace's mlflow.artifactLocation.`);
      }
      return answer;
    },
  }),
  route({
    method: 'GET', paths: mlflowPaths('traces/batchGet', '3.0'), tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ query, services }) => experimentsOfTraces(services, query.trace_ids) },
    summary: 'Complete traces with spans from the tracking store (none in cairn: spans are artifacts)',
    query: z.object({ trace_ids: z.array(z.string()).min(1) }),
    response: z.object({ traces: z.array(z.unknown()).optional() }),
    // As MLflow's SQL store, only traces whose spans are in the tracking store come back.
    handler: () => ({}),
  }),
  route({
    method: 'POST', paths: mlflowPaths('traces/batchGetInfos', '3.0'), tag: TAG, access: 'read', audit: 'none',
    permission: { on: 'experiment', need: 'READ', id: ({ body, services }) => experimentsOfTraces(services, body.trace_ids) },
    summary: 'The infos of several traces; unknown ids are left out',
    body: z.object({ trace_ids: z.array(z.string()).min(1) }),
    response: z.object({ trace_infos: z.array(traceInfoOut).optional() }),
    handler: async ({ body, services }) => {
      const infos = (await services.tracking.traces.getMany(body.trace_ids)).map(encodeTraceInfo);
      return infos.length > 0 ? { trace_infos: infos } : {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('traces/search', '3.0'), tag: TAG, access: 'read', audit: 'none',
    permission: { filters: 'experiment' },
    summary: 'Search traces in experiments with a filter, ordering and paging (SearchTracesV3)',
    body: z.object({
      locations: z.array(traceLocationIn).min(1),
      filter: z.string().optional(),
      max_results: int64.optional(),
      order_by: z.array(z.string()).optional(),
      page_token: z.string().optional(),
    }),
    response: z.object({ traces: z.array(traceInfoOut).optional(), next_page_token: z.string().optional() }),
    handler: async ({ body, services, request }) => {
      const readable = await readableTest({ services, request }, 'experiment');
      const page = await services.tracking.traces.search({
        experimentIds: body.locations.map((l, at) => experimentIdOf(l, `locations[${at}]`)).filter(readable),
        filter: body.filter,
        maxResults: body.max_results ?? 100,
        orderBy: body.order_by,
        pageToken: body.page_token || undefined,
      });
      return {
        ...(page.items.length > 0 ? { traces: page.items.map(encodeTraceInfo) } : {}),
        ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
      };
    },
  }),
  route({
    method: 'GET', paths: mlflowPaths('traces/:trace_id', '3.0'), tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ params, services }) => experimentsOfTraces(services, [params.trace_id]) },
    summary: 'A trace\'s info, tags and metadata (GetTraceInfoV3)',
    params: traceIdParam,
    response: traceOut,
    handler: ({ params, services }) => traceAnswer(services, params.trace_id),
  }),
  route({
    method: 'PATCH', paths: v2AndV3('traces/:trace_id/tags'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ params, services }) => experimentsOfTraces(services, [params.trace_id]) },
    summary: 'Set a tag on a trace',
    params: traceIdParam,
    body: z.object({ key: z.string(), value: z.string().default('') }),
    response: empty,
    handler: async ({ params, body, services }) => {
      await services.tracking.traces.setTag(params.trace_id, body.key, body.value);
      return {};
    },
  }),
  route({
    method: 'DELETE', paths: v2AndV3('traces/:trace_id/tags'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ params, services }) => experimentsOfTraces(services, [params.trace_id]) },
    summary: 'Delete a tag from a trace (the key is in the JSON body)',
    params: traceIdParam,
    body: z.object({ key: z.string() }),
    response: empty,
    handler: async ({ params, body, services }) => {
      await services.tracking.traces.deleteTag(params.trace_id, body.key);
      return {};
    },
  }),
  route({
    method: 'POST', paths: v2AndV3('traces/delete-traces'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'MANAGE', id: ({ body }) => body.experiment_id },
    summary: 'Delete traces of an experiment, by age (oldest first, at most max_traces) or by id',
    body: z.object({
      experiment_id: z.string(),
      max_timestamp_millis: int64.optional(),
      max_traces: int64.optional(),
      request_ids: z.array(z.string()).optional(),
    }),
    response: z.object({ traces_deleted: z.number() }),
    handler: async ({ body, services }) => ({
      traces_deleted: await services.tracking.traces.delete({
        experimentId: body.experiment_id,
        maxTimestampMillis: body.max_timestamp_millis,
        maxTraces: body.max_traces,
        traceIds: body.request_ids,
      }),
    }),
  }),
  route({
    method: 'POST', paths: mlflowPaths('traces/link-to-run'), tag: TAG, access: 'write',
    permission: { all: [
      { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentOfRun(services, body.run_id) },
      { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentsOfTraces(services, body.trace_ids) },
    ] },
    summary: 'Link traces to a run, so a search by run_id finds them',
    body: z.object({ trace_ids: z.array(z.string()), run_id: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.traces.linkToRun(body.trace_ids, body.run_id);
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('traces/link-prompts'), tag: TAG, access: 'write',
    permission: { all: [
      { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentsOfTraces(services, [body.trace_id]) },
      { on: 'registered_model', need: 'READ', id: ({ body }) => body.prompt_versions.map((p) => p.name) },
    ] },
    summary: 'Record prompt versions a trace used, in its mlflow.linkedPrompts tag',
    body: z.object({ trace_id: z.string(), prompt_versions: z.array(z.object({ name: z.string(), version: z.string() })) }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.traces.linkPrompts(body.trace_id, body.prompt_versions);
      return {};
    },
  }),
];
