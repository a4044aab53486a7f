import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DriftInputColumn } from './dataset.js';
import { driftForDataset } from './dataset.js';
import { startDriftPool } from './pool.js';

/** A mixed dataset, built fresh each call (the pool moves the arrays to its workers). */
function columns(): DriftInputColumn[] {
  let s = 7;
  const random = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const numbers = (n: number, shift: number): Float64Array => Float64Array.from({ length: n }, (_, i) => (i % 50 === 0 ? Number.NaN : random() * 10 + shift));
  const codes = (n: number, k: number): Int32Array => Int32Array.from({ length: n }, () => Math.floor(random() * k));
  return [
    { name: 'a', type: 'num', reference: { kind: 'num', values: numbers(20000, 0), integer: false }, current: { kind: 'num', values: numbers(15000, 0.5), integer: false } },
    { name: 'b', type: 'num', reference: { kind: 'num', values: numbers(800, 0), integer: false }, current: { kind: 'num', values: numbers(900, 0), integer: false } },
    { name: 'c', type: 'cat', reference: { kind: 'cat', codes: codes(5000, 4), categories: ['p', 'q', 'r', 's'], numericLabels: false }, current: { kind: 'cat', codes: codes(4000, 3), categories: ['p', 'q', 'r'], numericLabels: false } },
    { name: 'd', type: 'text' },
    { name: 'e', type: 'num', reference: { kind: 'num', values: numbers(3000, 0), integer: false }, current: { kind: 'num', values: new Float64Array(10).fill(Number.NaN), integer: false } },
  ];
}

test('the pool gives exactly the serial result, histograms included, in column order', async () => {
  const pool = startDriftPool(2);
  try {
    const options = { tests: { b: 'anderson' as const }, histograms: true };
    assert.deepEqual(await pool.driftForDataset(columns(), options), driftForDataset(columns(), options));
    assert.deepEqual(await pool.driftForDataset(columns()), driftForDataset(columns()), 'a second job on the same workers');
  } finally {
    await pool.close();
  }
});

test('an error in a worker comes back as the same CairnError; a pool of none runs on the calling thread', async () => {
  const pool = startDriftPool(1);
  try {
    const bad = columns();
    await assert.rejects(pool.driftForDataset(bad, { tests: { c: 'ks' } }), (error: Error & { code?: string }) => error.name === 'CairnError' && error.code === 'INVALID_PARAMETER_VALUE' && /test 'ks' applies to numerical columns/.test(error.message));
  } finally {
    await pool.close();
  }
  const none = startDriftPool(0);
  assert.deepEqual(await none.driftForDataset(columns()), driftForDataset(columns()));
  await none.close();
});
