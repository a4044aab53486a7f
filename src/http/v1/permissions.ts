/** /api/v1/permissions: who holds which level on a resource; set and remove grants (MANAGE on the resource, or admin). */
import { z } from 'zod';
import { LEVELS, RESOURCE_KINDS, type ResourceKind } from '../../auth/permissions.js';
import type { GrantView } from '../../auth/permissions-service.js';
import { notFound } from '../../core/errors.js';
import type { Services } from '../../services.js';
import { canonicalId, permissionsOf } from '../auth/permission-check.js';
import { resourceExists } from '../auth/permission-owners.js';
import { principalOf } from '../auth/principal.js';
import { route, type Route } from '../route.js';

const TAG = 'Permissions';
const kind = z.enum(RESOURCE_KINDS);
const level = z.string().transform((v) => v.trim().toUpperCase()).pipe(z.enum(LEVELS));
const resource = { resource_type: kind, resource_id: z.string().min(1) };
const grantOut = z.object({ resource_type: kind, resource_id: z.string(), user: z.string(), permission: z.enum(LEVELS), updated_at: z.number(), updated_by: z.string().nullable() });

/** The resource a grant route names, checked to exist (grants on nothing would wait for a namesake). */
async function existing(services: Services, type: ResourceKind, id: string): Promise<string> {
  const canonical = canonicalId(type, id);
  if (!(await resourceExists(services, type, canonical))) throw notFound(`No ${type} '${id}'`);
  return canonical;
}

/** A grant as the API answers it. */
export function encodeGrant(g: GrantView): z.infer<typeof grantOut> {
  return { resource_type: g.resourceType, resource_id: g.resourceId, user: g.user, permission: g.permission, updated_at: g.updatedAt, updated_by: g.updatedBy };
}

export const permissionRoutes: Route[] = [
  route({
    method: 'GET', paths: ['/api/v1/permissions'], tag: TAG, access: 'read',
    permission: { need: 'MANAGE', resources: async ({ query }) => [{ kind: query.resource_type, id: query.resource_id }] },
    summary: 'The grants on a resource (users without one have the server default), with the default itself',
    query: z.object(resource),
    response: z.object({ default_permission: z.enum(LEVELS), grants: z.array(grantOut) }),
    handler: async ({ query, services }) => {
      const id = await existing(services, query.resource_type, query.resource_id);
      const permissions = permissionsOf(services);
      return { default_permission: permissions.defaultLevel, grants: (await permissions.list({ kind: query.resource_type, id })).map(encodeGrant) };
    },
  }),
  route({
    method: 'PUT', paths: ['/api/v1/permissions'], tag: TAG, access: 'write',
    permission: { need: 'MANAGE', resources: async ({ body }) => [{ kind: body.resource_type, id: body.resource_id }] },
    summary: "Set a user's permission on a resource: NONE, READ, EDIT or MANAGE (their role still caps it)",
    body: z.object({ ...resource, user: z.string().min(1), permission: level }).strict(),
    response: z.object({ grant: grantOut }),
    handler: async ({ body, services, request }) => {
      const id = await existing(services, body.resource_type, body.resource_id);
      const by = principalOf(request);
      const grant = await permissionsOf(services).grant(body.resource_type, id, body.user, body.permission, by.kind === 'user' ? by.name : undefined);
      return { grant: encodeGrant(grant) };
    },
  }),
  route({
    method: 'DELETE', paths: ['/api/v1/permissions'], tag: TAG, access: 'write',
    permission: { need: 'MANAGE', resources: async ({ body }) => [{ kind: body.resource_type, id: body.resource_id }] },
    summary: "Remove a user's grant on a resource: they fall back to the server default",
    body: z.object({ ...resource, user: z.string().min(1) }).strict(),
    response: z.object({}),
    handler: async ({ body, services }) => {
      const id = await existing(services, body.resource_type, body.resource_id);
      await permissionsOf(services).revoke(body.resource_type, id, body.user);
      return {};
    },
  }),
];
