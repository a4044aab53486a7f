/** Pieces of MLflow's JSON conventions shared by every MLflow-compatible route. */
import { z } from 'zod';
import type { ExperimentRecord, RunInfoRecord, RunRecord } from '../../tracking/index.js';

/** int64 fields: JSON numbers, though numeric strings (protobuf's default) are accepted too. */
export const int64 = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'must be an integer').transform(Number)]);

/** Doubles: NaN and ±Infinity travel as strings, per protobuf's JSON mapping. */
export const double = z.union([
  z.number(),
  z.enum(['NaN', 'Infinity', '-Infinity']).transform((s) => (s === 'NaN' ? Number.NaN : s === 'Infinity' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY)),
  z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'must be a number').transform(Number),
]);

export const tag = z.object({ key: z.string(), value: z.string().default('') });
export const tags = z.array(tag).default([]);
export const empty = z.object({});

/** A double on the way out: NaN and infinities as strings. */
export function encodeDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

const tagOut = z.object({ key: z.string(), value: z.string() });
const metricOut = z.object({ key: z.string(), value: z.union([z.number(), z.string()]), timestamp: z.number(), step: z.number() });

export const experimentOut = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string(),
  lifecycle_stage: z.string(),
  last_update_time: z.number(),
  creation_time: z.number(),
  tags: z.array(tagOut).optional(),
});

export const runInfoOut = z.object({
  run_id: z.string(),
  run_uuid: z.string(),
  run_name: z.string(),
  experiment_id: z.string(),
  user_id: z.string(),
  status: z.string(),
  start_time: z.number(),
  end_time: z.number().optional(),
  artifact_uri: z.string(),
  lifecycle_stage: z.string(),
});

export const runOut = z.object({
  info: runInfoOut,
  data: z.object({ metrics: z.array(metricOut).optional(), params: z.array(tagOut).optional(), tags: z.array(tagOut).optional() }),
  inputs: z.object({
    dataset_inputs: z.array(z.object({ tags: z.array(tagOut).optional(), dataset: z.record(z.string(), z.string()) })).optional(),
    model_inputs: z.array(z.object({ model_id: z.string() })).optional(),
  }),
  outputs: z.object({ model_outputs: z.array(z.object({ model_id: z.string(), step: z.number() })).optional() }),
});

/** Repeated fields are omitted when empty, as protobuf's JSON printer does. */
function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

export function encodeExperiment(e: ExperimentRecord): z.infer<typeof experimentOut> {
  return {
    experiment_id: String(e.experimentId),
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: nonEmpty(e.tags),
  };
}

export function encodeRunInfo(i: RunInfoRecord): z.infer<typeof runInfoOut> {
  return {
    run_id: i.runId,
    run_uuid: i.runId,
    run_name: i.runName,
    experiment_id: String(i.experimentId),
    user_id: i.userId,
    status: i.status,
    start_time: i.startTime,
    ...(i.endTime === null ? {} : { end_time: i.endTime }),
    artifact_uri: i.artifactUri,
    lifecycle_stage: i.lifecycleStage,
  };
}

export function encodeMetric(m: { key: string; value: number; timestamp: number; step: number }) {
  return { key: m.key, value: encodeDouble(m.value), timestamp: m.timestamp, step: m.step };
}

export function encodeRun(r: RunRecord): z.infer<typeof runOut> {
  return {
    info: encodeRunInfo(r.info),
    data: { metrics: nonEmpty(r.metrics.map(encodeMetric)), params: nonEmpty(r.params), tags: nonEmpty(r.tags) },
    inputs: {
      dataset_inputs: nonEmpty(
        r.datasetInputs.map((d) => ({
          tags: nonEmpty(d.tags),
          dataset: {
            name: d.dataset.name,
            digest: d.dataset.digest,
            source_type: d.dataset.sourceType,
            source: d.dataset.source,
            ...(d.dataset.schema === null ? {} : { schema: d.dataset.schema }),
            ...(d.dataset.profile === null ? {} : { profile: d.dataset.profile }),
          },
        })),
      ),
      model_inputs: nonEmpty(r.modelInputs.map((model_id) => ({ model_id }))),
    },
    outputs: { model_outputs: nonEmpty(r.modelOutputs.map((o) => ({ model_id: o.modelId, step: o.step }))) },
  };
}
