/** Experiment tracking: experiments, runs, metrics, params, tags, inputs and metric history. */
import type { Db } from '../store/db.js';
import { Experiments } from './experiments.js';
import { MetricHistory } from './history.js';
import { RunInputs } from './inputs.js';
import { Runs } from './runs.js';

export { Experiments, MetricHistory, RunInputs, Runs };
export type { ExperimentRecord } from './experiments.js';
export type { RunRecord, RunInfoRecord, KeyValue, LoggedMetric, RunStatus } from './runs.js';
export { RUN_STATUSES } from './runs.js';
export type { DatasetInputWrite } from './inputs.js';

/** The tracking capability, as the rest of cairn sees it. */
export interface Tracking {
  readonly experiments: Experiments;
  readonly runs: Runs;
  readonly inputs: RunInputs;
  readonly history: MetricHistory;
}

export function createTracking(db: Db): Tracking {
  const experiments = new Experiments(db);
  const runs = new Runs(db, experiments);
  return Object.freeze({ experiments, runs, inputs: new RunInputs(db, runs), history: new MetricHistory(db) });
}
