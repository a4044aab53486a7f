import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { DIALECTS } from '../../testing/dialects.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { describeEachDialect } from '../../testing/dialects.js';
import { buildApp } from '../app.js';
import { route } from '../route.js';
import { allRoutes } from '../routes.js';

interface Entry {
  seq: number;
  actor: string;
  auth_method: string;
  action: string;
  verb: string;
  resource_kind: string;
  resource_id: string;
  summary: string;
  request_id: string;
  client_address: string;
}

async function entries(server: TestServer, query = ''): Promise<Entry[]> {
  const answer = await server.call('GET', `/api/v1/audit?max_results=1000${query}`);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.entries as Entry[];
}

async function experimentNamed(server: TestServer, name: string): Promise<number> {
  const found = await server.call('GET', `experiments/get-by-name?experiment_name=${name}`);
  return found.status;
}

// One routes list per file: a route whose handler writes, then fails.
const failingRoute = route({
  method: 'POST', paths: ['/api/v1/test/write-then-fail'], tag: 'Test', access: 'write',
  permission: { none: 'test route' },
  summary: 'Create an experiment, then fail',
  body: z.object({ name: z.string() }),
  response: z.object({}),
  handler: async ({ body, services }) => {
    await services.tracking.experiments.create({ name: body.name, tags: [] });
    throw new Error('the handler failed after writing');
  },
});

describeEachDialect('audit log over HTTP', ({ dialect }) => {
  let server: TestServer;
  let failingUrl: string;
  let closeFailing: () => Promise<void>;
  before(async () => {
    server = await startTestServer(dialect);
    const app = await buildApp(server.services, [...allRoutes, failingRoute]);
    failingUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    closeFailing = () => app.close();
  });
  after(async () => {
    await closeFailing();
    await server.close();
  });

  test('each change appends one entry naming who, what, which resource, from where', async () => {
    const experiment = await server.call('POST', 'experiments/create', { name: 'audited' });
    const run = await server.call('POST', 'runs/create', { experiment_id: experiment.body.experiment_id });
    const runId = run.body.run.info.run_id as string;
    await server.call('POST', 'runs/log-batch', { run_id: runId, metrics: [{ key: 'loss', value: 0.5, timestamp: 1, step: 0 }] });
    // A search changes nothing and leaves no entry.
    await server.call('POST', 'runs/search', { experiment_ids: [experiment.body.experiment_id] });
    const list = await entries(server);
    assert.deepEqual(list.map((e) => e.verb), ['log-batch run', 'create run', 'create experiment']);
    const [batch, created, experimentEntry] = list;
    assert.equal(batch?.resource_id, runId);
    assert.equal(created?.resource_id, runId);
    assert.equal(created?.action, 'POST /api/2.0/mlflow/runs/create');
    assert.equal(experimentEntry?.resource_kind, 'experiment');
    assert.equal(experimentEntry?.resource_id, experiment.body.experiment_id);
    assert.equal(batch?.actor, 'anonymous');
    assert.equal(batch?.client_address, '127.0.0.1');
    assert.ok(batch?.request_id);
    assert.match(batch?.summary ?? '', /"loss"/);
  });

  test('a handler that fails after writing leaves neither the change nor an entry', async () => {
    const before = (await entries(server)).length;
    const answer = await fetch(`${failingUrl}/api/v1/test/write-then-fail`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ghost' }) });
    assert.equal(answer.status, 500);
    assert.equal(await experimentNamed(server, 'ghost'), 404);
    assert.equal((await entries(server)).length, before);
  });

  test('an audit append that fails rolls the change back', async () => {
    const db = server.services.db;
    const head = await db.kysely.selectFrom('audit_chain_head').select('last_seq').executeTakeFirstOrThrow();
    // A row squatting on the next sequence number makes the next append fail.
    const squatter = { seq: Number(head.last_seq) + 1, time: 0, actor: 'x', auth_method: 'x', action: 'x', verb: 'x', resource_kind: 'x', resource_id: 'x', client_address: 'x', request_id: 'x', summary: '{}', hash: 'x' };
    await db.kysely.insertInto('audit_entries').values(squatter).execute();
    const answer = await server.call('POST', 'experiments/create', { name: 'unaudited' });
    assert.equal(answer.status, 500);
    await db.kysely.deleteFrom('audit_entries').where('seq', '=', squatter.seq).execute();
    assert.equal(await experimentNamed(server, 'unaudited'), 404);
    assert.equal((await server.services.audit.verify()).problem, undefined);
  });

  test('many parallel writes, group-committed batches among them, give a complete, valid chain', async () => {
    const experiment = await server.call('POST', 'experiments/create', { name: 'parallel' });
    const runIds: string[] = [];
    for (let i = 0; i < 4; i++) runIds.push((await server.call('POST', 'runs/create', { experiment_id: experiment.body.experiment_id })).body.run.info.run_id);
    const before = (await entries(server)).length;
    const calls = Array.from({ length: 48 }, (_, i) => {
      if (i % 3 === 0) return server.call('POST', 'experiments/create', { name: `parallel-${i}` });
      if (i % 3 === 1) return server.call('POST', 'runs/log-batch', { run_id: runIds[i % 4], metrics: [{ key: `m${i}`, value: i, timestamp: i, step: i }], params: [{ key: `p${i}`, value: String(i) }] });
      return server.call('POST', 'runs/log-metric', { run_id: runIds[i % 4], key: 'acc', value: i, timestamp: i, step: i });
    });
    const answers = await Promise.all(calls);
    for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
    const after = await entries(server);
    assert.equal(after.length, before + 48);
    const seqs = after.map((e) => e.seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
    assert.deepEqual(await server.services.audit.verify(), { verified: after.length, problem: undefined });
  });

  test('filters narrow the list, and bad ones are refused with a clear message', async () => {
    const byKind = await entries(server, '&resource_kind=experiment');
    assert.ok(byKind.length > 0 && byKind.every((e) => e.resource_kind === 'experiment'));
    const byAction = await entries(server, `&action=${encodeURIComponent('log-metric')}`);
    assert.ok(byAction.length > 0 && byAction.every((e) => e.action.endsWith('runs/log-metric')));
    const one = byKind[0];
    assert.ok(one);
    assert.deepEqual((await entries(server, `&resource_kind=experiment&resource_id=${one.resource_id}`)).map((e) => e.seq), [one.seq]);
    assert.deepEqual(await entries(server, '&actor=nobody'), []);
    assert.deepEqual(await entries(server, `&since=${Date.now() + 60_000}`), []);
    const bad = await server.call('GET', '/api/v1/audit?since=yesterday-ish');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /since/);
    const paged = await server.call('GET', '/api/v1/audit?max_results=2');
    assert.equal(paged.body.entries.length, 2);
    const next = await server.call('GET', `/api/v1/audit?max_results=2&page_token=${paged.body.next_page_token}`);
    assert.equal(next.body.entries[0].seq, paged.body.entries[1].seq - 1);
  });

  test('export streams every entry as JSON lines, oldest first', async () => {
    const response = await fetch(`${server.url}/api/v1/audit/export`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /ndjson/);
    const lines = (await response.text()).trim().split('\n').map((l) => JSON.parse(l) as Entry);
    assert.deepEqual(lines.map((l) => l.seq), Array.from({ length: lines.length }, (_, i) => i + 1));
    assert.equal(lines.length, (await entries(server)).length);
  });

  test('user passwords sent over the API never reach a summary', async () => {
    const user = await server.call('POST', '/api/v1/users', { name: 'auditee', password: 'Correct-Horse-Battery-9', role: 'member' });
    assert.equal(user.status, 200, JSON.stringify(user.body));
    const changed = await server.call('PATCH', '/api/v1/users/auditee', { password: 'Another-Secret-Phrase-7' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const response = await fetch(`${server.url}/api/v1/audit/export`);
    const text = await response.text();
    assert.ok(!text.includes('Correct-Horse-Battery-9'));
    assert.ok(!text.includes('Another-Secret-Phrase-7'));
    const userEntries = (await entries(server, '&resource_kind=user')).map((e) => e.resource_id);
    assert.deepEqual(userEntries, ['auditee', 'auditee']);
  });
});

if (DIALECTS.includes('sqlite')) {
  test('with authentication on, entries name the user and only admins may read the log', async () => {
    const server = await startTestServer('sqlite', { auth: true });
    try {
      await server.services.auth.users.create({ name: 'root', password: 'Admin-Password-123', role: 'admin' });
      await server.services.auth.users.create({ name: 'carol', password: 'Member-Password-123', role: 'member' });
      const basic = (name: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`, 'content-type': 'application/json' });
      const created = await fetch(`${server.url}/api/2.0/mlflow/experiments/create`, { method: 'POST', headers: basic('carol', 'Member-Password-123'), body: JSON.stringify({ name: 'carols' }) });
      assert.equal(created.status, 200);
      const denied = await fetch(`${server.url}/api/v1/audit`, { headers: basic('carol', 'Member-Password-123') });
      assert.equal(denied.status, 403);
      const list = (await (await fetch(`${server.url}/api/v1/audit`, { headers: basic('root', 'Admin-Password-123') })).json()) as { entries: Entry[] };
      const entry = list.entries.find((e) => e.verb === 'create experiment');
      assert.equal(entry?.actor, 'carol');
      assert.equal(entry?.auth_method, 'password');
    } finally {
      await server.close();
    }
  });

  test('downloads are audited only with --audit-reads', async () => {
    for (const auditReads of [false, true]) {
      const server = await startTestServer('sqlite', { flags: { auditReads } });
      try {
        const url = `${server.url}/api/2.0/mlflow-artifacts/artifacts/0/r1/artifacts/model.bin`;
        assert.equal((await fetch(url, { method: 'PUT', body: 'weights' })).status, 200);
        assert.equal(await (await fetch(url)).text(), 'weights');
        const expected = auditReads ? ['read artifact 0/r1/artifacts/model.bin', 'upload artifact 0/r1/artifacts/model.bin'] : ['upload artifact 0/r1/artifacts/model.bin'];
        // A download's entry is appended once its bytes are on their way, so it may trail the response.
        let verbs: string[] = [];
        for (let attempt = 0; attempt < 200 && verbs.length < expected.length; attempt++) {
          verbs = (await entries(server)).map((e) => `${e.verb} ${e.resource_id}`);
          if (verbs.length < expected.length) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        assert.deepEqual(verbs, expected);
      } finally {
        await server.close();
      }
    }
  });
}
