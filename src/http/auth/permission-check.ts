/**
 * The per-resource permission check every route passes after validation and before its handler,
 * the grant changes that follow a successful handler (creator MANAGE, deletion, rename), and the
 * read filters search handlers apply.
 *
 * Order: resolve the resources the input names; unknown ones are left to the handler (its 404 or
 * 400, as MLflow answers); a caller short of the level gets 403 only when the resource exists,
 * so a 403 never confirms a name that a 404 would not.
 */
import type { FastifyRequest } from 'fastify';
import { atLeast, canonicalId, readableHas, type Level, type Readable, type ResourceKind } from '../../auth/permissions.js';

export { canonicalId };
import { unrestricted, type Permissions } from '../../auth/permissions-service.js';
import type { Principal } from '../../auth/roles.js';
import { CairnError } from '../../core/errors.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';
import { resourceExists } from './permission-owners.js';
import type { ResourceCheck, ResourceIds, ResourceRef, RoutePermission } from './permission-types.js';
import { principalOf } from './principal.js';

type AnyInput = Parameters<Route['handler']>[0];
type AnyPermission = RoutePermission<AnyInput>;

/** Create routes whose name already existed: they update, and grant nothing. */
const updatesExisting = new WeakSet<FastifyRequest>();

/** The server's permissions capability (built once, in the composition root). */
export function permissionsOf(services: Services): Permissions {
  return services.permissions;
}

function who(principal: Principal): string {
  if (principal.kind === 'user') return `user '${principal.name}' (role ${principal.role})`;
  return principal.kind === 'bootstrap' ? 'the bootstrap token' : 'an anonymous caller';
}

function denied(need: Level, what: string, principal: Principal, held: Level): CairnError {
  return new CairnError('PERMISSION_DENIED', `Permission denied: this request needs the ${need} permission on ${what}; ${who(principal)} has ${held}`);
}

/** Check `need` on every resource named; unknown resources are left to the handler. */
async function requireOn(input: AnyInput, refs: readonly ResourceRef[] | null, need: Level, ownerless: string): Promise<void> {
  const principal = principalOf(input.request);
  const permissions = permissionsOf(input.services);
  if (refs === null) {
    if (unrestricted(principal)) return;
    throw new CairnError('PERMISSION_DENIED', `Permission denied: this request needs the ${need} permission on ${ownerless}, which belongs to no resource; only admins may touch it, and ${who(principal)} is not one`);
  }
  for (const raw of refs) {
    const ref = { kind: raw.kind, id: canonicalId(raw.kind, raw.id) };
    const held = await permissions.levelOn(principal, ref.kind, [ref.id]);
    if (atLeast(held, need)) continue;
    if (!(await resourceExists(input.services, ref.kind, ref.id))) continue;
    throw denied(need, `${ref.kind} '${ref.id}'`, principal, held);
  }
}

function refsOf(kind: ResourceKind, ids: ResourceIds): readonly ResourceRef[] | null {
  if (ids === null) return null;
  if (ids === undefined) return [];
  return (typeof ids === 'string' ? [ids] : ids).map((id) => ({ kind, id: canonicalId(kind, id) }));
}

async function checkResource(input: AnyInput, check: ResourceCheck<AnyInput>): Promise<void> {
  await requireOn(input, refsOf(check.on, await check.id(input)), check.need, check.on === 'experiment' ? 'this artifact path' : `this ${check.on}`);
}

/**
 * Whether the caller may do what the route asks with these inputs: 403 PERMISSION_DENIED naming the
 * permission, the resource and the user when not. Call after validation, before the handler.
 */
export async function authorizeRoute(route: Route, input: AnyInput): Promise<void> {
  const p = route.permission as AnyPermission;
  if ('none' in p || 'filters' in p) return;
  if ('all' in p) {
    for (const check of p.all) {
      if ('resources' in check) await requireOn(input, await check.resources(input), check.need, 'this target');
      else await checkResource(input, check);
    }
    return;
  }
  if ('resources' in p) {
    await requireOn(input, await p.resources(input), p.need, 'this target');
    return;
  }
  if ('creates' in p) {
    for (const check of p.also ?? []) await checkResource(input, check);
    if (p.existing && (await p.existing(input))) {
      updatesExisting.add(input.request);
      const id = p.newId(input, undefined);
      if (id !== undefined) await requireOn(input, [{ kind: p.creates, id }], 'EDIT', p.creates);
    }
    return;
  }
  await checkResource(input, p);
}

/** What a successful handler changes in the grants: the creator's MANAGE, a deletion, a rename. */
async function applyGrantChanges(p: AnyPermission, input: AnyInput, result: unknown): Promise<void> {
  const permissions = permissionsOf(input.services);
  if ('creates' in p) {
    const id = p.newId(input, result);
    if (id !== undefined && !updatesExisting.has(input.request)) await permissions.grantCreator(principalOf(input.request), p.creates, id);
    return;
  }
  if (!('on' in p)) return;
  const ids = await p.id(input);
  if (typeof ids !== 'string') return;
  if (p.forgets) await permissions.forget(p.on, ids);
  const renamed = p.renamesTo?.(input);
  if (renamed !== undefined) await permissions.rename(p.on, ids, renamed);
}

/**
 * The route with its handler followed by the grant changes it declares, inside the same request
 * (and so inside the request's unit of work when one is open). Routes without changes come back as they are.
 */
export function withGrantChanges(route: Route): Route {
  const p = route.permission as AnyPermission;
  const changes = 'creates' in p || ('on' in p && (p.forgets === true || p.renamesTo !== undefined));
  if (!changes) return route;
  const handler = route.handler as (input: AnyInput) => unknown;
  return {
    ...route,
    handler: async function handleThenUpdateGrants(input: AnyInput) {
      const result = await handler(input);
      await applyGrantChanges(p, input, result);
      return result;
    },
  } as Route;
}

/** Which ids of a kind the caller may read, for a search or list to filter by. */
export function readableBy(input: { request: FastifyRequest; services: Services }, kind: ResourceKind): Promise<Readable> {
  return permissionsOf(input.services).readable(principalOf(input.request), kind);
}

/** A test for one id at a time, for lists that are filtered after reading (short lists, graphs). */
export async function readableTest(input: { request: FastifyRequest; services: Services }, kind: ResourceKind): Promise<(id: string) => boolean> {
  const readable = await readableBy(input, kind);
  return (id) => readableHas(readable, canonicalId(kind, id));
}
