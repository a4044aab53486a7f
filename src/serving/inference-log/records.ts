/**
 * What the inference log holds, and where: one Parquet file per flush, per deployment and hour,
 * under `inference-log/<deployment>/<yyyy-mm-dd>/<hh>/<uuid>.parquet` (feedback the same way
 * under `inference-feedback/`). Hours are UTC. docs/serving.md documents the columns.
 */
import type { DecodedInput } from '../decode.js';
import type { JsonValue } from '../predictions.js';

/** One scored request (or one shadow copy of it). */
export interface InferenceRecord {
  readonly deployment: string;
  readonly version: string;
  readonly requestId: string;
  /** True for the copy a shadow version scored; its output never reached the caller. */
  readonly shadow: boolean;
  /** Epoch milliseconds when the request arrived. */
  readonly time: number;
  readonly latencyMs: number;
  readonly status: 'ok' | 'error';
  /** The decoded request; written as JSON text at flush time, off the request path. */
  readonly inputs: DecodedInput | null;
  /** The `predictions`, or null when scoring failed; written as JSON text at flush time. */
  readonly outputs: JsonValue | null;
  readonly error: string | null;
  readonly rows: number;
}

/** Ground truth for one earlier request. */
export interface FeedbackRecord {
  readonly deployment: string;
  readonly requestId: string;
  /** The true value(s) as JSON text (a label, a number, a list per row...). */
  readonly groundTruth: string;
  readonly time: number;
}

/** The two logs, as folder names in the artifact store. */
export type LogKind = 'inference-log' | 'inference-feedback';

/** DuckDB column definitions, in file order. */
export const INFERENCE_COLUMNS = [
  ['deployment', 'VARCHAR'],
  ['version', 'VARCHAR'],
  ['request_id', 'VARCHAR'],
  ['shadow', 'BOOLEAN'],
  ['time', 'TIMESTAMP'],
  ['latency_ms', 'DOUBLE'],
  ['status', 'VARCHAR'],
  ['inputs', 'VARCHAR'],
  ['outputs', 'VARCHAR'],
  ['error', 'VARCHAR'],
  ['rows', 'INTEGER'],
] as const;

export const FEEDBACK_COLUMNS = [
  ['deployment', 'VARCHAR'],
  ['request_id', 'VARCHAR'],
  ['ground_truth', 'VARCHAR'],
  ['time', 'TIMESTAMP'],
] as const;

const pad = (n: number): string => String(n).padStart(2, '0');

/** The folder of one deployment's hour: `<kind>/<deployment>/<yyyy-mm-dd>/<hh>`. */
export function hourFolder(kind: LogKind, deployment: string, time: number): string {
  const d = new Date(time);
  return `${kind}/${deployment}/${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}/${pad(d.getUTCHours())}`;
}

/** The start (epoch ms) of the UTC hour a folder's `yyyy-mm-dd` and `hh` name, or null if they are not a date and hour. */
export function hourStart(day: string, hour: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{2}$/.test(hour)) return null;
  const ms = Date.parse(`${day}T${hour}:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

export const HOUR_MS = 3_600_000;

/** The inputs as logged: records `[{column: value}]` for tables, `{name: values}` or the tensor as sent otherwise. */
export function inputsAsJson(input: DecodedInput | null): string | null {
  if (input === null) return null;
  switch (input.kind) {
    case 'frame': {
      const columns = input.columns;
      if (!columns) return JSON.stringify(input.rows);
      return JSON.stringify(input.rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]))));
    }
    case 'tensor':
      return JSON.stringify(input.value);
    case 'named':
      return JSON.stringify(input.values);
  }
}
