import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freshStoreUri } from '../../testing/dialects.js';
import { spawnServer, type ServerProcess } from '../../testing/process.js';
import { createTestBucket, startS3Server, TEST_S3_CREDENTIALS, type TestS3Server } from '../../testing/s3-server.js';

describe('the artifact proxy on an S3-compatible store (cairn server --artifacts-destination s3://…)', () => {
  let s3: TestS3Server;
  let server: ServerProcess;
  let folder: string;
  let cleanupStore: () => Promise<void>;
  before(async () => {
    s3 = await startS3Server();
    await createTestBucket(s3.endpoint, 'artifacts');
    folder = await mkdtemp(join(tmpdir(), 'cairn-s3-'));
    const store = await freshStoreUri('sqlite');
    cleanupStore = store.cleanup;
    server = await spawnServer({
      storeUri: store.uri,
      artifacts: 's3://artifacts/team-a',
      env: { AWS_ACCESS_KEY_ID: TEST_S3_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_S3_CREDENTIALS.secretAccessKey, MLFLOW_S3_ENDPOINT_URL: s3.endpoint },
    });
  });
  after(async () => {
    await server?.stop();
    await s3?.stop();
    await cleanupStore?.();
    await rm(folder, { recursive: true, force: true });
  });

  test('files go in and come out byte for byte, list and delete', async () => {
    const base = `${server.url}/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts`;
    const big = randomBytes(12 << 20);
    assert.equal((await fetch(`${base}/model/weights.bin`, { method: 'PUT', body: big })).status, 200);
    assert.equal((await fetch(`${base}/model/MLmodel`, { method: 'PUT', body: 'flavors: {}\n' })).status, 200);
    const back = Buffer.from(await (await fetch(`${base}/model/weights.bin`)).arrayBuffer());
    assert.equal(createHash('sha256').update(back).digest('hex'), createHash('sha256').update(big).digest('hex'));
    const listing = (await (await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts?path=0/run/artifacts/model`)).json()) as { files: unknown[] };
    assert.deepEqual(listing.files, [
      { path: 'MLmodel', is_dir: false, file_size: 12 },
      { path: 'weights.bin', is_dir: false, file_size: big.length },
    ]);
    assert.equal((await fetch(`${base}/model`, { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(`${base}/model/MLmodel`)).status, 404);
    assert.equal((await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/..%2f..%2fother-team%2fx`, { method: 'PUT', body: 'x' })).status, 400);
  });
});
