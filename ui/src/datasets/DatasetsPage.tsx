import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { LinkedRow, QueryState } from '../components.js';
import { formatBytes, formatTime } from '../format.js';
import { listDatasets, shortDigest } from './api.js';
import './datasets.css';

/** The dataset registry: every dataset with its newest version. */
export function DatasetsPage() {
  const [prefix, setPrefix] = useState('');
  const datasets = useQuery({ queryKey: ['datasets', prefix], queryFn: () => listDatasets(prefix) });
  return (
    <div className="page">
      <div className="page-head">
        <h1>Datasets</h1>
        <input type="search" className="search" placeholder="Name starts with…" aria-label="Filter datasets" value={prefix} onChange={(e) => setPrefix(e.target.value)} />
      </div>
      <QueryState query={datasets} what="datasets" />
      {datasets.data ? (
        <table className="grid datasets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Versions</th>
              <th>Latest digest</th>
              <th>Size</th>
              <th>Files</th>
              <th>Source</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {datasets.data.datasets.map((d) => {
              const href = `/datasets/${encodeURIComponent(d.name)}`;
              return (
                <LinkedRow key={d.name} href={href} name={d.name}>
                  <td>{d.version_count}</td>
                  <td className="mono" title={d.latest?.digest}>{d.latest ? shortDigest(d.latest.digest) : '—'}</td>
                  <td>{d.latest?.size_bytes == null ? '—' : formatBytes(d.latest.size_bytes)}</td>
                  <td>{d.latest?.file_count ?? '—'}</td>
                  <td>{d.latest?.source_type ?? '—'}</td>
                  <td>{formatTime(d.last_updated_at)}</td>
                </LinkedRow>
              );
            })}
            {datasets.data.datasets.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  No datasets yet. Log one with mlflow.log_input, or push data with cairn data push and register it.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
