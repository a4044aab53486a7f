/** The lineage graph over HTTP: neighbourhoods, impact, node lists, and edges recorded by tools. */
import { z } from 'zod';
import { LINEAGE_EDGE_KINDS } from '../../core/lineage.js';
import { visibleGraph, visibleNodes } from '../auth/permission-lineage.js';
import { resourcesOfNodes } from '../auth/permission-owners.js';
import { route, type Route } from '../route.js';
import { snakeKeys } from './snake-case.js';

const TAG = 'Lineage';
const anyObject = z.record(z.string(), z.unknown());
const edgeBody = z.object({ from: z.string(), to: z.string(), kind: z.enum(LINEAGE_EDGE_KINDS) }).strict();

/** `/api/v1/lineage`. */
export const lineageRoutes: Route[] = [
  route({
    method: 'GET', paths: ['/api/v1/lineage'], tag: TAG, access: 'read',
    permission: { filters: ['experiment', 'registered_model', 'dataset', 'deployment'] },
    summary: 'The nodes and edges upstream and/or downstream of a node, to a depth',
    query: z.object({
      node: z.string(),
      direction: z.enum(['upstream', 'downstream', 'both']).optional(),
      depth: z.number().int().optional(),
      include_ended: z.boolean().optional(),
    }),
    response: z.object({ node: z.string(), recorded: z.boolean(), nodes: z.array(anyObject), edges: z.array(anyObject) }),
    handler: async ({ query, services, request }) =>
      snakeKeys(await visibleGraph({ services, request }, await services.lineage.graph(query.node, { direction: query.direction, depth: query.depth, includeEnded: query.include_ended }))),
  }),
  route({
    method: 'GET', paths: ['/api/v1/lineage/impact'], tag: TAG, access: 'read',
    permission: { filters: ['experiment', 'registered_model', 'dataset', 'deployment'] },
    summary: 'What depends on a node now, directly or not: model versions, live deployments, logged models, runs',
    query: z.object({ node: z.string() }),
    response: z.object({ node: z.string(), model_versions: z.array(anyObject), deployments: z.array(anyObject), logged_models: z.array(anyObject), runs: z.array(anyObject) }),
    handler: async ({ query, services, request }) => {
      const impact = await services.lineage.impact(query.node);
      const visible = await visibleNodes({ services, request }, [...impact.modelVersions, ...impact.deployments, ...impact.loggedModels, ...impact.runs].map((n) => n.id));
      return snakeKeys({
        ...impact,
        modelVersions: impact.modelVersions.filter((n) => visible(n.id)),
        deployments: impact.deployments.filter((n) => visible(n.id)),
        loggedModels: impact.loggedModels.filter((n) => visible(n.id)),
        runs: impact.runs.filter((n) => visible(n.id)),
      });
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/lineage/nodes'], tag: TAG, access: 'read',
    permission: { filters: ['experiment', 'registered_model', 'dataset', 'deployment'] },
    summary: 'Recorded nodes, newest first, by type and/or id prefix',
    query: z.object({ type: z.string().optional(), prefix: z.string().optional(), max_results: z.number().int().optional() }),
    response: z.object({ nodes: z.array(anyObject) }),
    handler: async ({ query, services, request }) => {
      const nodes = await services.lineage.nodes({ type: query.type, prefix: query.prefix, limit: query.max_results });
      const visible = await visibleNodes({ services, request }, nodes.map((n) => n.id));
      return { nodes: snakeKeys(nodes.filter((n) => visible(n.id))) };
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/lineage/edges'], tag: TAG, access: 'write',
    permission: { all: [
      { need: 'READ', resources: ({ body, services }) => resourcesOfNodes(services, [body.from]) },
      { need: 'EDIT', resources: ({ body, services }) => resourcesOfNodes(services, [body.to]) },
    ] },
    summary: 'Record an edge that a tool outside cairn knows (a pipeline step read a dataset)',
    body: edgeBody,
    response: z.object({}),
    handler: async ({ body, services }) => {
      await services.lineageRecorder.record(body);
      return {};
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/lineage/edges/end'], tag: TAG, access: 'write',
    permission: { all: [
      { need: 'READ', resources: ({ body, services }) => resourcesOfNodes(services, [body.from]) },
      { need: 'EDIT', resources: ({ body, services }) => resourcesOfNodes(services, [body.to]) },
    ] },
    summary: 'Say an edge no longer holds (history keeps it; impact stops following it)',
    body: edgeBody,
    response: z.object({}),
    handler: async ({ body, services }) => {
      await services.lineageRecorder.end(body);
      return {};
    },
  }),
];
