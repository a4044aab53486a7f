import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../test-support.js';
import { HashState } from './state.js';

const md5 = (n: number): string => n.toString(16).padStart(32, '0');
const stat = (ino: number, mtimeMs = 1764249636123.4567, size = 10) => ({ ino, mtimeMs, size });

test('hashes survive a reopen and count only while inode, mtime and size are unchanged', () => {
  const dir = tempDir('state');
  try {
    const a = HashState.open(dir.path);
    a.record('data/a b.txt', stat(1), md5(1));
    a.record('data/new\nline.txt', stat(2), md5(2));
    a.close();
    const b = HashState.open(dir.path);
    assert.equal(b.lookup('data/a b.txt', stat(1)), md5(1));
    assert.equal(b.lookup('data/a b.txt', stat(9)), undefined);
    assert.equal(b.lookup('data/a b.txt', stat(1, 1764249636124.4567)), undefined);
    assert.equal(b.lookup('data/a b.txt', stat(1, undefined, 11)), undefined);
    // A newline in a name would break the format, so such a file is not remembered.
    assert.equal(b.lookup('data/new\nline.txt', stat(2)), undefined);
    b.close();
  } finally {
    dir.remove();
  }
});

test('two processes writing the cache at once keep both sets of hashes', () => {
  const dir = tempDir('state-merge');
  try {
    const first = HashState.open(dir.path);
    const second = HashState.open(dir.path);
    assert.equal(first.lookup('x', stat(1)), undefined);
    assert.equal(second.lookup('y', stat(2)), undefined);
    first.record('x', stat(1), md5(1));
    second.record('y', stat(2), md5(2));
    first.close();
    second.close();
    const reopened = HashState.open(dir.path);
    assert.equal(reopened.lookup('x', stat(1)), md5(1));
    assert.equal(reopened.lookup('y', stat(2)), md5(2));
    reopened.close();
  } finally {
    dir.remove();
  }
});

test('a cache file in another format reads as empty and is replaced', () => {
  const dir = tempDir('state-foreign');
  try {
    writeFileSync(join(dir.path, 'cairn-hashes'), `1 2 3 ${md5(1)} x\n`);
    const state = HashState.open(dir.path);
    assert.equal(state.lookup('x', stat(1, 2, 3)), undefined);
    state.record('x', stat(1, 2, 3), md5(1));
    state.close();
    assert.match(readFileSync(join(dir.path, 'cairn-hashes'), 'utf8'), /^cairn-hashes 1\n1 2 3 0+1 x\n$/);
  } finally {
    dir.remove();
  }
});
