/** The S3 remote against a real S3-compatible server (moto): DVC's key layout, push and verified pull. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { openData } from './index.js';
import { createTestBucket, findMotoServer, startS3Server, TEST_S3_CREDENTIALS } from '../testing/s3-server.js';
import { git, gitRepo, tempDir } from './test-support.js';

test('push to and pull from an S3 remote configured the DVC way', { skip: findMotoServer() === undefined ? 'moto_server is not installed in .venv' : false }, async () => {
  const server = await startS3Server();
  const repo = gitRepo('s3');
  const clone = tempDir('s3-clone');
  const client = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { ...TEST_S3_CREDENTIALS } });
  try {
    await createTestBucket(server.endpoint, 'dvc-bucket');
    mkdirSync(join(repo.path, 'data/sub'), { recursive: true });
    for (let i = 0; i < 300; i++) writeFileSync(join(repo.path, 'data/sub', `f${i}.txt`), `row ${i}\n`);
    writeFileSync(join(repo.path, 'data/big.bin'), Buffer.alloc(5 * 1024 * 1024, 7));
    const d = openData({ cwd: repo.path, create: true });
    try {
      const [added] = await d.add(['data']);
      d.remotes.add('s3', 's3://dvc-bucket/team/store', { makeDefault: true });
      d.remotes.modify('s3', 'endpointurl', server.endpoint);
      d.remotes.modify('s3', 'access_key_id', TEST_S3_CREDENTIALS.accessKeyId, true);
      d.remotes.modify('s3', 'secret_access_key', TEST_S3_CREDENTIALS.secretAccessKey, true);
      const pushed = await d.push([]);
      assert.deepEqual(pushed.failed, []);
      assert.equal(pushed.transferred, 302);
      const again = await d.push([]);
      assert.equal(again.transferred, 0);
      assert.equal(again.skipped, 302);
      const listed = await client.send(new ListObjectsV2Command({ Bucket: 'dvc-bucket', Prefix: 'team/store/files/md5/' }));
      assert.equal(listed.KeyCount, 302);
      const dir = added?.md5 ?? '';
      assert.ok(listed.Contents?.some((o) => o.Key === `team/store/files/md5/${dir.slice(0, 2)}/${dir.slice(2)}`));
      assert.deepEqual((await d.status([], { remote: 's3' })).map((s) => s.missingOnRemote), [0]);
    } finally {
      await d.close();
    }
    git(repo.path, 'add', '-A');
    git(repo.path, 'commit', '-qm', 'data');
    git(clone.path, 'clone', '-q', repo.path, 'c');
    const c = join(clone.path, 'c');
    // Credentials were local to the first clone; give the new one its own.
    writeFileSync(join(c, '.dvc/config.local'), readFileSync(join(repo.path, '.dvc/config.local')));
    // Tamper with one object on the remote: pull must refuse it.
    const { createHash } = await import('node:crypto');
    const md5 = createHash('md5').update('row 5\n').digest('hex');
    await client.send(new PutObjectCommand({ Bucket: 'dvc-bucket', Key: `team/store/files/md5/${md5.slice(0, 2)}/${md5.slice(2)}`, Body: 'evil' }));
    const p = openData({ cwd: c });
    try {
      const pulled = await p.pull([]);
      assert.equal(pulled.fetch.failed.length, 1);
      assert.match(pulled.fetch.failed[0]?.reason ?? '', /corrupted on remote 's3'/);
      assert.equal(readFileSync(join(c, 'data/sub/f7.txt'), 'utf8'), 'row 7\n');
      assert.deepEqual(readFileSync(join(c, 'data/big.bin')), Buffer.alloc(5 * 1024 * 1024, 7));
    } finally {
      await p.close();
    }
  } finally {
    client.destroy();
    await server.stop();
    repo.remove();
    clone.remove();
  }
});
