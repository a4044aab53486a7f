/** `push`, `fetch` and `pull`: which objects the chosen outputs need, and moving them. */
import { hasObject, readCachedManifest } from '../cache.js';
import type { DataContext } from '../context.js';
import { openRemote } from '../remote/index.js';
import { chooseRemote } from '../repo.js';
import { checkoutTargets, type CheckoutResult } from './checkout.js';
import { selectOutputs, type TrackedOut } from './outputs.js';
import { fetchObjects, pushObjects, type TransferResult } from './transfer.js';

/** Push the committed versions of the outputs (all when no targets) to a remote. */
export async function pushTargets(ctx: DataContext, targets: readonly string[], remoteName?: string): Promise<TransferResult> {
  const outs = selectOutputs(ctx.repo, ctx.cwd, targets);
  const files: string[] = [];
  const dirs = new Map<string, string[]>();
  const missing: { oid: string; reason: string }[] = [];
  for (const o of committed(outs)) {
    const md5 = o.out.md5 as string;
    if (!md5.endsWith('.dir')) {
      files.push(md5);
      continue;
    }
    const entries = readCachedManifest(ctx.repo.cacheDir, md5);
    if (entries === undefined) {
      missing.push({ oid: md5, reason: `manifest of ${o.rel} is not in the local cache` });
      continue;
    }
    const members = [...new Set(entries.map((e) => e.md5))];
    files.push(...members);
    dirs.set(md5, members);
  }
  const remote = await openRemote(ctx.repo, chooseRemote(ctx.repo, remoteName));
  try {
    const result = await pushObjects(ctx, remote, files, dirs);
    return { ...result, failed: [...missing, ...result.failed] };
  } finally {
    await remote.close();
  }
}

const committed = (outs: readonly TrackedOut[]): TrackedOut[] => outs.filter((o) => o.out.md5 !== undefined && o.out.extra['cache'] !== false);

/** Download the committed versions of the outputs into the cache; manifests first, then their files. */
export async function fetchTargets(ctx: DataContext, targets: readonly string[], remoteName?: string): Promise<TransferResult> {
  const outs = committed(selectOutputs(ctx.repo, ctx.cwd, targets));
  const remote = await openRemote(ctx.repo, chooseRemote(ctx.repo, remoteName));
  try {
    const manifests = outs.map((o) => o.out.md5 as string).filter((m) => m.endsWith('.dir'));
    const first = await fetchObjects(ctx, remote, manifests);
    const files: string[] = outs.map((o) => o.out.md5 as string).filter((m) => !m.endsWith('.dir'));
    for (const m of manifests) {
      if (!hasObject(ctx.repo.cacheDir, m)) continue;
      const entries = readCachedManifest(ctx.repo.cacheDir, m);
      if (entries) files.push(...entries.map((e) => e.md5));
    }
    const second = await fetchObjects(ctx, remote, files);
    return {
      transferred: first.transferred + second.transferred,
      bytes: first.bytes + second.bytes,
      skipped: first.skipped + second.skipped,
      failed: [...first.failed, ...second.failed],
    };
  } finally {
    await remote.close();
  }
}

/** Fetch, then check out; what failed to arrive is reported by both results. */
export async function pullTargets(ctx: DataContext, targets: readonly string[], options: { remote?: string; force?: boolean }): Promise<{ fetch: TransferResult; checkout: CheckoutResult }> {
  const fetch = await fetchTargets(ctx, targets, options.remote);
  const checkout = await checkoutTargets(ctx, targets, { force: options.force === true });
  return { fetch, checkout };
}
