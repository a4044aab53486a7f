import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { advanceRule, evaluateRule, postJson, signatureHeader, verifySignature, type AlertRule } from './index.js';

const rule: AlertRule = { name: 'age-drift', metric: 'drift_score', column: 'age', comparator: '>', threshold: 0.1, for: 2, channels: [] };

test('a rule fires after N consecutive breaches, stays quiet while firing, resolves once', () => {
  let state = { consecutive: 0, firing: false, since: null as number | null };
  const transitions: (string | null)[] = [];
  for (const [i, breached] of [true, true, true, false, false, true].entries()) {
    const next = advanceRule(state, breached, rule.for, i);
    transitions.push(next.transition);
    state = next.state;
  }
  assert.deepEqual(transitions, [null, 'firing', null, 'resolved', null, null]);
});

test('a rule reads its metric and column; without a column any column may breach', () => {
  const points = [{ metric: 'drift_score', column: 'age', value: 0.05 }, { metric: 'drift_score', column: 'income', value: 0.3 }];
  assert.equal(evaluateRule(rule, points).breached, false);
  const any = evaluateRule({ ...rule, column: undefined }, points);
  assert.deepEqual([any.breached, any.column, any.value], [true, 'income', 0.3]);
  assert.equal(evaluateRule({ ...rule, metric: 'accuracy' }, points).value, null);
});

test('signatures verify, and a changed body or an old timestamp does not', () => {
  const header = signatureHeader('s3cret-s3cret-s3cret', 1_700_000_000, '{"a":1}');
  assert.equal(verifySignature('s3cret-s3cret-s3cret', header, '{"a":1}', 1_700_000_100), true);
  assert.equal(verifySignature('s3cret-s3cret-s3cret', header, '{"a":2}', 1_700_000_100), false);
  assert.equal(verifySignature('s3cret-s3cret-s3cret', header, '{"a":1}', 1_700_001_000), false);
});

async function receiver(statuses: number[]): Promise<{ url: string; bodies: { headers: IncomingMessage['headers']; body: string }[]; close(): Promise<void> }> {
  const bodies: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString()));
    request.on('end', () => {
      bodies.push({ headers: request.headers, body });
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('delivery to 127.0.0.1 is refused unless allowed, and retries a 5xx', async () => {
  const r = await receiver([503, 200]);
  try {
    const refused = await postJson(r.url, '{}', {}, { allow: [], timeoutMs: 2000, attempts: 3, backoffMs: 10 });
    assert.equal(refused.ok, false);
    assert.equal(refused.attempts, 0);
    assert.match(refused.error ?? '', /loopback/);
    assert.equal(r.bodies.length, 0);
    const delivered = await postJson(r.url, '{"x":1}', { 'x-test': 'yes' }, { allow: ['127.0.0.1'], timeoutMs: 2000, attempts: 3, backoffMs: 10 });
    assert.deepEqual([delivered.ok, delivered.status, delivered.attempts], [true, 200, 2]);
    assert.equal(r.bodies[1]?.body, '{"x":1}');
    assert.equal(r.bodies[1]?.headers['x-test'], 'yes');
  } finally {
    await r.close();
  }
});

test('a 4xx is not retried', async () => {
  const r = await receiver([404, 200]);
  try {
    const result = await postJson(r.url, '{}', {}, { allow: ['127.0.0.1'], timeoutMs: 2000, attempts: 3, backoffMs: 10 });
    assert.deepEqual([result.ok, result.status, result.attempts], [false, 404, 1]);
  } finally {
    await r.close();
  }
});
