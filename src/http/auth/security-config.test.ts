import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerConfig, type ServerFlags } from '../../core/config.js';

const base: ServerFlags = { host: '127.0.0.1', port: 5000, backendStoreUri: 'sqlite:///x.db', artifactsDestination: './a', workers: 1, bodyLimitBytes: 1 << 20, serveUi: false, logLevel: 'silent' };

test('authentication is off on loopback and on everywhere else, unless a flag says otherwise', () => {
  for (const host of ['127.0.0.1', '::1', 'localhost', '127.0.0.2']) assert.equal(parseServerConfig({ ...base, host }, {}).authEnabled, false, host);
  for (const host of ['0.0.0.0', '::', '10.1.2.3', 'cairn.internal']) assert.equal(parseServerConfig({ ...base, host }, {}).authEnabled, true, host);
  assert.equal(parseServerConfig({ ...base, auth: true }, {}).authEnabled, true);
  assert.equal(parseServerConfig({ ...base, host: '0.0.0.0', insecureNoAuth: true }, {}).authEnabled, false);
  assert.throws(() => parseServerConfig({ ...base, auth: true, insecureNoAuth: true }, {}), /contradict/);
});

test('Host list: localhost without auth, any name with auth, or exactly what was given', () => {
  assert.deepEqual(parseServerConfig(base, {}).allowedHosts, ['localhost']);
  assert.equal(parseServerConfig({ ...base, host: '0.0.0.0' }, {}).allowedHosts, 'any');
  assert.deepEqual(parseServerConfig({ ...base, host: '0.0.0.0', allowedHosts: 'MLflow.example.com, *.corp' }, {}).allowedHosts, ['mlflow.example.com', '*.corp']);
  assert.equal(parseServerConfig({ ...base, allowedHosts: '*' }, {}).allowedHosts, 'any');
});

test('CORS closed and a rate limit on by default; bad values name their flag', () => {
  const config = parseServerConfig(base, {});
  assert.deepEqual(config.corsOrigins, []);
  assert.equal(config.rateLimitPerMinute, 3000);
  assert.deepEqual(parseServerConfig({ ...base, corsOrigin: 'https://a.example/, http://b.example:8080' }, {}).corsOrigins, ['https://a.example', 'http://b.example:8080']);
  assert.throws(() => parseServerConfig({ ...base, corsOrigin: 'a.example' }, {}), /--cors-origin: must be a comma-separated list of origins/);
  assert.throws(() => parseServerConfig({ ...base, rateLimit: -1 }, {}), /--rate-limit/);
  assert.equal(parseServerConfig({ ...base, rateLimit: 0 }, {}).rateLimitPerMinute, 0);
});
