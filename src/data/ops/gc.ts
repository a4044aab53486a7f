/**
 * `gc`: delete cache objects (and, with `cloud`, remote objects) that no pointer file in the
 * chosen scope refers to. Refuses to run when a referenced manifest is missing, because then it
 * cannot know which files that folder still needs.
 */
import { CairnError } from '../../core/errors.js';
import { listCachedObjects, readCachedManifest, removeObject } from '../cache.js';
import type { DataContext } from '../context.js';
import { openRemote } from '../remote/index.js';
import { chooseRemote } from '../repo.js';
import { outputsAtRevision } from './diff.js';
import { workspaceOutputs, type TrackedOut } from './outputs.js';
import { execFileSync } from 'node:child_process';

export interface GcOptions {
  /** Also keep what every commit of every branch and tag refers to. */
  readonly allCommits?: boolean;
  /** Also delete unreferenced objects from a remote. */
  readonly cloud?: boolean;
  readonly remote?: string;
  /** Only report what would be deleted. */
  readonly dryRun?: boolean;
}

export interface GcResult {
  readonly kept: number;
  readonly removedLocal: number;
  readonly removedRemote: number;
}

function referenced(ctx: DataContext, outs: readonly TrackedOut[]): Set<string> {
  const used = new Set<string>();
  for (const o of outs) {
    const md5 = o.out.md5;
    if (md5 === undefined) continue;
    used.add(md5);
    if (!md5.endsWith('.dir')) continue;
    const entries = readCachedManifest(ctx.repo.cacheDir, md5);
    if (entries === undefined) throw new CairnError('INVALID_STATE', `the manifest of ${o.rel} (${md5}) is not in the cache, so gc cannot tell which files it needs; run 'cairn data fetch' first`);
    for (const e of entries) used.add(e.md5);
  }
  return used;
}

/** Remove unreferenced objects. */
export async function collectGarbage(ctx: DataContext, options: GcOptions): Promise<GcResult> {
  const outs = [...workspaceOutputs(ctx.repo)];
  if (options.allCommits) {
    const revs = execFileSync('git', ['rev-list', '--all'], { cwd: ctx.repo.root, maxBuffer: 256 * 1024 * 1024 }).toString().split('\n').filter(Boolean);
    for (const rev of revs) outs.push(...outputsAtRevision(ctx, rev));
  }
  const used = referenced(ctx, outs);
  const unused = listCachedObjects(ctx.repo.cacheDir).filter((oid) => !used.has(oid));
  if (!options.dryRun) for (const oid of unused) removeObject(ctx.repo.cacheDir, oid);
  let removedRemote = 0;
  if (options.cloud) {
    const remote = await openRemote(ctx.repo, chooseRemote(ctx.repo, options.remote));
    try {
      const stale = [...(await remote.list())].filter((oid) => !used.has(oid));
      if (!options.dryRun) await remote.remove(stale);
      removedRemote = stale.length;
    } finally {
      await remote.close();
    }
  }
  return { kept: used.size, removedLocal: unused.length, removedRemote };
}
