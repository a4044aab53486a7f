/**
 * Finding tracked outputs: the `.dvc` pointer files of the work tree (or of a git revision),
 * and which output each command-line target means.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { invalid, notFound } from '../../core/errors.js';
import { parseDvcFile, type DvcFile, type DvcOut } from '../format/dvcfile.js';
import type { DataRepo } from '../repo.js';

/** One output of one pointer file. */
export interface TrackedOut {
  /** Pointer file, relative to the repository root ('/'-separated). */
  readonly dvcRel: string;
  readonly file: DvcFile;
  readonly out: DvcOut;
  /** Output path relative to the root ('/'-separated) and absolute. */
  readonly rel: string;
  readonly abs: string;
}

const SKIP = new Set(['.git', '.dvc', '.hg', 'node_modules']);

/** Pointer files from git (fast, respects .gitignore) or, outside git, by walking the tree. */
function listDvcFiles(root: string): string[] {
  if (existsSync(join(root, '.git'))) {
    try {
      const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '*.dvc'], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
      const files = out.toString('utf8').split('\0').filter((f) => f !== '' && existsSync(join(root, f)));
      return [...new Set(files)].sort();
    } catch {
      // git missing or broken: fall back to walking.
    }
  }
  const found: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), rel);
      else if (entry.name.endsWith('.dvc')) found.push(rel);
    }
  };
  walk(root, '');
  return found.sort();
}

/** The outputs of one pointer file's text. */
export function outputsOf(repo: DataRepo, dvcRel: string, text: string): TrackedOut[] {
  const file = parseDvcFile(text, dvcRel);
  const base = join(repo.root, dirname(dvcRel), file.wdir ?? '.');
  return file.outs.map((out) => {
    const abs = resolve(base, out.path);
    const rel = abs.slice(repo.root.length + 1).split(sep).join('/');
    if (!abs.startsWith(repo.root + sep)) throw invalid(`${dvcRel}: output '${out.path}' is outside the repository`);
    return { dvcRel, file, out, rel, abs };
  });
}

/** Every tracked output in the work tree. */
export function workspaceOutputs(repo: DataRepo): TrackedOut[] {
  return listDvcFiles(repo.root).flatMap((rel) => outputsOf(repo, rel, readFileSync(join(repo.root, rel), 'utf8')));
}

/** The pointer file a target names: `x.dvc` itself, or the `x.dvc` beside output `x`. */
export function pointerForTarget(cwd: string, target: string): string {
  const abs = resolve(cwd, target.replace(/[\\/]+$/, ''));
  if (abs.endsWith('.dvc') && existsSync(abs) && statSync(abs).isFile()) return abs;
  if (existsSync(`${abs}.dvc`)) return `${abs}.dvc`;
  throw notFound(`'${target}' is not tracked (no ${target.replace(/[\\/]+$/, '')}.dvc)`);
}

/** The outputs named by targets, or every output when there are none. */
export function selectOutputs(repo: DataRepo, cwd: string, targets: readonly string[]): TrackedOut[] {
  if (targets.length === 0) return workspaceOutputs(repo);
  return targets.flatMap((t) => {
    const pointer = pointerForTarget(cwd, t);
    const rel = pointer.slice(repo.root.length + 1).split(sep).join('/');
    return outputsOf(repo, rel, readFileSync(pointer, 'utf8'));
  });
}
