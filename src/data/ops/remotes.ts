/** `remote add|list|default|modify`: DVC's remote settings in `.dvc/config` (or `config.local`). */
import { isAbsolute, relative, resolve } from 'node:path';
import { alreadyExists, invalid } from '../../core/errors.js';
import { remoteSection } from '../format/config-file.js';
import { remoteNames, setConfigOption, type DataRepo } from '../repo.js';

/** A configured remote as `remote list` shows it. */
export interface RemoteInfo {
  readonly name: string;
  readonly url: string;
  readonly isDefault: boolean;
}

// S3's options as DVC names them, and `token` for a cairn:// remote (keep it in config.local with --local).
const REMOTE_OPTIONS = new Set(['endpointurl', 'access_key_id', 'secret_access_key', 'region', 'profile', 'session_token', 'url', 'token']);

/** Add a remote. Relative folder URLs are stored relative to `.dvc/`, as DVC stores them. */
export function addRemote(repo: DataRepo, cwd: string, name: string, url: string, options: { makeDefault?: boolean; local?: boolean; force?: boolean }): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw invalid(`remote name '${name}' may only hold letters, digits, '_', '.' and '-'`);
  if (!options.force && remoteNames(repo).includes(name)) throw alreadyExists(`remote '${name}' already exists; use --force to replace it`);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  const stored = scheme || isAbsolute(url) ? url : relative(repo.dvcDir, resolve(cwd, url));
  setConfigOption(repo, remoteSection(name), 'url', stored, options.local === true);
  if (options.makeDefault) setConfigOption(repo, 'core', 'remote', name, options.local === true);
}

/** Set one option of a remote (endpointurl, access_key_id, token, ...). */
export function modifyRemote(repo: DataRepo, name: string, option: string, value: string | undefined, local: boolean): void {
  if (!remoteNames(repo).includes(name)) throw invalid(`no remote named '${name}'`);
  if (!REMOTE_OPTIONS.has(option)) throw invalid(`unknown remote option '${option}' (known: ${[...REMOTE_OPTIONS].join(', ')})`);
  setConfigOption(repo, remoteSection(name), option, value, local);
}

/** Set the default remote (`core.remote`). */
export function setDefaultRemote(repo: DataRepo, name: string, local: boolean): void {
  if (!remoteNames(repo).includes(name)) throw invalid(`no remote named '${name}'`);
  setConfigOption(repo, 'core', 'remote', name, local);
}

/** The configured remotes. */
export function listRemotes(repo: DataRepo): RemoteInfo[] {
  const fallback = repo.config.get('core')?.get('remote');
  return remoteNames(repo).map((name) => ({ name, url: repo.config.get(remoteSection(name))?.get('url') ?? '', isDefault: name === fallback }));
}
