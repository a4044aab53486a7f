/**
 * Anderson–Darling k-sample test for two samples, as `scipy.stats.anderson_ksamp([ref, cur])`
 * computes it with its default `midrank=True` (`scipy/stats/_morestats.py`): the A²akN statistic
 * of Scholz & Stephens (1987, eq. 7), standardised, and the p-value interpolated from their
 * Table 2 by a quadratic fit of log(significance) on the critical values. scipy caps the p-value
 * at 0.25 and floors it at 0.001 (with a warning) outside the table; cairn does the same and says
 * so in the result's note.
 */
import { compensatedSum } from './distances.js';

/** Result of {@link andersonDarlingTwoSample}. */
export interface AndersonResult {
  /** The standardised statistic (scipy's `statistic`). */
  statistic: number;
  pValue: number;
  /** Set when scipy would warn: the p-value is capped at 0.25 or floored at 0.001. */
  note?: string;
}

// Scholz & Stephens (1987) Table 2 interpolation coefficients, as scipy lists them.
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

/** A²akN (midrank) for two sorted samples, by one merge over their distinct values. */
function midrankStatistic(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  const N = n1 + n2;
  const terms1: number[] = [];
  const terms2: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const v = i < n1 && (j >= n2 || a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const left = i + j;
    const i0 = i;
    const j0 = j;
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    const lj = i - i0 + (j - j0);
    const Bj = left + lj / 2;
    const denominator = Bj * (N - Bj) - (N * lj) / 4;
    const M1 = i - (i - i0) / 2;
    const M2 = j - (j - j0) / 2;
    // scipy: lj / N * (N*Mij - Bj*n_i)**2 / (Bj*(N - Bj) - N*lj/4), evaluated left to right.
    terms1.push(((lj / N) * (N * M1 - Bj * n1) ** 2) / denominator);
    terms2.push(((lj / N) * (N * M2 - Bj * n2) ** 2) / denominator);
  }
  let A2 = 0;
  A2 += compensatedSum(terms1) / n1;
  A2 += compensatedSum(terms2) / n2;
  return A2 * ((N - 1) / N);
}

/** The variance of A²kN under the null (Scholz & Stephens eq. 4), for k samples of sizes n. */
function nullVariance(sizes: readonly number[], N: number): number {
  const k = sizes.length;
  let H = 0;
  for (const n of sizes) H += 1 / n;
  // hs_cs = cumsum(1 / arange(N-1, 1, -1)); h = hs_cs[-1] + 1; g = sum(hs_cs / arange(2, N)).
  let running = 0;
  const gTerms = new Float64Array(Math.max(N - 2, 0));
  for (let idx = 0, d = N - 1; d > 1; idx++, d--) {
    running += 1 / d;
    gTerms[idx] = running / (idx + 2);
  }
  const h = running + 1;
  const g = compensatedSum(gTerms);
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  return (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
}

/** Least-squares quadratic through (x, y) (`np.polyfit(x, y, 2)`), highest power first. */
export function quadraticFit(x: readonly number[], y: readonly number[]): [number, number, number] {
  // Normal equations on the 3×3 Gram matrix; the seven table points are well conditioned.
  const s = [0, 0, 0, 0, 0];
  const t = [0, 0, 0];
  x.forEach((xi, i) => {
    for (let p = 0; p < 5; p++) s[p]! += xi ** p;
    for (let p = 0; p < 3; p++) t[p]! += xi ** p * y[i]!;
  });
  const m = [
    [s[4]!, s[3]!, s[2]!, t[2]!],
    [s[3]!, s[2]!, s[1]!, t[1]!],
    [s[2]!, s[1]!, s[0]!, t[0]!],
  ];
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < 3; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c < 4; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const out = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let v = m[r]![3]!;
    for (let c = r + 1; c < 3; c++) v -= m[r]![c]! * out[c]!;
    out[r] = v / m[r]![r]!;
  }
  return [out[0]!, out[1]!, out[2]!];
}

/**
 * Two-sample Anderson–Darling test on sorted, NaN-free samples. Returns null when scipy raises:
 * a sample is empty, or the pooled sample has fewer than two distinct values.
 */
export function andersonDarlingTwoSample(a: Float64Array, b: Float64Array): AndersonResult | null {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return null;
  const lowest = Math.min(a[0]!, b[0]!);
  const highest = Math.max(a[n1 - 1]!, b[n2 - 1]!);
  if (lowest === highest) return null;
  const N = n1 + n2;
  const m = 1; // k − 1 for two samples
  const A2 = (midrankStatistic(a, b) - m) / Math.sqrt(nullVariance([n1, n2], N));
  const critical = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(m) + B2[i]! / m);
  if (A2 < Math.min(...critical)) return { statistic: A2, pValue: 0.25, note: 'p-value capped at 0.25 (as scipy): the true value is larger' };
  if (A2 > Math.max(...critical)) return { statistic: A2, pValue: 0.001, note: 'p-value floored at 0.001 (as scipy): the true value is smaller' };
  const [c2, c1, c0] = quadraticFit(critical, SIGNIFICANCE.map(Math.log));
  return { statistic: A2, pValue: Math.exp((c2 * A2 + c1) * A2 + c0) };
}
