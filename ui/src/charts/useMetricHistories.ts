import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getMetricHistories } from '../api/tracking.js';
import { metricNumber } from '../format.js';
import type { ChartSeries } from './MetricChart.js';

/** Fetches one metric's history for some runs (a memoised array) and makes one chart series per run. */
export function useMetricSeries(runs: readonly { id: string; label: string }[], metricKey: string, maxResults = 1000) {
  const runIds = runs.map((run) => run.id);
  const history = useQuery({
    queryKey: ['metric-history', metricKey, runIds, maxResults],
    queryFn: ({ signal }) => getMetricHistories(runIds, metricKey, maxResults, signal),
  });
  const series: ChartSeries[] | undefined = useMemo(() => {
    if (!history.data) return undefined;
    const pointsByRun = new Map<string, { x: number; y: number }[]>();
    for (const metric of history.data) {
      const points = pointsByRun.get(metric.run_id) ?? [];
      points.push({ x: metric.step ?? 0, y: metricNumber(metric.value) });
      pointsByRun.set(metric.run_id, points);
    }
    return runs.map((run) => ({
      label: run.label,
      points: (pointsByRun.get(run.id) ?? []).sort((a, b) => a.x - b.x),
    }));
  }, [history.data, runs]);
  return { series, error: history.error, isPending: history.isPending };
}
