import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../testing/server.js';
import { runCairn } from '../testing/process.js';

const cairn = (args: string[], env: Record<string, string>) => runCairn(args, { env });

describe('cairn lineage', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite');
    const record = server.services.lineageRecorder.record.bind(server.services.lineageRecorder);
    await record({ from: 'dataset:churn@abc', to: 'run:r1', kind: 'input' });
    await record({ from: 'run:r1', to: 'logged_model:m-1', kind: 'output' });
    await record({ from: 'logged_model:m-1', to: 'model_version:churn/1', kind: 'registered' });
    await record({ from: 'model_version:churn/1', to: 'deployment:prod', kind: 'served' });
  });
  after(async () => {
    await server?.close();
  });

  test('draws the graph around a node as a tree, both ways', async () => {
    const out = await cairn(['lineage', 'logged_model:m-1', '--tracking-uri', server.url], {});
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, [
      'logged_model:m-1',
      'upstream:',
      '  ←output─ run:r1',
      '    ←input─ dataset:churn@abc',
      'downstream:',
      '  ─registered→ model_version:churn/1',
      '    ─served→ deployment:prod',
      '',
    ].join('\n'));
  });

  test('--impact lists the model versions and live deployments; --json and the environment work too', async () => {
    const out = await cairn(['lineage', 'dataset:churn@abc', '--impact'], { MLFLOW_TRACKING_URI: server.url });
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /model versions \(1\):\n {2}churn version 1\nlive deployments \(1\):\n {2}prod/);
    const json = await cairn(['lineage', 'dataset:churn@abc', '--downstream', '--depth', '1', '--json', '--tracking-uri', server.url], {});
    assert.deepEqual(JSON.parse(json.stdout).nodes.map((n: { id: string }) => n.id), ['dataset:churn@abc', 'run:r1']);
  });

  test('a bad node id and a missing server are one-line errors with the right exit code', async () => {
    const bad = await cairn(['lineage', 'churn', '--tracking-uri', server.url], {});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^cairn: Invalid value 'churn' for parameter 'node'/);
    const none = await cairn(['lineage', 'run:r1'], {});
    assert.equal(none.code, 2);
    assert.match(none.stderr, /needs a cairn server/);
  });
});
