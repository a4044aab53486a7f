/**
 * MLflow's basic-auth permission RPCs, which `mlflow.server.get_app_client("basic-auth")` calls:
 * create, get, update and delete a user's permission on an experiment or a registered model.
 * Same paths and JSON as MLflow's auth app; the grants are cairn's (src/auth/permissions*).
 */
import { z } from 'zod';
import { LEVELS, type ResourceKind } from '../../auth/permissions.js';
import type { GrantView } from '../../auth/permissions-service.js';
import { notFound } from '../../core/errors.js';
import type { Services } from '../../services.js';
import { mlflowPaths, route, type Route } from '../route.js';
import { canonicalId, permissionsOf } from './permission-check.js';
import { resourceExists } from './permission-owners.js';

const TAG = 'Permissions';
const level = z.string().transform((v) => v.trim().toUpperCase()).pipe(z.enum(LEVELS));

interface Family {
  readonly kind: ResourceKind;
  /** The path segment: experiments or registered-models. */
  readonly segment: string;
  /** The field naming the resource: experiment_id or name. */
  readonly field: 'experiment_id' | 'name';
  /** The answer's wrapper: experiment_permission or registered_model_permission. */
  readonly wrapper: string;
}

const FAMILIES: readonly Family[] = [
  { kind: 'experiment', segment: 'experiments', field: 'experiment_id', wrapper: 'experiment_permission' },
  { kind: 'registered_model', segment: 'registered-models', field: 'name', wrapper: 'registered_model_permission' },
];

async function existing(services: Services, kind: ResourceKind, id: string): Promise<string> {
  const canonical = canonicalId(kind, id);
  if (!(await resourceExists(services, kind, canonical))) throw notFound(`No ${kind} '${id}'`);
  return canonical;
}

function encode(family: Family, g: GrantView): Record<string, unknown> {
  return { [family.wrapper]: { [family.field]: g.resourceId, user_id: g.user, permission: g.permission } };
}

function familyRoutes(f: Family): Route[] {
  const key = { [f.field]: z.string().min(1), username: z.string().min(1) } as { experiment_id: z.ZodString; username: z.ZodString } & { name: z.ZodString };
  const idOf = (input: Record<string, unknown>): string => String(input[f.field] ?? '');
  const manage = { need: 'MANAGE' as const, resources: async (i: { body: Record<string, unknown>; query: Record<string, unknown> }) => [{ kind: f.kind, id: idOf({ ...i.query, ...i.body }) }] };
  const answer = z.record(z.string(), z.unknown());
  return [
    route({
      method: 'POST', paths: mlflowPaths(`${f.segment}/permissions/create`), tag: TAG, access: 'write', permission: manage,
      summary: `Give a user a permission on ${f.kind === 'experiment' ? 'an experiment' : 'a registered model'} (MLflow basic-auth)`,
      body: z.object({ ...key, permission: level }),
      response: answer,
      handler: async ({ body, services }) => {
        const id = await existing(services, f.kind, idOf(body));
        return encode(f, await permissionsOf(services).grant(f.kind, id, body.username, body.permission));
      },
    }),
    route({
      method: 'GET', paths: mlflowPaths(`${f.segment}/permissions/get`), tag: TAG, access: 'read', permission: manage,
      summary: `A user's permission grant on ${f.kind === 'experiment' ? 'an experiment' : 'a registered model'} (MLflow basic-auth)`,
      query: z.object(key),
      response: answer,
      handler: async ({ query, services }) => {
        const id = await existing(services, f.kind, idOf(query));
        const grant = await permissionsOf(services).grantOf(f.kind, id, query.username);
        if (!grant) throw notFound(`${f.kind === 'experiment' ? 'Experiment' : 'Registered model'} permission with ${f.field}=${id} and username=${query.username} not found`);
        return encode(f, grant);
      },
    }),
    route({
      method: 'PATCH', paths: mlflowPaths(`${f.segment}/permissions/update`), tag: TAG, access: 'write', permission: manage,
      summary: `Change a user's permission grant (MLflow basic-auth)`,
      body: z.object({ ...key, permission: level }),
      response: answer,
      handler: async ({ body, services }) => {
        const id = await existing(services, f.kind, idOf(body));
        const permissions = permissionsOf(services);
        if (!(await permissions.grantOf(f.kind, id, body.username))) throw notFound(`No permission grant for '${body.username}' on ${f.kind} '${id}'`);
        await permissions.grant(f.kind, id, body.username, body.permission);
        return {};
      },
    }),
    route({
      method: 'DELETE', paths: mlflowPaths(`${f.segment}/permissions/delete`), tag: TAG, access: 'write', permission: manage,
      summary: `Remove a user's permission grant (MLflow basic-auth)`,
      body: z.object(key),
      response: answer,
      handler: async ({ body, services }) => {
        const id = await existing(services, f.kind, idOf(body));
        await permissionsOf(services).revoke(f.kind, id, body.username);
        return {};
      },
    }),
  ];
}

/** The experiment and registered-model permission RPCs of MLflow's basic-auth app. */
export const mlflowPermissionRoutes: Route[] = FAMILIES.flatMap(familyRoutes);
