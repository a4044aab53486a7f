/**
 * The audit entry of each API call that changes state: appended in the same transaction as the
 * change (the route runs inside a unit of work), or right after it for routes declared 'after'.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { resourceOf, summarizeChange, verbOf, type AuditRecord } from '../../audit/index.js';
import type { Principal } from '../../auth/index.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth/principal.js';
import type { AuditMode, Route } from '../route.js';

/** What a route's call consists of, as handlerFor has it after validation. */
export interface AuditedCall {
  readonly query: unknown;
  readonly body: unknown;
  readonly params: unknown;
  readonly services: Services;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** The route's declared audit mode, or its default. */
export function auditModeOf(route: Route): AuditMode {
  if (route.audit) return route.audit;
  if (route.method === 'GET') return 'none';
  return route.raw ? 'after' : 'transaction';
}

function actorOf(principal: Principal): { actor: string; authMethod: string } {
  switch (principal.kind) {
    case 'user':
      return { actor: principal.name, authMethod: principal.via };
    case 'bootstrap':
      return { actor: 'bootstrap', authMethod: 'bootstrap' };
    case 'anonymous':
      return { actor: 'anonymous', authMethod: principal.authEnabled ? 'none' : 'auth-off' };
  }
}

function recordOf(route: Route, call: AuditedCall, result: unknown): AuditRecord {
  const path = route.paths[0] ?? call.request.url;
  // Raw routes (artifact paths) may declare no params schema: their path parameters still name the resource.
  const inputs = { params: route.params ? call.params : call.request.params, body: call.body, query: call.query };
  const resource = resourceOf(path, inputs, result === call.reply ? undefined : result);
  const summary: Record<string, unknown> = { ...inputs };
  // Raw routes stream their body: say how big it was, never what it held.
  if (route.raw && call.request.headers['content-length'] !== undefined) summary.content_length = Number(call.request.headers['content-length']);
  return {
    ...actorOf(principalOf(call.request)),
    action: `${route.method} ${path}`,
    verb: verbOf(route.method, path),
    resourceKind: resource.kind,
    resourceId: resource.id,
    clientAddress: call.request.ip,
    requestId: String(call.request.id),
    summary: summarizeChange(summary),
  };
}

/**
 * Run a route's handler and append its audit entry as the route's mode says. In 'transaction'
 * mode a handler error, or a failed append, rolls the change back too.
 */
export async function withAuditEntry(route: Route, call: AuditedCall, handler: () => Promise<unknown>): Promise<unknown> {
  const mode = auditModeOf(route);
  const audit = call.services.audit;
  if (mode === 'none' || (mode === 'read' && call.services.config.auditReads !== true)) return handler();
  if (mode === 'transaction') {
    return audit.changeWithEntry(handler, (result) => recordOf(route, call, result));
  }
  const result = await handler();
  // A refusal the handler answered itself is not a change.
  if (call.reply.statusCode >= 400) return result;
  try {
    await audit.append(recordOf(route, call, result));
  } catch (error) {
    // The bytes are on their way already: the reply can no longer say the append failed.
    if (!call.reply.sent) throw error;
    call.request.log.error({ err: error }, 'audit entry could not be appended after the change');
  }
  return result;
}
