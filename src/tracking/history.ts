import { invalid } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { selectMetricHistory, selectSampledHistory } from '../store/tracking/metrics.js';
import type { MetricPoint } from '../store/tracking/runs.js';

const HISTORY_PAGE_MAX = 25000;

interface HistoryCursor {
  timestamp: number;
  step: number;
  value: number;
  isNan: number;
}

function encodeCursor(point: MetricPoint): string {
  const isNan = Number.isNaN(point.value) ? 1 : 0;
  const cursor: HistoryCursor = { timestamp: point.timestamp, step: point.step, value: isNan ? 0 : point.value, isNan };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(token: string): HistoryCursor {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<HistoryCursor>;
    if ([c.timestamp, c.step, c.value, c.isNan].every((v) => typeof v === 'number')) return c as HistoryCursor;
  } catch {
    // fall through to the error below
  }
  throw invalid(`Invalid page token: '${token}'`);
}

/** Metric history reads: paged single-run history, and evenly sampled multi-run series for charts. */
export class MetricHistory {
  constructor(private readonly db: Db) {}

  /**
   * One page of a metric's history. Pages are keyed by the last point returned, so reading a
   * million points costs the same per page from the first page to the last.
   */
  async page(runId: string, key: string, maxResults: number | undefined, pageToken: string | undefined): Promise<{ metrics: MetricPoint[]; nextPageToken?: string }> {
    const limit = maxResults === undefined || maxResults <= 0 ? HISTORY_PAGE_MAX : Math.min(maxResults, HISTORY_PAGE_MAX);
    const after = pageToken ? decodeCursor(pageToken) : undefined;
    const { points, more } = await selectMetricHistory(this.db, runId, key, limit, after);
    const last = points[points.length - 1];
    return more && last ? { metrics: points, nextPageToken: encodeCursor(last) } : { metrics: points };
  }

  /** Up to `maxResults` points per run, at evenly spaced steps that keep each run's first and last step. */
  async bulkInterval(input: {
    runIds: string[];
    key: string;
    maxResults?: number | undefined;
    startStep?: number | undefined;
    endStep?: number | undefined;
  }): Promise<(MetricPoint & { runId: string })[]> {
    if (input.runIds.length === 0) throw invalid("Missing value for required parameter 'run_ids'.");
    if (input.runIds.length > 100) throw invalid(`GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received ${input.runIds.length} run_ids.`);
    const maxResults = input.maxResults ?? 2500;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 2500) {
      throw invalid(`max_results must be between 1 and 2500 (got ${maxResults})`);
    }
    const hasStart = input.startStep !== undefined;
    const hasEnd = input.endStep !== undefined;
    if (hasStart !== hasEnd) throw invalid('If either start step or end step are specified, both must be specified.');
    if (hasStart && hasEnd && (input.startStep as number) > (input.endStep as number)) {
      throw invalid('end_step must be greater than start_step. ');
    }
    const range = hasStart ? { startStep: input.startStep as number, endStep: input.endStep as number } : undefined;
    const perRun = await Promise.all(
      [...new Set(input.runIds)].sort().map(async (runId) => (await selectSampledHistory(this.db, runId, input.key, maxResults, range)).map((p) => ({ ...p, runId }))),
    );
    return perRun.flat();
  }
}
