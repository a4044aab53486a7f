import { z } from 'zod';
import { experimentNamed } from '../auth/permission-owners.js';
import { mlflowPaths, route, type Route } from '../route.js';
import { empty, encodeExperiment, experimentOut, tags } from './wire.js';

const TAG = 'Experiments';
const experimentId = z.string().min(1);

/** MLflow's experiment RPCs (create, get, get-by-name, update, delete, restore, tags). */
export const experimentRoutes: Route[] = [
  route({
    method: 'POST', paths: mlflowPaths('experiments/create'), tag: TAG, access: 'write',
    permission: { creates: 'experiment', newId: (_input, result) => (result as { experiment_id?: string }).experiment_id },
    summary: 'Create an experiment',
    body: z.object({ name: z.string(), artifact_location: z.string().optional(), tags }),
    response: z.object({ experiment_id: z.string() }),
    handler: async ({ body, services }) => ({
      experiment_id: await services.tracking.experiments.create({ name: body.name, artifactLocation: body.artifact_location, tags: body.tags }),
    }),
  }),
  route({
    method: 'GET', paths: mlflowPaths('experiments/get'), tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ query }) => query.experiment_id },
    summary: 'Get an experiment by id (deleted ones too)',
    query: z.object({ experiment_id: experimentId }),
    response: z.object({ experiment: experimentOut }),
    handler: async ({ query, services }) => ({ experiment: encodeExperiment(await services.tracking.experiments.get(query.experiment_id)) }),
  }),
  route({
    method: 'GET', paths: mlflowPaths('experiments/get-by-name'), tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ query, services }) => experimentNamed(services, query.experiment_name) },
    summary: 'Get an experiment by name (deleted ones too)',
    query: z.object({ experiment_name: z.string() }),
    response: z.object({ experiment: experimentOut }),
    handler: async ({ query, services }) => ({ experiment: encodeExperiment(await services.tracking.experiments.getByName(query.experiment_name)) }),
  }),
  route({
    method: 'POST', paths: mlflowPaths('experiments/update'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body }) => body.experiment_id },
    summary: 'Rename an experiment',
    body: z.object({ experiment_id: experimentId, new_name: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.experiments.rename(body.experiment_id, body.new_name);
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('experiments/delete'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'MANAGE', id: ({ body }) => body.experiment_id },
    summary: 'Delete an experiment and its runs (restorable)',
    body: z.object({ experiment_id: experimentId }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.experiments.delete(body.experiment_id);
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('experiments/restore'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'MANAGE', id: ({ body }) => body.experiment_id },
    summary: 'Restore a deleted experiment and its runs',
    body: z.object({ experiment_id: experimentId }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.experiments.restore(body.experiment_id);
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('experiments/set-experiment-tag'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body }) => body.experiment_id },
    summary: 'Set a tag on an experiment',
    body: z.object({ experiment_id: experimentId, key: z.string(), value: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.experiments.setTag(body.experiment_id, body.key, body.value);
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('experiments/delete-experiment-tag'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body }) => body.experiment_id },
    summary: 'Delete a tag from an experiment',
    body: z.object({ experiment_id: experimentId, key: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.experiments.deleteTag(body.experiment_id, body.key);
      return {};
    },
  }),
];
