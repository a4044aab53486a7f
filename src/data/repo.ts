/**
 * Where a data repository's pieces live: the project root (the folder holding `.dvc/`), DVC's
 * config files, the object cache and cairn's own scratch files in `.dvc/tmp/`. Inside an existing
 * DVC project these are DVC's own; in a plain git repository cairn creates the same layout
 * `dvc init` would, so DVC can take over at any time.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CairnError, invalid } from '../core/errors.js';
import { mergeConfig, parseConfig, remoteSection, serializeConfig, type ConfigSections } from './format/config-file.js';

/** An opened data repository. */
export interface DataRepo {
  /** Absolute project root (holds `.dvc/`). */
  readonly root: string;
  readonly dvcDir: string;
  /** Absolute object cache folder (`.dvc/cache` unless `cache.dir` says otherwise). */
  readonly cacheDir: string;
  /** Scratch folder DVC ignores in git (`.dvc/tmp`). */
  readonly tmpDir: string;
  /** config merged with config.local. */
  readonly config: ConfigSections;
}

// What `dvc init` writes, so a repository initialised by cairn is one DVC accepts as its own.
const DVC_GITIGNORE = '/config.local\n/tmp\n/cache\n';
const DVCIGNORE = '# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# https://dvc.org/doc/user-guide/dvcignore\n';

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Walk up from `start` to the folder holding `.dvc/`, else to the git root, else undefined. */
function findRoot(start: string): { root: string; initialized: boolean } | undefined {
  let gitRoot: string | undefined;
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (isDir(join(dir, '.dvc'))) return { root: dir, initialized: true };
    if (gitRoot === undefined && existsSync(join(dir, '.git'))) gitRoot = dir;
    if (dirname(dir) === dir) break;
  }
  return gitRoot === undefined ? undefined : { root: gitRoot, initialized: false };
}

function readConfigFile(path: string): ConfigSections {
  return existsSync(path) ? parseConfig(readFileSync(path, 'utf8')) : new Map();
}

/** Open the repository around `cwd`; with `create`, initialise `.dvc/` in a git repository that lacks it. */
export function openRepo(cwd: string, options: { create: boolean }): DataRepo {
  const found = findRoot(cwd);
  if (found === undefined) throw new CairnError('INVALID_STATE', `${cwd} is not inside a git repository or DVC project (run 'git init' first)`);
  const dvcDir = join(found.root, '.dvc');
  if (!found.initialized) {
    if (!options.create) throw new CairnError('INVALID_STATE', `no data is tracked in ${found.root} yet (no .dvc folder); run 'cairn data add <path>' first`);
    mkdirSync(join(dvcDir, 'tmp'), { recursive: true });
    writeFileSync(join(dvcDir, 'config'), '');
    writeFileSync(join(dvcDir, '.gitignore'), DVC_GITIGNORE);
    if (!existsSync(join(found.root, '.dvcignore'))) writeFileSync(join(found.root, '.dvcignore'), DVCIGNORE);
  }
  const config = mergeConfig(readConfigFile(join(dvcDir, 'config')), readConfigFile(join(dvcDir, 'config.local')));
  const configuredCache = config.get('cache')?.get('dir');
  const cacheDir = configuredCache === undefined ? join(dvcDir, 'cache') : resolve(dvcDir, configuredCache);
  const tmpDir = join(dvcDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  return Object.freeze({ root: found.root, dvcDir, cacheDir, tmpDir, config });
}

/** Change one option in `.dvc/config` (or `config.local`); `undefined` removes it. */
export function setConfigOption(repo: DataRepo, section: string, key: string, value: string | undefined, local: boolean): void {
  const file = join(repo.dvcDir, local ? 'config.local' : 'config');
  const sections = readConfigFile(file);
  const options = sections.get(section) ?? new Map<string, string>();
  if (value === undefined) options.delete(key);
  else options.set(key, value);
  sections.set(section, options);
  writeFileSync(file, serializeConfig(sections));
  // Keep the merged view current for later calls in the same process.
  const merged = repo.config.get(section) ?? new Map<string, string>();
  if (value === undefined) merged.delete(key);
  else merged.set(key, value);
  repo.config.set(section, merged);
}

/** A remote's options from the merged config, or a clear error naming the known remotes. */
export function remoteOptions(repo: DataRepo, name: string): ReadonlyMap<string, string> {
  const options = repo.config.get(remoteSection(name));
  if (options === undefined || !options.has('url')) {
    const known = remoteNames(repo);
    throw invalid(`no remote named '${name}'${known.length ? ` (known: ${known.join(', ')})` : "; add one with 'cairn data remote add <name> <url>'"}`);
  }
  return options;
}

/** Names of the configured remotes, in config order. */
export function remoteNames(repo: DataRepo): string[] {
  return [...repo.config.keys()].flatMap((s) => {
    const m = /^remote "(.*)"$/.exec(s);
    return m?.[1] === undefined ? [] : [m[1]];
  });
}

/** The remote to use: the one asked for, else `core.remote`, else a clear error. */
export function chooseRemote(repo: DataRepo, asked: string | undefined): string {
  const name = asked ?? repo.config.get('core')?.get('remote');
  if (name === undefined) throw invalid("no remote given and no default remote set; use -r <name> or 'cairn data remote default <name>'");
  return name;
}

/** Path of `abs` relative to the root with '/' separators; refuses paths outside the repository. */
export function repoRelative(repo: DataRepo, abs: string): string {
  const rel = relative(repo.root, abs);
  if (rel === '' ) return '';
  if (rel.startsWith('..') || isAbsolute(rel)) throw invalid(`${abs} is outside the repository ${repo.root}`);
  return rel.split(sep).join('/');
}

/** Escape a path for .gitignore as DVC does (pathspec's `GitWildMatchPattern.escape`). */
function gitignoreEscape(entry: string): string {
  return entry.replace(/[\\[\]!*#?]/g, (c) => `\\${c}`);
}

/** Add `/<name>` to the .gitignore beside an output, once, as `dvc add` does. */
export function ignoreInGit(outputAbs: string): void {
  const folder = dirname(outputAbs);
  const file = join(folder, '.gitignore');
  const entry = `${gitignoreEscape(`/${relative(folder, outputAbs).split(sep).join('/')}`)}\n`;
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (existing.split('\n').some((line) => `${line}\n` === entry)) return;
  const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
  appendFileSync(file, `${prefix}${entry}`);
}
