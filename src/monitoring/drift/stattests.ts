/**
 * The drift tests cairn offers, each with Evidently's name, default threshold and comparison
 * (`evidently/legacy/calculations/stattests/*.py`), so a verdict reads the same in both tools.
 */
import { numericAsCategories } from './columns.js';
import type { CategoryCounts, ColumnSample } from './columns.js';
import {
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  normedWasserstein,
  populationStabilityIndex,
  totalVariationDistance,
} from './distances.js';
import { invalid } from '../../core/errors.js';
import { andersonDarlingTwoSample } from './anderson.js';
import { cramerVonMisesTwoSample } from './cramer-von-mises.js';
import { ksTwoSample } from './ks.js';
import type { KsMethod } from './ks.js';
import { chiSquareSurvival, normalSurvival } from './special.js';

/** Names of the tests, as Evidently registers them. */
export const TEST_NAMES = ['ks', 'chisquare', 'z', 'wasserstein', 'psi', 'kl_div', 'jensenshannon', 'hellinger', 'TVD', 'anderson', 'cramer_von_mises'] as const;
/** One test name. */
export type TestName = (typeof TEST_NAMES)[number];

/** What a test computed. `score` is the number compared with the threshold (the p-value for p-value tests). */
export interface TestOutcome {
  statistic: number;
  pValue: number | null;
  score: number;
  /** How the p-value was obtained, where a test has several ways (K–S: exact or asymp). */
  method?: string;
  note?: string;
}

/** Options some tests take. */
export interface TestOptions {
  ksMethod: KsMethod;
}

/** A drift test: what it accepts, how it decides, and how it computes. */
export interface StatTest {
  name: TestName;
  displayName: string;
  kinds: readonly ('num' | 'cat')[];
  defaultThreshold: number;
  /** Evidently's comparison: p-value tests drift when p is below the threshold, distances when at or above it. */
  drifted: (score: number, threshold: number) => boolean;
  run: (sample: ColumnSample, options: TestOptions) => TestOutcome;
}

const categories = (sample: ColumnSample): CategoryCounts => (sample.kind === 'num' ? numericAsCategories(sample) : sample.counts);

/** `scipy.stats.chisquare(f_obs=current counts, f_exp=reference counts × N_cur/N_ref)`, df = k − 1. */
function chiSquareTest(sample: ColumnSample): TestOutcome {
  const counts = categories(sample);
  const k = counts.labels.length;
  const scale = counts.currentTotal / counts.referenceTotal;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = counts.reference[i]! * scale;
    const observed = counts.current[i]!;
    statistic += ((observed - expected) * (observed - expected)) / expected;
  }
  if (k < 2) return { statistic, pValue: null, score: Number.NaN, note: 'one category: chi-square has no degrees of freedom' };
  return { statistic, pValue: chiSquareSurvival(statistic, k - 1), score: chiSquareSurvival(statistic, k - 1) };
}

/** Evidently's pooled two-proportion z-test: the first sorted category against the rest. */
function zTest(sample: ColumnSample): TestOutcome {
  const counts = categories(sample);
  if (counts.labels.length === 1) return { statistic: 0, pValue: 1, score: 1, note: 'both windows hold one and the same value' };
  const n1 = counts.referenceTotal;
  const n2 = counts.currentTotal;
  const p1 = (n1 - counts.reference[0]!) / n1;
  const p2 = (n2 - counts.current[0]!) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const p = 2 * normalSurvival(Math.abs(z));
  return { statistic: z, pValue: p, score: p };
}

/** `scipy.stats.anderson_ksamp([ref, cur])` (midrank): the interpolated, capped p-value. */
function andersonTest(sample: ColumnSample): TestOutcome {
  if (sample.kind !== 'num') throw invalid('anderson applies to numerical columns');
  const r = andersonDarlingTwoSample(sample.reference, sample.current);
  if (!r) return { statistic: Number.NaN, pValue: null, score: Number.NaN, note: 'one distinct value in both windows: Anderson-Darling is undefined' };
  return { statistic: r.statistic, pValue: r.pValue, score: r.pValue, ...(r.note ? { note: r.note } : {}) };
}

/** `scipy.stats.cramervonmises_2samp(ref, cur)`, method 'auto'. */
function cramerVonMisesTest(sample: ColumnSample): TestOutcome {
  if (sample.kind !== 'num') throw invalid('cramer_von_mises applies to numerical columns');
  const r = cramerVonMisesTwoSample(sample.reference, sample.current);
  if (!r) return { statistic: Number.NaN, pValue: null, score: Number.NaN, note: 'Cramer-von Mises needs at least two values in each window' };
  return { statistic: r.statistic, pValue: r.pValue, score: r.pValue, method: r.method };
}

const below = (score: number, threshold: number): boolean => score < threshold;
const atOrBelow = (score: number, threshold: number): boolean => score <= threshold;
const atOrAbove = (score: number, threshold: number): boolean => score >= threshold;
const distance = (f: (s: ColumnSample) => number) => (sample: ColumnSample): TestOutcome => {
  const value = f(sample);
  return { statistic: value, pValue: null, score: value };
};

const TESTS: Readonly<Record<TestName, StatTest>> = Object.freeze({
  ks: {
    name: 'ks',
    displayName: 'K-S p_value',
    kinds: ['num'],
    defaultThreshold: 0.05,
    drifted: atOrBelow,
    run: (sample, options) => {
      if (sample.kind !== 'num') throw invalid('ks applies to numerical columns');
      const r = ksTwoSample(sample.reference, sample.current, options.ksMethod);
      return { statistic: r.statistic, pValue: r.pValue, score: r.pValue, method: r.method };
    },
  },
  chisquare: { name: 'chisquare', displayName: 'chi-square p_value', kinds: ['cat', 'num'], defaultThreshold: 0.05, drifted: below, run: chiSquareTest },
  z: { name: 'z', displayName: 'Z-test p_value', kinds: ['cat', 'num'], defaultThreshold: 0.05, drifted: below, run: zTest },
  wasserstein: {
    name: 'wasserstein',
    displayName: 'Wasserstein distance (normed)',
    kinds: ['num'],
    defaultThreshold: 0.1,
    drifted: atOrAbove,
    run: distance((s) => {
      if (s.kind !== 'num') throw invalid('wasserstein applies to numerical columns');
      return normedWasserstein(s);
    }),
  },
  psi: { name: 'psi', displayName: 'PSI', kinds: ['cat', 'num'], defaultThreshold: 0.1, drifted: atOrAbove, run: distance(populationStabilityIndex) },
  kl_div: { name: 'kl_div', displayName: 'Kullback-Leibler divergence', kinds: ['cat', 'num'], defaultThreshold: 0.1, drifted: atOrAbove, run: distance(klDivergence) },
  jensenshannon: {
    name: 'jensenshannon',
    displayName: 'Jensen-Shannon distance',
    kinds: ['cat', 'num'],
    defaultThreshold: 0.1,
    drifted: atOrAbove,
    run: distance(jensenShannonDistance),
  },
  hellinger: { name: 'hellinger', displayName: 'Hellinger distance', kinds: ['cat', 'num'], defaultThreshold: 0.1, drifted: atOrAbove, run: distance(hellingerDistance) },
  // Evidently's TVD reports a permutation p-value from numpy's random generator; cairn reports
  // the distance itself and decides at ≥ threshold, like the other distances.
  anderson: { name: 'anderson', displayName: 'Anderson-Darling', kinds: ['num'], defaultThreshold: 0.1, drifted: below, run: andersonTest },
  cramer_von_mises: { name: 'cramer_von_mises', displayName: 'Cramer-von Mises', kinds: ['num'], defaultThreshold: 0.1, drifted: atOrBelow, run: cramerVonMisesTest },
  TVD: { name: 'TVD', displayName: 'Total-Variation-Distance', kinds: ['cat', 'num'], defaultThreshold: 0.1, drifted: atOrAbove, run: distance(totalVariationDistance) },
});

/** The test registered under `name`, or undefined. */
export function findTest(name: string): StatTest | undefined {
  return (TESTS as Record<string, StatTest>)[name];
}
