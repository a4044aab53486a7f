/**
 * Accurate sums and means. numpy sums with pairwise summation; a compensated (Neumaier) sum is at
 * least as accurate, so cairn's metrics agree with scikit-learn's to well inside 1e-12.
 */

/** Σ values, with Neumaier compensation. */
export function accurateSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** The arithmetic mean; NaN for no values. */
export function accurateMean(values: ArrayLike<number>): number {
  return values.length === 0 ? Number.NaN : accurateSum(values) / values.length;
}
