import type { ReactNode } from 'react';
import { ApiError } from './api/client.js';
import { Link, navigate } from './router.js';

/** Shows a failed request's message, with the server's MLflow error code when there is one. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.errorCode : undefined;
  return (
    <div className="error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {code ? <code>{code}</code> : null} {message}
    </div>
  );
}

/** A muted line shown while data loads. */
export function Loading({ children }: { children?: ReactNode }) {
  return <div className="muted loading">{children ?? 'Loading…'}</div>;
}

/** A coloured badge for a run or model-version status. */
export function StatusBadge({ status }: { status: string | undefined }) {
  if (!status) return null;
  return <span className={`badge status-${status.toLowerCase()}`}>{status}</span>;
}

/** A two-column key/value table, e.g. for params or tags. */
export function KeyValueTable({ rows, empty }: { rows: { key: string; value: ReactNode }[]; empty: string }) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="kv">
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.key}</th>
            <td>{row.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A query's loading and error states, shown the same way on every page. */
export function QueryState({ query, what }: { query: { isPending: boolean; error: unknown }; what: string }) {
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorNotice error={query.error} title={`Could not load ${what}`} />;
  return null;
}

/**
 * A table row that opens `href` when clicked anywhere; its first cell is a real link named
 * `name`, so the row also works from the keyboard and with "open in new tab".
 */
export function LinkedRow({ href, name, children }: { href: string; name: ReactNode; children: ReactNode }) {
  return (
    <tr className="clickable" onClick={() => navigate(href)}>
      <td>
        <Link to={href} onClick={(event) => event.stopPropagation()}>
          {name}
        </Link>
      </td>
      {children}
    </tr>
  );
}
