import { z } from 'zod';
import { readableBy, readableTest } from '../auth/permission-check.js';
import { mlflowPaths, route, type Route } from '../route.js';
import { encodeExperiment, encodeRun, experimentOut, runOut } from './wire.js';

const TAG = 'Search';
const viewType = z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']);

const experimentsQuery = z.object({
  max_results: z.number().int().optional(),
  page_token: z.string().optional(),
  filter: z.string().optional(),
  order_by: z.array(z.string()).optional(),
  view_type: viewType.optional(),
});

const experimentsResponse = z.object({ experiments: z.array(experimentOut).optional(), next_page_token: z.string().optional() });

async function searchExperiments(input: Parameters<Route['handler']>[0], q: z.output<typeof experimentsQuery>) {
  const { services } = input;
  const page = await services.tracking.search.experimentsPage({
    readable: await readableBy(input, 'experiment'),
    filter: q.filter, viewType: q.view_type, maxResults: q.max_results ?? 1000, orderBy: q.order_by, pageToken: q.page_token || undefined,
  });
  return { experiments: page.items.map(encodeExperiment), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
}

/** search_experiments (POST and GET forms) and search_runs with MLflow's filter grammar. */
export const searchRoutes: Route[] = [
  route({
    method: 'POST', paths: mlflowPaths('experiments/search'), tag: TAG, access: 'read', audit: 'none',
    permission: { filters: 'experiment' },
    summary: 'Search experiments by filter, with ordering and paging',
    body: experimentsQuery,
    response: experimentsResponse,
    handler: (input) => searchExperiments(input, input.body),
  }),
  route({
    method: 'GET', paths: mlflowPaths('experiments/search'), tag: TAG, access: 'read',
    permission: { filters: 'experiment' },
    summary: 'Search experiments by filter (query-string form)',
    query: experimentsQuery,
    response: experimentsResponse,
    handler: (input) => searchExperiments(input, input.query),
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/search'), tag: TAG, access: 'read', audit: 'none',
    permission: { filters: 'experiment' },
    summary: 'Search runs in experiments by metrics, params, tags and attributes',
    body: z.object({
      experiment_ids: z.array(z.string()).default([]),
      filter: z.string().optional(),
      run_view_type: viewType.optional(),
      max_results: z.number().int().optional(),
      order_by: z.array(z.string()).optional(),
      page_token: z.string().optional(),
    }),
    response: z.object({ runs: z.array(runOut).optional(), next_page_token: z.string().optional() }),
    handler: async ({ body, services, request }) => {
      const readable = await readableTest({ services, request }, 'experiment');
      const page = await services.tracking.search.runsPage({
        // Experiments the caller may not read are dropped, as if not asked for.
        experimentIds: body.experiment_ids.filter(readable), filter: body.filter, runViewType: body.run_view_type, maxResults: body.max_results ?? 1000,
        orderBy: body.order_by, pageToken: body.page_token || undefined,
      });
      return { runs: page.items.map(encodeRun), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  }),
];
