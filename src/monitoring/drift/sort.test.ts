import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortFloat64 } from './sort.js';

test('radix sort agrees with the built-in sort on mixed signs, zeros, ties and extremes', () => {
  const n = 50000;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = (i * 2654435761) % 1000;
    values[i] = r < 10 ? -0 : r < 20 ? 0 : r < 30 ? Number.MAX_VALUE : r < 40 ? -Number.MIN_VALUE : Math.sin(i) * 10 ** (r % 12 - 6);
  }
  const expected = values.slice().sort();
  const actual = sortFloat64(values.slice());
  assert.deepEqual([...actual].map((v) => Object.is(v, -0) ? '-0' : v), [...expected].map((v) => Object.is(v, -0) ? '-0' : v));
});

test('small arrays and constant arrays', () => {
  assert.deepEqual([...sortFloat64(Float64Array.from([3, -1, 2]))], [-1, 2, 3]);
  assert.deepEqual([...sortFloat64(new Float64Array(10000).fill(7))].every((v) => v === 7), true);
});
