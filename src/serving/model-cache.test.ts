import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CairnError } from '../core/errors.js';
import { startTestServer } from '../testing/server.js';
import { decodeJsonRequest } from './decode.js';
import { loadModel } from './load.js';
import { ensureCached, MANIFEST, verifyFolder, versionFolder } from './model-cache.js';
import { onnxRuntime } from './runtime.js';
import { tinyClassifier, tinyMlmodel } from './testing/tiny-onnx.js';
import { TrackingClient, parseModelUri } from './tracking-client.js';


test('a registered version is downloaded once, verified on every load, and refused when a file changes', async () => {
  const work = await mkdtemp(join(tmpdir(), 'cairn-cache-'));
  const server = await startTestServer('sqlite');
  const call = async (method: string, path: string, body: unknown): Promise<void> => {
    const response = await server.call(method, path, body);
    assert.equal(response.status, 200, JSON.stringify(response.body));
  };
  try {
    const files: Record<string, string | Uint8Array> = { MLmodel: tinyMlmodel(['a', 'b']), 'model.onnx': tinyClassifier(2), 'extra/notes.txt': 'kept too' };
    for (const [name, content] of Object.entries(files)) {
      const put = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/0/tiny/model/${name}`, { method: 'PUT', body: content });
      assert.equal(put.status, 200);
    }
    await call('POST', 'registered-models/create', { name: 'tiny..model' });
    await call('POST', 'model-versions/create', { name: 'tiny..model', source: 'mlflow-artifacts:/0/tiny/model' });
    await call('POST', 'registered-models/alias', { name: 'tiny..model', alias: 'champion', version: '1' });

    const client = new TrackingClient({ url: server.url, headers: {} });
    const resolved = await client.resolve(parseModelUri('models:/tiny..model@champion'));
    assert.deepEqual(resolved, { name: 'tiny..model', version: '1', artifactUri: 'mlflow-artifacts:/0/tiny/model' });
    const cacheRoot = join(work, 'cache');
    const first = await ensureCached(cacheRoot, client, resolved);
    assert.equal(first.downloaded, true);
    // A name of dots cannot climb out of the cache root.
    assert.equal(first.folder, versionFolder(cacheRoot, 'tiny..model', '1'));
    assert.ok(first.folder.startsWith(join(cacheRoot, 'tiny%2e%2emodel')));
    assert.deepEqual(Object.keys(first.manifest.files).sort(), ['MLmodel', 'extra/notes.txt', 'model.onnx']);
    assert.equal(await readFile(join(first.folder, 'extra', 'notes.txt'), 'utf8'), 'kept too');
    // Only the server's user may read a cached model: it is downloaded into a 0700 folder and kept so.
    assert.equal((await stat(first.folder)).mode & 0o777, 0o700);
    assert.equal((await ensureCached(cacheRoot, client, resolved)).downloaded, false);

    const loaded = await loadModel('models:/tiny..model/1', { trackingServer: { url: server.url, headers: {} }, cacheRoot }, onnxRuntime());
    assert.deepEqual(await loaded.model.predict(decodeJsonRequest('{"inputs": {"a": [1], "b": [2]}}')), [{ label: 1, probabilities: [1 / (1 + Math.E), Math.E / (1 + Math.E)].map((p) => Math.fround(p)) }]);
    await loaded.model.close();

    const onnx = join(first.folder, 'model.onnx');
    const original = await readFile(onnx);
    const flipped = Buffer.from(original);
    flipped[10] = (flipped[10] as number) ^ 0xff;
    await writeFile(onnx, flipped);
    await assert.rejects(verifyFolder(first.folder), (e: unknown) => e instanceof CairnError && /model\.onnx has sha256/.test(e.message) && /refusing to serve/.test(e.message));
    await assert.rejects(loadModel('models:/tiny..model@champion', { trackingServer: { url: server.url, headers: {} }, cacheRoot }, onnxRuntime()), /refusing to serve/);
    await writeFile(onnx, original);
    await writeFile(join(first.folder, 'planted.onnx'), 'x');
    await assert.rejects(verifyFolder(first.folder), /files the manifest does not list: planted\.onnx/);
    await rm(join(first.folder, 'planted.onnx'));
    await rm(join(first.folder, MANIFEST));
    await assert.rejects(verifyFolder(first.folder), /manifest .* is unreadable/);

    await assert.rejects(client.resolve(parseModelUri('models:/tiny..model@nobody')), /alias nobody not found/);
    await assert.rejects(client.resolve(parseModelUri('models:/missing/3')), (e: unknown) => e instanceof CairnError && e.code === 'RESOURCE_DOES_NOT_EXIST');
  } finally {
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
});

test('model URIs: aliases, versions and what is refused', () => {
  assert.deepEqual(parseModelUri('models:/iris@champion'), { name: 'iris', alias: 'champion' });
  assert.deepEqual(parseModelUri('models:/team/iris/12'), { name: 'team/iris', version: '12' });
  assert.throws(() => parseModelUri('models:/iris/Production'), /version number/);
  assert.throws(() => parseModelUri('runs:/abc/model'), /not a model URI/);
});

test('a tracking server that is not there is a clear TEMPORARILY_UNAVAILABLE', async () => {
  const client = new TrackingClient({ url: 'http://127.0.0.1:9', headers: {} });
  await assert.rejects(client.resolve({ name: 'x', version: '1' }), (e: unknown) => e instanceof CairnError && e.code === 'TEMPORARILY_UNAVAILABLE' && /cannot reach the tracking server/.test(e.message));
});
