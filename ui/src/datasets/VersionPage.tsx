import { useQuery } from '@tanstack/react-query';
import { ErrorNotice, KeyValueTable, QueryState } from '../components.js';
import { formatBytes, formatTime } from '../format.js';
import { Link } from '../router.js';
import { getVersion, lineageHref } from './api.js';
import { ProfileTable } from './ProfileTable.js';
import './datasets.css';

/** One dataset version: where it came from, its files, table profiles, and the runs that used it. */
export function VersionPage({ name, reference }: { name: string; reference: string }) {
  const found = useQuery({ queryKey: ['dataset-version', name, reference], queryFn: () => getVersion(name, reference) });
  const v = found.data?.version;
  return (
    <div className="page">
      <div className="breadcrumbs">
        <Link to="/datasets">Datasets</Link> / <Link to={`/datasets/${encodeURIComponent(name)}`}>{name}</Link> / {v ? `Version ${v.version}` : reference}
      </div>
      <div className="page-head">
        <h1>
          {name} {v ? `· version ${v.version}` : ''}
        </h1>
        {v ? <Link to={lineageHref(v.lineage_node)}>Lineage graph</Link> : null}
      </div>
      <QueryState query={found} what="the version" />
      {v && found.data ? (
        <>
          <div className="columns">
            <section>
              <h2>About</h2>
              <KeyValueTable
                empty=""
                rows={[
                  { key: 'Digest', value: <span className="mono">{v.digest}</span> },
                  { key: 'Size', value: v.size_bytes == null ? '—' : formatBytes(v.size_bytes) },
                  { key: 'Files', value: v.file_count ?? '—' },
                  { key: 'Source', value: v.source ?? '—' },
                  { key: 'Source type', value: v.source_type },
                  { key: 'Git commit', value: v.git_commit ?? '—' },
                  { key: 'Created by', value: v.created_by ?? '—' },
                  { key: 'Created', value: formatTime(v.created_at) },
                ]}
              />
            </section>
            <section>
              <h2>Used by runs</h2>
              {found.data.runs.length === 0 ? <p className="muted">No run has logged this version as an input.</p> : null}
              <ul className="plain-list">
                {found.data.runs.map((r) => (
                  <li key={r.run_id}>
                    <Link to={`/runs/${encodeURIComponent(r.run_id)}`}>{r.run_id}</Link> <span className="muted">{formatTime(r.linked_at)}</span>
                  </li>
                ))}
              </ul>
            </section>
            {v.mlflow_schema || v.mlflow_profile ? (
              <section>
                <h2>Logged by MLflow</h2>
                <KeyValueTable empty="" rows={[{ key: 'Schema', value: <code>{v.mlflow_schema ?? '—'}</code> }, { key: 'Profile', value: <code>{v.mlflow_profile ?? '—'}</code> }]} />
              </section>
            ) : null}
          </div>
          {v.files.length > 0 ? (
            <section>
              <h2>Files</h2>
              <table className="grid">
                <thead>
                  <tr>
                    <th>Path</th>
                    <th>Size</th>
                    <th>md5</th>
                  </tr>
                </thead>
                <tbody>
                  {v.files.map((f) => (
                    <tr key={f.path}>
                      <td>{f.path}</td>
                      <td>{f.size_bytes == null ? '—' : formatBytes(f.size_bytes)}</td>
                      <td className="mono">{f.md5}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
          {v.files
            .filter((f) => f.profile || f.profile_error)
            .map((f) => (
              <section key={f.path} className="profile-section" aria-label={`Profile of ${f.path}`}>
                <h2>Profile: {f.path}</h2>
                {f.profile ? <ProfileTable rows={f.profile.rows} columns={f.profile.columns} /> : <ErrorNotice error={new Error(f.profile_error ?? '')} title="Could not profile this file" />}
              </section>
            ))}
        </>
      ) : null}
    </div>
  );
}
