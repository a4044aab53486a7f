/**
 * Managed deployments inside `cairn server`, put together: the rows (Deployments), the loaded
 * versions (LiveDeployments), scoring, feedback, the inference log and its retention, metrics.
 */
import type { LineageRecorder } from '../../core/lineage.js';
import type { Artifacts } from '../../artifacts/index.js';
import type { BlobStore } from '../../blob/types.js';
import { invalid } from '../../core/errors.js';
import type { Registry } from '../../registry/index.js';
import type { Db } from '../../store/db.js';
import { readInferenceWindow, type InferenceRow } from '../inference-log/reader.js';
import { pruneInferenceLog } from '../inference-log/retention.js';
import { trafficStats, type TrafficBucket } from '../inference-log/stats.js';
import { InferenceLogWriter, INFERENCE_LOG_DEFAULTS, type InferenceLogOptions } from '../inference-log/writer.js';
import type { JsonValue } from '../predictions.js';
import { onnxRuntime, type ModelRuntime } from '../runtime.js';
import { scoreRequest, type ScoringAnswer, type ScoringRequest } from './invoke.js';
import { LiveDeployments, LIVE_DEFAULTS, type LiveOptions } from './live.js';
import { versionLoader } from './loader.js';
import { ServingMetrics } from './metrics.js';
import { Deployments } from './service.js';

/** What deployments need from the rest of the server, and their tuning. */
export interface DeploymentServingDeps {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly artifacts: Artifacts;
  readonly registry: Registry;
  /** Where model files are cached and verified. */
  readonly cacheRoot: string;
  readonly runtime?: ModelRuntime;
  readonly live?: LiveOptions;
  readonly log?: InferenceLogOptions;
  /** How often old inference-log hours are deleted; 0 turns the sweep off. */
  readonly retentionSweepMs?: number;
  /** Where "version V is served by deployment D" is reported. */
  readonly lineage?: LineageRecorder;
}

/** One piece of ground truth. */
export interface Feedback {
  readonly requestId: string;
  readonly groundTruth: JsonValue;
}

/** The serving side of `cairn server`. */
export class DeploymentServing {
  readonly deployments: Deployments;
  readonly live: LiveDeployments;
  readonly log: InferenceLogWriter;
  readonly metrics = new ServingMetrics();
  private readonly sweep: NodeJS.Timeout | null;

  constructor(private readonly deps: DeploymentServingDeps) {
    this.deployments = new Deployments(deps.db, deps.registry, Date.now, deps.lineage);
    const load = versionLoader({ registry: deps.registry, artifacts: deps.artifacts, runtime: deps.runtime ?? onnxRuntime(), cacheRoot: deps.cacheRoot });
    this.live = new LiveDeployments(this.deployments, deps.registry, load, deps.live ?? LIVE_DEFAULTS);
    this.log = new InferenceLogWriter(deps.blobs, deps.log ?? INFERENCE_LOG_DEFAULTS);
    const every = deps.retentionSweepMs ?? 3_600_000;
    this.sweep = every > 0 ? setInterval(() => void this.pruneLogs(Date.now()).catch(() => undefined), every) : null;
    this.sweep?.unref();
  }

  /** Score one request (see invoke.ts). */
  score(request: ScoringRequest): Promise<ScoringAnswer> {
    return scoreRequest(this, request);
  }

  /** Record ground truth for earlier requests of a deployment. */
  async feedback(deployment: string, items: readonly Feedback[]): Promise<{ accepted: number }> {
    await this.deployments.get(deployment);
    if (items.length === 0) throw invalid('feedback: send at least one {request_id, ground_truth}');
    const time = Date.now();
    this.log.recordFeedback(items.map((f) => ({ deployment, requestId: f.requestId, groundTruth: JSON.stringify(f.groundTruth), time })));
    return { accepted: items.length };
  }

  /**
   * The inference log of a deployment over [from, to) (epoch ms), with ground truth joined by
   * request id. Rows still in the write buffer are flushed first.
   */
  async readInferenceWindow(deployment: string, from: number, to: number): Promise<InferenceRow[]> {
    await this.log.flush();
    return readInferenceWindow(this.deps.blobs, deployment, from, to);
  }

  /** Requests, errors and latency per version and time bucket, for charts. */
  async stats(deployment: string, from: number, to: number, bucketSeconds: number): Promise<TrafficBucket[]> {
    await this.deployments.get(deployment);
    await this.log.flush();
    return trafficStats(this.deps.blobs, deployment, from, to, bucketSeconds);
  }

  /** Delete inference-log hours past each deployment's retention. */
  async pruneLogs(now: number): Promise<number> {
    let removed = 0;
    for (const d of await this.deployments.list()) removed += await pruneInferenceLog(this.deps.blobs, d.name, d.logRetentionDays, now);
    return removed;
  }

  /** Flush the log and close the models (after the HTTP server stopped). */
  async close(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await this.live.close();
    await this.log.close();
  }
}
