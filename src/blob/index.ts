/** Artifact byte storage: one interface, a local-folder and an S3 implementation. */
import type { ArtifactsDestination } from '../core/config.js';
import { LocalBlobStore } from './local.js';
import { S3BlobStore } from './s3.js';
import type { BlobStore } from './types.js';

export type { BlobStore, BlobEntry, BlobRead } from './types.js';
export { LocalBlobStore } from './local.js';
export { S3BlobStore, s3ClientConfig } from './s3.js';

/** Open the blob store a parsed `--artifacts-destination` names (creating a local root if needed). */
export async function openBlobStore(dest: ArtifactsDestination): Promise<BlobStore> {
  switch (dest.kind) {
    case 'local':
      return LocalBlobStore.open(dest.root);
    case 's3':
      return new S3BlobStore(dest);
  }
}
