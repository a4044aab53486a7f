import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../../testing/dialects.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { inferenceTable } from './inference-table.js';

test('the inference log becomes one table row per scored row, shadow copies and errors left out', () => {
  const base = { deployment: 'd', version: '1', time: '2024-01-01T00:00:00Z', latency_ms: 1, error: null };
  const table = inferenceTable([
    { ...base, request_id: 'r1', shadow: false, status: 'ok', inputs: '[{"a":1,"b":"x"},{"a":2,"b":"y"}]', outputs: '[[0.2,0.8],[0.9,0.1]]', rows: 2, ground_truth: '[1,0]' },
    { ...base, request_id: 'r1', shadow: true, status: 'ok', inputs: '[{"a":1,"b":"x"}]', outputs: '[0]', rows: 1, ground_truth: null },
    { ...base, request_id: 'r2', shadow: false, status: 'error', inputs: '[{"a":5}]', outputs: null, rows: 1, ground_truth: null },
    { ...base, request_id: 'r3', shadow: false, status: 'ok', inputs: '{"a":[3],"b":["z"]}', outputs: '["setosa"]', rows: 1, ground_truth: null },
  ]);
  assert.deepEqual(table.columns, ['a', 'b', 'prediction', 'score', 'label']);
  assert.deepEqual(table.records, [
    { a: 1, b: 'x', prediction: 1, score: 0.8, label: 1 },
    { a: 2, b: 'y', prediction: 0, score: 0.1, label: 0 },
    { a: 3, b: 'z', prediction: 'setosa', score: null, label: null },
  ]);
});

for (const dialect of DIALECTS) {
  describe(`a monitor over a deployment's inference log [${dialect}]`, () => {
    let server: TestServer;
    const now = Date.now();
    before(async () => {
      server = await startTestServer(dialect);
      const log = server.services.serving.log;
      for (let i = 0; i < 120; i++) {
        const old = i < 60;
        const a = old ? i % 10 : 20 + (i % 10);
        log.record({
          deployment: 'iris', version: '1', requestId: `r${i}`, shadow: false, time: old ? now - 3 * 3_600_000 + i * 1000 : now - 600_000 + i * 1000,
          latencyMs: 1, status: 'ok', inputs: { kind: 'frame', columns: ['a', 'c'], rows: [[a, i % 3 === 0 ? 'p' : 'q']], fromCsv: false },
          outputs: [a > 15 ? 1 : 0], error: null, rows: 1,
        });
      }
      log.recordFeedback(Array.from({ length: 30 }, (_, k) => ({ deployment: 'iris', requestId: `r${60 + k}`, groundTruth: JSON.stringify(k % 2), time: now })));
    });
    after(async () => server?.close());

    test('reference from a past window, current = the last hour, labels joined from feedback', async () => {
      const created = await server.call('POST', '/api/v1/monitors', {
        name: 'iris-log',
        reference: { type: 'inference_log', deployment: 'iris', from: now - 4 * 3_600_000, to: now - 3_600_000 },
        current: { type: 'inference_log', deployment: 'iris', window: 'hour' },
        performance: { task: 'classification' },
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const run = (await server.call('POST', '/api/v1/monitors/iris-log/run')).body.run;
      assert.equal(run.status, 'ok', run.error);
      assert.deepEqual([run.reference_rows, run.current_rows], [60, 60]);
      const columns = run.detail.drift.columns.map((c: { column: string; drift: boolean }) => [c.column, c.drift]);
      assert.deepEqual(columns, [['a', true], ['c', false], ['prediction', true]]);
      assert.equal(run.detail.performance.labelled_rows, 30);
      assert.equal(run.detail.performance.metrics.accuracy, 0.5);
      const reference = (await server.call('GET', '/api/v1/monitors/iris-log')).body.monitor.reference;
      assert.equal(reference.rows, 60, 'the reference was computed once and stored');
      assert.match(reference.key, /^monitoring\/iris-log\/reference-/);
    });
  });
}
