import { useQuery } from '@tanstack/react-query';
import { LinkedRow, QueryState } from '../components.js';
import { formatTime } from '../format.js';
import { listMonitors } from './api.js';
import './monitors.css';

/** Every monitor: what it watches, its schedule, how its last run went, and which alerts fire. */
export function MonitorsPage() {
  const monitors = useQuery({ queryKey: ['monitors'], queryFn: listMonitors, refetchInterval: 30_000 });
  return (
    <div className="page">
      <div className="page-head">
        <h1>Monitors</h1>
      </div>
      <QueryState query={monitors} what="monitors" />
      {monitors.data ? (
        <table className="grid monitors">
          <thead>
            <tr>
              <th>Name</th>
              <th>Current window</th>
              <th>Schedule</th>
              <th>Last run</th>
              <th>Status</th>
              <th>Firing alerts</th>
            </tr>
          </thead>
          <tbody>
            {monitors.data.monitors.map((m) => {
              const href = `/monitors/${encodeURIComponent(m.name)}`;
              const firing = m.alert_states.filter((a) => a.firing).map((a) => a.rule);
              return (
                <LinkedRow key={m.name} href={href} name={m.name}>
                  <td>{describeSource(m.spec.current)}</td>
                  <td className="mono">{m.spec.schedule ?? 'on demand'}</td>
                  <td>{m.last_run?.at ? formatTime(m.last_run.at) : '—'}</td>
                  <td>
                    <span className={`run-status ${m.last_run?.status ?? 'none'}`} title={m.last_run?.error ?? undefined}>
                      {m.last_run?.status ?? 'never run'}
                    </span>
                  </td>
                  <td className={firing.length ? 'firing' : 'muted'}>{firing.length ? firing.join(', ') : 'none'}</td>
                </LinkedRow>
              );
            })}
            {monitors.data.monitors.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No monitors yet. Create one with POST /api/v1/monitors (see docs/monitoring.md).
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/** One line saying what a reference or current window is. */
export function describeSource(source: { type: string; [key: string]: unknown }): string {
  if (source.type === 'inference_log') {
    const window = source['window'];
    const span = window === undefined ? `${formatTime(Number(source['from']))} – ${formatTime(Number(source['to']))}` : typeof window === 'number' ? `last ${window} s` : `last ${String(window)}`;
    return `${String(source['deployment'])}: ${span}`;
  }
  if (source.type === 'dataset') return `dataset ${String(source['dataset'])} v${String(source['version'])}`;
  return String(source['uri'] ?? source.type);
}
