/**
 * What a monitor is, as a zod schema: the same schema validates the API's bodies, types the code
 * and documents the OpenAPI page. Field names are snake_case, as everywhere in /api/v1.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { invalid } from '../../core/errors.js';
import { COMPARATORS } from '../alerts/index.js';
import { TEST_NAMES } from '../drift/index.js';

const name = z.string().min(1).max(256).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only, starting with a letter or digit');

const datasetSource = z.object({
  type: z.literal('dataset'),
  dataset: z.string().min(1),
  /** A version number (`3`, `v3`) or digest. */
  version: z.union([z.string().min(1), z.number().int().positive()]).transform(String),
  /** The table file inside the version; default: its only table file. */
  path: z.string().min(1).optional(),
}).strict();

const artifactSource = z.object({
  type: z.literal('artifact'),
  /** `runs:/<run_id>/<path>`, `mlflow-artifacts:/<path>`, or a path in the artifact store: a logged dataset file. */
  uri: z.string().min(1),
}).strict();

const pastWindow = z.object({
  type: z.literal('inference_log'),
  deployment: z.string().min(1),
  /** Epoch milliseconds, [from, to). */
  from: z.number().int().nonnegative(),
  to: z.number().int().positive(),
}).strict().refine((w) => w.from < w.to, { message: 'from must be before to' });

const lastWindow = z.object({
  type: z.literal('inference_log'),
  deployment: z.string().min(1),
  /** The window that ends when the monitor runs: the last hour, the last day, or a number of seconds. */
  window: z.union([z.enum(['hour', 'day']), z.number().int().min(60).max(90 * 86400)]),
}).strict();

/** Where the reference comes from: a dataset version, a logged dataset file, or a past window of a deployment's log. */
export const referenceSpec = z.union([datasetSource, artifactSource, pastWindow]);
/** What each run compares with it: the deployment's last hour or day, or a dataset version. */
export const currentSpec = z.union([lastWindow, datasetSource, artifactSource]);

export const performanceSpec = z.object({
  task: z.enum(['classification', 'regression']),
  prediction: z.string().min(1).default('prediction'),
  label: z.string().min(1).default('label'),
  /** Two classes: the column holding the positive class's probability. */
  score: z.string().min(1).optional(),
  /**
   * Several classes: one probability column per class (one-vs-rest ROC AUC, log loss). Default for a
   * deployment's inference log: the `probability_<k>` columns of the model's probability outputs.
   */
  scores: z.array(z.string().min(1)).min(2).optional(),
  /** The class of each probability (index k of the model's output, or of `scores`); default 0, 1, … */
  classes: z.array(z.union([z.string(), z.number()])).min(2).optional(),
  positive_label: z.union([z.string(), z.number()]).optional(),
  average: z.enum(['binary', 'macro', 'weighted', 'micro']).optional(),
  segment: z.string().min(1).optional(),
}).strict()
  .refine((p) => !(p.score && p.scores), { message: 'give score (two classes) or scores (one column per class), not both' })
  .refine((p) => !(p.scores && p.classes) || p.scores.length === p.classes.length, { message: 'scores and classes must list the same number of classes' });

export const alertRuleSpec = z.object({
  name,
  metric: z.string().min(1),
  column: z.string().min(1).optional(),
  comparator: z.enum(COMPARATORS),
  threshold: z.number().finite(),
  for: z.number().int().min(1).max(1000).default(1),
  channels: z.array(z.string().min(1)).default([]),
}).strict();

export const channelSpec = z.discriminatedUnion('type', [
  z.object({ name, type: z.literal('webhook'), url: z.string().url(), secret: z.string().min(16, 'a webhook secret needs at least 16 characters').optional() }).strict(),
  z.object({ name, type: z.literal('slack'), url: z.string().url() }).strict(),
  z.object({ name, type: z.literal('retrain'), model: z.string().min(1).optional(), deployment: z.string().min(1).optional() }).strict(),
]);

/** The settable part of a monitor. */
export const monitorSpec = z.object({
  description: z.string().max(5000).nullable().optional(),
  reference: referenceSpec,
  current: currentSpec,
  columns: z.array(z.string().min(1)).optional(),
  column_types: z.record(z.string(), z.enum(['num', 'cat'])).optional(),
  tests: z.record(z.string(), z.enum(TEST_NAMES as unknown as [string, ...string[]])).optional(),
  thresholds: z.record(z.string(), z.number().finite()).optional(),
  drift_share: z.number().gt(0).max(1).default(0.5),
  performance: performanceSpec.optional(),
  /** A cron expression (5 or 6 fields, UTC), or null to run only on demand. */
  schedule: z.string().min(1).nullable().optional(),
  alerts: z.array(alertRuleSpec).default([]),
  channels: z.array(channelSpec).default([]),
}).strict();

export type MonitorSpec = z.output<typeof monitorSpec>;
export type ReferenceSpec = z.output<typeof referenceSpec>;
export type CurrentSpec = z.output<typeof currentSpec>;
export type SourceSpec = ReferenceSpec | CurrentSpec;
export { name as monitorName };

/** Rules that zod cannot say alone: a valid cron, unique names, rules naming known channels. */
export function checkMonitorSpec(spec: MonitorSpec): void {
  if (spec.schedule) {
    try {
      new Cron(spec.schedule, { paused: true, timezone: 'UTC' }).stop();
    } catch (error) {
      throw invalid(`schedule '${spec.schedule}' is not a cron expression: ${(error as Error).message}`);
    }
  }
  const channelNames = new Set<string>();
  for (const c of spec.channels) {
    if (channelNames.has(c.name)) throw invalid(`two channels are named '${c.name}'`);
    channelNames.add(c.name);
  }
  const ruleNames = new Set<string>();
  for (const r of spec.alerts) {
    if (ruleNames.has(r.name)) throw invalid(`two alert rules are named '${r.name}'`);
    ruleNames.add(r.name);
    const unknown = r.channels.filter((c) => !channelNames.has(c));
    if (unknown.length) throw invalid(`alert rule '${r.name}' names unknown channel${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  }
}

/** The spec as the API shows it: webhook secrets are never returned, only whether one is set. */
export function publicSpec(spec: MonitorSpec): Record<string, unknown> {
  return { ...spec, channels: spec.channels.map((c) => (c.type === 'webhook' ? { name: c.name, type: c.type, url: c.url, secret_set: c.secret !== undefined } : c)) };
}
