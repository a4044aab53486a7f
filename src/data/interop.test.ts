/**
 * Interoperability with the real DVC 3 from PyPI: the same content gives the same pointer files
 * and cache, and data pushed by one tool is pulled by the other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync, closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { openData } from './index.js';
import { cairn, dvc, git, gitRepo, isExecutable, snapshot, SKIP_NO_DVC, tempDir } from './test-support.js';

/** A tree with every shape the issue lists: empty file and folder, nesting, non-ASCII, a multi-chunk file. */
function writeTree(root: string): string[] {
  mkdirSync(join(root, 'data/sub/deeper'), { recursive: true });
  mkdirSync(join(root, 'emptydir'));
  writeFileSync(join(root, 'data/a.txt'), 'hello\r\nworld\n'); // CRLF: DVC 3 hashes raw bytes
  writeFileSync(join(root, 'data/sub/e.txt'), '');
  writeFileSync(join(root, 'data/sub/deeper/naïve ü.txt'), 'x\n');
  writeFileSync(join(root, 'data/a-b.txt'), 'sorts before a/ in a string sort\n');
  // 3.5 MiB of deterministic bytes: several of DVC's 1 MiB read chunks.
  const big = Buffer.alloc(3.5 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
  writeFileSync(join(root, 'data/sub/big.bin'), big);
  writeFileSync(join(root, 'empty.txt'), '');
  writeFileSync(join(root, 'föö #1.txt'), 'é\n');
  writeFileSync(join(root, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(root, 'run.sh'), 0o755);
  return ['data', 'emptydir', 'empty.txt', 'föö #1.txt', 'run.sh'];
}

function cacheFiles(root: string): Map<string, Buffer> {
  return snapshot(join(root, '.dvc', 'cache'), []);
}

test('cairn data add writes the same pointer files, .gitignore and cache as dvc add', { skip: SKIP_NO_DVC }, async () => {
  const a = gitRepo('dvc-side');
  const b = gitRepo('cairn-side');
  try {
    const targets = writeTree(a.path);
    writeTree(b.path);
    dvc(a.path, 'init', '-q');
    dvc(a.path, 'add', '-q', ...targets);
    const data = openData({ cwd: b.path, create: true });
    try {
      await data.add(targets);
    } finally {
      await data.close();
    }
    for (const t of targets) assert.equal(readFileSync(join(b.path, `${t}.dvc`), 'utf8'), readFileSync(join(a.path, `${t}.dvc`), 'utf8'), `${t}.dvc`);
    assert.equal(readFileSync(join(b.path, '.gitignore'), 'utf8').split('\n').sort().join('\n'), readFileSync(join(a.path, '.gitignore'), 'utf8').split('\n').sort().join('\n'));
    assert.deepEqual(cacheFiles(b.path), cacheFiles(a.path));
    assert.equal(readFileSync(join(b.path, '.dvc/.gitignore'), 'utf8'), readFileSync(join(a.path, '.dvc/.gitignore'), 'utf8'));
    // DVC sees cairn's work as its own: nothing to commit.
    assert.match(dvc(b.path, 'status'), /up to date/);
  } finally {
    a.remove();
    b.remove();
  }
});

test('.dvcignore patterns (globs, a negation, an anchored folder) leave the same files out as dvc does', { skip: SKIP_NO_DVC }, async () => {
  const a = gitRepo('dvc-ignore');
  const b = gitRepo('cairn-ignore');
  try {
    for (const root of [a.path, b.path]) {
      mkdirSync(join(root, 'data/logs'), { recursive: true });
      mkdirSync(join(root, 'data/sub'), { recursive: true });
      writeFileSync(join(root, 'data/train.csv'), 'a,b\n1,2\n');
      writeFileSync(join(root, 'data/scratch.tmp'), 'scratch');
      writeFileSync(join(root, 'data/logs/run.log'), 'log');
      writeFileSync(join(root, 'data/sub/keep.tmp'), 'kept by a negation');
      writeFileSync(join(root, 'data/sub/drop.tmp'), 'dropped');
      writeFileSync(join(root, '.dvcignore'), '*.tmp\n!keep.tmp\n/data/logs/\n');
    }
    dvc(a.path, 'init', '-q');
    dvc(a.path, 'add', '-q', 'data');
    const data = openData({ cwd: b.path, create: true });
    try {
      await data.add(['data']);
    } finally {
      await data.close();
    }
    assert.equal(readFileSync(join(b.path, 'data.dvc'), 'utf8'), readFileSync(join(a.path, 'data.dvc'), 'utf8'));
    assert.deepEqual(cacheFiles(b.path), cacheFiles(a.path));
    assert.match(dvc(b.path, 'status'), /up to date/);
  } finally {
    a.remove();
    b.remove();
  }
});

test('cairn data add + push, then dvc pull in a fresh clone, gives identical files', { skip: SKIP_NO_DVC }, () => {
  const repo = gitRepo('cairn-push');
  const store = tempDir('store-a');
  const clone = tempDir('clone-a');
  try {
    const targets = writeTree(repo.path);
    assert.equal(cairn(repo.path, 'data', 'add', ...targets).status, 0);
    assert.equal(cairn(repo.path, 'data', 'remote', 'add', '-d', 'store', store.path).status, 0);
    const push = cairn(repo.path, 'data', 'push');
    assert.equal(push.status, 0, push.stderr);
    assert.match(push.stdout, /pushed 9 objects/);
    git(repo.path, 'add', '-A');
    git(repo.path, 'commit', '-qm', 'track data');
    git(clone.path, 'clone', '-q', repo.path, 'c');
    const c = join(clone.path, 'c');
    dvc(c, 'pull', '-q');
    const expected = snapshot(repo.path);
    const got = snapshot(c);
    for (const [path, bytes] of expected) assert.deepEqual(got.get(path), bytes, path);
    assert.ok(isExecutable(join(c, 'run.sh')));
    assert.deepEqual(readdirSync(join(c, 'emptydir')), []);
  } finally {
    repo.remove();
    store.remove();
    clone.remove();
  }
});

test('dvc add + dvc push, then cairn data pull in a fresh clone, gives identical files', { skip: SKIP_NO_DVC }, async () => {
  const repo = gitRepo('dvc-push');
  const store = tempDir('store-b');
  const clone = tempDir('clone-b');
  try {
    const targets = writeTree(repo.path);
    dvc(repo.path, 'init', '-q');
    dvc(repo.path, 'add', '-q', ...targets);
    dvc(repo.path, 'remote', 'add', '-d', 'store', store.path);
    dvc(repo.path, 'push', '-q');
    git(repo.path, 'add', '-A');
    git(repo.path, 'commit', '-qm', 'track data');
    git(clone.path, 'clone', '-q', repo.path, 'c');
    const c = join(clone.path, 'c');
    const pull = cairn(c, 'data', 'pull');
    assert.equal(pull.status, 0, pull.stderr);
    const expected = snapshot(repo.path);
    const got = snapshot(c);
    for (const [path, bytes] of expected) assert.deepEqual(got.get(path), bytes, path);
    assert.ok(isExecutable(join(c, 'run.sh')));
    const data = openData({ cwd: c });
    try {
      const status = await data.status([]);
      assert.deepEqual(status.map((s) => s.state), targets.map(() => 'unchanged'));
    } finally {
      await data.close();
    }
  } finally {
    repo.remove();
    store.remove();
    clone.remove();
  }
});

test('a file over 2 GiB (sparse) gets the same pointer file as dvc add', { skip: SKIP_NO_DVC || (process.env['CAIRN_TEST_LARGE'] === '1' ? false : 'set CAIRN_TEST_LARGE=1 to hash a 2.1 GiB sparse file (reads 2 GiB twice)') }, async () => {
  const a = gitRepo('large-dvc');
  const b = gitRepo('large-cairn');
  try {
    for (const root of [a.path, b.path]) {
      const fd = openSync(join(root, 'huge.bin'), 'w');
      writeFileSync(fd, 'head');
      closeSync(fd);
      truncateSync(join(root, 'huge.bin'), 2 * 1024 ** 3 + 12345);
    }
    dvc(a.path, 'init', '-q');
    dvc(a.path, 'add', '-q', 'huge.bin');
    const data = openData({ cwd: b.path, create: true });
    try {
      await data.add(['huge.bin']);
    } finally {
      await data.close();
    }
    assert.equal(readFileSync(join(b.path, 'huge.bin.dvc'), 'utf8'), readFileSync(join(a.path, 'huge.bin.dvc'), 'utf8'));
  } finally {
    a.remove();
    b.remove();
  }
});
