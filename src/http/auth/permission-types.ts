/**
 * How a route declares the per-resource permission it needs, where it is registered. Every route
 * carries one; the route list refuses to load without it (routes.ts), and `authorizeRoute` checks
 * it after validation and before the handler runs.
 */
import type { Level, ResourceKind } from '../../auth/permissions.js';

type Maybe<T> = T | Promise<T>;

/**
 * The resource ids a request touches. `undefined`: the input names none that exists (the handler
 * answers 400 or 404 as it would). `null`: the target belongs to no resource (an artifact path
 * outside every experiment's location), which only admins may touch.
 */
export type ResourceIds = string | readonly string[] | undefined | null;

/** A resource of a known kind. */
export interface ResourceRef {
  readonly kind: ResourceKind;
  readonly id: string;
}

/** The route reads or changes a resource: the caller needs `need` on it (on each, when several). */
export interface ResourceCheck<I> {
  readonly on: ResourceKind;
  readonly need: Level;
  readonly id: (input: I) => Maybe<ResourceIds>;
  /** The route deletes the resource for good: its grants go with it. */
  readonly forgets?: true;
  /** The route renames the resource (keyed by name): its grants follow to the new name. */
  readonly renamesTo?: (input: I) => string | undefined;
}

/** The route touches several resources, possibly of different kinds; each must allow `need`. */
export interface ResourcesCheck<I> {
  readonly need: Level;
  readonly resources: (input: I) => Promise<readonly ResourceRef[] | null>;
}

/**
 * The route creates a top-level resource: the caller needs role member (the route's `access`), and
 * receives MANAGE on it once the handler succeeded. `newId` reads the new resource's id from the
 * input or the handler's answer. With `existing`, a route that may also update a resource of that
 * name needs EDIT on it when it exists, and grants nothing.
 */
export interface CreatesResource<I> {
  readonly creates: ResourceKind;
  readonly newId: (input: I, result: unknown) => string | undefined;
  readonly existing?: (input: I) => Promise<boolean>;
  /** Other resources the creation reads (a deployment reads its registered model). */
  readonly also?: readonly ResourceCheck<I>[];
}

/** The route lists or searches: its handler keeps only what the caller may read (see `readableBy`). */
export interface FiltersResults {
  readonly filters: ResourceKind | readonly ResourceKind[];
}

/** The route touches no resource; the reason says why, and the role check (`access`) is all it needs. */
export interface NoResource {
  readonly none: string;
}

/** What a route declares. */
export type RoutePermission<I = never> =
  | NoResource
  | FiltersResults
  | ResourceCheck<I>
  | ResourcesCheck<I>
  | CreatesResource<I>
  | { readonly all: readonly (ResourceCheck<I> | ResourcesCheck<I>)[] };

/** Whether a value is a permission declaration of a known form (checked at start-up). */
export function isRoutePermission(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const p = value as Record<string, unknown>;
  if (typeof p['none'] === 'string') return p['none'].trim().length > 0;
  if ('filters' in p) return typeof p['filters'] === 'string' || Array.isArray(p['filters']);
  if ('creates' in p) return typeof p['creates'] === 'string' && typeof p['newId'] === 'function';
  if ('all' in p) return Array.isArray(p['all']) && p['all'].length > 0 && p['all'].every(isRoutePermission);
  if ('resources' in p) return typeof p['resources'] === 'function' && typeof p['need'] === 'string';
  return typeof p['on'] === 'string' && typeof p['need'] === 'string' && typeof p['id'] === 'function';
}
