/**
 * Small per-column histograms for reports: both windows on shared bins, as shares, so the HTML
 * report can overlay them without carrying the data.
 */
import type { ColumnSample } from './columns.js';
import { countInEdges, linspace } from './histogram.js';

/** Shares of each window per bin (numeric) or per category (categorical, the most frequent first). */
export type ReportHistogram =
  | { kind: 'num'; edges: number[]; reference: number[]; current: number[] }
  | { kind: 'cat'; labels: string[]; reference: number[]; current: number[] };

const NUMERIC_BINS = 30;
const MAX_CATEGORIES = 20;

/** Histogram of both windows of a non-empty sample. */
export function reportHistogram(sample: ColumnSample): ReportHistogram {
  if (sample.kind === 'num') {
    const { reference: a, current: b } = sample;
    let min = Math.min(a[0]!, b[0]!);
    let max = Math.max(a[a.length - 1]!, b[b.length - 1]!);
    if (min === max) {
      min -= 0.5;
      max += 0.5;
    }
    const edges = linspace(min, max, NUMERIC_BINS + 1);
    return {
      kind: 'num',
      edges: [...edges],
      reference: [...countInEdges(a, edges)].map((c) => c / a.length),
      current: [...countInEdges(b, edges)].map((c) => c / b.length),
    };
  }
  const counts = sample.counts;
  const order = counts.labels
    .map((_, i) => i)
    .sort((i, j) => counts.reference[j]! + counts.current[j]! - (counts.reference[i]! + counts.current[i]!));
  const shown = order.slice(0, MAX_CATEGORIES);
  const labels = shown.map((i) => counts.labels[i]!);
  const reference = shown.map((i) => counts.reference[i]! / counts.referenceTotal);
  const current = shown.map((i) => counts.current[i]! / counts.currentTotal);
  if (order.length > MAX_CATEGORIES) {
    const rest = order.slice(MAX_CATEGORIES);
    labels.push(`(${rest.length} others)`);
    reference.push(rest.reduce((s, i) => s + counts.reference[i]!, 0) / counts.referenceTotal);
    current.push(rest.reduce((s, i) => s + counts.current[i]!, 0) / counts.currentTotal);
  }
  return { kind: 'cat', labels, reference, current };
}
