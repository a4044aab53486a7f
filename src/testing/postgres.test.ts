import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { startPostgres } from './postgres.js';

test('startPostgres gives a database that answers queries, and stop removes it', async () => {
  const cluster = await startPostgres({ database: 'harness_check' });
  const url = new URL(cluster.uri);
  assert.equal(url.protocol, 'postgresql:');
  assert.equal(url.hostname, '127.0.0.1');
  assert.equal(url.pathname, '/harness_check');
  const client = new pg.Client({ connectionString: cluster.uri });
  let dataDirectory: string | undefined;
  try {
    await client.connect();
    const result = await client.query<{ one: number; db: string }>('select 1 as one, current_database() as db');
    assert.deepEqual(result.rows, [{ one: 1, db: 'harness_check' }]);
    const setting = await client.query<{ setting: string }>("select setting from pg_settings where name = 'data_directory'");
    dataDirectory = setting.rows[0]?.setting;
  } finally {
    await client.end();
  }
  assert.ok(dataDirectory !== undefined && existsSync(dataDirectory));
  await cluster.stop();
  assert.equal(existsSync(dataDirectory), false, 'the cluster folder is removed');
  const late = new pg.Client({ connectionString: cluster.uri, connectionTimeoutMillis: 2000 });
  await assert.rejects(late.connect(), 'nothing listens after stop');
});

test('two clusters run side by side on different ports', async () => {
  const [a, b] = await Promise.all([startPostgres(), startPostgres()]);
  try {
    assert.notEqual(new URL(a.uri).port, new URL(b.uri).port);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
