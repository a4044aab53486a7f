import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../testing/dialects.js';
import { startTestServer, type TestServer } from '../testing/server.js';

const md5 = (bytes: string | Buffer): string => createHash('md5').update(bytes).digest('hex');

/** A DVC directory manifest's bytes and object id. */
function manifest(files: Record<string, string>): { bytes: string; oid: string } {
  const entries = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, body]) => `{"md5": "${md5(body)}", "relpath": "${path}"}`);
  const bytes = `[${entries.join(', ')}]`;
  return { bytes, oid: `${md5(bytes)}.dir` };
}

const trainV1 = 'age,city\n30,Oslo\n40,Lima\n50,Oslo\n60,Pune\n';
const trainV2 = 'age,city,income\n30,Oslo,1\n,Lima,2\n,Oslo,3\n90,Kyiv,4\n100,Kyiv,5\n';
const labels = 'label\n1\n0\n';
const readme = 'about this data\n';

for (const dialect of DIALECTS) {
  describe(`dataset registry and lineage over HTTP [${dialect}]`, () => {
    let server: TestServer;
    const put = (oid: string, body: string) => fetch(`${server.url}/api/v1/data/objects/md5/${oid.slice(0, 2)}/${oid.slice(2)}`, { method: 'PUT', body });
    const pushAll = async (files: Record<string, string>) => {
      for (const body of Object.values(files)) assert.ok((await put(md5(body), body)).ok);
      const m = manifest(files);
      assert.ok((await put(m.oid, m.bytes)).ok);
      return m.oid;
    };

    before(async () => {
      server = await startTestServer(dialect);
    });
    after(async () => {
      await server?.close();
    });

    test('data objects: uploads are checked against their md5, then read back, listed and deleted', async () => {
      const oid = md5(readme);
      assert.equal((await put(oid, readme)).status, 201);
      assert.equal((await put(oid, readme)).status, 200);
      const wrong = await put(md5('something else'), readme);
      assert.equal(wrong.status, 400);
      assert.match(((await wrong.json()) as { message: string }).message, /do not match/);
      const head = await fetch(`${server.url}/api/v1/data/objects/md5/${oid.slice(0, 2)}/${oid.slice(2)}`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), String(readme.length));
      const got = await fetch(`${server.url}/api/v1/data/objects/md5/${oid.slice(0, 2)}/${oid.slice(2)}`);
      assert.equal(await got.text(), readme);
      const missing = md5('absent');
      assert.equal((await fetch(`${server.url}/api/v1/data/objects/md5/${missing.slice(0, 2)}/${missing.slice(2)}`, { method: 'HEAD' })).status, 404);
      assert.deepEqual((await server.call('POST', '/api/v1/data/objects/exists', { oids: [oid, missing] })).body, { present: [oid] });
      assert.deepEqual((await server.call('GET', '/api/v1/data/objects')).body, { oids: [oid] });
      assert.equal((await server.call('PUT', '/api/v1/data/objects/md5/zz/not-an-object', 'x')).status, 400);
      assert.equal((await server.call('DELETE', `/api/v1/data/objects/md5/${oid.slice(0, 2)}/${oid.slice(2)}`)).status, 200);
      assert.deepEqual((await server.call('GET', '/api/v1/data/objects')).body, { oids: [] });
    });

    test('a pushed folder registers as version 1 with sizes and a profile of its table', async () => {
      const oid = await pushAll({ 'train.csv': trainV1, 'README.md': readme });
      const created = await server.call('POST', '/api/v1/datasets/churn/versions', { object: oid, source: 'data/churn', git_commit: 'a1b2c3' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const v = created.body.version;
      assert.equal(v.version, 1);
      assert.equal(v.digest, oid);
      assert.equal(v.file_count, 2);
      assert.equal(v.size_bytes, trainV1.length + readme.length);
      assert.equal(v.git_commit, 'a1b2c3');
      assert.equal(v.source_type, 'cairn');
      assert.equal(v.lineage_node, `dataset:churn@${oid}`);
      const train = v.files.find((f: { path: string }) => f.path === 'train.csv');
      assert.equal(train.profile.rows, 4);
      assert.equal(train.profile.columns[0].mean, 45);
      assert.equal(v.files.find((f: { path: string }) => f.path === 'README.md').profile, null);
      const again = await server.call('POST', '/api/v1/datasets/churn/versions', { object: oid });
      assert.equal(again.body.version.version, 1);
    });

    test('version 2 and the diff: files added, removed, changed; schema change and column shifts', async () => {
      const oid = await pushAll({ 'train.csv': trainV2, 'labels.csv': labels });
      assert.equal((await server.call('POST', '/api/v1/datasets/churn/versions', { object: oid })).body.version.version, 2);
      const diff = (await server.call('GET', '/api/v1/datasets/churn/diff?from=1&to=2')).body;
      assert.deepEqual(diff.files.added.map((f: { path: string }) => f.path), ['labels.csv']);
      assert.deepEqual(diff.files.removed.map((f: { path: string }) => f.path), ['README.md']);
      assert.deepEqual(diff.files.changed.map((f: { path: string }) => f.path), ['train.csv']);
      const [table] = diff.tables;
      assert.equal(table.path, 'train.csv');
      assert.deepEqual(table.rows, { from: 4, to: 5, delta: 1 });
      assert.deepEqual(table.schema.added, [{ name: 'income', type: 'BIGINT' }]);
      const age = table.columns.find((c: { name: string }) => c.name === 'age');
      assert.equal(age.null_share.to, 0.4);
      assert.ok(age.notable.some((n: string) => n.startsWith('null share moved')));
      assert.ok(age.notable.some((n: string) => n.startsWith('mean moved')));
      const city = table.columns.find((c: { name: string }) => c.name === 'city');
      assert.deepEqual(city.top_entered, ['Kyiv']);
      const byDigest = await server.call('GET', `/api/v1/datasets/churn/diff?from=2&to=${encodeURIComponent(diff.from.digest)}`);
      assert.equal(byDigest.body.to.version, 1);
    });

    test('listing, getting, and the errors a caller can make', async () => {
      const list = (await server.call('GET', '/api/v1/datasets')).body;
      assert.deepEqual(list.datasets.map((d: { name: string; version_count: number; latest: { version: number } }) => [d.name, d.version_count, d.latest.version]), [['churn', 2, 2]]);
      const got = (await server.call('GET', '/api/v1/datasets/churn')).body;
      assert.deepEqual(got.versions.map((v: { version: number }) => v.version), [2, 1]);
      assert.equal((await server.call('GET', '/api/v1/datasets/nope')).status, 404);
      assert.equal((await server.call('GET', '/api/v1/datasets/churn/versions/9')).status, 404);
      const missing = await server.call('POST', '/api/v1/datasets/churn/versions', { object: `${md5('never pushed')}.dir` });
      assert.equal(missing.status, 400);
      assert.match(missing.body.message, /push it first/);
      assert.equal((await server.call('POST', '/api/v1/datasets/churn/versions', { object: 'x', digest: 'y' })).status, 400);
      const external = await server.call('POST', '/api/v1/datasets/clicks/versions', { digest: 'etag-123', source: 's3://bucket/clicks/', size_bytes: 10, file_count: 3 });
      assert.equal(external.body.version.source_type, 'external');
      assert.equal(external.body.version.file_count, 3);
    });

    test('a dataset logged with log_input becomes a version linked to its run, and impact reaches the model version and a live deployment', async () => {
      const experiment = (await server.call('POST', 'experiments/create', { name: 'lineage' })).body.experiment_id;
      const run = (await server.call('POST', 'runs/create', { experiment_id: experiment })).body.run.info.run_id;
      const schema = JSON.stringify({ mlflow_colspec: [{ type: 'double', name: 'x' }, { type: 'long', name: 'y' }] });
      const logged = await server.call('POST', 'runs/log-inputs', {
        run_id: run,
        datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: { name: 'iris', digest: 'd1', source_type: 'code', source: '{}', schema, profile: '{"num_rows": 150}' } }],
      });
      assert.equal(logged.status, 200);
      const model = (await server.call('POST', 'logged-models', { experiment_id: experiment, name: 'clf', source_run_id: run })).body.model.info.model_id;
      await server.call('POST', 'registered-models/create', { name: 'iris-clf' });
      const version = await server.call('POST', 'model-versions/create', { name: 'iris-clf', source: `models:/${model}`, model_id: model, run_id: run });
      assert.equal(version.status, 200, JSON.stringify(version.body));

      const iris = (await server.call('GET', '/api/v1/datasets/iris/versions/d1')).body;
      assert.equal(iris.version.source_type, 'code');
      assert.equal(iris.version.mlflow_profile, '{"num_rows": 150}');
      assert.deepEqual(iris.runs.map((r: { run_id: string }) => r.run_id), [run]);

      const node = encodeURIComponent('dataset:iris@d1');
      const impact = (await server.call('GET', `/api/v1/lineage/impact?node=${node}`)).body;
      assert.deepEqual(impact.model_versions.map((m: { id: string }) => m.id), ['model_version:iris-clf/1']);
      assert.deepEqual(impact.logged_models.map((m: { model_id: string }) => m.model_id), [model]);

      const served = { from: 'model_version:iris-clf/1', to: 'deployment:iris-prod', kind: 'served' };
      assert.equal((await server.call('POST', '/api/v1/lineage/edges', served)).status, 200);
      assert.deepEqual((await server.call('GET', `/api/v1/lineage/impact?node=${node}`)).body.deployments.map((d: { name: string }) => d.name), ['iris-prod']);
      await server.call('POST', '/api/v1/lineage/edges/end', served);
      assert.deepEqual((await server.call('GET', `/api/v1/lineage/impact?node=${node}`)).body.deployments, []);

      const up = (await server.call('GET', `/api/v1/lineage?node=${encodeURIComponent('deployment:iris-prod')}&direction=upstream&depth=10`)).body;
      assert.deepEqual(up.nodes.map((n: { id: string }) => n.id).sort(), ['dataset:iris@d1', 'deployment:iris-prod', `logged_model:${model}`, 'model_version:iris-clf/1', `run:${run}`].sort());
      assert.equal(up.edges.find((e: { kind: string }) => e.kind === 'served').ended_at !== null, true);
      const bad = await server.call('GET', '/api/v1/lineage?node=nonsense');
      assert.equal(bad.status, 400);
    });

    test('two MLflow-logged versions diff by schema and row count', async () => {
      const experiment = (await server.call('POST', 'experiments/create', { name: 'lineage-2' })).body.experiment_id;
      const run = (await server.call('POST', 'runs/create', { experiment_id: experiment })).body.run.info.run_id;
      const schema = JSON.stringify({ mlflow_colspec: [{ type: 'double', name: 'x' }, { type: 'string', name: 'y' }, { type: 'long', name: 'z' }] });
      await server.call('POST', 'runs/log-inputs', { run_id: run, datasets: [{ tags: [], dataset: { name: 'iris', digest: 'd2', source_type: 'code', source: '{}', schema, profile: '{"num_rows": 120}' } }] });
      const diff = (await server.call('GET', '/api/v1/datasets/iris/diff?from=d1&to=d2')).body;
      const [table] = diff.tables;
      assert.deepEqual(table.rows, { from: 150, to: 120, delta: -30 });
      assert.deepEqual(table.schema.added, [{ name: 'z', type: 'long' }]);
      assert.deepEqual(table.schema.retyped, [{ name: 'y', from: 'long', to: 'string' }]);
    });
  });
}
