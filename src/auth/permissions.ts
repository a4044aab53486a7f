/**
 * Per-resource permissions: the levels, the resource kinds they apply to, and how a user's role,
 * grant and the server's default combine into what they may do on one resource.
 */
import { invalid } from '../core/errors.js';
import type { Role } from './roles.js';

/** Permission levels, weakest first: each includes the ones before it. */
export const LEVELS = ['NONE', 'READ', 'EDIT', 'MANAGE'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * What a grant can name. Runs, metrics, params, logged models, traces and artifacts belong to their
 * experiment; versions, aliases and prompts to their registered model; alerts to their monitor.
 */
export const RESOURCE_KINDS = ['experiment', 'registered_model', 'dataset', 'deployment', 'monitor'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** The most a role may hold on any resource, whatever its grants say. */
const ROLE_CEILING: Readonly<Record<Role, Level>> = Object.freeze({ viewer: 'READ', member: 'MANAGE', admin: 'MANAGE' });

export function isLevel(value: string): value is Level {
  return (LEVELS as readonly string[]).includes(value);
}

export function isResourceKind(value: string): value is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(value);
}

/** A level from user input (any case), or a 400 naming the field and the choices. */
export function parseLevel(value: string, field = 'permission'): Level {
  const upper = value.trim().toUpperCase();
  if (!isLevel(upper)) throw invalid(`Invalid value '${value}' for parameter '${field}': must be one of ${LEVELS.join(', ')}`);
  return upper;
}

/** A resource kind from user input, or a 400 naming the field and the choices. */
export function parseResourceKind(value: string, field = 'resource_type'): ResourceKind {
  if (!isResourceKind(value)) throw invalid(`Invalid value '${value}' for parameter '${field}': must be one of ${RESOURCE_KINDS.join(', ')}`);
  return value;
}

/**
 * The id grants are stored under. Experiment ids are integers that the store parses leniently
 * (' 01' is experiment 1), so they are compared in their canonical spelling, or a NONE grant on
 * '1' could be side-stepped by asking for '01'.
 */
export function canonicalId(kind: ResourceKind, id: string): string {
  return kind === 'experiment' && /^\s*\d{1,15}\s*$/.test(id) ? String(Number(id)) : id;
}

/** Whether `held` includes everything `needed` allows. */
export function atLeast(held: Level, needed: Level): boolean {
  return LEVELS.indexOf(held) >= LEVELS.indexOf(needed);
}

function weaker(a: Level, b: Level): Level {
  return atLeast(a, b) ? b : a;
}

/**
 * A user's level on one resource: admins MANAGE everything; others have their grant, or the
 * server's default without one, capped by their role (a viewer never gets past READ).
 */
export function effectiveLevel(role: Role, granted: Level | undefined, defaultLevel: Level): Level {
  if (role === 'admin') return 'MANAGE';
  return weaker(granted ?? defaultLevel, ROLE_CEILING[role]);
}

/**
 * Which resources of a kind a user may read, as a search filter: `all`, only the ids listed, or
 * all but the ids listed. Lists, not predicates, so the store can filter in its query and pages
 * and page tokens stay right.
 */
export type Readable = { readonly all: true } | { readonly only: readonly string[] } | { readonly except: readonly string[] };

/** Whether a filter lets one id through. */
export function readableHas(readable: Readable, id: string): boolean {
  if ('all' in readable) return true;
  if ('only' in readable) return readable.only.includes(id);
  return !readable.except.includes(id);
}
