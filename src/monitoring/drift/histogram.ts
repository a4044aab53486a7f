/**
 * numpy's histogram binning (`numpy/lib/_histograms_impl.py`), reproduced operation for
 * operation so each value lands in the same bin as in numpy: Sturges bin counts, linspace
 * edges, and counting against an explicit edge array by searchsorted.
 */

/** First index i with sorted[i] ≥ value (`side='left'`) or > value (`side='right'`). */
export function searchSorted(sorted: Float64Array, value: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid]!;
    if (side === 'left' ? x < value : x <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `np.histogram_bin_edges(data, bins='sturges')` for data with the given min, max and size.
 * `integer` is numpy's integer-dtype rule: bins are never narrower than 1.
 */
export function sturgesEdges(min: number, max: number, size: number, integer: boolean): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  let width = (max - min) / (Math.log2(size) + 1);
  let bins = 1;
  if (width) {
    if (integer && width < 1) width = 1;
    bins = Math.ceil((last - first) / width);
  }
  return linspace(first, last, bins + 1);
}

/** `np.linspace(start, stop, num)`: start + i·step, with the last value exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  out[num - 1] = stop;
  return out;
}

/** `np.histogram(sorted, edges)[0]`: half-open bins, the last one closed; values outside are dropped. */
export function countInEdges(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  let previous = searchSorted(sorted, edges[0]!, 'left');
  for (let i = 1; i <= bins; i++) {
    const next = i === bins ? searchSorted(sorted, edges[i]!, 'right') : searchSorted(sorted, edges[i]!, 'left');
    counts[i - 1] = next - previous;
    previous = next;
  }
  return counts;
}
