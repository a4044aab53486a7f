/**
 * The behaviour every BlobStore must show, as one suite of tests that local.test.ts and
 * s3.test.ts run against their store (the Kysely habit: one suite, every backend).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CairnError } from '../core/errors.js';
import type { BlobStore } from './types.js';

/** A store under test and the way to throw it away. */
export interface StoreUnderTest {
  readonly store: BlobStore;
  cleanup(): Promise<void>;
}

const MiB = 1024 * 1024;

/** Read a whole (small) stream into memory. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function readText(store: BlobStore, key: string): Promise<string | undefined> {
  const file = await store.get(key);
  if (file === undefined) return undefined;
  const bytes = await readAll(file.stream);
  assert.equal(bytes.length, file.size, `size of ${key}`);
  return bytes.toString('utf8');
}

const put = (store: BlobStore, key: string, text: string): Promise<{ size: number }> => store.put(key, Readable.from([Buffer.from(text)]));

/**
 * `total` bytes of pseudo-random data in 1 MiB chunks, made as they are read, with the sha256
 * of what was produced so far; memory stays at one chunk.
 */
export function generatedStream(total: number): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  async function* chunks(): AsyncGenerator<Buffer> {
    let seed = createHash('sha256').update('cairn').digest();
    for (let sent = 0; sent < total; sent += MiB) {
      const chunk = Buffer.alloc(Math.min(MiB, total - sent));
      for (let offset = 0; offset < chunk.length; offset += seed.length) {
        seed = createHash('sha256').update(seed).digest();
        seed.copy(chunk, offset);
      }
      hash.update(chunk);
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), sha256: () => hash.digest('hex') };
}

/** A body that sends some bytes and then fails, as a client that disconnects mid-upload. */
export function abortedStream(bytesBeforeFailure: number): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.alloc(bytesBeforeFailure, 7);
    throw new Error('client went away');
  }
  return Readable.from(chunks(), { objectMode: false });
}

const isInvalid = (error: unknown): boolean => error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE';

/** Register the BlobStore contract tests for one implementation. */
export function blobStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    before(async () => {
      subject = await open();
    });
    after(async () => {
      await subject.cleanup();
    });

    test('a file put is read back byte for byte with its size', async () => {
      const { store } = subject;
      const { size } = await put(store, 'roundtrip/hello.txt', 'héllo wörld');
      assert.equal(size, Buffer.byteLength('héllo wörld'));
      assert.equal(await readText(store, 'roundtrip/hello.txt'), 'héllo wörld');
      assert.deepEqual(await store.stat('roundtrip/hello.txt'), { isDir: false, size });
      const empty = await store.put('roundtrip/empty', Readable.from([]));
      assert.equal(empty.size, 0);
      assert.equal(await readText(store, 'roundtrip/empty'), '');
    });

    test('putting a key again replaces the whole file', async () => {
      const { store } = subject;
      await put(store, 'overwrite/f', 'a much longer first version');
      await put(store, 'overwrite/f', 'short');
      assert.equal(await readText(store, 'overwrite/f'), 'short');
    });

    test('missing keys and folders read as undefined', async () => {
      const { store } = subject;
      await put(store, 'missing/dir/f', 'x');
      assert.equal(await store.get('missing/nothing'), undefined);
      assert.equal(await store.get('missing/dir'), undefined);
      assert.equal(await store.get('missing/dir/f/below-a-file'), undefined);
      assert.equal(await store.stat('missing/nothing'), undefined);
      assert.deepEqual(await store.stat('missing/dir'), { isDir: true });
      assert.deepEqual(await store.stat(''), { isDir: true });
    });

    test('list gives the direct children sorted by name, folders and files with sizes', async () => {
      const { store } = subject;
      await put(store, 'listing/b.txt', 'bb');
      await put(store, 'listing/a.txt', 'a');
      await put(store, 'listing/sub/deep/x', 'xyz');
      await put(store, 'listing/sub/y', 'y');
      await put(store, 'listing/Z', '');
      assert.deepEqual(await store.list('listing'), [
        { name: 'Z', isDir: false, size: 0 },
        { name: 'a.txt', isDir: false, size: 1 },
        { name: 'b.txt', isDir: false, size: 2 },
        { name: 'sub', isDir: true },
      ]);
      assert.deepEqual(await store.list('listing/sub'), [
        { name: 'deep', isDir: true },
        { name: 'y', isDir: false, size: 1 },
      ]);
      assert.deepEqual(await store.list('listing/a.txt'), []);
      assert.deepEqual(await store.list('listing/none'), []);
      const root = await store.list('');
      assert.ok(root.some((entry) => entry.name === 'listing' && entry.isDir));
    });

    test('delete removes a file, a whole folder, and ignores missing keys', async () => {
      const { store } = subject;
      await put(store, 'deleting/keep', 'k');
      await put(store, 'deleting/file', 'f');
      await put(store, 'deleting/folder/a', 'a');
      await put(store, 'deleting/folder/nested/b', 'b');
      await put(store, 'deleting/folder-sibling', 's');
      await store.delete('deleting/file');
      await store.delete('deleting/folder');
      await store.delete('deleting/never-existed');
      assert.equal(await store.get('deleting/file'), undefined);
      assert.equal(await store.stat('deleting/folder'), undefined);
      assert.equal(await store.get('deleting/folder/nested/b'), undefined);
      assert.deepEqual(
        (await store.list('deleting')).map((entry) => entry.name),
        ['folder-sibling', 'keep'],
      );
      await assert.rejects(store.delete(''), isInvalid);
    });

    test('concurrent puts of one key end with one complete file', async () => {
      const { store } = subject;
      const versions = Array.from({ length: 6 }, (_, i) => String(i).repeat(200_000 + i));
      await Promise.all(versions.map((text) => put(store, 'race/same', text)));
      const text = await readText(store, 'race/same');
      assert.ok(text !== undefined && versions.includes(text), 'the file is exactly one of the versions written');
      assert.deepEqual((await store.list('race')).map((entry) => entry.name), ['same']);
    });

    test('a body that fails mid-upload leaves no file, and nothing replaces an existing one', async () => {
      const { store } = subject;
      await assert.rejects(store.put('aborted/new', abortedStream(3 * MiB)), /client went away/);
      assert.equal(await store.get('aborted/new'), undefined);
      await put(store, 'aborted/old', 'original');
      await assert.rejects(store.put('aborted/old', abortedStream(1024)), /client went away/);
      assert.equal(await readText(store, 'aborted/old'), 'original');
      assert.deepEqual((await store.list('aborted')).map((entry) => entry.name), ['old']);
    });

    test('a body shorter than its declared length is refused and not stored', async () => {
      const { store } = subject;
      await assert.rejects(store.put('short/f', Readable.from([Buffer.from('abc')]), { contentLength: 10 }), isInvalid);
      assert.equal(await store.get('short/f'), undefined);
      assert.deepEqual(await store.put('short/ok', Readable.from([Buffer.from('abc')]), { contentLength: 3 }), { size: 3 });
    });

    test('keys that are not canonical are refused by every operation', async () => {
      const { store } = subject;
      for (const key of ['../escape', 'a/../../b', '/etc/passwd', 'a//b', 'a\\..\\b', 'nul\u0000byte']) {
        await assert.rejects(put(store, key, 'x'), isInvalid, `put ${JSON.stringify(key)}`);
        await assert.rejects(store.get(key), isInvalid, `get ${JSON.stringify(key)}`);
        await assert.rejects(store.list(key), isInvalid, `list ${JSON.stringify(key)}`);
        await assert.rejects(store.delete(key), isInvalid, `delete ${JSON.stringify(key)}`);
        await assert.rejects(store.stat(key), isInvalid, `stat ${JSON.stringify(key)}`);
      }
      await assert.rejects(put(store, '', 'x'), isInvalid);
    });

    test('a 50 MB generated stream goes in and comes back with the same sha256', async () => {
      const { store } = subject;
      const total = 50 * MiB + 12_345;
      const source = generatedStream(total);
      assert.deepEqual(await store.put('large/blob.bin', source.stream), { size: total });
      const file = await store.get('large/blob.bin');
      assert.ok(file !== undefined);
      assert.equal(file.size, total);
      const hash = createHash('sha256');
      await pipeline(file.stream, hash);
      assert.equal(hash.digest('hex'), source.sha256());
    });
  });
}
