import { nowMs } from '../core/clock.js';
import { invalid, notFound } from '../core/errors.js';
import { newModelId } from '../core/ids.js';
import { lineageNode, type LineageRecorder } from '../core/lineage.js';
import type { Db } from '../store/db.js';
import * as store from '../store/tracking/logged-models.js';
import type { LoggedModelRecord } from '../store/tracking/logged-models.js';
import type { KeyValue } from '../store/tracking/runs.js';
import type { Experiments } from './experiments.js';
import type { Runs } from './runs.js';
import { checkKey, checkValueLength, LIMITS } from './validation.js';

export type { LoggedModelRecord };

export const LOGGED_MODEL_STATUSES = ['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];

const FORBIDDEN_NAME = /[/:.%"']/;

/** MLflow 3 logged models: a model's files, params, metrics and tags, apart from any run. */
export class LoggedModels {
  constructor(
    private readonly db: Db,
    private readonly experiments: Experiments,
    private readonly runs: Runs,
    private readonly lineage: LineageRecorder,
  ) {}

  async create(input: {
    experimentId: string;
    name?: string | undefined;
    modelType?: string | undefined;
    sourceRunId?: string | undefined;
    params: KeyValue[];
    tags: KeyValue[];
  }): Promise<LoggedModelRecord> {
    const experiment = await this.experiments.getActive(input.experimentId);
    const name = input.name || `model-${Math.random().toString(36).slice(2, 10)}`;
    if (FORBIDDEN_NAME.test(name)) throw invalid(`Invalid model name '${name}': names may not contain '/', ':', '.', '%', '"' or "'"`);
    if (input.sourceRunId) await this.runs.info(input.sourceRunId);
    for (const t of input.tags) checkKey(t.key, 'tag');
    for (const p of input.params) {
      checkKey(p.key, 'param');
      checkValueLength(p.value, LIMITS.paramValue, 'param', p.key);
    }
    const modelId = newModelId();
    const now = nowMs();
    await store.insertLoggedModel(this.db.kysely, {
      modelId,
      experimentId: experiment.experimentId,
      name,
      artifactLocation: `${experiment.artifactLocation.replace(/\/+$/, '')}/models/${modelId}/artifacts`,
      creationTimestampMs: now,
      lastUpdatedTimestampMs: now,
      status: 'LOGGED_MODEL_PENDING',
      lifecycleStage: 'active',
      modelType: input.modelType ?? null,
      sourceRunId: input.sourceRunId ?? null,
      statusMessage: null,
      tags: input.tags,
      params: input.params,
    });
    if (input.sourceRunId) await this.lineage.record({ from: lineageNode.run(input.sourceRunId), to: lineageNode.loggedModel(modelId), kind: 'output' });
    return this.get(modelId, false);
  }

  /** A logged model; deleted ones only when asked for (MLflow answers 404 otherwise). */
  async get(modelId: string, allowDeleted: boolean): Promise<LoggedModelRecord> {
    const [found] = await store.selectLoggedModels(this.db.kysely, [modelId]);
    if (!found || (!allowDeleted && found.lifecycleStage !== 'active')) throw notFound(`Logged model with ID '${modelId}' not found.`);
    return found;
  }

  async getMany(ids: readonly string[]): Promise<LoggedModelRecord[]> {
    return store.selectLoggedModels(this.db.kysely, ids);
  }

  async finalize(modelId: string, status: LoggedModelStatus): Promise<LoggedModelRecord> {
    await this.get(modelId, false);
    await store.updateLoggedModel(this.db.kysely, modelId, { status }, nowMs());
    return this.get(modelId, false);
  }

  async delete(modelId: string): Promise<void> {
    await this.get(modelId, false);
    await store.updateLoggedModel(this.db.kysely, modelId, { lifecycleStage: 'deleted' }, nowMs());
  }

  async logParams(modelId: string, params: KeyValue[]): Promise<void> {
    for (const p of params) checkKey(p.key, 'param');
    await this.get(modelId, false);
    await store.upsertKeyValues(this.db.kysely, 'logged_model_params', modelId, params);
  }

  async setTags(modelId: string, tags: KeyValue[]): Promise<void> {
    for (const t of tags) checkKey(t.key, 'tag');
    await this.get(modelId, false);
    await store.upsertKeyValues(this.db.kysely, 'logged_model_tags', modelId, tags);
  }

  async deleteTag(modelId: string, key: string): Promise<void> {
    await this.get(modelId, false);
    const removed = await store.deleteLoggedModelTag(this.db.kysely, modelId, key);
    if (removed === 0) throw notFound(`No tag with key '${key}' on logged model '${modelId}'`);
  }
}
