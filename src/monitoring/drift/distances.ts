/**
 * Distance-style drift scores as Evidently computes them: normed Wasserstein, PSI, KL divergence,
 * Jensen–Shannon distance, Hellinger distance and total variation distance, with Evidently's
 * binning (`stattests/utils.py::get_binned_data`) and scipy's formulas.
 */
import { numericAsCategories, distinctSorted } from './columns.js';
import type { CategoryCounts, ColumnSample, NumericSample } from './columns.js';
import { countInEdges, sturgesEdges } from './histogram.js';

/** Neumaier-compensated sum of a sequence. */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

/** `np.std(values)` (population, ddof = 0). */
export function populationStd(values: Float64Array): number {
  const n = values.length;
  const mean = compensatedSum(values) / n;
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    const v = d * d;
    const t = sum + v;
    c += Math.abs(sum) >= v ? sum - t + v : v - t + sum;
    sum = t;
  }
  return Math.sqrt((sum + c) / n);
}

/**
 * One merge over two sorted samples: the number of distinct values of their union (the default
 * test rule needs it) and `scipy.stats.wasserstein_distance(u, v)` = ∫|F_u − F_v|, summed between
 * consecutive pooled values. The merge takes one value per step; between tied values the width is
 * 0, so those terms add exactly nothing and the sum equals scipy's term for term.
 */
export function mergeWalk(u: Float64Array, v: Float64Array): { distinct: number; wasserstein: number } {
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let c = 0;
  let previous = Math.min(u[0]!, v[0]!);
  let gap = 0;
  let distinct = 0;
  let last = Number.NaN;
  // The two empirical CDFs, i/nu and j/nv; a step moves one of them, so one division per step.
  let fu = 0;
  let fv = 0;
  while (i < nu || j < nv) {
    let x: number;
    if (j >= nv || (i < nu && u[i]! <= v[j]!)) {
      x = u[i++]!;
      fu = i / nu;
    } else {
      x = v[j++]!;
      fv = j / nv;
    }
    if (x !== last) {
      distinct++;
      last = x;
    }
    const term = gap * (x - previous);
    const t = sum + term;
    c += Math.abs(sum) >= term ? sum - t + term : term - t + sum;
    sum = t;
    previous = x;
    gap = Math.abs(fu - fv);
  }
  return { distinct, wasserstein: sum + c };
}

/** `scipy.stats.wasserstein_distance(u, v)` for sorted, non-empty samples. */
export function wassersteinDistance(u: Float64Array, v: Float64Array): number {
  return mergeWalk(u, v).wasserstein;
}

/** Evidently's `wasserstein`: the distance divided by the reference's population std (at least 0.001). */
export function normedWasserstein(sample: NumericSample): number {
  const norm = Math.max(populationStd(sample.reference), 0.001);
  return (sample.wasserstein ?? wassersteinDistance(sample.reference, sample.current)) / norm;
}

/** Share of each window per bin, as `get_binned_data` returns them. */
export interface BinnedShares {
  reference: Float64Array;
  current: Float64Array;
}

/**
 * Evidently's `get_binned_data`: Sturges bins over both windows for numeric columns with more
 * than 20 distinct reference values, otherwise one bin per distinct value of the union.
 */
export function binnedShares(sample: ColumnSample): BinnedShares {
  if (sample.kind === 'num' && distinctSorted(sample.reference) > 20) {
    const { reference: a, current: b } = sample;
    const min = Math.min(a[0]!, b[0]!);
    const max = Math.max(a[a.length - 1]!, b[b.length - 1]!);
    const edges = sturgesEdges(min, max, a.length + b.length, sample.integer);
    return { reference: divide(countInEdges(a, edges), a.length), current: divide(countInEdges(b, edges), b.length) };
  }
  const counts = sample.kind === 'num' ? numericAsCategories(sample) : sample.counts;
  return {
    reference: divide(counts.reference, counts.referenceTotal),
    current: divide(counts.current, counts.currentTotal),
  };
}

function divide(values: Float64Array, by: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! / by;
  return out;
}

/** Evidently's zero filling for PSI and KL: empty bins get min(non-zero)/10⁶, or 10⁻⁴ (no renormalising). */
export function fillZeroes(shares: Float64Array): Float64Array {
  let min = Number.POSITIVE_INFINITY;
  for (const s of shares) if (s !== 0 && s < min) min = s;
  const fill = min <= 0.0001 ? min / 10 ** 6 : 0.0001;
  return shares.map((s) => (s === 0 ? fill : s));
}

/** Population stability index Σ (ref − cur)·ln(ref/cur) over zero-filled shares. */
export function populationStabilityIndex(sample: ColumnSample): number {
  const { reference, current } = binnedShares(sample);
  const r = fillZeroes(reference);
  const c = fillZeroes(current);
  const terms = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) terms[i] = (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!);
  return compensatedSum(terms);
}

/** x·ln(x/y) with scipy's `rel_entr` conventions at zero. */
function relativeEntropyTerm(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

function normalise(values: Float64Array): Float64Array {
  const total = compensatedSum(values);
  return values.map((v) => v / total);
}

/** `scipy.stats.entropy(ref, cur)` = KL(ref ‖ cur) in nats, over zero-filled shares. */
export function klDivergence(sample: ColumnSample): number {
  const { reference, current } = binnedShares(sample);
  const p = normalise(fillZeroes(reference));
  const q = normalise(fillZeroes(current));
  const terms = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) terms[i] = relativeEntropyTerm(p[i]!, q[i]!);
  return compensatedSum(terms);
}

/** `scipy.spatial.distance.jensenshannon(ref, cur)` (natural log, so at most √ln 2). */
export function jensenShannonDistance(sample: ColumnSample): number {
  const { reference, current } = binnedShares(sample);
  const p = normalise(reference);
  const q = normalise(current);
  const terms = new Float64Array(2 * p.length);
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    terms[2 * i] = relativeEntropyTerm(p[i]!, m);
    terms[2 * i + 1] = relativeEntropyTerm(q[i]!, m);
  }
  return Math.sqrt(compensatedSum(terms) / 2);
}

/** Evidently's Hellinger distance: category shares, or density histograms on Sturges bins of the distinct values. */
export function hellingerDistance(sample: ColumnSample): number {
  let overlap = 0;
  if (sample.kind === 'cat') {
    const counts = sample.counts;
    for (let i = 0; i < counts.labels.length; i++) {
      overlap += Math.sqrt((counts.reference[i]! / counts.referenceTotal) * (counts.current[i]! / counts.currentTotal));
    }
  } else {
    const { reference: a, current: b } = sample;
    const distinct = numericAsCategories(sample).labels.length;
    const min = Math.min(a[0]!, b[0]!);
    const max = Math.max(a[a.length - 1]!, b[b.length - 1]!);
    const edges = sturgesEdges(min, max, distinct, sample.integer);
    const width = (edges[edges.length - 1]! - edges[0]!) / (edges.length - 1);
    const h1 = density(countInEdges(a, edges), edges);
    const h2 = density(countInEdges(b, edges), edges);
    for (let i = 0; i < h1.length; i++) overlap += Math.sqrt(h1[i]! * h2[i]!) * width;
  }
  return Math.sqrt(1 - Math.min(1, Math.max(0, overlap)));
}

/** `np.histogram(..., density=True)`: counts / bin width / total. */
function density(counts: Float64Array, edges: Float64Array): Float64Array {
  const total = compensatedSum(counts);
  return counts.map((n, i) => n / (edges[i + 1]! - edges[i]!) / total);
}

/** Total variation distance ½ Σ |p − q| over the union of categories (or distinct values). */
export function totalVariationDistance(sample: ColumnSample): number {
  const counts: CategoryCounts = sample.kind === 'num' ? numericAsCategories(sample) : sample.counts;
  const terms = new Float64Array(counts.labels.length);
  for (let i = 0; i < terms.length; i++) {
    terms[i] = Math.abs(counts.reference[i]! / counts.referenceTotal - counts.current[i]! / counts.currentTotal);
  }
  return 0.5 * compensatedSum(terms);
}
