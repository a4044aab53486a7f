/** Helpers for the data tests: temporary git repositories, real DVC, and the cairn CLI. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real DVC from PyPI in the repository's venv, or undefined when it is not installed. */
export const DVC = ((): string | undefined => {
  const path = fileURLToPath(new URL('../../.venv/bin/dvc', import.meta.url));
  return existsSync(path) ? path : undefined;
})();

/** The venv's Python (with ruamel.yaml, which DVC depends on). */
export const PYTHON = ((): string | undefined => {
  const path = fileURLToPath(new URL('../../.venv/bin/python', import.meta.url));
  return existsSync(path) ? path : undefined;
})();

export const SKIP_NO_DVC = DVC === undefined ? 'real DVC is not installed in .venv (pip install -r tests/requirements.txt)' : false;

const CAIRN = fileURLToPath(new URL('../../bin/cairn', import.meta.url));

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `cairn-data-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** A new git repository in a new temporary folder. */
export function gitRepo(prefix: string): { path: string; remove: () => void } {
  const dir = tempDir(prefix);
  git(dir.path, 'init', '-q', '-b', 'main');
  return dir;
}

export function dvc(cwd: string, ...args: string[]): string {
  const r = spawnSync(DVC as string, args, { cwd, env: { ...process.env, DVC_NO_ANALYTICS: '1' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dvc ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Run the cairn CLI; returns exit code and output. */
export function cairn(cwd: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CAIRN, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under a folder (skipping .git and .dvc), as relative path -> content. */
export function snapshot(root: string, skip: readonly string[] = ['.git', '.dvc']): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (skip.includes(entry.name)) continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else files.set(relative(root, abs), readFileSync(abs));
    }
  };
  walk(root);
  return files;
}

export const isExecutable = (path: string): boolean => (statSync(path).mode & 0o111) !== 0;
