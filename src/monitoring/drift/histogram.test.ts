import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countInEdges, searchSorted, sturgesEdges } from './histogram.js';

test('Sturges edges match numpy.histogram_bin_edges', () => {
  assert.deepEqual([...sturgesEdges(0, 2.5, 5, false)], [0, 0.625, 1.25, 1.875, 2.5]);
  // Integer data: numpy never makes bins narrower than 1.
  assert.deepEqual([...sturgesEdges(0, 11, 1200, true)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  // A constant sample widens to ±0.5 with one bin.
  assert.deepEqual([...sturgesEdges(4, 4, 10, false)], [3.5, 4.5]);
});

test('counting: half-open bins, the last one closed, outside values dropped', () => {
  const edges = sturgesEdges(0, 2.5, 5, false);
  assert.deepEqual([...countInEdges(Float64Array.from([0, 0.1, 0.35, 1, 2.5, 2.5]), edges)], [3, 1, 0, 2]);
  assert.deepEqual([...countInEdges(Float64Array.from([-1, 0.625, 9]), edges)], [0, 1, 0, 0]);
  assert.equal(searchSorted(Float64Array.from([1, 2, 2, 3]), 2, 'left'), 1);
  assert.equal(searchSorted(Float64Array.from([1, 2, 2, 3]), 2, 'right'), 3);
});
