/**
 * Two-sample Cramér–von Mises test, as `scipy.stats.cramervonmises_2samp(ref, cur)` computes it
 * (`scipy/stats/_hypotests.py`, method 'auto'): midranks of the pooled sample, the T statistic
 * (Anderson 1962, eq. 9), an exact p-value when both samples have at most 20 values (Xiao,
 * Gordon & Yakovlev 2006) and otherwise the limiting one-sample distribution of the normalised
 * statistic (Csörgő & Faraway 1996, eq. 1.2). Evidently's `cramer_von_mises` is a copy of it.
 */
import { compensatedSum } from './distances.js';

/** Result of {@link cramerVonMisesTwoSample}. */
export interface CramerVonMisesResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** How the p-value is computed: scipy's `method` argument. */
export type CvmMethod = 'auto' | 'exact' | 'asymptotic';

// scipy: 'auto' is exact when both samples have at most this many values.
const MAX_EXACT = 20;

/** K_ν(x), the modified Bessel function of the second kind, by the trapezoid rule on ∫₀^∞ e^(−x cosh t) cosh(νt) dt. */
export function besselK(nu: number, x: number): number {
  if (!(x > 0)) return x === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  // The integrand is analytic in a strip and decays double-exponentially, so a fixed step is
  // accurate to rounding (error ≈ e^(−π²/2h)); it is cut where e^(−x cosh t) has underflowed.
  const h = 0.02;
  const tMax = Math.acosh(Math.max(1, (750 + 10 * Math.abs(nu)) / x)) + 1;
  const terms: number[] = [0.5 * Math.exp(-x)];
  for (let t = h; t <= tMax; t += h) terms.push(Math.exp(-x * Math.cosh(t)) * Math.cosh(nu * t));
  return h * compensatedSum(terms);
}

/** scipy `_cdf_cvm_inf`: the limiting CDF of the one-sample statistic, summed until a term is below 1e-7. */
export function cvmLimitingCdf(x: number): number {
  let total = 0;
  // exp(gammaln(k + 1/2) − gammaln(k + 1)) by its ratio recurrence, starting at Γ(1/2)/Γ(1) = √π.
  let ratio = Math.sqrt(Math.PI);
  for (let k = 0; ; k++) {
    const u = ratio / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const z = u * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
    total += z;
    if (!(Math.abs(z) >= 1e-7)) return total;
    ratio *= (k + 0.5) / (k + 1);
  }
}

/** numpy's floor division of doubles (`npy_divmod`), which `//` applies to scipy's float statistic. */
function floorDivide(a: number, b: number): number {
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  let floored = Math.floor(div);
  if (div - floored > 0.5) floored += 1;
  return floored;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}

/** C(n, k) as an exact integer in a double (exact while it stays below 2^53, as it does for n ≤ 40). */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c;
}

/** scipy `_pval_cvm_2samp_exact`: P(U ≥ s) by the frequency tables g⁺(u, v) of Xiao et al. (Algorithm 1). */
export function cvmExactPValue(s: number, m: number, n: number): number {
  const lcm = (m / gcd(m, n)) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = floorDivide(lcm ** 2 * (m + n) * (6 * s - mn * (4 * mn - 1)), 6 * mn ** 2);
  // gs[v]: value → number of lattice paths reaching (u, v) with that partial sum.
  let gs: Map<number, number>[] = [new Map([[0, 1]]), ...Array.from({ length: m }, () => new Map<number, number>())];
  for (let u = 0; u <= n; u++) {
    const next: Map<number, number>[] = [];
    let tmp = new Map<number, number>();
    for (let v = 0; v < gs.length; v++) {
      const merged = new Map(tmp);
      for (const [value, freq] of gs[v]!) merged.set(value, (merged.get(value) ?? 0) + freq);
      const step = (a * v - b * u) ** 2;
      tmp = new Map();
      for (const [value, freq] of merged) tmp.set(value + step, freq);
      next.push(tmp);
    }
    gs = next;
  }
  let count = 0;
  for (const [value, freq] of gs[m]!) if (value >= zeta) count += freq;
  return count / binomial(m + n, m);
}

/**
 * Two-sided two-sample Cramér–von Mises test on sorted, NaN-free samples. Returns null when scipy
 * raises: a sample has fewer than two values.
 */
export function cramerVonMisesTwoSample(x: Float64Array, y: Float64Array, method: CvmMethod = 'auto'): CramerVonMisesResult | null {
  const nx = x.length;
  const ny = y.length;
  if (nx <= 1 || ny <= 1) return null;
  const exact = method === 'exact' || (method === 'auto' && Math.max(nx, ny) <= MAX_EXACT);
  // Midranks of the pooled sample (rankdata 'average'), walked in each sample's sorted order.
  const termsX = new Float64Array(nx);
  const termsY = new Float64Array(ny);
  let i = 0;
  let j = 0;
  while (i < nx || j < ny) {
    const v = i < nx && (j >= ny || x[i]! <= y[j]!) ? x[i]! : y[j]!;
    const i0 = i;
    const j0 = j;
    while (i < nx && x[i] === v) i++;
    while (j < ny && y[j] === v) j++;
    const rank = 0.5 * (2 * (i0 + j0) + (i - i0) + (j - j0) + 1);
    for (let p = i0; p < i; p++) termsX[p] = (rank - (p + 1)) ** 2;
    for (let p = j0; p < j; p++) termsY[p] = (rank - (p + 1)) ** 2;
  }
  let u = nx * compensatedSum(termsX);
  u += ny * compensatedSum(termsY);
  const k = nx * ny;
  const N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);
  if (exact) return { statistic: t, pValue: cvmExactPValue(u, nx, ny), method: 'exact' };
  const et = (1 + 1 / N) / 6;
  let vt = (N + 1) * (4 * k * N - 3 * (nx ** 2 + ny ** 2) - 2 * k);
  vt = vt / (45 * N ** 2 * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  // scipy: below 0.003 the limiting CDF is under 1.3e-18, so p = 1.
  const pValue = tn < 0.003 ? 1 : Math.max(0, 1 - cvmLimitingCdf(tn));
  return { statistic: t, pValue, method: 'asymptotic' };
}
