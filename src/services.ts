/** The composition root's product: every capability the HTTP layer and the CLI call. */
import type { Artifacts } from './artifacts/index.js';
import type { AuditLog } from './audit/index.js';
import type { Auth } from './auth/index.js';
import type { Permissions } from './auth/permissions-service.js';
import type { BlobStore } from './blob/types.js';
import type { ServerConfig } from './core/config.js';
import type { LineageRecorder } from './core/lineage.js';
import type { DatasetsCapability } from './datasets/index.js';
import type { Lineage } from './lineage/index.js';
import type { Monitors } from './monitoring/monitors/index.js';
import type { Registry } from './registry/index.js';
import type { ModelCards } from './registry/cards/index.js';
import type { DeploymentServing } from './serving/deployments/index.js';
import type { Db } from './store/db.js';
import type { Tracking } from './tracking/index.js';

export interface Services {
  readonly config: ServerConfig;
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly tracking: Tracking;
  readonly artifacts: Artifacts;
  readonly registry: Registry;
  /** Model cards: the authors' revisions and the parts generated from lineage, tracking and serving. */
  readonly modelCards: ModelCards;
  /** Managed deployments, their inference log and metrics. */
  readonly serving: DeploymentServing;
  readonly auth: Auth;
  /** Per-resource grants: who may read, edit or manage each experiment, model, dataset, deployment and monitor. */
  readonly permissions: Permissions;
  /** The tamper-evident audit log every state change is appended to. */
  readonly audit: AuditLog;
  /** The dataset registry and the data objects `cairn data push` sends. */
  readonly datasets: DatasetsCapability;
  /** The lineage graph's queries. */
  readonly lineage: Lineage;
  /** Where capabilities report lineage ("deployment D serves version V"): the graph and the dataset registry hear it. */
  readonly lineageRecorder: LineageRecorder;
  /** Monitors (drift, performance, fairness), their schedules, results and alerts. */
  readonly monitors: Monitors;
}
