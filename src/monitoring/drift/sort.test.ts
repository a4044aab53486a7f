import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortFiniteInPlace } from './sort.js';

const sortedFinite = (values: Float64Array): { sorted: Float64Array; missing: number } => sortFiniteInPlace(values.slice());

const show = (values: Iterable<number>): (number | string)[] => [...values].map((v) => (Object.is(v, -0) ? '-0' : v));

test('radix sort agrees with the built-in sort on mixed signs, zeros, ties and extremes', () => {
  const n = 50000;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = (i * 2654435761) % 1000;
    values[i] = r < 10 ? -0 : r < 20 ? 0 : r < 30 ? Number.MAX_VALUE : r < 40 ? -Number.MIN_VALUE : Math.sin(i) * 10 ** (r % 12 - 6);
  }
  const expected = values.slice().sort();
  const { sorted, missing } = sortedFinite(values);
  assert.equal(missing, 0);
  assert.deepEqual(show(sorted), show(expected));
});

test('NaN and infinities are dropped and counted as missing, large and small arrays alike', () => {
  for (const n of [100, 20000]) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = i % 7 === 0 ? Number.NaN : i % 11 === 0 ? Number.POSITIVE_INFINITY : i % 13 === 0 ? Number.NEGATIVE_INFINITY : ((i * 7919) % 1000) - 500;
    const finite = values.filter(Number.isFinite).sort();
    const { sorted, missing } = sortedFinite(values);
    assert.equal(missing, n - finite.length);
    assert.deepEqual(show(sorted), show(finite));
  }
});

test('in place: sorted finite values first, then NaN; integers and constants sort (skipped digits)', () => {
  for (const n of [50, 10000]) {
    const values = Float64Array.from({ length: n }, (_, i) => (i % 9 === 0 ? Number.NaN : (i * 37) % 101));
    const expected = values.filter(Number.isFinite).sort();
    const { sorted, missing } = sortFiniteInPlace(values);
    assert.equal(sorted.buffer, values.buffer);
    assert.deepEqual(show(values.subarray(0, n - missing)), show(expected));
    assert.ok(values.subarray(n - missing).every(Number.isNaN));
  }
  assert.equal(sortFiniteInPlace(new Float64Array(5000).fill(Number.NaN)).missing, 5000);
  assert.equal(sortedFinite(new Float64Array(10000).fill(7)).sorted.every((v) => v === 7), true);
  assert.deepEqual([...sortedFinite(Float64Array.from([3, -1, 2])).sorted], [-1, 2, 3]);
});

test('values that differ only in their low mantissa bits (tie runs short and long) sort exactly', () => {
  const n = 30000;
  const long = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % n) * 2 ** -50);
  assert.deepEqual(show(sortedFinite(long).sorted), show(long.slice().sort()));
  const short = Float64Array.from({ length: n }, (_, i) => -100 + ((i * 104729) % 5000) * 0.01 + ((i * 31) % 3) * 2 ** -44);
  assert.deepEqual(show(sortedFinite(short).sorted), show(short.slice().sort()));
});
