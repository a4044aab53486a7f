import { test } from 'node:test';
import assert from 'node:assert/strict';
import { andersonDarlingTwoSample } from './anderson.js';
import { besselK, cramerVonMisesTwoSample } from './cramer-von-mises.js';

// Expected values from scipy 1.16.3 (anderson_ksamp, cramervonmises_2samp, special.kv) on the same inputs.
const sorted = (values: number[]): Float64Array => Float64Array.from(values).sort();
const closeTo = (actual: number, expected: number, rel = 1e-12): void => {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${actual} vs ${expected}`);
};
const a = sorted(Array.from({ length: 40 }, (_, i) => (0.1 * i * i) % 3.7));
const b = sorted(Array.from({ length: 30 }, (_, i) => ((0.13 * i * i) % 3.1) + 0.4));

test('Anderson–Darling: interpolated p-value and the capped one with its note', () => {
  const r = andersonDarlingTwoSample(a, b)!;
  closeTo(r.statistic, 2.1808981329456447);
  closeTo(r.pValue, 0.041169655485482536);
  assert.equal(r.note, undefined);
  const capped = andersonDarlingTwoSample(sorted([1, 2, 2, 3, 5, 8, 13]), sorted([2, 3, 3, 4, 6, 9]))!;
  closeTo(capped.statistic, -0.6936613142131698);
  assert.equal(capped.pValue, 0.25);
  assert.match(capped.note!, /capped at 0\.25/);
  assert.equal(andersonDarlingTwoSample(sorted([4, 4]), sorted([4])), null);
});

test('Cramér–von Mises: asymptotic above 20 values, exact with ties below', () => {
  const r = cramerVonMisesTwoSample(a, b)!;
  assert.equal(r.method, 'asymptotic');
  closeTo(r.statistic, 0.3844940476190484);
  closeTo(r.pValue, 0.07975347594078408, 1e-9);
  const exact = cramerVonMisesTwoSample(sorted([1, 2, 2, 3, 5, 8, 13]), sorted([2, 3, 3, 4, 6, 9]))!;
  assert.equal(exact.method, 'exact');
  closeTo(exact.statistic, 0.07509157509157527);
  closeTo(exact.pValue, 0.8106060606060606);
  assert.equal(cramerVonMisesTwoSample(sorted([1]), sorted([1, 2])), null);
});

test('K_1/4 by quadrature matches scipy.special.kv', () => {
  closeTo(besselK(0.25, 0.001), 11.756476271934451, 1e-13);
  closeTo(besselK(0.25, 1), 0.4307397744485814, 1e-13);
  closeTo(besselK(0.25, 20), 5.750002072403683e-10, 1e-13);
});
