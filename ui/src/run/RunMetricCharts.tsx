import { useMemo, useState } from 'react';
import { MetricChart } from '../charts/MetricChart.js';
import { useMetricSeries } from '../charts/useMetricHistories.js';
import { ErrorNotice, Loading } from '../components.js';

const INITIAL_CHARTS = 12;

function RunMetricChart({ runId, runName, metricKey }: { runId: string; runName: string; metricKey: string }) {
  const runs = useMemo(() => [{ id: runId, label: runName }], [runId, runName]);
  const { series, error } = useMetricSeries(runs, metricKey);
  if (error) return <ErrorNotice error={error} title={metricKey} />;
  if (!series) return <Loading>Loading {metricKey}…</Loading>;
  return <MetricChart title={metricKey} series={series} />;
}

/** One chart per metric key of a run; many keys are shown a dozen at a time to keep requests few. */
export function RunMetricCharts({ runId, runName, metricKeys }: { runId: string; runName: string; metricKeys: string[] }) {
  const [showAll, setShowAll] = useState(false);
  if (metricKeys.length === 0) return <p className="muted">No metrics logged.</p>;
  const shown = showAll ? metricKeys : metricKeys.slice(0, INITIAL_CHARTS);
  return (
    <>
      <div className="chart-grid">
        {shown.map((key) => (
          <RunMetricChart key={key} runId={runId} runName={runName} metricKey={key} />
        ))}
      </div>
      {shown.length < metricKeys.length ? (
        <button type="button" onClick={() => setShowAll(true)}>
          Show all {metricKeys.length} charts
        </button>
      ) : null}
    </>
  );
}
