/**
 * Score one request against a deployment: decode the body (MLflow's scoring formats), route it
 * by the traffic weights, answer with the chosen version, send a copy to the shadow version
 * without waiting for it, and hand both to the inference log and the metrics. Logging is a push
 * onto a buffer; nothing on this path waits on storage.
 */
import { randomUUID } from 'node:crypto';
import { CairnError, toCairnError } from '../../core/errors.js';
import { decodeCsvRequest, decodeJsonRequest, type DecodedInput } from '../decode.js';
import type { InferenceLogWriter } from '../inference-log/writer.js';
import type { JsonValue } from '../predictions.js';
import type { LiveDeployments, RoutedRequest } from './live.js';
import type { ServingMetrics } from './metrics.js';

/** What the HTTP layer hands over. */
export interface ScoringRequest {
  readonly deployment: string;
  readonly body: string;
  readonly contentType: string | undefined;
  /** The caller's request id (X-Request-Id), or undefined to make one. */
  readonly requestId: string | undefined;
}

/** The answer, and which version gave it. */
export interface ScoringAnswer {
  readonly predictions: JsonValue;
  readonly version: string;
  readonly requestId: string;
}

/** Where a scored request goes besides the caller. */
export interface ScoringSinks {
  readonly live: LiveDeployments;
  readonly log: InferenceLogWriter;
  readonly metrics: ServingMetrics;
}

const unsupported = (message: string): CairnError => new CairnError('BAD_REQUEST', message, { httpStatus: 415 });

/** Decode a body by its media type, as MLflow's scoring server does; other types get a 415. */
export function decodeScoringBody(body: string, contentType: string | undefined): DecodedInput {
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((p) => p.trim().toLowerCase());
  for (const p of params) {
    if (!p) continue;
    const [key, value = ''] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (key !== 'charset') throw unsupported(`Unrecognized content type parameters: ${key}.`);
    if (value !== 'utf-8' && value !== 'utf8') throw unsupported('The scoring server only supports UTF-8');
  }
  if (mediaType === 'application/json') return decodeJsonRequest(body);
  if (mediaType === 'text/csv') return decodeCsvRequest(body);
  throw unsupported(`This predictor only supports the following content types: Types: ["text/csv", "application/json"]. Got '${contentType ?? ''}'.`);
}

/** Rows in a decoded request, for the log. */
function rowsOf(input: DecodedInput): number {
  if (input.kind === 'frame') return input.rows.length;
  if (input.kind === 'tensor') return Array.isArray(input.value) ? input.value.length : 1;
  const first = Object.values(input.values)[0];
  return Array.isArray(first) ? first.length : 1;
}

/** Score a request; errors (bad input, unknown deployment) are thrown as CairnErrors after being counted. */
export async function scoreRequest(sinks: ScoringSinks, request: ScoringRequest): Promise<ScoringAnswer> {
  const started = performance.now();
  const time = Date.now();
  const requestId = request.requestId && /^[\w.:-]{1,128}$/.test(request.requestId) ? request.requestId : randomUUID();
  const routed = await sinks.live.route(request.deployment);
  let input: DecodedInput | null = null;
  try {
    input = decodeScoringBody(request.body, request.contentType);
    const decoded = input;
    if (routed.shadow) void scoreShadow(sinks, routed, decoded, requestId, time);
    const predictions = await routed.lease.model.predict(decoded);
    const latencyMs = performance.now() - started;
    sinks.metrics.observe(request.deployment, routed.version, false, latencyMs / 1000, false);
    sinks.log.record({ deployment: request.deployment, version: routed.version, requestId, shadow: false, time, latencyMs, status: 'ok', inputs: decoded, outputs: predictions, error: null, rows: rowsOf(decoded) });
    return { predictions, version: routed.version, requestId };
  } catch (error) {
    // A body that did not decode never reaches the shadow, whose lease is returned here.
    if (input === null) routed.shadow?.lease.release();
    const latencyMs = performance.now() - started;
    const cairn = toCairnError(error);
    sinks.metrics.observe(request.deployment, routed.version, false, latencyMs / 1000, true);
    sinks.log.record({ deployment: request.deployment, version: routed.version, requestId, shadow: false, time, latencyMs, status: 'error', inputs: input, outputs: null, error: cairn.message, rows: input ? rowsOf(input) : 0 });
    throw cairn;
  } finally {
    routed.lease.release();
  }
}

/** The shadow's copy: scored after the answer is on its way, logged, never returned. */
async function scoreShadow(sinks: ScoringSinks, routed: RoutedRequest, input: DecodedInput, requestId: string, time: number): Promise<void> {
  const shadow = routed.shadow;
  if (!shadow) return;
  const started = performance.now();
  // Let the primary's predict start first, so the shadow does not delay the answer.
  await new Promise<void>((resolve) => setImmediate(resolve));
  try {
    const outputs = await shadow.lease.model.predict(input);
    const latencyMs = performance.now() - started;
    sinks.metrics.observe(routed.deployment.name, shadow.version, true, latencyMs / 1000, false);
    sinks.log.record({ deployment: routed.deployment.name, version: shadow.version, requestId, shadow: true, time, latencyMs, status: 'ok', inputs: input, outputs, error: null, rows: rowsOf(input) });
  } catch (error) {
    const latencyMs = performance.now() - started;
    sinks.metrics.observe(routed.deployment.name, shadow.version, true, latencyMs / 1000, true);
    sinks.log.record({ deployment: routed.deployment.name, version: shadow.version, requestId, shadow: true, time, latencyMs, status: 'error', inputs: input, outputs: null, error: (error as Error).message, rows: rowsOf(input) });
  } finally {
    shadow.lease.release();
  }
}
