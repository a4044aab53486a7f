import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../testing/server.js';

/** A request with exactly these headers (fetch does not let a caller set Host). */
function rawRequest(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Host allow-list and CORS, authentication off (loopback defaults)', () => {
  let server: TestServer;
  let port: string;
  before(async () => {
    server = await startTestServer('sqlite');
    port = new URL(server.url).port;
  });
  after(() => server.close());

  test('a Host name not on the list is refused with 403 (DNS rebinding); localhost and IP literals pass', async () => {
    const evil = await rawRequest(server.url, 'GET', '/api/2.0/mlflow/experiments/search', { host: `rebind.attacker.example:${port}` });
    assert.equal(evil.status, 403);
    assert.deepEqual(Object.keys(JSON.parse(evil.body)), ['error_code', 'message']);
    assert.match(JSON.parse(evil.body).message, /Host 'rebind\.attacker\.example:\d+' is not allowed .*--allowed-hosts rebind\.attacker\.example/);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      assert.equal((await rawRequest(server.url, 'GET', '/api/2.0/mlflow/experiments/search', { host })).status, 200, host);
    }
    // Load balancers probe /health under any name.
    assert.equal((await rawRequest(server.url, 'GET', '/health', { host: 'pod-name.internal' })).status, 200);
  });

  test('CORS is closed: a preflight is refused and no allow-origin header is sent', async () => {
    const preflight = await rawRequest(server.url, 'OPTIONS', '/api/2.0/mlflow/experiments/create', {
      host: `localhost:${port}`,
      origin: 'https://elsewhere.example',
      'access-control-request-method': 'POST',
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    const simple = await rawRequest(server.url, 'GET', '/api/2.0/mlflow/experiments/search', { host: `localhost:${port}`, origin: 'https://elsewhere.example' });
    assert.equal(simple.status, 200);
    assert.equal(simple.headers['access-control-allow-origin'], undefined);
  });

  test('a cross-origin write from an origin not configured is refused; a same-origin one passes', async () => {
    const body = JSON.stringify({ name: 'cross' });
    const headers = { host: `localhost:${port}`, 'content-type': 'application/json' };
    const cross = await rawRequest(server.url, 'POST', '/api/2.0/mlflow/experiments/create', { ...headers, origin: 'https://elsewhere.example' }, body);
    assert.equal(cross.status, 403);
    assert.match(JSON.parse(cross.body).message, /Cross-origin POST from https:\/\/elsewhere\.example refused/);
    const same = await rawRequest(server.url, 'POST', '/api/2.0/mlflow/experiments/create', { ...headers, origin: `http://localhost:${port}` }, body);
    assert.equal(same.status, 200, same.body);
  });
});

describe('CORS and Host list when configured', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { flags: { corsOrigin: 'https://ui.example.com', allowedHosts: 'mlflow.example.com,*.corp.example' } });
  });
  after(() => server.close());

  test('a configured origin gets its preflight answered and the allow-origin header', async () => {
    const preflight = await rawRequest(server.url, 'OPTIONS', '/api/2.0/mlflow/experiments/create', {
      host: 'mlflow.example.com',
      origin: 'https://ui.example.com',
      'access-control-request-method': 'POST',
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://ui.example.com');
    assert.match(String(preflight.headers['access-control-allow-headers']), /authorization.*x-csrf-token/);
    const write = await rawRequest(
      server.url, 'POST', '/api/2.0/mlflow/experiments/create',
      { host: 'a.corp.example', origin: 'https://ui.example.com', 'content-type': 'application/json' },
      JSON.stringify({ name: 'from-ui' }),
    );
    assert.equal(write.status, 200, write.body);
    assert.equal(write.headers['access-control-allow-origin'], 'https://ui.example.com');
    assert.equal((await rawRequest(server.url, 'GET', '/api/2.0/mlflow/experiments/search', { host: 'localhost' })).status, 403);
    assert.equal((await rawRequest(server.url, 'GET', '/api/2.0/mlflow/experiments/search', { host: 'corp.example' })).status, 403);
  });
});
