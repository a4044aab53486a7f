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
      // 'flowers' returns three class probabilities per row; 'quiet' served only three hours ago.
      for (let i = 0; i < 60; i++) {
        const old = i >= 30;
        const a = 1 + (i % 3 === 0 ? 3 : 0) + (i % 5) * 0.1;
        const b = 1 + (i % 3 === 1 ? 2 : 0) + (i % 7) * 0.1;
        const c = 1 + (i % 3 === 2 ? 1.5 : 0) + (i % 4) * 0.2;
        const sum = a + b + c;
        const probabilities = old ? [0.2, 0.3, 0.5] : [a / sum, b / sum, c / sum];
        log.record({
          deployment: 'flowers', version: '1', requestId: `f${i}`, shadow: false, time: old ? now - 3 * 3_600_000 + i * 1000 : now - 600_000 + i * 1000,
          latencyMs: 1, status: 'ok', inputs: { kind: 'frame', columns: ['width'], rows: [[i % 10]], fromCsv: false }, outputs: [probabilities], error: null, rows: 1,
        });
        log.record({
          deployment: 'quiet', version: '1', requestId: `q${i}`, shadow: false, time: now - 3 * 3_600_000 + i * 1000,
          latencyMs: 1, status: 'ok', inputs: { kind: 'frame', columns: ['width'], rows: [[i % 10]], fromCsv: false }, outputs: [i % 2], error: null, rows: 1,
        });
      }
      const flowers = ['setosa', 'versicolor', 'virginica'];
      log.recordFeedback(Array.from({ length: 30 }, (_, i) => ({ deployment: 'flowers', requestId: `f${i}`, groundTruth: JSON.stringify(flowers[i % 4 === 0 ? (i + 1) % 3 : i % 3]), time: now })));
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

    test('three class probabilities from the log: one-vs-rest ROC AUC, log loss and prediction drift per class', async () => {
      const created = await server.call('POST', '/api/v1/monitors', {
        name: 'flowers-log',
        reference: { type: 'inference_log', deployment: 'flowers', from: now - 4 * 3_600_000, to: now - 3_600_000 },
        current: { type: 'inference_log', deployment: 'flowers', window: 'hour' },
        performance: { task: 'classification', classes: ['setosa', 'versicolor', 'virginica'] },
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const run = (await server.call('POST', '/api/v1/monitors/flowers-log/run')).body.run;
      assert.equal(run.status, 'ok', run.error);
      const metrics = run.detail.performance.metrics;
      // scikit-learn 1.x on the same rows: roc_auc_score(y, P, multi_class='ovr', labels=classes), log_loss, accuracy_score.
      assert.ok(Math.abs(metrics.roc_auc - 0.7576576964296263) <= 1e-12, String(metrics.roc_auc));
      assert.ok(Math.abs(metrics.log_loss - 0.8500295242725389) <= 1e-12, String(metrics.log_loss));
      assert.ok(Math.abs(metrics.accuracy - 0.7333333333333333) <= 1e-12, String(metrics.accuracy));
      const drifted = run.detail.drift.columns.filter((c: { column: string }) => c.column.startsWith('probability_'));
      assert.deepEqual(drifted.map((c: { column: string; drift: boolean }) => [c.column, c.drift]), [['probability_0', true], ['probability_1', true], ['probability_2', true]]);
      const bad = await server.call('POST', '/api/v1/monitors', { ...created.body.monitor.spec, name: 'bad-classes', performance: { task: 'classification', scores: ['a', 'b', 'c'], classes: [0, 1] } });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /same number of classes/);
    });

    test('a window with no served rows is a no_data run with "not enough data" per column; an empty reference is a failure', async () => {
      const created = await server.call('POST', '/api/v1/monitors', {
        name: 'quiet-log',
        reference: { type: 'inference_log', deployment: 'quiet', from: now - 4 * 3_600_000, to: now - 3_600_000 },
        current: { type: 'inference_log', deployment: 'quiet', window: 4 * 3600 },
        performance: { task: 'classification' },
        schedule: '0 * * * *',
        alerts: [
          { name: 'share', metric: 'dataset_drift_share', comparator: '>=', threshold: 0 },
          { name: 'no-traffic', metric: 'current_rows', comparator: '<', threshold: 1 },
        ],
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const busy = (await server.call('POST', '/api/v1/monitors/quiet-log/run')).body.run;
      assert.equal(busy.status, 'ok', busy.error);
      assert.deepEqual(busy.detail.alerts.map((a: { rule: string; transition: string | null }) => [a.rule, a.transition]), [['share', 'firing'], ['no-traffic', null]]);
      await server.call('PATCH', '/api/v1/monitors/quiet-log', { current: { type: 'inference_log', deployment: 'quiet', window: 'hour' } });
      const run = (await server.call('POST', '/api/v1/monitors/quiet-log/run')).body.run;
      assert.equal(run.status, 'no_data');
      assert.equal(run.error, null);
      assert.deepEqual([run.reference_rows, run.current_rows], [60, 0]);
      const statuses = run.detail.drift.columns.map((c: { column: string; status: string; drift: boolean }) => [c.column, c.status, c.drift]);
      assert.deepEqual(statuses, [['width', 'not_enough_data', false], ['prediction', 'not_enough_data', false]]);
      assert.equal(run.detail.performance, null);
      // The drift alert is not resolved by a quiet hour; a rule on the row count sees the empty window.
      const alerts = run.detail.alerts.map((a: { rule: string; firing: boolean; transition: string | null }) => [a.rule, a.firing, a.transition]);
      assert.deepEqual(alerts, [['share', true, null], ['no-traffic', true, 'firing']]);
      const monitor = (await server.call('GET', '/api/v1/monitors/quiet-log')).body.monitor;
      assert.equal(monitor.last_run.status, 'no_data');
      assert.equal(monitor.spec.schedule, '0 * * * *');
      await server.call('PATCH', '/api/v1/monitors/quiet-log', { reference: { type: 'inference_log', deployment: 'quiet', from: now - 3_000_000, to: now - 1_000_000 } });
      const failed = (await server.call('POST', '/api/v1/monitors/quiet-log/run')).body.run;
      assert.equal(failed.status, 'failed');
      assert.match(failed.error, /reference window of deployment quiet .* has no served requests/);
    });
  });
}
