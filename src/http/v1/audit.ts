/** `/api/v1/audit`: query the audit log and export it as JSON lines (admins only). */
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AuditEntry, AuditFilter } from '../../audit/index.js';
import { invalid } from '../../core/errors.js';
import { route, type Route } from '../route.js';

const TAG = 'Audit';
const ADMIN_ONLY = 'the audit log: admins only, by role';

const filterQuery = {
  actor: z.string().optional(),
  action: z.string().optional(),
  resource_kind: z.string().optional(),
  resource_id: z.string().optional(),
  since: z.string().optional().describe('epoch milliseconds or an ISO 8601 time, inclusive'),
  until: z.string().optional().describe('epoch milliseconds or an ISO 8601 time, exclusive'),
};

const entrySchema = z.object({
  seq: z.number(),
  time: z.number(),
  actor: z.string(),
  auth_method: z.string(),
  action: z.string(),
  verb: z.string(),
  resource_kind: z.string(),
  resource_id: z.string(),
  client_address: z.string(),
  request_id: z.string(),
  summary: z.string(),
  hash: z.string(),
});

function timeOf(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw invalid(`${name} must be epoch milliseconds or an ISO 8601 time, got '${value}'`);
  return ms;
}

const blankToUndefined = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

/** The filter a query string names. */
function filterOf(query: { actor?: string | undefined; action?: string | undefined; resource_kind?: string | undefined; resource_id?: string | undefined; since?: string | undefined; until?: string | undefined }): AuditFilter {
  return {
    actor: blankToUndefined(query.actor),
    action: blankToUndefined(query.action),
    resourceKind: blankToUndefined(query.resource_kind),
    resourceId: blankToUndefined(query.resource_id),
    since: timeOf('since', query.since),
    until: timeOf('until', query.until),
  };
}

/** An entry as the API writes it (snake_case, as every /api/v1 answer). */
export function encodeAuditEntry(e: AuditEntry): z.infer<typeof entrySchema> {
  return {
    seq: e.seq,
    time: e.time,
    actor: e.actor,
    auth_method: e.authMethod,
    action: e.action,
    verb: e.verb,
    resource_kind: e.resourceKind,
    resource_id: e.resourceId,
    client_address: e.clientAddress,
    request_id: e.requestId,
    summary: e.summary,
    hash: e.hash,
  };
}

async function* jsonLines(entries: AsyncIterable<AuditEntry>): AsyncGenerator<string> {
  for await (const entry of entries) yield `${JSON.stringify(encodeAuditEntry(entry))}\n`;
}

/** `/api/v1/audit` and `/api/v1/audit/export`. */
export const auditRoutes: Route[] = [
  route({
    method: 'GET', paths: ['/api/v1/audit'], tag: TAG, access: 'admin',
    permission: { none: ADMIN_ONLY },
    summary: 'Audit entries, newest first, filtered by actor, action (substring of the operation or verb), resource kind and id, and time range',
    query: z.object({ ...filterQuery, max_results: z.coerce.number().int().min(1).max(1000).default(100), page_token: z.string().optional() }),
    response: z.object({ entries: z.array(entrySchema), next_page_token: z.string().optional() }),
    handler: async ({ query, services }) => {
      const page = await services.audit.list(filterOf(query), query.max_results, query.page_token || undefined);
      return { entries: page.entries.map(encodeAuditEntry), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/audit/export'], tag: TAG, access: 'admin', raw: true,
    permission: { none: ADMIN_ONLY },
    summary: 'Every matching audit entry, oldest first, as JSON lines (streamed)',
    query: z.object(filterQuery),
    response: z.string().describe('application/x-ndjson: one entry per line'),
    handler: async ({ query, services, reply }) => {
      const filter = filterOf(query);
      return reply.type('application/x-ndjson').send(Readable.from(jsonLines(services.audit.entries(filter))));
    },
  }),
];
