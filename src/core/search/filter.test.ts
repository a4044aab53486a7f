import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CairnError } from '../errors.js';
import { parseFilter } from './filter.js';
import { parseOrderBy } from './order-by.js';

const rejects = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (error: unknown) => error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE' && pattern.test(error.message));

test('an empty or blank filter is no comparisons', () => {
  assert.deepEqual(parseFilter(''), []);
  assert.deepEqual(parseFilter('   '), []);
  assert.deepEqual(parseFilter(undefined), []);
});

test('comparisons joined by AND, keywords in any case', () => {
  assert.deepEqual(parseFilter("metrics.acc > 0.9 and params.lr = '0.01' AnD tags.team != \"ml\""), [
    { entity: 'metric', key: 'acc', op: '>', value: 0.9 },
    { entity: 'param', key: 'lr', op: '=', value: '0.01' },
    { entity: 'tag', key: 'team', op: '!=', value: 'ml' },
  ]);
});

test('every entity prefix alias maps to its entity', () => {
  const cases: Array<[string, string]> = [
    ['metric', 'metric'], ['metrics', 'metric'], ['param', 'param'], ['params', 'param'], ['parameter', 'param'],
    ['parameters', 'param'], ['tag', 'tag'], ['tags', 'tag'], ['attribute', 'attribute'], ['attributes', 'attribute'],
    ['attr', 'attribute'], ['run', 'attribute'], ['dataset', 'dataset'], ['datasets', 'dataset'],
  ];
  for (const [prefix, entity] of cases) {
    assert.equal(parseFilter(`${prefix}.k = 'v'`)[0]?.entity, entity, prefix);
  }
});

test('quoted keys: backticks, double quotes, dotted bare keys', () => {
  assert.deepEqual(parseFilter("tags.`mlflow.runName` = 'x'")[0], { entity: 'tag', key: 'mlflow.runName', op: '=', value: 'x' });
  assert.deepEqual(parseFilter('params."my key" = \'x\'')[0], { entity: 'param', key: 'my key', op: '=', value: 'x' });
  assert.deepEqual(parseFilter("metrics.val.acc < 1")[0], { entity: 'metric', key: 'val.acc', op: '<', value: 1 });
  assert.deepEqual(parseFilter('"run name" = \'a\'')[0], { entity: 'attribute', key: 'run name', op: '=', value: 'a' });
  assert.deepEqual(parseFilter("attributes.`run name` = 'a'")[0], { entity: 'attribute', key: 'run name', op: '=', value: 'a' });
  assert.deepEqual(parseFilter("status = 'RUNNING'")[0], { entity: 'attribute', key: 'status', op: '=', value: 'RUNNING' });
});

test('all comparators, with <> read as !=', () => {
  const ops = ['=', '!=', '<', '<=', '>', '>='];
  for (const op of ops) assert.equal(parseFilter(`metrics.a ${op} 1`)[0]?.op, op);
  assert.equal(parseFilter('metrics.a <> 1')[0]?.op, '!=');
  assert.equal(parseFilter("params.a like 'x%'")[0]?.op, 'LIKE');
  assert.equal(parseFilter("params.a ILIKE 'x%'")[0]?.op, 'ILIKE');
  assert.deepEqual(parseFilter('tags.a is null')[0], { entity: 'tag', key: 'a', op: 'IS NULL', value: null });
  assert.deepEqual(parseFilter('tags.a IS NOT NULL')[0], { entity: 'tag', key: 'a', op: 'IS NOT NULL', value: null });
  assert.deepEqual(parseFilter("run_id IN ('a', \"b\")")[0], { entity: 'attribute', key: 'run_id', op: 'IN', value: ['a', 'b'] });
  assert.deepEqual(parseFilter("run_id not in ('a')")[0], { entity: 'attribute', key: 'run_id', op: 'NOT IN', value: ['a'] });
});

test('numbers: negatives, exponents, no space around the operator', () => {
  assert.equal(parseFilter('metrics.a>-1.5')[0]?.value, -1.5);
  assert.equal(parseFilter('metrics.a >= 1e-3')[0]?.value, 0.001);
  assert.equal(parseFilter('metrics.a<.5')[0]?.value, 0.5);
  assert.equal(parseFilter('start_time >= 1700000000000')[0]?.value, 1700000000000);
});

test('quotes inside strings: doubled or backslashed; other backslashes are kept', () => {
  assert.equal(parseFilter("tags.a = 'it''s'")[0]?.value, "it's");
  assert.equal(parseFilter("tags.a = 'it\\'s'")[0]?.value, "it's");
  assert.equal(parseFilter("tags.a LIKE '%\\_%'")[0]?.value, '%\\_%');
  assert.equal(parseFilter("tags.a = 'x AND y'")[0]?.value, 'x AND y');
});

test('malformed filters are refused with INVALID_PARAMETER_VALUE', () => {
  rejects(() => parseFilter("metrics.a > 1 OR metrics.b > 1"), /Invalid clause/);
  rejects(() => parseFilter('(metrics.a > 1)'), /Invalid clause/);
  rejects(() => parseFilter("tags.a = 'x"), /Unterminated/);
  rejects(() => parseFilter('tags.a = x'), /not quoted/);
  rejects(() => parseFilter('metrics.a >'), /Expected a value/);
  rejects(() => parseFilter('metrics.a 1'), /comparator/);
  rejects(() => parseFilter("metrics.a > 1 AND"), /after AND/);
  rejects(() => parseFilter("foo.a = 'x'"), /Invalid entity type 'foo'/);
  rejects(() => parseFilter("run_id IN ()"), /empty list/);
  rejects(() => parseFilter("run_id IN ('a' 'b')"), /ill-formed/);
  rejects(() => parseFilter("run_id IN ('a', 1)"), /ill-formed/);
  rejects(() => parseFilter("tags.a = 'x' ; drop table runs"), /Invalid character/);
  rejects(() => parseFilter("metrics. > 1"), /key must follow/);
});

test('ORDER BY items: direction optional and case-insensitive, quoted keys', () => {
  assert.deepEqual(parseOrderBy('metrics.acc DESC'), { entity: 'metric', key: 'acc', ascending: false });
  assert.deepEqual(parseOrderBy('tags.`mlflow.runName`'), { entity: 'tag', key: 'mlflow.runName', ascending: true });
  assert.deepEqual(parseOrderBy('start_time asc'), { entity: 'attribute', key: 'start_time', ascending: true });
  assert.deepEqual(parseOrderBy('attribute.start_time'), { entity: 'attribute', key: 'start_time', ascending: true });
  assert.deepEqual(parseOrderBy('params."a b" desc'), { entity: 'param', key: 'a b', ascending: false });
  rejects(() => parseOrderBy('metrics.acc sideways'), /Invalid ordering key/);
  rejects(() => parseOrderBy('metrics.acc DESC extra'), /Could not be parsed/);
  rejects(() => parseOrderBy(''), /Could not be parsed/);
});
