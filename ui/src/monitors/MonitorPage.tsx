import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { MetricChart, type ChartSeries } from '../charts/MetricChart.js';
import { ErrorNotice, Loading } from '../components.js';
import { formatMetric, formatTime } from '../format.js';
import { Link } from '../router.js';
import { getMonitor, getRun, getSeries, listAlerts, listRuns, type SeriesPoint } from './api.js';
import { Distribution } from './Distribution.js';
import { describeSource } from './MonitorsPage.js';
import './monitors.css';

const PERFORMANCE = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'mae', 'rmse', 'mape', 'r2'];

/** Lines per column (or per metric) over runs, numbered in time order. */
function seriesBy(points: readonly SeriesPoint[], runIndex: Map<string, number>, keep: (p: SeriesPoint) => boolean, key: (p: SeriesPoint) => string): ChartSeries[] {
  const lines = new Map<string, { x: number; y: number }[]>();
  for (const p of points) {
    if (!keep(p)) continue;
    const line = lines.get(key(p)) ?? [];
    line.push({ x: runIndex.get(p.run_id) ?? 0, y: p.value });
    lines.set(key(p), line);
  }
  return [...lines].map(([label, line]) => ({ label, points: line.sort((a, b) => a.x - b.x) }));
}

/** One monitor: drift and performance over time, distributions of a chosen run, alert history, runs. */
export function MonitorPage({ name }: { name: string }) {
  const monitor = useQuery({ queryKey: ['monitor', name], queryFn: () => getMonitor(name) });
  const runs = useQuery({ queryKey: ['monitor-runs', name], queryFn: () => listRuns(name) });
  const series = useQuery({ queryKey: ['monitor-series', name], queryFn: () => getSeries(name) });
  const alerts = useQuery({ queryKey: ['monitor-alerts', name], queryFn: () => listAlerts(name) });
  const okRuns = useMemo(() => (runs.data?.runs ?? []).filter((r) => r.status === 'ok'), [runs.data]);
  const [chosenRun, setChosenRun] = useState<string>('');
  const runId = chosenRun || okRuns[0]?.run_id || '';
  const run = useQuery({ queryKey: ['monitor-run', name, runId], queryFn: () => getRun(name, runId), enabled: runId !== '' });
  const [chosenColumn, setChosenColumn] = useState<string>('');

  const runIndex = useMemo(() => new Map([...(runs.data?.runs ?? [])].reverse().filter((r) => r.status === 'ok').map((r, i) => [r.run_id, i + 1])), [runs.data]);
  const points = series.data?.points ?? [];
  const driftLines = seriesBy(points, runIndex, (p) => p.metric === 'drift_score', (p) => p.column);
  const performanceLines = seriesBy(points, runIndex, (p) => p.column === '' && PERFORMANCE.includes(p.metric), (p) => p.metric);
  const histograms = run.data?.run.detail?.drift?.histograms ?? {};
  const columns = Object.keys(histograms);
  const column = chosenColumn && histograms[chosenColumn] ? chosenColumn : (columns[0] ?? '');

  if (monitor.isPending) return <div className="page"><Loading /></div>;
  if (monitor.error) return <div className="page"><ErrorNotice error={monitor.error} title={`Could not load monitor ${name}`} /></div>;
  const m = monitor.data.monitor;
  return (
    <div className="page monitor-page">
      <div className="page-head">
        <h1>
          <Link to="/monitors">Monitors</Link> / {m.name}
        </h1>
      </div>
      {m.spec.description ? <p>{m.spec.description}</p> : null}
      <dl className="monitor-facts">
        <dt>Reference</dt>
        <dd>{m.reference ? `${m.reference.description} (${m.reference.rows} rows, stored ${formatTime(m.reference.computed_at)})` : describeSource(m.spec.reference)}</dd>
        <dt>Current window</dt>
        <dd>{describeSource(m.spec.current)}</dd>
        <dt>Schedule</dt>
        <dd className="mono">{m.spec.schedule ?? 'on demand'}</dd>
        <dt>Last run</dt>
        <dd>
          <span className={`run-status ${m.last_run?.status ?? 'none'}`}>{m.last_run?.status ?? 'never run'}</span> {m.last_run?.at ? formatTime(m.last_run.at) : ''}
          {m.last_run?.error ? <span className="run-error"> — {m.last_run.error}</span> : null}
        </dd>
      </dl>

      <section>
        <h2>Drift score over time</h2>
        {driftLines.length ? <MetricChart title="drift score per column" series={driftLines} xLabel="run" /> : <p className="muted">No drift results yet.</p>}
      </section>

      <section>
        <h2>Reference vs current</h2>
        <div className="chooser">
          <label>
            Run{' '}
            <select aria-label="Run" value={runId} onChange={(e) => setChosenRun(e.target.value)}>
              {okRuns.map((r) => (
                <option key={r.run_id} value={r.run_id}>
                  {formatTime(r.started_at)} ({r.summary.drifted_columns ?? 0} drifted)
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            Column{' '}
            <select aria-label="Column" value={column} onChange={(e) => setChosenColumn(e.target.value)}>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        </div>
        {run.error ? <ErrorNotice error={run.error} title="Could not load the run" /> : null}
        {column && histograms[column] ? <Distribution column={column} histogram={histograms[column]} /> : <p className="muted">Choose a run with drift results.</p>}
        {run.data?.run.detail?.drift ? (
          <table className="grid drift-columns">
            <thead>
              <tr><th>Column</th><th>Test</th><th>Score</th><th>Threshold</th><th>Drift</th></tr>
            </thead>
            <tbody>
              {run.data.run.detail.drift.columns.map((c) => (
                <tr key={c.column} className={c.drift ? 'drifted' : ''}>
                  <td>{c.column}</td>
                  <td>{c.test ?? c.status}</td>
                  <td>{typeof c.score === 'number' ? formatMetric(c.score) : (c.score ?? '—')}</td>
                  <td>{c.threshold ?? '—'}</td>
                  <td>{c.drift ? 'drift' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <section>
        <h2>Performance over time</h2>
        {performanceLines.length ? <MetricChart title="performance" series={performanceLines} xLabel="run" /> : <p className="muted">No labelled rows yet: performance appears once ground truth arrives.</p>}
      </section>

      <section>
        <h2>Alert history</h2>
        {alerts.error ? <ErrorNotice error={alerts.error} title="Could not load alerts" /> : null}
        <table className="grid alert-history">
          <thead>
            <tr><th>Time</th><th>Rule</th><th>State</th><th>Value</th><th>Condition</th><th>Delivered</th></tr>
          </thead>
          <tbody>
            {(alerts.data?.alerts ?? []).map((a) => (
              <tr key={a.event_id} className={a.state}>
                <td>{formatTime(a.time)}</td>
                <td>{a.rule}</td>
                <td>{a.state}</td>
                <td>{a.value === null ? '—' : formatMetric(a.value)}</td>
                <td className="mono">{`${a.metric}${a.column ? `[${a.column}]` : ''} ${a.comparator} ${a.threshold}`}</td>
                <td>{a.deliveries.map((d) => `${d.channel} ${d.ok ? '✓' : `✗ ${d.error ?? ''}`}`).join(', ') || '—'}</td>
              </tr>
            ))}
            {alerts.data?.alerts.length === 0 ? (
              <tr><td colSpan={6} className="muted">No alert has fired.</td></tr>
            ) : null}
          </tbody>
        </table>
      </section>

      <section>
        <h2>Runs</h2>
        <table className="grid monitor-runs">
          <thead>
            <tr><th>Started</th><th>Trigger</th><th>Status</th><th>Rows (ref / cur)</th><th>Drifted</th><th>Reason</th></tr>
          </thead>
          <tbody>
            {(runs.data?.runs ?? []).map((r) => (
              <tr key={r.run_id}>
                <td>{formatTime(r.started_at)}</td>
                <td>{r.trigger}</td>
                <td><span className={`run-status ${r.status}`}>{r.status === 'no_data' ? 'no data' : r.status}</span></td>
                <td>{r.status === 'failed' ? '—' : `${r.reference_rows ?? '—'} / ${r.current_rows ?? 0}`}</td>
                <td>{r.summary.tested_columns ? `${r.summary.drifted_columns} of ${r.summary.tested_columns}` : '—'}</td>
                <td className="run-error">{r.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
