import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rejectsWith } from '../testing/assertions.js';
import { describeEachDialect } from '../testing/dialects.js';
import { createTracking, type Tracking } from '../tracking/index.js';
import { createRegistry, type Registry } from './index.js';


describeEachDialect('registry version sources', (ctx) => {
  let counter = 0;
  let tracking: Tracking;
  let registry: Registry;
  const unique = (prefix: string): string => `${prefix}-${++counter}`;

  async function newModel(): Promise<string> {
    if (!tracking) {
      tracking = createTracking(ctx.db());
      registry = createRegistry(ctx.db(), tracking);
    }
    const name = unique('src');
    await registry.models.create({ name, tags: [] });
    return name;
  }

  test('models:/m-<id> resolves to the logged model’s files and copies its run and id', async () => {
    const name = await newModel();
    const run = await tracking.runs.create({ experimentId: '0', tags: [] });
    const logged = await tracking.loggedModels.create({ experimentId: '0', name: 'model', sourceRunId: run.info.runId, params: [], tags: [] });
    const v = await registry.versions.create({ name, source: `models:/${logged.modelId}`, tags: [] });
    assert.equal(v.source, `models:/${logged.modelId}`);
    assert.equal(v.storageLocation, logged.artifactLocation);
    assert.equal(await registry.versions.downloadUri(name, 1), `mlflow-artifacts:/0/models/${logged.modelId}/artifacts`);
    assert.equal(v.runId, run.info.runId);
    assert.equal(v.modelId, logged.modelId);
    const explicit = await registry.versions.create({ name, source: `models:/${logged.modelId}`, runId: 'given', tags: [] });
    assert.equal(explicit.runId, 'given');
    await rejectsWith(registry.versions.create({ name, source: 'models:/m-0123456789abcdef0123456789abcdef', tags: [] }), 'RESOURCE_DOES_NOT_EXIST');
  });

  test('models:/<name>/<version> copies the storage location of that version', async () => {
    const from = await newModel();
    const to = await newModel();
    await registry.versions.create({ name: from, source: 'mlflow-artifacts:/0/somewhere/model', tags: [] });
    const copy = await registry.versions.create({ name: to, source: `models:/${from}/1`, tags: [] });
    assert.equal(copy.storageLocation, 'mlflow-artifacts:/0/somewhere/model');
    assert.equal(copy.source, `models:/${from}/1`);
    await rejectsWith(registry.versions.create({ name: to, source: `models:/${from}/7`, tags: [] }), 'RESOURCE_DOES_NOT_EXIST', 'version=7');
    await rejectsWith(registry.versions.create({ name: to, source: `models:/${from}/Production`, tags: [] }), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.versions.create({ name: to, source: `models:/${from}@champion`, tags: [] }), 'INVALID_PARAMETER_VALUE');
  });

  test('runs:/<run_id>/<path> resolves under the run’s artifact root', async () => {
    const name = await newModel();
    const run = await tracking.runs.create({ experimentId: '0', tags: [] });
    const v = await registry.versions.create({ name, source: `runs:/${run.info.runId}/model`, tags: [] });
    assert.equal(v.storageLocation, `${run.info.artifactUri}/model`);
    assert.equal(v.runId, run.info.runId);
    await rejectsWith(registry.versions.create({ name, source: `runs:/${run.info.runId}/../../other`, tags: [] }), 'INVALID_PARAMETER_VALUE', "'..'");
    await rejectsWith(registry.versions.create({ name, source: 'runs:/0123456789abcdef0123456789abcdef/model', tags: [] }), 'RESOURCE_DOES_NOT_EXIST');
  });

  test('mlflow-artifacts:/ sources are accepted unless they try to climb out or smuggle characters', async () => {
    const name = await newModel();
    const v = await registry.versions.create({ name, source: 'mlflow-artifacts:/1/abc/artifacts/model', tags: [] });
    assert.equal(v.storageLocation, 'mlflow-artifacts:/1/abc/artifacts/model');
    for (const bad of ['/1/../../etc', '/1/%2e%2e/etc', '/1/a\\b', '/1/a#b', '/1/a?b', '/1/a;b', '/1/a\u0000b']) {
      await rejectsWith(registry.versions.create({ name, source: `mlflow-artifacts:${bad}`, tags: [] }), 'INVALID_PARAMETER_VALUE', 'Invalid model version source');
    }
  });

  test('every other source is refused with a message naming the accepted forms', async () => {
    const name = await newModel();
    const refused = ['file:///etc/passwd', '/abs/path/model', 'ftp://host/model', 'http://host/model', 'https://host/model', 's3://bucket/model', '../model', 'relative/model', 'dummy-source', 'C:\\models\\x'];
    for (const source of refused) {
      await rejectsWith(registry.versions.create({ name, source, tags: [] }), 'INVALID_PARAMETER_VALUE', 'accepts only models:/');
    }
    await rejectsWith(registry.versions.create({ name, source: '', tags: [] }), 'INVALID_PARAMETER_VALUE');
    const versions = await registry.versions.search({ filter: `name = '${name}'` });
    assert.deepEqual(versions.versions, [], 'nothing was registered');
  });

  test('the scheme-less dummy-source is accepted for prompt versions only', async () => {
    const name = await newModel();
    const prompt = await registry.versions.create({ name, source: 'dummy-source', tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] });
    assert.equal(prompt.storageLocation, 'dummy-source');
    await rejectsWith(
      registry.versions.create({ name, source: '/etc/passwd', tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] }),
      'INVALID_PARAMETER_VALUE',
    );
  });
});
