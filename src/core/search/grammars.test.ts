import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CairnError } from '../errors.js';
import {
  checkDatasetScopes,
  parseExperimentsFilter,
  parseExperimentsOrderBy,
  parseLoggedModelsFilter,
  parseLoggedModelsOrderBy,
  parseModelVersionsFilter,
  parseModelVersionsOrderBy,
  parseRegisteredModelsFilter,
  parseRegisteredModelsOrderBy,
  parseRunsFilter,
  parseRunsOrderBy,
  scopePrompts,
} from './index.js';

const rejects = (fn: () => unknown, message: string | RegExp) =>
  assert.throws(fn, (error: unknown) =>
    error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE' && (typeof message === 'string' ? error.message === message : message.test(error.message)));

test('runs: attribute aliases come back canonical', () => {
  assert.equal(parseRunsFilter("attributes.`run name` = 'a'")[0]?.key, 'run_name');
  assert.equal(parseRunsFilter("\"Run Name\" = 'a'")[0]?.key, 'run_name');
  assert.equal(parseRunsFilter('created > 5')[0]?.key, 'start_time');
  assert.equal(parseRunsFilter('run.end_time <= 5')[0]?.key, 'end_time');
  assert.deepEqual(parseRunsOrderBy(['created DESC', 'run_name'])[0], { entity: 'attribute', key: 'start_time', ascending: false });
});

test('runs: unknown attribute keys name the valid ones', () => {
  rejects(() => parseRunsFilter("foo = 'x'"), /^Invalid attribute key 'foo' specified\. Valid keys are '\['run_id', 'run_name'.*\]'$/);
  rejects(() => parseRunsOrderBy(['foo']), /^Invalid order by key 'foo' specified/);
});

test('runs: comparators per entity, with MLflow messages', () => {
  rejects(() => parseRunsFilter("params.a > '1'"), "Invalid comparator '>' not one of '['=', '!=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL']'");
  rejects(() => parseRunsFilter("metrics.a LIKE '1'"), /^Invalid comparator 'LIKE' not one of/);
  rejects(() => parseRunsFilter("status IN ('A')"), /^Invalid comparator 'IN'/);
  rejects(() => parseRunsFilter('start_time LIKE 5'), /^Invalid comparator 'LIKE'/);
  rejects(() => parseRunsFilter('metrics.a IS NULL'), /^Invalid comparator 'IS NULL'/);
  assert.equal(parseRunsFilter("run_id NOT IN ('a')")[0]?.op, 'NOT IN');
  assert.equal(parseRunsFilter('tags.a IS NOT NULL')[0]?.op, 'IS NOT NULL');
});

test('runs: value types are checked', () => {
  rejects(() => parseRunsFilter("metrics.a > '1'"), /^Expected numeric value type for metric/);
  rejects(() => parseRunsFilter('params.a = 1'), /^Expected a quoted string value for parameter/);
  rejects(() => parseRunsFilter("start_time > '1'"), /^Expected numeric value type for attribute start_time/);
  rejects(() => parseRunsFilter('status = 1'), /^Expected a quoted string value for attribute status/);
});

test('runs: dataset keys', () => {
  assert.deepEqual(parseRunsFilter("dataset.context IN ('train', 'eval')")[0], { entity: 'dataset', key: 'context', op: 'IN', value: ['train', 'eval'] });
  rejects(() => parseRunsFilter("dataset.size = 'x'"), "Invalid dataset key 'size' specified. Valid keys are '['name', 'digest', 'context']'");
  rejects(() => parseRunsOrderBy(['dataset.name']), /^Invalid order_by entity type 'dataset'/);
});

test('runs: duplicate ORDER BY fields are refused', () => {
  rejects(() => parseRunsOrderBy(['metrics.a', 'metric.a DESC']), /^`order_by` contains duplicate fields/);
  rejects(() => parseRunsOrderBy(['start_time', 'created DESC']), /^`order_by` contains duplicate fields/);
});

test('experiments: name, times and tags only', () => {
  assert.equal(parseExperimentsFilter("name LIKE 'a%' AND tags.x IS NULL AND creation_time > 5").length, 3);
  rejects(() => parseExperimentsFilter('metrics.a > 1'), /^Invalid entity type 'metric'/);
  rejects(() => parseExperimentsFilter("experiment_id = '1'"), /^Invalid attribute key 'experiment_id'/);
  assert.equal(parseExperimentsOrderBy(['experiment_id DESC'])[0]?.key, 'experiment_id');
  rejects(() => parseExperimentsOrderBy(['tags.a']), /^Invalid order_by entity type 'tag'/);
});

test('registered models: name and tags; timestamp orders by creation', () => {
  rejects(() => parseRegisteredModelsFilter("name IN ('a')"), /^Invalid comparator 'IN'/);
  rejects(() => parseRegisteredModelsFilter("tags.a IS NULL"), /^Invalid comparator 'IS NULL'/);
  rejects(() => parseRegisteredModelsFilter("description = 'a'"), /^Invalid attribute key 'description'/);
  assert.deepEqual(parseRegisteredModelsOrderBy(['timestamp DESC'])[0], { entity: 'attribute', key: 'creation_timestamp', ascending: false });
  rejects(() => parseRegisteredModelsOrderBy(['version_number']), /^Invalid order by key/);
});

test('model versions: run_id IN, numeric version_number, source_path', () => {
  assert.deepEqual(parseModelVersionsFilter("run_id IN ('a','b')")[0]?.value, ['a', 'b']);
  rejects(() => parseModelVersionsFilter("run_id NOT IN ('a')"), /^Invalid comparator 'NOT IN'/);
  rejects(() => parseModelVersionsFilter("name IN ('a')"), /^Invalid comparator 'IN'/);
  assert.equal(parseModelVersionsFilter('version_number >= 2')[0]?.value, 2);
  rejects(() => parseModelVersionsFilter("version_number = '2'"), /^Expected numeric value type/);
  assert.equal(parseModelVersionsFilter("source_path LIKE 'models:/%'")[0]?.key, 'source_path');
  assert.equal(parseModelVersionsOrderBy(['version_number DESC'])[0]?.ascending, false);
});

test('prompt scope: only asking for prompts keeps the prompt-tag comparison', () => {
  const normal = scopePrompts(parseRegisteredModelsFilter("tags.`mlflow.prompt.is_prompt` != 'true' AND name LIKE 'a%'"));
  assert.equal(normal.promptsWanted, false);
  assert.deepEqual(normal.comparisons.map((c) => c.key), ['name']);
  assert.equal(scopePrompts(parseRegisteredModelsFilter("tags.`mlflow.prompt.is_prompt` = 'false'")).promptsWanted, false);
  const prompts = scopePrompts(parseRegisteredModelsFilter("tags.`mlflow.prompt.is_prompt` = 'TRUE'"));
  assert.equal(prompts.promptsWanted, true);
  assert.equal(prompts.comparisons.length, 1);
  assert.equal(scopePrompts(parseRegisteredModelsFilter("tags.`mlflow.prompt.is_prompt` != 'false'")).promptsWanted, true);
  assert.equal(scopePrompts([]).promptsWanted, false);
});

test('logged models: attributes with aliases, metrics, params, tags', () => {
  const parsed = parseLoggedModelsFilter("creation_time > 5 AND last_updated_time < 9 AND metrics.acc >= 0.5 AND params.lr IN ('1') AND tags.t NOT IN ('x')");
  assert.deepEqual(parsed.map((c) => c.key), ['creation_timestamp', 'last_updated_timestamp', 'acc', 'lr', 't']);
  rejects(() => parseLoggedModelsFilter("dataset.name = 'x'"), /^Invalid entity type 'dataset'/);
  rejects(() => parseLoggedModelsFilter("artifact_location = 'x'"), /^Invalid attribute key 'artifact_location'/);
  rejects(() => parseLoggedModelsFilter("name > 'x'"), /^Invalid comparator '>'/);
});

test('logged models: structured ORDER BY', () => {
  assert.deepEqual(parseLoggedModelsOrderBy([{ field_name: 'metrics.acc', ascending: false, dataset_name: 'd' }]), [
    { entity: 'metric', key: 'acc', ascending: false, datasetName: 'd' },
  ]);
  assert.deepEqual(parseLoggedModelsOrderBy([{ field_name: 'creation_time' }]), [{ entity: 'attribute', key: 'creation_timestamp', ascending: true }]);
  rejects(() => parseLoggedModelsOrderBy([{ field_name: 'params.lr' }]), 'Invalid order by field name: params.lr. Only metrics are supported.');
  rejects(() => parseLoggedModelsOrderBy([{ field_name: 'bogus' }]), /^Invalid order by field name: bogus/);
  rejects(() => checkDatasetScopes([{ dataset_name: '' }]), '`dataset_name` in the `datasets` clause must be specified.');
});
