import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Services } from '../services.js';
import type { RoutePermission } from './auth/permission-types.js';

/**
 * Who may call a route. Every route states one where it is declared; the server refuses to start
 * with a route that has none (see routes.ts). Viewers may call 'read' routes, members 'write'
 * routes too, admins everything ('admin': user management).
 */
export type Access = 'public' | 'read' | 'write' | 'admin';

/**
 * How a route's calls reach the audit log. 'transaction' (the default for every route but GET):
 * the change and its entry commit in one transaction. 'after': the change is not one database
 * transaction (artifact bytes, long computations, writes that must survive a refusal such as a
 * failed sign-in), so the entry is appended right after it succeeds. 'none': the route changes
 * nothing (POST searches). 'read': a read of a sensitive resource, audited with --audit-reads.
 */
export type AuditMode = 'transaction' | 'after' | 'none' | 'read';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

type AnyObject = z.ZodObject<z.ZodRawShape>;

/** What a handler receives: the validated inputs and the request it came from. */
export interface RouteInput<Q, B, P> {
  readonly query: Q;
  readonly body: B;
  readonly params: P;
  readonly services: Services;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** One HTTP route: where it lives, what it takes and returns, who may call it, and what it does. */
export interface Route<Q extends AnyObject = AnyObject, B extends AnyObject = AnyObject, P extends AnyObject = AnyObject> {
  readonly method: HttpMethod;
  /** The first path is canonical (it names the route in the OpenAPI document); the rest are aliases. */
  readonly paths: readonly string[];
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  /** The per-resource permission the route needs (auth/permission-types.ts); required, checked at start-up. */
  readonly permission: RoutePermission<RouteInput<z.output<Q>, z.output<B>, z.output<P>>>;
  readonly query?: Q;
  readonly body?: B;
  readonly params?: P;
  /** The response body's schema, for the OpenAPI document. Raw routes describe their bytes instead. */
  readonly response: z.ZodType;
  /** Raw routes read the request stream and write the reply themselves (artifact bytes). */
  readonly raw?: boolean;
  /** Largest request body this route accepts, when it differs from the server's limit. */
  readonly bodyLimit?: number;
  /** How the route is audited; absent means 'none' for GET and 'transaction' for other methods ('after' for raw ones). */
  readonly audit?: AuditMode;
  readonly handler: (input: RouteInput<z.output<Q>, z.output<B>, z.output<P>>) => unknown;
}

/** Declare a route with its schemas; the types of the handler's inputs follow from them. */
export function route<Q extends AnyObject, B extends AnyObject, P extends AnyObject>(spec: Route<Q, B, P>): Route {
  return spec as unknown as Route;
}

/** Paths under both MLflow prefixes, as the MLflow server registers each RPC. */
export function mlflowPaths(path: string, version = '2.0'): string[] {
  return [`/api/${version}/mlflow/${path}`, `/ajax-api/${version}/mlflow/${path}`];
}
