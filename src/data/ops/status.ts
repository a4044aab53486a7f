/**
 * `status`: compare each tracked output in the work tree with its pointer file (through the hash
 * cache, so an unchanged tree is only stat-ed), and optionally with a remote.
 */
import { hasObject, readCachedManifest } from '../cache.js';
import type { DataContext } from '../context.js';
import { openRemote } from '../remote/index.js';
import { hashOutput, scanOutput } from '../workspace.js';
import { selectOutputs, type TrackedOut } from './outputs.js';

/** How one output differs, if it does. */
export type OutputState = 'unchanged' | 'modified' | 'deleted' | 'not committed';

export interface OutputStatus {
  readonly path: string;
  readonly dvcFile: string;
  readonly state: OutputState;
  /** False when the committed version's object is missing from the local cache. */
  readonly inCache: boolean;
  /** With a remote: how many of the committed objects the remote lacks (undefined when unknown). */
  readonly missingOnRemote?: number;
}

/** Every object a committed output needs, or undefined when its manifest is not in the cache. */
export function objectsOf(ctx: DataContext, out: TrackedOut): string[] | undefined {
  const md5 = out.out.md5;
  if (md5 === undefined) return [];
  if (!md5.endsWith('.dir')) return [md5];
  const entries = readCachedManifest(ctx.repo.cacheDir, md5);
  return entries === undefined ? undefined : [md5, ...new Set(entries.map((e) => e.md5))];
}

/** The status of the outputs named by targets (all when none). */
export async function statusOf(ctx: DataContext, targets: readonly string[], options: { remote?: string } = {}): Promise<OutputStatus[]> {
  const outs = selectOutputs(ctx.repo, ctx.cwd, targets);
  const scans = outs.map((o) => scanOutput(o.abs, ctx.repo.root));
  const files = scans.reduce((n, s) => n + (s.kind === 'dir' ? s.files.length : s.kind === 'file' ? 1 : 0), 0);
  const task = ctx.progress.start('Checking', { items: files, bytes: 0 });
  const results: OutputStatus[] = [];
  try {
    for (const [i, o] of outs.entries()) {
      const scan = scans[i];
      const base = { path: o.rel, dvcFile: o.dvcRel, inCache: o.out.md5 !== undefined && hasObject(ctx.repo.cacheDir, o.out.md5) };
      if (o.out.md5 === undefined) results.push({ ...base, state: 'not committed' });
      else if (scan === undefined || scan.kind === 'missing') results.push({ ...base, state: 'deleted' });
      else {
        const hashed = await hashOutput(scan, { root: ctx.repo.root, state: ctx.state, pool: ctx.pool, onProgress: (_b, n) => task.advance(0, n) });
        results.push({ ...base, state: hashed.md5 === o.out.md5 ? 'unchanged' : 'modified' });
      }
    }
  } finally {
    task.finish();
  }
  if (options.remote === undefined) return results;
  const remote = await openRemote(ctx.repo, options.remote);
  try {
    return await Promise.all(
      results.map(async (r, i) => {
        const objects = objectsOf(ctx, outs[i] as TrackedOut);
        if (objects === undefined) return r;
        const present = await remote.has(objects);
        return { ...r, missingOnRemote: objects.length - present.size };
      }),
    );
  } finally {
    await remote.close();
  }
}
