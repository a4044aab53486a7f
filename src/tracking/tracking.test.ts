import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from '../testing/assertions.js';
import { describeEachDialect } from '../testing/dialects.js';
import { createTracking } from './index.js';


describeEachDialect('tracking store', ({ db }) => {
  test('the default experiment 0 exists', async () => {
    const t = createTracking(db());
    const e = await t.experiments.get('0');
    assert.equal(e.name, 'Default');
  });

  test('experiment names are unique across active and deleted experiments', async () => {
    const t = createTracking(db());
    const id = await t.experiments.create({ name: 'unique-name', tags: [{ key: 'team', value: 'a' }] });
    await t.experiments.delete(id);
    await rejectsWith(t.experiments.create({ name: 'unique-name', tags: [] }), 'RESOURCE_ALREADY_EXISTS');
    assert.equal((await t.experiments.getByName('unique-name')).lifecycleStage, 'deleted');
    await t.experiments.restore(id);
    assert.equal((await t.experiments.get(id)).lifecycleStage, 'active');
    assert.deepEqual((await t.experiments.get(id)).tags, [{ key: 'team', value: 'a' }]);
  });

  test('deleting an experiment deletes its runs, and restoring restores them', async () => {
    const t = createTracking(db());
    const id = await t.experiments.create({ name: 'lifecycle', tags: [] });
    const run = await t.runs.create({ experimentId: id, tags: [] });
    await t.experiments.delete(id);
    assert.equal((await t.runs.get(run.info.runId)).info.lifecycleStage, 'deleted');
    await rejectsWith(t.runs.create({ experimentId: id, tags: [] }), 'INVALID_PARAMETER_VALUE', /active/);
    await t.experiments.restore(id);
    assert.equal((await t.runs.get(run.info.runId)).info.lifecycleStage, 'active');
  });

  test('a run gets a generated name, the mlflow.runName tag and a proxied artifact URI', async () => {
    const t = createTracking(db());
    const id = await t.experiments.create({ name: 'names', tags: [] });
    const run = await t.runs.create({ experimentId: id, tags: [{ key: 'mlflow.user', value: 'ada' }] });
    assert.match(run.info.runId, /^[0-9a-f]{32}$/);
    assert.ok(run.info.runName.length > 0 && run.info.runName.length <= 20);
    assert.equal(run.tags.find((x) => x.key === 'mlflow.runName')?.value, run.info.runName);
    assert.equal(run.info.userId, 'ada');
    assert.equal(run.info.artifactUri, `mlflow-artifacts:/${id}/${run.info.runId}/artifacts`);
    await rejectsWith(t.runs.create({ experimentId: id, runName: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] }), 'INVALID_PARAMETER_VALUE');
    await t.runs.setTag(run.info.runId, 'mlflow.runName', 'renamed');
    assert.equal((await t.runs.get(run.info.runId)).info.runName, 'renamed');
  });

  test('a batch is applied whole or not at all', async () => {
    const t = createTracking(db());
    const id = await t.experiments.create({ name: 'batches', tags: [] });
    const runId = (await t.runs.create({ experimentId: id, tags: [] })).info.runId;
    await t.runs.logBatch(runId, { metrics: [], params: [{ key: 'lr', value: '0.1' }], tags: [] });
    // A conflicting param in the same batch as new metrics, params and tags: nothing lands.
    await rejectsWith(
      t.runs.logBatch(runId, {
        metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }],
        params: [{ key: 'depth', value: '3' }, { key: 'lr', value: '0.2' }],
        tags: [{ key: 'stage', value: 'x' }],
      }),
      'INVALID_PARAMETER_VALUE',
      /Changing param values is not allowed/,
    );
    const run = await t.runs.get(runId);
    assert.deepEqual(run.params, [{ key: 'lr', value: '0.1' }]);
    assert.equal(run.metrics.length, 0);
    assert.equal(run.tags.some((x) => x.key === 'stage'), false);
    // A bad key anywhere is refused before anything is written.
    await rejectsWith(t.runs.logBatch(runId, { metrics: [{ key: '../x', value: 1, timestamp: 1, step: 0 }], params: [], tags: [] }), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(
      t.runs.logBatch(runId, { metrics: [], params: [{ key: 'a', value: '1' }, { key: 'a', value: '1' }], tags: [] }),
      'INVALID_PARAMETER_VALUE',
      /Duplicate parameter keys/,
    );
    // Re-logging the same param value is fine.
    await t.runs.logBatch(runId, { metrics: [], params: [{ key: 'lr', value: '0.1' }], tags: [] });
  });

  test('long param and tag values (up to MLflow\'s limits) are stored whole', async () => {
    const t = createTracking(db());
    const id = await t.experiments.create({ name: 'long-values', tags: [] });
    const runId = (await t.runs.create({ experimentId: id, tags: [] })).info.runId;
    const param = 'p'.repeat(6000);
    const tag = 't'.repeat(8000);
    await t.runs.logBatch(runId, { metrics: [], params: [{ key: 'long', value: param }], tags: [{ key: 'long', value: tag }] });
    const run = await t.runs.get(runId);
    assert.equal(run.params.find((p) => p.key === 'long')?.value, param);
    assert.equal(run.tags.find((x) => x.key === 'long')?.value, tag);
  });

  test('duplicate metrics are tolerated and the latest value follows (step, timestamp, value)', async () => {
    const t = createTracking(db());
    const id = await t.experiments.create({ name: 'latest', tags: [] });
    const runId = (await t.runs.create({ experimentId: id, tags: [] })).info.runId;
    const point = { key: 'acc', value: 0.5, timestamp: 10, step: 1 };
    await t.runs.logBatch(runId, { metrics: [point, point], params: [], tags: [] });
    await t.runs.logBatch(runId, { metrics: [point, { ...point, modelId: 'm-1' }], params: [], tags: [] });
    await t.runs.logBatch(runId, { metrics: [{ key: 'acc', value: 0.9, timestamp: 99, step: 0 }], params: [], tags: [] });
    await t.runs.logBatch(runId, { metrics: [{ key: 'nan', value: Number.NaN, timestamp: 1, step: 0 }, { key: 'inf', value: Infinity, timestamp: 1, step: 0 }], params: [], tags: [] });
    const run = await t.runs.get(runId);
    assert.deepEqual(run.metrics.find((m) => m.key === 'acc'), point);
    assert.ok(Number.isNaN(run.metrics.find((m) => m.key === 'nan')?.value));
    assert.equal(run.metrics.find((m) => m.key === 'inf')?.value, Infinity);
    const history = await t.history.page(runId, 'acc', undefined, undefined);
    assert.equal(history.metrics.length, 2);
  });

  test('metric history pages through every point in order, by keyset', async () => {
    const t = createTracking(db());
    const id = await t.experiments.create({ name: 'history', tags: [] });
    const runId = (await t.runs.create({ experimentId: id, tags: [] })).info.runId;
    const total = 30_500;
    for (let start = 0; start < total; start += 1000) {
      const metrics = Array.from({ length: Math.min(1000, total - start) }, (_, i) => ({ key: 'loss', value: 1 / (start + i + 1), timestamp: 1000 + start + i, step: start + i }));
      await t.runs.logBatch(runId, { metrics, params: [], tags: [] });
    }
    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await t.history.page(runId, 'loss', 25_000, token);
      seen.push(...page.metrics.map((m) => m.step));
      token = page.nextPageToken;
      pages++;
    } while (token);
    assert.equal(pages, 2);
    assert.equal(seen.length, total);
    assert.ok(seen.every((s, i) => s === i));
    const sampled = await t.history.bulkInterval({ runIds: [runId], key: 'loss', maxResults: 100 });
    assert.ok(sampled.length <= 100 && sampled.length >= 90, `sampled ${sampled.length}`);
    assert.equal(sampled[0]?.step, 0);
    assert.equal(sampled[sampled.length - 1]?.step, total - 1);
    const ranged = await t.history.bulkInterval({ runIds: [runId], key: 'loss', maxResults: 10, startStep: 100, endStep: 200 });
    assert.equal(ranged[0]?.step, 100);
    assert.equal(ranged[ranged.length - 1]?.step, 200);
    await rejectsWith(t.history.bulkInterval({ runIds: [runId], key: 'loss', startStep: 5 }), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(t.history.page(runId, 'loss', 10, 'not-a-token'), 'INVALID_PARAMETER_VALUE', /page token/);
  });

  test('writes to a deleted run are refused with 400, reads still work', async () => {
    const t = createTracking(db());
    const id = await t.experiments.create({ name: 'deleted-run', tags: [] });
    const runId = (await t.runs.create({ experimentId: id, tags: [] })).info.runId;
    await t.runs.delete(runId);
    await rejectsWith(t.runs.logBatch(runId, { metrics: [], params: [{ key: 'a', value: '1' }], tags: [] }), 'INVALID_PARAMETER_VALUE', /active/);
    assert.equal((await t.runs.get(runId)).info.lifecycleStage, 'deleted');
    await rejectsWith(t.runs.get('0123456789abcdef0123456789abcdef'), 'RESOURCE_DOES_NOT_EXIST');
  });

  test('dataset inputs are stored once and linked with their context tag', async () => {
    const t = createTracking(db());
    const id = await t.experiments.create({ name: 'inputs', tags: [] });
    const runId = (await t.runs.create({ experimentId: id, tags: [] })).info.runId;
    const input = { dataset: { name: 'iris', digest: 'abc123', sourceType: 'code', source: '{}', schema: '{"mlflow_colspec": []}' }, tags: [{ key: 'mlflow.data.context', value: 'training' }] };
    await t.inputs.log(runId, [input], ['m-1']);
    await t.inputs.log(runId, [input], []);
    const run = await t.runs.get(runId);
    assert.equal(run.datasetInputs.length, 1);
    assert.equal(run.datasetInputs[0]?.dataset.name, 'iris');
    assert.deepEqual(run.datasetInputs[0]?.tags, [{ key: 'mlflow.data.context', value: 'training' }]);
    assert.deepEqual(run.modelInputs, ['m-1']);
  });
});
