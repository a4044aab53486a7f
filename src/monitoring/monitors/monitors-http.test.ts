import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { claimMonitorLease } from '../../store/monitoring/monitors.js';
import { DIALECTS } from '../../testing/dialects.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { verifySignature } from '../alerts/index.js';

const SECRET = 'a-webhook-secret-of-some-length';

/** A table with a numeric feature, a category, predictions with scores, labels and a segment. */
function table(rows: number, shift: number, seed: number): string {
  let s = seed;
  const random = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = ['x,color,prediction,score,label,region'];
  for (let i = 0; i < rows; i++) {
    const x = random() * 10 + shift;
    const label = random() < 0.5 ? 1 : 0;
    const score = Math.min(0.99, Math.max(0.01, label * 0.4 + random() * 0.6));
    lines.push(`${x.toFixed(4)},${['red', 'green', 'blue'][i % 3]},${score > 0.5 ? 1 : 0},${score.toFixed(4)},${label},${i % 2 ? 'north' : 'south'}`);
  }
  return `${lines.join('\n')}\n`;
}

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

for (const dialect of DIALECTS) {
  describe(`monitors over HTTP [${dialect}]`, () => {
    let server: TestServer;
    let hook: { url: string; received: Received[]; close(): Promise<void> };

    before(async () => {
      const received: Received[] = [];
      const http = createServer((request, response) => {
        let body = '';
        request.on('data', (c: Buffer) => (body += c.toString()));
        request.on('end', () => {
          received.push({ headers: request.headers, body });
          response.end('ok');
        });
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const { port } = http.address() as AddressInfo;
      hook = { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => http.close(() => resolve())) };
      server = await startTestServer(dialect, { flags: { outboundAllow: '127.0.0.1' } });
      const put = (key: string, text: string) => server.services.blobs.put(key, Readable.from([Buffer.from(text)]));
      await put('data/ref.csv', table(400, 0, 1));
      await put('data/drifted.csv', table(300, 4, 2));
      await put('data/same.csv', table(300, 0, 3));
    });
    after(async () => {
      await server?.close();
      await hook?.close();
    });

    const spec = () => ({
      name: 'churn',
      reference: { type: 'artifact', uri: 'data/ref.csv' },
      current: { type: 'artifact', uri: 'data/drifted.csv' },
      columns: ['x', 'color'],
      performance: { task: 'classification', score: 'score', segment: 'region' },
      alerts: [
        { name: 'x-drift', metric: 'drift_detected', column: 'x', comparator: '==', threshold: 1, channels: ['hook', 'chat', 'retrain'] },
        { name: 'low-accuracy', metric: 'accuracy', comparator: '<', threshold: 0.2, for: 2, channels: ['hook'] },
      ],
      channels: [
        { name: 'hook', type: 'webhook', url: `${hook.url}/hook`, secret: SECRET },
        { name: 'chat', type: 'slack', url: `${hook.url}/slack` },
        { name: 'retrain', type: 'retrain', model: 'churn-model' },
      ],
    });

    test('create refuses webhooks to private addresses that are not allowed', async () => {
      const bad = { ...spec(), name: 'bad', channels: [{ name: 'hook', type: 'webhook', url: 'http://169.254.169.254/latest' }], alerts: [] };
      const answer = await server.call('POST', '/api/v1/monitors', bad);
      assert.equal(answer.status, 400);
      assert.match(answer.body.message, /link-local/);
      const unknownChannel = await server.call('POST', '/api/v1/monitors', { ...spec(), name: 'bad2', channels: [] });
      assert.equal(unknownChannel.status, 400);
      assert.match(unknownChannel.body.message, /unknown channel/);
    });

    test('create, get and list hide webhook secrets', async () => {
      const created = await server.call('POST', '/api/v1/monitors', spec());
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.monitor.spec.channels[0].secret_set, true);
      assert.equal(JSON.stringify(created.body).includes(SECRET), false);
      assert.equal((await server.call('POST', '/api/v1/monitors', spec())).body.error_code, 'RESOURCE_ALREADY_EXISTS');
      const listed = await server.call('GET', '/api/v1/monitors');
      assert.deepEqual(listed.body.monitors.map((m: { name: string }) => m.name), ['churn']);
    });

    test('a run tests drift, computes performance and fires signed, de-duplicated alerts', async () => {
      const first = await server.call('POST', '/api/v1/monitors/churn/run');
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const run = first.body.run;
      assert.equal(run.status, 'ok', run.error);
      assert.equal(run.reference_rows, 400);
      assert.equal(run.current_rows, 300);
      const x = run.detail.drift.columns.find((c: { column: string }) => c.column === 'x');
      assert.equal(x.test, 'ks');
      assert.equal(x.drift, true);
      assert.ok(run.detail.drift.histograms.x.reference.length > 0);
      assert.equal(run.detail.performance.labelled_rows, 300);
      assert.ok(run.detail.performance.metrics.accuracy > 0.5);
      assert.deepEqual(run.detail.performance.segments.map((s: { segment: string }) => s.segment), ['north', 'south']);
      assert.ok(run.detail.performance.disparities.some((d: { metric: string }) => d.metric === 'selection_rate'));

      const hookCalls = hook.received.filter((r) => r.headers['x-cairn-signature']);
      assert.equal(hookCalls.length, 1);
      const signed = hookCalls[0]!;
      assert.equal(verifySignature(SECRET, signed.headers['x-cairn-signature'] as string, signed.body, Date.now() / 1000), true);
      assert.equal(JSON.parse(signed.body).state, 'firing');
      assert.equal(JSON.parse(signed.body).column, 'x');
      assert.match(JSON.parse(hook.received.find((r) => !r.headers['x-cairn-signature'])!.body).text, /FIRING.*x-drift/);
      const triggers = await server.call('GET', '/api/v1/retrain-triggers?pending=true');
      assert.equal(triggers.body.triggers.length, 1);
      assert.equal(triggers.body.triggers[0].payload.model, 'churn-model');
      const id = triggers.body.triggers[0].trigger_id;
      assert.equal((await server.call('POST', `/api/v1/retrain-triggers/${id}/consume`)).status, 200);
      assert.equal((await server.call('POST', `/api/v1/retrain-triggers/${id}/consume`)).status, 404);

      const second = await server.call('POST', '/api/v1/monitors/churn/run');
      assert.equal(second.body.run.status, 'ok');
      assert.equal(hook.received.length, 2, 'a rule that stays firing notifies nobody again');
      const history = await server.call('GET', '/api/v1/alerts?monitor=churn');
      assert.deepEqual(history.body.alerts.map((a: { state: string; rule: string }) => `${a.rule}:${a.state}`), ['x-drift:firing']);
      assert.equal(history.body.alerts[0].deliveries.length, 3);
      assert.ok(history.body.alerts[0].deliveries.every((d: { ok: boolean }) => d.ok));
    });

    test('the alert resolves when drift goes away; series and results record every run', async () => {
      const patched = await server.call('PATCH', '/api/v1/monitors/churn', { current: { type: 'artifact', uri: 'data/same.csv' } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.equal(patched.body.monitor.spec.channels[0].secret_set, true, 'the secret survives an update that does not name it');
      const third = await server.call('POST', '/api/v1/monitors/churn/run');
      assert.equal(third.body.run.status, 'ok');
      const history = await server.call('GET', '/api/v1/alerts?monitor=churn');
      assert.deepEqual(history.body.alerts.map((a: { state: string }) => a.state), ['resolved', 'firing']);
      const resolved = hook.received.filter((r) => r.headers['x-cairn-signature']).map((r) => JSON.parse(r.body).state);
      assert.deepEqual(resolved, ['firing', 'resolved']);
      const series = await server.call('GET', '/api/v1/monitors/churn/series?metric=drift_score&column=x');
      assert.equal(series.body.points.length, 3);
      const accuracy = await server.call('GET', '/api/v1/monitors/churn/series?metric=accuracy');
      assert.equal(accuracy.body.points.length, 3);
      const results = await server.call('GET', '/api/v1/monitors/churn/results?limit=2');
      assert.equal(results.body.runs.length, 2);
      assert.equal(results.body.runs[0].detail, undefined);
      const one = await server.call('GET', `/api/v1/monitors/churn/results/${results.body.runs[0].run_id}`);
      assert.equal(one.body.run.detail.drift.columns.length, 2);
    });

    test('a failing run records the reason and the monitor keeps its schedule', async () => {
      await server.call('PATCH', '/api/v1/monitors/churn', { current: { type: 'artifact', uri: 'data/missing.csv' }, schedule: '0 * * * *' });
      const failed = await server.call('POST', '/api/v1/monitors/churn/run');
      assert.equal(failed.status, 200);
      assert.equal(failed.body.run.status, 'failed');
      assert.match(failed.body.run.error, /no artifact at 'data\/missing\.csv'/);
      const monitor = (await server.call('GET', '/api/v1/monitors/churn')).body.monitor;
      assert.equal(monitor.spec.schedule, '0 * * * *');
      assert.equal(monitor.last_run.status, 'failed');
      const badCron = await server.call('PATCH', '/api/v1/monitors/churn', { schedule: 'every tuesday' });
      assert.equal(badCron.status, 400);
      assert.match(badCron.body.message, /cron/);
    });

    test('/metrics exposes the latest outputs on the shared registry', async () => {
      await server.call('PATCH', '/api/v1/monitors/churn', { current: { type: 'artifact', uri: 'data/same.csv' } });
      await server.call('POST', '/api/v1/monitors/churn/run');
      const response = await fetch(`${server.url}/metrics`);
      const text = (await response.text()).split('\n').filter((l) => l.startsWith('cairn_')).join('\n');
      assert.match(text, /cairn_monitor_value\{monitor="churn",metric="accuracy",column=""\} 0\.\d+\n/);
      assert.match(text, /cairn_monitor_value\{monitor="churn",metric="drift_score",column="x"\}/);
      assert.match(text, /cairn_monitor_last_run_ok\{monitor="churn"\} 1/);
      assert.match(text, /cairn_deployment_requests_total|process_cpu/);
    });

    test('of two runners of one tick, one runs it; a held lease refuses a manual run', async () => {
      const tick = Date.now();
      const [a, b] = await Promise.all([server.services.monitors.runScheduled('churn', tick), server.services.monitors.runScheduled('churn', tick)]);
      assert.equal([a, b].filter((r) => r !== null).length, 1);
      assert.equal(await server.services.monitors.runScheduled('churn', tick), null, 'a tick runs once');
      const held = await claimMonitorLease(server.services.db.kysely, 'churn', { owner: 'other-replica', now: Date.now(), until: Date.now() + 60_000 });
      assert.equal(held, true);
      const busy = await server.call('POST', '/api/v1/monitors/churn/run');
      assert.equal(busy.body.error_code, 'INVALID_STATE');
      await server.services.db.kysely.updateTable('monitors').set({ lease_until: null, lease_owner: null }).where('name', '=', 'churn').execute();
    });

    test('the scheduler runs a monitor on its cron schedule', async () => {
      await server.call('PATCH', '/api/v1/monitors/churn', { schedule: '* * * * * *' });
      let scheduled = 0;
      for (let i = 0; i < 100 && scheduled === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const runs = (await server.call('GET', '/api/v1/monitors/churn/results')).body.runs as { trigger: string }[];
        scheduled = runs.filter((r) => r.trigger === 'schedule').length;
      }
      assert.ok(scheduled > 0, 'a scheduled run was recorded');
      await server.call('PATCH', '/api/v1/monitors/churn', { schedule: null });
    });

    test('delete removes the monitor; unknown monitors are 404', async () => {
      assert.equal((await server.call('DELETE', '/api/v1/monitors/churn')).status, 200);
      assert.equal((await server.call('GET', '/api/v1/monitors/churn')).status, 404);
      assert.equal((await server.call('POST', '/api/v1/monitors/churn/run')).status, 404);
      assert.equal((await server.call('GET', '/api/v1/alerts?monitor=churn')).body.alerts.length, 2, 'alert history stays');
    });
  });
}
