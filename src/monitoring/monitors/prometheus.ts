/**
 * Monitor outputs on /metrics: one gauge, `cairn_monitor_value{monitor, metric, column}`, holding
 * each monitor's latest run. The values are read from the database at scrape time, so every
 * replica reports the same numbers whichever one ran the monitor. Registered on the server's one
 * prom-client registry (the deployments' metrics), so there is still one /metrics route.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../../store/db.js';
import { selectLatestPoints } from '../../store/monitoring/runs.js';
import { selectMonitors } from '../../store/monitoring/monitors.js';

/** Register the monitor gauges on `registry`. */
export function registerMonitorMetrics(registry: Registry, db: Db): void {
  new Gauge({
    name: 'cairn_monitor_value',
    help: 'Latest output of each monitor: drift_score per column, dataset_drift_share, performance metrics, disparity ratios (see docs/monitoring.md)',
    labelNames: ['monitor', 'metric', 'column'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of await selectLatestPoints(db.kysely)) this.set({ monitor: p.monitor, metric: p.metric, column: p.column_name }, p.value);
    },
  });
  new Gauge({
    name: 'cairn_monitor_last_run_ok',
    help: 'Whether the latest run of each monitor succeeded (1, also when its window had no rows) or failed (0)',
    labelNames: ['monitor'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const m of await selectMonitors(db.kysely)) if (m.last_status) this.set({ monitor: m.name }, m.last_status === 'failed' ? 0 : 1);
    },
  });
}
