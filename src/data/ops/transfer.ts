/**
 * Moving objects between the cache and a remote: in parallel, with retries, file objects before
 * the directory manifests that list them (so a manifest on a remote means all its files are
 * there, the rule DVC's status relies on), and every download verified by its hash before it
 * enters the cache.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CairnError } from '../../core/errors.js';
import { filesDir, hasObject, objectPath } from '../cache.js';
import { mapLimit, type DataContext } from '../context.js';
import type { DataRemote } from '../remote/types.js';

/** The outcome of a push or fetch: nothing is thrown halfway; failures are listed. */
export interface TransferResult {
  readonly transferred: number;
  readonly bytes: number;
  /** Objects that were already where they had to go. */
  readonly skipped: number;
  readonly failed: readonly { readonly oid: string; readonly reason: string }[];
}

const ATTEMPTS = 3;
// Above this many wanted objects, one listing beats an existence check per object.
const LIST_ABOVE = 256;

/** Errors that another attempt cannot fix. */
function isPermanent(error: unknown): boolean {
  if (error instanceof CairnError) return true;
  const e = error as { code?: string; name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404 || e?.$metadata?.httpStatusCode === 403;
}

async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= ATTEMPTS || isPermanent(error)) throw error;
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}

const describe = (error: unknown): string => {
  const e = error as { code?: string; name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.code === 'ENOENT' || e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404) return 'not found';
  return e?.message ?? String(error);
};

/** Which wanted objects the remote already holds, by listing or by asking per object. */
export async function presentOnRemote(remote: DataRemote, oids: readonly string[]): Promise<Set<string>> {
  if (oids.length === 0) return new Set();
  if (remote.capabilities.existsIsRemoteCall && oids.length > LIST_ABOVE) {
    const all = await remote.list();
    return new Set(oids.filter((o) => all.has(o)));
  }
  return remote.has(oids);
}

/**
 * Upload objects the remote lacks. `dirs` maps each manifest to the file objects it lists; a
 * manifest goes up only after all of those are on the remote.
 */
export async function pushObjects(ctx: DataContext, remote: DataRemote, files: readonly string[], dirs: ReadonlyMap<string, readonly string[]>): Promise<TransferResult> {
  const wanted = [...new Set([...files, ...dirs.keys()])];
  const present = await presentOnRemote(remote, wanted);
  const failed: { oid: string; reason: string }[] = [];
  const failedSet = new Set<string>();
  const fail = (oid: string, reason: string): void => {
    failed.push({ oid, reason });
    failedSet.add(oid);
  };
  const toSend = [...new Set(files)].filter((o) => !present.has(o));
  const sending = new Set(toSend);
  const sizes = toSend.map((oid) => {
    try {
      return statSync(objectPath(ctx.repo.cacheDir, oid)).size;
    } catch {
      return -1;
    }
  });
  const task = ctx.progress.start(`Pushing to ${remote.name}`, { items: toSend.length, bytes: sizes.reduce((a, b) => a + Math.max(0, b), 0) });
  let transferred = 0;
  let bytes = 0;
  const send = async (oid: string, size: number): Promise<void> => {
    if (size < 0) return fail(oid, 'missing from the local cache');
    try {
      await withRetry(() => remote.upload(oid, objectPath(ctx.repo.cacheDir, oid), size));
      transferred++;
      bytes += size;
      task.advance(size, 1);
    } catch (error) {
      fail(oid, describe(error));
    }
  };
  if (remote.capabilities.localFiles) {
    // A folder remote: the worker threads copy in batches; what fails goes the retrying way below.
    const ready = toSend.filter((_, i) => (sizes[i] ?? -1) >= 0);
    const readySizes = sizes.filter((size) => size >= 0);
    const tasks = ready.map((oid) => ({ kind: 'copy' as const, src: objectPath(ctx.repo.cacheDir, oid), dst: remote.localPath(oid) }));
    const results = await ctx.copyPool.run(tasks, readySizes, (b, n) => task.advance(b, n));
    const retry = new Set(ready.filter((_, i) => !results[i]?.ok));
    transferred += ready.length - retry.size;
    bytes += results.reduce((sum, r) => sum + (r.ok ? r.size : 0), 0);
    await mapLimit(toSend, ctx.jobs, async (oid, i) => {
      if (retry.has(oid) || (sizes[i] ?? -1) < 0) await send(oid, sizes[i] ?? -1);
    });
  } else await mapLimit(toSend, ctx.jobs, (oid, i) => send(oid, sizes[i] ?? -1));
  for (const [dir, members] of dirs) {
    if (present.has(dir)) continue;
    const broken = members.filter((m) => failedSet.has(m) || (!present.has(m) && !sending.has(m)));
    if (broken.length > 0) fail(dir, `not pushed because ${broken.length} of its files failed`);
    else await send(dir, statSync(objectPath(ctx.repo.cacheDir, dir), { throwIfNoEntry: false })?.size ?? -1);
  }
  task.finish();
  return { transferred, bytes, skipped: wanted.filter((o) => present.has(o)).length, failed };
}

/** Download objects into the cache, verifying each by its hash; corrupted ones never enter it. */
export async function fetchObjects(ctx: DataContext, remote: DataRemote, oids: readonly string[]): Promise<TransferResult> {
  const unique = [...new Set(oids)];
  const wanted = unique.filter((o) => !hasObject(ctx.repo.cacheDir, o));
  const failed: { oid: string; reason: string }[] = [];
  const task = ctx.progress.start(`Fetching from ${remote.name}`, { items: wanted.length, bytes: 0 });
  let transferred = 0;
  let bytes = 0;
  const incoming = join(ctx.repo.tmpDir, 'cairn-incoming');
  mkdirSync(incoming, { recursive: true });
  const verify = async (oid: string, src: string, copy: boolean): Promise<number> => {
    const expect = oid.replace(/\.dir$/, '');
    const [r] = await ctx.pool.run([{ src, expect, ...(copy ? { cacheFiles: filesDir(ctx.repo.cacheDir), tmpDir: incoming } : {}) }], [0]);
    if (r === undefined || !r.ok) {
      const reason = r?.ok === false && r.reason === 'corrupted' ? `corrupted on remote '${remote.name}' (content hashes to ${r.md5}); not placed in the cache` : (r?.message ?? 'unknown error');
      throw new CairnError('INVALID_STATE', reason);
    }
    // A manifest is named '<md5>.dir'; the worker places files by bare hash, so move it by name.
    if (copy && oid.endsWith('.dir')) renameSync(objectPath(ctx.repo.cacheDir, expect), objectPath(ctx.repo.cacheDir, oid));
    return r.size;
  };
  const fetchOne = async (oid: string): Promise<void> => {
    try {
      let size: number;
      if (remote.capabilities.localFiles) {
        size = await withRetry(() => verify(oid, remote.localPath(oid), true));
      } else {
        size = await withRetry(async () => {
          const tmp = join(incoming, `${oid}.${randomBytes(6).toString('hex')}`);
          try {
            await remote.download(oid, tmp);
            const n = await verify(oid, tmp, false);
            chmodSync(tmp, 0o444);
            const final = objectPath(ctx.repo.cacheDir, oid);
            mkdirSync(dirname(final), { recursive: true });
            renameSync(tmp, final);
            return n;
          } finally {
            try {
              unlinkSync(tmp);
            } catch {
              // Moved into the cache, or never created.
            }
          }
        });
      }
      transferred++;
      bytes += size;
      task.advance(size, 1);
    } catch (error) {
      failed.push({ oid, reason: describe(error) });
    }
  };
  await mapLimit(wanted, ctx.jobs, fetchOne);
  task.finish();
  return { transferred, bytes, skipped: unique.length - wanted.length, failed };
}
