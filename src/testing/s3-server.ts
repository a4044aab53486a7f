/**
 * A real S3-compatible server for tests: moto's server from PyPI (pinned in
 * tests/requirements.txt, installed in <repo>/.venv), on a free port bound to 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './ports.js';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { ArtifactsDestination } from '../core/config.js';
import { s3ClientConfig } from '../blob/s3.js';

/** A running S3 server: its endpoint URL and the way to stop it. */
export interface TestS3Server {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** moto accepts any credentials; these only have to be present so the SDK signs requests. */
export const TEST_S3_CREDENTIALS = Object.freeze({ accessKeyId: 'test', secretAccessKey: 'test' });

// dist/testing/ and src/testing/ both sit two folders below the repository root.
const DEFAULT_MOTO_SERVER = fileURLToPath(new URL('../../.venv/bin/moto_server', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/** The moto_server program tests use, or undefined when the Python venv has not been built. */
export function findMotoServer(): string | undefined {
  return existsSync(DEFAULT_MOTO_SERVER) ? DEFAULT_MOTO_SERVER : undefined;
}


function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Poll until the server answers HTTP; fail early with its output if it exits first. */
async function waitUntilAnswering(child: ChildProcess, endpoint: string, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitedEarly = false;
  void exited(child).then(() => {
    exitedEarly = true;
  });
  while (Date.now() < deadline) {
    if (exitedEarly) throw new Error(`moto_server exited before answering (code ${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000}s:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await done;
  clearTimeout(timer);
}

/** Start moto's S3 server on a free 127.0.0.1 port; `stop()` kills it. */
export async function startS3Server(options?: { motoServer?: string }): Promise<TestS3Server> {
  const program = options?.motoServer ?? DEFAULT_MOTO_SERVER;
  if (!existsSync(program)) {
    throw new Error(`${program} is missing: create the venv with 'python3 -m venv .venv && .venv/bin/pip install -r tests/requirements.txt'`);
  }
  let lastError: unknown;
  // Another process can take the port between freePort() and moto's bind; a retry picks a new one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn(program, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // A test file that crashes or forgets stop() must not leave moto running.
    const killOnExit = (): void => {
      child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    void exited(child).then(() => process.off('exit', killOnExit));
    try {
      await waitUntilAnswering(child, endpoint, () => output);
      return { endpoint, stop: () => stopChild(child) };
    } catch (error) {
      lastError = error;
      await stopChild(child);
    }
  }
  throw lastError;
}

/** An S3 artifacts destination pointing at a test server, as the config parser would build it. */
export function testS3Destination(endpoint: string, bucket: string, prefix = ''): Extract<ArtifactsDestination, { kind: 's3' }> {
  return Object.freeze({
    kind: 's3',
    bucket,
    prefix,
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_S3_CREDENTIALS,
  });
}

/** Create a bucket on a test server through the SDK, as an operator would before starting cairn. */
export async function createTestBucket(endpoint: string, bucket: string): Promise<void> {
  const client = new S3Client(s3ClientConfig(testS3Destination(endpoint, bucket)));
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}
