/**
 * Load a registered version inside `cairn server`: its files come straight from the server's own
 * artifact store into the local model cache (verified by sha256 on every load), then into the
 * model runtime.
 */
import type { Readable } from 'node:stream';
import type { Artifacts } from '../../artifacts/index.js';
import { CairnError } from '../../core/errors.js';
import type { Registry } from '../../registry/index.js';
import { ensureCached, type ModelFileSource } from '../model-cache.js';
import { readModelPackage } from '../packaging.js';
import type { LoadedModel, ModelRuntime } from '../runtime.js';
import type { ArtifactEntry } from '../tracking-client.js';

/** What loading needs: where versions are registered, where their bytes are, and the cache. */
export interface VersionLoaderDeps {
  readonly registry: Registry;
  readonly artifacts: Artifacts;
  readonly runtime: ModelRuntime;
  readonly cacheRoot: string;
}

/** Turns `(model, version)` into a LoadedModel. */
export type VersionLoader = (model: string, version: string) => Promise<LoadedModel>;

/** The artifact store seen through the two calls the model cache makes. */
function artifactStoreSource(artifacts: Artifacts): ModelFileSource {
  return {
    async listFiles(artifactUri: string): Promise<ArtifactEntry[]> {
      const files: ArtifactEntry[] = [];
      const walk = async (relative: string): Promise<void> => {
        for (const entry of await artifacts.listUnder(artifactUri, relative || undefined)) {
          if (entry.isDir) await walk(entry.path);
          else files.push({ path: entry.path, isDir: false, size: entry.fileSize ?? null });
        }
      };
      await walk('');
      return files;
    },
    async download(artifactUri: string, relative: string): Promise<Readable> {
      const file = await artifacts.downloadUnder(artifactUri, relative);
      if (!file) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `${relative} disappeared from ${artifactUri} while it was being copied`);
      return file.stream;
    },
  };
}

/** A loader over the server's registry and artifact store. */
export function versionLoader(deps: VersionLoaderDeps): VersionLoader {
  const source = artifactStoreSource(deps.artifacts);
  return async function loadRegisteredVersion(model, version) {
    const record = await deps.registry.versions.get(model, version);
    const resolved = { name: model, version: String(record.version), artifactUri: record.storageLocation };
    const cached = await ensureCached(deps.cacheRoot, source, resolved);
    const pkg = await readModelPackage(cached.folder);
    return deps.runtime.load(pkg, `models:/${model}/${resolved.version}`);
  };
}
