/**
 * Performance per segment (the values of a chosen column, e.g. region or age band) and disparity
 * ratios for fairness: for each metric, the worst segment's value over the best one's (1 = parity;
 * the "four-fifths rule" flags a selection-rate ratio below 0.8).
 */
import { invalid } from '../../core/errors.js';
import { classificationMetrics, type ClassificationInput, type ClassificationMetrics } from './classification.js';
import { regressionMetrics, type RegressionMetrics } from './regression.js';

/** The metrics of one segment. */
export interface SegmentMetrics<M> {
  segment: string;
  rows: number;
  metrics: M;
}

/** How far apart the segments are on one metric. */
export interface Disparity {
  /** The metric, snake_case (selection_rate). */
  metric: string;
  min: number;
  max: number;
  minSegment: string;
  maxSegment: string;
  /** min / max; 1 when both are 0; null when the max is not positive. */
  ratio: number | null;
  difference: number;
}

/** Metrics whose disparity is reported, per task. */
export const CLASSIFICATION_DISPARITY_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'selectionRate'] as const;
export const REGRESSION_DISPARITY_METRICS = ['mae', 'rmse', 'mape', 'r2'] as const;

/** Row indexes grouped by segment value, in sorted segment order. */
function groupRows(segments: readonly string[]): [string, number[]][] {
  const groups = new Map<string, number[]>();
  segments.forEach((s, i) => {
    const rows = groups.get(s);
    if (rows) rows.push(i);
    else groups.set(s, [i]);
  });
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Disparities of the named metrics over segments; segments missing a metric are left out. */
export function disparities<M>(segments: readonly SegmentMetrics<M>[], metrics: readonly string[]): Disparity[] {
  const out: Disparity[] = [];
  for (const metric of metrics) {
    const values = segments
      .map((s) => ({ segment: s.segment, value: (s.metrics as Record<string, unknown>)[metric] }))
      .filter((v): v is { segment: string; value: number } => typeof v.value === 'number' && Number.isFinite(v.value));
    if (values.length < 2) continue;
    const low = values.reduce((a, b) => (b.value < a.value ? b : a));
    const high = values.reduce((a, b) => (b.value > a.value ? b : a));
    const ratio = high.value > 0 ? low.value / high.value : high.value === 0 && low.value === 0 ? 1 : null;
    out.push({ metric: snakeCase(metric), min: low.value, max: high.value, minSegment: low.segment, maxSegment: high.segment, ratio, difference: high.value - low.value });
  }
  return out;
}

const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const pick = <T>(values: ArrayLike<T>, rows: readonly number[]): T[] => rows.map((i) => values[i]!);

/** Classification metrics per segment, and their disparities. */
export function classificationBySegment(input: ClassificationInput, segments: readonly string[]): { segments: SegmentMetrics<ClassificationMetrics>[]; disparities: Disparity[] } {
  if (segments.length !== input.actual.length) throw invalid(`segment column and labels differ in length: ${segments.length} vs ${input.actual.length}`);
  const out = groupRows(segments).map(([segment, rows]) => {
    const part: ClassificationInput = {
      actual: pick(input.actual, rows),
      predicted: pick(input.predicted, rows),
      ...(input.positiveLabel !== undefined ? { positiveLabel: input.positiveLabel } : {}),
      ...(input.average ? { average: input.average } : {}),
      ...(input.positiveScores ? { positiveScores: pick(input.positiveScores, rows) } : {}),
      ...(input.classScores ? { classScores: { classes: input.classScores.classes, rows: pick(input.classScores.rows, rows) } } : {}),
    };
    return { segment, rows: rows.length, metrics: classificationMetrics(part) };
  });
  return { segments: out, disparities: disparities(out, CLASSIFICATION_DISPARITY_METRICS) };
}

/** Regression metrics per segment, and their disparities. */
export function regressionBySegment(actual: ArrayLike<number>, predicted: ArrayLike<number>, segments: readonly string[]): { segments: SegmentMetrics<RegressionMetrics>[]; disparities: Disparity[] } {
  if (segments.length !== actual.length) throw invalid(`segment column and labels differ in length: ${segments.length} vs ${actual.length}`);
  const out = groupRows(segments).map(([segment, rows]) => ({ segment, rows: rows.length, metrics: regressionMetrics(pick(actual, rows), pick(predicted, rows)) }));
  return { segments: out, disparities: disparities(out, REGRESSION_DISPARITY_METRICS) };
}
