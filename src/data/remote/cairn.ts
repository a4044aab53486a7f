/**
 * A remote that is a cairn server: objects go through its authenticated HTTP API
 * (`/api/v1/data/objects/md5/<xx>/<rest>`) into its artifact store, which checks each upload's
 * md5 before keeping it. In DVC config terms:
 *
 *   [remote "team"]
 *       url = cairn://cairn.example.com:5000        (HTTP; cairns://host for HTTPS)
 *       token = cairn_...                           (better in .dvc/config.local; else $CAIRN_TOKEN,
 *                                                    else $MLFLOW_TRACKING_TOKEN)
 *
 * A path after the host (`cairn://host/cairn`) is kept, for servers behind a path-prefix proxy.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { CairnError, invalid, type ErrorCode } from '../../core/errors.js';
import type { DataRemote } from './types.js';

/** Where the server is and how to authenticate, read from the remote's config section. */
export interface CairnRemoteOptions {
  readonly baseUrl: string;
  readonly token: string | undefined;
}

const EXISTS_BATCH = 5000;
const PERMANENT: ReadonlySet<ErrorCode> = new Set(['INVALID_PARAMETER_VALUE', 'RESOURCE_DOES_NOT_EXIST', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'BAD_REQUEST', 'ENDPOINT_NOT_FOUND']);

/** Read a `cairn://` or `cairns://` remote's settings; the token comes from the config, then the environment. */
export function cairnOptions(url: string, options: ReadonlyMap<string, string>, env: Readonly<Record<string, string | undefined>>): CairnRemoteOptions {
  const m = /^(cairns?):\/\/([^/?#]+)(\/[^?#]*)?$/.exec(url);
  if (!m?.[2]) throw invalid(`'${url}' is not a cairn remote URL (expected cairn://host:port or cairns://host for HTTPS)`);
  const scheme = m[1] === 'cairns' ? 'https' : 'http';
  const token = options.get('token') ?? env['CAIRN_TOKEN'] ?? env['MLFLOW_TRACKING_TOKEN'];
  return { baseUrl: `${scheme}://${m[2]}${(m[3] ?? '').replace(/\/+$/, '')}`, token: token || undefined };
}

/** Turn an error answer into a CairnError (4xx: the transfer's retries stop) or an Error (5xx: retried). */
export async function cairnRemoteFailure(response: Response, what: string): Promise<Error> {
  const text = await response.text().catch(() => '');
  let message = text.slice(0, 500);
  let code: ErrorCode | undefined;
  try {
    const body = JSON.parse(text) as { error_code?: string; message?: string };
    message = body.message ?? message;
    code = body.error_code as ErrorCode | undefined;
  } catch {
    // Not JSON (a proxy's error page): keep the text.
  }
  const detail = `${what}: HTTP ${response.status}${message ? ` ${message}` : ''}`;
  if (response.status === 401) return new CairnError('UNAUTHENTICATED', `${detail} (set the remote's token, or $CAIRN_TOKEN)`);
  if (response.status === 403) return new CairnError('PERMISSION_DENIED', detail);
  if (code !== undefined && PERMANENT.has(code)) return new CairnError(code, detail);
  if (response.status >= 400 && response.status < 500) return new CairnError('BAD_REQUEST', detail);
  return new Error(detail);
}

/** Open a remote on a cairn server. */
export function cairnRemote(name: string, url: string, o: CairnRemoteOptions): DataRemote {
  const headers: Record<string, string> = o.token ? { authorization: `Bearer ${o.token}` } : {};
  const objectUrl = (oid: string): string => `${o.baseUrl}/api/v1/data/objects/md5/${oid.slice(0, 2)}/${oid.slice(2)}`;
  const postJson = async (path: string, body: unknown, what: string): Promise<unknown> => {
    const response = await fetch(`${o.baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw await cairnRemoteFailure(response, what);
    return response.json();
  };
  return {
    name,
    url,
    // Existence is asked in batches of thousands per request, so listing everything never pays off.
    capabilities: { localFiles: false, existsIsRemoteCall: false },
    async has(oids) {
      const found = new Set<string>();
      for (let i = 0; i < oids.length; i += EXISTS_BATCH) {
        const body = (await postJson('/api/v1/data/objects/exists', { oids: oids.slice(i, i + EXISTS_BATCH) }, `checking objects on ${url}`)) as { present?: string[] };
        for (const oid of body.present ?? []) found.add(oid);
      }
      return found;
    },
    async list() {
      const response = await fetch(`${o.baseUrl}/api/v1/data/objects`, { headers });
      if (!response.ok) throw await cairnRemoteFailure(response, `listing objects on ${url}`);
      return new Set(((await response.json()) as { oids?: string[] }).oids ?? []);
    },
    async upload(oid, file, size) {
      const response = await fetch(objectUrl(oid), {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      if (!response.ok) throw await cairnRemoteFailure(response, `uploading ${oid} to ${url}`);
      await response.arrayBuffer();
    },
    async download(oid, dst) {
      const response = await fetch(objectUrl(oid), { headers });
      if (!response.ok || !response.body) throw await cairnRemoteFailure(response, `downloading ${oid} from ${url}`);
      await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(dst, { flags: 'wx' }));
    },
    localPath() {
      throw new Error('a cairn remote has no local files');
    },
    async remove(oids) {
      for (const oid of oids) {
        const response = await fetch(objectUrl(oid), { method: 'DELETE', headers });
        if (!response.ok) throw await cairnRemoteFailure(response, `deleting ${oid} on ${url}`);
        await response.arrayBuffer();
      }
    },
    async close() {},
  };
}
