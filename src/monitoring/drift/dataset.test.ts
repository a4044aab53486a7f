import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driftForDataset } from './dataset.js';
import type { DriftInputColumn } from './dataset.js';

const num = (values: number[]): DriftInputColumn['reference'] => ({ kind: 'num', values: Float64Array.from(values), integer: false });
const same = Array.from({ length: 200 }, (_, i) => i % 17);
const shifted = same.map((v) => v + 30);

test('dataset drift when the share of drifted columns reaches the threshold (≥, default 0.5)', () => {
  const columns: DriftInputColumn[] = [
    { name: 'a', type: 'num', reference: num(same), current: num(shifted) },
    { name: 'b', type: 'num', reference: num(same), current: num(same) },
  ];
  const r = driftForDataset(columns);
  assert.equal(r.numberOfDriftedColumns, 1);
  assert.equal(r.shareOfDriftedColumns, 0.5);
  assert.equal(r.datasetDrift, true);
  assert.equal(driftForDataset(columns, { driftShare: 0.6 }).datasetDrift, false);
});

test('untested columns stay out of the share; no tested column means no dataset drift', () => {
  const r = driftForDataset([
    { name: 'text', type: 'text' },
    { name: 'when', type: 'datetime' },
    { name: 'empty', type: 'num', reference: num([]), current: num([1]) },
  ]);
  assert.deepEqual(r.columns.map((c) => c.status), ['skipped', 'skipped', 'not_enough_data']);
  assert.equal(r.numberOfTestedColumns, 0);
  assert.equal(r.shareOfDriftedColumns, 0);
  assert.equal(r.datasetDrift, false);
});

test('histograms for the report cover both windows', () => {
  const r = driftForDataset([{ name: 'a', type: 'num', reference: num(same), current: num(shifted) }], { histograms: true });
  const h = r.histograms?.['a'];
  assert.ok(h && h.kind === 'num');
  assert.equal(h.edges[0], 0);
  assert.equal(h.edges[h.edges.length - 1], 46);
  assert.ok(Math.abs(h.reference.reduce((s, v) => s + v, 0) - 1) < 1e-12);
});

test('a bad drift share is refused', () => {
  assert.throws(() => driftForDataset([], { driftShare: 0 }), /drift share/);
});
