/**
 * MLflow 3 traces: the trace info the client sends when a root span ends, its tags, and search.
 * Span data never passes through here: the client uploads it as traces.json to the artifact
 * location this service hands out in the `mlflow.artifactLocation` tag.
 */
import { alreadyExists, invalid, notFound } from '../core/errors.js';
import { LINKED_PROMPTS_TAG } from '../core/search/traces.js';
import type { Db } from '../store/db.js';
import { searchTraceIds, type SearchTracesQuery } from '../store/search/traces.js';
import * as store from '../store/tracking/traces.js';
import type { TraceRecord } from '../store/tracking/traces.js';
import type { Experiments } from './experiments.js';
import type { Runs } from './runs.js';
import type { Page } from './search.js';
import { checkKey, parseExperimentId } from './validation.js';

export type { TraceRecord, SearchTracesQuery };

/** The states a trace can be in (TraceInfoV3.State). */
export const TRACE_STATES = ['STATE_UNSPECIFIED', 'OK', 'ERROR', 'IN_PROGRESS'] as const;
export type TraceState = (typeof TRACE_STATES)[number];

/** The tag that tells the client where to upload the trace's span data. */
export const ARTIFACT_LOCATION_TAG = 'mlflow.artifactLocation';
/** Set by a server that keeps spans in its tracking store; cairn never does. */
const SPANS_LOCATION_TAG = 'mlflow.trace.spansLocation';

/**
 * Limits on what a trace may carry. The client truncates metadata to 250 characters and tag values
 * to 4096; MLflow's set_trace_tag allows 250-character keys and 8000-character values.
 */
export const TRACE_LIMITS = Object.freeze({
  tagKey: 250,
  tagValue: 8000,
  metadataKey: 250,
  metadataValue: 8000,
  preview: 65536,
  clientRequestId: 1000,
  entries: 1000,
  linksPerRequest: 100,
  idsPerDelete: 1000,
  maxResults: 500,
});

/** A trace as the client reports it; times in epoch milliseconds. */
export interface TraceInfoInput {
  traceId: string;
  experimentId: string;
  requestTimeMs: number;
  executionDurationMs?: number | null | undefined;
  state: TraceState;
  clientRequestId?: string | null | undefined;
  requestPreview?: string | null | undefined;
  responsePreview?: string | null | undefined;
  metadata: Readonly<Record<string, string>>;
  tags: Readonly<Record<string, string>>;
}

/** A delete-traces request: older than a time (at most N, oldest first), or by id. */
export interface TraceDeletionInput {
  experimentId: string;
  maxTimestampMillis?: number | undefined;
  maxTraces?: number | undefined;
  traceIds?: readonly string[] | undefined;
}

// Trace ids become a folder of the artifact location, so they may not hold '/' or start with '.'.
const TRACE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,255}$/;

function checkTraceId(traceId: string): void {
  if (!TRACE_ID_PATTERN.test(traceId)) {
    throw invalid(`Invalid value '${traceId.slice(0, 80)}' for parameter 'trace_id': a trace id is 1-256 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.`);
  }
}

function checkLength(value: string | null | undefined, limit: number, field: string): void {
  if (value !== null && value !== undefined && value.length > limit) {
    throw invalid(`Invalid value for parameter '${field}': length ${value.length} exceeds the limit of ${limit} characters.`);
  }
}

function checkEntries(map: Readonly<Record<string, string>>, field: string, keyLimit: number, valueLimit: number): void {
  const entries = Object.entries(map);
  if (entries.length > TRACE_LIMITS.entries) throw invalid(`Invalid value for parameter '${field}': at most ${TRACE_LIMITS.entries} entries, got ${entries.length}.`);
  for (const [key, value] of entries) {
    if (key === '') throw invalid(`Invalid value for parameter '${field}': keys must not be empty.`);
    if (key.length > keyLimit) {
      throw invalid(`Invalid value for parameter '${field}': key '${key.slice(0, 40)}...' has length ${key.length}, which exceeds the limit of ${keyLimit} characters.`);
    }
    checkLength(value, valueLimit, `${field}.${key}`);
  }
}

/** Traces: store, read, tag, search, delete, and link to runs and prompts. */
export class Traces {
  constructor(
    private readonly db: Db,
    private readonly experiments: Experiments,
    private readonly runs: Runs,
  ) {}

  /** Store a finished (or failed) trace; the experiment must be active. Sending it again is harmless. */
  async start(input: TraceInfoInput): Promise<TraceRecord> {
    checkTraceId(input.traceId);
    checkLength(input.clientRequestId, TRACE_LIMITS.clientRequestId, 'client_request_id');
    checkLength(input.requestPreview, TRACE_LIMITS.preview, 'request_preview');
    checkLength(input.responsePreview, TRACE_LIMITS.preview, 'response_preview');
    checkEntries(input.metadata, 'trace_metadata', TRACE_LIMITS.metadataKey, TRACE_LIMITS.metadataValue);
    checkEntries(input.tags, 'tags', TRACE_LIMITS.tagKey, TRACE_LIMITS.tagValue);
    if (!Number.isSafeInteger(input.requestTimeMs)) throw invalid(`Invalid value for parameter 'request_time': ${input.requestTimeMs}`);
    if (input.executionDurationMs !== null && input.executionDurationMs !== undefined && input.executionDurationMs < 0) {
      throw invalid(`Invalid value for parameter 'execution_duration': a duration must not be negative, got ${input.executionDurationMs} ms.`);
    }
    const experiment = await this.experiments.getActive(input.experimentId);
    const [existing] = await store.selectTraces(this.db.kysely, [input.traceId]);
    if (existing && existing.experimentId !== experiment.experimentId) {
      throw alreadyExists(`Trace with ID '${input.traceId}' already exists in experiment ${existing.experimentId}.`);
    }
    // The server decides where span data goes, whatever the client put in these tags: without
    // spansLocation the client uploads spans to the artifact location, and cairn wants exactly that.
    const artifactLocation = `${experiment.artifactLocation.replace(/\/+$/, '')}/traces/${input.traceId}/artifacts`;
    const tags = Object.fromEntries(Object.entries(input.tags).filter(([key]) => key !== SPANS_LOCATION_TAG));
    await store.upsertTrace(this.db.kysely, {
      traceId: input.traceId,
      experimentId: experiment.experimentId,
      requestTimeMs: input.requestTimeMs,
      executionDurationMs: input.executionDurationMs ?? null,
      state: input.state,
      clientRequestId: input.clientRequestId ?? null,
      requestPreview: input.requestPreview ?? null,
      responsePreview: input.responsePreview ?? null,
      metadata: { ...input.metadata },
      tags: { ...tags, [ARTIFACT_LOCATION_TAG]: artifactLocation },
    });
    return this.get(input.traceId);
  }

  /** One trace's info, tags and metadata. */
  async get(traceId: string): Promise<TraceRecord> {
    const [found] = await store.selectTraces(this.db.kysely, [traceId]);
    if (!found) throw notFound(`Trace with ID '${traceId}' not found.`);
    return found;
  }

  /** The traces that exist among `traceIds`, in the order asked. */
  async getMany(traceIds: readonly string[]): Promise<TraceRecord[]> {
    return store.selectTraces(this.db.kysely, traceIds);
  }

  async setTag(traceId: string, key: string, value: string): Promise<void> {
    checkKey(key, 'tag');
    checkLength(value, TRACE_LIMITS.tagValue, `value of tag '${key}'`);
    await this.get(traceId);
    await store.upsertTraceKeyValues(this.db.kysely, 'trace_tags', traceId, [{ key, value }]);
  }

  async deleteTag(traceId: string, key: string): Promise<void> {
    await this.get(traceId);
    const removed = await store.deleteTraceTag(this.db.kysely, traceId, key);
    if (removed === 0) throw notFound(`No trace tag with key '${key}' for trace with ID '${traceId}'`);
  }

  /** Delete traces by age or by id (MLflow's rules for which combinations are allowed); returns how many went. */
  async delete(input: TraceDeletionInput): Promise<number> {
    const experimentId = parseExperimentId(input.experimentId);
    const ids = input.traceIds ?? [];
    if (input.maxTimestampMillis === undefined && ids.length === 0) throw invalid('Either `max_timestamp_millis` or `trace_ids` must be specified.');
    if (input.maxTimestampMillis !== undefined && ids.length > 0) throw invalid('Only one of `max_timestamp_millis` and `trace_ids` can be specified.');
    if (ids.length > 0 && input.maxTraces !== undefined) throw invalid("`max_traces` can't be specified if `trace_ids` is specified.");
    if (input.maxTraces !== undefined && input.maxTraces <= 0) throw invalid(`\`max_traces\` must be a positive integer, received ${input.maxTraces}.`);
    if (ids.length > TRACE_LIMITS.idsPerDelete) throw invalid(`Cannot delete more than ${TRACE_LIMITS.idsPerDelete} traces by id in one request; got ${ids.length}.`);
    return store.deleteTraces(this.db.kysely, {
      experimentId,
      maxTimestampMs: input.maxTimestampMillis,
      maxTraces: input.maxTraces,
      traceIds: ids.length > 0 ? ids : undefined,
    });
  }

  /** Link traces to a run, so a search by that run finds them. */
  async linkToRun(traceIds: readonly string[], runId: string): Promise<void> {
    if (traceIds.length === 0) return;
    if (traceIds.length > TRACE_LIMITS.linksPerRequest) {
      throw invalid(`Cannot link more than ${TRACE_LIMITS.linksPerRequest} traces to a run in a single request. Provided ${traceIds.length} traces.`);
    }
    await this.runs.info(runId);
    const found = new Set((await this.getMany(traceIds)).map((t) => t.traceId));
    const missing = traceIds.find((id) => !found.has(id));
    if (missing !== undefined) throw notFound(`Trace with ID '${missing}' not found.`);
    await store.insertTraceRunLinks(this.db.kysely, traceIds, runId);
  }

  /** Record prompt versions used by a trace in its `mlflow.linkedPrompts` tag (a JSON list), merged. */
  async linkPrompts(traceId: string, versions: readonly { name: string; version: string }[]): Promise<void> {
    const trace = await this.get(traceId);
    const before = parseLinkedPrompts(trace.tags[LINKED_PROMPTS_TAG]);
    const merged = [...before];
    for (const v of versions) {
      if (!merged.some((l) => l.name === v.name && l.version === v.version)) merged.push({ name: v.name, version: v.version });
    }
    if (merged.length === before.length) return;
    const value = formatLinkedPrompts(merged);
    checkLength(value, TRACE_LIMITS.tagValue, `value of tag '${LINKED_PROMPTS_TAG}'`);
    await store.upsertTraceKeyValues(this.db.kysely, 'trace_tags', traceId, [{ key: LINKED_PROMPTS_TAG, value }]);
  }

  /** One page of traces in the given experiments matching a search_traces filter. */
  async search(query: SearchTracesQuery): Promise<Page<TraceRecord>> {
    if (!Number.isSafeInteger(query.maxResults) || query.maxResults < 1 || query.maxResults > TRACE_LIMITS.maxResults) {
      throw invalid(`Invalid value ${query.maxResults} for parameter 'max_results' supplied: it must be between 1 and ${TRACE_LIMITS.maxResults}.`);
    }
    const page = await searchTraceIds(this.db, query);
    return { items: await this.getMany(page.traceIds), nextPageToken: page.nextPageToken };
  }
}

function parseLinkedPrompts(value: string | undefined): { name: string; version: string }[] {
  if (value === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalid(`Invalid JSON format for '${LINKED_PROMPTS_TAG}' tag: ${value.slice(0, 200)}`);
  }
  if (!Array.isArray(parsed)) throw invalid(`Invalid format for '${LINKED_PROMPTS_TAG}' tag: ${value.slice(0, 200)}`);
  return parsed.map((p: { name?: unknown; version?: unknown }) => ({ name: String(p?.name), version: String(p?.version) }));
}

/** The list laid out as Python's json.dumps writes it, like the tag values the client writes itself. */
function formatLinkedPrompts(list: readonly { name: string; version: string }[]): string {
  return `[${list.map((p) => `{"name": ${JSON.stringify(p.name)}, "version": ${JSON.stringify(p.version)}}`).join(', ')}]`;
}
