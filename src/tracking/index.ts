/** Experiment tracking: experiments, runs, metrics, params, tags, inputs and metric history. */
import { NO_LINEAGE, type LineageRecorder } from '../core/lineage.js';
import type { Db } from '../store/db.js';
import { Experiments } from './experiments.js';
import { MetricHistory } from './history.js';
import { RunInputs } from './inputs.js';
import { LoggedModels } from './logged-models.js';
import { Runs } from './runs.js';
import { TrackingSearch } from './search.js';
import { Traces } from './traces.js';

export { Experiments, LoggedModels, MetricHistory, RunInputs, Runs, TrackingSearch, Traces };
export type { Page } from './search.js';
export type { LoggedModelRecord, LoggedModelStatus } from './logged-models.js';
export { LOGGED_MODEL_STATUSES } from './logged-models.js';
export type { ExperimentRecord } from './experiments.js';
export type { RunRecord, RunInfoRecord, KeyValue, LoggedMetric, RunStatus } from './runs.js';
export { RUN_STATUSES } from './runs.js';
export type { DatasetInputWrite } from './inputs.js';
export type { TraceRecord, TraceState, TraceInfoInput, TraceDeletionInput } from './traces.js';
export { TRACE_STATES, ARTIFACT_LOCATION_TAG } from './traces.js';

/** The tracking capability, as the rest of cairn sees it. */
export interface Tracking {
  readonly experiments: Experiments;
  readonly runs: Runs;
  readonly inputs: RunInputs;
  readonly history: MetricHistory;
  readonly loggedModels: LoggedModels;
  readonly search: TrackingSearch;
  readonly traces: Traces;
}

/** Build tracking over a database; `lineage` hears which datasets runs used and which models they produced. */
export function createTracking(db: Db, lineage: LineageRecorder = NO_LINEAGE): Tracking {
  const experiments = new Experiments(db);
  const runs = new Runs(db, experiments);
  const loggedModels = new LoggedModels(db, experiments, runs, lineage);
  return Object.freeze({
    experiments,
    runs,
    inputs: new RunInputs(db, runs, lineage),
    history: new MetricHistory(db),
    loggedModels,
    search: new TrackingSearch(db, experiments, runs, loggedModels),
    traces: new Traces(db, experiments, runs),
  });
}
