import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../testing/ports.js';
import { runCairn } from '../testing/process.js';

const CAIRN = fileURLToPath(new URL('../../bin/cairn', import.meta.url));

const cairn = (args: string[], timeoutMs?: number) => runCairn(args, timeoutMs === undefined ? {} : { timeoutMs });

test('bad flags and unreachable databases give one line and a non-zero exit', async () => {
  const cases: [string[], RegExp][] = [
    [['server', '--port', 'abc'], /--port/],
    [['server', '--port', '70000'], /--port: must be at most 65535/],
    [['server', '--backend-store-uri', 'mysql://x/y'], /--backend-store-uri: must start with sqlite:\/\/\/ or postgresql:\/\//],
    [['server', '--artifacts-destination', 'ftp://host/x'], /--artifacts-destination/],
    [['server', '--backend-store-uri', 'postgresql://nobody@127.0.0.1:1/none'], /cannot connect to PostgreSQL/],
    [['server', '--workers', '0'], /--workers: must be at least 1/],
    [['server', '--no-such-flag'], /unknown option/],
  ];
  for (const [args, message] of cases) {
    const result = await cairn(args);
    assert.notEqual(result.code, 0, args.join(' '));
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('--help documents every flag', async () => {
  const help = await cairn(['server', '--help']);
  assert.equal(help.code, 0);
  for (const flag of ['--host', '--port', '--backend-store-uri', '--artifacts-destination', '--workers', '--body-limit', '--no-ui', '--log-level']) {
    assert.ok(help.stdout.includes(flag), flag);
  }
});

test('--workers 2 serves from two processes over one SQLite store', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'cairn-workers-'));
  const port = await freePort();
  const child = spawn(process.execPath, [CAIRN, 'server', '--port', String(port), '--workers', '2', '--no-ui',
    '--backend-store-uri', `sqlite:///${join(folder, 'db.sqlite')}`, '--artifacts-destination', join(folder, 'artifacts')], { stdio: 'ignore' });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      fetch(`${url}/api/2.0/mlflow/experiments/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `w${i}` }) }).then((r) => r.status)));
    assert.deepEqual(new Set(created), new Set([200]));
    const search = (await (await fetch(`${url}/api/2.0/mlflow/experiments/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"max_results": 100}' })).json()) as { experiments: unknown[] };
    assert.equal(search.experiments.length, 21);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(folder, { recursive: true, force: true });
  }
});
