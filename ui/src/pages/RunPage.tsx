import { useQuery } from '@tanstack/react-query';
import { getExperiment, getRun } from '../api/tracking.js';
import type { Run } from '../api/types.js';
import { ErrorNotice, KeyValueTable, Loading, StatusBadge } from '../components.js';
import { formatDuration, formatMetric, formatTime, metricNumber, runDuration } from '../format.js';
import { Link } from '../router.js';
import { ArtifactBrowser } from '../run/ArtifactBrowser.js';
import { RunMetricCharts } from '../run/RunMetricCharts.js';

function runName(run: Run): string {
  return run.info.run_name || run.data?.tags?.find((tag) => tag.key === 'mlflow.runName')?.value || run.info.run_id;
}

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key.localeCompare(b.key);
}

function RunOverview({ run }: { run: Run }) {
  const { info } = run;
  const rows = [
    { key: 'Status', value: <StatusBadge status={info.status} /> },
    { key: 'Run ID', value: <code>{info.run_id}</code> },
    { key: 'Started', value: formatTime(info.start_time) },
    { key: 'Ended', value: info.end_time ? formatTime(info.end_time) : '—' },
    { key: 'Duration', value: formatDuration(runDuration(info.start_time, info.end_time)) },
    { key: 'User', value: info.user_id ?? '' },
    { key: 'Artifact URI', value: <code>{info.artifact_uri ?? ''}</code> },
  ];
  return <KeyValueTable rows={rows} empty="" />;
}

/** Everything about one run: overview, params, metrics with charts, tags, artifacts. */
export function RunPage({ runId }: { runId: string }) {
  const run = useQuery({ queryKey: ['run', runId], queryFn: () => getRun(runId) });
  const experimentId = run.data?.info.experiment_id;
  const experiment = useQuery({
    queryKey: ['experiment', experimentId],
    queryFn: () => getExperiment(experimentId ?? ''),
    enabled: experimentId !== undefined,
  });
  if (run.error) return <div className="page"><ErrorNotice error={run.error} title="Could not load the run" /></div>;
  if (!run.data) return <div className="page"><Loading /></div>;

  const data = run.data.data ?? {};
  const params = [...(data.params ?? [])].sort(byKey);
  const metrics = [...(data.metrics ?? [])].sort(byKey);
  const tags = [...(data.tags ?? [])].sort(byKey);
  const userTags = tags.filter((tag) => !tag.key.startsWith('mlflow.'));
  const systemTags = tags.filter((tag) => tag.key.startsWith('mlflow.'));
  const name = runName(run.data);
  const experimentHref = `/experiments/${encodeURIComponent(run.data.info.experiment_id)}`;

  return (
    <div className="page run-page">
      <div className="breadcrumbs">
        <Link to="/experiments">Experiments</Link> / <Link to={experimentHref}>{experiment.data?.name ?? run.data.info.experiment_id}</Link> / <span>{name}</span>
      </div>
      <div className="page-head">
        <h1>{name}</h1>
        <StatusBadge status={run.data.info.status} />
      </div>
      <div className="columns">
        <section>
          <h2>Overview</h2>
          <RunOverview run={run.data} />
        </section>
        <section>
          <h2>Parameters ({params.length})</h2>
          <div data-testid="params">
            <KeyValueTable rows={params.map((param) => ({ key: param.key, value: param.value }))} empty="No parameters." />
          </div>
        </section>
        <section>
          <h2>Metrics ({metrics.length})</h2>
          {metrics.length === 0 ? (
            <p className="muted">No metrics.</p>
          ) : (
            <table className="grid metrics-table">
              <thead>
                <tr>
                  <th>Key</th>
                  <th>Latest value</th>
                  <th>Step</th>
                </tr>
              </thead>
              <tbody>
                {metrics.map((metric) => (
                  <tr key={metric.key}>
                    <td>{metric.key}</td>
                    <td className="mono">{formatMetric(metricNumber(metric.value))}</td>
                    <td className="mono">{metric.step ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <section>
        <h2>Charts</h2>
        <RunMetricCharts runId={runId} runName={name} metricKeys={metrics.map((metric) => metric.key)} />
      </section>
      <section>
        <h2>Artifacts</h2>
        <ArtifactBrowser artifactUri={run.data.info.artifact_uri} />
      </section>
      <section>
        <h2>Tags ({userTags.length})</h2>
        <KeyValueTable rows={userTags} empty="No tags." />
        {systemTags.length > 0 ? (
          <details>
            <summary>System tags ({systemTags.length})</summary>
            <KeyValueTable rows={systemTags} empty="" />
          </details>
        ) : null}
      </section>
    </div>
  );
}
