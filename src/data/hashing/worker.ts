/**
 * A hashing worker thread: reads files with synchronous calls in 1 MiB chunks (DVC's chunk size),
 * MD5s them, and optionally writes the same bytes to a temporary file that is renamed into place
 * only when the hash is right. Any error leaves no file behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, copyFileSync, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { CopyTask, FileTask, TaskResult, WorkerMessage, WorkerRequest } from './jobs.js';

const CHUNK = 1 << 20;
const PROGRESS_EVERY = 16 * CHUNK;
const buffer = Buffer.allocUnsafe(CHUNK);

function describe(error: unknown, path: string): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `permission denied reading ${path}`;
  if (e?.code === 'ENOENT') return `${path} disappeared while it was being read`;
  if (e?.code === 'EISDIR') return `${path} is a folder, expected a file`;
  return `${path}: ${e instanceof Error ? e.message : String(e)}`;
}

// Folders this worker already created: mkdir costs a syscall per file otherwise.
const made = new Set<string>();
function ensureDir(folder: string): void {
  if (made.has(folder)) return;
  mkdirSync(folder, { recursive: true });
  made.add(folder);
}

// One random token per worker and a counter: unique temporary names without a random draw per file.
const token = randomBytes(6).toString('hex');
let sequence = 0;
const tmpName = (folder: string, name: string): string => join(folder, `.${name}.cairn-tmp-${token}-${++sequence}`);

/** Move a finished temporary file to its destination; across file systems, copy then rename. */
function place(tmp: string, final: string): void {
  ensureDir(dirname(final));
  try {
    renameSync(tmp, final);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const near = tmpName(dirname(final), basename(final));
    copyFileSync(tmp, near);
    renameSync(near, final);
    unlinkSync(tmp);
  }
}

const changedWhileHashed = (task: FileTask): TaskResult => ({ ok: false, reason: 'changed', message: `${task.src} changed while it was being hashed` });

/**
 * A small file into the cache: read whole and hashed first, then written under a temporary name
 * in its object's own folder. Only that folder changes; a temporary file in .dvc/tmp would change
 * two, and on many small files the file system's work per folder change is most of the cost.
 */
function cacheSmall(task: FileTask, cacheFiles: string, fd: number, before: Stats): TaskResult {
  let total = 0;
  while (total < before.size) {
    const n = readSync(fd, buffer, total, before.size - total, total);
    if (n === 0) break;
    total += n;
  }
  const after = fstatSync(fd);
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || total !== before.size) return changedWhileHashed(task);
  const md5 = createHash('md5').update(buffer.subarray(0, total)).digest('hex');
  if (task.expect !== undefined && md5 !== task.expect) {
    return { ok: false, reason: 'corrupted', md5, message: `${task.src} is corrupted: its content hashes to ${md5}, not ${task.expect}` };
  }
  const final = join(cacheFiles, md5.slice(0, 2), md5.slice(2));
  if (existsSync(final)) return { ok: true, md5, size: total, placed: false };
  ensureDir(dirname(final));
  const tmp = tmpName(dirname(final), basename(final));
  let out: number | undefined;
  try {
    out = openSync(tmp, 'wx', task.mode ?? 0o444);
    writeSync(out, buffer, 0, total);
    closeSync(out);
    out = undefined;
    renameSync(tmp, final);
    return { ok: true, md5, size: total, placed: true };
  } catch (error) {
    if (out !== undefined) closeSync(out);
    try {
      unlinkSync(tmp);
    } catch {
      // Never created, or already gone.
    }
    throw error;
  }
}

function runTask(task: FileTask, report: (bytes: number) => void): TaskResult {
  let fd: number | undefined;
  let out: number | undefined;
  let tmp: string | undefined;
  try {
    fd = openSync(task.src, 'r');
    const before = fstatSync(fd);
    const seen = task.seen;
    if (seen && (before.size !== seen.size || before.mtimeMs !== seen.mtimeMs || before.ino !== seen.ino)) {
      return changedWhileHashed(task);
    }
    if (task.cacheFiles !== undefined && task.dst === undefined && before.size <= CHUNK) return cacheSmall(task, task.cacheFiles, fd, before);
    const writes = task.cacheFiles !== undefined || task.dst !== undefined;
    if (writes) {
      const folder = task.dst !== undefined ? dirname(task.dst) : (task.tmpDir ?? dirname(task.src));
      ensureDir(folder);
      tmp = tmpName(folder, task.dst !== undefined ? basename(task.dst) : 'object');
      // Created with its final mode: a chmod per file is a system call that many small files notice.
      out = openSync(tmp, 'wx', task.mode ?? 0o444);
    }
    const hash = createHash('md5');
    let total = 0;
    let unreported = 0;
    // Read what the stat promised and no further: growth or a rewrite shows in the second fstat.
    while (total < before.size) {
      const n = readSync(fd, buffer, 0, CHUNK, total);
      if (n === 0) break;
      const chunk = buffer.subarray(0, n);
      hash.update(chunk);
      if (out !== undefined) writeSync(out, chunk);
      total += n;
      unreported += n;
      if (unreported >= PROGRESS_EVERY) {
        report(unreported);
        unreported = 0;
      }
    }
    const after = fstatSync(fd);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || total !== before.size) {
      return changedWhileHashed(task);
    }
    const md5 = hash.digest('hex');
    if (task.expect !== undefined && md5 !== task.expect) {
      return { ok: false, reason: 'corrupted', md5, message: `${task.src} is corrupted: its content hashes to ${md5}, not ${task.expect}` };
    }
    if (out === undefined || tmp === undefined) return { ok: true, md5, size: total, placed: false };
    closeSync(out);
    out = undefined;
    const final = task.dst ?? join(task.cacheFiles ?? '', md5.slice(0, 2), md5.slice(2));
    if (task.dst === undefined && existsSync(final)) {
      unlinkSync(tmp);
      tmp = undefined;
      return { ok: true, md5, size: total, placed: false };
    }
    place(tmp, final);
    tmp = undefined;
    return { ok: true, md5, size: total, placed: true };
  } catch (error) {
    return { ok: false, reason: 'io', message: describe(error, task.src) };
  } finally {
    if (fd !== undefined) closeSync(fd);
    if (out !== undefined) closeSync(out);
    if (tmp !== undefined) {
      try {
        unlinkSync(tmp);
      } catch {
        // Already gone: nothing was left behind.
      }
    }
  }
}

/**
 * Small objects are copied with one read and one write into a file created read-only: on many
 * small files the system calls are the cost, and copyFile spends twice as many (stat, truncate,
 * chmod, a clone attempt) as the bytes need.
 */
const SMALL_COPY = 4 * CHUNK;

function copySmall(src: string, tmp: string): number {
  const fd = openSync(src, 'r');
  let out: number | undefined;
  try {
    const { size } = fstatSync(fd);
    if (size > SMALL_COPY) return -1;
    const bytes = size <= CHUNK ? buffer : Buffer.allocUnsafe(size);
    let total = 0;
    while (total < size) {
      const n = readSync(fd, bytes, total, size - total, total);
      if (n === 0) break;
      total += n;
    }
    out = openSync(tmp, 'wx', 0o444);
    writeSync(out, bytes, 0, total);
    return total;
  } finally {
    closeSync(fd);
    if (out !== undefined) closeSync(out);
  }
}

/** Copy a file into place under a temporary name; its size comes back for progress. */
function runCopy(task: CopyTask): TaskResult {
  const tmp = tmpName(dirname(task.dst), basename(task.dst));
  try {
    ensureDir(dirname(task.dst));
    let size = copySmall(task.src, tmp);
    if (size < 0) {
      size = statSync(task.src).size;
      copyFileSync(task.src, tmp, constants.COPYFILE_FICLONE);
    }
    renameSync(tmp, task.dst);
    return { ok: true, md5: '', size, placed: true };
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // Never created, or already gone.
    }
    return { ok: false, reason: 'io', message: describe(error, task.src) };
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  const results: TaskResult[] = [];
  for (const task of request.tasks) {
    if ('kind' in task) {
      results.push(runCopy(task));
      continue;
    }
    results.push(runTask(task, (bytes) => {
      if (bytes > 0) parentPort?.postMessage({ id: request.id, kind: 'progress', bytes, files: 0 } satisfies WorkerMessage);
    }));
  }
  parentPort?.postMessage({ id: request.id, kind: 'done', results } satisfies WorkerMessage);
});
