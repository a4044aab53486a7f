/** `ls`: the tracked outputs, or the files of one tracked folder, with sizes and cache presence. */
import { hasObject, readCachedManifest } from '../cache.js';
import type { DataContext } from '../context.js';
import { selectOutputs } from './outputs.js';

export interface ListedEntry {
  readonly path: string;
  readonly md5: string | undefined;
  readonly isDir: boolean;
  readonly size: number | undefined;
  readonly nfiles: number | undefined;
  readonly inCache: boolean;
}

/** List outputs; with `files`, list each folder output's files instead of the folder. */
export function listTracked(ctx: DataContext, targets: readonly string[], options: { files?: boolean } = {}): ListedEntry[] {
  const entries: ListedEntry[] = [];
  for (const o of selectOutputs(ctx.repo, ctx.cwd, targets)) {
    const md5 = o.out.md5;
    const isDir = md5?.endsWith('.dir') ?? false;
    if (!options.files || !isDir || md5 === undefined) {
      entries.push({ path: o.rel, md5, isDir, size: o.out.size, nfiles: o.out.nfiles, inCache: md5 !== undefined && hasObject(ctx.repo.cacheDir, md5) });
      continue;
    }
    const manifest = readCachedManifest(ctx.repo.cacheDir, md5);
    if (manifest === undefined) {
      entries.push({ path: `${o.rel}/`, md5, isDir, size: o.out.size, nfiles: o.out.nfiles, inCache: false });
      continue;
    }
    for (const e of manifest) entries.push({ path: `${o.rel}/${e.relpath}`, md5: e.md5, isDir: false, size: undefined, nfiles: undefined, inCache: hasObject(ctx.repo.cacheDir, e.md5) });
  }
  return entries;
}
