/**
 * Reading the inference log back, window by window: which Parquet files cover a time range, and
 * their rows through DuckDB (files are copied out of the artifact store into a scratch folder
 * first, so the same code reads a local folder or S3).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { BlobStore } from '../../blob/types.js';
import { HOUR_MS, hourStart, type LogKind } from './records.js';

/** A row of the inference log, as DuckDB returns it (time as an ISO string). */
export interface InferenceRow {
  readonly deployment: string;
  readonly version: string;
  readonly request_id: string;
  readonly shadow: boolean;
  readonly time: string;
  readonly latency_ms: number;
  readonly status: string;
  readonly inputs: string;
  readonly outputs: string | null;
  readonly error: string | null;
  readonly rows: number;
  /** The ground truth sent for this request id, when asked for and present. */
  readonly ground_truth?: string | null;
}

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The artifact-store keys of the files whose hour overlaps [from, to) (epoch ms). */
export async function inferenceLogFiles(blobs: BlobStore, kind: LogKind, deployment: string, from: number, to: number): Promise<string[]> {
  const root = `${kind}/${deployment}`;
  const keys: string[] = [];
  for (const day of await blobs.list(root)) {
    if (!day.isDir) continue;
    for (const hour of await blobs.list(`${root}/${day.name}`)) {
      const start = hourStart(day.name, hour.name);
      if (start === null || start + HOUR_MS <= from || start >= to) continue;
      for (const file of await blobs.list(`${root}/${day.name}/${hour.name}`)) {
        if (!file.isDir && file.name.endsWith('.parquet')) keys.push(`${root}/${day.name}/${hour.name}/${file.name}`);
      }
    }
  }
  return keys;
}

/**
 * Run `body` with DuckDB views `inference` and `feedback` over one deployment's window
 * [from, to). Views over no files are empty tables with the right columns.
 */
export async function withInferenceWindow<T>(blobs: BlobStore, deployment: string, from: number, to: number, body: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const scratch = await mkdtemp(join(tmpdir(), 'cairn-inference-read-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const window = `"time" >= make_timestamp(${Math.floor(from) * 1000}) AND "time" < make_timestamp(${Math.floor(to) * 1000})`;
    const views: [LogKind, string, string][] = [
      ['inference-log', 'inference', 'deployment VARCHAR, version VARCHAR, request_id VARCHAR, shadow BOOLEAN, "time" TIMESTAMP, latency_ms DOUBLE, status VARCHAR, inputs VARCHAR, outputs VARCHAR, error VARCHAR, "rows" INTEGER'],
      ['inference-feedback', 'feedback', 'deployment VARCHAR, request_id VARCHAR, ground_truth VARCHAR, "time" TIMESTAMP'],
    ];
    for (const [kind, view, columns] of views) {
      const files = await copyOut(blobs, view, await inferenceLogFiles(blobs, kind, deployment, kind === 'inference-log' ? from : 0, kind === 'inference-log' ? to : Number.MAX_SAFE_INTEGER), scratch);
      const source = files.length > 0 ? `read_parquet([${files.map(quote).join(', ')}])` : `(SELECT * FROM (VALUES (NULL)) WHERE false)`;
      if (files.length > 0) await connection.run(`CREATE VIEW ${view} AS SELECT * FROM ${source}${kind === 'inference-log' ? ` WHERE ${window}` : ''}`);
      else await connection.run(`CREATE TABLE ${view} (${columns})`);
    }
    return await body(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The scored requests of one deployment in [from, to) (epoch ms), oldest first, with the latest
 * ground truth sent for each request id. This is what monitoring reads, window by window.
 * @example const rows = await readInferenceWindow(blobs, 'iris-prod', Date.now() - 3600_000, Date.now());
 */
export async function readInferenceWindow(blobs: BlobStore, deployment: string, from: number, to: number): Promise<InferenceRow[]> {
  return withInferenceWindow(blobs, deployment, from, to, async (connection) => {
    const result = await connection.run(`
      WITH truth AS (
        SELECT request_id, arg_max(ground_truth, "time") AS ground_truth FROM feedback GROUP BY request_id
      )
      SELECT i.deployment, i.version, i.request_id, i.shadow, strftime(i."time", '%Y-%m-%dT%H:%M:%S.%gZ') AS "time",
             i.latency_ms, i.status, i.inputs, i.outputs, i.error, i."rows", t.ground_truth
      FROM inference i LEFT JOIN truth t USING (request_id)
      ORDER BY i."time", i.request_id, i.shadow`);
    return (await result.getRowObjectsJS()) as unknown as InferenceRow[];
  });
}

async function copyOut(blobs: BlobStore, prefix: string, keys: readonly string[], scratch: string): Promise<string[]> {
  const paths: string[] = [];
  for (const [i, key] of keys.entries()) {
    const read = await blobs.get(key);
    // A file removed by retention between listing and reading is simply not in the window.
    if (!read) continue;
    const path = join(scratch, `${prefix}-${i}.parquet`);
    await pipeline(read.stream, createWriteStream(path));
    paths.push(path);
  }
  return paths;
}
