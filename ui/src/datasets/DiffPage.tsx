import { useQuery } from '@tanstack/react-query';
import { ErrorNotice, Loading } from '../components.js';
import { formatBytes, formatMetric } from '../format.js';
import { Link } from '../router.js';
import { getDiff, versionHref, type NumberChange } from './api.js';
import './datasets.css';

function Change({ value, percent }: { value: NumberChange | undefined; percent?: boolean }) {
  if (!value) return <>—</>;
  const show = (n: number | null) => (n === null ? '—' : percent ? `${(n * 100).toFixed(1)}%` : formatMetric(n));
  const sign = value.delta !== null && value.delta > 0 ? '+' : '';
  return (
    <>
      {show(value.from)} → {show(value.to)}
      {value.delta !== null && value.delta !== 0 ? <span className="muted"> ({sign}{show(value.delta)})</span> : null}
    </>
  );
}

/** Two versions side by side: files, schema changes, and how each column's statistics moved. */
export function DiffPage({ name, from, to }: { name: string; from: string; to: string }) {
  const diff = useQuery({ queryKey: ['dataset-diff', name, from, to], queryFn: () => getDiff(name, from, to) });
  const d = diff.data;
  return (
    <div className="page">
      <div className="breadcrumbs">
        <Link to="/datasets">Datasets</Link> / <Link to={`/datasets/${encodeURIComponent(name)}`}>{name}</Link> / compare
      </div>
      <h1>
        {name}: {d ? <><Link to={versionHref(name, d.from.version)}>version {d.from.version}</Link> → <Link to={versionHref(name, d.to.version)}>version {d.to.version}</Link></> : `${from} → ${to}`}
      </h1>
      {diff.isPending ? <Loading /> : null}
      {diff.error ? <ErrorNotice error={diff.error} title="Could not compare" /> : null}
      {d ? (
        <>
          <section aria-label="File changes">
            <h2>Files</h2>
            <p className="muted">
              {d.files.added.length} added, {d.files.removed.length} removed, {d.files.changed.length} changed, {d.files.unchanged} unchanged
            </p>
            <ul className="plain-list file-changes">
              {d.files.added.map((f) => <li key={`+${f.path}`} className="added">+ {f.path}</li>)}
              {d.files.removed.map((f) => <li key={`-${f.path}`} className="removed">− {f.path}</li>)}
              {d.files.changed.map((f) => (
                <li key={`~${f.path}`} className="changed">
                  ~ {f.path} <span className="muted">({f.from_size == null ? '?' : formatBytes(f.from_size)} → {f.to_size == null ? '?' : formatBytes(f.to_size)})</span>
                </li>
              ))}
            </ul>
          </section>
          {d.tables.map((t) => (
            <section key={t.path} aria-label={`Table changes in ${t.path}`}>
              <h2>
                Table {t.from_path ? `${t.from_path} → ` : ''}{t.path}
              </h2>
              <p>
                Rows: <Change value={t.rows} />
              </p>
              {t.schema.added.length + t.schema.removed.length + t.schema.retyped.length > 0 ? (
                <ul className="plain-list schema-changes">
                  {t.schema.added.map((c) => <li key={`+${c.name}`} className="added">+ column {c.name} ({c.type})</li>)}
                  {t.schema.removed.map((c) => <li key={`-${c.name}`} className="removed">− column {c.name} ({c.type})</li>)}
                  {t.schema.retyped.map((c) => <li key={`~${c.name}`} className="changed">~ column {c.name}: {c.from} → {c.to}</li>)}
                </ul>
              ) : <p className="muted">Same columns and types.</p>}
              {t.columns.some((c) => c.null_share.from !== null) ? (
                <div className="table-scroll">
                  <table className="grid column-shifts">
                    <thead>
                      <tr>
                        <th>Column</th>
                        <th>Nulls</th>
                        <th>Distinct</th>
                        <th>Mean</th>
                        <th>Median</th>
                        <th>Std</th>
                        <th>Worth a look</th>
                      </tr>
                    </thead>
                    <tbody>
                      {t.columns.map((c) => (
                        <tr key={c.name} className={c.notable.length > 0 ? 'notable' : ''} data-column={c.name}>
                          <th scope="row">{c.name}</th>
                          <td><Change value={c.null_share} percent /></td>
                          <td><Change value={c.distinct} /></td>
                          <td><Change value={c.mean} /></td>
                          <td><Change value={c.median} /></td>
                          <td><Change value={c.std} /></td>
                          <td>{c.notable.join('; ')}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
            </section>
          ))}
        </>
      ) : null}
    </div>
  );
}
