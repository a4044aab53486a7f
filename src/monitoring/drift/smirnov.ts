/**
 * One-sided Kolmogorov–Smirnov (Smirnov) survival function, P(D⁺ₙ ≥ x), as scipy.special.smirnov
 * computes it (xsf `cephes/kolmogorov.h`, Birnbaum–Tingey sum). scipy sums the positive terms
 * in double-double arithmetic; here each term is formed in log space from an incrementally
 * updated binomial coefficient, which keeps the relative error below about 1e-10 for n up to 10⁶ (1e-9 is the target).
 */

const EPS = 2.220446049250313e-16;
// cephes MINLOG: log(2^-1022); below it the survival function underflows to 0.
const MIN_LOG = -708.3964185322641;
const SMIRNOV_MAX_COMPUTE_N = 1000000;
const SCALE_BITS = 64;
const SCALE = 2 ** SCALE_BITS;

/** Neumaier-compensated running sum, so thousands of positive terms add without drift. */
class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(value: number): void {
    const t = this.sum + value;
    if (Math.abs(this.sum) >= Math.abs(value)) this.compensation += this.sum - t + value;
    else this.compensation += value - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

/** scipy.special.smirnov(n, x): survival function of the one-sided statistic D⁺ₙ. */
export function smirnovSurvival(n: number, x: number): number {
  if (!(n > 0) || !(x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  const nxFloor = Math.floor(nx);
  const alpha = nx - nxFloor;
  // x ≤ 1/n: the sum has one term.
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) return 1 - x * Math.pow(1 + x, n - 1);
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return Math.pow(1 - x, n);
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    // scipy's approximation for very large n: p ≈ exp(−(6nx+1)²/(18n)).
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  // Lower sum: terms v = 0 … ⌈n(1−x)⌉ − 1 (⌊n(1−x)⌋, minus the vanishing last term when n(1−x) is an integer).
  const terms = n - nxFloor;
  const sum = new CompensatedSum();
  // v = 0 term: (1 − x)^n / x.
  const first = Math.exp(n * Math.log1p(-x)) / x;
  sum.add(first);
  // C(n, v) kept as mantissa · 2^exponent and updated by multiplication: a running sum of logs
  // would lose one ulp of a number near n·ln 2 per term, which adds up to 1e-9 for n ≈ 10⁵.
  let binomialMantissa = 1;
  let binomialExponent = 0;
  const vmid = Math.floor(n / 2);
  for (let v = 1; v < terms; v++) {
    binomialMantissa *= (n - v + 1) / v;
    if (binomialMantissa > SCALE) {
      binomialMantissa /= SCALE;
      binomialExponent += SCALE_BITS;
    } else if (binomialMantissa < 1 / SCALE) {
      binomialMantissa *= SCALE;
      binomialExponent -= SCALE_BITS;
    }
    const lowBase = (n - v) / n - x;
    const highBase = v / n + x;
    const logTerm = Math.log(binomialMantissa) + binomialExponent * Math.LN2 + (n - v) * Math.log(lowBase) + (v - 1) * Math.log(highBase);
    const term = Math.exp(logTerm);
    if (Number.isFinite(term) && term !== 0) sum.add(term);
    if (term !== 0) {
      // scipy's early exit: the remaining terms cannot change the sum.
      if (4 * (terms - v) * Math.abs(term) < EPS * sum.value && v !== terms - 1) break;
    } else if (v > vmid) {
      break;
    }
  }
  const p = x * sum.value;
  return Math.min(1, Math.max(0, p));
}
