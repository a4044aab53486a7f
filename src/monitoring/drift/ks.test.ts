import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ksStatistic, ksTwoSample, roundHalfEven } from './ks.js';

const sorted = (values: number[]): Float64Array => Float64Array.from(values).sort();
const close = (actual: number, expected: number, rel = 1e-12): void => {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${actual} vs ${expected}`);
};
const a = sorted([0.1, 0.5, 0.5, 0.9, 1.3, 2.0, 2.2]);
const b = sorted([0.4, 0.5, 1.0, 1.1, 3.0]);

test('exact p-value and the statistic snapped to the lattice, as scipy ks_2samp', () => {
  const r = ksTwoSample(a, b);
  assert.equal(r.method, 'exact');
  assert.equal(r.statistic, 0.22857142857142856);
  close(r.pValue, 0.98989898989899);
});

test('asymptotic p-value keeps the raw statistic', () => {
  const r = ksTwoSample(a, b, 'asymp');
  assert.equal(r.method, 'asymp');
  assert.equal(r.statistic, 0.22857142857142865);
  close(r.pValue, 0.988612892776158);
});

test('equal sample sizes use the square formula', () => {
  const x = Float64Array.from({ length: 30 }, (_, i) => i);
  const y = Float64Array.from({ length: 30 }, (_, i) => i + 5);
  const r = ksTwoSample(x, y);
  close(r.statistic, 0.16666666666666666);
  close(r.pValue, 0.8079631540901643);
});

test('ties are consumed before comparing, identical samples give D = 0 and p = 1', () => {
  assert.equal(ksStatistic(sorted([1, 1, 2]), sorted([1, 2, 2])), 1 / 3);
  const same = sorted([3, 1, 2, 2]);
  assert.deepEqual(ksTwoSample(same, same), { statistic: 0, pValue: 1, method: 'exact' });
});

test('numpy rounding: halves go to the even neighbour', () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -0, -2, 2, 3]);
});
