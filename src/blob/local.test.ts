import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CairnError } from '../core/errors.js';
import { abortedStream, blobStoreContract, readAll } from './contract.js';
import { openBlobStore } from './index.js';
import { LocalBlobStore } from './local.js';

blobStoreContract('local folder', async () => {
  const base = await mkdtemp(join(tmpdir(), 'cairn-blob-'));
  const store = await openBlobStore({ kind: 'local', root: join(base, 'not-yet', 'artifacts') });
  assert.equal(store.kind, 'local');
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(base, { recursive: true, force: true });
    },
  };
});

/** A fresh store in a temporary folder, with `outside` as a sibling folder it must never reach. */
async function withStore(use: (store: LocalBlobStore, root: string, outside: string) => Promise<void>): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'cairn-blob-local-'));
  try {
    const root = join(base, 'root');
    const outside = join(base, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret'), 'top secret');
    await use(await LocalBlobStore.open(root), root, outside);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

const isInvalid = (error: unknown): boolean => error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE';

test('a symlink inside the root that points outside is refused by every operation', async () => {
  await withStore(async (store, root, outside) => {
    await symlink(outside, join(root, 'escape'));
    await symlink(join(outside, 'secret'), join(root, 'secret-link'));
    for (const key of ['escape', 'escape/secret', 'escape/new', 'secret-link']) {
      await assert.rejects(store.get(key), isInvalid, `get ${key}`);
      await assert.rejects(store.stat(key), isInvalid, `stat ${key}`);
      await assert.rejects(store.list(key), isInvalid, `list ${key}`);
      await assert.rejects(store.delete(key), isInvalid, `delete ${key}`);
      await assert.rejects(store.put(key, Readable.from([Buffer.from('pwned')])), isInvalid, `put ${key}`);
    }
    assert.equal(await readFile(join(outside, 'secret'), 'utf8'), 'top secret');
    assert.deepEqual(await readdir(outside), ['secret']);
    // The root listing hides links that lead out rather than reporting what they point at.
    assert.deepEqual(await store.list(''), []);
  });
});

test('a symlink that stays inside the root is followed', async () => {
  await withStore(async (store, root) => {
    await store.put('real/file.txt', Readable.from([Buffer.from('inside')]));
    await symlink(join(root, 'real'), join(root, 'alias'));
    const file = await store.get('alias/file.txt');
    assert.ok(file !== undefined);
    assert.equal((await readAll(file.stream)).toString(), 'inside');
    assert.deepEqual(await store.list('alias'), [{ name: 'file.txt', isDir: false, size: 6 }]);
    // Deleting the link removes the link, not the folder it points at.
    await store.delete('alias');
    assert.deepEqual(await store.list('real'), [{ name: 'file.txt', isDir: false, size: 6 }]);
  });
});

test('an aborted upload leaves no temporary file on disk', async () => {
  await withStore(async (store, root) => {
    await assert.rejects(store.put('run/model.bin', abortedStream(2 * 1024 * 1024)), /client went away/);
    assert.deepEqual(await readdir(join(root, 'run')), []);
  });
});

test('temporary files are hidden from listings and files are private to the server user', async () => {
  await withStore(async (store, root) => {
    await store.put('dir/visible', Readable.from([Buffer.from('v')]));
    await writeFile(join(root, 'dir', '.visible.0123456789abcdef.tmp'), 'half');
    assert.deepEqual(await store.list('dir'), [{ name: 'visible', isDir: false, size: 1 }]);
    assert.equal((await stat(join(root, 'dir', 'visible'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(root, 'dir'))).mode & 0o777, 0o700);
  });
});

test('writing where a folder is, or below a file, is refused with a clear error', async () => {
  await withStore(async (store) => {
    await store.put('a/b/c', Readable.from([Buffer.from('c')]));
    await assert.rejects(store.put('a/b', Readable.from([Buffer.from('x')])), /folder of that name exists/);
    await assert.rejects(store.put('a/b/c/d', Readable.from([Buffer.from('x')])), /parent of it is a file/);
    assert.deepEqual(await store.list('a/b'), [{ name: 'c', isDir: false, size: 1 }]);
  });
});

test('a file name near the 255-byte limit still gets a temporary name that fits', async () => {
  await withStore(async (store) => {
    const name = 'é'.repeat(127);
    assert.deepEqual(await store.put(`long/${name}`, Readable.from([Buffer.from('x')])), { size: 1 });
    assert.deepEqual(await store.list('long'), [{ name, isDir: false, size: 1 }]);
  });
});
