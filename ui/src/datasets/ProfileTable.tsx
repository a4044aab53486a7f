import { formatMetric } from '../format.js';
import type { ColumnProfile } from './api.js';

const share = (value: number): string => `${(value * 100).toFixed(1)}%`;
const stat = (value: number | string | null | undefined): string => (value === undefined || value === null ? '—' : typeof value === 'number' ? formatMetric(value) : value);

/** One table file's profile: a row per column with the statistics its kind gets. */
export function ProfileTable({ rows, columns }: { rows: number; columns: ColumnProfile[] }) {
  return (
    <div className="table-scroll">
      <p className="muted">
        {rows.toLocaleString()} rows, {columns.length} columns
      </p>
      <table className="grid profile">
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th>Nulls</th>
            <th>Distinct</th>
            <th>Min</th>
            <th>Mean</th>
            <th>Median</th>
            <th>Max</th>
            <th>Std</th>
            <th>Quartiles</th>
            <th>Top values</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => (
            <tr key={c.name} data-column={c.name}>
              <th scope="row">{c.name}</th>
              <td className="mono">{c.type}</td>
              <td>{share(c.null_share)}</td>
              <td>{c.distinct.toLocaleString()}</td>
              <td>{stat(c.min)}</td>
              <td>{stat(c.mean)}</td>
              <td>{stat(c.quantiles?.['0.5'])}</td>
              <td>{stat(c.max)}</td>
              <td>{stat(c.std)}</td>
              <td>{c.quantiles ? `${stat(c.quantiles['0.25'])} – ${stat(c.quantiles['0.75'])}` : '—'}</td>
              <td>{c.top ? c.top.map((t) => `${t.value} (${t.count})`).join(', ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
