import { useMemo, useState } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { getExperiment, getRun } from '../api/tracking.js';
import type { Run } from '../api/types.js';
import { MetricChart } from '../charts/MetricChart.js';
import { useMetricSeries } from '../charts/useMetricHistories.js';
import { ParallelCoordinates } from '../compare/ParallelCoordinates.js';
import type { CoordinateRun } from '../compare/ParallelCoordinates.js';
import { ParamsDiff, differingParamKeys } from '../compare/ParamsDiff.js';
import { ErrorNotice, Loading } from '../components.js';
import { metricNumber } from '../format.js';
import { Link } from '../router.js';

const MAX_AXES = 8;

function runLabel(run: Run): string {
  return run.info.run_name || run.data?.tags?.find((tag) => tag.key === 'mlflow.runName')?.value || run.info.run_id.slice(0, 8);
}

/** Metric keys every run has; if they share none, every key any run has. */
function comparedMetricKeys(runs: readonly Run[]): { keys: string[]; common: boolean } {
  const keySets = runs.map((run) => new Set((run.data?.metrics ?? []).map((metric) => metric.key)));
  const union = [...new Set(keySets.flatMap((keys) => [...keys]))].sort();
  const common = union.filter((key) => keySets.every((keys) => keys.has(key)));
  return common.length > 0 ? { keys: common, common: true } : { keys: union, common: false };
}

function CompareChart({ runs, metricKey }: { runs: readonly { id: string; label: string }[]; metricKey: string }) {
  const { series, error } = useMetricSeries(runs, metricKey);
  if (error) return <ErrorNotice error={error} title={metricKey} />;
  if (!series) return <Loading>Loading {metricKey}…</Loading>;
  return <MetricChart title={metricKey} series={series} height={260} />;
}

/** Side-by-side view of 2-20 runs: overlaid metric charts, a params diff, parallel coordinates. */
export function ComparePage({ runIds, experimentId }: { runIds: string[]; experimentId: string | undefined }) {
  const results = useQueries({
    queries: runIds.map((runId) => ({ queryKey: ['run', runId], queryFn: () => getRun(runId) })),
  });
  const experiment = useQuery({
    queryKey: ['experiment', experimentId],
    queryFn: () => getExperiment(experimentId ?? ''),
    enabled: experimentId !== undefined,
  });
  const loadedRuns = results.map((result) => result.data).filter((run): run is Run => run !== undefined);
  const allLoaded = loadedRuns.length === runIds.length;
  const runsKey = loadedRuns.map((run) => run.info.run_id).join(',');
  // Keyed on the loaded run ids, not on the results array (new every render), so charts are not rebuilt.
  const runs = useMemo(() => (allLoaded ? loadedRuns : []), [allLoaded, runsKey]);
  const labels = useMemo(() => runs.map(runLabel), [runs]);
  const chartRuns = useMemo(() => runs.map((run, index) => ({ id: run.info.run_id, label: labels[index] ?? '' })), [runs, labels]);
  const metrics = useMemo(() => comparedMetricKeys(runs), [runs]);
  const [chosenMetric, setChosenMetric] = useState<string | undefined>(undefined);
  const axisMetric = chosenMetric ?? metrics.keys[0];

  const failed = results.find((result) => result.error);
  const backHref = experimentId ? `/experiments/${encodeURIComponent(experimentId)}` : '/experiments';
  const header = (
    <>
      <div className="breadcrumbs">
        <Link to="/experiments">Experiments</Link> / <Link to={backHref}>{experiment.data?.name ?? experimentId ?? 'runs'}</Link> / <span>Compare</span>
      </div>
      <h1>Comparing {runIds.length} runs</h1>
    </>
  );
  if (runIds.length < 2) return <div className="page">{header}<p>Choose at least two runs to compare.</p></div>;
  if (failed) return <div className="page">{header}<ErrorNotice error={failed.error} title="Could not load a run" /></div>;
  if (!allLoaded) return <div className="page">{header}<Loading>Loading {runIds.length} runs…</Loading></div>;

  const differing = differingParamKeys(runs);
  const allParamKeys = [...new Set(runs.flatMap((run) => (run.data?.params ?? []).map((param) => param.key)))].sort();
  const axisParams = (differing.length > 0 ? differing : allParamKeys).slice(0, MAX_AXES);
  const coordinateRuns: CoordinateRun[] = runs.map((run, index) => {
    const metric = run.data?.metrics?.find((entry) => entry.key === axisMetric);
    return {
      id: run.info.run_id,
      label: labels[index] ?? '',
      params: Object.fromEntries((run.data?.params ?? []).map((param) => [param.key, param.value])),
      metric: metric ? metricNumber(metric.value) : undefined,
    };
  });

  return (
    <div className="page compare-page">
      {header}
      <section>
        <h2>Metrics</h2>
        {!metrics.common && metrics.keys.length > 0 ? <p className="muted">These runs share no metric; showing every metric any of them logged.</p> : null}
        {metrics.keys.length === 0 ? <p className="muted">No metrics logged.</p> : null}
        <div className="chart-grid">
          {metrics.keys.map((key) => (
            <CompareChart key={key} runs={chartRuns} metricKey={key} />
          ))}
        </div>
      </section>
      <section>
        <h2>Parameters</h2>
        <ParamsDiff runs={runs} labels={labels} />
      </section>
      <section>
        <h2>Parallel coordinates</h2>
        {axisMetric === undefined || axisParams.length === 0 ? (
          <p className="muted">Needs at least one param and one metric.</p>
        ) : (
          <>
            <label className="inline-option">
              Metric{' '}
              <select value={axisMetric} onChange={(event) => setChosenMetric(event.target.value)}>
                {metrics.keys.map((key) => (
                  <option key={key} value={key}>
                    {key}
                  </option>
                ))}
              </select>
              {differing.length > MAX_AXES ? <span className="muted"> (first {MAX_AXES} of {differing.length} differing params)</span> : null}
            </label>
            <ParallelCoordinates runs={coordinateRuns} paramKeys={axisParams} metricKey={axisMetric} />
          </>
        )}
      </section>
    </div>
  );
}
