/**
 * `add`: hash files and folders, copy their content into the cache in the same read, write a
 * DVC 3 pointer file beside each and ignore the data in git. Every target is checked and hashed
 * before any pointer file is written, so a failure leaves the pointers as they were.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { invalid, notFound } from '../../core/errors.js';
import { filesDir, hasObject, writeObjectBytes } from '../cache.js';
import type { DataContext } from '../context.js';
import { parseDvcFile, serializeDvcFile, type DvcOut } from '../format/dvcfile.js';
import { ignoreInGit, repoRelative } from '../repo.js';
import { hashOutput, scanOutput, type HashedOutput } from '../workspace.js';
import { workspaceOutputs } from './outputs.js';

/** What `add` did for one target. */
export interface AddedOutput {
  readonly path: string;
  readonly dvcFile: string;
  readonly md5: string;
  readonly size: number;
  readonly nfiles: number | undefined;
}

function checkTarget(ctx: DataContext, target: string, tracked: readonly string[]): string {
  const abs = resolve(ctx.cwd, target.replace(/[\\/]+$/, ''));
  const rel = repoRelative(ctx.repo, abs);
  if (rel === '') throw invalid('cannot track the whole repository; add a file or folder inside it');
  const first = rel.split('/')[0];
  if (first === '.dvc' || first === '.git' || rel.split('/').includes('.git')) throw invalid(`${target} is inside ${first}/, which cannot be tracked`);
  if (abs.endsWith('.dvc')) throw invalid(`${target} is a pointer file; add the data it points to instead`);
  if (!existsSync(abs)) throw notFound(`${target} does not exist`);
  const inside = tracked.find((t) => rel.startsWith(`${t}/`));
  if (inside !== undefined) throw invalid(`${target} is inside the tracked folder ${inside}; run 'cairn data add ${inside}' instead`);
  const contains = tracked.find((t) => t.startsWith(`${rel}/`));
  if (contains !== undefined) throw invalid(`${target} contains the tracked output ${contains}; remove ${contains}.dvc first`);
  return abs;
}

/** Make sure every object of a hashed output is in the cache (state hits may not be). */
async function completeCache(ctx: DataContext, hashed: HashedOutput): Promise<void> {
  const missing = hashed.files.map((f, i) => ({ f, md5: hashed.md5s[i] as string })).filter(({ md5 }) => !hasObject(ctx.repo.cacheDir, md5));
  const results = await ctx.pool.run(
    missing.map(({ f, md5 }) => ({ src: f.abs, seen: f, expect: md5, cacheFiles: filesDir(ctx.repo.cacheDir), tmpDir: ctx.repo.tmpDir })),
    missing.map(({ f }) => f.size),
  );
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) throw invalid(`${failed.reason === 'corrupted' ? 'a file changed after it was hashed: ' : ''}${failed.message}; nothing was changed`);
  if (hashed.manifest) writeObjectBytes(ctx.repo.cacheDir, hashed.md5, hashed.manifest.bytes);
}

/** The pointer file for an output, keeping the fields cairn does not set from an existing one. */
function pointerText(pointer: string, name: string, hashed: HashedOutput): string {
  let extra: DvcOut['extra'] = {};
  let fileExtra = {};
  if (existsSync(pointer)) {
    const old = parseDvcFile(readFileSync(pointer, 'utf8'), pointer);
    const same = old.outs.length === 1 ? old.outs[0] : undefined;
    if (same !== undefined && same.path === name) {
      extra = same.extra;
      fileExtra = old.extra;
    }
  }
  const out: DvcOut = { path: name, md5: hashed.md5, size: hashed.size, nfiles: hashed.nfiles, isexec: hashed.isexec, extra };
  return serializeDvcFile({ outs: [out], wdir: undefined, extra: fileExtra });
}

/** Track files or folders. */
export async function addTargets(ctx: DataContext, targets: readonly string[]): Promise<AddedOutput[]> {
  if (targets.length === 0) throw invalid('nothing to add: give one or more files or folders');
  const tracked = workspaceOutputs(ctx.repo).map((t) => t.rel);
  const abses = targets.map((t) => checkTarget(ctx, t, tracked));
  const scans = abses.map((abs) => {
    const scan = scanOutput(abs, ctx.repo.root);
    if (scan.kind === 'missing') throw notFound(`${abs} does not exist`);
    return scan;
  });
  const all = scans.flatMap((s) => (s.kind === 'file' ? [s.file] : s.files));
  const task = ctx.progress.start('Hashing', { items: all.length, bytes: all.reduce((n, f) => n + f.size, 0) });
  const hashed: HashedOutput[] = [];
  try {
    for (const scan of scans) {
      hashed.push(await hashOutput(scan, { root: ctx.repo.root, state: ctx.state, pool: ctx.pool, cacheFiles: filesDir(ctx.repo.cacheDir), tmpDir: ctx.repo.tmpDir, onProgress: (b, n) => task.advance(b, n) }));
    }
  } finally {
    task.finish();
  }
  for (const h of hashed) await completeCache(ctx, h);
  return abses.map((abs, i) => {
    const h = hashed[i] as HashedOutput;
    const pointer = `${abs}.dvc`;
    writeFileSync(pointer, pointerText(pointer, basename(abs), h));
    ignoreInGit(abs);
    return { path: repoRelative(ctx.repo, abs), dvcFile: repoRelative(ctx.repo, pointer), md5: h.md5, size: h.size, nfiles: h.nfiles };
  });
}
