import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { QueryState } from '../components.js';
import { formatTime } from '../format.js';
import { exportUrl, listAudit, NO_FILTERS, type AuditEntry, type AuditFilters } from './api.js';
import './audit.css';

const FIELDS: { key: keyof AuditFilters; label: string; type: string; placeholder?: string }[] = [
  { key: 'actor', label: 'Actor', type: 'text', placeholder: 'user name, anonymous, cli:…' },
  { key: 'action', label: 'Action', type: 'text', placeholder: 'create run, runs/log-batch…' },
  { key: 'resource_kind', label: 'Resource kind', type: 'text', placeholder: 'run, experiment, user…' },
  { key: 'resource_id', label: 'Resource id', type: 'text' },
  { key: 'since', label: 'From', type: 'datetime-local' },
  { key: 'until', label: 'Until', type: 'datetime-local' },
];

/** The audit log (admins): who changed what, when and from where, filtered and paged newest first. */
export function AuditPage() {
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  // Tokens of the pages before the current one, so "Newer" can go back.
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const pageToken = pages[pages.length - 1];
  const audit = useQuery({ queryKey: ['audit', filters, pageToken], queryFn: () => listAudit(filters, pageToken) });

  function apply(event: FormEvent): void {
    event.preventDefault();
    setFilters(draft);
    setPages([undefined]);
  }

  function clear(): void {
    setDraft(NO_FILTERS);
    setFilters(NO_FILTERS);
    setPages([undefined]);
  }

  return (
    <div className="page audit">
      <div className="page-head">
        <h1>Audit log</h1>
        <a className="button" href={exportUrl(filters)} download="audit.jsonl">
          Export JSON lines
        </a>
      </div>
      <form className="audit-filters" onSubmit={apply} aria-label="Audit filters">
        {FIELDS.map((f) => (
          <label key={f.key}>
            <span>{f.label}</span>
            <input type={f.type} name={f.key} value={draft[f.key]} placeholder={f.placeholder} onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })} />
          </label>
        ))}
        <div className="audit-filter-buttons">
          <button type="submit">Apply</button>
          <button type="button" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      <QueryState query={audit} what="the audit log" />
      {audit.data ? (
        <>
          <table className="grid audit-entries">
            <thead>
              <tr>
                <th>#</th>
                <th>Time</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Resource</th>
                <th>From</th>
                <th>Change</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.entries.map((e) => (
                <EntryRow key={e.seq} entry={e} />
              ))}
              {audit.data.entries.length === 0 ? (
                <tr>
                  <td colSpan={7} className="muted">
                    No audit entries match these filters.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
          <div className="audit-paging">
            <button type="button" disabled={pages.length <= 1} onClick={() => setPages(pages.slice(0, -1))}>
              Newer
            </button>
            <button type="button" disabled={!audit.data.next_page_token} onClick={() => setPages([...pages, audit.data.next_page_token])}>
              Older
            </button>
          </div>
        </>
      ) : null}
    </div>
  );
}

function EntryRow({ entry }: { entry: AuditEntry }) {
  return (
    <tr>
      <td className="mono">{entry.seq}</td>
      <td>{formatTime(entry.time)}</td>
      <td title={`authenticated by ${entry.auth_method}`}>{entry.actor}</td>
      <td title={entry.action}>{entry.verb}</td>
      <td>
        <span className="muted">{entry.resource_kind}</span> <span className="mono">{entry.resource_id}</span>
      </td>
      <td className="mono" title={entry.request_id ? `request ${entry.request_id}` : undefined}>
        {entry.client_address}
      </td>
      <td className="mono audit-summary" title={entry.summary}>
        {entry.summary}
      </td>
    </tr>
  );
}
