/** The cairn remote: push to and pull from a real cairn server with authentication on, then register what was pushed. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { openData } from '../index.js';
import { git, gitRepo, tempDir } from '../test-support.js';
import { cairnOptions } from './cairn.js';

const PASSWORD = 'a long enough passphrase 42';

test('cairn remote URLs: http for cairn://, https for cairns://, the token from config before the environment', () => {
  assert.deepEqual(cairnOptions('cairn://127.0.0.1:5000', new Map(), {}), { baseUrl: 'http://127.0.0.1:5000', token: undefined });
  assert.deepEqual(cairnOptions('cairns://ml.example.com/cairn/', new Map([['token', 'from-config']]), { CAIRN_TOKEN: 'from-env' }), { baseUrl: 'https://ml.example.com/cairn', token: 'from-config' });
  assert.equal(cairnOptions('cairn://h', new Map(), { MLFLOW_TRACKING_TOKEN: 'mlflow' }).token, 'mlflow');
  assert.equal(cairnOptions('cairn://h', new Map(), { CAIRN_TOKEN: 'cairn', MLFLOW_TRACKING_TOKEN: 'mlflow' }).token, 'cairn');
  assert.throws(() => cairnOptions('cairn:///nohost', new Map(), {}), /not a cairn remote URL/);
});

describe('push and pull through a cairn server', () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer('sqlite', { auth: true });
    await server.services.auth.users.create({ name: 'mia', password: PASSWORD, role: 'member' });
    token = (await server.services.auth.tokens.create({ userName: 'mia', name: 'dvc', lifetimeMs: null })).token;
  });
  after(async () => {
    await server?.close();
  });

  test('objects land in the server, a wrong token is refused, a clone pulls them back, and the folder registers as a dataset version', async () => {
    const repo = gitRepo('cairn-remote');
    const clone = tempDir('cairn-remote-clone');
    const url = server.url.replace(/^http:/, 'cairn:');
    try {
      mkdirSync(join(repo.path, 'data'), { recursive: true });
      writeFileSync(join(repo.path, 'data/train.csv'), 'x,y\n1,a\n2,b\n3,a\n');
      writeFileSync(join(repo.path, 'data/notes.txt'), 'notes\n');
      // `cairn data remote modify` knows S3's options only, so the token goes straight into config.local, as DVC users write it.
      const setToken = (value: string) => writeFileSync(join(repo.path, '.dvc/config.local'), `['remote "team"']\n    token = ${value}\n`);
      let dirOid = '';
      const setup = openData({ cwd: repo.path, create: true });
      try {
        const [added] = await setup.add(['data']);
        dirOid = added?.md5 ?? '';
        setup.remotes.add('team', url, { makeDefault: true });
      } finally {
        await setup.close();
      }
      setToken('cairn_wrong');
      const refusing = openData({ cwd: repo.path });
      try {
        const refused = await refusing.push([]);
        assert.equal(refused.transferred, 0);
        assert.match(refused.failed[0]?.reason ?? '', /HTTP 401/);
      } catch (error) {
        assert.match(String(error), /HTTP 401/);
      } finally {
        await refusing.close();
      }
      setToken(token);
      const d = openData({ cwd: repo.path });
      try {
        const pushed = await d.push([]);
        assert.deepEqual(pushed.failed, []);
        assert.equal(pushed.transferred, 3);
        assert.equal((await d.push([])).skipped, 3);
        assert.deepEqual((await d.status([], { remote: 'team' })).map((s) => s.missingOnRemote), [0]);
      } finally {
        await d.close();
      }
      assert.equal((await server.services.datasets.objects.list()).length, 3);

      git(repo.path, 'add', '-A');
      git(repo.path, 'commit', '-qm', 'data');
      git(clone.path, 'clone', '-q', repo.path, 'c');
      const c = join(clone.path, 'c');
      writeFileSync(join(c, '.dvc/config.local'), readFileSync(join(repo.path, '.dvc/config.local')));
      const p = openData({ cwd: c });
      try {
        const pulled = await p.pull([]);
        assert.deepEqual(pulled.fetch.failed, []);
        assert.equal(readFileSync(join(c, 'data/train.csv'), 'utf8'), 'x,y\n1,a\n2,b\n3,a\n');
      } finally {
        await p.close();
      }

      const head = git(repo.path, 'rev-parse', 'HEAD').trim();
      const r = openData({ cwd: repo.path });
      try {
        const version = await r.register('data', { dataset: 'team-data', description: 'training data' });
        assert.equal(version.version, 1);
        assert.equal(version.digest, dirOid);
        // The signed-in token's user is the creator, whatever the client says.
        assert.equal(version['created_by'], 'mia');
        assert.equal(version['git_commit'], head);
        assert.equal(version['source'], `${url}/files/md5/${dirOid.slice(0, 2)}/${dirOid.slice(2)}`);
      } finally {
        await r.close();
      }
      const registered = await server.services.datasets.registry.version('team-data', '1');
      assert.equal(registered.fileCount, 2);
      assert.equal(registered.sizeBytes, readFileSync(join(repo.path, 'data/train.csv')).length + 'notes\n'.length);
      assert.equal(registered.files.find((f) => f.path === 'train.csv')?.profile?.rows, 3);
      assert.equal((await server.services.datasets.registry.get('team-data')).dataset.description, 'training data');

      // Data on a folder remote registers by digest, size and file count, with the remote as its source.
      const folderRemote = tempDir('cairn-remote-folder');
      const f = openData({ cwd: repo.path });
      try {
        f.remotes.add('shelf', folderRemote.path);
        assert.deepEqual((await f.push([], 'shelf')).failed, []);
        await assert.rejects(f.register('data.dvc', { dataset: 'shelf-data', server: server.url, remote: 'shelf' }), /HTTP 401/);
        const elsewhere = await f.register('data.dvc', { dataset: 'shelf-data', server: server.url, remote: 'shelf', token });
        assert.equal(elsewhere['digest'], dirOid);
        assert.equal(elsewhere['file_count'], 2);
        assert.equal(elsewhere['source_type'], 'local');
        assert.equal(elsewhere['source'], `${folderRemote.path}/files/md5/${dirOid.slice(0, 2)}/${dirOid.slice(2)}`);
        assert.equal((await server.services.datasets.registry.version('shelf-data', dirOid)).files.length, 0);
      } finally {
        await f.close();
        folderRemote.remove();
      }
    } finally {
      repo.remove();
      clone.remove();
    }
  });
});
