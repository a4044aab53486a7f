/** Calls to cairn's /api/v1/audit, and the shape of an audit entry. */
import { getV1 } from '../api/client.js';

export interface AuditEntry {
  seq: number;
  time: number;
  actor: string;
  auth_method: string;
  action: string;
  verb: string;
  resource_kind: string;
  resource_id: string;
  client_address: string;
  request_id: string;
  summary: string;
  hash: string;
}

/** The filters the audit page offers; empty strings mean "any". */
export interface AuditFilters {
  actor: string;
  action: string;
  resource_kind: string;
  resource_id: string;
  /** datetime-local values (the browser's time zone). */
  since: string;
  until: string;
}

export const NO_FILTERS: AuditFilters = { actor: '', action: '', resource_kind: '', resource_id: '', since: '', until: '' };

function epochOf(local: string): string | undefined {
  if (!local) return undefined;
  const ms = new Date(local).getTime();
  return Number.isFinite(ms) ? String(ms) : undefined;
}

/** One page of entries, newest first. */
export function listAudit(filters: AuditFilters, pageToken: string | undefined): Promise<{ entries: AuditEntry[]; next_page_token?: string }> {
  return getV1('audit', {
    actor: filters.actor.trim() || undefined,
    action: filters.action.trim() || undefined,
    resource_kind: filters.resource_kind.trim() || undefined,
    resource_id: filters.resource_id.trim() || undefined,
    since: epochOf(filters.since),
    until: epochOf(filters.until),
    max_results: 100,
    page_token: pageToken,
  });
}

/** Where the export of the same filters downloads from (JSON lines). */
export function exportUrl(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const key of ['actor', 'action', 'resource_kind', 'resource_id'] as const) if (filters[key].trim()) params.set(key, filters[key].trim());
  const since = epochOf(filters.since);
  const until = epochOf(filters.until);
  if (since) params.set('since', since);
  if (until) params.set('until', until);
  const text = params.toString();
  return `/api/v1/audit/export${text ? `?${text}` : ''}`;
}
