import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../testing/dialects.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { eventually, invoke, registerFiles, registerTinyVersion, setAlias } from '../../serving/deployments/test-models.js';

const ROW = { dataframe_split: { columns: ['a', 'b'], data: [[0.1, 0.9]] } };

for (const dialect of DIALECTS) {
  describe(`managed deployments over HTTP [${dialect}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
      for (const v of ['1', '2']) assert.equal(await registerTinyVersion(server, 'iris', `models/iris/${v}`), v);
      // Version 3 is registered but its ONNX file is not a model: it must fail to load.
      assert.equal(await registerFiles(server, 'iris', 'models/iris/3', { MLmodel: 'flavors:\n  onnx:\n    data: model.onnx\n', 'model.onnx': 'not an onnx file' }), '3');
      await setAlias(server, 'iris', 'champion', '1');
    });
    after(async () => {
      await server.close();
    });

    test('a deployment that follows an alias answers with that version, and moving the alias re-points it', async () => {
      const created = await server.call('POST', '/api/v1/deployments', { name: 'iris-prod', model: 'iris', alias: 'champion' });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.deepEqual(created.body.deployment.traffic, [{ alias: 'champion', weight: 100 }]);
      const first = await invoke(server, 'iris-prod', ROW);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.version, '1');
      assert.deepEqual(first.body.predictions[0].label, 1);
      assert.ok(first.requestId);
      await setAlias(server, 'iris', 'champion', '2');
      await eventually(async () => ((await invoke(server, 'iris-prod', ROW)).version === '2' ? true : undefined), 10_000, 'the alias move to reach the deployment');
      const status = await eventually(async () => {
        const got = await server.call('GET', '/api/v1/deployments/iris-prod');
        return got.body.deployment.status === 'READY' && got.body.deployment.serving?.routes[0]?.version === '2' ? got.body.deployment : undefined;
      });
      assert.equal(status.status_message, null);
      // Lineage follows what serves: version 2 now, version 1's edge ended.
      const servedBy = async (version: string): Promise<string[]> => {
        const node = `model_version:iris/${version}`;
        const graph = await server.call('GET', `/api/v1/lineage?node=${encodeURIComponent(node)}&direction=downstream`);
        const edges = graph.body.edges as { from: string; to: string; kind: string; ended_at: number | null }[];
        return edges.filter((e) => e.from === node && e.kind === 'served' && e.ended_at === null).map((e) => e.to);
      };
      await eventually(async () => ((await servedBy('2')).join() === 'deployment:iris-prod' && (await servedBy('1')).length === 0 ? true : undefined), 10_000, 'lineage of the served versions');
      await setAlias(server, 'iris', 'champion', '1');
    });

    test('a 90/10 canary splits traffic by weight, and a shadow scores copies without answering', async () => {
      const created = await server.call('POST', '/api/v1/deployments', { name: 'canary', model: 'iris', traffic: [{ version: 1, weight: 90 }, { version: '2', weight: 10 }], shadow: { version: 2 } });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const counts = new Map<string, number>();
      for (let i = 0; i < 200; i += 1) {
        const r = await invoke(server, 'canary', ROW, { 'x-request-id': `req-${i}` });
        assert.equal(r.status, 200);
        assert.equal(r.requestId, `req-${i}`);
        counts.set(r.version ?? '', (counts.get(r.version ?? '') ?? 0) + 1);
      }
      const one = counts.get('1') ?? 0;
      // 90% of 200 is 180; the binomial spread makes 150..199 a bound that only a broken split misses.
      assert.ok(one >= 150 && one < 200, `version 1 answered ${one} of 200`);
      assert.ok((counts.get('2') ?? 0) > 0);

      const feedback = await server.call('POST', '/api/v1/deployments/canary/feedback', { feedback: [{ request_id: 'req-0', ground_truth: 1 }, { request_id: 'req-1', ground_truth: 0 }] });
      assert.equal(feedback.status, 200, JSON.stringify(feedback.body));
      assert.equal(feedback.body.accepted, 2);
      const log = await eventually(async () => {
        const got = await server.call('GET', '/api/v1/deployments/canary/inference-log?limit=100000');
        if (!got.body.rows) throw new Error(JSON.stringify(got.body));
        return got.body.rows.filter((r: any) => r.shadow).length === 200 ? got.body.rows : undefined;
      });
      const answered = log.filter((r: any) => !r.shadow);
      assert.equal(answered.length, 200);
      const shadows = log.filter((r: any) => r.shadow);
      assert.ok(shadows.every((r: any) => r.version === '2' && r.status === 'ok'));
      const zero = answered.find((r: any) => r.request_id === 'req-0');
      assert.equal(zero.ground_truth, '1');
      assert.deepEqual(JSON.parse(zero.inputs), [{ a: 0.1, b: 0.9 }]);
      assert.equal(JSON.parse(zero.outputs)[0].label, 1);
      assert.equal(zero.rows, 1);
      assert.ok(zero.latency_ms >= 0);

      const metrics = await fetch(`${server.url}/metrics`);
      const text = await metrics.text();
      assert.match(text, /cairn_deployment_requests_total\{deployment="canary",version="1",shadow="false"\} \d+/);
      assert.match(text, /cairn_deployment_request_duration_seconds_bucket\{le="0.005",deployment="canary",version="2",shadow="true"\}/);

      const stats = await server.call('GET', '/api/v1/deployments/canary/stats?minutes=10');
      assert.equal(stats.status, 200);
      const total = stats.body.buckets.filter((b: any) => !b.shadow).reduce((sum: number, b: any) => sum + b.requests, 0);
      assert.equal(total, 200);
    });

    test('a version that fails to load leaves the previous one serving and says why; rollback restores the plan', async () => {
      await server.call('POST', '/api/v1/deployments', { name: 'sturdy', model: 'iris', version: 1 });
      assert.equal((await invoke(server, 'sturdy', ROW)).version, '1');
      const changed = await server.call('PATCH', '/api/v1/deployments/sturdy', { version: 3 });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      const failed = await eventually(async () => {
        const got = await server.call('GET', '/api/v1/deployments/sturdy');
        return got.body.deployment.status === 'FAILED' ? got.body.deployment : undefined;
      });
      assert.match(failed.status_message, /version 3 failed to load: .*still serving version 1/);
      assert.equal((await invoke(server, 'sturdy', ROW)).version, '1');
      const rolled = await server.call('POST', '/api/v1/deployments/sturdy/rollback');
      assert.equal(rolled.status, 200);
      assert.deepEqual(rolled.body.deployment.traffic, [{ version: '1', weight: 100 }]);
      assert.deepEqual(rolled.body.deployment.previous.traffic, [{ version: '3', weight: 100 }]);
      await eventually(async () => ((await server.call('GET', '/api/v1/deployments/sturdy')).body.deployment.status === 'READY' ? true : undefined));
    });

    test('bad requests get a 4xx naming the problem, and the server keeps serving', async () => {
      const unknown = await invoke(server, 'nope', ROW);
      assert.equal(unknown.status, 404);
      assert.match(unknown.body.message, /Deployment 'nope' does not exist/);
      const missing = await invoke(server, 'sturdy', { dataframe_split: { columns: ['a'], data: [[1]] } });
      assert.equal(missing.status, 400);
      assert.match(missing.body.message, /missing inputs \['b'\]/);
      const notJson = await invoke(server, 'sturdy', '{"dataframe_split": ');
      assert.equal(notJson.status, 400);
      const wrongType = await fetch(`${server.url}/api/v1/deployments/sturdy/invocations`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
      assert.equal(wrongType.status, 415);
      const csv = await fetch(`${server.url}/api/v1/deployments/sturdy/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b\n0.9,0.1\n' });
      assert.deepEqual(((await csv.json()) as any).predictions[0].label, 0);

      const badName = await server.call('POST', '/api/v1/deployments', { name: 'Bad Name', model: 'iris', version: 1 });
      assert.equal(badName.status, 400);
      assert.match(badName.body.message, /Invalid deployment name/);
      const noModel = await server.call('POST', '/api/v1/deployments', { name: 'ghost', model: 'ghost', version: 1 });
      assert.equal(noModel.status, 404);
      const noAlias = await server.call('POST', '/api/v1/deployments', { name: 'ghost', model: 'iris', alias: 'nobody' });
      assert.equal(noAlias.status, 400);
      assert.match(noAlias.body.message, /alias nobody not found/);
      const both = await server.call('POST', '/api/v1/deployments', { name: 'ghost', model: 'iris', alias: 'champion', version: 1 });
      assert.equal(both.status, 400);
      const zero = await server.call('POST', '/api/v1/deployments', { name: 'ghost', model: 'iris', traffic: [{ version: 1, weight: 0 }] });
      assert.match(zero.body.message, /at least one weight/);
      const duplicate = await server.call('POST', '/api/v1/deployments', { name: 'sturdy', model: 'iris', version: 1 });
      assert.equal(duplicate.body.error_code, 'RESOURCE_ALREADY_EXISTS');
      const noRollback = await server.call('POST', '/api/v1/deployments', { name: 'fresh', model: 'iris', version: 2 });
      assert.equal(noRollback.status, 200);
      assert.equal((await server.call('POST', '/api/v1/deployments/fresh/rollback')).body.error_code, 'INVALID_STATE');
      const feedbackUnknown = await server.call('POST', '/api/v1/deployments/nope/feedback', { request_id: 'x', ground_truth: 1 });
      assert.equal(feedbackUnknown.status, 404);
      assert.equal((await invoke(server, 'sturdy', ROW)).status, 200);
    });

    test('list, delete, and a deleted deployment stops answering', async () => {
      const list = await server.call('GET', '/api/v1/deployments?model=iris');
      assert.ok(list.body.deployments.map((d: any) => d.name).includes('fresh'));
      assert.equal((await invoke(server, 'fresh', ROW)).status, 200);
      assert.equal((await server.call('DELETE', '/api/v1/deployments/fresh')).status, 200);
      await eventually(async () => ((await invoke(server, 'fresh', ROW)).status === 404 ? true : undefined));
      assert.equal((await server.call('DELETE', '/api/v1/deployments/fresh')).status, 404);
    });

    test('compatibility of two versions comes from their signatures', async () => {
      await registerTinyVersion(server, 'iris', 'models/iris/4', ['a', 'b', 'c']);
      const same = await server.call('GET', '/api/v1/registry/models/iris/compatibility?from=1&to=champion');
      assert.equal(same.status, 200, JSON.stringify(same.body));
      assert.equal(same.body.compatible, true);
      const wider = await server.call('GET', '/api/v1/registry/models/iris/compatibility?from=1&to=4');
      assert.equal(wider.body.compatible, false);
      assert.deepEqual(wider.body.changes.map((c: any) => [c.side, c.name, c.change]), [['input', 'c', 'added']]);
      const unknown = await server.call('GET', '/api/v1/registry/models/iris/compatibility?from=1&to=99');
      assert.equal(unknown.status, 404);
    });
  });
}
