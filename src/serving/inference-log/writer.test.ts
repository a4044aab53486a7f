import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { openBlobStore } from '../../blob/index.js';
import type { BlobStore } from '../../blob/types.js';
import { inferenceLogFiles, readInferenceWindow } from './reader.js';
import type { InferenceRecord } from './records.js';
import { pruneInferenceLog } from './retention.js';
import { trafficStats } from './stats.js';
import { InferenceLogWriter } from './writer.js';

const T0 = Date.UTC(2025, 0, 15, 10, 30);
const HOUR = 3_600_000;

function record(requestId: string, time: number, extra: Partial<InferenceRecord> = {}): InferenceRecord {
  return {
    deployment: 'iris-prod', version: '1', requestId, shadow: false, time, latencyMs: 2.5, status: 'ok',
    inputs: { kind: 'frame', columns: ['a', 'b'], rows: [[1, 2]], fromCsv: false }, outputs: [0], error: null, rows: 1, ...extra,
  };
}

async function withStore(body: (blobs: BlobStore) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'cairn-log-test-'));
  const blobs = await openBlobStore({ kind: 'local', root });
  try {
    await body(blobs);
  } finally {
    await blobs.close();
    await rm(root, { recursive: true, force: true });
  }
}

test('flushes write one Parquet file per deployment and hour, readable window by window with feedback joined', async () => {
  await withStore(async (blobs) => {
    const writer = new InferenceLogWriter(blobs, { flushRows: 1000, flushIntervalMs: 60_000, maxBufferedRows: 10_000 });
    writer.record(record('a', T0));
    writer.record(record('b', T0 + 20 * 60_000, { status: 'error', outputs: null, error: 'bad input', latencyMs: 7 }));
    writer.record(record('c', T0 + 40 * 60_000, { inputs: { kind: 'tensor', value: [[1, 2]] } }));
    writer.record(record('c', T0 + 40 * 60_000, { version: '2', shadow: true }));
    writer.recordFeedback([{ deployment: 'iris-prod', requestId: 'a', groundTruth: '0', time: T0 + 5 * HOUR }, { deployment: 'iris-prod', requestId: 'a', groundTruth: '1', time: T0 + 6 * HOUR }]);
    await writer.flush();
    const files = await inferenceLogFiles(blobs, 'inference-log', 'iris-prod', T0 - HOUR, T0 + 2 * HOUR);
    assert.deepEqual(files.map((f) => f.split('/').slice(0, 4).join('/')).sort(), ['inference-log/iris-prod/2025-01-15/10', 'inference-log/iris-prod/2025-01-15/11']);
    assert.ok(files.every((f) => /\/[0-9a-f-]{36}\.parquet$/.test(f)));

    const hourTen = await readInferenceWindow(blobs, 'iris-prod', Date.UTC(2025, 0, 15, 10), Date.UTC(2025, 0, 15, 11));
    assert.deepEqual(hourTen.map((r) => [r.request_id, r.status, r.ground_truth]), [['a', 'ok', '1'], ['b', 'error', null]]);
    assert.equal(hourTen[0]?.inputs, '[{"a":1,"b":2}]');
    assert.equal(hourTen[0]?.time, '2025-01-15T10:30:00.000Z');
    assert.equal(hourTen[1]?.error, 'bad input');
    const all = await readInferenceWindow(blobs, 'iris-prod', 0, T0 + 10 * HOUR);
    assert.deepEqual(all.map((r) => [r.request_id, r.version, r.shadow]), [['a', '1', false], ['b', '1', false], ['c', '1', false], ['c', '2', true]]);
    assert.equal(all[2]?.inputs, '[[1,2]]');
    assert.deepEqual(await readInferenceWindow(blobs, 'other', 0, T0 + 10 * HOUR), []);

    const stats = await trafficStats(blobs, 'iris-prod', 0, T0 + 10 * HOUR, 3600);
    assert.deepEqual(stats.map((b) => [b.time, b.version, b.shadow, b.requests, b.errors]), [
      [Date.UTC(2025, 0, 15, 10), '1', false, 2, 1],
      [Date.UTC(2025, 0, 15, 11), '1', false, 1, 0],
      [Date.UTC(2025, 0, 15, 11), '2', true, 1, 0],
    ]);
    await writer.close();
  });
});

test('a failed flush keeps its rows and writes them on the next flush', async () => {
  await withStore(async (blobs) => {
    let failing = true;
    const flaky: BlobStore = {
      ...blobs,
      kind: blobs.kind,
      put: (key: string, body: Readable, options?: { contentLength?: number }) => (failing ? Promise.reject(new Error('store down')) : blobs.put(key, body, options)),
      list: (prefix: string) => blobs.list(prefix),
      get: (key: string) => blobs.get(key),
    };
    const errors: string[] = [];
    const writer = new InferenceLogWriter(flaky, { flushRows: 1000, flushIntervalMs: 60_000, maxBufferedRows: 3, onError: (e) => errors.push(e.message) });
    writer.record(record('a', T0));
    writer.record(record('b', T0));
    await writer.flush();
    assert.deepEqual(errors, ['store down']);
    writer.record(record('c', T0));
    writer.record(record('d', T0));
    assert.equal(writer.dropped, 1);
    failing = false;
    await writer.flush();
    const rows = await readInferenceWindow(blobs, 'iris-prod', 0, T0 + HOUR);
    assert.deepEqual(rows.map((r) => r.request_id), ['a', 'b', 'c']);
    await writer.close();
  });
});

test('retention deletes hours older than the deployment keeps, and nothing newer', async () => {
  await withStore(async (blobs) => {
    const writer = new InferenceLogWriter(blobs, { flushRows: 1000, flushIntervalMs: 60_000, maxBufferedRows: 10_000 });
    const now = Date.UTC(2025, 0, 20, 12, 10);
    writer.record(record('old-day', Date.UTC(2025, 0, 10, 5)));
    writer.record(record('old-hour', Date.UTC(2025, 0, 19, 11, 30)));
    writer.record(record('kept', Date.UTC(2025, 0, 19, 12, 30)));
    writer.recordFeedback([{ deployment: 'iris-prod', requestId: 'old-day', groundTruth: '1', time: Date.UTC(2025, 0, 10, 6) }]);
    await writer.close();
    assert.equal(await pruneInferenceLog(blobs, 'iris-prod', 1, now), 3);
    const rows = await readInferenceWindow(blobs, 'iris-prod', 0, now);
    assert.deepEqual(rows.map((r) => r.request_id), ['kept']);
    assert.deepEqual((await blobs.list('inference-log/iris-prod')).map((e) => e.name), ['2025-01-19']);
    assert.deepEqual(await blobs.list('inference-feedback/iris-prod'), []);
  });
});
