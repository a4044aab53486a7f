import { z } from 'zod';
import { readableBy } from '../auth/permission-check.js';
import { resourcesReadBySource } from '../auth/permission-owners.js';
import { mlflowPaths, route, type Route, type RouteInput } from '../route.js';
import { encodeModelVersion, modelVersionOut, searchQuery, versionField } from './registry-wire.js';
import { empty, tags } from './wire.js';

const TAG = 'Model registry';
const versionKey = z.object({ name: z.string(), version: versionField });
const versionResponse = z.object({ model_version: modelVersionOut });
const searchResponse = z.object({ model_versions: z.array(modelVersionOut).optional(), next_page_token: z.string().optional() });

async function searchVersions(input: RouteInput<unknown, unknown, unknown>, q: z.output<typeof searchQuery>) {
  const { services } = input;
  const page = await services.registry.versions.search({ readable: await readableBy(input, 'registered_model'), filter: q.filter, maxResults: q.max_results, orderBy: q.order_by, pageToken: q.page_token || undefined });
  const versions = page.versions.map(encodeModelVersion);
  return { ...(versions.length > 0 ? { model_versions: versions } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
}

/** MLflow's model-version RPCs: create, get, update, stage, delete, search, download URI, tags. */
export const modelVersionRoutes: Route[] = [
  route({
    method: 'POST', paths: mlflowPaths('model-versions/create'), tag: TAG, access: 'write',
    permission: {
      all: [
        { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name },
        { need: 'READ', resources: ({ body, services }) => resourcesReadBySource(services, body.source, body.run_id) },
      ],
    },
    summary: 'Register a new version of a model from a logged model, another version, a run or a proxied path',
    body: z.object({
      name: z.string(),
      source: z.string(),
      run_id: z.string().optional(),
      tags,
      run_link: z.string().optional(),
      description: z.string().optional(),
      model_id: z.string().optional(),
    }),
    response: versionResponse,
    handler: async ({ body, services }) => ({
      model_version: encodeModelVersion(await services.registry.versions.create({
        name: body.name, source: body.source, runId: body.run_id, runLink: body.run_link, description: body.description, modelId: body.model_id, tags: body.tags,
      })),
    }),
  }),
  route({
    method: 'GET', paths: mlflowPaths('model-versions/get'), tag: TAG, access: 'read',
    permission: { on: 'registered_model', need: 'READ', id: ({ query }) => query.name },
    summary: 'Get a model version',
    query: versionKey,
    response: versionResponse,
    handler: async ({ query, services }) => ({ model_version: encodeModelVersion(await services.registry.versions.get(query.name, query.version)) }),
  }),
  route({
    method: 'PATCH', paths: mlflowPaths('model-versions/update'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name },
    summary: 'Change a model version’s description',
    body: z.object({ name: z.string(), version: versionField, description: z.string().optional() }),
    response: versionResponse,
    handler: async ({ body, services }) => ({
      model_version: encodeModelVersion(await services.registry.versions.update(body.name, body.version, body.description)),
    }),
  }),
  route({
    method: 'POST', paths: mlflowPaths('model-versions/transition-stage'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name },
    summary: 'Move a version to None, Staging, Production or Archived',
    body: z.object({ name: z.string(), version: versionField, stage: z.string(), archive_existing_versions: z.boolean().default(false) }),
    response: versionResponse,
    handler: async ({ body, services }) => ({
      model_version: encodeModelVersion(await services.registry.versions.transitionStage(body.name, body.version, body.stage, body.archive_existing_versions)),
    }),
  }),
  route({
    method: 'DELETE', paths: mlflowPaths('model-versions/delete'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'MANAGE', id: ({ body }) => body.name },
    summary: 'Delete a model version (its number is never reused)',
    body: versionKey,
    response: empty,
    handler: async ({ body, services }) => {
      await services.registry.versions.delete(body.name, body.version);
      return {};
    },
  }),
  route({
    method: 'GET', paths: mlflowPaths('model-versions/search'), tag: TAG, access: 'read',
    permission: { filters: 'registered_model' },
    summary: 'Search model versions by name, run, source and tags',
    query: searchQuery,
    response: searchResponse,
    handler: (input) => searchVersions(input, input.query),
  }),
  route({
    method: 'POST', paths: mlflowPaths('model-versions/search'), tag: TAG, access: 'read', audit: 'none',
    permission: { filters: 'registered_model' },
    summary: 'Search model versions (JSON body form)',
    body: searchQuery,
    response: searchResponse,
    handler: (input) => searchVersions(input, input.body),
  }),
  route({
    method: 'GET', paths: mlflowPaths('model-versions/get-download-uri'), tag: TAG, access: 'read',
    permission: { on: 'registered_model', need: 'READ', id: ({ query }) => query.name },
    summary: 'Where a version’s files are, for models:/ loads',
    query: versionKey,
    response: z.object({ artifact_uri: z.string() }),
    handler: async ({ query, services }) => ({ artifact_uri: await services.registry.versions.downloadUri(query.name, query.version) }),
  }),
  route({
    method: 'POST', paths: mlflowPaths('model-versions/set-tag'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name },
    summary: 'Set a tag on a model version',
    body: z.object({ name: z.string(), version: versionField, key: z.string(), value: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.registry.versions.setTag(body.name, body.version, body.key, body.value);
      return {};
    },
  }),
  route({
    method: 'DELETE', paths: mlflowPaths('model-versions/delete-tag'), tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: ({ body }) => body.name },
    summary: 'Delete a tag from a model version',
    body: z.object({ name: z.string(), version: versionField, key: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.registry.versions.deleteTag(body.name, body.version, body.key);
      return {};
    },
  }),
];
