/**
 * A pool of hashing worker threads. Small files travel in batches (one message per batch, since
 * per-file overhead dominates for small files); large files go one per message so several large
 * files are read in parallel. Results come back in task order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CopyTask, FileTask, TaskResult, WorkerMessage, WorkerRequest } from './jobs.js';

const BATCH_FILES = 256;
const BATCH_BYTES = 8 * 1024 * 1024;

interface Pending {
  readonly resolve: (results: readonly TaskResult[]) => void;
  readonly reject: (error: Error) => void;
  reported: number;
}

/** Called as bytes and files are done, for progress bars. */
export type WorkProgress = (bytes: number, files: number) => void;

/** Worker threads that hash and copy files. */
export class HashPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { request: WorkerRequest; pending: Pending }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private progress: WorkProgress = () => undefined;

  constructor(private readonly size = Math.max(4, Math.min(availableParallelism(), 8))) {}

  private spawn(): Worker {
    const worker = new Worker(new URL('./worker.js', import.meta.url));
    worker.on('message', (message: WorkerMessage) => {
      const job = this.pending.get(message.id);
      if (job === undefined) return;
      if (message.kind === 'progress') {
        job.reported += message.bytes;
        this.progress(message.bytes, 0);
        return;
      }
      this.pending.delete(message.id);
      const bytes = message.results.reduce((sum, r) => sum + (r.ok ? r.size : 0), 0);
      this.progress(Math.max(0, bytes - job.reported), message.results.length);
      job.resolve(message.results);
      this.release(worker);
    });
    worker.on('error', (error) => {
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
    });
    this.workers.push(worker);
    return worker;
  }

  private release(worker: Worker): void {
    const next = this.queue.shift();
    if (next === undefined) this.idle.push(worker);
    else this.dispatch(worker, next.request, next.pending);
  }

  private dispatch(worker: Worker, request: WorkerRequest, pending: Pending): void {
    this.pending.set(request.id, pending);
    worker.postMessage(request);
  }

  private submit(tasks: readonly (FileTask | CopyTask)[]): Promise<readonly TaskResult[]> {
    return new Promise((resolve, reject) => {
      const request = { id: this.nextId++, tasks };
      const pending: Pending = { resolve, reject, reported: 0 };
      const worker = this.idle.pop() ?? (this.workers.length < this.size ? this.spawn() : undefined);
      if (worker === undefined) this.queue.push({ request, pending });
      else this.dispatch(worker, request, pending);
    });
  }

  /** Run tasks (sizes guide batching); results are in the order of `tasks`. */
  async run(tasks: readonly (FileTask | CopyTask)[], sizes: readonly number[], onProgress?: WorkProgress): Promise<TaskResult[]> {
    this.progress = onProgress ?? (() => undefined);
    const batches: { start: number; tasks: (FileTask | CopyTask)[] }[] = [];
    let current: (FileTask | CopyTask)[] = [];
    let start = 0;
    let bytes = 0;
    tasks.forEach((task, i) => {
      const size = sizes[i] ?? 0;
      if (current.length > 0 && (current.length >= BATCH_FILES || bytes + size > BATCH_BYTES)) {
        batches.push({ start, tasks: current });
        current = [];
        bytes = 0;
        start = i;
      }
      current.push(task);
      bytes += size;
    });
    if (current.length > 0) batches.push({ start, tasks: current });
    const results: TaskResult[] = new Array<TaskResult>(tasks.length);
    await Promise.all(
      batches.map(async (batch) => {
        const out = await this.submit(batch.tasks);
        out.forEach((r, j) => (results[batch.start + j] = r));
      }),
    );
    return results;
  }

  /** Stop the worker threads. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }
}
