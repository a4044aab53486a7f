/**
 * `checkout`: make the work tree match the pointer files, copying from the cache. Every object is
 * verified by its hash on the way (a corrupted cache object is deleted and never reaches the work
 * tree), and work-tree content that exists nowhere else is not overwritten without `force`.
 */
import { mkdirSync, readdirSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CairnError } from '../../core/errors.js';
import { hasObject, objectPath, readCachedManifest, removeObject } from '../cache.js';
import type { DataContext } from '../context.js';
import type { FileTask } from '../hashing/jobs.js';
import { hashWorkFiles, scanOutput, stateKey, type WorkFile } from '../workspace.js';
import { selectOutputs, type TrackedOut } from './outputs.js';

/** What checkout did. */
export interface CheckoutResult {
  readonly restored: number;
  readonly removed: number;
  readonly unchanged: number;
  /** Outputs that could not be checked out, with the reason. */
  readonly failed: readonly { readonly path: string; readonly reason: string }[];
}

interface Plan {
  readonly out: TrackedOut;
  readonly copies: { rel: string; md5: string; dst: string; isexec: boolean; size: number }[];
  readonly deletes: string[];
  /** The output path holds a file where a folder belongs, or the other way round. */
  readonly clearFirst: boolean;
  unchanged: number;
}

/** Work out what one output needs, refusing to drop content the cache does not hold. */
async function planOutput(ctx: DataContext, o: TrackedOut, force: boolean): Promise<Plan> {
  const md5 = o.out.md5 as string;
  const isDir = md5.endsWith('.dir');
  const wanted = new Map<string, { md5: string; isexec: boolean }>();
  if (isDir) {
    const entries = readCachedManifest(ctx.repo.cacheDir, md5);
    if (entries === undefined) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `${o.rel}: directory manifest ${md5} is not in the cache; run 'cairn data pull' or 'cairn data fetch'`);
    for (const e of entries) wanted.set(e.relpath, { md5: e.md5, isexec: false });
  } else wanted.set('', { md5, isexec: o.out.isexec });
  const scan = scanOutput(o.abs, ctx.repo.root);
  const present: WorkFile[] = scan.kind === 'dir' ? [...scan.files] : scan.kind === 'file' ? [scan.file] : [];
  const clearFirst = (scan.kind === 'dir' && !isDir) || (scan.kind === 'file' && isDir);
  const md5s = await hashWorkFiles(present, { root: ctx.repo.root, state: ctx.state, pool: ctx.pool });
  const plan: Plan = { out: o, copies: [], deletes: [], clearFirst, unchanged: 0 };
  const unsafe: string[] = [];
  present.forEach((f, i) => {
    const have = md5s[i] as string;
    const want = clearFirst ? undefined : wanted.get(f.rel);
    if (want?.md5 === have) {
      plan.unchanged++;
      wanted.delete(f.rel);
      return;
    }
    if (!force && !hasObject(ctx.repo.cacheDir, have)) unsafe.push(f.rel === '' ? o.rel : `${o.rel}/${f.rel}`);
    if (want === undefined) plan.deletes.push(f.abs);
  });
  if (unsafe.length > 0) {
    throw new CairnError('INVALID_STATE', `checkout would overwrite or delete changes that are not in the cache: ${unsafe.slice(0, 5).join(', ')}${unsafe.length > 5 ? ` and ${unsafe.length - 5} more` : ''}; add them first, or use --force`);
  }
  for (const [rel, want] of wanted) {
    plan.copies.push({ rel, md5: want.md5, dst: rel === '' ? o.abs : join(o.abs, ...rel.split('/')), isexec: want.isexec, size: 0 });
  }
  return plan;
}

function removeEmptyFolders(dir: string, stop: string): void {
  for (let d = dir; d.startsWith(stop) && d !== stop; d = dirname(d)) {
    try {
      if (readdirSync(d).length > 0) return;
      rmdirSync(d);
    } catch {
      return;
    }
  }
}

/** Check out the outputs named by targets (all when none). */
export async function checkoutTargets(ctx: DataContext, targets: readonly string[], options: { force?: boolean } = {}): Promise<CheckoutResult> {
  const outs = selectOutputs(ctx.repo, ctx.cwd, targets).filter((o) => o.out.md5 !== undefined);
  const failed: { path: string; reason: string }[] = [];
  const plans: Plan[] = [];
  for (const o of outs) {
    try {
      plans.push(await planOutput(ctx, o, options.force === true));
    } catch (error) {
      failed.push({ path: o.rel, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  let removed = 0;
  const copies = plans.flatMap((p) => p.copies.map((c) => ({ ...c, plan: p })));
  const missing = copies.filter((c) => !hasObject(ctx.repo.cacheDir, c.md5));
  for (const m of missing) failed.push({ path: m.rel ? `${m.plan.out.rel}/${m.rel}` : m.plan.out.rel, reason: `object ${m.md5} is not in the cache; run 'cairn data pull'` });
  const ready = copies.filter((c) => hasObject(ctx.repo.cacheDir, c.md5));
  for (const p of plans) {
    if (p.clearFirst) rmSync(p.out.abs, { recursive: true, force: true });
    // An empty tracked folder has no files to copy, but must still exist.
    if (p.out.out.md5?.endsWith('.dir')) mkdirSync(p.out.abs, { recursive: true });
    for (const file of p.deletes) {
      if (p.clearFirst) break;
      unlinkSync(file);
      removed++;
      removeEmptyFolders(dirname(file), p.out.abs);
    }
  }
  const task = ctx.progress.start('Checking out', { items: ready.length, bytes: 0 });
  const tasks: FileTask[] = ready.map((c) => ({ src: objectPath(ctx.repo.cacheDir, c.md5), expect: c.md5, dst: c.dst, mode: c.isexec ? 0o755 : 0o644 }));
  const results = await ctx.pool.run(tasks, ready.map(() => 0), (b, n) => task.advance(b, n)).finally(() => task.finish());
  let restored = 0;
  results.forEach((r, i) => {
    const c = ready[i];
    if (c === undefined) return;
    const shown = c.rel ? `${c.plan.out.rel}/${c.rel}` : c.plan.out.rel;
    if (r.ok) {
      restored++;
      return;
    }
    if (r.reason === 'corrupted') {
      removeObject(ctx.repo.cacheDir, c.md5);
      failed.push({ path: shown, reason: `cache object ${c.md5} was corrupted (its content hashes to ${r.md5}); it was removed from the cache and the file was not written; run 'cairn data pull' to fetch it again` });
    } else failed.push({ path: shown, reason: r.message });
  });
  // Record the new files' hashes so the next status does not read them again.
  const written = new Map<string, string>();
  results.forEach((r, i) => {
    const c = ready[i];
    if (r.ok && c !== undefined) written.set(c.dst, c.md5);
  });
  for (const p of plans) {
    const scan = scanOutput(p.out.abs, ctx.repo.root);
    const files = scan.kind === 'dir' ? scan.files : scan.kind === 'file' ? [scan.file] : [];
    for (const f of files) {
      const md5 = written.get(f.abs);
      if (md5 !== undefined) ctx.state.record(stateKey(ctx.repo.root, f.abs), f, md5);
    }
  }
  ctx.state.flush();
  const unchanged = plans.reduce((n, p) => n + p.unchanged, 0);
  return { restored, removed, unchanged, failed };
}
