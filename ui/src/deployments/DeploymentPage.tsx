import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { MetricChart, type ChartSeries } from '../charts/MetricChart.js';
import { ErrorNotice, KeyValueTable, Loading } from '../components.js';
import { formatTime } from '../format.js';
import { Link } from '../router.js';
import { getDeployment, getTrafficStats, rollbackDeployment, targetLabel, type TrafficBucket } from './api.js';
import { TrafficSplit } from './TrafficSplit.js';

const WINDOW_MINUTES = 60;

/** Chart lines per version (shadow copies apart), x in minutes relative to now. */
function linesOf(buckets: TrafficBucket[], value: (b: TrafficBucket) => number, now: number): ChartSeries[] {
  const byLine = new Map<string, { x: number; y: number }[]>();
  for (const b of buckets) {
    const label = `v${b.version}${b.shadow ? ' (shadow)' : ''}`;
    const points = byLine.get(label) ?? [];
    points.push({ x: Math.round((b.time - now) / 60_000), y: value(b) });
    byLine.set(label, points);
  }
  return [...byLine.entries()].map(([label, points]) => ({ label, points }));
}

/** One deployment: traffic split, versions serving, status, latency and error charts, rollback. */
export function DeploymentPage({ name }: { name: string }) {
  const queryClient = useQueryClient();
  const deployment = useQuery({ queryKey: ['deployment', name], queryFn: () => getDeployment(name), refetchInterval: 3000 });
  const stats = useQuery({ queryKey: ['deployment-stats', name], queryFn: () => getTrafficStats(name, WINDOW_MINUTES), refetchInterval: 10_000 });
  const rollback = useMutation({
    mutationFn: () => rollbackDeployment(name),
    onSuccess: (updated) => {
      queryClient.setQueryData(['deployment', name], updated);
      void queryClient.invalidateQueries({ queryKey: ['deployments'] });
    },
  });
  const charts = useMemo(() => {
    const buckets = stats.data ?? [];
    const now = Date.now();
    return {
      p95: linesOf(buckets, (b) => b.p95_ms, now),
      p50: linesOf(buckets, (b) => b.p50_ms, now),
      requests: linesOf(buckets, (b) => b.requests, now),
      errors: linesOf(buckets, (b) => b.errors, now),
    };
  }, [stats.data]);

  if (deployment.isPending) return <Loading />;
  if (deployment.error) return <ErrorNotice error={deployment.error} title={`Could not load deployment ${name}`} />;
  const d = deployment.data;
  const previous = d.previous ? d.previous.traffic.map((t) => `${targetLabel(t)} ${t.weight}`).join(', ') : null;
  return (
    <div className="page deployment-page">
      <div className="page-head">
        <h1>{d.name}</h1>
        <span className={`deployment-status status-${d.status.toLowerCase()}`}>{d.status}</span>
        <button
          type="button"
          className="rollback"
          disabled={!d.previous || rollback.isPending}
          title={previous ? `Return to: ${previous}` : 'No earlier traffic plan'}
          onClick={() => {
            if (window.confirm(`Roll ${d.name} back to ${previous ?? 'the previous plan'}?`)) rollback.mutate();
          }}
        >
          Roll back
        </button>
      </div>
      {rollback.error ? <ErrorNotice error={rollback.error} title="Rollback failed" /> : null}
      {d.status_message ? <p className={`status-message ${d.status === 'FAILED' ? 'error' : ''}`}>{d.status_message}</p> : null}
      <h2>Traffic</h2>
      <TrafficSplit traffic={d.traffic} />
      <KeyValueTable
        empty="—"
        rows={[
          { key: 'Model', value: <Link to={`/models/${encodeURIComponent(d.model)}`}>{d.model}</Link> },
          { key: 'Serving', value: <span className="serving-versions">{d.serving ? d.serving.routes.map((r) => `v${r.version} (${r.weight})`).join(', ') : 'not loaded yet'}</span> },
          { key: 'Shadow', value: d.shadow ? `${targetLabel(d.shadow)}${d.serving?.shadow ? ` → v${d.serving.shadow}` : ''}` : 'none' },
          { key: 'Previous plan', value: previous ?? 'none' },
          { key: 'Scoring URL', value: <code>{`POST ${d.invocations_url}`}</code> },
          { key: 'Inference log retention', value: `${d.log_retention_days} days` },
          { key: 'Last changed', value: formatTime(d.last_updated_time) },
        ]}
      />
      <h2>Last {WINDOW_MINUTES} minutes</h2>
      {stats.error ? <ErrorNotice error={stats.error} title="Could not load traffic statistics" /> : null}
      {stats.data && stats.data.length === 0 ? <p className="muted">No requests in this window.</p> : null}
      {stats.data && stats.data.length > 0 ? (
        <div className="deployment-charts">
          <MetricChart title="p95 latency (ms)" series={charts.p95} xLabel="minutes from now" />
          <MetricChart title="p50 latency (ms)" series={charts.p50} xLabel="minutes from now" />
          <MetricChart title="requests per minute" series={charts.requests} xLabel="minutes from now" />
          <MetricChart title="errors per minute" series={charts.errors} xLabel="minutes from now" />
        </div>
      ) : null}
    </div>
  );
}
