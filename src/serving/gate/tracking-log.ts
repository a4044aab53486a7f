/**
 * The gate's calls to the tracking server, over MLflow's REST API as the Python client makes
 * them: an evaluation run (in experiment `cairn-gate` unless told otherwise) with the metrics of
 * both versions, and moving the alias on promotion.
 */
import { CairnError } from '../../core/errors.js';
import type { TrackingServerConfig } from '../tracking-client.js';

async function call(server: TrackingServerConfig, path: string, body: unknown, method = 'POST'): Promise<Record<string, unknown>> {
  const url = `${server.url}/api/2.0/mlflow/${path}`;
  let response: Response;
  try {
    response = await fetch(method === 'GET' ? `${url}?${new URLSearchParams(body as Record<string, string>)}` : url, {
      method,
      headers: { 'content-type': 'application/json', ...server.headers },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new CairnError('TEMPORARILY_UNAVAILABLE', `cannot reach the tracking server at ${server.url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown> & { message?: string; error_code?: string };
  if (!response.ok) return Promise.reject(Object.assign(new CairnError(response.status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : 'INVALID_PARAMETER_VALUE', `tracking server ${path}: ${parsed.message ?? text}`), { errorCode: parsed.error_code }));
  return parsed;
}

/** The experiment's id, creating it when missing. */
async function experimentId(server: TrackingServerConfig, name: string): Promise<string> {
  try {
    const found = (await call(server, 'experiments/get-by-name', { experiment_name: name }, 'GET')) as { experiment: { experiment_id: string } };
    return String(found.experiment.experiment_id);
  } catch (error) {
    if (!(error instanceof CairnError) || error.code !== 'RESOURCE_DOES_NOT_EXIST') throw error;
    return String((await call(server, 'experiments/create', { name })).experiment_id);
  }
}

/** What an evaluation run records. */
export interface EvaluationRun {
  readonly experiment: string;
  readonly runName: string;
  readonly params: Readonly<Record<string, string>>;
  readonly metrics: Readonly<Record<string, number>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** Log a finished run; returns its id. */
export async function logEvaluationRun(server: TrackingServerConfig, run: EvaluationRun): Promise<string> {
  const now = Date.now();
  const created = await call(server, 'runs/create', { experiment_id: await experimentId(server, run.experiment), run_name: run.runName, start_time: now, tags: Object.entries(run.tags).map(([key, value]) => ({ key, value })) });
  const runId = String((created as { run: { info: { run_id: string } } }).run.info.run_id);
  await call(server, 'runs/log-batch', {
    run_id: runId,
    params: Object.entries(run.params).map(([key, value]) => ({ key, value })),
    metrics: Object.entries(run.metrics).filter(([, v]) => Number.isFinite(v)).map(([key, value]) => ({ key, value, timestamp: now, step: 0 })),
  });
  await call(server, 'runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });
  return runId;
}

/** Point `alias` of `model` at `version`. */
export async function moveAlias(server: TrackingServerConfig, model: string, alias: string, version: string): Promise<void> {
  await call(server, 'registered-models/alias', { name: model, alias, version });
}
