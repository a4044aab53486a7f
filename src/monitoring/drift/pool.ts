/**
 * Column tests spread over worker threads. Each column is independent (sorting its two windows is
 * most of the work), so a dataset's columns are split by size between the calling thread and a
 * few workers, sized to the machine's cores. Results equal `driftForDataset`'s: the same code runs
 * on the same numbers, only on another thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CairnError } from '../../core/errors.js';
import { checkedDriftShare, driftForDatasetColumn, summarizeDatasetDrift } from './dataset.js';
import type { DatasetColumnOutcome, DatasetDrift, DatasetDriftOptions, DriftInputColumn } from './dataset.js';
import type { Column } from './columns.js';
import type { ColumnJob, JobReply } from './pool-messages.js';

/** Workers to start: one per core beyond the calling thread's, at most three. */
export const defaultPoolSize = (): number => Math.max(0, Math.min(availableParallelism() - 1, 3));

const rowsOf = (column: Column | undefined): number => (column === undefined ? 0 : column.kind === 'num' ? column.values.length : column.codes.length);

// Relative cost of a column: numeric windows are sorted (n log n-ish), categorical ones only counted.
function costOf(input: DriftInputColumn): number {
  const rows = rowsOf(input.reference) + rowsOf(input.current);
  return input.reference?.kind === 'cat' && input.current?.kind === 'cat' ? rows / 8 : rows;
}

/** Longest-first greedy split of the columns over `shares` threads; share 0 is the calling thread. */
function splitColumns(columns: readonly DriftInputColumn[], shares: number): number[][] {
  const load = new Array<number>(shares).fill(0);
  const split = Array.from({ length: shares }, (): number[] => []);
  const order = columns.map((c, i) => ({ i, cost: costOf(c) })).sort((a, b) => b.cost - a.cost);
  for (const { i, cost } of order) {
    const least = load.indexOf(Math.min(...load));
    load[least]! += cost;
    split[least]!.push(i);
  }
  return split;
}

/** The array buffers a column owns outright, which can move to a worker without copying. */
function ownedBuffers(input: DriftInputColumn, into: Set<ArrayBuffer>): void {
  for (const column of [input.reference, input.current]) {
    if (!column) continue;
    const array = column.kind === 'num' ? column.values : column.codes;
    if (array.buffer instanceof ArrayBuffer && array.byteOffset === 0 && array.byteLength === array.buffer.byteLength) into.add(array.buffer);
  }
}

/** A pool of drift workers; start it early (workers boot while the data is read), close it when done. */
export class DriftPool {
  readonly #workers: Worker[];
  #jobs = 0;

  constructor(size: number) {
    this.#workers = Array.from({ length: size }, () => new Worker(new URL('./worker.js', import.meta.url)));
  }

  /**
   * Drift of every column and the dataset verdict, as `driftForDataset` computes it. The columns'
   * typed arrays are moved to the workers (their buffers are detached afterwards).
   */
  async driftForDataset(columns: readonly DriftInputColumn[], options: DatasetDriftOptions = {}): Promise<DatasetDrift> {
    checkedDriftShare(options);
    const split = splitColumns(columns, this.#workers.length + 1);
    const outcomes = new Array<DatasetColumnOutcome>(columns.length);
    const replies = this.#workers.map((worker, w) => this.#send(worker, split[w + 1]!, columns, options));
    // The calling thread tests its own share while the workers test theirs.
    for (const i of split[0]!) outcomes[i] = driftForDatasetColumn(columns[i]!, options);
    for (const reply of await Promise.all(replies)) for (const { index, outcome } of reply) outcomes[index] = outcome;
    return summarizeDatasetDrift(columns, outcomes, options);
  }

  #send(worker: Worker, indexes: number[], columns: readonly DriftInputColumn[], options: DatasetDriftOptions): Promise<{ index: number; outcome: DatasetColumnOutcome }[]> {
    if (indexes.length === 0) return Promise.resolve([]);
    const job: ColumnJob = { job: ++this.#jobs, columns: indexes.map((index) => ({ index, input: columns[index]! })), options };
    const buffers = new Set<ArrayBuffer>();
    for (const { input } of job.columns) ownedBuffers(input, buffers);
    return new Promise((resolve, reject) => {
      const onMessage = (reply: JobReply): void => {
        if (reply.job !== job.job) return;
        worker.off('message', onMessage);
        worker.off('error', onError);
        if ('error' in reply) reject(new CairnError(reply.error.code, reply.error.message));
        else resolve(reply.outcomes);
      };
      const onError = (error: Error): void => {
        worker.off('message', onMessage);
        reject(error);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(job, [...buffers]);
    });
  }

  /** Stop the workers. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}

/** Start a drift pool of `size` workers (default: {@link defaultPoolSize}). */
export function startDriftPool(size: number = defaultPoolSize()): DriftPool {
  return new DriftPool(size);
}
