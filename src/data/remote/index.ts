/** Open a configured remote by name: a local folder or S3, chosen by the URL's scheme. */
import { isAbsolute, resolve } from 'node:path';
import { CairnError } from '../../core/errors.js';
import { remoteOptions, type DataRepo } from '../repo.js';
import { localRemote } from './local.js';
import type { DataRemote } from './types.js';

export type { DataRemote, RemoteCapabilities } from './types.js';

/** Open the remote called `name` in the repository's DVC config. */
export async function openRemote(repo: DataRepo, name: string): Promise<DataRemote> {
  const options = remoteOptions(repo, name);
  const url = options.get('url') ?? '';
  if (url.startsWith('s3://')) {
    // Loaded on demand: the AWS SDK costs startup time that local commands should not pay.
    const { s3Remote, s3Options } = await import('./s3.js');
    return s3Remote(name, url, s3Options(url, options));
  }
  if (/^cairns?:\/\//.test(url)) return import('./cairn.js').then((m) => m.cairnRemote(name, url, m.cairnOptions(url, options, process.env)));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  if (scheme !== undefined && scheme !== 'file') {
    throw new CairnError('NOT_IMPLEMENTED', `remote '${name}' uses ${scheme}://, which cairn data does not support yet (supported: a local folder, s3://)`);
  }
  const path = url.replace(/^file:\/\//, '');
  // DVC stores relative folder remotes relative to the config file's folder (.dvc/).
  return localRemote(name, url, isAbsolute(path) ? path : resolve(repo.dvcDir, path));
}
