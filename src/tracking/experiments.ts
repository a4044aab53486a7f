import { nowMs } from '../core/clock.js';
import { alreadyExists, invalid, notFound, CairnError } from '../core/errors.js';
import { parseArtifactUri } from '../core/paths.js';
import type { Db } from '../store/db.js';
import * as store from '../store/tracking/experiments.js';
import type { ExperimentRecord } from '../store/tracking/experiments.js';
import { checkExperimentName, checkKey, checkValueLength, LIMITS, parseExperimentId } from './validation.js';

export type { ExperimentRecord };

/** The artifact location of a new experiment: proxied through cairn's artifact endpoints. */
const defaultArtifactLocation = (id: number): string => `mlflow-artifacts:/${id}`;

/**
 * Only proxied locations are accepted: a client-chosen file:, s3: or http: location would let a
 * caller point the server at storage outside its configured root.
 */
function isCanonicalArtifactUri(location: string): boolean {
  try {
    parseArtifactUri(location);
    return true;
  } catch (error) {
    if (error instanceof CairnError) return false;
    throw error;
  }
}

function checkArtifactLocation(location: string | undefined): void {
  if (location === undefined || location === '') return;
  // The regex states the shape; parseArtifactUri decodes fully, so '%2e%2e' and '%252e%252e' count as '..' too.
  if (!/^mlflow-artifacts:\/[^?#;\\]*$/.test(location) || location.split('/').includes('..') || !isCanonicalArtifactUri(location)) {
    throw invalid(
      `Invalid artifact_location '${location}': cairn keeps artifacts in its configured store; give an mlflow-artifacts:/<path> location without '..', '?', '#', ';' or backslashes, or omit it.`,
    );
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e.message ?? '');
}

export class Experiments {
  constructor(private readonly db: Db) {}

  /** Create an experiment; names are unique across active and deleted experiments. */
  async create(input: { name: string; artifactLocation?: string | undefined; tags: { key: string; value: string }[] }): Promise<string> {
    checkExperimentName(input.name);
    checkArtifactLocation(input.artifactLocation);
    for (const t of input.tags) {
      checkKey(t.key, 'tag');
      checkValueLength(t.value, LIMITS.experimentTagValue, 'tag', t.key);
    }
    try {
      const id = await store.insertExperiment(this.db.kysely, { ...input, now: nowMs() }, defaultArtifactLocation);
      return String(id);
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyExists(`Experiment(name=${input.name}) already exists. Error: UNIQUE constraint failed: experiments.name`);
      throw error;
    }
  }

  /** An experiment by id, deleted ones included (as MLflow's get does). */
  async get(experimentId: string): Promise<ExperimentRecord> {
    const id = parseExperimentId(experimentId);
    const [found] = await store.selectExperiments(this.db.kysely, [id]);
    if (!found) throw notFound(`No Experiment with id=${experimentId} exists`);
    return found;
  }

  async getByName(name: string): Promise<ExperimentRecord> {
    const id = await store.selectExperimentIdByName(this.db.kysely, name);
    const [found] = id === undefined ? [] : await store.selectExperiments(this.db.kysely, [id]);
    if (!found) throw notFound(`Could not find experiment with name '${name}'`);
    return found;
  }

  async getMany(ids: readonly number[]): Promise<ExperimentRecord[]> {
    return store.selectExperiments(this.db.kysely, ids);
  }

  /** Active experiments only may be written to (runs created, renamed, tagged). */
  async getActive(experimentId: string): Promise<ExperimentRecord> {
    const experiment = await this.get(experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw new CairnError('INVALID_PARAMETER_VALUE', `The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`);
    }
    return experiment;
  }

  async rename(experimentId: string, newName: string): Promise<void> {
    checkExperimentName(newName);
    const experiment = await this.get(experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw new CairnError('INVALID_STATE', `Cannot rename a non-active experiment ${experimentId}. Current state is ${experiment.lifecycleStage}.`);
    }
    try {
      await store.renameExperiment(this.db.kysely, experiment.experimentId, newName, nowMs());
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyExists(`Experiment(name=${newName}) already exists.`);
      throw error;
    }
  }

  /** Delete marks the experiment and all its runs deleted; restorable. */
  async delete(experimentId: string): Promise<void> {
    const experiment = await this.get(experimentId);
    if (experiment.experimentId === 0) throw invalid('Cannot delete the default experiment 0. This is an internally reserved experiment.');
    if (experiment.lifecycleStage !== 'active') throw notFound(`Cannot delete an already deleted experiment: ${experimentId}`);
    await store.setExperimentLifecycle(this.db.kysely, experiment.experimentId, 'deleted', nowMs());
  }

  async restore(experimentId: string): Promise<void> {
    const experiment = await this.get(experimentId);
    if (experiment.lifecycleStage !== 'deleted') throw notFound(`Cannot restore an active experiment: ${experimentId}`);
    await store.setExperimentLifecycle(this.db.kysely, experiment.experimentId, 'active', nowMs());
  }

  async setTag(experimentId: string, key: string, value: string): Promise<void> {
    checkKey(key, 'tag');
    checkValueLength(value, LIMITS.experimentTagValue, 'tag', key);
    const experiment = await this.getActive(experimentId);
    await store.upsertExperimentTag(this.db.kysely, experiment.experimentId, key, value);
  }

  async deleteTag(experimentId: string, key: string): Promise<void> {
    const experiment = await this.getActive(experimentId);
    const removed = await store.deleteExperimentTag(this.db.kysely, experiment.experimentId, key);
    if (removed === 0) throw notFound(`No tag with name: ${key} in experiment with id ${experimentId}`);
  }
}
