/** status, diff, gc, ls and the CLI's summaries, on real temporary git repositories. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listCachedObjects } from './cache.js';
import { openData } from './index.js';
import { cairn, git, gitRepo } from './test-support.js';

async function withData<T>(cwd: string, fn: (d: ReturnType<typeof openData>) => Promise<T>): Promise<T> {
  const d = openData({ cwd, create: true });
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

test('status reports modified and deleted outputs, and unchanged ones after checkout', async () => {
  const repo = gitRepo('status');
  try {
    mkdirSync(join(repo.path, 'data'));
    writeFileSync(join(repo.path, 'data/a.txt'), 'a\n');
    writeFileSync(join(repo.path, 'model.bin'), 'weights');
    await withData(repo.path, async (d) => {
      await d.add(['data', 'model.bin']);
      assert.deepEqual((await d.status([])).map((s) => [s.path, s.state]), [['data', 'unchanged'], ['model.bin', 'unchanged']]);
      writeFileSync(join(repo.path, 'data/b.txt'), 'new file\n');
      rmSync(join(repo.path, 'model.bin'));
      assert.deepEqual((await d.status([])).map((s) => [s.path, s.state]), [['data', 'modified'], ['model.bin', 'deleted']]);
      const restored = await d.checkout(['model.bin']);
      assert.equal(restored.restored, 1);
      assert.deepEqual((await d.status(['model.bin'])).map((s) => s.state), ['unchanged']);
    });
  } finally {
    repo.remove();
  }
});

test('diff lists added, deleted, modified and renamed files between commits and against the work tree', async () => {
  const repo = gitRepo('diff');
  try {
    mkdirSync(join(repo.path, 'data'));
    writeFileSync(join(repo.path, 'data/keep.txt'), 'keep\n');
    writeFileSync(join(repo.path, 'data/change.txt'), 'v1\n');
    writeFileSync(join(repo.path, 'data/old-name.txt'), 'moved\n');
    writeFileSync(join(repo.path, 'data/gone.txt'), 'gone\n');
    await withData(repo.path, (d) => d.add(['data']));
    git(repo.path, 'add', '-A');
    git(repo.path, 'commit', '-qm', 'v1');
    writeFileSync(join(repo.path, 'data/change.txt'), 'v2\n');
    renameSync(join(repo.path, 'data/old-name.txt'), join(repo.path, 'data/new-name.txt'));
    rmSync(join(repo.path, 'data/gone.txt'));
    writeFileSync(join(repo.path, 'data/added.txt'), 'added\n');
    const expected = { added: ['data/added.txt'], deleted: ['data/gone.txt'], modified: ['data/', 'data/change.txt'], renamed: [{ old: 'data/old-name.txt', new: 'data/new-name.txt' }], notInCache: [] };
    await withData(repo.path, async (d) => {
      assert.deepEqual(await d.diff('HEAD'), expected);
      await d.add(['data']);
    });
    git(repo.path, 'add', '-A');
    git(repo.path, 'commit', '-qm', 'v2');
    await withData(repo.path, async (d) => assert.deepEqual(await d.diff('HEAD~1', 'HEAD'), expected));
    const cli = cairn(repo.path, 'data', 'diff', 'HEAD~1', 'HEAD');
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /files summary: 1 added, 1 deleted, 1 renamed, 1 modified/);
  } finally {
    repo.remove();
  }
});

test('gc keeps what the work tree (or, with allCommits, any commit) uses and removes the rest', async () => {
  const repo = gitRepo('gc');
  try {
    writeFileSync(join(repo.path, 'model.bin'), 'v1');
    await withData(repo.path, (d) => d.add(['model.bin']));
    git(repo.path, 'add', '-A');
    git(repo.path, 'commit', '-qm', 'v1');
    writeFileSync(join(repo.path, 'model.bin'), 'v2');
    await withData(repo.path, async (d) => {
      await d.add(['model.bin']);
      const cache = join(repo.path, '.dvc/cache');
      assert.equal(listCachedObjects(cache).length, 2);
      assert.deepEqual(await d.gc({ allCommits: true }), { kept: 2, removedLocal: 0, removedRemote: 0 });
      assert.equal((await d.gc({ dryRun: true })).removedLocal, 1);
      assert.equal(listCachedObjects(cache).length, 2);
      assert.equal((await d.gc({})).removedLocal, 1);
      assert.equal(listCachedObjects(cache).length, 1);
    });
  } finally {
    repo.remove();
  }
});

test('ls lists outputs and the files of tracked folders', async () => {
  const repo = gitRepo('ls');
  try {
    mkdirSync(join(repo.path, 'data/x'), { recursive: true });
    writeFileSync(join(repo.path, 'data/x/1.txt'), '1');
    writeFileSync(join(repo.path, 'data/2.txt'), '22');
    await withData(repo.path, async (d) => {
      await d.add(['data']);
      assert.deepEqual(d.ls([]).map((e) => [e.path, e.size, e.nfiles, e.inCache]), [['data', 3, 2, true]]);
      assert.deepEqual(d.ls(['data'], { files: true }).map((e) => e.path), ['data/2.txt', 'data/x/1.txt']);
    });
  } finally {
    repo.remove();
  }
});

test('the CLI prints one-line summaries without a terminal and clear errors with exit codes', () => {
  const repo = gitRepo('cli');
  try {
    writeFileSync(join(repo.path, 'a.csv'), 'x,y\n');
    const added = cairn(repo.path, 'data', 'add', 'a.csv');
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /tracked 1 outputs, 1 files \(4 B\)/);
    assert.equal(added.stderr, '', 'no progress bars when stderr is not a terminal');
    const status = cairn(repo.path, 'data', 'status', '--json');
    assert.deepEqual(JSON.parse(status.stdout), [{ path: 'a.csv', dvcFile: 'a.csv.dvc', inCache: true, state: 'unchanged' }]);
    const missing = cairn(repo.path, 'data', 'add', 'missing.csv');
    assert.equal(missing.status, 4);
    assert.match(missing.stderr, /^cairn: missing\.csv does not exist\n$/);
    const noRemote = cairn(repo.path, 'data', 'push');
    assert.notEqual(noRemote.status, 0);
    assert.match(noRemote.stderr, /no remote given and no default remote set/);
    assert.equal(cairn(repo.path, 'data', 'remote', 'add', '-d', 'store', '../store').status, 0);
    assert.match(cairn(repo.path, 'data', 'remote', 'list').stdout, /^store\t\.\.\/\.\.\/store \(default\)\n$/);
    assert.equal(existsSync(join(repo.path, '.dvc/config')), true);
  } finally {
    repo.remove();
  }
});
