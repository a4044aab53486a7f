import { z } from 'zod';
import { RUN_STATUSES } from '../../tracking/index.js';
import { experimentOfRun } from '../auth/permission-owners.js';
import { mlflowPaths, route, type Route } from '../route.js';
import { empty, encodeRun, encodeRunInfo, int64, runInfoOut, runOut, tags } from './wire.js';

const TAG = 'Runs';
/** MLflow's client sends both run_id and the older run_uuid; either names the run. */
const runRef = { run_id: z.string().optional(), run_uuid: z.string().optional() };
const runIdOf = (r: { run_id?: string | undefined; run_uuid?: string | undefined }): string => r.run_id || r.run_uuid || '';
const requireRun = <T extends { run_id?: string | undefined; run_uuid?: string | undefined }>(schema: z.ZodType<T>) =>
  schema.refine((r) => Boolean(runIdOf(r)), { message: "Missing value for required parameter 'run_id'.", path: ['run_id'] });

/** MLflow's run RPCs: create, get, update, delete, restore, tags. */
export const runRoutes: Route[] = [
  route({
    method: 'POST', paths: mlflowPaths('runs/create'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body }) => body.experiment_id || '0' },
    summary: 'Start a run',
    body: z.object({ experiment_id: z.string().optional(), user_id: z.string().optional(), run_name: z.string().optional(), start_time: int64.optional(), tags }),
    response: z.object({ run: runOut }),
    handler: async ({ body, services }) => ({
      run: encodeRun(await services.tracking.runs.create({
        experimentId: body.experiment_id, userId: body.user_id, runName: body.run_name, startTime: body.start_time, tags: body.tags,
      })),
    }),
  }),
  route({
    method: 'GET', paths: mlflowPaths('runs/get'), tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ query, services }) => experimentOfRun(services, runIdOf(query)) },
    summary: 'Get a run with its metrics, params, tags, inputs and outputs',
    query: requireRun(z.object(runRef)) as unknown as z.ZodObject<typeof runRef>,
    response: z.object({ run: runOut }),
    handler: async ({ query, services }) => ({ run: encodeRun(await services.tracking.runs.get(runIdOf(query))) }),
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/update'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentOfRun(services, runIdOf(body)) },
    summary: 'Update a run’s status, end time or name',
    body: z.object({ ...runRef, status: z.enum(RUN_STATUSES).optional(), end_time: int64.optional(), run_name: z.string().optional() }),
    response: z.object({ run_info: runInfoOut }),
    handler: async ({ body, services }) => ({
      run_info: encodeRunInfo(await services.tracking.runs.update(runIdOf(body), { status: body.status, endTime: body.end_time, runName: body.run_name })),
    }),
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/delete'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'MANAGE', id: ({ body, services }) => experimentOfRun(services, runIdOf(body)) },
    summary: 'Delete a run (restorable)',
    body: z.object({ run_id: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.runs.delete(body.run_id);
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/restore'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'MANAGE', id: ({ body, services }) => experimentOfRun(services, runIdOf(body)) },
    summary: 'Restore a deleted run',
    body: z.object({ run_id: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.runs.restore(body.run_id);
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/set-tag'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentOfRun(services, runIdOf(body)) },
    summary: 'Set a tag on a run',
    body: z.object({ ...runRef, key: z.string(), value: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.runs.setTag(runIdOf(body), body.key, body.value);
      return {};
    },
  }),
  route({
    method: 'POST', paths: mlflowPaths('runs/delete-tag'), tag: TAG, access: 'write',
    permission: { on: 'experiment', need: 'EDIT', id: ({ body, services }) => experimentOfRun(services, runIdOf(body)) },
    summary: 'Delete a tag from a run',
    body: z.object({ run_id: z.string(), key: z.string() }),
    response: empty,
    handler: async ({ body, services }) => {
      await services.tracking.runs.deleteTag(body.run_id, body.key);
      return {};
    },
  }),
];

export { runIdOf, runRef };
