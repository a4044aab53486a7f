import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createTestBucket, startS3Server, testS3Destination } from '../testing/s3-server.js';
import type { TestS3Server } from '../testing/s3-server.js';
import { abortedStream, blobStoreContract, readAll } from './contract.js';
import { openBlobStore } from './index.js';
import { S3BlobStore, s3ClientConfig } from './s3.js';

// One moto server for the whole file; each store gets its own bucket.
let server: TestS3Server | undefined;
let buckets = 0;

async function s3Server(): Promise<TestS3Server> {
  server ??= await startS3Server();
  return server;
}

async function freshDestination(prefix: string): Promise<ReturnType<typeof testS3Destination>> {
  const { endpoint } = await s3Server();
  const bucket = `cairn-test-${++buckets}`;
  await createTestBucket(endpoint, bucket);
  return testS3Destination(endpoint, bucket, prefix);
}

after(async () => {
  await server?.stop();
});

blobStoreContract('S3 (moto), with a prefix', async () => {
  const store = await openBlobStore(await freshDestination('team/artifacts'));
  assert.equal(store.kind, 's3');
  return { store, cleanup: () => store.close() };
});

blobStoreContract('S3 (moto), bucket root', async () => {
  const store = await openBlobStore(await freshDestination(''));
  return { store, cleanup: () => store.close() };
});

let dest: ReturnType<typeof testS3Destination>;
let store: S3BlobStore;
let raw: S3Client;

before(async () => {
  dest = await freshDestination('pre/fix');
  store = new S3BlobStore(dest);
  raw = new S3Client(s3ClientConfig(dest));
});

after(async () => {
  await store.close();
  raw.destroy();
});

test('S3 keys are prefix/key, and nothing is written outside the prefix', async () => {
  await store.put('1/run/artifacts/model.pkl', Readable.from([Buffer.from('m')]));
  const listed = await raw.send(new ListObjectsV2Command({ Bucket: dest.bucket }));
  assert.deepEqual(listed.Contents?.map((object) => object.Key), ['pre/fix/1/run/artifacts/model.pkl']);
});

test('an aborted S3 upload leaves neither an object nor an open multipart upload', async () => {
  await assert.rejects(store.put('aborted/big.bin', abortedStream(12 * 1024 * 1024)), /client went away/);
  assert.equal(await store.get('aborted/big.bin'), undefined);
  const uploads = await raw.send(new ListMultipartUploadsCommand({ Bucket: dest.bucket }));
  assert.deepEqual(uploads.Uploads ?? [], []);
});

test('S3 listing and deleting page through more than one response', async () => {
  // 1,005 objects: more than one ListObjectsV2 page (1,000) and more than one DeleteObjects batch.
  const names = Array.from({ length: 1005 }, (_, i) => `f${String(i).padStart(4, '0')}`);
  for (let i = 0; i < names.length; i += 50) {
    await Promise.all(names.slice(i, i + 50).map((name) => store.put(`many/${name}`, Readable.from([Buffer.from(name)]))));
  }
  const listed = await store.list('many');
  assert.equal(listed.length, names.length);
  assert.deepEqual(listed.map((entry) => entry.name), names);
  const last = await store.get('many/f1004');
  assert.ok(last !== undefined);
  assert.equal((await readAll(last.stream)).toString(), 'f1004');
  await store.delete('many');
  assert.deepEqual(await store.list('many'), []);
  assert.equal(await store.stat('many'), undefined);
});
