import { sql } from 'kysely';
import { invalid } from '../../core/errors.js';
import type { Db } from '../db.js';
import { commitTogether } from '../group-commit.js';
import { metricValue, type KeyValue, type MetricPoint } from './runs.js';

/** A metric as logged: the point, plus the logged model and dataset it was measured for. */
export interface LoggedMetric extends MetricPoint {
  modelId?: string | undefined;
  datasetName?: string | undefined;
  datasetDigest?: string | undefined;
}

export interface BatchWrite {
  runId: string;
  experimentId: number;
  metrics: LoggedMetric[];
  params: KeyValue[];
  tags: KeyValue[];
}

/** The stored form: NaN becomes 0 with a flag (SQLite would store NaN as NULL). */
const stored = (value: number): [number, number] => (Number.isNaN(value) ? [0, 1] : [value, 0]);

/** Newest point per key within the batch, by (step, timestamp, value) as MLflow orders them. */
function latestPerKey(metrics: readonly LoggedMetric[]): LoggedMetric[] {
  const best = new Map<string, LoggedMetric>();
  for (const m of metrics) {
    const current = best.get(m.key);
    if (!current || isNewer(m, current)) best.set(m.key, m);
  }
  // Sorted keys give every writer the same lock order on PostgreSQL, so concurrent batches to
  // one run cannot deadlock.
  return [...best.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function isNewer(a: LoggedMetric, b: LoggedMetric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return stored(a.value)[0] > stored(b.value)[0];
}

function paramConflict(key: string, old: string, value: string, runId: string): Error {
  return invalid(
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${old}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
  );
}

/**
 * Write a batch of metrics, params and tags in one transaction: all of it lands, or none of it
 * (MLflow may leave half a batch behind; cairn does not).
 */
export async function writeBatch(db: Db, batch: BatchWrite): Promise<void> {
  if (db.sqlite) return commitTogether(db, (handle) => sqliteStatements(handle).writeBatch(batch));
  await db.kysely.transaction().execute(async (tx) => {
    if (batch.params.length > 0) {
      const keys = batch.params.map((p) => p.key);
      const existing = await tx.selectFrom('params').select(['key', 'value']).where('run_uuid', '=', batch.runId).where('key', 'in', keys).execute();
      const known = new Map(existing.map((r) => [r.key, r.value]));
      for (const p of batch.params) {
        const old = known.get(p.key);
        if (old !== undefined && old !== p.value) throw paramConflict(p.key, old, p.value, batch.runId);
      }
      const fresh = batch.params.filter((p) => !known.has(p.key));
      if (fresh.length > 0) {
        await tx.insertInto('params').values(fresh.map((p) => ({ run_uuid: batch.runId, key: p.key, value: p.value })))
          .onConflict((oc) => oc.columns(['run_uuid', 'key']).doNothing()).execute();
        // A concurrent writer may have logged the same key with another value in between.
        const after = await tx.selectFrom('params').select(['key', 'value']).where('run_uuid', '=', batch.runId).where('key', 'in', fresh.map((p) => p.key)).execute();
        for (const row of after) {
          const mine = fresh.find((p) => p.key === row.key);
          if (mine && mine.value !== row.value) throw paramConflict(row.key, row.value, mine.value, batch.runId);
        }
      }
    }
    const tags = dedupeLast(batch.tags);
    if (tags.length > 0) {
      await tx.insertInto('tags').values(tags.map((t) => ({ run_uuid: batch.runId, key: t.key, value: t.value })))
        .onConflict((oc) => oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))).execute();
    }
    if (batch.metrics.length > 0) {
      for (let i = 0; i < batch.metrics.length; i += 1000) {
        const slice = batch.metrics.slice(i, i + 1000);
        await tx.insertInto('metrics').values(slice.map((m) => {
          const [value, isNan] = stored(m.value);
          return { run_uuid: batch.runId, key: m.key, timestamp: m.timestamp, step: m.step, value, is_nan: isNan };
        })).onConflict((oc) => oc.doNothing()).execute();
      }
      const latest = latestPerKey(batch.metrics).map((m) => {
        const [value, isNan] = stored(m.value);
        return { run_uuid: batch.runId, key: m.key, timestamp: m.timestamp, step: m.step, value, is_nan: isNan };
      });
      await tx.insertInto('latest_metrics').values(latest)
        .onConflict((oc) => oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({
          timestamp: eb.ref('excluded.timestamp'), step: eb.ref('excluded.step'), value: eb.ref('excluded.value'), is_nan: eb.ref('excluded.is_nan'),
        })).where(sql<boolean>`(excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`))
        .execute();
      const modelMetrics = batch.metrics.filter((m) => m.modelId);
      if (modelMetrics.length > 0) {
        await tx.insertInto('logged_model_metrics').values(modelMetrics.map((m) => {
          const [value, isNan] = stored(m.value);
          return {
            model_id: m.modelId as string, metric_name: m.key, metric_timestamp_ms: m.timestamp, metric_step: m.step,
            metric_value: value, is_nan: isNan, experiment_id: batch.experimentId, run_id: batch.runId,
            dataset_name: m.datasetName ?? null, dataset_digest: m.datasetDigest ?? null,
          };
        })).onConflict((oc) => oc.doNothing()).execute();
      }
    }
  });
}

/** Later tags of the same key win within a batch, as if set one after another. */
function dedupeLast(tags: readonly KeyValue[]): KeyValue[] {
  return [...new Map(tags.map((t) => [t.key, t])).values()];
}

type SqliteHandle = NonNullable<Db['sqlite']>;

const statementCache = new WeakMap<SqliteHandle, ReturnType<typeof prepare>>();

function sqliteStatements(handle: SqliteHandle): ReturnType<typeof prepare> {
  let s = statementCache.get(handle);
  if (!s) {
    s = prepare(handle);
    statementCache.set(handle, s);
  }
  return s;
}

/** Prepared statements for the hot write path on SQLite: one synchronous transaction per batch. */
function prepare(handle: SqliteHandle) {
  const selectParam = handle.prepare<[string, string], { value: string }>('select value from params where run_uuid = ? and key = ?');
  const insertParam = handle.prepare('insert into params (run_uuid, key, value) values (?, ?, ?)');
  const upsertTag = handle.prepare('insert into tags (run_uuid, key, value) values (?, ?, ?) on conflict (run_uuid, key) do update set value = excluded.value');
  const insertMetric = handle.prepare('insert or ignore into metrics (run_uuid, key, timestamp, step, value, is_nan) values (?, ?, ?, ?, ?, ?)');
  const upsertLatest = handle.prepare(
    `insert into latest_metrics (run_uuid, key, timestamp, step, value, is_nan) values (?, ?, ?, ?, ?, ?)
     on conflict (run_uuid, key) do update set timestamp = excluded.timestamp, step = excluded.step, value = excluded.value, is_nan = excluded.is_nan
     where (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`,
  );
  const insertModelMetric = handle.prepare(
    `insert or ignore into logged_model_metrics (model_id, metric_name, metric_timestamp_ms, metric_step, metric_value, is_nan, experiment_id, run_id, dataset_name, dataset_digest)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Runs inside a group commit's savepoint (see group-commit.ts).
  const writeBatch = (batch: BatchWrite): void => {
    for (const p of batch.params) {
      const old = selectParam.get(batch.runId, p.key);
      if (old === undefined) insertParam.run(batch.runId, p.key, p.value);
      else if (old.value !== p.value) throw paramConflict(p.key, old.value, p.value, batch.runId);
    }
    for (const t of batch.tags) upsertTag.run(batch.runId, t.key, t.value);
    for (const m of batch.metrics) {
      const [value, isNan] = stored(m.value);
      insertMetric.run(batch.runId, m.key, m.timestamp, m.step, value, isNan);
      if (m.modelId) {
        insertModelMetric.run(m.modelId, m.key, m.timestamp, m.step, value, isNan, batch.experimentId, batch.runId, m.datasetName ?? null, m.datasetDigest ?? null);
      }
    }
    for (const m of latestPerKey(batch.metrics)) {
      const [value, isNan] = stored(m.value);
      upsertLatest.run(batch.runId, m.key, m.timestamp, m.step, value, isNan);
    }
  };
  return { writeBatch };
}

/** A page of one metric's history, ordered by (timestamp, step, value), with a keyset page token. */
export async function selectMetricHistory(
  db: Db,
  runId: string,
  key: string,
  maxResults: number,
  after: { timestamp: number; step: number; value: number; isNan: number } | undefined,
): Promise<{ points: MetricPoint[]; more: boolean }> {
  let query = db.kysely
    .selectFrom('metrics')
    .select(['key', 'value', 'timestamp', 'step', 'is_nan'])
    .where('run_uuid', '=', runId)
    .where('key', '=', key);
  if (after) {
    query = query.where(sql<boolean>`(timestamp, step, value, is_nan) > (${after.timestamp}, ${after.step}, ${after.value}, ${after.isNan})`);
  }
  const rows = await query.orderBy('timestamp').orderBy('step').orderBy('value').orderBy('is_nan').limit(maxResults + 1).execute();
  const more = rows.length > maxResults;
  const points = rows.slice(0, maxResults).map((r) => ({ key: r.key, value: metricValue(r.value, r.is_nan), timestamp: r.timestamp, step: r.step }));
  return { points, more };
}

/**
 * Points of one metric for one run at evenly spaced steps: at most `maxResults` steps in
 * [startStep, endStep], always keeping the first and last step (what the charts need).
 */
export async function selectSampledHistory(
  db: Db,
  runId: string,
  key: string,
  maxResults: number,
  range: { startStep: number; endStep: number } | undefined,
): Promise<MetricPoint[]> {
  const lo = range?.startStep ?? Number.MIN_SAFE_INTEGER;
  const hi = range?.endStep ?? Number.MAX_SAFE_INTEGER;
  const tiles = Math.max(1, maxResults - 1);
  const result = await sql<{ key: string; value: number; timestamp: number; step: number; is_nan: number }>`
    with steps as (
      select distinct step from metrics where run_uuid = ${runId} and key = ${key} and step >= ${lo} and step <= ${hi}
    ),
    tiled as (select step, ntile(${tiles}) over (order by step) as tile from steps),
    chosen as (
      select min(step) as step from tiled group by tile
      union select max(step) from steps
    )
    select key, value, timestamp, step, is_nan from metrics
    where run_uuid = ${runId} and key = ${key} and step in (select step from chosen)
    order by step, timestamp, value
    limit ${maxResults}`.execute(db.kysely);
  return result.rows.map((r) => ({ key: r.key, value: metricValue(Number(r.value), Number(r.is_nan)), timestamp: Number(r.timestamp), step: Number(r.step) }));
}
