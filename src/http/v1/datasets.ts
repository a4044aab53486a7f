/** The dataset registry over HTTP: datasets, versions with files and profiles, and diffs. */
import { z } from 'zod';
import { lineageNode } from '../../core/lineage.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth/principal.js';
import { readableBy } from '../auth/permission-check.js';
import { resourceExists } from '../auth/permission-owners.js';
import { route, type Route } from '../route.js';
import { snakeKeys } from './snake-case.js';

const TAG = 'Datasets';
const anyObject = z.record(z.string(), z.unknown());
const nameParam = z.object({ name: z.string().min(1) });

/** The runs that used a dataset version, newest link first, from the lineage graph. */
async function runsUsing(services: Services, name: string, digest: string): Promise<{ run_id: string; linked_at: number }[]> {
  const graph = await services.lineage.graph(lineageNode.dataset(name, digest), { direction: 'downstream', depth: 1 });
  return graph.edges
    .filter((e) => e.kind === 'input' && e.to.startsWith('run:'))
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((e) => ({ run_id: e.to.slice('run:'.length), linked_at: e.createdAt }));
}

/** `/api/v1/datasets`: list, create, register versions, read profiles, diff. */
export const datasetRoutes: Route[] = [
  route({
    method: 'GET', paths: ['/api/v1/datasets'], tag: TAG, access: 'read',
    permission: { filters: 'dataset' },
    summary: 'List datasets by name, with their version count and newest version',
    query: z.object({ prefix: z.string().optional(), max_results: z.number().int().optional(), page_token: z.string().optional() }),
    response: z.object({ datasets: z.array(anyObject), next_page_token: z.string().optional() }),
    handler: async ({ query, services, request }) => {
      const page = await services.datasets.registry.list({ readable: await readableBy({ services, request }, 'dataset'), prefix: query.prefix, maxResults: query.max_results, pageToken: query.page_token || undefined });
      return { datasets: snakeKeys(page.datasets), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/datasets'], tag: TAG, access: 'write',
    permission: { creates: 'dataset', newId: ({ body }) => body.name, existing: ({ body, services }) => resourceExists(services, 'dataset', body.name) },
    summary: 'Create a dataset, or change its description',
    body: z.object({ name: z.string(), description: z.string().optional() }).strict(),
    response: z.object({ dataset: anyObject }),
    handler: async ({ body, services }) => ({ dataset: snakeKeys(await services.datasets.registry.create(body.name, body.description)) }),
  }),
  route({
    method: 'GET', paths: ['/api/v1/datasets/:name'], tag: TAG, access: 'read',
    permission: { on: 'dataset', need: 'READ', id: ({ params }) => params.name },
    summary: 'Get a dataset and its versions, newest first',
    params: nameParam,
    response: z.object({ dataset: anyObject, versions: z.array(anyObject) }),
    handler: async ({ params, services }) => {
      const found = await services.datasets.registry.get(params.name);
      return { dataset: snakeKeys(found.dataset), versions: found.versions.map((v) => snakeKeys({ ...v, lineageNode: lineageNode.dataset(v.name, v.digest) })) };
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/datasets/:name/versions'], tag: TAG, access: 'write', audit: 'after',
    permission: { creates: 'dataset', newId: ({ params }) => params.name, existing: ({ params, services }) => resourceExists(services, 'dataset', params.name) },
    summary: 'Register a version: a data object pushed to this server (profiled with DuckDB), or a digest naming data elsewhere',
    params: nameParam,
    body: z.object({
      object: z.string().optional(), path: z.string().min(1).optional(), digest: z.string().optional(),
      source: z.string().optional(), source_type: z.string().optional(), git_commit: z.string().optional(), description: z.string().optional(),
      size_bytes: z.number().int().nonnegative().optional(), file_count: z.number().int().nonnegative().optional(),
      created_by: z.string().min(1).max(256).optional(),
    }).strict(),
    response: z.object({ version: anyObject }),
    handler: async ({ params, body, services, request, reply }) => {
      const principal = principalOf(request);
      const version = await services.datasets.registry.register(params.name, {
        object: body.object, path: body.path, digest: body.digest, source: body.source, sourceType: body.source_type, gitCommit: body.git_commit,
        description: body.description, sizeBytes: body.size_bytes, fileCount: body.file_count,
        // A signed-in user is the creator; only a server without authentication takes the caller's word for it.
        createdBy: principal.kind === 'user' ? principal.name : principal.kind === 'anonymous' && !principal.authEnabled ? body.created_by : undefined,
      });
      void reply.code(201);
      return { version: snakeKeys({ ...version, lineageNode: lineageNode.dataset(version.name, version.digest) }) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/datasets/:name/versions/:ref'], tag: TAG, access: 'read', audit: 'read',
    permission: { on: 'dataset', need: 'READ', id: ({ params }) => params.name },
    summary: 'Get a version (by number or digest) with its files, table profiles and the runs that used it',
    params: z.object({ name: z.string().min(1), ref: z.string().min(1) }),
    response: z.object({ version: anyObject, runs: z.array(z.object({ run_id: z.string(), linked_at: z.number() })) }),
    handler: async ({ params, services }) => {
      const version = await services.datasets.registry.version(params.name, params.ref);
      return { version: snakeKeys({ ...version, lineageNode: lineageNode.dataset(version.name, version.digest) }), runs: await runsUsing(services, version.name, version.digest) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/datasets/:name/diff'], tag: TAG, access: 'read',
    permission: { on: 'dataset', need: 'READ', id: ({ params, query }) => [params.name, query.to_dataset ?? params.name] },
    summary: 'Compare two versions: files added, removed and changed; schema changes and column statistic shifts of tables',
    params: nameParam,
    query: z.object({ from: z.string().min(1), to: z.string().min(1), to_dataset: z.string().optional() }),
    response: anyObject,
    handler: async ({ params, query, services }) => snakeKeys(await services.datasets.registry.diff(params.name, query.from, query.to, query.to_dataset ?? params.name)),
  }),
];
