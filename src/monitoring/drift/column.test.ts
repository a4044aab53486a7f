import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CairnError } from '../../core/errors.js';
import { defaultTest, driftForColumn } from './column.js';
import type { CategoricalColumn, NumericColumn } from './columns.js';

const num = (values: number[], integer = false): NumericColumn => ({ kind: 'num', values: Float64Array.from(values), integer });
function cat(labels: (string | null)[]): CategoricalColumn {
  const categories = [...new Set(labels.filter((l): l is string => l !== null))];
  return { kind: 'cat', codes: Int32Array.from(labels, (l) => (l === null ? -1 : categories.indexOf(l))), categories, numericLabels: false };
}
const repeat = <T>(items: T[], times: number): T[] => Array.from({ length: times }, () => items).flat();

test("Evidently's default rule: reference size, type and distinct values", () => {
  assert.equal(defaultTest('num', 1000, 6), 'ks');
  assert.equal(defaultTest('num', 1000, 5), 'chisquare');
  assert.equal(defaultTest('num', 1000, 2), 'z');
  assert.equal(defaultTest('cat', 500, 3), 'chisquare');
  assert.equal(defaultTest('cat', 500, 2), 'z');
  assert.equal(defaultTest('num', 1001, 6), 'wasserstein');
  assert.equal(defaultTest('num', 1001, 5), 'jensenshannon');
  assert.equal(defaultTest('cat', 1001, 2), 'jensenshannon');
});

test('missing values and infinities are dropped before counting rows for the rule', () => {
  const ref = num([...Array.from({ length: 1000 }, (_, i) => i), Number.NaN, Number.POSITIVE_INFINITY]);
  const r = driftForColumn('x', ref, num(Array.from({ length: 50 }, (_, i) => i * 3)), { type: 'num' });
  assert.equal(r.test, 'ks');
  assert.deepEqual(r.reference, { rows: 1002, missing: 2 });
});

test('an all-missing or empty window gives not_enough_data, never an exception', () => {
  const r = driftForColumn('x', num([1, 2, 3]), num([Number.NaN, Number.NaN]), { type: 'num' });
  assert.equal(r.status, 'not_enough_data');
  assert.equal(r.drift, false);
  assert.match(r.note ?? '', /current/);
  const empty = driftForColumn('c', cat([]), cat(['a']), { type: 'cat' });
  assert.equal(empty.status, 'not_enough_data');
  assert.match(empty.note ?? '', /reference/);
});

test('constant columns: same value on both sides is no drift', () => {
  const small = driftForColumn('x', num(repeat([4], 300)), num(repeat([4], 200)), { type: 'num' });
  assert.equal(small.test, 'z');
  assert.equal(small.pValue, 1);
  assert.equal(small.drift, false);
  const large = driftForColumn('x', num(repeat([4], 3000)), num(repeat([4], 200)), { type: 'num' });
  assert.equal(large.test, 'jensenshannon');
  assert.equal(large.statistic, 0);
  const wasserstein = driftForColumn('x', num(repeat([4], 3000)), num(repeat([4.5], 200)), { type: 'num', test: 'wasserstein' });
  assert.equal(wasserstein.statistic, 0.5 / 0.001); // a zero reference std is floored at 0.001
});

test('a category seen only in the current window: chi-square is infinite, p = 0, drift', () => {
  const r = driftForColumn('c', cat(repeat(['a', 'b', 'c'], 100)), cat(repeat(['a', 'b', 'c', 'new'], 50)), { type: 'cat' });
  assert.equal(r.test, 'chisquare');
  assert.equal(r.statistic, Number.POSITIVE_INFINITY);
  assert.equal(r.pValue, 0);
  assert.equal(r.drift, true);
});

test('chi-square with a single category has no p-value and no drift (scipy returns NaN)', () => {
  const r = driftForColumn('c', cat(repeat(['a'], 10)), cat(repeat(['a'], 12)), { type: 'cat', test: 'chisquare' });
  assert.equal(r.pValue, null);
  assert.equal(r.score, null);
  assert.equal(r.drift, false);
});

test('overrides: threshold, test, and tests that do not fit the column type', () => {
  const ref = num(Array.from({ length: 400 }, (_, i) => Math.sin(i)));
  const cur = num(Array.from({ length: 400 }, (_, i) => Math.sin(i) + 0.05));
  const r = driftForColumn('x', ref, cur, { type: 'num', test: 'psi', threshold: 0.5 });
  assert.equal(r.test, 'psi');
  assert.equal(r.threshold, 0.5);
  assert.throws(() => driftForColumn('c', cat(['a']), cat(['b']), { type: 'cat', test: 'ks' }), CairnError);
  assert.throws(() => driftForColumn('c', cat(['a', 'x']), cat(['b']), { type: 'num' }), /non-numeric/);
});

test('numeric labels can be tested as numbers, and numbers as categories', () => {
  const labels: CategoricalColumn = { kind: 'cat', codes: Int32Array.from([0, 1, 2, 1]), categories: ['1', '2', '3'], numericLabels: true };
  assert.equal(driftForColumn('x', labels, labels, { type: 'num' }).statistic, 0);
  const asCategories = driftForColumn('x', num([1, 2, 2]), num([2, 3]), { type: 'cat', test: 'TVD' });
  assert.equal(asCategories.statistic, 0.5 * (1 / 3 + 1 / 6 + 1 / 2));
});
