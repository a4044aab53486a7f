import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kolmogorovSurvival } from './kolmogorov.js';
import { smirnovSurvival } from './smirnov.js';

const close = (actual: number, expected: number, rel = 1e-10): void => {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${actual} vs ${expected}`);
};

test('kstwo.sf matches scipy in the Durbin, Pomeranz, Pelz-Good and Smirnov branches', () => {
  // Values from scipy.stats.kstwo.sf(x, n), scipy 1.16.
  close(kolmogorovSurvival(100, 0.05), 0.9532159710635725); // n·x² ≤ 0.754693: Durbin matrix
  close(kolmogorovSurvival(100, 0.2), 0.0005551927327988775); // n·x² > 4: 2·smirnov
  close(kolmogorovSurvival(200000, 0.01), 8.433125699870092e-18); // n > 140, n·x² ≥ 2.2
  close(kolmogorovSurvival(200000, 0.004), 0.003314212822560255); // n > 100000: Pelz-Good
});

test('kstwo.sf edges: below the support, at or above 1, and invalid n', () => {
  assert.equal(kolmogorovSurvival(10, 0.04), 1);
  assert.equal(kolmogorovSurvival(10, 1), 0);
  assert.equal(kolmogorovSurvival(10, 0), 1);
  assert.ok(Number.isNaN(kolmogorovSurvival(0, 0.3)));
  assert.ok(Number.isNaN(kolmogorovSurvival(2.5, 0.3)));
});

test('smirnov matches scipy.special.smirnov and its closed forms', () => {
  close(smirnovSurvival(50, 0.3), 8.676630101359369e-5);
  close(smirnovSurvival(1, 0.3), 0.7, 1e-15);
  close(smirnovSurvival(5, 0.9), 0.1 ** 5, 1e-12); // x ≥ 1 − 1/n
  assert.equal(smirnovSurvival(10, 0), 1);
  assert.equal(smirnovSurvival(10, 1), 0);
});
