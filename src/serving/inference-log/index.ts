/** The inference log: every scored request and its ground truth, as Parquet files per deployment and hour. */
export { InferenceLogWriter, INFERENCE_LOG_DEFAULTS, type InferenceLogOptions } from './writer.js';
export { inferenceLogFiles, readInferenceWindow, withInferenceWindow, type InferenceRow } from './reader.js';
export { deleteInferenceLog, pruneInferenceLog } from './retention.js';
export { hourFolder, type FeedbackRecord, type InferenceRecord, type LogKind } from './records.js';
export { trafficStats, type TrafficBucket } from './stats.js';
