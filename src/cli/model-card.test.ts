import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../testing/server.js';
import { runCairn } from '../testing/process.js';

const cairn = (args: string[]) => runCairn(args);

describe('cairn registry card', () => {
  let server: TestServer;
  let folder: string;
  before(async () => {
    server = await startTestServer('sqlite');
    folder = await mkdtemp(join(tmpdir(), 'cairn-card-cli-'));
    await server.call('POST', 'registered-models/create', { name: 'fraud' });
    for (let i = 0; i < 2; i++) await server.call('POST', 'model-versions/create', { name: 'fraud', source: 'mlflow-artifacts:/models/fraud' });
    await server.call('PUT', '/api/v1/registry/models/fraud/card', { sections: { intended_use: 'Flag card payments for review.' } });
    await server.call('PUT', '/api/v1/registry/models/fraud/card', { sections: { intended_use: 'Version 2 flags transfers too.' }, model_version: 2 });
  });
  after(async () => {
    await server?.close();
    await rm(folder, { recursive: true, force: true });
  });

  test('prints the card in effect for a version as Markdown', async () => {
    const v1 = await cairn(['registry', 'card', 'fraud', '--version', '1', '--tracking-uri', server.url]);
    assert.equal(v1.code, 0, v1.stderr);
    assert.ok(v1.stdout.startsWith('# Model card: fraud\n\nRevision 1, saved '), v1.stdout);
    assert.match(v1.stdout, /## Intended use\n\nFlag card payments for review\.\n/);
    const v2 = await cairn(['registry', 'card', 'fraud', '--version', '2', '--tracking-uri', server.url]);
    assert.match(v2.stdout, /Revision 2 \(for version 2\)/);
  });

  test('--out writes the file whole and leaves no temporary file behind', async () => {
    const file = join(folder, 'fraud.md');
    const out = await cairn(['registry', 'card', 'fraud', '--revision', '1', '--out', file, '--tracking-uri', server.url]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, '');
    const markdown = await readFile(file, 'utf8');
    assert.match(markdown, /Revision 1, saved/);
    assert.deepEqual(await readdir(folder), ['fraud.md']);
  });

  test('an unknown model exits 4 with the server’s message; no server is a clear error', async () => {
    const missing = await cairn(['registry', 'card', 'nope', '--tracking-uri', server.url]);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /^cairn: Registered Model with name=nope not found\n$/);
    const noServer = await cairn(['registry', 'card', 'fraud']);
    assert.equal(noServer.code, 2);
    assert.match(noServer.stderr, /needs a cairn server/);
  });
});
