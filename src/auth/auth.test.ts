import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CairnError } from '../core/errors.js';
import { describeEachDialect } from '../testing/dialects.js';
import { createAuth, INVALID_CREDENTIALS, RetryLaterError, type Auth } from './index.js';
import { hashSecret } from './secrets.js';

const PASSWORD = 'correct horse battery';

/** The error an async call throws. */
async function failure(promise: Promise<unknown>): Promise<CairnError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CairnError, String(error));
    return error;
  }
  assert.fail('expected the call to fail');
}

describeEachDialect('auth', ({ db }) => {
  const clock = { now: 1_800_000_000_000 };
  let auth: Auth;
  const fresh = (): Auth => createAuth(db(), { now: () => clock.now });

  test('users: created with a hashed password and a role; duplicates and weak passwords refused', async () => {
    auth = fresh();
    const admin = await auth.users.create({ name: 'Root', password: PASSWORD, role: 'admin' });
    assert.equal(admin.name, 'root');
    assert.equal(admin.role, 'admin');
    assert.equal((await failure(auth.users.create({ name: 'ROOT', password: PASSWORD, role: 'member' }))).code, 'RESOURCE_ALREADY_EXISTS');
    assert.match((await failure(auth.users.create({ name: 'weak', password: 'short', role: 'member' }))).message, /too short/);
    assert.match((await failure(auth.users.create({ name: 'odd', password: PASSWORD, role: 'owner' }))).message, /Role 'owner' is not valid/);
    await auth.users.create({ name: 'vera', password: PASSWORD, role: 'viewer' });
    assert.deepEqual((await auth.users.list()).map((u) => [u.name, u.role]), [['root', 'admin'], ['vera', 'viewer']]);
    const stored = await db().kysely.selectFrom('users').select('password_hash').where('name', '=', 'vera').executeTakeFirstOrThrow();
    assert.equal(stored.password_hash.includes(PASSWORD), false);
  });

  test('the last enabled admin can be neither demoted nor disabled', async () => {
    assert.equal((await failure(auth.users.setRole('root', 'member'))).code, 'INVALID_STATE');
    assert.equal((await failure(auth.users.setDisabled('root', true))).code, 'INVALID_STATE');
    await auth.users.create({ name: 'second', password: PASSWORD, role: 'admin' });
    assert.equal((await auth.users.setDisabled('second', true)).disabled, true);
    assert.equal((await failure(auth.users.setRole('root', 'viewer'))).code, 'INVALID_STATE');
  });

  test('passwords: right one signs in; unknown name and wrong password fail with one message', async () => {
    const principal = await auth.authenticator.withPassword('ROOT', PASSWORD);
    assert.deepEqual([principal.kind, principal.kind === 'user' && principal.role], ['user', 'admin']);
    const wrong = await failure(auth.authenticator.withPassword('root', 'not the password'));
    const unknown = await failure(auth.authenticator.withPassword('nobody', 'not the password'));
    assert.deepEqual([wrong.code, wrong.message, wrong.httpStatus], ['UNAUTHENTICATED', INVALID_CREDENTIALS, 401]);
    assert.deepEqual([unknown.code, unknown.message, unknown.httpStatus], [wrong.code, wrong.message, wrong.httpStatus]);
    // A disabled user learns it only with the right password.
    assert.equal((await failure(auth.authenticator.withPassword('second', 'not the password'))).message, INVALID_CREDENTIALS);
    assert.match((await failure(auth.authenticator.withPassword('second', PASSWORD))).message, /is disabled/);
  });

  test('lock-out: the fifth failure locks the name for 15 minutes, the same way for unknown names', async () => {
    auth = fresh();
    for (const name of ['vera', 'ghost']) {
      for (let i = 0; i < 4; i++) assert.equal((await failure(auth.authenticator.withPassword(name, 'wrong password'))).message, INVALID_CREDENTIALS);
      const locked = await failure(auth.authenticator.withPassword(name, 'wrong password'));
      assert.ok(locked instanceof RetryLaterError);
      assert.equal(locked.retryAfterSeconds, 900);
      assert.match(locked.message, new RegExp(`^Too many failed sign-in attempts for user name '${name}': sign-in is locked until .*Z \\(try again in 15 minutes`));
      // While locked even the right password is refused, so guessing cannot go on.
      const still = await failure(auth.authenticator.withPassword(name, PASSWORD));
      assert.equal(still.message.replace(name, 'X'), locked.message.replace(name, 'X'));
    }
    clock.now += 15 * 60_000;
    assert.equal((await auth.authenticator.withPassword('vera', PASSWORD)).kind, 'user');
    assert.equal((await failure(auth.authenticator.withPassword('ghost', 'wrong password'))).message, INVALID_CREDENTIALS);
  });

  test('lock-out: failures spread beyond the window do not add up, success resets, an admin can unlock', async () => {
    for (let i = 0; i < 4; i++) await failure(auth.authenticator.withPassword('vera', 'wrong password'));
    clock.now += 16 * 60_000;
    for (let i = 0; i < 4; i++) assert.equal((await failure(auth.authenticator.withPassword('vera', 'wrong password'))).message, INVALID_CREDENTIALS);
    await auth.authenticator.withPassword('vera', PASSWORD);
    for (let i = 0; i < 4; i++) assert.equal((await failure(auth.authenticator.withPassword('vera', 'wrong password'))).message, INVALID_CREDENTIALS);
    await failure(auth.authenticator.withPassword('vera', 'wrong password'));
    await auth.users.unlock('VERA');
    assert.equal((await auth.authenticator.withPassword('vera', PASSWORD)).kind, 'user');
  });

  test('tokens: shown once, stored as sha256, expire, and stop working when revoked', async () => {
    const { token, view } = await auth.tokens.create({ userName: 'vera', name: 'laptop', lifetimeMs: 3_600_000 });
    assert.match(token, /^cairn_/);
    const row = await db().kysely.selectFrom('api_tokens').selectAll().where('token_id', '=', view.tokenId).executeTakeFirstOrThrow();
    assert.equal(row.token_hash, hashSecret(token));
    assert.equal(JSON.stringify(row).includes(token), false);
    const principal = await auth.authenticator.withBearer(token);
    assert.deepEqual(principal.kind === 'user' && [principal.name, principal.role, principal.via, principal.tokenId], ['vera', 'viewer', 'token', view.tokenId]);
    assert.equal((await auth.tokens.list('vera'))[0]?.lastUsedAt, clock.now);

    clock.now += 3_600_000;
    const expired = await failure(auth.authenticator.withBearer(token));
    assert.equal(expired.code, 'UNAUTHENTICATED');
    assert.match(expired.message, /API token 'laptop' \(.+\) expired at .*Z; create a new one/);

    const second = await auth.tokens.create({ userName: 'vera', name: 'ci', lifetimeMs: null });
    await auth.tokens.revoke(second.view.tokenId);
    assert.match((await failure(auth.authenticator.withBearer(second.token))).message, /API token 'ci' \(.+\) was revoked at /);
    assert.equal((await failure(auth.authenticator.withBearer('cairn_made_up'))).message, 'Invalid API token');
    assert.equal((await failure(auth.tokens.revoke('nope'))).code, 'RESOURCE_DOES_NOT_EXIST');
    assert.deepEqual((await auth.tokens.list('vera')).map((t) => t.name).sort(), ['ci', 'laptop']);
  });

  test("a disabled user's tokens and sessions stop working", async () => {
    await auth.users.create({ name: 'temp', password: PASSWORD, role: 'member' });
    const { token } = await auth.tokens.create({ userName: 'temp', name: 't', lifetimeMs: null });
    const signIn = await auth.sessions.signIn('temp', PASSWORD);
    assert.equal((await auth.authenticator.withSession(signIn.sessionToken)).kind, 'user');
    await auth.users.setDisabled('temp', true);
    assert.match((await failure(auth.authenticator.withBearer(token))).message, /belongs to user 'temp', which is disabled/);
    assert.match((await failure(auth.authenticator.withSession(signIn.sessionToken))).message, /session has ended/);
  });

  test('sessions expire after their lifetime, and a new password ends them', async () => {
    const signIn = await auth.sessions.signIn('vera', PASSWORD);
    assert.match(signIn.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    clock.now += 13 * 3_600_000;
    assert.match((await failure(auth.authenticator.withSession(signIn.sessionToken))).message, /session expired at/);
    const again = await auth.sessions.signIn('vera', PASSWORD);
    await auth.users.setPassword('vera', 'another good password');
    assert.match((await failure(auth.authenticator.withSession(again.sessionToken))).message, /session has ended/);
    assert.equal((await failure(auth.authenticator.withPassword('vera', PASSWORD))).message, INVALID_CREDENTIALS);
  });
});

describeEachDialect('bootstrap token', ({ db }) => {
  test('printed only while no user exists, replaced at each start, and good for exactly one admin', async () => {
    const clock = { now: 1_800_000_000_000 };
    const auth = createAuth(db(), { now: () => clock.now });
    const older = await auth.bootstrap.issue();
    const issued = await auth.bootstrap.issue();
    assert.ok(older && issued);
    assert.match(issued.token, /^cairn_bootstrap_/);
    assert.equal((await failure(auth.authenticator.withBearer(older.token))).message, 'Invalid API token');
    const principal = await auth.authenticator.withBearer(issued.token);
    assert.equal(principal.kind, 'bootstrap');
    if (principal.kind !== 'bootstrap') return;
    assert.match((await failure(auth.bootstrap.createFirstAdmin(principal.tokenHash, { name: 'first', password: PASSWORD, role: 'member' }))).message, /role must be 'admin'/);
    assert.match((await failure(auth.bootstrap.createFirstAdmin(principal.tokenHash, { name: 'first', password: 'short', role: 'admin' }))).message, /too short/);
    const [a, b] = await Promise.allSettled([
      auth.bootstrap.createFirstAdmin(principal.tokenHash, { name: 'first', password: PASSWORD, role: 'admin' }),
      auth.bootstrap.createFirstAdmin(principal.tokenHash, { name: 'other', password: PASSWORD, role: 'admin' }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), ['fulfilled', 'rejected']);
    assert.equal((await auth.users.list()).length, 1);
    assert.equal(await auth.bootstrap.issue(), undefined);
    assert.equal((await failure(auth.authenticator.withBearer(issued.token))).message, 'Invalid API token');
  });
});
