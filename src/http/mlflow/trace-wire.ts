/**
 * TraceInfoV3 on the wire. Its times are protobuf well-known types in their JSON form: a Timestamp
 * is an RFC 3339 string ("2025-04-15T08:49:18.699Z"), a Duration a decimal count of seconds with an
 * `s` ("0.012s"), each with up to 9 fractional digits. cairn keeps both as milliseconds.
 */
import { z } from 'zod';
import { TRACE_STATES, type TraceRecord } from '../../tracking/index.js';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DURATION = /^(-)?(\d{1,12})(?:\.(\d{1,9}))?s$/;

/** Milliseconds in a fraction of a second written with 1-9 digits, rounded down as protobuf's ToMilliseconds does. */
function fractionMs(digits: string | undefined): number {
  return digits === undefined ? 0 : Math.floor(Number(digits.padEnd(9, '0')) / 1e6);
}

/** Epoch milliseconds of an RFC 3339 timestamp, or undefined when it is not one. */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const offsetMinutes = m[8] !== undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (Math.abs(offsetMinutes) >= 24 * 60) return undefined;
  return date.getTime() + fractionMs(m[7]) - offsetMinutes * 60_000;
}

/** An RFC 3339 timestamp in UTC, with 3 fractional digits unless they are all zero (as protobuf prints it). */
export function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace('.000Z', 'Z') : iso;
}

/** Milliseconds in a protobuf Duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const ms = Number(m[2]) * 1000 + fractionMs(m[3]);
  return m[1] === '-' ? -ms : ms;
}

/** A protobuf Duration string: whole seconds, then 3 fractional digits unless they are zero. */
export function formatDuration(ms: number): string {
  const whole = Math.trunc(Math.abs(ms) / 1000);
  const fraction = Math.abs(ms) % 1000;
  return `${ms < 0 ? '-' : ''}${whole}${fraction === 0 ? '' : `.${String(fraction).padStart(3, '0')}`}s`;
}

const timestampIn = z.string().transform((text, ctx) => {
  const ms = parseTimestamp(text);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: 'expected an RFC 3339 timestamp such as 2025-04-15T08:49:18.699Z' });
  return ms ?? 0;
});

const durationIn = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: "expected a duration in seconds such as '0.012s'" });
  return ms ?? 0;
});

/** A trace location; cairn keeps traces in MLflow experiments only. */
export const traceLocationIn = z.object({
  type: z.string().optional(),
  mlflow_experiment: z.object({ experiment_id: z.string() }).optional(),
});

/** TraceInfoV3 as the client sends it. Assessments are accepted and not stored. */
export const traceInfoIn = z.object({
  trace_id: z.string(),
  client_request_id: z.string().optional(),
  trace_location: traceLocationIn,
  request_preview: z.string().optional(),
  response_preview: z.string().optional(),
  request_time: timestampIn,
  execution_duration: durationIn.optional(),
  state: z.enum(TRACE_STATES).default('STATE_UNSPECIFIED'),
  trace_metadata: z.record(z.string(), z.string()).default({}),
  tags: z.record(z.string(), z.string()).default({}),
  assessments: z.array(z.unknown()).optional(),
});

export const traceInfoOut = z.object({
  trace_id: z.string(),
  client_request_id: z.string().optional(),
  trace_location: z.object({ type: z.literal('MLFLOW_EXPERIMENT'), mlflow_experiment: z.object({ experiment_id: z.string() }) }),
  request_preview: z.string().optional(),
  response_preview: z.string().optional(),
  request_time: z.string(),
  execution_duration: z.string().optional(),
  state: z.string(),
  trace_metadata: z.record(z.string(), z.string()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

/** Maps are omitted when empty, as protobuf's JSON printer does. */
const nonEmpty = (map: Record<string, string>): Record<string, string> | undefined => (Object.keys(map).length > 0 ? map : undefined);

export function encodeTraceInfo(t: TraceRecord): z.infer<typeof traceInfoOut> {
  return {
    trace_id: t.traceId,
    ...(t.clientRequestId === null ? {} : { client_request_id: t.clientRequestId }),
    trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: String(t.experimentId) } },
    ...(t.requestPreview === null ? {} : { request_preview: t.requestPreview }),
    ...(t.responsePreview === null ? {} : { response_preview: t.responsePreview }),
    request_time: formatTimestamp(t.requestTimeMs),
    ...(t.executionDurationMs === null ? {} : { execution_duration: formatDuration(t.executionDurationMs) }),
    state: t.state,
    trace_metadata: nonEmpty(t.metadata),
    tags: nonEmpty(t.tags),
  };
}
