/** SQL for monitor runs and the metric time series they write. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, MonitorMetricsTable, MonitorRunsTable } from '../schema.js';

/** A run row as stored. */
export type MonitorRunRow = Selectable<MonitorRunsTable>;

/** One point of a metric series. */
export type MetricPoint = Omit<Selectable<MonitorMetricsTable>, 'monitor'>;

/** Store a run and its metric points in one transaction: a run is never half recorded. */
export async function insertRun(db: Kysely<Database>, run: MonitorRunRow, points: readonly Omit<MetricPoint, 'run_id' | 'time'>[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('monitor_runs').values(run).execute();
    // Chunks keep each INSERT under SQLite's bound-parameter limit.
    for (let i = 0; i < points.length; i += 150) {
      const chunk = points.slice(i, i + 150).map((p) => ({ monitor: run.monitor, run_id: run.run_id, time: run.started_at, metric: p.metric, column_name: p.column_name, value: p.value }));
      await tx.insertInto('monitor_metrics').values(chunk).execute();
    }
  });
}

/** Runs of a monitor, newest first, without their detail. */
export async function selectRuns(db: Kysely<Database>, monitor: string, o: { limit: number; before?: number | undefined }): Promise<Omit<MonitorRunRow, 'detail'>[]> {
  let query = db
    .selectFrom('monitor_runs')
    .select(['run_id', 'monitor', 'trigger', 'status', 'error', 'started_at', 'finished_at', 'window_from', 'window_to', 'reference_rows', 'current_rows', 'summary'])
    .where('monitor', '=', monitor);
  if (o.before !== undefined) query = query.where('started_at', '<', o.before);
  return query.orderBy('started_at', 'desc').orderBy('run_id', 'desc').limit(o.limit).execute();
}

/** One run with its detail. */
export async function selectRun(db: Kysely<Database>, monitor: string, runId: string): Promise<MonitorRunRow | undefined> {
  return db.selectFrom('monitor_runs').selectAll().where('monitor', '=', monitor).where('run_id', '=', runId).executeTakeFirst();
}

/** Points of a monitor's series, oldest first; filtered by metric and column when given. */
export async function selectMetricPoints(db: Kysely<Database>, monitor: string, o: { metric?: string | undefined; column?: string | undefined; from?: number | undefined; to?: number | undefined; limit: number }): Promise<(MetricPoint & { metric: string })[]> {
  let query = db.selectFrom('monitor_metrics').select(['run_id', 'time', 'metric', 'column_name', 'value']).where('monitor', '=', monitor);
  if (o.metric !== undefined) query = query.where('metric', '=', o.metric);
  if (o.column !== undefined) query = query.where('column_name', '=', o.column);
  if (o.from !== undefined) query = query.where('time', '>=', o.from);
  if (o.to !== undefined) query = query.where('time', '<', o.to);
  return query.orderBy('time').orderBy('metric').orderBy('column_name').limit(o.limit).execute();
}

/** The latest point of every series of every monitor (what /metrics exposes). */
export async function selectLatestPoints(db: Kysely<Database>): Promise<{ monitor: string; metric: string; column_name: string; value: number }[]> {
  return db
    .selectFrom('monitor_metrics as m')
    .innerJoin('monitors as o', (join) => join.onRef('o.name', '=', 'm.monitor').onRef('o.last_run_id', '=', 'm.run_id'))
    .select(['m.monitor', 'm.metric', 'm.column_name', 'm.value'])
    .execute();
}
