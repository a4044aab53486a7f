import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScoringApp } from './app.js';
import { decodeJsonRequest } from './decode.js';
import { ModelSet } from './model-set.js';
import { readModelPackage } from './packaging.js';
import { onnxRuntime, type LoadedModel } from './runtime.js';
import { tinyClassifier, tinyMlmodel } from './testing/tiny-onnx.js';

async function tinyModel(label: string): Promise<{ model: LoadedModel; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-app-'));
  await writeFile(join(dir, 'MLmodel'), tinyMlmodel(['a', 'b']));
  await writeFile(join(dir, 'model.onnx'), tinyClassifier(2));
  const model = await onnxRuntime().load(await readModelPackage(dir), label);
  return { model, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

test('the scoring protocol: ping, version, invocations, and 4xx answers that keep the app serving', async () => {
  const { model, cleanup } = await tinyModel('v1');
  const models = new ModelSet();
  const app = await buildScoringApp({ models, bodyLimitBytes: 2048, version: '9.9.9', logLevel: 'silent' });
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/ping' })).statusCode, 503, 'not ready before a model is loaded');
    models.swap({ versions: new Map([['v1', model]]), primary: 'v1' });
    for (const url of ['/ping', '/health']) {
      const ping = await app.inject({ method: 'GET', url });
      assert.equal(ping.statusCode, 200);
      assert.equal(ping.body, '\n');
    }
    assert.equal((await app.inject({ method: 'GET', url: '/version' })).body, '9.9.9');
    const score = (payload: string, type = 'application/json') => app.inject({ method: 'POST', url: '/invocations', payload, headers: { 'content-type': type } });

    const ok = await score('{"dataframe_split": {"columns": ["a", "b"], "data": [[2, 1]]}}', 'application/json; charset=utf-8');
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().predictions[0].label, 0);
    assert.equal((await score('a,b\n1,2\n', 'text/csv')).json().predictions[0].label, 1);

    const cases: [string, string, number, RegExp][] = [
      ['{"dataframe_split": [', 'application/json', 400, /Failed to parse input from JSON/],
      ['{"dataframe_split": {"columns": ["a"], "data": [[1]]}}', 'application/json', 400, /missing inputs \['b'\]/],
      ['{"dataframe_records": [{"a": 1, "b": "2"}]}', 'application/json', 400, /column 'b'/],
      ['{"inputs": [[1, 2]], "instances": [[1, 2]]}', 'application/json', 400, /exactly one of the input fields/],
      [`{"inputs": [${'[1, 2],'.repeat(400)}[1, 2]]}`, 'application/json', 413, /larger than the limit of 2048 bytes/],
      ['a,b\n1\n', 'text/csv', 400, /line 2 has 1 fields/],
    ];
    for (const [payload, type, status, pattern] of cases) {
      const response = await score(payload, type);
      assert.equal(response.statusCode, status, response.body);
      assert.match(response.json().message, pattern);
      assert.ok(response.json().error_code);
    }
    const xml = await score('<x/>', 'application/xml');
    assert.equal(xml.statusCode, 415);
    assert.match(xml.body, /text\/csv/);
    assert.equal((await score('{}', 'application/json; charset=latin-1')).statusCode, 415);
    assert.equal((await app.inject({ method: 'GET', url: '/nope' })).statusCode, 404);
    assert.equal((await score('{"inputs": {"a": [1], "b": [0]}}')).statusCode, 200, 'still serving after the bad requests');
  } finally {
    await app.close();
    await models.close();
    await cleanup();
  }
});

test('a swap is atomic and the old version closes only after its in-flight request ends', async () => {
  const one = await tinyModel('v1');
  const two = await tinyModel('v2');
  const models = new ModelSet();
  try {
    models.swap({ versions: new Map([['v1', one.model]]), primary: 'v1' });
    const lease = models.acquire();
    models.swap({ versions: new Map([['v2', two.model]]), primary: 'v2' });
    assert.equal(models.acquire().model.label, 'v2');
    // The request that started on v1 finishes on v1, even after the swap.
    assert.deepEqual(await lease.model.predict(decodeJsonRequest('{"inputs": [[0, 1]]}')).then((p) => (p as { label: number }[])[0]?.label), 1);
    lease.release();
    await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(one.model.predict(decodeJsonRequest('{"inputs": [[0, 1]]}')), 'v1 is closed once idle');
    assert.throws(() => models.acquire('v1'), /serves v2/);
    assert.throws(() => models.swap({ versions: new Map([['v3', two.model]]), primary: 'v4' }), /'v4' is not among/);
  } finally {
    await models.close();
    await one.cleanup();
    await two.cleanup();
  }
});
