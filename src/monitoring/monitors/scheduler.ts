/**
 * Schedules inside `cairn server`: one croner job per monitor that has a cron expression, kept in
 * step with the database (monitors created or changed on another replica are picked up on the
 * next refresh). Every replica runs the jobs; the lease in the database lets one of them run a
 * given tick, so N replicas still give one run per tick.
 */
import { Cron } from 'croner';
import { selectMonitors } from '../../store/monitoring/monitors.js';
import type { Db } from '../../store/db.js';

/** What the scheduler calls at a tick: run the monitor for that tick (epoch ms of the scheduled second). */
export type RunTick = (monitor: string, tick: number) => Promise<unknown>;

/** Keeps a cron job per scheduled monitor. */
export class MonitorScheduler {
  private readonly jobs = new Map<string, { schedule: string; job: Cron }>();
  private refresher: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly runTick: RunTick,
    private readonly onError: (monitor: string, error: unknown) => void,
    private readonly refreshMs = 30_000,
  ) {}

  /** Load the schedules and keep refreshing them. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.refresh();
    this.refresher = setInterval(() => void this.refresh().catch((error: unknown) => this.onError('*', error)), this.refreshMs);
    this.refresher.unref();
  }

  /** Bring the jobs in line with the monitors table. */
  async refresh(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map((await selectMonitors(this.db.kysely)).filter((m) => m.schedule).map((m) => [m.name, m.schedule!]));
    for (const [name, entry] of this.jobs) {
      if (wanted.get(name) !== entry.schedule) {
        entry.job.stop();
        this.jobs.delete(name);
      }
    }
    if (this.stopped) return;
    for (const [name, schedule] of wanted) {
      if (this.jobs.has(name)) continue;
      const job = new Cron(schedule, { timezone: 'UTC', protect: true, unref: true, catch: (error) => this.onError(name, error) }, async () => {
        // croner fires on the scheduled second; every replica computes the same tick from it.
        const tick = Math.floor(Date.now() / 1000) * 1000;
        if (this.stopped) return;
        const running = this.runTick(name, tick).catch((error: unknown) => this.onError(name, error));
        this.inFlight.add(running);
        await running.finally(() => this.inFlight.delete(running));
      });
      this.jobs.set(name, { schedule, job });
    }
  }

  /** The monitors with a live job, and when each runs next. */
  scheduled(): { monitor: string; next: Date | null }[] {
    return [...this.jobs].map(([monitor, { job }]) => ({ monitor, next: job.nextRun() }));
  }

  /** Stop every job (server shutdown) and wait for runs in progress, so the database outlives them. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.refresher) clearInterval(this.refresher);
    this.refresher = null;
    for (const { job } of this.jobs.values()) job.stop();
    this.jobs.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
