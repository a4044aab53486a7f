/**
 * The few tracking-server calls serving needs, over HTTP as the MLflow client makes them:
 * resolve `models:/name@alias` or `models:/name/<version>`, find the version's files, list and
 * download them through the artifact proxy. Works against cairn or MLflow servers.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CairnError, invalid, type ErrorCode } from '../core/errors.js';

/** Where the tracking server is and how to authenticate; parsed by the CLI from flags and env. */
export interface TrackingServerConfig {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A registry reference: a name and either a version number or an alias. */
export interface ModelReference {
  readonly name: string;
  readonly version?: string;
  readonly alias?: string;
}

/** A resolved model version and where its files are. */
export interface ResolvedVersion {
  readonly name: string;
  readonly version: string;
  readonly artifactUri: string;
}

/** One file or folder in an artifact listing, path relative to the listed folder's root. */
export interface ArtifactEntry {
  readonly path: string;
  readonly isDir: boolean;
  readonly size: number | null;
}

const KNOWN_CODES = new Set<ErrorCode>(['INVALID_PARAMETER_VALUE', 'RESOURCE_ALREADY_EXISTS', 'RESOURCE_DOES_NOT_EXIST', 'BAD_REQUEST', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'INVALID_STATE']);

/** Parse `models:/name@alias` or `models:/name/<version>`. */
export function parseModelUri(uri: string): ModelReference {
  const rest = uri.slice('models:/'.length);
  if (!uri.startsWith('models:/') || !rest) throw invalid(`'${uri}' is not a model URI; use models:/<name>@<alias> or models:/<name>/<version>`);
  const at = rest.lastIndexOf('@');
  if (at > 0 && !rest.slice(at).includes('/')) return { name: rest.slice(0, at), alias: rest.slice(at + 1) };
  const slash = rest.lastIndexOf('/');
  const version = rest.slice(slash + 1);
  if (slash > 0 && /^[1-9][0-9]*$/.test(version)) return { name: rest.slice(0, slash), version };
  throw invalid(`'${uri}' is not a model URI cairn can serve; use models:/<name>@<alias> or models:/<name>/<version number>`);
}

/** A small client for the registry and artifact-proxy endpoints. */
export class TrackingClient {
  constructor(private readonly config: TrackingServerConfig) {}

  /** Resolve a reference to a version number and its artifact URI. */
  async resolve(ref: ModelReference): Promise<ResolvedVersion> {
    let version = ref.version;
    if (ref.alias !== undefined) {
      const body = (await this.getJson('/api/2.0/mlflow/registered-models/alias', { name: ref.name, alias: ref.alias })) as { model_version?: { version?: string } };
      version = body.model_version?.version;
      if (!version) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `The tracking server did not say which version alias '${ref.alias}' of model '${ref.name}' points to`);
    }
    if (version === undefined) throw invalid('a model reference needs a version or an alias');
    const uri = (await this.getJson('/api/2.0/mlflow/model-versions/get-download-uri', { name: ref.name, version })) as { artifact_uri?: string };
    if (!uri.artifact_uri) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `Model '${ref.name}' version ${version} has no artifact location`);
    return { name: ref.name, version: String(version), artifactUri: uri.artifact_uri };
  }

  /** Every file under an `mlflow-artifacts:` location, recursively, with paths relative to it. */
  async listFiles(artifactUri: string): Promise<ArtifactEntry[]> {
    const root = proxiedPath(artifactUri);
    const files: ArtifactEntry[] = [];
    const walk = async (relative: string): Promise<void> => {
      const path = relative ? `${root}/${relative}` : root;
      const body = (await this.getJson('/api/2.0/mlflow-artifacts/artifacts', { path })) as { files?: { path: string; is_dir?: boolean; file_size?: number | string }[] };
      for (const f of body.files ?? []) {
        // Servers answer with the name relative to the listed folder (cairn, MLflow) or, some, with the full path.
        const name = f.path.startsWith(`${path}/`) ? f.path.slice(path.length + 1) : f.path.split('/').pop() ?? f.path;
        const child = relative ? `${relative}/${name}` : name;
        if (!child || child.split('/').some((part) => part === '..' || part === '.' || part === '')) throw invalid(`the tracking server listed an unsafe artifact path '${f.path}'`);
        if (f.is_dir) await walk(child);
        else files.push({ path: child, isDir: false, size: f.file_size === undefined ? null : Number(f.file_size) });
      }
    };
    await walk('');
    return files;
  }

  /** Stream one file of an `mlflow-artifacts:` location. */
  async download(artifactUri: string, relative: string): Promise<Readable> {
    const path = `${proxiedPath(artifactUri)}/${relative}`.split('/').map(encodeURIComponent).join('/');
    const response = await this.request(`/api/2.0/mlflow-artifacts/artifacts/${path}`, {});
    if (!response.body) throw new CairnError('INTERNAL_ERROR', `the tracking server sent no body for ${relative}`);
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }

  /** Read one small text file (e.g. MLmodel) of an `mlflow-artifacts:` location. */
  async readText(artifactUri: string, relative: string): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.download(artifactUri, relative)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async getJson(path: string, query: Record<string, string>): Promise<unknown> {
    const response = await this.request(path, query);
    return (await response.json()) as unknown;
  }

  private async request(path: string, query: Record<string, string>): Promise<Response> {
    const url = new URL(this.config.url.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let response: Response;
    try {
      response = await fetch(url, { headers: { ...this.config.headers } });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CairnError('TEMPORARILY_UNAVAILABLE', `cannot reach the tracking server at ${this.config.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    if (response.ok) return response;
    const text = await response.text();
    let code: ErrorCode = response.status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : 'INTERNAL_ERROR';
    let message = text.slice(0, 500);
    try {
      const body = JSON.parse(text) as { error_code?: string; message?: string };
      if (body.error_code && KNOWN_CODES.has(body.error_code as ErrorCode)) code = body.error_code as ErrorCode;
      if (body.message) message = body.message;
    } catch {
      // Not JSON: keep the text.
    }
    throw new CairnError(code, `tracking server ${url.pathname}: ${message}`);
  }
}

/** `mlflow-artifacts:/a/b` and `mlflow-artifacts://host/a/b` name proxy path `a/b`. */
function proxiedPath(artifactUri: string): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri);
  if (!m) throw invalid(`cairn serve downloads models through the artifact proxy (mlflow-artifacts:/ URIs); this version's files are at '${artifactUri}'. Start the tracking server with artifact proxying (cairn server does by default, mlflow server with --serve-artifacts).`);
  return (m[1] ?? '').replace(/\/+$/, '');
}
