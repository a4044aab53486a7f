import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../../testing/dialects.js';
import { startTestServer, type TestServer } from '../../testing/server.js';

/** An HTTP request sent with its path exactly as written (fetch would normalise '../' away). */
function rawRequest(base: string, method: string, path: string, body?: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (const dialect of DIALECTS) {
  describe(`MLflow tracking over HTTP [${dialect}]`, () => {
    let server: TestServer;
    let experimentId: string;
    before(async () => {
      server = await startTestServer(dialect);
      experimentId = (await server.call('POST', 'experiments/create', { name: 'http' })).body.experiment_id;
    });
    after(() => server.close());

    const newRun = async (): Promise<string> => (await server.call('POST', 'runs/create', { experiment_id: experimentId })).body.run.info.run_id;

    test('both prefixes answer, and unknown routes are 404 ENDPOINT_NOT_FOUND', async () => {
      const a = await server.call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`);
      const b = await server.call('GET', `/ajax-api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`);
      assert.equal(a.status, 200);
      assert.deepEqual(a.body, b.body);
      const missing = await server.call('GET', '/api/2.0/mlflow/no-such-thing');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error_code, 'ENDPOINT_NOT_FOUND');
    });

    test('bad input is a 4xx naming the field, and nothing is written', async () => {
      const runId = await newRun();
      const missing = await server.call('POST', 'runs/log-metric', { run_id: runId, value: 1, timestamp: 1 });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error_code, 'INVALID_PARAMETER_VALUE');
      assert.match(missing.body.message, /Missing value for required parameter 'key'/);
      const wrongType = await server.call('POST', 'runs/log-batch', { run_id: 31 });
      assert.equal(wrongType.status, 400);
      assert.match(wrongType.body.message, /Invalid value 31 for parameter 'run_id'/);
      const badMetric = await server.call('POST', 'runs/log-batch', {
        run_id: runId,
        metrics: [{ key: 'ok', value: 1, timestamp: 1 }, { key: 'bad', value: true, timestamp: 1 }],
        params: [{ key: 'p', value: '1' }],
      });
      assert.equal(badMetric.status, 400);
      assert.match(badMetric.body.message, /metrics\[1\]\.value/);
      const malformed = await server.call('POST', 'runs/log-batch', '{"run_id": ');
      assert.equal(malformed.status, 400);
      const unknownRun = await server.call('GET', 'runs/get?run_id=0123456789abcdef0123456789abcdef');
      assert.equal(unknownRun.status, 404);
      assert.equal(unknownRun.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
      const unknownExperiment = await server.call('GET', 'experiments/get?experiment_id=987654');
      assert.equal(unknownExperiment.status, 404);
      const badExperimentId = await server.call('GET', 'experiments/get?experiment_id=abc');
      assert.equal(badExperimentId.status, 400);
      const tooMany = await server.call('POST', 'runs/log-batch', {
        run_id: runId,
        metrics: Array.from({ length: 1001 }, (_, i) => ({ key: `m${i}`, value: i, timestamp: 1 })),
      });
      assert.equal(tooMany.status, 400);
      assert.match(tooMany.body.message, /at most 1000 metrics/);
      const oversized = await server.call('POST', 'runs/set-tag', { run_id: runId, key: 'big', value: 'x'.repeat(17 << 20) });
      assert.equal(oversized.status, 413);
      const run = (await server.call('GET', `runs/get?run_id=${runId}`)).body.run;
      assert.equal(run.data.metrics, undefined);
      assert.equal(run.data.params, undefined);
    });

    test('NaN and infinities travel as strings', async () => {
      const runId = await newRun();
      const logged = await server.call('POST', 'runs/log-batch', {
        run_id: runId,
        metrics: [{ key: 'nan', value: 'NaN', timestamp: 1 }, { key: 'inf', value: 'Infinity', timestamp: 1 }, { key: 'neg', value: '-Infinity', timestamp: 1 }],
      });
      assert.equal(logged.status, 200);
      const metrics = (await server.call('GET', `runs/get?run_id=${runId}`)).body.run.data.metrics;
      assert.deepEqual(Object.fromEntries(metrics.map((m: { key: string; value: unknown }) => [m.key, m.value])), { inf: 'Infinity', nan: 'NaN', neg: '-Infinity' });
    });

    test('64 concurrent clients logging to one run: no error, no duplicate, nothing lost', async () => {
      const runId = await newRun();
      const clients = 64;
      const batchesPerClient = 5;
      const results = await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          const statuses: number[] = [];
          for (let b = 0; b < batchesPerClient; b++) {
            const metrics = Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 7}`, value: c * 1000 + b * 20 + i, timestamp: 1000 + b, step: c * 100 + b * 20 + i }));
            const response = await server.call('POST', 'runs/log-batch', {
              run_id: runId, metrics, params: [{ key: `p${c}`, value: String(c) }, { key: 'shared', value: 'same' }], tags: [{ key: `t${c % 5}`, value: String(b) }],
            });
            statuses.push(response.status);
          }
          return statuses;
        }),
      );
      assert.ok(results.flat().every((s) => s === 200), `statuses: ${[...new Set(results.flat())].join(',')}`);
      const run = (await server.call('GET', `runs/get?run_id=${runId}`)).body.run;
      assert.equal(run.data.params.length, clients + 1);
      let points = 0;
      for (let k = 0; k < 7; k++) {
        const history = (await server.call('GET', `metrics/get-history?run_id=${runId}&metric_key=k${k}&max_results=25000`)).body.metrics ?? [];
        const keys = new Set(history.map((m: { step: number; value: number }) => `${m.step}/${m.value}`));
        assert.equal(keys.size, history.length, 'no duplicate points');
        points += history.length;
      }
      assert.equal(points, clients * batchesPerClient * 20);
    });

    test('artifacts stream in and out, list, delete, and refuse paths that leave the root', async () => {
      const base = `${server.url}/api/2.0/mlflow-artifacts/artifacts`;
      const put = await fetch(`${base}/${experimentId}/run1/artifacts/dir/a.json`, { method: 'PUT', body: '{"a": 1}', headers: { 'content-type': 'application/json' } });
      assert.equal(put.status, 200);
      const got = await fetch(`${base}/${experimentId}/run1/artifacts/dir/a.json`);
      assert.equal(got.status, 200);
      assert.match(got.headers.get('content-type') ?? '', /application\/json/);
      assert.equal(await got.text(), '{"a": 1}');
      const list = await (await fetch(`${base}?path=${experimentId}/run1/artifacts`)).json();
      assert.deepEqual(list, { files: [{ path: 'dir', is_dir: true }] });
      const fileList = await (await fetch(`${base}?path=${experimentId}/run1/artifacts/dir/a.json`)).json();
      assert.deepEqual(fileList, {});
      const attacks = [
        '../../etc/passwd', '..%2f..%2fetc%2fpasswd', '%252e%252e%252fetc%252fpasswd', 'a/..\\..\\b', 'x%5c..%5c..%5cy',
        'a%23/../../b', 'a%3f/../../b', 'a;/../../b', '%2fetc%2fpasswd', 'file:%2f%2f%2fetc%2fpasswd',
      ];
      const prefix = '/api/2.0/mlflow-artifacts/artifacts';
      for (const attack of attacks) {
        assert.equal(await rawRequest(server.url, 'PUT', `${prefix}/${attack}`, 'x'), 400, `PUT ${attack}`);
        assert.equal(await rawRequest(server.url, 'GET', `${prefix}/${attack}`), 400, `GET ${attack}`);
        assert.equal(await rawRequest(server.url, 'DELETE', `${prefix}/${attack}`), 400, `DELETE ${attack}`);
        assert.equal(await rawRequest(server.url, 'GET', `${prefix}?path=${attack}`), 400, `list ${attack}`);
      }
      for (const internal of ['data-objects/md5/ab/cdef', 'inference-log/d/x.parquet']) {
        assert.equal(await rawRequest(server.url, 'PUT', `${prefix}/${internal}`, 'x'), 400, `PUT ${internal}`);
        assert.equal(await rawRequest(server.url, 'DELETE', `${prefix}/${internal}`), 400, `DELETE ${internal}`);
      }
      const deleted = await fetch(`${base}/${experimentId}/run1/artifacts/dir`, { method: 'DELETE' });
      assert.equal(deleted.status, 200);
      assert.equal((await fetch(`${base}/${experimentId}/run1/artifacts/dir/a.json`)).status, 404);
      const multipart = await fetch(`${server.url}/api/2.0/mlflow-artifacts/mpu/create/${experimentId}/x`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(multipart.status, 501);
      assert.match(((await multipart.json()) as { message: string }).message, /^Multipart upload is not supported for the current artifact repository/);
    });

    test('the OpenAPI document lists every route with its access rule', async () => {
      const doc = (await server.call('GET', '/api/openapi.json')).body;
      assert.equal(doc.openapi, '3.0.3');
      const create = doc.paths['/api/2.0/mlflow/runs/log-batch'].post;
      assert.equal(create['x-cairn-access'], 'write');
      assert.ok(create.requestBody.content['application/json'].schema.properties.metrics);
    });
  });
}
