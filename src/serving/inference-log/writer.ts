/**
 * The inference log writer. `record` only pushes onto an in-memory buffer, so the request path
 * never waits on storage; a flush (every `flushRows` rows or `flushIntervalMs`, whichever comes
 * first) writes each deployment's hour as one Parquet file into the artifact store. Flushes run
 * one at a time; a failed flush puts its rows back and is retried on the next tick.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '../../blob/types.js';
import { ParquetEncoder, type Cell } from './parquet.js';
import { FEEDBACK_COLUMNS, hourFolder, INFERENCE_COLUMNS, inputsAsJson, type FeedbackRecord, type InferenceRecord, type LogKind } from './records.js';

/** How often the writer flushes, and how much it may hold when the store is failing. */
export interface InferenceLogOptions {
  readonly flushRows: number;
  readonly flushIntervalMs: number;
  /** Rows kept in memory at most; past this, new rows are dropped and counted. */
  readonly maxBufferedRows: number;
  /** Told about flushes that failed (the rows are kept for the next try). */
  readonly onError?: (error: Error) => void;
}

export const INFERENCE_LOG_DEFAULTS: InferenceLogOptions = Object.freeze({ flushRows: 5_000, flushIntervalMs: 2_000, maxBufferedRows: 200_000 });

interface Pending {
  inference: InferenceRecord[];
  feedback: FeedbackRecord[];
}

/** Buffers scored requests and feedback, and writes them out as Parquet in batches. */
export class InferenceLogWriter {
  private pending: Pending = { inference: [], feedback: [] };
  private flushing: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private readonly timer: NodeJS.Timeout;
  private readonly encoder = new ParquetEncoder();
  private scratch: Promise<string> | null = null;
  private closed = false;
  /** Rows dropped because the buffer was full (the store kept failing). */
  dropped = 0;
  /** Files written so far. */
  filesWritten = 0;

  constructor(
    private readonly blobs: BlobStore,
    private readonly options: InferenceLogOptions = INFERENCE_LOG_DEFAULTS,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  /** Queue one scored request; never waits, never throws. */
  record(row: InferenceRecord): void {
    if (!this.admit()) return;
    this.pending.inference.push(row);
    if (this.size() >= this.options.flushRows) void this.flush();
  }

  /** Queue ground truth for earlier requests. */
  recordFeedback(rows: readonly FeedbackRecord[]): void {
    for (const row of rows) if (this.admit()) this.pending.feedback.push(row);
    if (this.size() >= this.options.flushRows) void this.flush();
  }

  /** Write out everything queued so far; resolves when it is in the store. */
  flush(): Promise<void> {
    if (this.flushQueued) return this.flushing;
    this.flushQueued = true;
    this.flushing = this.flushing.then(async () => {
      this.flushQueued = false;
      const batch = this.pending;
      this.pending = { inference: [], feedback: [] };
      const unwritten = await this.writeBatch(batch);
      // Rows of hours not stored go back in front, so a store hiccup loses nothing.
      this.pending = { inference: [...unwritten.inference, ...this.pending.inference], feedback: [...unwritten.feedback, ...this.pending.feedback] };
    });
    return this.flushing;
  }

  /** Flush what is left and stop the timer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    await this.encoder.close();
    if (this.scratch) await rm(await this.scratch, { recursive: true, force: true });
  }

  private size(): number {
    return this.pending.inference.length + this.pending.feedback.length;
  }

  private admit(): boolean {
    if (this.size() < this.options.maxBufferedRows) return true;
    this.dropped += 1;
    return false;
  }

  /** Write one file per log and hour; returns the rows of the files that could not be stored. */
  private async writeBatch(batch: Pending): Promise<Pending> {
    const groups = new Map<string, Pending>();
    const groupOf = (kind: LogKind, deployment: string, time: number): Pending => {
      const folder = hourFolder(kind, deployment, time);
      let group = groups.get(folder);
      if (!group) groups.set(folder, (group = { inference: [], feedback: [] }));
      return group;
    };
    for (const r of batch.inference) groupOf('inference-log', r.deployment, r.time).inference.push(r);
    for (const f of batch.feedback) groupOf('inference-feedback', f.deployment, f.time).feedback.push(f);
    const unwritten: Pending = { inference: [], feedback: [] };
    for (const [folder, group] of groups) {
      try {
        if (group.inference.length > 0) await this.writeFile(`${folder}/${randomUUID()}.parquet`, INFERENCE_COLUMNS, group.inference.map(inferenceCells));
        else await this.writeFile(`${folder}/${randomUUID()}.parquet`, FEEDBACK_COLUMNS, group.feedback.map(feedbackCells));
      } catch (error) {
        unwritten.inference.push(...group.inference);
        unwritten.feedback.push(...group.feedback);
        this.options.onError?.(error as Error);
      }
    }
    return unwritten;
  }

  private async writeFile(key: string, columns: typeof INFERENCE_COLUMNS | typeof FEEDBACK_COLUMNS, rows: Cell[][]): Promise<void> {
    this.scratch ??= mkdtemp(join(tmpdir(), 'cairn-inference-log-'));
    const path = join(await this.scratch, `${randomUUID()}.parquet`);
    try {
      await this.encoder.write(path, columns, rows);
      const { size } = await stat(path);
      await this.blobs.put(key, createReadStream(path), { contentLength: size });
      this.filesWritten += 1;
    } finally {
      await rm(path, { force: true });
    }
  }
}

function inferenceCells(r: InferenceRecord): Cell[] {
  return [r.deployment, r.version, r.requestId, r.shadow, r.time, r.latencyMs, r.status, inputsAsJson(r.inputs), r.outputs === null ? null : JSON.stringify(r.outputs), r.error, r.rows];
}

function feedbackCells(f: FeedbackRecord): Cell[] {
  return [f.deployment, f.requestId, f.groundTruth, f.time];
}
