/**
 * One entry point for "give me this model, ready to score": a `models:/` URI (resolved on the
 * tracking server, cached and verified locally) or a local folder.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid } from '../core/errors.js';
import { ensureCached, MANIFEST, verifyFolder } from './model-cache.js';
import { readModelPackage } from './packaging.js';
import type { LoadedModel, ModelRuntime } from './runtime.js';
import { parseModelUri, TrackingClient, type TrackingServerConfig } from './tracking-client.js';

/** Where models come from: the tracking server (for models:/ URIs) and the cache folder. */
export interface ModelSourceConfig {
  readonly trackingServer: TrackingServerConfig | null;
  readonly cacheRoot: string;
}

/** A loaded model and where it came from. */
export interface LoadedFrom {
  readonly model: LoadedModel;
  readonly folder: string;
  readonly name: string | null;
  readonly version: string | null;
  readonly downloaded: boolean;
}

/** Find the model folder for a source: download + verify for models:/ URIs, verify-if-manifest for folders. */
export async function locateModel(source: string, config: ModelSourceConfig): Promise<Omit<LoadedFrom, 'model'>> {
  if (source.startsWith('models:/')) {
    if (!config.trackingServer) throw invalid(`to serve ${source} cairn needs a tracking server: pass --tracking-uri http://host:port or set MLFLOW_TRACKING_URI`);
    const client = new TrackingClient(config.trackingServer);
    const resolved = await client.resolve(parseModelUri(source));
    const cached = await ensureCached(config.cacheRoot, client, resolved);
    return { folder: cached.folder, name: resolved.name, version: resolved.version, downloaded: cached.downloaded };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:\\/i.test(source)) {
    throw invalid(`'${source}': cairn serves models:/<name>@<alias>, models:/<name>/<version>, or a local folder`);
  }
  const hasManifest = await access(join(source, MANIFEST)).then(
    () => true,
    () => false,
  );
  if (hasManifest) await verifyFolder(source);
  return { folder: source, name: null, version: null, downloaded: false };
}

/** Locate, verify and load a model with the given runtime. */
export async function loadModel(source: string, config: ModelSourceConfig, runtime: ModelRuntime): Promise<LoadedFrom> {
  const where = await locateModel(source, config);
  const pkg = await readModelPackage(where.folder);
  const label = where.name ? `models:/${where.name}/${where.version}` : where.folder;
  return { ...where, model: await runtime.load(pkg, label) };
}
