/** The monitors capability: CRUD over monitor specs, runs (now, or on schedule), results, series, alerts. */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { BlobStore } from '../../blob/types.js';
import { nowMs } from '../../core/clock.js';
import { alreadyExists, invalid, notFound } from '../../core/errors.js';
import { checkOutboundUrl, type OutboundAllowList } from '../../core/outbound.js';
import type { Db } from '../../store/db.js';
import { consumeRetrainTrigger, selectAlertEvents, selectAlertStates, selectRetrainTriggers } from '../../store/monitoring/alerts.js';
import { deleteMonitor, insertMonitor, selectMonitor, selectMonitors, updateMonitorSpec, type MonitorRow } from '../../store/monitoring/monitors.js';
import { selectMetricPoints, selectRun, selectRuns } from '../../store/monitoring/runs.js';
import { DELIVERY_DEFAULTS, type DeliveryOptions } from '../alerts/index.js';
import { registerMonitorMetrics } from './prometheus.js';
import { parseReferenceState } from './reference.js';
import { runMonitor, type MonitorRuntime, type RunRecord } from './run.js';
import { MonitorScheduler } from './scheduler.js';
import type { SourceDeps } from './sources.js';
import { checkMonitorSpec, monitorName, monitorSpec, publicSpec, type MonitorSpec } from './spec.js';

/** What the capability is built on. */
export interface MonitorsDeps {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly sources: SourceDeps;
  /** Hosts webhooks may reach even on private addresses (`--outbound-allow`). */
  readonly outboundAllow: OutboundAllowList;
  readonly delivery?: Partial<Omit<DeliveryOptions, 'allow'>>;
  readonly leaseMs?: number;
  /** The server's prom-client registry, to expose monitor outputs on /metrics. */
  readonly metricsRegistry?: Registry;
  /** Told about scheduled runs that could not even start (the run record holds normal failures). */
  readonly onScheduleError?: (monitor: string, error: unknown) => void;
}

/** A monitor as the API shows it. */
export interface MonitorView {
  name: string;
  spec: Record<string, unknown>;
  reference: ReturnType<typeof parseReferenceState>;
  alertStates: { rule: string; firing: boolean; consecutive: number; since: number | null; lastValue: number | null }[];
  lastRun: { runId: string; at: number | null; status: string | null; error: string | null } | null;
  createdAt: number;
  updatedAt: number;
}

/** The input form of a spec (defaults not yet applied). */
export type MonitorSpecInput = z.input<typeof monitorSpec>;

const parseSpec = (text: string): MonitorSpec => monitorSpec.parse(JSON.parse(text));

/** Validate with a zod schema; a failure is INVALID_PARAMETER_VALUE naming the field at fault. */
function validated<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw invalid(`invalid ${what}${at}: ${issue?.message ?? 'bad value'}`);
}

export class Monitors {
  private readonly runtime: MonitorRuntime;
  private scheduler: MonitorScheduler | null = null;

  constructor(private readonly deps: MonitorsDeps) {
    this.runtime = {
      db: deps.db,
      blobs: deps.blobs,
      sources: deps.sources,
      delivery: { ...DELIVERY_DEFAULTS, ...deps.delivery, allow: deps.outboundAllow },
      owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      leaseMs: deps.leaseMs ?? 15 * 60_000,
      now: nowMs,
    };
    if (deps.metricsRegistry) registerMonitorMetrics(deps.metricsRegistry, deps.db);
  }

  private async checkSpec(spec: MonitorSpec): Promise<void> {
    checkMonitorSpec(spec);
    // Refuse a webhook to a private address when it is configured, not only when it first fires.
    for (const c of spec.channels) if (c.type !== 'retrain') await checkOutboundUrl(c.url, this.runtime.delivery.allow);
  }

  private async view(row: MonitorRow): Promise<MonitorView> {
    const states = await selectAlertStates(this.deps.db.kysely, row.name);
    return {
      name: row.name,
      spec: publicSpec(parseSpec(row.spec)),
      reference: parseReferenceState(row.reference_state),
      alertStates: states.map((s) => ({ rule: s.rule, firing: s.firing === 1, consecutive: s.consecutive, since: s.since, lastValue: s.last_value })),
      lastRun: row.last_run_id ? { runId: row.last_run_id, at: row.last_run_at, status: row.last_status, error: row.last_error } : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private async row(name: string): Promise<MonitorRow> {
    const row = await selectMonitor(this.deps.db.kysely, name);
    if (!row) throw notFound(`monitor '${name}' does not exist`);
    return row;
  }

  /** Create a monitor. */
  async create(name: string, input: MonitorSpecInput): Promise<MonitorView> {
    validated(monitorName, name, 'monitor name');
    const spec = validated(monitorSpec, input, 'monitor');
    await this.checkSpec(spec);
    const created = await insertMonitor(this.deps.db.kysely, { name, description: spec.description ?? null, spec: JSON.stringify(spec), schedule: spec.schedule ?? null, now: nowMs() });
    if (!created) throw alreadyExists(`monitor '${name}' already exists`);
    await this.scheduler?.refresh();
    return this.view(await this.row(name));
  }

  /** Every monitor. */
  async list(): Promise<MonitorView[]> {
    return Promise.all((await selectMonitors(this.deps.db.kysely)).map((r) => this.view(r)));
  }

  /** One monitor. */
  async get(name: string): Promise<MonitorView> {
    return this.view(await this.row(name));
  }

  /** Change some fields; a changed reference is computed again on the next run. Webhook secrets left out are kept. */
  async update(name: string, patch: Partial<MonitorSpecInput>): Promise<MonitorView> {
    const row = await this.row(name);
    const old = parseSpec(row.spec);
    const merged = { ...old, ...patch } as MonitorSpecInput;
    if (patch.channels) {
      merged.channels = patch.channels.map((c) => {
        const before = old.channels.find((o) => o.name === c.name && o.type === 'webhook');
        return c.type === 'webhook' && c.secret === undefined && before?.type === 'webhook' && before.secret ? { ...c, secret: before.secret } : c;
      });
    }
    const spec = validated(monitorSpec, merged, 'monitor');
    await this.checkSpec(spec);
    const resetReference = JSON.stringify(spec.reference) !== JSON.stringify(old.reference);
    await updateMonitorSpec(this.deps.db.kysely, name, { description: spec.description ?? null, spec: JSON.stringify(spec), schedule: spec.schedule ?? null, resetReference, now: nowMs() });
    await this.scheduler?.refresh();
    return this.view(await this.row(name));
  }

  /** Delete a monitor, its runs and series (its alert history stays). */
  async delete(name: string): Promise<void> {
    const row = await this.row(name);
    const reference = parseReferenceState(row.reference_state);
    if (!(await deleteMonitor(this.deps.db.kysely, name))) throw notFound(`monitor '${name}' does not exist`);
    if (reference) await this.deps.blobs.delete(reference.key);
    await this.scheduler?.refresh();
  }

  /** Run a monitor now and return the run (status ok or failed, with the reason). */
  async runNow(name: string): Promise<RunRecord> {
    await this.row(name);
    return (await runMonitor(this.runtime, name, 'manual'))!;
  }

  /** Run a monitor for a schedule tick; null when another replica took the tick. */
  runScheduled(name: string, tick: number): Promise<RunRecord | null> {
    return runMonitor(this.runtime, name, 'schedule', tick);
  }

  /** Runs, newest first (summaries only). */
  async runs(name: string, o: { limit: number; before?: number | undefined }): Promise<Awaited<ReturnType<typeof selectRuns>>> {
    await this.row(name);
    return selectRuns(this.deps.db.kysely, name, o);
  }

  /** One run with its full result. */
  async run(name: string, runId: string): Promise<RunRecord> {
    const run = await selectRun(this.deps.db.kysely, name, runId);
    if (!run) throw notFound(`monitor '${name}' has no run '${runId}'`);
    return run;
  }

  /** Points of the monitor's time series. */
  async series(name: string, o: { metric?: string | undefined; column?: string | undefined; from?: number | undefined; to?: number | undefined; limit: number }): Promise<Awaited<ReturnType<typeof selectMetricPoints>>> {
    await this.row(name);
    return selectMetricPoints(this.deps.db.kysely, name, o);
  }

  /** Alert history, newest first. */
  alerts(o: { monitor?: string | undefined; state?: string | undefined; before?: number | undefined; limit: number }): ReturnType<typeof selectAlertEvents> {
    if (o.state !== undefined && o.state !== 'firing' && o.state !== 'resolved') throw invalid(`state must be firing or resolved, got '${o.state}'`);
    return selectAlertEvents(this.deps.db.kysely, o);
  }

  /** Retrain triggers left by 'retrain' channels, oldest first. */
  retrainTriggers(o: { pending: boolean; limit: number }): ReturnType<typeof selectRetrainTriggers> {
    return selectRetrainTriggers(this.deps.db.kysely, o);
  }

  /** Mark a retrain trigger consumed (exactly one consumer wins). */
  async consumeRetrainTrigger(triggerId: string): Promise<boolean> {
    return consumeRetrainTrigger(this.deps.db.kysely, triggerId, nowMs());
  }

  /** Start the schedules (the server process only; CLI commands never run schedules). */
  async startScheduler(refreshMs?: number): Promise<void> {
    if (this.scheduler) return;
    this.scheduler = new MonitorScheduler(this.deps.db, (name, tick) => this.runScheduled(name, tick), this.deps.onScheduleError ?? (() => undefined), refreshMs);
    await this.scheduler.start();
  }

  /** Stop the schedules and wait for scheduled runs in progress. */
  async close(): Promise<void> {
    const scheduler = this.scheduler;
    this.scheduler = null;
    await scheduler?.stop();
  }
}
