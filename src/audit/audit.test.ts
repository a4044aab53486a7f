import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDialect } from '../testing/dialects.js';
import { AuditLog, cliRecord, redactSecrets, resourceOf, summarizeChange, verbOf, type AuditRecord } from './index.js';

function record(i: number): AuditRecord {
  return {
    actor: `user${i % 3}`,
    authMethod: 'token',
    action: 'POST /api/2.0/mlflow/runs/create',
    verb: 'create run',
    resourceKind: 'run',
    resourceId: `run-${i}`,
    clientAddress: '127.0.0.1',
    requestId: `req-${i}`,
    summary: JSON.stringify({ body: { i } }),
  };
}

describeEachDialect('audit chain', ({ db }) => {
  test('parallel appends form one gap-free chain that verifies', async () => {
    const log = new AuditLog(db());
    const appended = await Promise.all(Array.from({ length: 30 }, (_, i) => log.append(record(i))));
    assert.deepEqual(appended.map((e) => e.seq).sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.deepEqual(await log.verify(), { verified: 30, problem: undefined });
  });

  test('verify names the entry whose summary was edited', async () => {
    const log = new AuditLog(db());
    const original = await db().kysely.selectFrom('audit_entries').select('summary').where('seq', '=', 7).executeTakeFirstOrThrow();
    await db().kysely.updateTable('audit_entries').set({ summary: '{"body":{"i":"forged"}}' }).where('seq', '=', 7).execute();
    const { problem } = await log.verify();
    assert.equal(problem?.kind, 'edited');
    assert.equal(problem?.seq, 7);
    await db().kysely.updateTable('audit_entries').set({ summary: original.summary }).where('seq', '=', 7).execute();
    assert.equal((await log.verify()).problem, undefined);
  });

  test('verify catches two entries swapped (reordered)', async () => {
    const log = new AuditLog(db());
    const rows = await db().kysely.selectFrom('audit_entries').select(['seq', 'resource_id']).where('seq', 'in', [10, 11]).orderBy('seq').execute();
    const [ten, eleven] = rows;
    assert.ok(ten && eleven);
    await db().kysely.updateTable('audit_entries').set({ resource_id: eleven.resource_id }).where('seq', '=', 10).execute();
    await db().kysely.updateTable('audit_entries').set({ resource_id: ten.resource_id }).where('seq', '=', 11).execute();
    const { problem } = await log.verify();
    assert.equal(problem?.seq, 10);
    await db().kysely.updateTable('audit_entries').set({ resource_id: ten.resource_id }).where('seq', '=', 10).execute();
    await db().kysely.updateTable('audit_entries').set({ resource_id: eleven.resource_id }).where('seq', '=', 11).execute();
  });

  test('verify names the gap a deleted middle entry leaves', async () => {
    const log = new AuditLog(db());
    await db().kysely.deleteFrom('audit_entries').where('seq', '=', 12).execute();
    const { problem, verified } = await log.verify();
    assert.equal(problem?.kind, 'gap');
    assert.equal(problem?.seq, 12);
    assert.equal(verified, 11);
    assert.match(problem?.message ?? '', /seq 12 are missing|seq 12 .*missing/);
  });

  test('deleting the newest entries is caught through the chain head', async () => {
    const fresh = db();
    await sql`delete from audit_entries`.execute(fresh.kysely);
    await sql`delete from audit_chain_head`.execute(fresh.kysely);
    const log = new AuditLog(fresh);
    for (let i = 0; i < 5; i++) await log.append(record(i));
    assert.deepEqual(await log.verify(), { verified: 5, problem: undefined });
    await fresh.kysely.deleteFrom('audit_entries').where('seq', '=', 5).execute();
    const { problem } = await log.verify();
    assert.equal(problem?.kind, 'gap');
    assert.equal(problem?.seq, 5);
    assert.match(problem?.message ?? '', /head records seq 5/);
  });

  test('list filters by actor, action, resource and time, newest first, page by page', async () => {
    await sql`delete from audit_entries`.execute(db().kysely);
    await sql`delete from audit_chain_head`.execute(db().kysely);
    let clock = 1_000;
    const log = new AuditLog(db(), () => (clock += 1_000));
    for (let i = 0; i < 9; i++) await log.append(record(i));
    await log.append({ ...record(9), action: 'DELETE /api/v1/monitors/:name', verb: 'delete monitor', resourceKind: 'monitor', resourceId: 'm1' });
    const byActor = await log.list({ actor: 'user1' });
    assert.deepEqual(byActor.entries.map((e) => e.resourceId), ['run-7', 'run-4', 'run-1']);
    assert.deepEqual((await log.list({ action: 'delete monitor' })).entries.map((e) => e.seq), [10]);
    assert.deepEqual((await log.list({ action: 'monitors' })).entries.map((e) => e.seq), [10]);
    assert.deepEqual((await log.list({ resourceKind: 'run', resourceId: 'run-3' })).entries.map((e) => e.seq), [4]);
    assert.deepEqual((await log.list({ since: 4_000, until: 6_000 })).entries.map((e) => e.seq), [4, 3]);
    const first = await log.list({}, 4);
    assert.deepEqual(first.entries.map((e) => e.seq), [10, 9, 8, 7]);
    const second = await log.list({}, 4, first.nextPageToken);
    assert.deepEqual(second.entries.map((e) => e.seq), [6, 5, 4, 3]);
    const third = await log.list({}, 4, second.nextPageToken);
    assert.deepEqual(third.entries.map((e) => e.seq), [2, 1]);
    assert.equal(third.nextPageToken, undefined);
    const exported: number[] = [];
    for await (const e of log.entries({ actor: 'user0' })) exported.push(e.seq);
    assert.deepEqual(exported, [1, 4, 7, 10]);
  });
});

test('secrets never reach a summary, whatever the nesting', () => {
  const summary = summarizeChange({
    body: { name: 'alice', password: 'hunter2-secret', role: 'admin', channels: [{ kind: 'webhook', url: 'https://x', secret: 's3cr3t-hook' }], nested: { api_key: 'AKIA123', token: 'cairn_abc' } },
    query: {},
    params: { token_id: 'tok-1' },
  });
  for (const leaked of ['hunter2-secret', 's3cr3t-hook', 'AKIA123', 'cairn_abc']) assert.ok(!summary.includes(leaked), `${leaked} leaked into ${summary}`);
  const parsed = JSON.parse(summary) as { body: { name: string; password: string }; params: { token_id: string }; query?: unknown };
  assert.equal(parsed.body.name, 'alice');
  assert.equal(parsed.body.password, '[redacted]');
  assert.equal(parsed.params.token_id, 'tok-1');
  assert.equal(parsed.query, undefined);
  assert.deepEqual(redactSecrets({ new_password: 'x', current_password: 'y', authorization: 'Basic z' }), { new_password: '[redacted]', current_password: '[redacted]', authorization: '[redacted]' });
});

test('a long change is cut to a few KB and says so', () => {
  const summary = summarizeChange({ body: { metrics: Array.from({ length: 2000 }, (_, i) => ({ key: `m${i}`, value: i })) } });
  assert.ok(summary.length < 4200);
  assert.match(summary, /truncated \d+ characters/);
});

test('the resource comes from the inputs, or from the result for creations', () => {
  const none = { params: {}, query: {} };
  assert.deepEqual(resourceOf('/api/2.0/mlflow/runs/log-batch', { ...none, body: { run_id: 'r1', metrics: [] } }, {}), { kind: 'run', id: 'r1' });
  assert.deepEqual(resourceOf('/api/2.0/mlflow/runs/create', { ...none, body: { experiment_id: '4' } }, { run: { info: { run_id: 'r2', experiment_id: '4' } } }), { kind: 'run', id: 'r2' });
  assert.deepEqual(resourceOf('/api/2.0/mlflow/model-versions/create', { ...none, body: { name: 'm', source: 'x' } }, { model_version: { name: 'm', version: '3' } }), { kind: 'model_version', id: 'm/3' });
  assert.deepEqual(resourceOf('/api/v1/deployments/:name', { params: { name: 'd1' }, query: {}, body: {} }, {}), { kind: 'deployment', id: 'd1' });
  assert.deepEqual(resourceOf('/api/v1/tokens', { ...none, body: { name: 'ci' } }, { token: 'cairn_secret', token_id: 't9' }), { kind: 'token', id: 't9' });
  assert.equal(verbOf('POST', '/api/2.0/mlflow/runs/create'), 'create run');
  assert.equal(verbOf('POST', '/api/v1/deployments'), 'create deployment');
  assert.equal(verbOf('POST', '/api/v1/deployments/:name/rollback'), 'rollback deployment');
  assert.equal(verbOf('DELETE', '/api/v1/monitors/:name'), 'delete monitor');
});

test('CLI entries name the OS user and carry no secrets', () => {
  const entry = cliRecord('users create', 'user', 'alice', { name: 'alice', role: 'admin', password: 'pw-123456' });
  assert.match(entry.actor, /^cli:/);
  assert.equal(entry.authMethod, 'cli');
  assert.ok(!entry.summary.includes('pw-123456'));
});
