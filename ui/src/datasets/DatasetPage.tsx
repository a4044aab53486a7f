import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { QueryState } from '../components.js';
import { formatBytes, formatTime } from '../format.js';
import { Link, navigate } from '../router.js';
import { getDataset, lineageHref, shortDigest, versionHref } from './api.js';
import './datasets.css';

/** One dataset: its versions, newest first; tick two to compare them. */
export function DatasetPage({ name }: { name: string }) {
  const dataset = useQuery({ queryKey: ['dataset', name], queryFn: () => getDataset(name) });
  const [picked, setPicked] = useState<number[]>([]);
  const toggle = (version: number) => setPicked((now) => (now.includes(version) ? now.filter((v) => v !== version) : [...now, version].slice(-2)));
  const [older, newer] = [...picked].sort((a, b) => a - b);
  return (
    <div className="page">
      <div className="breadcrumbs">
        <Link to="/datasets">Datasets</Link> / {name}
      </div>
      <div className="page-head">
        <h1>{name}</h1>
        <button
          type="button"
          className="primary"
          disabled={older === undefined || newer === undefined}
          onClick={() => navigate(`/datasets/${encodeURIComponent(name)}/diff?from=${older}&to=${newer}`)}
        >
          Compare selected
        </button>
      </div>
      <QueryState query={dataset} what="the dataset" />
      {dataset.data?.dataset.description ? <p className="description">{dataset.data.dataset.description}</p> : null}
      {dataset.data ? (
        <table className="grid dataset-versions">
          <thead>
            <tr>
              <th aria-label="Compare" />
              <th>Version</th>
              <th>Digest</th>
              <th>Size</th>
              <th>Files</th>
              <th>Source</th>
              <th>Git commit</th>
              <th>Created by</th>
              <th>Created</th>
              <th>Lineage</th>
            </tr>
          </thead>
          <tbody>
            {dataset.data.versions.map((v) => (
              <tr key={v.digest}>
                <td>
                  <input type="checkbox" aria-label={`Compare version ${v.version}`} checked={picked.includes(v.version)} onChange={() => toggle(v.version)} />
                </td>
                <td>
                  <Link to={versionHref(name, v.version)}>Version {v.version}</Link>
                </td>
                <td className="mono" title={v.digest}>{shortDigest(v.digest)}</td>
                <td>{v.size_bytes == null ? '—' : formatBytes(v.size_bytes)}</td>
                <td>{v.file_count ?? '—'}</td>
                <td title={v.source ?? ''}>{v.source_type}</td>
                <td className="mono">{v.git_commit ? v.git_commit.slice(0, 10) : '—'}</td>
                <td>{v.created_by ?? '—'}</td>
                <td>{formatTime(v.created_at)}</td>
                <td>
                  <Link to={lineageHref(v.lineage_node)}>graph</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
