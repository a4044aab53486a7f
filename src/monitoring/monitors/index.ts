/** Monitors: a reference and a current window, drift tests, performance, a schedule and alert rules. */
export { Monitors } from './service.js';
export type { MonitorSpecInput, MonitorView, MonitorsDeps } from './service.js';
export { monitorSpec, monitorName, referenceSpec, currentSpec, performanceSpec, alertRuleSpec, channelSpec } from './spec.js';
export type { MonitorSpec } from './spec.js';
export type { SourceDeps } from './sources.js';
export { resultJson } from './run.js';
export type { RunRecord, RunTrigger } from './run.js';
export { MonitorScheduler } from './scheduler.js';
export { inferenceTable } from './inference-table.js';
