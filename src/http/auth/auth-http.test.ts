import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../../testing/dialects.js';
import { startTestServer, type TestServer } from '../../testing/server.js';

const PASSWORD = 'correct horse battery';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** Send a request with the given headers (JSON body when one is given). */
async function send(server: TestServer, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const url = path.startsWith('/') ? `${server.url}${path}` : `${server.url}/api/2.0/mlflow/${path}`;
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    // plain text stays a string
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

const basic = (name: string, password: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` });
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

function assertError(answer: Answer, status: number, code: string, text?: RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.error_code, code);
  if (text) assert.match(answer.body.message, text);
}

for (const dialect of DIALECTS) {
  describe(`authentication over HTTP [${dialect}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, { auth: true });
      const { users } = server.services.auth;
      await users.create({ name: 'root', password: PASSWORD, role: 'admin' });
      await users.create({ name: 'mia', password: PASSWORD, role: 'member' });
      await users.create({ name: 'vera', password: PASSWORD, role: 'viewer' });
    });
    after(() => server.close());

    test('without credentials: 401 on API routes, public routes still answer', async () => {
      const answer = await send(server, 'GET', 'experiments/search?max_results=1');
      assertError(answer, 401, 'UNAUTHENTICATED', /Authentication required/);
      assert.equal(answer.headers.get('www-authenticate'), 'Bearer realm="cairn"');
      assertError(await send(server, 'POST', 'experiments/create', {}, { name: 'x' }), 401, 'UNAUTHENTICATED');
      assertError(await send(server, 'GET', '/api/v1/users'), 401, 'UNAUTHENTICATED');
      // Raw artifact routes are refused before their body is read.
      const upload = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/0/x/notes.txt`, { method: 'PUT', body: 'bytes' });
      assert.equal(upload.status, 401);
      assert.equal(((await upload.json()) as { error_code: string }).error_code, 'UNAUTHENTICATED');
      assert.equal((await send(server, 'GET', '/health')).status, 200);
      assert.equal((await send(server, 'GET', '/api/openapi.json')).status, 200);
      // Credentials on a public route are not even looked at: a wrong password there counts nothing.
      assert.equal((await send(server, 'GET', '/version', basic('mia', 'wrong password'))).status, 200);
    });

    test('HTTP Basic and Bearer tokens both work, as the MLflow client sends them', async () => {
      const created = await send(server, 'POST', 'experiments/create', basic('mia', PASSWORD), { name: `basic-${dialect}` });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const token = await send(server, 'POST', '/api/v1/tokens', basic('mia', PASSWORD), { name: 'laptop', expires_in: '30d' });
      assert.equal(token.status, 200, JSON.stringify(token.body));
      assert.match(token.body.token, /^cairn_/);
      assert.equal(token.body.token_info.user, 'mia');
      const got = await send(server, 'GET', `experiments/get?experiment_id=${created.body.experiment_id}`, bearer(token.body.token));
      assert.equal(got.status, 200);
      assert.equal(got.body.experiment.name, `basic-${dialect}`);
      const me = await send(server, 'GET', '/api/v1/auth/me', bearer(token.body.token));
      assert.deepEqual([me.body.user.name, me.body.user.role, me.body.via], ['mia', 'member', 'token']);
      // Lists never show a secret.
      const listed = await send(server, 'GET', '/api/v1/tokens', bearer(token.body.token));
      assert.equal(JSON.stringify(listed.body).includes(token.body.token), false);
      assert.deepEqual(listed.body.tokens.map((t: { name: string }) => t.name), ['laptop']);
    });

    test('a viewer may read but gets 403 naming the permission on a write route; members cannot manage users', async () => {
      assert.equal((await send(server, 'GET', 'experiments/search?max_results=5', basic('vera', PASSWORD))).status, 200);
      assertError(
        await send(server, 'POST', 'experiments/create', basic('vera', PASSWORD), { name: 'nope' }),
        403,
        'PERMISSION_DENIED',
        /needs the 'write' permission; user 'vera' has role 'viewer'/,
      );
      assertError(await send(server, 'GET', '/api/v1/users', basic('mia', PASSWORD)), 403, 'PERMISSION_DENIED', /needs the 'admin' permission/);
      assertError(await send(server, 'POST', '/api/v1/tokens', basic('mia', PASSWORD), { name: 'x', user: 'root' }), 403, 'PERMISSION_DENIED', /another user needs the 'admin' permission/);
    });

    test('admins manage users over the API; weak passwords are refused with the rule', async () => {
      const root = basic('root', PASSWORD);
      assertError(await send(server, 'POST', '/api/v1/users', root, { name: 'weak', password: '1234' }), 400, 'INVALID_PARAMETER_VALUE', /too short/);
      const created = await send(server, 'POST', '/api/v1/users', root, { name: 'Newbie', password: PASSWORD, role: 'viewer' });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.deepEqual([created.body.user.name, created.body.user.role], ['newbie', 'viewer']);
      const patched = await send(server, 'PATCH', '/api/v1/users/newbie', root, { role: 'member' });
      assert.equal(patched.body.user.role, 'member');
      assert.ok((await send(server, 'GET', '/api/v1/users', root)).body.users.some((u: { name: string }) => u.name === 'newbie'));
      assertError(await send(server, 'POST', '/api/v1/users', root, { name: 'mia', password: PASSWORD }), 400, 'RESOURCE_ALREADY_EXISTS');
      assertError(await send(server, 'GET', '/api/v1/users/nobody', root), 404, 'RESOURCE_DOES_NOT_EXIST');
    });

    test('expired and revoked tokens get 401 with the reason', async () => {
      const short = await server.services.auth.tokens.create({ userName: 'mia', name: 'brief', lifetimeMs: 1 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      assertError(await send(server, 'GET', 'experiments/search', bearer(short.token)), 401, 'UNAUTHENTICATED', /API token 'brief' \(.+\) expired at .*Z/);
      const made = await send(server, 'POST', '/api/v1/tokens', basic('mia', PASSWORD), { name: 'to-revoke' });
      assert.equal((await send(server, 'GET', 'experiments/search', bearer(made.body.token))).status, 200);
      // Someone else's token id answers as missing.
      assertError(await send(server, 'DELETE', `/api/v1/tokens/${made.body.token_info.token_id}`, basic('vera', PASSWORD)), 404, 'RESOURCE_DOES_NOT_EXIST');
      assert.equal((await send(server, 'DELETE', `/api/v1/tokens/${made.body.token_info.token_id}`, basic('mia', PASSWORD))).status, 200);
      assertError(await send(server, 'GET', 'experiments/search', bearer(made.body.token)), 401, 'UNAUTHENTICATED', /API token 'to-revoke' \(.+\) was revoked at /);
      assertError(await send(server, 'GET', 'experiments/search', bearer('cairn_not_a_token')), 401, 'UNAUTHENTICATED', /Invalid API token/);
      assertError(await send(server, 'GET', 'experiments/search', { authorization: 'Digest abc' }), 401, 'UNAUTHENTICATED', /scheme 'digest' is not supported/);
      assertError(await send(server, 'GET', 'experiments/search', { authorization: 'Basic !!!' }), 401, 'UNAUTHENTICATED', /Malformed/);
    });

    test('an unknown user and a wrong password get identical answers, and both lock out the same way', async () => {
      await server.services.auth.users.create({ name: 'locky', password: PASSWORD, role: 'member' });
      const strip = (a: Answer, name: string): unknown[] => [a.status, a.body.error_code, a.body.message.replace(name, 'NAME').replace(/until \S+Z/, 'until T'), a.headers.get('retry-after')];
      for (let i = 1; i <= 5; i++) {
        const wrong = await send(server, 'GET', 'experiments/search', basic('locky', `wrong password ${i}`));
        const unknown = await send(server, 'GET', 'experiments/search', basic('ghosty', `wrong password ${i}`));
        assert.deepEqual(strip(wrong, 'locky'), strip(unknown, 'ghosty'));
        if (i < 5) assert.deepEqual(strip(wrong, 'locky'), [401, 'UNAUTHENTICATED', 'Invalid user name or password', null]);
        else assert.deepEqual(strip(wrong, 'locky').slice(0, 2), [401, 'UNAUTHENTICATED']);
      }
      const locked = await send(server, 'GET', 'experiments/search', basic('locky', PASSWORD));
      assertError(locked, 401, 'UNAUTHENTICATED', /Too many failed sign-in attempts for user name 'locky': sign-in is locked until .*Z \(try again in 15 minutes/);
      assert.equal(locked.headers.get('retry-after'), '900');
      const login = await send(server, 'POST', '/api/v1/auth/login', {}, { username: 'locky', password: PASSWORD });
      assertError(login, 401, 'UNAUTHENTICATED', /locked until/);
      assert.equal((await send(server, 'POST', '/api/v1/users/locky/unlock', basic('root', PASSWORD))).status, 200);
      assert.equal((await send(server, 'GET', 'experiments/search', basic('locky', PASSWORD))).status, 200);
    });

    test('session cookie: HttpOnly and SameSite=Strict, CSRF token required on writes, gone after logout', async () => {
      const login = await send(server, 'POST', '/api/v1/auth/login', {}, { username: 'mia', password: PASSWORD });
      assert.equal(login.status, 200, JSON.stringify(login.body));
      const setCookie = login.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /^cairn_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
      const cookie = { cookie: setCookie.split(';')[0] ?? '' };
      const csrf = login.body.csrf_token as string;
      assert.equal((await send(server, 'GET', 'experiments/search', cookie)).status, 200);
      assert.equal((await send(server, 'GET', '/api/v1/auth/me', cookie)).body.csrf_token, csrf);
      assertError(await send(server, 'POST', 'experiments/create', cookie, { name: `cookie-${dialect}` }), 403, 'PERMISSION_DENIED', /x-csrf-token/);
      assertError(await send(server, 'POST', 'experiments/create', { ...cookie, 'x-csrf-token': 'forged' }, { name: `cookie-${dialect}` }), 403, 'PERMISSION_DENIED');
      assert.equal((await send(server, 'POST', 'experiments/create', { ...cookie, 'x-csrf-token': csrf }, { name: `cookie-${dialect}` })).status, 200);
      const logout = await send(server, 'POST', '/api/v1/auth/logout', { ...cookie, 'x-csrf-token': csrf });
      assert.equal(logout.status, 200);
      assert.match(logout.headers.get('set-cookie') ?? '', /Max-Age=0/);
      assertError(await send(server, 'GET', 'experiments/search', cookie), 401, 'UNAUTHENTICATED', /session has ended/);
      assertError(await send(server, 'POST', '/api/v1/auth/login', {}, { username: 'mia', password: 'wrong password' }), 401, 'UNAUTHENTICATED', /^Invalid user name or password$/);
    });

    test('users change their own password with the current one', async () => {
      await server.services.auth.users.create({ name: 'pat', password: PASSWORD, role: 'viewer' });
      assertError(await send(server, 'POST', '/api/v1/auth/password', basic('pat', PASSWORD), { current_password: 'wrong password', new_password: 'a brand new secret' }), 401, 'UNAUTHENTICATED');
      assert.equal((await send(server, 'POST', '/api/v1/auth/password', basic('pat', PASSWORD), { current_password: PASSWORD, new_password: 'a brand new secret' })).status, 200);
      assertError(await send(server, 'GET', 'experiments/search', basic('pat', PASSWORD)), 401, 'UNAUTHENTICATED');
      assert.equal((await send(server, 'GET', 'experiments/search', basic('pat', 'a brand new secret'))).status, 200);
    });
  });
}

describe('first admin through the bootstrap token', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { auth: true });
  });
  after(() => server.close());

  test('the token may only create the first admin, once', async () => {
    const issued = await server.services.auth.bootstrap.issue();
    assert.ok(issued);
    const token = bearer(issued.token);
    assertError(await send(server, 'GET', 'experiments/search', token), 403, 'PERMISSION_DENIED', /only create the first admin/);
    assertError(await send(server, 'GET', '/api/v1/users', token), 403, 'PERMISSION_DENIED', /only create the first admin/);
    const created = await send(server, 'POST', '/api/v1/users', token, { name: 'first', password: PASSWORD, role: 'admin' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assertError(await send(server, 'POST', '/api/v1/users', token, { name: 'second', password: PASSWORD, role: 'admin' }), 401, 'UNAUTHENTICATED');
    assert.equal((await send(server, 'GET', '/api/v1/users', basic('first', PASSWORD))).body.users.length, 1);
  });
});

describe('rate limit per caller', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { auth: true, flags: { rateLimit: 3 } });
    await server.services.auth.users.create({ name: 'busy', password: PASSWORD, role: 'viewer' });
    await server.services.auth.users.create({ name: 'calm', password: PASSWORD, role: 'viewer' });
  });
  after(() => server.close());

  test('past the limit: 429 REQUEST_LIMIT_EXCEEDED with Retry-After; other callers unaffected', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await send(server, 'GET', 'experiments/search', basic('busy', PASSWORD))).status, 200);
    const limited = await send(server, 'GET', 'experiments/search', basic('busy', PASSWORD));
    assertError(limited, 429, 'REQUEST_LIMIT_EXCEEDED', /at most 3 requests a minute/);
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await send(server, 'GET', 'experiments/search', basic('calm', PASSWORD))).status, 200);
  });
});
