import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSignature } from './signature.js';
import { diffSignatures } from './signature-diff.js';

const cols = (specs: object[]): string => JSON.stringify(specs);
const col = (name: string, type: string, required = true): object => ({ name, type, required });
const tensor = (name: string | null, dtype: string, shape: number[]): object => ({ ...(name ? { name } : {}), type: 'tensor', 'tensor-spec': { dtype, shape } });
const sig = (inputs: object[] | null, outputs: object[] | null) => parseSignature({ inputs: inputs && cols(inputs), outputs: outputs && cols(outputs) });

test('identical signatures are compatible with no changes', () => {
  const s = sig([col('a', 'double')], [tensor(null, 'int64', [-1])]);
  assert.deepEqual(diffSignatures(s, s), { changes: [], compatible: true, notes: [] });
});

test('a new required input breaks old callers; a new optional one and a dropped one do not', () => {
  const v1 = sig([col('a', 'double'), col('b', 'double')], null);
  const v2 = sig([col('a', 'double'), col('c', 'string'), col('d', 'long', false)], null);
  const diff = diffSignatures(v1, v2);
  assert.deepEqual(
    diff.changes.map((c) => [c.side, c.name, c.change, c.breaks !== null]),
    [
      ['input', 'c', 'added', true],
      ['input', 'd', 'added', false],
      ['input', 'b', 'removed', false],
    ],
  );
  assert.equal(diff.compatible, false);
  assert.equal(diffSignatures(v1, sig([col('a', 'double'), col('b', 'double'), col('d', 'long', false)], null)).compatible, true);
  assert.equal(diffSignatures(v1, sig(null, null)).compatible, null);
});

test('widening an input type is safe, narrowing is not', () => {
  const widen = diffSignatures(sig([col('n', 'integer')], [tensor(null, 'int64', [-1])]), sig([col('n', 'double')], [tensor(null, 'int64', [-1])]));
  assert.deepEqual(widen.changes.map((c) => [c.change, c.from, c.to, c.breaks]), [['retyped', 'integer', 'double', null]]);
  assert.equal(widen.compatible, true);
  const narrow = diffSignatures(sig([col('n', 'double')], [tensor(null, 'int64', [-1])]), sig([col('n', 'long')], [tensor(null, 'int64', [-1])]));
  assert.equal(narrow.compatible, false);
  assert.match(narrow.changes[0]?.breaks ?? '', /double are not valid long/);
  const required = diffSignatures(sig([col('n', 'double', false)], []), sig([col('n', 'double', true)], []));
  assert.deepEqual(required.changes.map((c) => [c.change, c.breaks]), [['now required', 'old callers may leave it out']]);
});

test('outputs: removing or retyping breaks readers; one output becoming two changes the response shape', () => {
  const v1 = sig([col('a', 'double')], [tensor('label', 'int64', [-1])]);
  const v2 = sig([col('a', 'double')], [tensor('label', 'int64', [-1]), tensor('probabilities', 'float32', [-1, 3])]);
  const diff = diffSignatures(v1, v2);
  assert.deepEqual(diff.changes.map((c) => [c.side, c.name, c.change, c.breaks]), [['output', 'probabilities', 'added', null]]);
  assert.equal(diff.compatible, false);
  assert.match(diff.notes[0]?.text ?? '', /one value per row to one record per row/);
  const removed = diffSignatures(v2, sig([col('a', 'double')], [tensor('label', 'int64', [-1]), tensor('scores', 'float32', [-1, 3])]));
  assert.deepEqual(removed.changes.map((c) => [c.name, c.change, c.breaks]), [['scores', 'added', null], ['probabilities', 'removed', 'old callers read it']]);
});

test('tensor inputs: a fixed dimension that becomes variable is safe, the reverse is not', () => {
  const fixed = sig([tensor(null, 'float32', [-1, 4])], null);
  const open = sig([tensor(null, 'float32', [-1, -1])], null);
  assert.equal(diffSignatures(fixed, open).changes[0]?.breaks, null);
  assert.notEqual(diffSignatures(open, fixed).changes[0]?.breaks, null);
});
