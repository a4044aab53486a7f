/** Where `cairn server` caches the model files its deployments load. */
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ArtifactsDestination } from '../../core/config.js';

/** Beside a local artifact folder (`<data>/model-cache`), or in the temp folder when artifacts are on S3. */
export function defaultModelCache(artifacts: ArtifactsDestination): string {
  return artifacts.kind === 'local' ? join(dirname(resolve(artifacts.root)), 'model-cache') : join(tmpdir(), 'cairn-model-cache');
}
