import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../testing/server.js';
import { runCairn } from '../testing/process.js';

const cairn = (args: string[]) => runCairn(args);

describe('cairn monitor run', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite');
    const put = (key: string, text: string) => server.services.blobs.put(key, Readable.from([Buffer.from(text)]));
    await put('r.csv', 'x,y\n1,a\n2,b\n3,a\n4,b\n5,a\n6,a\n7,b\n');
    await put('c.csv', 'x,y\n17,a\n18,b\n19,b\n20,b\n21,a\n22,a\n23,b\n');
    const created = await server.call('POST', '/api/v1/monitors', { name: 'm', reference: { type: 'artifact', uri: 'r.csv' }, current: { type: 'artifact', uri: 'c.csv' } });
    assert.equal(created.status, 200);
  });
  after(async () => server?.close());

  test('runs the monitor once and prints each column and the verdict', async () => {
    const { code, stdout } = await cairn(['monitor', 'run', 'm', '--tracking-uri', server.url]);
    assert.equal(code, 0);
    assert.match(stdout, /monitor m: run [0-9a-f]{32} ok \(reference 7 rows, current 7 rows\)/);
    // Integers with at most 10 distinct values are categorical (Evidently), so chisquare.
    assert.match(stdout, /x +chisquare +\S+ +DRIFT/);
    assert.match(stdout, /dataset drift: yes/);
    const runs = (await server.call('GET', '/api/v1/monitors/m/results')).body.runs;
    assert.equal(runs.length, 1);
  });

  test('a failed run exits 1 with the reason; an unknown monitor exits 4', async () => {
    await server.call('PATCH', '/api/v1/monitors/m', { current: { type: 'artifact', uri: 'gone.csv' } });
    const failed = await cairn(['monitor', 'run', 'm', '--tracking-uri', server.url, '--json']);
    assert.equal(failed.code, 1);
    assert.equal(JSON.parse(failed.stdout).status, 'failed');
    const unknown = await cairn(['monitor', 'run', 'nope', '--tracking-uri', server.url]);
    assert.equal(unknown.code, 4);
    assert.match(unknown.stderr, /monitor 'nope' does not exist/);
  });
});
