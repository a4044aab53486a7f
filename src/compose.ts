/** The composition root: open the store and blob store, and build every capability on them. */
import { Artifacts } from './artifacts/index.js';
import { createAuth } from './auth/index.js';
import { openBlobStore } from './blob/index.js';
import type { ServerConfig } from './core/config.js';
import { createRegistry } from './registry/index.js';
import type { Services } from './services.js';
import { openDatabase } from './store/db.js';
import { createTracking } from './tracking/index.js';

export async function composeServices(config: ServerConfig): Promise<Services & { close(): Promise<void> }> {
  const db = await openDatabase(config.backendStoreUri);
  const blobs = await openBlobStore(config.artifacts).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  const tracking = createTracking(db);
  return {
    config,
    db,
    blobs,
    tracking,
    artifacts: new Artifacts(blobs),
    registry: createRegistry(db, tracking),
    auth: createAuth(db, { rateLimitPerMinute: config.rateLimitPerMinute }),
    async close() {
      await blobs.close();
      await db.close();
    },
  };
}
