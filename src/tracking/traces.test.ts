import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from '../testing/assertions.js';
import { describeEachDialect } from '../testing/dialects.js';
import { createTracking, type TraceInfoInput, type Tracking } from './index.js';

let counter = 0;

/** A trace as the client reports it, with a fresh id. */
function traceInput(experimentId: string, overrides: Partial<TraceInfoInput> = {}): TraceInfoInput {
  counter += 1;
  return {
    traceId: `tr-${String(counter).padStart(32, '0')}`,
    experimentId,
    requestTimeMs: 1_000 * counter,
    executionDurationMs: 10,
    state: 'OK',
    metadata: { 'mlflow.trace_schema.version': '3' },
    tags: {},
    ...overrides,
  };
}

const ids = (page: { items: { traceId: string }[] }) => page.items.map((t) => t.traceId);

describeEachDialect('traces', ({ db }) => {
  const tracking = (): Tracking => createTracking(db());

  test('a stored trace comes back whole, with the artifact location the server chose', async () => {
    const t = tracking();
    const exp = await t.experiments.create({ name: 'traces-basic', tags: [] });
    const input = traceInput(exp, {
      clientRequestId: 'req-1', requestPreview: '{"q": 1}', responsePreview: '"a"', state: 'ERROR',
      tags: { 'mlflow.traceName': 'chat', 'mlflow.artifactLocation': 'file:///elsewhere', 'mlflow.trace.spansLocation': 'TRACKING_STORE' },
    });
    const stored = await t.traces.start(input);
    assert.deepEqual(stored, {
      traceId: input.traceId, experimentId: Number(exp), requestTimeMs: input.requestTimeMs, executionDurationMs: 10, state: 'ERROR',
      clientRequestId: 'req-1', requestPreview: '{"q": 1}', responsePreview: '"a"',
      metadata: { 'mlflow.trace_schema.version': '3' },
      tags: { 'mlflow.traceName': 'chat', 'mlflow.artifactLocation': `mlflow-artifacts:/${exp}/traces/${input.traceId}/artifacts` },
    });
    // Sent again (a retried request): same trace, tags merged.
    await t.traces.start({ ...input, tags: { extra: '1' } });
    assert.equal((await t.traces.get(input.traceId)).tags['mlflow.traceName'], 'chat');
    assert.equal((await t.traces.get(input.traceId)).tags['extra'], '1');
    await rejectsWith(t.traces.get('tr-missing'), 'RESOURCE_DOES_NOT_EXIST', "Trace with ID 'tr-missing' not found.");
  });

  test('bad traces are refused naming the field, and a deleted experiment takes none', async () => {
    const t = tracking();
    const exp = await t.experiments.create({ name: 'traces-invalid', tags: [] });
    await rejectsWith(t.traces.start(traceInput(exp, { traceId: '../escape' })), 'INVALID_PARAMETER_VALUE', 'trace_id');
    await rejectsWith(t.traces.start(traceInput(exp, { tags: { k: 'x'.repeat(8001) } })), 'INVALID_PARAMETER_VALUE', 'tags.k');
    await rejectsWith(t.traces.start(traceInput(exp, { tags: { ['k'.repeat(251)]: 'v' } })), 'INVALID_PARAMETER_VALUE', /'tags': key 'k+\.\.\.' has length 251/);
    await rejectsWith(t.traces.start(traceInput(exp, { metadata: { m: 'x'.repeat(8001) } })), 'INVALID_PARAMETER_VALUE', 'trace_metadata.m');
    await rejectsWith(t.traces.start(traceInput(exp, { executionDurationMs: -1 })), 'INVALID_PARAMETER_VALUE', 'execution_duration');
    await rejectsWith(t.traces.start(traceInput(exp, { requestPreview: 'x'.repeat(70_000) })), 'INVALID_PARAMETER_VALUE', 'request_preview');
    await rejectsWith(t.traces.start(traceInput('424242')), 'RESOURCE_DOES_NOT_EXIST');
    await t.experiments.delete(exp);
    await rejectsWith(t.traces.start(traceInput(exp)), 'INVALID_PARAMETER_VALUE', /active/);
  });

  test('a trace id cannot move to another experiment', async () => {
    const t = tracking();
    const a = await t.experiments.create({ name: 'traces-move-a', tags: [] });
    const b = await t.experiments.create({ name: 'traces-move-b', tags: [] });
    const input = traceInput(a);
    await t.traces.start(input);
    await rejectsWith(t.traces.start({ ...input, experimentId: b }), 'RESOURCE_ALREADY_EXISTS');
  });

  test('tags are set and deleted with MLflow limits and messages', async () => {
    const t = tracking();
    const exp = await t.experiments.create({ name: 'traces-tags', tags: [] });
    const { traceId } = await t.traces.start(traceInput(exp));
    await t.traces.setTag(traceId, 'reviewed', 'yes');
    assert.equal((await t.traces.get(traceId)).tags['reviewed'], 'yes');
    await t.traces.deleteTag(traceId, 'reviewed');
    assert.equal((await t.traces.get(traceId)).tags['reviewed'], undefined);
    await rejectsWith(t.traces.deleteTag(traceId, 'reviewed'), 'RESOURCE_DOES_NOT_EXIST', "No trace tag with key 'reviewed'");
    await rejectsWith(t.traces.setTag(traceId, 'v', 'x'.repeat(8001)), 'INVALID_PARAMETER_VALUE', "tag 'v'");
    await rejectsWith(t.traces.setTag(traceId, 'k'.repeat(251), 'v'), 'INVALID_PARAMETER_VALUE', /length limit of 250/);
    await rejectsWith(t.traces.setTag('tr-none', 'k', 'v'), 'RESOURCE_DOES_NOT_EXIST');
  });

  test('search filters on attributes, tags and metadata, orders and pages', async () => {
    const t = tracking();
    const exp = await t.experiments.create({ name: 'traces-search', tags: [] });
    const other = await t.experiments.create({ name: 'traces-search-other', tags: [] });
    const a = await t.traces.start(traceInput(exp, { tags: { 'mlflow.traceName': 'chat', team: 'red' }, metadata: { 'mlflow.sourceRun': 'run-a' }, executionDurationMs: 50 }));
    const b = await t.traces.start(traceInput(exp, { tags: { 'mlflow.traceName': 'Chat-2' }, state: 'ERROR', executionDurationMs: null, clientRequestId: 'c-1' }));
    const c = await t.traces.start(traceInput(exp, { tags: { 'mlflow.traceName': 'embed', team: 'blue' }, executionDurationMs: 5 }));
    await t.traces.start(traceInput(other, { tags: { 'mlflow.traceName': 'chat' } }));
    const search = (filter?: string, orderBy?: string[], maxResults = 100, pageToken?: string) =>
      t.traces.search({ experimentIds: [exp], filter, orderBy, maxResults, pageToken });

    assert.deepEqual(ids(await search()), [c.traceId, b.traceId, a.traceId]);
    assert.deepEqual(ids(await search("name = 'chat'")), [a.traceId]);
    assert.deepEqual(ids(await search("name LIKE 'chat%'")), [a.traceId]);
    assert.deepEqual(ids(await search("name ILIKE 'chat%'")), [b.traceId, a.traceId]);
    assert.deepEqual(ids(await search("status = 'ERROR'")), [b.traceId]);
    assert.deepEqual(ids(await search("state != 'ERROR'")), [c.traceId, a.traceId]);
    assert.deepEqual(ids(await search(`timestamp_ms >= ${b.requestTimeMs}`)), [c.traceId, b.traceId]);
    assert.deepEqual(ids(await search('execution_time_ms > 10')), [a.traceId]);
    assert.deepEqual(ids(await search(`end_time_ms = ${c.requestTimeMs + 5}`)), [c.traceId]);
    assert.deepEqual(ids(await search("client_request_id = 'c-1'")), [b.traceId]);
    assert.deepEqual(ids(await search(`request_id IN ('${a.traceId}', '${c.traceId}')`)), [c.traceId, a.traceId]);
    assert.deepEqual(ids(await search("tags.team = 'red'")), [a.traceId]);
    assert.deepEqual(ids(await search("tags.team != 'red'")), [c.traceId]);
    assert.deepEqual(ids(await search('tags.team IS NULL')), [b.traceId]);
    assert.deepEqual(ids(await search("metadata.`mlflow.sourceRun` = 'run-a'")), [a.traceId]);
    assert.deepEqual(ids(await search("run_id = 'run-a' AND tags.team IS NOT NULL")), [a.traceId]);
    assert.deepEqual(ids(await search(undefined, ['execution_time_ms ASC'])), [c.traceId, a.traceId, b.traceId]);
    assert.deepEqual(ids(await search(undefined, ['name DESC'])), [c.traceId, a.traceId, b.traceId]);
    assert.deepEqual(ids(await search(undefined, ['tags.team ASC'])), [c.traceId, a.traceId, b.traceId]);

    const first = await search(undefined, ['timestamp_ms ASC'], 2);
    assert.deepEqual(ids(first), [a.traceId, b.traceId]);
    assert.ok(first.nextPageToken);
    const second = await search(undefined, ['timestamp_ms ASC'], 2, first.nextPageToken);
    assert.deepEqual(ids(second), [c.traceId]);
    assert.equal(second.nextPageToken, undefined);

    const both = await t.traces.search({ experimentIds: [exp, other], filter: "name = 'chat'", maxResults: 10 });
    assert.equal(both.items.length, 2);
    await rejectsWith(search(undefined, undefined, 501), 'INVALID_PARAMETER_VALUE', 'max_results');
    await rejectsWith(search("span.type = 'LLM'"), 'INVALID_PARAMETER_VALUE', /not supported/);
  });

  test('traces linked to a run are found by run_id, and link-prompts merges the tag', async () => {
    const t = tracking();
    const exp = await t.experiments.create({ name: 'traces-links', tags: [] });
    const run = await t.runs.create({ experimentId: exp, tags: [] });
    const made = await t.traces.start(traceInput(exp, { metadata: { 'mlflow.sourceRun': run.info.runId } }));
    const linked = await t.traces.start(traceInput(exp));
    await t.traces.start(traceInput(exp));
    await t.traces.linkToRun([linked.traceId, linked.traceId], run.info.runId);
    await t.traces.linkToRun([linked.traceId], run.info.runId);
    const found = await t.traces.search({ experimentIds: [exp], filter: `attribute.run_id = '${run.info.runId}'`, maxResults: 10 });
    assert.deepEqual(ids(found), [linked.traceId, made.traceId]);
    await rejectsWith(t.traces.linkToRun(['tr-unknown'], run.info.runId), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(t.traces.linkToRun([linked.traceId], '0'.repeat(32)), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(t.traces.linkToRun(Array.from({ length: 101 }, (_, i) => `tr-${i}`), run.info.runId), 'INVALID_PARAMETER_VALUE', /100/);

    await t.traces.linkPrompts(made.traceId, [{ name: 'qa', version: '1' }]);
    await t.traces.linkPrompts(made.traceId, [{ name: 'qa', version: '1' }, { name: 'qa', version: '2' }]);
    const tag = (await t.traces.get(made.traceId)).tags['mlflow.linkedPrompts'];
    assert.equal(tag, '[{"name": "qa", "version": "1"}, {"name": "qa", "version": "2"}]');
    const byPrompt = await t.traces.search({ experimentIds: [exp], filter: "prompt LIKE '%\"qa\"%'", maxResults: 10 });
    assert.deepEqual(ids(byPrompt), [made.traceId]);
  });

  test('delete-traces: by id, or by age with the oldest first, under MLflow rules', async () => {
    const t = tracking();
    const exp = await t.experiments.create({ name: 'traces-delete', tags: [] });
    const [a, b, c, d] = [await t.traces.start(traceInput(exp)), await t.traces.start(traceInput(exp)), await t.traces.start(traceInput(exp)), await t.traces.start(traceInput(exp))];
    if (!a || !b || !c || !d) throw new Error('traces not created');
    await t.traces.setTag(a.traceId, 'k', 'v');
    await rejectsWith(t.traces.delete({ experimentId: exp }), 'INVALID_PARAMETER_VALUE', /Either/);
    await rejectsWith(t.traces.delete({ experimentId: exp, maxTimestampMillis: 1, traceIds: [a.traceId] }), 'INVALID_PARAMETER_VALUE', /Only one/);
    await rejectsWith(t.traces.delete({ experimentId: exp, traceIds: [a.traceId], maxTraces: 1 }), 'INVALID_PARAMETER_VALUE', /max_traces/);
    await rejectsWith(t.traces.delete({ experimentId: exp, maxTimestampMillis: 1, maxTraces: 0 }), 'INVALID_PARAMETER_VALUE', /positive/);

    assert.equal(await t.traces.delete({ experimentId: exp, traceIds: [d.traceId, 'tr-unknown'] }), 1);
    assert.equal(await t.traces.delete({ experimentId: exp, maxTimestampMillis: c.requestTimeMs, maxTraces: 1 }), 1);
    await rejectsWith(t.traces.get(a.traceId), 'RESOURCE_DOES_NOT_EXIST');
    const left = await t.traces.search({ experimentIds: [exp], maxResults: 10 });
    assert.deepEqual(ids(left), [c.traceId, b.traceId]);
    assert.equal(await t.traces.delete({ experimentId: exp, maxTimestampMillis: b.requestTimeMs }), 1);
    assert.equal(await t.traces.delete({ experimentId: '0', maxTimestampMillis: Number.MAX_SAFE_INTEGER }), 0);
  });
});
