import { nowMs } from '../core/clock.js';
import { invalid, notFound } from '../core/errors.js';
import { newRunId, newRunName } from '../core/ids.js';
import type { Db } from '../store/db.js';
import * as store from '../store/tracking/runs.js';
import { writeBatch, type LoggedMetric } from '../store/tracking/metrics.js';
import type { KeyValue, RunInfoRecord, RunRecord } from '../store/tracking/runs.js';
import type { Experiments } from './experiments.js';
import { checkBatchLimits, checkKey, checkRunId, LIMITS } from './validation.js';

export type { RunRecord, RunInfoRecord, KeyValue, LoggedMetric };

export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const RUN_NAME_TAG = 'mlflow.runName';

/** MLflow truncates over-long param and tag values rather than refusing them (its default). */
const truncate = (value: string, limit: number): string => (value.length > limit ? value.slice(0, limit) : value);

export class Runs {
  constructor(
    private readonly db: Db,
    private readonly experiments: Experiments,
  ) {}

  async create(input: {
    experimentId?: string | undefined;
    userId?: string | undefined;
    runName?: string | undefined;
    startTime?: number | undefined;
    tags: KeyValue[];
  }): Promise<RunRecord> {
    const experiment = await this.experiments.getActive(input.experimentId || '0');
    const tags = input.tags.map((t) => {
      checkKey(t.key, 'tag');
      return { key: t.key, value: truncate(t.value, LIMITS.runTagValue) };
    });
    const tagName = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
    if (input.runName && tagName !== undefined && input.runName !== tagName) {
      throw invalid(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${input.runName}', mlflow.runName='${tagName}').`,
      );
    }
    const runName = input.runName || tagName || newRunName();
    if (tagName === undefined) tags.push({ key: RUN_NAME_TAG, value: runName });
    const runId = newRunId();
    const userId = input.userId || tags.find((t) => t.key === 'mlflow.user')?.value || 'unknown';
    const info: RunInfoRecord = {
      runId,
      runName,
      experimentId: experiment.experimentId,
      userId,
      status: 'RUNNING',
      startTime: input.startTime ?? nowMs(),
      endTime: null,
      lifecycleStage: 'active',
      artifactUri: `${experiment.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`,
    };
    await store.insertRun(this.db, info, dedupe(tags));
    return this.get(runId);
  }

  /** A whole run; deleted runs are returned too, as MLflow does. */
  async get(runId: string): Promise<RunRecord> {
    const [run] = await store.selectRuns(this.db.kysely, [runId]);
    if (!run) throw notFound(`Run with id=${runId} not found`);
    return run;
  }

  async getMany(runIds: readonly string[]): Promise<RunRecord[]> {
    return store.selectRuns(this.db.kysely, runIds);
  }

  async info(runId: string): Promise<RunInfoRecord> {
    const info = await store.selectRunInfo(this.db.kysely, runId);
    if (!info) throw notFound(`Run with id=${runId} not found`);
    return info;
  }

  /** Writes need an active run (MLflow answers 400, not 404, for a deleted one). */
  async activeInfo(runId: string): Promise<RunInfoRecord> {
    checkRunId(runId);
    const info = await this.info(runId);
    if (info.lifecycleStage !== 'active') {
      throw invalid(`The run ${runId} must be in the 'active' state. Current state is ${info.lifecycleStage}.`);
    }
    return info;
  }

  async update(runId: string, changes: { status?: RunStatus | undefined; endTime?: number | undefined; runName?: string | undefined }): Promise<RunInfoRecord> {
    await this.activeInfo(runId);
    await store.updateRunInfo(this.db.kysely, runId, { ...changes, runName: changes.runName || undefined });
    return this.info(runId);
  }

  async delete(runId: string): Promise<void> {
    await this.info(runId);
    await store.setRunLifecycle(this.db.kysely, runId, 'deleted', nowMs());
  }

  async restore(runId: string): Promise<void> {
    await this.info(runId);
    await store.setRunLifecycle(this.db.kysely, runId, 'active', nowMs());
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    checkKey(key, 'tag');
    await this.activeInfo(runId);
    if (key === RUN_NAME_TAG) {
      await store.updateRunInfo(this.db.kysely, runId, { runName: value });
      return;
    }
    await store.upsertRunTag(this.db.kysely, runId, key, truncate(value, LIMITS.runTagValue));
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.activeInfo(runId);
    const removed = await store.deleteRunTag(this.db.kysely, runId, key);
    if (removed === 0) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
  }

  /**
   * Log metrics, params and tags as one all-or-nothing batch, after checking every entry, so a
   * bad entry anywhere leaves the run untouched.
   */
  async logBatch(runId: string, batch: { metrics: LoggedMetric[]; params: KeyValue[]; tags: KeyValue[] }): Promise<void> {
    checkBatchLimits(batch.metrics.length, batch.params.length, batch.tags.length);
    const seen = new Set<string>();
    for (const p of batch.params) {
      checkKey(p.key, 'param');
      if (seen.has(p.key)) {
        throw invalid(`Duplicate parameter keys have been submitted: ['${p.key}']. Please ensure the request contains only one param value per param key.`);
      }
      seen.add(p.key);
    }
    for (const t of batch.tags) checkKey(t.key, 'tag');
    for (const m of batch.metrics) {
      checkKey(m.key, 'metric');
      if (!Number.isInteger(m.timestamp) || m.timestamp < 0) throw invalid(`Invalid value ${m.timestamp} for parameter 'timestamp': must be a non-negative integer`);
      if (!Number.isInteger(m.step)) throw invalid(`Invalid value ${m.step} for parameter 'step': must be an integer`);
    }
    const info = await this.activeInfo(runId);
    const tags = batch.tags.map((t) => ({ key: t.key, value: truncate(t.value, LIMITS.runTagValue) }));
    const nameTag = [...tags].reverse().find((t) => t.key === RUN_NAME_TAG);
    await writeBatch(this.db, {
      runId,
      experimentId: info.experimentId,
      metrics: batch.metrics,
      params: batch.params.map((p) => ({ key: p.key, value: truncate(p.value, LIMITS.paramValue) })),
      tags: tags.filter((t) => t.key !== RUN_NAME_TAG),
    });
    if (nameTag) await store.updateRunInfo(this.db.kysely, runId, { runName: nameTag.value });
  }

  async logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void> {
    await this.activeInfo(runId);
    await store.insertRunOutputs(this.db.kysely, runId, models);
  }
}

function dedupe(tags: KeyValue[]): KeyValue[] {
  return [...new Map(tags.map((t) => [t.key, t])).values()];
}
