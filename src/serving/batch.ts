/**
 * Batch inference over a Parquet or CSV file. DuckDB streams the input in chunks, each batch is
 * scored and appended as JSON lines to a temporary file, and DuckDB then writes the output
 * (Parquet or CSV) from that file in one streaming COPY, so memory stays flat at one batch.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, extname, join, basename } from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import { invalid } from '../core/errors.js';
import type { FrameInput } from './decode.js';
import type { JsonValue } from './predictions.js';
import type { LoadedModel } from './runtime.js';

/** What to score and where to write it. */
export interface BatchJob {
  readonly model: LoadedModel;
  readonly input: string;
  readonly output: string;
  /** Rows per model call. */
  readonly batchSize: number;
  /** Called with (rows done, total rows) after each batch and once at the start. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a batch run did. */
export interface BatchResult {
  readonly rows: number;
  readonly batches: number;
  readonly outputColumns: readonly string[];
}

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function readerFor(path: string): string {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return `read_parquet(${sqlString(path)})`;
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return `read_csv(${sqlString(path)}, header = true)`;
  throw invalid(`--input ${path}: cairn predict reads .parquet and .csv files`);
}

function formatFor(path: string): string {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'FORMAT parquet';
  if (ext === '.csv') return 'FORMAT csv, HEADER true';
  throw invalid(`--output ${path}: cairn predict writes .parquet and .csv files`);
}

/** Score every row of the input file and write the predictions, in input order. */
export async function predictFile(job: BatchJob): Promise<BatchResult> {
  const source = readerFor(job.input);
  const format = formatFor(job.output);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const scratch = join(dirname(job.output), `.${basename(job.output)}.${process.pid}.jsonl`);
  const lines = createWriteStream(scratch);
  try {
    const total = Number(((await (await connection.run(`SELECT count(*) FROM ${source}`)).getRowsJS())[0]?.[0] ?? 0) as number | bigint);
    job.onProgress?.(0, total);
    const result = await connection.stream(`SELECT * FROM ${source}`);
    const columns = result.columnNames();
    let pending: unknown[][] = [];
    let done = 0;
    let batches = 0;
    let outputColumns: string[] = [];
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const frame: FrameInput = { kind: 'frame', columns, rows: pending, fromCsv: false };
      const records = asRecords(await job.model.predict(frame), job.model.outputNames, pending.length);
      if (outputColumns.length === 0) outputColumns = Object.keys(records[0] ?? {});
      if (!lines.write(records.map((r) => JSON.stringify(r)).join('\n') + '\n')) await once(lines, 'drain');
      done += pending.length;
      batches += 1;
      pending = [];
      job.onProgress?.(done, total);
    };
    for await (const rows of result.yieldRowsJs()) {
      for (const row of rows) {
        pending.push(row.map(plainValue));
        if (pending.length >= job.batchSize) await flush();
      }
    }
    await flush();
    lines.end();
    await once(lines, 'finish');
    if (done === 0) throw invalid(`--input ${job.input} has no rows`);
    const temp = join(dirname(job.output), `.${basename(job.output)}.${process.pid}.tmp`);
    await connection.run(`COPY (SELECT * FROM read_json(${sqlString(scratch)}, format = 'newline_delimited', sample_size = -1)) TO ${sqlString(temp)} (${format})`);
    await rename(temp, job.output);
    return { rows: done, batches, outputColumns };
  } finally {
    lines.destroy();
    await rm(scratch, { force: true });
    connection.closeSync();
    instance.closeSync();
  }
}

/** DuckDB gives BIGINT as bigint and DECIMAL/DATE as objects; the model wants JSON-like cells. */
function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** One record per row: a single output becomes a column named after it. */
function asRecords(predictions: JsonValue, outputNames: readonly string[], rows: number): Record<string, JsonValue>[] {
  if (!Array.isArray(predictions) || predictions.length !== rows) {
    throw invalid('the model does not return one prediction per row, so its output cannot be written as a table');
  }
  return predictions.map((p) => (p !== null && typeof p === 'object' && !Array.isArray(p) ? p : { [outputNames[0] ?? 'prediction']: p }));
}
