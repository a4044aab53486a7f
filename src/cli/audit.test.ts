import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDialect } from '../testing/dialects.js';
import { freshStoreUri } from '../testing/dialects.js';
import { openDatabase, type Db } from '../store/db.js';
import { runCairn } from '../testing/process.js';

const cairn = (args: string[], input?: string) => runCairn(args, input === undefined ? {} : { input });

describeEachDialect('cairn audit', ({ dialect }) => {
  let uri: string;
  let db: Db;
  let cleanup: () => Promise<void>;
  before(async () => {
    const fresh = await freshStoreUri(dialect);
    uri = fresh.uri;
    db = await openDatabase(uri);
    cleanup = async () => {
      await db.close();
      await fresh.cleanup();
    };
  });
  after(() => cleanup());

  test('cairn users and cairn tokens leave cli entries, without the password', async () => {
    assert.equal((await cairn(['users', 'create', 'ada', '--admin', '--password-stdin', '--backend-store-uri', uri], 'Lovelace-Analytical-1')).code, 0);
    assert.equal((await cairn(['users', 'create', 'bob', '--password-stdin', '--backend-store-uri', uri], 'Babbage-Difference-2')).code, 0);
    assert.equal((await cairn(['users', 'set-role', 'bob', 'viewer', '--backend-store-uri', uri])).code, 0);
    const token = await cairn(['tokens', 'create', '--user', 'bob', '--name', 'ci', '--backend-store-uri', uri]);
    assert.equal(token.code, 0, token.stderr);
    // A refused change leaves no entry.
    assert.notEqual((await cairn(['users', 'set-role', 'nobody', 'viewer', '--backend-store-uri', uri])).code, 0);
    const exported = await cairn(['audit', 'export', '--backend-store-uri', uri]);
    assert.equal(exported.code, 0, exported.stderr);
    const entries = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; actor: string; verb: string; resourceId: string });
    assert.deepEqual(entries.map((e) => `${e.verb} ${e.resourceId}`).slice(0, 3), ['create user ada', 'create user bob', 'set-role user bob']);
    assert.equal(entries.length, 4);
    assert.ok(entries.every((e) => e.actor.startsWith('cli:')));
    for (const secret of ['Lovelace-Analytical-1', 'Babbage-Difference-2', token.stdout.trim()]) assert.ok(!exported.stdout.includes(secret));
    const listed = await cairn(['audit', 'list', '--resource-kind', 'user', '--resource-id', 'bob', '--backend-store-uri', uri]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stdout.trim().split('\n').length, 3);
    assert.match(listed.stdout, /set-role user/);
  });

  test('verify passes a clean log, then names an edited entry, a deleted one, and a deleted newest one', async () => {
    const clean = await cairn(['audit', 'verify', '--backend-store-uri', uri]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(clean.stdout.trim(), '4 entries verified');

    await sql`update audit_entries set summary = '{"role":"admin"}' where seq = 3`.execute(db.kysely);
    const edited = await cairn(['audit', 'verify', '--backend-store-uri', uri]);
    assert.equal(edited.code, 1);
    assert.match(edited.stderr, /entry seq 3 was edited/);

    await sql`delete from audit_entries where seq = 3`.execute(db.kysely);
    const gap = await cairn(['audit', 'verify', '--backend-store-uri', uri]);
    assert.equal(gap.code, 1);
    assert.match(gap.stderr, /seq 3 are missing/);

    await sql`delete from audit_entries where seq >= 3`.execute(db.kysely);
    const newest = await cairn(['audit', 'verify', '--backend-store-uri', uri]);
    assert.equal(newest.code, 1);
    assert.match(newest.stderr, /seq 3 to 4 are missing .*head records seq 4/);
  });
});
