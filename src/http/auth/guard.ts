/**
 * The guard every request passes before its body is read: Host allow-list, CORS, then who is
 * calling (Basic, Bearer or session cookie), whether their role grants the route's declared
 * access, the CSRF token for cookie sessions, and the per-caller rate limit. Routes not declared
 * in the route list are denied by default unless they are the UI's static files.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize, csrfMatches, RetryLaterError, type Permission, type Principal } from '../../auth/index.js';
import { CairnError } from '../../core/errors.js';
import type { Services } from '../../services.js';
import type { Access, Route } from '../route.js';
import { CSRF_HEADER, presentedCredentials } from './headers.js';
import { checkHost, handleCors, isSafeMethod } from './origins.js';
import { setPrincipal } from './principal.js';

/** Served without declaring a route (the UI's assets and the OpenAPI document): open to all. */
const UNDECLARED_PUBLIC = new Set(['GET /assets/*', 'GET /api/openapi.json']);
/** The only route the one-time bootstrap token may call. */
const BOOTSTRAP_ROUTE = 'POST /api/v1/users';
/** Liveness probes come from load balancers that use the pod's address or any name. */
const HOST_CHECK_EXEMPT = new Set(['/health']);

function routeKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}

/** The access each declared route needs, by method and URL pattern. */
function accessTable(routes: readonly Route[]): Map<string, Access> {
  const table = new Map<string, Access>();
  for (const r of routes) for (const path of r.paths) table.set(routeKey(r.method, path), r.access);
  return table;
}

function accessFor(table: Map<string, Access>, request: FastifyRequest): Access {
  const url = request.routeOptions.url;
  // No route matched: the not-found handler (or the UI's page fallback) answers, with nothing to protect.
  if (url === undefined) return 'public';
  const key = routeKey(request.method, url);
  if (UNDECLARED_PUBLIC.has(key)) return 'public';
  return table.get(key) ?? (isSafeMethod(request.method) ? 'read' : 'write');
}

async function authenticate(services: Services, request: FastifyRequest): Promise<Principal> {
  const presented = presentedCredentials(request);
  const { authenticator } = services.auth;
  switch (presented.kind) {
    case 'basic':
      return authenticator.withPassword(presented.name, presented.password);
    case 'bearer':
      return authenticator.withBearer(presented.token);
    case 'session':
      return authenticator.withSession(presented.token);
    case 'none':
      return { kind: 'anonymous', authEnabled: true };
  }
}

function checkCsrf(principal: Principal, request: FastifyRequest): void {
  if (principal.kind !== 'user' || principal.via !== 'session' || isSafeMethod(request.method)) return;
  const header = request.headers[CSRF_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !principal.sessionHash || !csrfMatches(principal.sessionHash, value)) {
    throw new CairnError('PERMISSION_DENIED', `Missing or wrong ${CSRF_HEADER} header: requests signed in with a session cookie must send the CSRF token from /api/v1/auth/login or /api/v1/auth/me`);
  }
}

function rateLimitKey(principal: Principal): string | undefined {
  if (principal.kind !== 'user') return undefined;
  return principal.tokenId !== undefined ? `token:${principal.tokenId}` : `user:${principal.userId}`;
}

/** Errors that say when to retry carry it as a Retry-After header too. */
function withRetryAfter(reply: FastifyReply, error: unknown): unknown {
  if (error instanceof RetryLaterError) void reply.header('retry-after', String(error.retryAfterSeconds));
  if (error instanceof CairnError && error.code === 'UNAUTHENTICATED') void reply.header('www-authenticate', 'Bearer realm="cairn"');
  return error;
}

/** Register the guard; call before any route is added so it covers every one. */
export function registerGuard(app: FastifyInstance, services: Services, routes: readonly Route[]): void {
  const table = accessTable(routes);
  const { config } = services;
  app.addHook('onRequest', async function guardRequest(request, reply) {
    try {
      if (!HOST_CHECK_EXEMPT.has(request.url.split('?')[0] ?? '')) checkHost(request, config.allowedHosts);
      if (await handleCors(request, reply, config.corsOrigins)) return reply;
      const access = accessFor(table, request);
      // Public routes never look at credentials: no password work or lock-out count for /health.
      if (access === 'public' || !config.authEnabled) {
        setPrincipal(request, { kind: 'anonymous', authEnabled: config.authEnabled });
        return;
      }
      const principal = await authenticate(services, request);
      if (principal.kind === 'bootstrap' && routeKey(request.method, request.routeOptions.url ?? '') !== BOOTSTRAP_ROUTE) {
        throw new CairnError('PERMISSION_DENIED', `Permission denied: the bootstrap token may only create the first admin (${BOOTSTRAP_ROUTE})`);
      }
      const decision = authorize(principal, { permission: access satisfies Permission });
      if (!decision.allowed) throw new CairnError(decision.reason === 'unauthenticated' ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED', decision.message);
      checkCsrf(principal, request);
      const key = rateLimitKey(principal);
      if (key !== undefined) services.auth.rateLimiter?.take(key);
      setPrincipal(request, principal);
      return;
    } catch (error) {
      throw withRetryAfter(reply, error);
    }
  });
}
