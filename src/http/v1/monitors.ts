/** /api/v1/monitors: create, list, get, update, delete, run now, results and time series. */
import { z } from 'zod';
import { monitorName, monitorSpec } from '../../monitoring/monitors/index.js';
import type { MonitorView, RunRecord } from '../../monitoring/monitors/index.js';
import { readableTest } from '../auth/permission-check.js';
import { monitorReadChecks } from '../auth/permission-owners.js';
import { route, type Route } from '../route.js';
import { snakeKeys } from './snake-case.js';

const TAG = 'Monitors';
const anyObject = z.record(z.string(), z.unknown());
const nameParam = z.object({ name: z.string().min(1) });
const one = z.object({ monitor: anyObject });

/** A monitor for the API: snake_case fields; the spec (already snake_case, with user column names as keys) as stored. */
function encodeMonitor(m: MonitorView): Record<string, unknown> {
  const { spec, ...rest } = m;
  return { ...(snakeKeys(rest) as Record<string, unknown>), spec };
}

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** Drift histograms are keyed by column name, which must not be renamed. */
function encodeDetail(detail: unknown): unknown {
  if (detail === null || typeof detail !== 'object') return detail;
  const d = detail as { drift?: { histograms?: Record<string, unknown> } | null };
  const histograms = d.drift?.histograms;
  const encoded = snakeKeys(histograms ? { ...d, drift: { ...d.drift, histograms: undefined } } : d) as { drift?: Record<string, unknown> | null };
  if (histograms && encoded.drift) encoded.drift['histograms'] = Object.fromEntries(Object.entries(histograms).map(([k, v]) => [k, snakeKeys(v)]));
  return encoded;
}

/** A run for the API; `detail` only when asked. */
export function encodeRun(run: Omit<RunRecord, 'detail'> & { detail?: string | null }, withDetail: boolean): Record<string, unknown> {
  const { detail, summary, ...rest } = run;
  return { ...rest, summary: parseJson(summary), ...(withDetail ? { detail: encodeDetail(parseJson(detail ?? null)) } : {}) };
}

export const monitorRoutes: Route[] = [
  route({
    method: 'POST', paths: ['/api/v1/monitors'], tag: TAG, access: 'write',
    permission: { creates: 'monitor', newId: ({ body }) => body.name, also: monitorReadChecks },
    summary: 'Create a monitor: a reference (dataset version, logged dataset file, or past inference-log window), a current window, drift tests, performance, a cron schedule, alert rules and channels',
    body: z.object({ name: monitorName }).extend(monitorSpec.shape).strict(),
    response: one,
    handler: async ({ body, services }) => {
      const { name, ...spec } = body;
      return { monitor: encodeMonitor(await services.monitors.create(name, spec)) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/monitors'], tag: TAG, access: 'read',
    permission: { filters: 'monitor' },
    summary: 'List monitors with their last run and alert states',
    response: z.object({ monitors: z.array(anyObject) }),
    handler: async ({ services, request }) => {
      const readable = await readableTest({ services, request }, 'monitor');
      return { monitors: (await services.monitors.list()).filter((m) => readable(m.name)).map(encodeMonitor) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/monitors/:name'], tag: TAG, access: 'read',
    permission: { on: 'monitor', need: 'READ', id: ({ params }) => params.name },
    summary: 'Get a monitor: its spec (webhook secrets hidden), stored reference, last run and alert states',
    params: nameParam,
    response: one,
    handler: async ({ params, services }) => ({ monitor: encodeMonitor(await services.monitors.get(params.name)) }),
  }),
  route({
    method: 'PATCH', paths: ['/api/v1/monitors/:name'], tag: TAG, access: 'write',
    permission: { all: [{ on: 'monitor', need: 'EDIT', id: ({ params }) => params.name }, ...monitorReadChecks] },
    summary: 'Change fields of a monitor (any field of the create body but name); a changed reference is computed again on the next run; webhook secrets left out are kept',
    params: nameParam,
    body: z.looseObject({}),
    response: one,
    handler: async ({ params, body, services }) => ({ monitor: encodeMonitor(await services.monitors.update(params.name, body)) }),
  }),
  route({
    method: 'DELETE', paths: ['/api/v1/monitors/:name'], tag: TAG, access: 'write',
    permission: { on: 'monitor', need: 'MANAGE', id: ({ params }) => params.name, forgets: true },
    summary: 'Delete a monitor with its runs and time series (alert history and retrain triggers stay)',
    params: nameParam,
    response: z.object({}),
    handler: async ({ params, services }) => {
      await services.monitors.delete(params.name);
      return {};
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/monitors/:name/run'], tag: TAG, access: 'write', audit: 'after',
    permission: { on: 'monitor', need: 'EDIT', id: ({ params }) => params.name },
    summary: 'Run a monitor now; answers with the run (status ok, or failed with the reason)',
    params: nameParam,
    response: z.object({ run: anyObject }),
    handler: async ({ params, services }) => ({ run: encodeRun(await services.monitors.runNow(params.name), true) }),
  }),
  route({
    method: 'GET', paths: ['/api/v1/monitors/:name/results'], tag: TAG, access: 'read',
    permission: { on: 'monitor', need: 'READ', id: ({ params }) => params.name },
    summary: 'Runs of a monitor, newest first (summaries; page with before=<started_at>)',
    params: nameParam,
    query: z.object({ limit: z.number().int().min(1).max(1000).default(100), before: z.number().int().optional() }),
    response: z.object({ runs: z.array(anyObject) }),
    handler: async ({ params, query, services }) => ({ runs: (await services.monitors.runs(params.name, query)).map((r) => encodeRun(r, false)) }),
  }),
  route({
    method: 'GET', paths: ['/api/v1/monitors/:name/results/:run_id'], tag: TAG, access: 'read',
    permission: { on: 'monitor', need: 'READ', id: ({ params }) => params.name },
    summary: 'One run with its full result: per-column drift with reference and current histograms, performance, segments, disparities, alert outcomes',
    params: z.object({ name: z.string().min(1), run_id: z.string().min(1) }),
    response: z.object({ run: anyObject }),
    handler: async ({ params, services }) => ({ run: encodeRun(await services.monitors.run(params.name, params.run_id), true) }),
  }),
  route({
    method: 'GET', paths: ['/api/v1/monitors/:name/series'], tag: TAG, access: 'read',
    permission: { on: 'monitor', need: 'READ', id: ({ params }) => params.name },
    summary: 'Time series of a monitor output (metric, optionally one column), oldest first: drift_score, dataset_drift_share, accuracy, disparity_ratio, ...',
    params: nameParam,
    query: z.object({
      metric: z.string().optional(),
      column: z.string().optional(),
      from: z.number().int().optional(),
      to: z.number().int().optional(),
      limit: z.number().int().min(1).max(100_000).default(10_000),
    }),
    response: z.object({ points: z.array(z.object({ run_id: z.string(), time: z.number(), metric: z.string(), column: z.string(), value: z.number() })) }),
    handler: async ({ params, query, services }) => ({
      points: (await services.monitors.series(params.name, query)).map((p) => ({ run_id: p.run_id, time: p.time, metric: p.metric, column: p.column_name, value: p.value })),
    }),
  }),
];
