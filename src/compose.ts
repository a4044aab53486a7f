/** The composition root: open the store and blob store, and build every capability on them. */
import { Artifacts } from './artifacts/index.js';
import { AuditLog } from './audit/index.js';
import { createAuth } from './auth/index.js';
import { Permissions } from './auth/permissions-service.js';
import { openBlobStore } from './blob/index.js';
import type { ServerConfig } from './core/config.js';
import { fanOutRecorder } from './core/lineage.js';
import { createDatasets } from './datasets/index.js';
import { createLineage } from './lineage/index.js';
import { Monitors } from './monitoring/monitors/index.js';
import { createRegistry } from './registry/index.js';
import { cardSourcesFrom, createModelCards } from './registry/cards/index.js';
import { DeploymentServing } from './serving/deployments/index.js';
import { defaultModelCache } from './serving/deployments/cache-root.js';
import type { Services } from './services.js';
import { openDatabase } from './store/db.js';
import { createTracking } from './tracking/index.js';

export async function composeServices(config: ServerConfig): Promise<Services & { close(): Promise<void> }> {
  const db = await openDatabase(config.backendStoreUri);
  const blobs = await openBlobStore(config.artifacts).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  const lineage = createLineage(db);
  const datasets = createDatasets(db, blobs);
  // Datasets logged through MLflow become registry versions as their lineage is recorded.
  const lineageRecorder = fanOutRecorder([datasets.registry.lineageListener, lineage]);
  const tracking = createTracking(db, lineageRecorder);
  const artifacts = new Artifacts(blobs);
  const registry = createRegistry(db, tracking, lineageRecorder);
  const serving = new DeploymentServing({ db, blobs, artifacts, registry, cacheRoot: defaultModelCache(config.artifacts), lineage: lineageRecorder });
  const permissions = new Permissions(db, config.defaultPermission ?? 'READ');
  // A model card names as owners everyone who may manage the model.
  const managers = async (name: string): Promise<string[]> =>
    (await permissions.list({ kind: 'registered_model', id: name })).filter((g) => g.permission === 'MANAGE').map((g) => g.user);
  const modelCards = createModelCards(db, cardSourcesFrom({ lineage, datasets, tracking, serving, artifacts, registry, managers }));
  const monitors = new Monitors({
    db,
    blobs,
    outboundAllow: config.outboundAllow,
    metricsRegistry: serving.metrics.registry,
    sources: {
      artifacts,
      datasets,
      runArtifactUri: async (runId) => (await tracking.runs.get(runId)).info.artifactUri,
      inferenceWindow: (deployment, from, to) => serving.readInferenceWindow(deployment, from, to),
    },
    onScheduleError: (monitor, error) => process.emitWarning(`monitor ${monitor}: scheduled run could not start: ${(error as Error).message}`),
  });
  // Only the server composes services, so schedules run in server processes and never in CLI commands.
  await monitors.startScheduler();
  return {
    config,
    db,
    blobs,
    tracking,
    artifacts,
    registry,
    modelCards,
    serving,
    auth: createAuth(db, { rateLimitPerMinute: config.rateLimitPerMinute }),
    permissions,
    audit: new AuditLog(db),
    datasets,
    lineage,
    lineageRecorder,
    monitors,
    async close() {
      await monitors.close();
      await serving.close();
      await blobs.close();
      await db.close();
    },
  };
}
