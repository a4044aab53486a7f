import { getJson, postJson } from './client.js';
import type { Experiment, MetricWithRunId, Run } from './types.js';

/** Lists active experiments, most recently created first. */
export async function searchExperiments(): Promise<Experiment[]> {
  const experiments: Experiment[] = [];
  let pageToken: string | undefined;
  do {
    const page = await postJson<{ experiments?: Experiment[]; next_page_token?: string }>('experiments/search', {
      max_results: 1000,
      order_by: ['creation_time DESC'],
      view_type: 'ACTIVE_ONLY',
      ...(pageToken ? { page_token: pageToken } : {}),
    });
    experiments.push(...(page.experiments ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return experiments;
}

/** Fetches one experiment by id. */
export async function getExperiment(experimentId: string): Promise<Experiment> {
  const body = await getJson<{ experiment: Experiment }>('experiments/get', { experiment_id: experimentId });
  return body.experiment;
}

/** One page of runs/search. */
export interface RunsPage {
  runs: Run[];
  nextPageToken: string | undefined;
}

/** Fetches one page of an experiment's runs matching an MLflow search filter. */
export async function searchRunsPage(
  experimentId: string,
  filter: string,
  pageToken: string | undefined,
  signal?: AbortSignal,
): Promise<RunsPage> {
  const body = await postJson<{ runs?: Run[]; next_page_token?: string }>(
    'runs/search',
    {
      experiment_ids: [experimentId],
      filter,
      order_by: ['attributes.start_time DESC'],
      max_results: 1000,
      run_view_type: 'ACTIVE_ONLY',
      ...(pageToken ? { page_token: pageToken } : {}),
    },
    signal,
  );
  return { runs: body.runs ?? [], nextPageToken: body.next_page_token || undefined };
}

/** Fetches one run with its latest metrics, params and tags. */
export async function getRun(runId: string): Promise<Run> {
  const body = await getJson<{ run: Run }>('runs/get', { run_id: runId });
  return body.run;
}

/** Fetches a metric's history for up to 100 runs, down-sampled by the server to about `maxResults` steps. */
export async function getMetricHistories(
  runIds: readonly string[],
  metricKey: string,
  maxResults = 1000,
  signal?: AbortSignal,
): Promise<MetricWithRunId[]> {
  const body = await getJson<{ metrics?: MetricWithRunId[] }>(
    'metrics/get-history-bulk-interval',
    { run_ids: runIds, metric_key: metricKey, max_results: maxResults },
    signal,
  );
  return body.metrics ?? [];
}
