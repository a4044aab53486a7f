import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from '../../testing/assertions.js';
import { parseTracesFilter, parseTracesOrderBy } from './traces.js';

const fails = (run: () => unknown, text: string | RegExp) => rejectsWith(Promise.resolve().then(run), 'INVALID_PARAMETER_VALUE', text);

test('attributes keep MLflow aliases; name and run_id stand for a tag and the source run', () => {
  const parsed = parseTracesFilter(
    "trace.timestamp > 10 AND attributes.execution_time_ms <= 5 AND status = 'OK' AND name = 'chat' AND run_id IN ('r1', 'r2') AND trace_id = 'tr-1' AND prompt = 'p'",
  );
  assert.deepEqual(parsed, [
    { entity: 'attribute', key: 'timestamp_ms', op: '>', value: 10 },
    { entity: 'attribute', key: 'execution_time_ms', op: '<=', value: 5 },
    { entity: 'attribute', key: 'status', op: '=', value: 'OK' },
    { entity: 'tag', key: 'mlflow.traceName', op: '=', value: 'chat' },
    { entity: 'attribute', key: 'run_id', op: 'IN', value: ['r1', 'r2'] },
    { entity: 'attribute', key: 'request_id', op: '=', value: 'tr-1' },
    { entity: 'tag', key: 'mlflow.linkedPrompts', op: '=', value: 'p' },
  ]);
});

test('tags and metadata take every prefix MLflow accepts, quoted keys included', () => {
  const parsed = parseTracesFilter(
    "tags.team = 'a' AND tag.`x.y` IS NULL AND metadata.`mlflow.sourceRun` LIKE 'r%' AND request_metadata.user IS NOT NULL",
  );
  assert.deepEqual(parsed, [
    { entity: 'tag', key: 'team', op: '=', value: 'a' },
    { entity: 'tag', key: 'x.y', op: 'IS NULL', value: null },
    { entity: 'metadata', key: 'mlflow.sourceRun', op: 'LIKE', value: 'r%' },
    { entity: 'metadata', key: 'user', op: 'IS NOT NULL', value: null },
  ]);
  assert.deepEqual(parseTracesFilter('  '), []);
});

test('span, assessment and full-text filters are refused as not supported', async () => {
  await fails(() => parseTracesFilter("span.name = 'retrieve'"), /not supported/);
  await fails(() => parseTracesFilter("status = 'OK' AND feedback.correct = 'yes'"), /not supported/);
  await fails(() => parseTracesFilter("text LIKE '%hello%'"), /not supported/);
  await fails(() => parseTracesFilter("name RLIKE 'a.*'"), /RLIKE/);
});

test('wrong keys, comparators and value types are 400s that quote what was written', async () => {
  await fails(() => parseTracesFilter("metrics.acc > 1"), "Invalid entity type 'metrics'");
  await fails(() => parseTracesFilter("flavour = 'x'"), "Invalid attribute key 'flavour'");
  await fails(() => parseTracesFilter('timestamp_ms LIKE 1'), /Invalid comparator 'LIKE'/);
  await fails(() => parseTracesFilter("timestamp_ms > 'yesterday'"), /Expected numeric value/);
  await fails(() => parseTracesFilter('metadata.k = 3'), /quoted string value for metadata/);
  await fails(() => parseTracesFilter("prompt IN ('a')"), /Invalid comparator 'IN'/);
  await fails(() => parseTracesFilter("metadata.k = 'unterminated"), "metadata.k = 'unterminated");
});

test('ORDER BY takes attributes, tags and metadata; MLflow duplicates are refused', async () => {
  assert.deepEqual(parseTracesOrderBy(['timestamp ASC', 'name', 'tags.team DESC', 'metadata.`a.b`', 'run_id DESC']), [
    { entity: 'attribute', key: 'timestamp_ms', ascending: true },
    { entity: 'tag', key: 'mlflow.traceName', ascending: true },
    { entity: 'tag', key: 'team', ascending: false },
    { entity: 'metadata', key: 'a.b', ascending: true },
    { entity: 'metadata', key: 'mlflow.sourceRun', ascending: false },
  ]);
  await fails(() => parseTracesOrderBy(['client_request_id']), "Invalid order by key 'client_request_id'");
  await fails(() => parseTracesOrderBy(['timestamp', 'timestamp_ms DESC']), /duplicate/);
  await fails(() => parseTracesOrderBy(['span.name']), /not supported/);
});
