/**
 * `register`: record a tracked output as a version of a named dataset on a cairn server
 * (`POST /api/v1/datasets/<name>/versions`). When the output was pushed to that server (a
 * `cairn://` remote) the server finds its files itself and profiles the tables among them;
 * otherwise the version names the content by its digest, size and file count, with the remote
 * it lives on as the source.
 */
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { CairnError, invalid } from '../../core/errors.js';
import type { DataContext } from '../context.js';
import { cairnOptions, cairnRemoteFailure, type CairnRemoteOptions } from '../remote/cairn.js';
import { objectKey } from '../remote/types.js';
import { chooseRemote, remoteOptions } from '../repo.js';
import { selectOutputs } from './outputs.js';

/** What to register, and where. */
export interface RegisterOptions {
  readonly dataset: string;
  /** The cairn server's URL; default: the chosen remote's, when it is a cairn:// remote. */
  readonly server?: string;
  /** The remote the data was pushed to (default: core.remote); it becomes the version's source. */
  readonly remote?: string;
  readonly description?: string;
  /** Token for `server` when it is not the remote's: from the caller's environment. */
  readonly token?: string;
}

/** The registered version as the server returned it (snake_case fields). */
export type RegisteredVersion = Record<string, unknown> & { readonly version: number; readonly digest: string };

/** The commit the work tree is on, or undefined outside git or before the first commit. */
function gitCommit(root: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Where to send the version, and whether the data objects are on that very server. */
function serverFor(ctx: DataContext, o: RegisterOptions): { server: CairnRemoteOptions; remoteUrl: string | undefined; onServer: boolean } {
  let remoteName: string | undefined;
  try {
    remoteName = chooseRemote(ctx.repo, o.remote);
  } catch (error) {
    if (o.remote !== undefined || o.server === undefined) throw error;
  }
  const options = remoteName === undefined ? undefined : remoteOptions(ctx.repo, remoteName);
  const remoteUrl = options?.get('url');
  const viaRemote = remoteUrl !== undefined && /^cairns?:\/\//.test(remoteUrl) ? cairnOptions(remoteUrl, options as ReadonlyMap<string, string>, { CAIRN_TOKEN: o.token }) : undefined;
  if (o.server === undefined) {
    if (viaRemote === undefined) throw invalid(`remote '${remoteName}' is not a cairn server; give the server with --server <url>`);
    return { server: viaRemote, remoteUrl, onServer: true };
  }
  const baseUrl = o.server.replace(/^cairn:/, 'http:').replace(/^cairns:/, 'https:').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) throw invalid(`--server '${o.server}' is not an http(s) URL`);
  const onServer = viaRemote !== undefined && viaRemote.baseUrl === baseUrl;
  return { server: { baseUrl, token: onServer ? viaRemote.token : o.token }, remoteUrl, onServer };
}

/** Register the committed version of one tracked output as a dataset version. */
export async function registerOutput(ctx: DataContext, target: string, o: RegisterOptions): Promise<RegisteredVersion> {
  const outs = selectOutputs(ctx.repo, ctx.cwd, [target]);
  if (outs.length !== 1) throw invalid(`${target} tracks ${outs.length} outputs; register one output at a time`);
  const out = outs[0] as (typeof outs)[number];
  const md5 = out.out.md5;
  if (md5 === undefined) throw invalid(`${out.rel} has no hash yet; run 'cairn data add ${out.rel}' first`);
  const { server, remoteUrl, onServer } = serverFor(ctx, o);
  const commit = gitCommit(ctx.repo.root);
  const body: Record<string, unknown> = {
    ...(onServer ? { object: md5, path: basename(out.rel) } : { digest: md5, size_bytes: out.out.size, file_count: out.out.nfiles ?? 1 }),
    source: remoteUrl === undefined ? out.rel : `${remoteUrl.replace(/\/+$/, '')}/${objectKey(md5)}`,
    source_type: onServer ? 'cairn' : remoteUrl === undefined ? 'local' : (/^([a-z0-9]+):\/\//i.exec(remoteUrl)?.[1] ?? 'local'),
    created_by: userInfo().username,
    ...(commit ? { git_commit: commit } : {}),
    ...(o.description === undefined ? {} : { description: o.description }),
  };
  const url = `${server.baseUrl}/api/v1/datasets/${encodeURIComponent(o.dataset)}/versions`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(server.token ? { authorization: `Bearer ${server.token}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new CairnError('INTERNAL_ERROR', `cannot reach ${server.baseUrl}: ${(error as Error).message}`);
  }
  if (!response.ok) throw await cairnRemoteFailure(response, `registering ${out.rel} as dataset '${o.dataset}'`);
  return ((await response.json()) as { version: RegisteredVersion }).version;
}
