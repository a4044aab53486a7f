/**
 * `diff`: which tracked files were added, deleted, modified or renamed between two git revisions
 * (or a revision and the work tree), expanding directory outputs through their manifests.
 */
import { execFileSync } from 'node:child_process';
import { invalid } from '../../core/errors.js';
import { readCachedManifest } from '../cache.js';
import type { DataContext } from '../context.js';
import { hashOutput, scanOutput } from '../workspace.js';
import { outputsOf, workspaceOutputs, type TrackedOut } from './outputs.js';

/** The changes between two versions; paths are repository-relative, folders end in '/'. */
export interface DataDiff {
  readonly added: string[];
  readonly deleted: string[];
  readonly modified: string[];
  readonly renamed: { old: string; new: string }[];
  /** Folders whose manifest is not in the local cache, so their files could not be compared. */
  readonly notInCache: string[];
}

function git(root: string, args: readonly string[]): Buffer {
  try {
    return execFileSync('git', args, { cwd: root, maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw invalid(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/** The outputs recorded at a git revision. */
export function outputsAtRevision(ctx: DataContext, rev: string): TrackedOut[] {
  const names = git(ctx.repo.root, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', rev]).toString('utf8').split('\0');
  return names.filter((n) => n.endsWith('.dvc')).flatMap((n) => outputsOf(ctx.repo, n, git(ctx.repo.root, ['show', `${rev}:${n}`]).toString('utf8')));
}

type FileMap = Map<string, string>;

function expand(ctx: DataContext, outs: readonly TrackedOut[], notInCache: Set<string>): FileMap {
  const files: FileMap = new Map();
  for (const o of outs) {
    const md5 = o.out.md5;
    if (md5 === undefined) continue;
    if (!md5.endsWith('.dir')) {
      files.set(o.rel, md5);
      continue;
    }
    files.set(`${o.rel}/`, md5);
    const entries = readCachedManifest(ctx.repo.cacheDir, md5);
    if (entries === undefined) notInCache.add(`${o.rel}/`);
    else for (const e of entries) files.set(`${o.rel}/${e.relpath}`, e.md5);
  }
  return files;
}

/** The work tree's own content, hashed (through the hash cache), as a list of outputs. */
async function workspaceState(ctx: DataContext): Promise<FileMap> {
  const files: FileMap = new Map();
  for (const o of workspaceOutputs(ctx.repo)) {
    const scan = scanOutput(o.abs, ctx.repo.root);
    if (scan.kind === 'missing') continue;
    const hashed = await hashOutput(scan, { root: ctx.repo.root, state: ctx.state, pool: ctx.pool });
    if (scan.kind === 'file') files.set(o.rel, hashed.md5);
    else {
      files.set(`${o.rel}/`, hashed.md5);
      for (const e of hashed.manifest?.entries ?? []) files.set(`${o.rel}/${e.relpath}`, e.md5);
    }
  }
  return files;
}

/** Compare revision `a` with revision `b`, or with the work tree when `b` is undefined. */
export async function diffRevisions(ctx: DataContext, a: string, b: string | undefined): Promise<DataDiff> {
  const notInCache = new Set<string>();
  const before = expand(ctx, outputsAtRevision(ctx, a), notInCache);
  const after = b === undefined ? await workspaceState(ctx) : expand(ctx, outputsAtRevision(ctx, b), notInCache);
  const added = [...after.keys()].filter((p) => !before.has(p));
  const deleted = [...before.keys()].filter((p) => !after.has(p));
  const modified = [...after.keys()].filter((p) => before.has(p) && before.get(p) !== after.get(p));
  // A rename is a deleted file whose exact content reappears as an added file (DVC's rule).
  const renamed: { old: string; new: string }[] = [];
  const addedByHash = new Map<string, string[]>();
  for (const p of added) if (!p.endsWith('/')) addedByHash.set(after.get(p) as string, [...(addedByHash.get(after.get(p) as string) ?? []), p]);
  const renamedNew = new Set<string>();
  const stillDeleted = deleted.filter((p) => {
    const candidates = p.endsWith('/') ? undefined : addedByHash.get(before.get(p) as string);
    const target = candidates?.shift();
    if (target === undefined) return true;
    renamed.push({ old: p, new: target });
    renamedNew.add(target);
    return false;
  });
  const sort = (xs: string[]): string[] => xs.sort();
  return {
    added: sort(added.filter((p) => !renamedNew.has(p))),
    deleted: sort(stillDeleted),
    modified: sort(modified),
    renamed: renamed.sort((x, y) => (x.new < y.new ? -1 : 1)),
    notInCache: sort([...notInCache]),
  };
}
