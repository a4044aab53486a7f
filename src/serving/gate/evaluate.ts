/**
 * Score a model on a holdout table and compute one metric; also time single-row requests for the
 * latency rule. Predictions are read as a pyfunc caller would: a record's `label` and
 * `probabilities`, or the one value per row of a single-output model.
 */
import { invalid } from '../../core/errors.js';
import type { FrameInput } from '../decode.js';
import type { JsonValue } from '../predictions.js';
import type { LoadedModel } from '../runtime.js';
import { accuracy, f1, mae, rmse, rocAuc, type GateMetric } from './metrics.js';

/** A holdout table: feature columns, their rows, and the label column's values. */
export interface Holdout {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  readonly labels: readonly (number | string)[];
}

/** What one model scored. */
export interface Evaluation {
  readonly value: number;
  /** p95 of single-row request latency, in milliseconds. */
  readonly p95LatencyMs: number;
  readonly rows: number;
}

const BATCH = 2_000;
const LATENCY_SAMPLES = 200;

/** Score every row, compute `metric`, and time up to 200 single-row requests. */
export async function evaluate(model: LoadedModel, data: Holdout, metric: GateMetric): Promise<Evaluation> {
  const predictions: JsonValue[] = [];
  for (let start = 0; start < data.rows.length; start += BATCH) {
    const frame: FrameInput = { kind: 'frame', columns: data.columns, rows: data.rows.slice(start, start + BATCH), fromCsv: false };
    const out = await model.predict(frame);
    if (!Array.isArray(out)) throw invalid(`${model.label} returned outputs that are not one per row, so they cannot be compared with the labels`);
    predictions.push(...out);
  }
  return { value: metricOf(metric, data.labels, predictions), p95LatencyMs: await p95Latency(model, data), rows: data.rows.length };
}

function metricOf(metric: GateMetric, labels: readonly (number | string)[], predictions: readonly JsonValue[]): number {
  switch (metric) {
    case 'accuracy':
      return accuracy(labels, predictions.map(labelOf));
    case 'f1':
      return f1(labels, predictions.map(labelOf));
    case 'roc_auc': {
      const scores = predictions.map(probabilitiesOf);
      return rocAuc(labels, scores, classesFor(labels, scores[0]?.length ?? 0));
    }
    case 'rmse':
      return rmse(labels.map(numeric), predictions.map(valueOf));
    case 'mae':
      return mae(labels.map(numeric), predictions.map(valueOf));
  }
}

function labelOf(p: JsonValue): number | string {
  if (p !== null && typeof p === 'object' && !Array.isArray(p) && 'label' in p) return scalarLabel(p['label'] ?? null);
  if (Array.isArray(p)) return p.reduce<number>((best, v, i, all) => (Number(v) > Number(all[best]) ? i : best), 0);
  return scalarLabel(p);
}

function scalarLabel(v: JsonValue): number | string {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw invalid(`a prediction is not a label: ${JSON.stringify(v)}`);
}

function probabilitiesOf(p: JsonValue): number[] {
  const value = p !== null && typeof p === 'object' && !Array.isArray(p) ? (p['probabilities'] ?? p['probability']) : p;
  if (!Array.isArray(value)) throw invalid('roc_auc needs class probabilities: export the classifier with its probabilities (skl2onnx options zipmap=False)');
  return value.map(Number);
}

function valueOf(p: JsonValue): number {
  if (typeof p === 'number') return p;
  if (Array.isArray(p) && p.length === 1) return Number(p[0]);
  if (p !== null && typeof p === 'object' && !Array.isArray(p)) {
    const first = Object.values(p).find((v) => typeof v === 'number');
    if (typeof first === 'number') return first;
  }
  throw invalid(`a prediction is not a number: ${JSON.stringify(p)}`);
}

function numeric(v: number | string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw invalid(`the label '${v}' is not a number; rmse and mae need numeric labels`);
  return n;
}

/** Probability column k is the k-th class in sorted order (scikit-learn's classes_). */
function classesFor(labels: readonly (number | string)[], width: number): (number | string)[] {
  const distinct = [...new Set(labels)].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
  if (distinct.length === width) return distinct;
  return Array.from({ length: width }, (_, i) => i);
}

async function p95Latency(model: LoadedModel, data: Holdout): Promise<number> {
  const count = Math.min(LATENCY_SAMPLES, data.rows.length);
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const frame: FrameInput = { kind: 'frame', columns: data.columns, rows: [data.rows[i] as readonly unknown[]], fromCsv: false };
    const started = performance.now();
    await model.predict(frame);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  // Nearest rank: the smallest time at or above 95% of the samples.
  return times[Math.max(0, Math.ceil(0.95 * times.length) - 1)] ?? 0;
}
