/**
 * Bad input and faults: each gives a clear message and leaves nothing half-done.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { objectPath } from './cache.js';
import { HashPool } from './hashing/pool.js';
import { HashState } from './hashing/state.js';
import { openData } from './index.js';
import { git, gitRepo, snapshot, tempDir } from './test-support.js';
import { hashOutput, scanOutput } from './workspace.js';

async function withData<T>(cwd: string, fn: (d: ReturnType<typeof openData>) => Promise<T>): Promise<T> {
  const d = openData({ cwd, create: true });
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

function fixture(root: string): void {
  mkdirSync(join(root, 'data/sub'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(join(root, 'data/sub', `f${i}.txt`), `file ${i}\n`);
  writeFileSync(join(root, 'data/top.txt'), 'top\n');
}

test('adding a missing path names it and writes nothing', async () => {
  const repo = gitRepo('missing');
  try {
    fixture(repo.path);
    await withData(repo.path, async (d) => {
      await assert.rejects(d.add(['data', 'nope.csv']), /nope\.csv does not exist/);
    });
    assert.equal(existsSync(join(repo.path, 'data.dvc')), false);
  } finally {
    repo.remove();
  }
});

test('a symlink pointing outside the repository is refused', async () => {
  const repo = gitRepo('symlink');
  const outside = tempDir('outside');
  try {
    fixture(repo.path);
    writeFileSync(join(outside.path, 'secret.txt'), 'secret');
    symlinkSync(join(outside.path, 'secret.txt'), join(repo.path, 'data/sub/link.txt'));
    await withData(repo.path, async (d) => {
      await assert.rejects(d.add(['data']), /symlink to .*secret\.txt, outside the repository/);
    });
    assert.equal(existsSync(join(repo.path, 'data.dvc')), false);
  } finally {
    repo.remove();
    outside.remove();
  }
});

test('a file that changes while it is hashed is reported and no pointer is written', async () => {
  const repo = gitRepo('changing');
  const pool = new HashPool(1);
  const state = HashState.open(repo.path);
  try {
    fixture(repo.path);
    const scan = scanOutput(join(repo.path, 'data'), repo.path);
    assert.equal(scan.kind, 'dir');
    // The walk saw one version; the file changes before the worker reads it.
    appendFileSync(join(repo.path, 'data/sub/f3.txt'), 'more bytes');
    if (scan.kind !== 'dir') return;
    await assert.rejects(hashOutput(scan, { root: repo.path, state, pool }), /f3\.txt changed while it was being hashed; nothing was changed/);
  } finally {
    state.close();
    await pool.close();
    repo.remove();
  }
});

test('an unreadable file gives a permission message', { skip: process.getuid?.() === 0 ? 'running as root, which can read any file' : false }, async () => {
  const repo = gitRepo('perm');
  try {
    fixture(repo.path);
    chmodSync(join(repo.path, 'data/sub/f1.txt'), 0o000);
    await withData(repo.path, async (d) => {
      await assert.rejects(d.add(['data']), /permission denied reading .*f1\.txt/);
    });
    assert.equal(existsSync(join(repo.path, 'data.dvc')), false);
  } finally {
    chmodSync(join(repo.path, 'data/sub/f1.txt'), 0o644);
    repo.remove();
  }
});

test('a corrupted cache object is detected on checkout and never reaches the work tree', async () => {
  const repo = gitRepo('corrupt-cache');
  try {
    fixture(repo.path);
    const [added] = await withData(repo.path, (d) => d.add(['data']));
    assert.ok(added);
    rmSync(join(repo.path, 'data'), { recursive: true });
    // Find the object of data/sub/f5.txt and corrupt it.
    const md5 = (await import('node:crypto')).createHash('md5').update('file 5\n').digest('hex');
    const path = objectPath(join(repo.path, '.dvc/cache'), md5);
    chmodSync(path, 0o644);
    writeFileSync(path, 'evil\n');
    const result = await withData(repo.path, (d) => d.checkout([]));
    assert.equal(result.failed.length, 1);
    assert.match(result.failed[0]?.reason ?? '', /corrupted/);
    assert.equal(existsSync(join(repo.path, 'data/sub/f5.txt')), false, 'the corrupted file is not placed');
    assert.equal(existsSync(path), false, 'the corrupted object is removed from the cache');
    assert.equal(readFileSync(join(repo.path, 'data/sub/f4.txt'), 'utf8'), 'file 4\n');
    assert.deepEqual(readdirSync(join(repo.path, 'data/sub')).filter((n) => n.includes('cairn-tmp')), []);
  } finally {
    repo.remove();
  }
});

test('a corrupted remote object is detected on pull and not placed in the cache or work tree', async () => {
  const repo = gitRepo('corrupt-remote');
  const store = tempDir('store');
  const clone = tempDir('clone');
  try {
    fixture(repo.path);
    await withData(repo.path, async (d) => {
      await d.add(['data']);
      d.remotes.add('store', store.path, { makeDefault: true });
      const pushed = await d.push([]);
      assert.deepEqual(pushed.failed, []);
    });
    git(repo.path, 'add', '-A');
    git(repo.path, 'commit', '-qm', 'data');
    const md5 = (await import('node:crypto')).createHash('md5').update('file 7\n').digest('hex');
    const remoteObject = join(store.path, 'files/md5', md5.slice(0, 2), md5.slice(2));
    writeFileSync(remoteObject, 'tampered\n');
    git(clone.path, 'clone', '-q', repo.path, 'c');
    const c = join(clone.path, 'c');
    const result = await withData(c, (d) => d.pull([]));
    assert.equal(result.fetch.failed.length, 1);
    assert.match(result.fetch.failed[0]?.reason ?? '', /corrupted on remote 'store'/);
    assert.equal(existsSync(objectPath(join(c, '.dvc/cache'), md5)), false);
    assert.equal(existsSync(join(c, 'data/sub/f7.txt')), false);
    assert.equal(readFileSync(join(c, 'data/sub/f8.txt'), 'utf8'), 'file 8\n');
  } finally {
    repo.remove();
    store.remove();
    clone.remove();
  }
});

test('a push interrupted halfway leaves no manifest or partial object on the remote, and resumes', async () => {
  const repo = gitRepo('interrupted');
  const store = tempDir('store');
  try {
    fixture(repo.path);
    await withData(repo.path, async (d) => {
      const [added] = await d.add(['data']);
      d.remotes.add('store', store.path, { makeDefault: true });
      // Block one object's prefix folder with a file: its upload fails, as a dropped link would.
      const md5 = (await import('node:crypto')).createHash('md5').update('file 9\n').digest('hex');
      mkdirSync(join(store.path, 'files/md5'), { recursive: true });
      writeFileSync(join(store.path, 'files/md5', md5.slice(0, 2)), 'blocker');
      const first = await d.push([]);
      assert.ok(first.failed.some((f) => f.oid === md5));
      assert.ok(first.failed.some((f) => f.oid === added?.md5 && /not pushed because 1 of its files failed/.test(f.reason)));
      const dir = added?.md5 ?? '';
      assert.equal(existsSync(join(store.path, 'files/md5', dir.slice(0, 2), dir.slice(2))), false, 'no manifest before all its files');
      const visible = [...snapshot(store.path, []).keys()];
      assert.deepEqual(visible.filter((p) => p.includes('cairn-tmp')), [], 'no partial object is visible');
      unlinkSync(join(store.path, 'files/md5', md5.slice(0, 2)));
      const second = await d.push([]);
      assert.deepEqual(second.failed, []);
      assert.equal(second.transferred, 2, 'only the missing file and the manifest go up');
      assert.ok(existsSync(join(store.path, 'files/md5', dir.slice(0, 2), dir.slice(2))));
    });
  } finally {
    repo.remove();
    store.remove();
  }
});

test('checkout refuses to overwrite changes that exist nowhere else, unless forced', async () => {
  const repo = gitRepo('overwrite');
  try {
    fixture(repo.path);
    await withData(repo.path, async (d) => {
      await d.add(['data']);
      writeFileSync(join(repo.path, 'data/top.txt'), 'my unsaved edit\n');
      const refused = await d.checkout([]);
      assert.match(refused.failed[0]?.reason ?? '', /would overwrite or delete changes that are not in the cache: data\/top\.txt/);
      assert.equal(readFileSync(join(repo.path, 'data/top.txt'), 'utf8'), 'my unsaved edit\n');
      const forced = await d.checkout([], { force: true });
      assert.deepEqual(forced.failed, []);
      assert.equal(readFileSync(join(repo.path, 'data/top.txt'), 'utf8'), 'top\n');
    });
  } finally {
    repo.remove();
  }
});
