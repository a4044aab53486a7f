/**
 * Artifacts as the MLflow client sees them: paths under the proxied root `mlflow-artifacts:/`,
 * streamed in and out of the blob store. Every path is canonicalised and confined first.
 */
import type { Readable } from 'node:stream';
import type { BlobEntry, BlobRead, BlobStore } from '../blob/types.js';
import { invalid } from '../core/errors.js';
import { artifactKey } from '../core/paths.js';

/** A listing entry as MLflow returns it: the entry's name, whether it is a folder, and a file's size. */
export type { BlobRead };

export interface ArtifactFile {
  path: string;
  isDir: boolean;
  fileSize?: number;
}

/**
 * Top-level folders of the artifact store that belong to cairn itself (content-addressed data
 * objects, inference logs). The MLflow proxy may neither read nor write them: data objects are
 * hash-checked on their own route, and logs are written by the server only.
 */
export const RESERVED_PREFIXES: readonly string[] = Object.freeze(['data-objects', 'inference-log', 'inference-feedback']);

/** The canonical key of a proxy path, refused when it reaches into a reserved folder. */
function proxyKey(rawPath: string): string {
  const key = artifactKey(rawPath);
  const top = key.split('/')[0] ?? '';
  if (RESERVED_PREFIXES.includes(top)) {
    throw invalid(`Invalid artifact path '${rawPath}': '${top}/' is kept by cairn itself and is not reachable through the artifact proxy`);
  }
  return key;
}

const toFile = (e: BlobEntry): ArtifactFile => (e.isDir ? { path: e.name, isDir: true } : { path: e.name, isDir: false, fileSize: e.size ?? 0 });

/** The key a proxied `mlflow-artifacts:/...` URI names, or an error for any other kind of URI. */
export function keyOfArtifactUri(uri: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/.exec(uri);
  if (!match) throw invalid(`'${uri}' is not an mlflow-artifacts:/ location served by this server`);
  return artifactKey((match[1] ?? '').replace(/^\/+/, ''));
}

export class Artifacts {
  constructor(private readonly blobs: BlobStore) {}

  /** Store a file; refuses a path that names the root or an existing folder. */
  async upload(rawPath: string, body: Readable, contentLength?: number): Promise<void> {
    const key = proxyKey(rawPath);
    if (key === '') throw invalid('An artifact upload needs a file path');
    const existing = await this.blobs.stat(key);
    if (existing?.isDir) throw invalid(`Cannot upload to '${key}': a folder of that name exists`);
    await this.blobs.put(key, body, contentLength === undefined ? undefined : { contentLength });
  }

  /** A file's bytes, or undefined when no file is there. */
  async download(rawPath: string): Promise<(BlobRead & { key: string }) | undefined> {
    const key = proxyKey(rawPath);
    if (key === '') return undefined;
    const read = await this.blobs.get(key);
    return read && { ...read, key };
  }

  /** Direct children of a folder; [] for a file or a missing path (the client relies on that). */
  async list(rawPath: string | undefined): Promise<ArtifactFile[]> {
    const key = proxyKey(rawPath ?? '');
    const entries = await this.blobs.list(key);
    return (key === '' ? entries.filter((e) => !RESERVED_PREFIXES.includes(e.name)) : entries).map(toFile);
  }

  async delete(rawPath: string): Promise<void> {
    const key = proxyKey(rawPath);
    if (key === '') throw invalid('Refusing to delete the whole artifact root');
    await this.blobs.delete(key);
  }

  /** List relative to a run's (or model's) root URI, with paths relative to that root (MLflow's artifacts/list). */
  async listUnder(rootUri: string, relative: string | undefined): Promise<ArtifactFile[]> {
    const root = keyOfArtifactUri(rootUri);
    const sub = artifactKey(relative ?? '');
    const key = proxyKey([root, sub].filter(Boolean).join('/'));
    return (await this.blobs.list(key)).map((e) => ({ ...toFile(e), path: [sub, e.name].filter(Boolean).join('/') }));
  }

  /** A file under a run's (or model's) root URI. */
  async downloadUnder(rootUri: string, relative: string): Promise<(BlobRead & { key: string }) | undefined> {
    const root = keyOfArtifactUri(rootUri);
    const sub = artifactKey(relative);
    if (sub === '') return undefined;
    const key = proxyKey(`${root ? `${root}/` : ''}${sub}`);
    const read = await this.blobs.get(key);
    return read && { ...read, key };
  }
}
