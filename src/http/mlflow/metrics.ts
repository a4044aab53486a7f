import { z } from 'zod';
import { experimentOfRun, experimentsOfRuns } from '../auth/permission-owners.js';
import { mlflowPaths, route, type Route } from '../route.js';
import { runIdOf, runRef } from './runs.js';
import { encodeMetric } from './wire.js';

const TAG = 'Metrics';
const metricOut = z.object({ key: z.string(), value: z.union([z.number(), z.string()]), timestamp: z.number(), step: z.number() });
const metricWithRunOut = metricOut.extend({ run_id: z.string() });

/** Metric history reads: paged history, and sampled series for charts. */
export const metricRoutes: Route[] = [
  route({
    method: 'GET', paths: mlflowPaths('metrics/get-history'), tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ query, services }) => experimentOfRun(services, runIdOf(query)) },
    summary: 'A metric’s full history, paged (up to 25,000 points a page)',
    query: z.object({ ...runRef, metric_key: z.string(), max_results: z.number().int().optional(), page_token: z.string().optional() }),
    response: z.object({ metrics: z.array(metricOut).optional(), next_page_token: z.string().optional() }),
    handler: async ({ query, services }) => {
      const page = await services.tracking.history.page(runIdOf(query), query.metric_key, query.max_results, query.page_token || undefined);
      return { metrics: page.metrics.map(encodeMetric), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  }),
  route({
    method: 'GET', paths: mlflowPaths('metrics/get-history-bulk-interval'), tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ query, services }) => experimentsOfRuns(services, query.run_ids) },
    summary: 'Sampled histories of one metric for up to 100 runs, keeping each run’s first and last step',
    query: z.object({
      run_ids: z.array(z.string()),
      metric_key: z.string(),
      start_step: z.number().int().optional(),
      end_step: z.number().int().optional(),
      max_results: z.number().int().optional(),
    }),
    response: z.object({ metrics: z.array(metricWithRunOut) }),
    handler: async ({ query, services }) => {
      const points = await services.tracking.history.bulkInterval({
        runIds: query.run_ids, key: query.metric_key, maxResults: query.max_results, startStep: query.start_step, endStep: query.end_step,
      });
      return { metrics: points.map((p) => ({ ...encodeMetric(p), run_id: p.runId })) };
    },
  }),
  route({
    method: 'GET', paths: mlflowPaths('metrics/get-history-bulk'), tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ query, services }) => experimentsOfRuns(services, query.run_id.slice(0, 100)) },
    summary: 'Histories of one metric for up to 100 runs (first 25,000 points each)',
    query: z.object({ run_id: z.array(z.string()), metric_key: z.string(), max_results: z.number().int().optional() }),
    response: z.object({ metrics: z.array(metricWithRunOut) }),
    handler: async ({ query, services }) => {
      const perRun = await Promise.all(
        query.run_id.slice(0, 100).map(async (runId) => {
          const page = await services.tracking.history.page(runId, query.metric_key, query.max_results, undefined);
          return page.metrics.map((m) => ({ ...encodeMetric(m), run_id: runId }));
        }),
      );
      return { metrics: perRun.flat() };
    },
  }),
];
