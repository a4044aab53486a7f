/**
 * A run's numbers as named outputs (metric, column, value): what is stored as time series, what
 * alert rules name, and what /metrics exposes. Names are snake_case.
 *
 * | metric | column |
 * | --- | --- |
 * | drift_score, drift_detected | the data column |
 * | dataset_drift_share, dataset_drift, drifted_columns, tested_columns | '' |
 * | reference_rows, current_rows, labelled_rows | '' |
 * | accuracy, precision, recall, f1, roc_auc, log_loss, selection_rate, mae, rmse, mape, r2 | '' |
 * | segment_<metric> | the segment value |
 * | disparity_ratio, disparity_difference | the metric |
 */
import type { OutputPoint } from '../alerts/index.js';
import type { DatasetDrift } from '../drift/index.js';
import type { PerformanceResult } from '../performance/index.js';

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const HEADLINE = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss', 'selectionRate', 'mae', 'rmse', 'mape', 'r2'];

function metricPoints(metrics: object, prefix: string, column: string): OutputPoint[] {
  const out: OutputPoint[] = [];
  for (const key of HEADLINE) {
    const value = (metrics as Record<string, unknown>)[key];
    if (typeof value === 'number' && Number.isFinite(value)) out.push({ metric: `${prefix}${snake(key)}`, column, value });
  }
  return out;
}

/** Every output of a run. */
export function runOutputs(drift: DatasetDrift | undefined, performance: PerformanceResult | undefined, rows: { reference: number; current: number }): OutputPoint[] {
  const points: OutputPoint[] = [
    { metric: 'reference_rows', column: '', value: rows.reference },
    { metric: 'current_rows', column: '', value: rows.current },
  ];
  if (drift) {
    for (const c of drift.columns) {
      if (c.status !== 'tested' || c.score === null || !Number.isFinite(c.score)) continue;
      points.push({ metric: 'drift_score', column: c.column, value: c.score }, { metric: 'drift_detected', column: c.column, value: c.drift ? 1 : 0 });
    }
    points.push(
      { metric: 'dataset_drift_share', column: '', value: drift.shareOfDriftedColumns },
      { metric: 'dataset_drift', column: '', value: drift.datasetDrift ? 1 : 0 },
      { metric: 'drifted_columns', column: '', value: drift.numberOfDriftedColumns },
      { metric: 'tested_columns', column: '', value: drift.numberOfTestedColumns },
    );
  }
  if (performance) {
    points.push({ metric: 'labelled_rows', column: '', value: performance.labelledRows });
    if (performance.metrics) points.push(...metricPoints(performance.metrics, '', ''));
    for (const s of performance.segments ?? []) points.push(...metricPoints(s.metrics, 'segment_', s.segment));
    for (const d of performance.disparities ?? []) {
      if (d.ratio !== null) points.push({ metric: 'disparity_ratio', column: snake(d.metric), value: d.ratio });
      points.push({ metric: 'disparity_difference', column: snake(d.metric), value: d.difference });
    }
  }
  return points;
}
