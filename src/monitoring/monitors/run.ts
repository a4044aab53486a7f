/**
 * One run of a monitor: take its lease, bring the reference (computed once) and the current window
 * local, test drift and compute performance, store the run and its time series, advance the alert
 * rules. A run that fails is recorded with its reason, and the schedule goes on. A current window
 * with no rows (a deployment that served nothing) is a `no_data` run, not a failure: each column
 * reports "not enough data" and no performance is computed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '../../blob/types.js';
import { CairnError, notFound } from '../../core/errors.js';
import type { Db } from '../../store/db.js';
import { claimMonitorLease, releaseMonitorLease, selectMonitor } from '../../store/monitoring/monitors.js';
import { insertRun, type MonitorRunRow } from '../../store/monitoring/runs.js';
import { evaluateAlerts, type DeliveryOptions } from '../alerts/index.js';
import type { RuleOutcome } from '../alerts/evaluate.js';
import { readDriftInput } from '../data/index.js';
import { driftForDataset, type DatasetDrift, type KsMethod, type TestName } from '../drift/index.js';
import { readPerformanceTable, type PerformanceResult } from '../performance/index.js';
import { runOutputs } from './outputs.js';
import { parseReferenceState, referenceTable } from './reference.js';
import { probabilityColumn, writeInferenceCsv } from './inference-table.js';
import { materializeSource, type SourceDeps } from './sources.js';
import { monitorSpec, type MonitorSpec } from './spec.js';
import { describeTable } from './table-columns.js';

/** What running monitors needs. */
export interface MonitorRuntime {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly sources: SourceDeps;
  readonly delivery: DeliveryOptions;
  /** Who holds a lease (this process). */
  readonly owner: string;
  /** How long a lease lasts; a crashed runner's lease expires after it. */
  readonly leaseMs: number;
  readonly now: () => number;
}

/** How a run was started. */
export type RunTrigger = 'schedule' | 'manual';

/** The run record as stored. */
export type RunRecord = MonitorRunRow;

/** JSON with non-finite numbers as strings, as cairn's drift JSON writes them. */
export const resultJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : v));

interface Computed {
  drift?: DatasetDrift;
  performance?: PerformanceResult;
  window: { from: number; to: number } | null;
  referenceRows: number;
  currentRows: number;
  sources: { reference: string; current: string };
  columns: string[];
  /** The current window had no rows: every column is "not enough data". */
  noData: boolean;
}

/** The probability columns performance reads: the spec's, else the inference log's `probability_<k>` columns. */
function classScoreColumns(spec: NonNullable<MonitorSpec['performance']>, currentColumns: readonly string[]): string[] | undefined {
  if (spec.scores) return spec.scores;
  if (spec.score || spec.task !== 'classification') return undefined;
  const found: string[] = [];
  while (currentColumns.includes(probabilityColumn(found.length))) found.push(probabilityColumn(found.length));
  return found.length > 2 ? found : undefined;
}

async function compute(rt: MonitorRuntime, name: string, spec: MonitorSpec, referenceStateText: string | null, now: number): Promise<Computed> {
  const folder = await mkdtemp(join(tmpdir(), 'cairn-monitor-'));
  try {
    const classes = spec.performance?.classes;
    const reference = await referenceTable(rt, name, spec.reference, parseReferenceState(referenceStateText), now, folder, classes);
    const current = await materializeSource(rt.sources, spec.current, now, folder, 'current', classes);
    // An empty window reads as the reference's columns with no rows, so each column reports "not enough data".
    if (current.empty) await writeInferenceCsv(current.path, { columns: reference.state.columns, records: [] });
    const currentColumns = (await describeTable(current.path)).columns;
    const skip = new Set(spec.performance ? [spec.performance.label, spec.performance.score].filter((c): c is string => c !== undefined) : []);
    const columns = spec.columns ?? reference.state.columns.filter((c) => currentColumns.includes(c) && !skip.has(c));
    const types = spec.column_types ?? {};
    const input = await readDriftInput(reference.table.path, current.path, { columns, types });
    const drift = columns.length === 0 ? undefined : driftForDataset(input.columns, {
      types,
      tests: (spec.tests ?? {}) as Record<string, TestName>,
      thresholds: spec.thresholds ?? {},
      ksMethod: 'auto' as KsMethod,
      driftShare: spec.drift_share,
      histograms: true,
    });
    const p = spec.performance;
    const performance = p && !current.empty
      ? await readPerformanceTable(current.path, {
        task: p.task, prediction: p.prediction, label: p.label, score: p.score, scores: classScoreColumns(p, currentColumns), classes: p.classes,
        positiveLabel: p.positive_label, average: p.average, segment: p.segment,
      })
      : undefined;
    return {
      ...(drift ? { drift } : {}),
      ...(performance ? { performance } : {}),
      window: current.window ?? null,
      referenceRows: input.referenceRows,
      currentRows: input.currentRows,
      sources: { reference: reference.table.description, current: current.description },
      columns,
      noData: current.empty === true,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function summaryOf(c: Computed): Record<string, unknown> {
  const metrics = c.performance?.metrics as Record<string, unknown> | null | undefined;
  const pick = ['accuracy', 'f1', 'rocAuc', 'mae', 'rmse', 'r2'].filter((k) => typeof metrics?.[k] === 'number');
  return {
    ...(c.noData ? { note: 'the current window has no rows: every column is "not enough data"' } : {}),
    dataset_drift: c.drift?.datasetDrift ?? null,
    drift_share: c.drift?.shareOfDriftedColumns ?? null,
    drifted_columns: c.drift?.numberOfDriftedColumns ?? null,
    tested_columns: c.drift?.numberOfTestedColumns ?? null,
    labelled_rows: c.performance?.labelledRows ?? null,
    performance: Object.fromEntries(pick.map((k) => [k.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`), metrics?.[k]])),
  };
}

/**
 * Run a monitor once. A scheduled run names its tick, and returns null when another replica has
 * taken that tick; a manual run fails with INVALID_STATE while the monitor is running elsewhere.
 */
export async function runMonitor(rt: MonitorRuntime, name: string, trigger: RunTrigger, tick?: number): Promise<RunRecord | null> {
  const startedAt = rt.now();
  const claimed = await claimMonitorLease(rt.db.kysely, name, { owner: rt.owner, now: startedAt, until: startedAt + rt.leaseMs, ...(tick !== undefined ? { tick } : {}) });
  if (!claimed) {
    if (!(await selectMonitor(rt.db.kysely, name))) throw notFound(`monitor '${name}' does not exist`);
    if (trigger === 'schedule') return null;
    throw new CairnError('INVALID_STATE', `monitor '${name}' is running already; try again when that run finishes`);
  }
  const runId = randomUUID().replaceAll('-', '');
  let record: RunRecord | undefined;
  try {
    const row = await selectMonitor(rt.db.kysely, name);
    if (!row) throw notFound(`monitor '${name}' does not exist`);
    const base = { run_id: runId, monitor: name, trigger, started_at: startedAt };
    try {
      const spec = monitorSpec.parse(JSON.parse(row.spec));
      const computed = await compute(rt, name, spec, row.reference_state, startedAt);
      // A window with no rows has row counts only: no drift share or verdict that a rule could read as "resolved".
      const points = runOutputs(computed.noData ? undefined : computed.drift, computed.performance, { reference: computed.referenceRows, current: computed.currentRows });
      let alerts: RuleOutcome[] | { error: string } = [];
      try {
        alerts = await evaluateAlerts(rt.db, { monitor: name, runId, time: startedAt }, spec.alerts, spec.channels, points, rt.delivery, { keepUnseen: computed.noData });
      } catch (error) {
        alerts = { error: `alert rules could not be evaluated: ${(error as Error).message}` };
      }
      record = {
        ...base, status: computed.noData ? 'no_data' : 'ok', error: null, finished_at: rt.now(),
        window_from: computed.window?.from ?? null, window_to: computed.window?.to ?? null,
        reference_rows: computed.referenceRows, current_rows: computed.currentRows,
        summary: resultJson(summaryOf(computed)),
        detail: resultJson({ sources: computed.sources, columns: computed.columns, drift: computed.drift ?? null, performance: computed.performance ?? null, alerts }),
      };
      await insertRun(rt.db.kysely, record, points.map((p) => ({ metric: p.metric, column_name: p.column, value: p.value })));
    } catch (error) {
      record = {
        ...base, status: 'failed', error: error instanceof Error ? error.message : String(error), finished_at: rt.now(),
        window_from: null, window_to: null, reference_rows: null, current_rows: null, summary: '{}', detail: null,
      };
      await insertRun(rt.db.kysely, record, []);
    }
    return record;
  } finally {
    await releaseMonitorLease(rt.db.kysely, name, rt.owner, { runId, at: record?.finished_at ?? rt.now(), status: record?.status ?? 'failed', error: record?.error ?? null });
  }
}
