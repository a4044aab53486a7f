import { invalid } from '../core/errors.js';

/** MLflow's limits (utils/validation.py), so data that MLflow accepts is accepted here too. */
export const LIMITS = Object.freeze({
  keyLength: 250,
  paramValue: 6000,
  runTagValue: 8000,
  experimentTagValue: 5000,
  experimentName: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  datasetName: 500,
  datasetDigest: 36,
  datasetSource: 65535,
  datasetSchema: 1048575,
  datasetProfile: 16777215,
  inputTagKey: 255,
  inputTagValue: 500,
});

// \w is Unicode-aware in MLflow (Python re); the u flag with \p classes matches that.
const KEY_PATTERN = /^[/\p{L}\p{N}_.\- :]*$/u;

/**
 * A param, metric or tag key: allowed characters, a normalised relative path, at most 250
 * characters. `what` names the entity in the message ("metric", "param", "tag").
 */
export function checkKey(key: string, what: string): void {
  if (!key) throw invalid(`Missing value for required parameter 'key'. A ${what} key must not be empty.`);
  if (!KEY_PATTERN.test(key)) {
    throw invalid(
      `Invalid ${what} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  if (!isNormalisedPath(key)) {
    throw invalid(`Invalid ${what} name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normalisePath(key)}'`);
  }
  if (key.length > LIMITS.keyLength) {
    throw invalid(`${capitalise(what)} '${key.slice(0, 40)}...' had length ${key.length}, which exceeded length limit of ${LIMITS.keyLength}`);
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function normalisePath(key: string): string {
  const out: string[] = [];
  for (const part of key.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return (key.startsWith('/') ? '/' : '') + out.join('/');
}

function isNormalisedPath(key: string): boolean {
  return normalisePath(key) === key;
}

/** A value over its limit is refused with the entity, key and limit in the message. */
export function checkValueLength(value: string, limit: number, what: string, key: string): void {
  if (value.length > limit) {
    throw invalid(`${capitalise(what)} value '${value.slice(0, 40)}...' had length ${value.length}, which exceeded length limit of ${limit} (key '${key}')`);
  }
}

export function checkExperimentName(name: string): void {
  if (!name || !name.trim()) throw invalid("Invalid experiment name: ''. Experiment name must be a non-empty string.");
  if (name.length > LIMITS.experimentName) {
    throw invalid(`Experiment name '${name.slice(0, 40)}...' had length ${name.length}, which exceeded length limit of ${LIMITS.experimentName}`);
  }
}

/** Experiment ids are integer strings in MLflow's SQL store; anything else is a 400. */
export function parseExperimentId(id: string): number {
  if (!/^\d{1,15}$/.test(id)) throw invalid(`Invalid experiment ID: '${id}'. Experiment IDs are integers.`);
  return Number(id);
}

const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;

export function checkRunId(runId: string): void {
  if (!RUN_ID_PATTERN.test(runId)) throw invalid(`Invalid run ID: '${runId}'`);
}

export function checkBatchLimits(metrics: number, params: number, tags: number): void {
  if (metrics > LIMITS.batchMetrics) {
    throw invalid(`A batch logging request can contain at most ${LIMITS.batchMetrics} metrics. Got ${metrics} metrics. Please split up metrics across multiple requests and try again.`);
  }
  if (params > LIMITS.batchParams) {
    throw invalid(`A batch logging request can contain at most ${LIMITS.batchParams} params. Got ${params} params. Please split up params across multiple requests and try again.`);
  }
  if (tags > LIMITS.batchTags) {
    throw invalid(`A batch logging request can contain at most ${LIMITS.batchTags} tags. Got ${tags} tags. Please split up tags across multiple requests and try again.`);
  }
  const total = metrics + params + tags;
  if (total > LIMITS.batchTotal) {
    throw invalid(`A batch logging request can contain at most ${LIMITS.batchTotal} total metrics, params, and tags. Got ${total}. Please split up across multiple requests and try again.`);
  }
}
