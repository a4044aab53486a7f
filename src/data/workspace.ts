/**
 * Reading the work tree: list an output's files with their stat (synchronous calls, which are
 * the fastest way to stat 100,000 files), and hash them through the hash cache and the worker
 * pool. Symlinks are followed only when they stay inside the repository.
 */
import { DvcIgnore } from './dvcignore.js';
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { relative, isAbsolute, sep } from 'node:path';
import { CairnError, invalid, notFound } from '../core/errors.js';
import { manifestOid, serializeManifest, sortByCodePoints, type ManifestEntry } from './format/dir-manifest.js';
import type { SeenStat } from './hashing/jobs.js';
import type { HashPool, WorkProgress } from './hashing/pool.js';
import type { HashState } from './hashing/state.js';

/** One file found in the work tree. */
export interface WorkFile extends SeenStat {
  readonly abs: string;
  /** Path inside the output ('' for a single-file output), '/'-separated. */
  readonly rel: string;
  readonly isexec: boolean;
}

/** What is at an output's path. */
export type Scan =
  | { readonly kind: 'missing' }
  | { readonly kind: 'file'; readonly file: WorkFile }
  | { readonly kind: 'dir'; readonly files: readonly WorkFile[] };

/** An output's content identity, as written into its pointer file. */
export interface HashedOutput {
  readonly md5: string;
  readonly size: number;
  readonly nfiles: number | undefined;
  readonly isexec: boolean;
  /** For directories: the manifest (sorted) and its bytes. */
  readonly manifest?: { readonly entries: readonly ManifestEntry[]; readonly bytes: Buffer };
  readonly files: readonly WorkFile[];
  readonly md5s: readonly string[];
}

// DVC's default ignore list (dvc/ignore.py): version-control and DVC folders are never data.
const ALWAYS_IGNORED = new Set(['.git', '.hg', '.dvc']);

function ioError(error: unknown, path: string, doing: string): CairnError {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return new CairnError('PERMISSION_DENIED', `permission denied ${doing} ${path}`);
  if (e?.code === 'ENOENT') return notFound(`${path} does not exist`);
  return new CairnError('INTERNAL_ERROR', `${doing} ${path}: ${e instanceof Error ? e.message : String(e)}`);
}

const isExec = (st: Stats): boolean => (st.mode & 0o111) !== 0;

/** For a symlink: the target's stat, or an error when it leaves the repository or is a folder. */
function followLink(abs: string, root: string): Stats {
  let target: string;
  try {
    target = realpathSync(abs);
  } catch (error) {
    throw invalid(`${abs} is a broken symlink (${(error as Error).message})`);
  }
  const rel = relative(realpathSync(root), target);
  if (rel.startsWith('..') || isAbsolute(rel)) throw invalid(`${abs} is a symlink to ${target}, outside the repository; copy the data into the repository instead`);
  const st = statSync(target);
  if (st.isDirectory()) throw invalid(`${abs} is a symlink to a folder; cairn data does not follow folder symlinks`);
  return st;
}

function toWorkFile(abs: string, rel: string, st: Stats): WorkFile {
  if (!st.isFile()) throw invalid(`${abs} is not a regular file (socket, device or pipe)`);
  return { abs, rel, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, isexec: isExec(st) };
}

function walk(dir: string, prefix: string, root: string, out: WorkFile[], rules: DvcIgnore, base: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw ioError(error, dir, 'reading folder');
  }
  // In manifest order (a folder sorts as its name plus '/'), so the files come out sorted by
  // path and the manifest's own sort has nothing left to do.
  entries = sortByCodePoints(entries, (e) => (e.isDirectory() ? `${e.name}/` : e.name));
  const folder = base === '' ? prefix : prefix === '' ? base : `${base}/${prefix}`;
  const filtered = rules.appliesIn(folder);
  for (const entry of entries) {
    if (ALWAYS_IGNORED.has(entry.name)) continue;
    // String concatenation, not path.join: join normalises every path, a cost paid per file.
    const abs = `${dir}${sep}${entry.name}`;
    // As DVC: ignore rules may not live inside the data they would filter.
    if (entry.name === '.dvcignore') throw invalid(`.dvcignore file should not be in collected dir path: '${dir}'`);
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (filtered && rules.ignores(base === '' ? rel : `${base}/${rel}`, entry.isDirectory())) continue;
    if (entry.isDirectory()) walk(abs, rel, root, out, rules, base);
    else if (entry.isSymbolicLink()) out.push(toWorkFile(abs, rel, followLink(abs, root)));
    else {
      let st: Stats;
      try {
        st = statSync(abs);
      } catch (error) {
        throw ioError(error, abs, 'reading');
      }
      out.push(toWorkFile(abs, rel, st));
    }
  }
}

/** List what is at an output path. */
export function scanOutput(abs: string, root: string): Scan {
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw ioError(error, abs, 'reading');
  }
  if (st.isSymbolicLink()) st = followLink(abs, root);
  if (st.isDirectory()) {
    const files: WorkFile[] = [];
    // .dvcignore rules are relative to the repository root and the folders below it.
    walk(abs, '', root, files, new DvcIgnore(root), relative(root, abs).split(sep).join('/'));
    return { kind: 'dir', files };
  }
  return { kind: 'file', file: toWorkFile(abs, '', st) };
}

/** Where the hash cache keys a work file: its path from the repository root. */
export const stateKey = (root: string, abs: string): string =>
  // Work files are found by walking down from the root, so a prefix cut is the relative path.
  abs.length > root.length && abs.startsWith(root) && abs[root.length] === sep ? abs.slice(root.length + 1) : relative(root, abs);

/**
 * MD5 every file (hash cache first, workers for the rest), recording new hashes. With
 * `cacheFiles` the misses are also copied into the cache in the same read.
 */
export async function hashWorkFiles(
  files: readonly WorkFile[],
  ctx: { root: string; state: HashState; pool: HashPool; cacheFiles?: string; tmpDir?: string; onProgress?: WorkProgress },
): Promise<string[]> {
  const md5s = new Array<string>(files.length);
  const misses: number[] = [];
  let knownBytes = 0;
  files.forEach((f, i) => {
    const known = ctx.state.lookup(stateKey(ctx.root, f.abs), f);
    if (known === undefined) misses.push(i);
    else {
      md5s[i] = known;
      knownBytes += f.size;
    }
  });
  ctx.onProgress?.(knownBytes, files.length - misses.length);
  const tasks = misses.map((i) => {
    const f = files[i] as WorkFile;
    return { src: f.abs, seen: { size: f.size, mtimeMs: f.mtimeMs, ino: f.ino }, ...(ctx.cacheFiles ? { cacheFiles: ctx.cacheFiles, tmpDir: ctx.tmpDir } : {}) };
  });
  const results = await ctx.pool.run(tasks, misses.map((i) => files[i]?.size ?? 0), ctx.onProgress);
  const failures: string[] = [];
  results.forEach((r, j) => {
    const i = misses[j] as number;
    const f = files[i] as WorkFile;
    if (!r.ok) failures.push(r.message);
    else {
      md5s[i] = r.md5;
      ctx.state.record(stateKey(ctx.root, f.abs), f, r.md5);
    }
  });
  ctx.state.flush();
  if (failures.length > 0) {
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    throw new CairnError('INVALID_STATE', `${failures[0]}${more}; nothing was changed`);
  }
  return md5s;
}

/** Hash an output: a file's MD5, or a directory's manifest and `.dir` id. */
export async function hashOutput(scan: Exclude<Scan, { kind: 'missing' }>, ctx: Parameters<typeof hashWorkFiles>[1]): Promise<HashedOutput> {
  if (scan.kind === 'file') {
    const [md5] = await hashWorkFiles([scan.file], ctx);
    return { md5: md5 as string, size: scan.file.size, nfiles: undefined, isexec: scan.file.isexec, files: [scan.file], md5s: [md5 as string] };
  }
  const md5s = await hashWorkFiles(scan.files, ctx);
  const entries = scan.files.map((f, i) => ({ md5: md5s[i] as string, relpath: f.rel }));
  const bytes = serializeManifest(entries);
  const size = scan.files.reduce((sum, f) => sum + f.size, 0);
  return { md5: manifestOid(bytes), size, nfiles: scan.files.length, isexec: false, manifest: { entries, bytes }, files: scan.files, md5s };
}
