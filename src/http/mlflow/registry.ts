import { z } from 'zod';
import type { Services } from '../../services.js';
import { readableBy } from '../auth/permission-check.js';
import { mlflowPaths, route, type Route, type RouteInput } from '../route.js';
import { modelVersionRoutes } from './registry-versions.js';
import { encodeModelVersion, encodeRegisteredModel, modelVersionOut, registeredModelOut, searchQuery, versionField } from './registry-wire.js';
import { empty, tags } from './wire.js';

const TAG = 'Model registry';
const modelName = z.object({ name: z.string() });
const modelResponse = z.object({ registered_model: registeredModelOut });
const latestQuery = z.object({ name: z.string(), stages: z.array(z.string()).default([]) });
const latestResponse = z.object({ model_versions: z.array(modelVersionOut).optional() });
const searchResponse = z.object({ registered_models: z.array(registeredModelOut).optional(), next_page_token: z.string().optional() });

async function searchModels(input: RouteInput<unknown, unknown, unknown>, q: z.output<typeof searchQuery>) {
  const { services } = input;
  const page = await services.registry.models.search({ readable: await readableBy(input, 'registered_model'), filter: q.filter, maxResults: q.max_results, orderBy: q.order_by, pageToken: q.page_token || undefined });
  const models = page.models.map(encodeRegisteredModel);
  return { ...(models.length > 0 ? { registered_models: models } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
}

async function latestVersions(services: Services, q: z.output<typeof latestQuery>) {
  const versions = (await services.registry.versions.latest(q.name, q.stages)).map(encodeModelVersion);
  return versions.length > 0 ? { model_versions: versions } : {};
}

/** MLflow's registered-model RPCs: create, get, rename, update, delete, search, latest versions, tags, aliases. */
const registeredModelRoutes: Route[] = [
  route({
    method: 'POST', paths: mlflowPaths('registered-models/create'), tag: TAG, access: 'write',
    permission: { creates: 'registered_model', newId: ({ body }) => body.name },
    summary: 'Create a registered model (or prompt)',
    body: z.object({ name: z.string(), tags, description: z.string().optional(), deployment_job_id: z.string().optional() }),
    response: modelResponse,
    handler: async ({ body, services }) => ({
      registered_model: encodeRegisteredModel(await services.registry.models.create({ name: body.name, description: body.description, tags: body.tags })),
    }),
  }),
  route({
    method: 'GET', paths: mlflowPaths('registered-models/get'), tag: TAG, access: 'read',
    permission: { on: 'registered_model', need: 'READ', id: ({ query }) => query.name },
    summary: 'Get a registered model with its latest versions, tags and aliases',
    query: modelName,
    response: modelResponse,
    handler: async ({ query, services }) => ({ registered_model: encodeRegisteredModel(await services.registry.models.get(query.name)) }),
  }),
  route({
    method: 'POST', paths: mlflowPaths('registered-models/rename'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name, renamesTo: ({ body }) => body.new_name },
    summary: 'Rename a registered model; versions, tags and aliases follow',
    body: z.object({ name: z.string(), new_name: z.string().optional() }),
    response: modelResponse,
    handler: async ({ body, services }) => ({ registered_model: encodeRegisteredModel(await services.registry.models.rename(body.name, body.new_name)) }),
  }),
  route({
    method: 'PATCH', paths: mlflowPaths('registered-models/update'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name },
    summary: 'Change a registered model’s description',
    body: z.object({ name: z.string(), description: z.string().optional(), deployment_job_id: z.string().optional() }),
    response: modelResponse,
    handler: async ({ body, services }) => ({ registered_model: encodeRegisteredModel(await services.registry.models.update(body.name, body.description)) }),
  }),
  route({
    method: 'DELETE', paths: mlflowPaths('registered-models/delete'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'MANAGE', id: ({ body }) => body.name, forgets: true },
    summary: 'Delete a registered model with its versions, tags and aliases',
    body: modelName,
    response: empty,
    handler: async ({ body, services }) => {
      await services.registry.models.delete(body.name);
      return {};
    },
  }),
  route({
    method: 'GET', paths: mlflowPaths('registered-models/search'), tag: TAG, access: 'read',
    permission: { filters: 'registered_model' },
    summary: 'Search registered models by name and tags (prompts excluded unless asked for)',
    query: searchQuery,
    response: searchResponse,
    handler: (input) => searchModels(input, input.query),
  }),
  route({
    method: 'POST', paths: mlflowPaths('registered-models/search'), tag: TAG, access: 'read', audit: 'none',
    permission: { filters: 'registered_model' },
    summary: 'Search registered models (JSON body form)',
    body: searchQuery,
    response: searchResponse,
    handler: (input) => searchModels(input, input.body),
  }),
  route({
    method: 'POST', paths: mlflowPaths('registered-models/get-latest-versions'), tag: TAG, access: 'read', audit: 'none',
    permission: { on: 'registered_model', need: 'READ', id: ({ body }) => body.name },
    summary: 'The latest version in each stage (or in the stages named)',
    body: latestQuery,
    response: latestResponse,
    handler: ({ body, services }) => latestVersions(services, body),
  }),
  route({
    method: 'GET', paths: mlflowPaths('registered-models/get-latest-versions'), tag: TAG, access: 'read',
    permission: { on: 'registered_model', need: 'READ', id: ({ query }) => query.name },
    summary: 'The latest version in each stage (query-string form)',
    query: latestQuery,
    response: latestResponse,
    handler: ({ query, services }) => latestVersions(services, query),
  }),
  route({
    method: 'POST', paths: mlflowPaths('registered-models/set-tag'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name },
    summary: 'Set a tag on a registered model',
    body: z.object({ name: z.string(), key: z.string(), value: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.registry.models.setTag(body.name, body.key, body.value);
      return {};
    },
  }),
  route({
    method: 'DELETE', paths: mlflowPaths('registered-models/delete-tag'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name },
    summary: 'Delete a tag from a registered model',
    body: z.object({ name: z.string(), key: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.registry.models.deleteTag(body.name, body.key);
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('registered-models/alias'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name },
    summary: 'Point an alias at a model version',
    body: z.object({ name: z.string(), alias: z.string(), version: versionField }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.registry.aliases.set(body.name, body.alias, body.version);
      return {};
    },
  }),
  route({
    method: 'DELETE', paths: mlflowPaths('registered-models/alias'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name },
    summary: 'Delete an alias',
    body: z.object({ name: z.string(), alias: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.registry.aliases.delete(body.name, body.alias);
      return {};
    },
  }),
  route({
    method: 'GET', paths: mlflowPaths('registered-models/alias'), tag: TAG, access: 'read',
    permission: { on: 'registered_model', need: 'READ', id: ({ query }) => query.name },
    summary: 'The version an alias names (`latest` is the newest version)',
    query: z.object({ name: z.string(), alias: z.string() }),
    response: z.object({ model_version: modelVersionOut }),
    handler: async ({ query, services }) => ({ model_version: encodeModelVersion(await services.registry.aliases.resolve(query.name, query.alias)) }),
  }),
];

/** Every model-registry route: registered models, aliases and model versions. */
export const registryRoutes: Route[] = [...registeredModelRoutes, ...modelVersionRoutes];
