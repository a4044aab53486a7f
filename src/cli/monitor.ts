/** `cairn monitor run <name>`: run a monitor once on a cairn server and print its result. */
import type { Command } from 'commander';
import { CairnError, invalid, type ErrorCode } from '../core/errors.js';
import { parseTrackingServer } from '../serving/config.js';
import { fail } from './output.js';

interface MonitorFlags {
  readonly trackingUri?: string;
  readonly json?: boolean;
}

interface RunAnswer {
  run: {
    run_id: string;
    status: string;
    error: string | null;
    current_rows: number | null;
    reference_rows: number | null;
    summary: Record<string, unknown>;
    detail?: { drift?: { columns?: { column: string; status: string; test?: string; score?: number | string | null; drift: boolean }[] } | null; alerts?: unknown } | null;
  };
}

/** The human-readable report of one run. */
export function formatRun(name: string, answer: RunAnswer): string {
  const r = answer.run;
  if (r.status === 'failed') return `monitor ${name}: run ${r.run_id} FAILED: ${r.error ?? 'unknown reason'}\n`;
  const verdict = r.status === 'no_data' ? 'has no data (the current window has no rows)' : 'ok';
  const lines = [`monitor ${name}: run ${r.run_id} ${verdict} (reference ${r.reference_rows} rows, current ${r.current_rows} rows)`];
  for (const c of r.detail?.drift?.columns ?? []) {
    const score = typeof c.score === 'number' ? String(Number(c.score.toPrecision(4))) : (c.score ?? '-');
    lines.push(`  ${c.column.padEnd(24)} ${c.status === 'tested' ? `${(c.test ?? '').padEnd(14)} ${String(score).padEnd(12)} ${c.drift ? 'DRIFT' : 'ok'}` : c.status}`);
  }
  const s = r.summary;
  if (s['dataset_drift'] !== null && s['dataset_drift'] !== undefined) lines.push(`dataset drift: ${s['dataset_drift'] ? 'yes' : 'no'} (${s['drifted_columns']} of ${s['tested_columns']} columns)`);
  const performance = s['performance'] as Record<string, number> | undefined;
  if (performance && Object.keys(performance).length > 0) lines.push(`performance (${s['labelled_rows']} labelled rows): ${Object.entries(performance).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(', ')}`);
  const alerts = r.detail?.alerts;
  if (Array.isArray(alerts)) for (const a of alerts as { rule: string; transition: string | null; firing: boolean }[]) lines.push(`alert ${a.rule}: ${a.firing ? 'FIRING' : 'ok'}${a.transition ? ` (${a.transition}, notified)` : ''}`);
  return `${lines.join('\n')}\n`;
}

async function runOnce(name: string, flags: MonitorFlags): Promise<void> {
  const server = parseTrackingServer(flags.trackingUri ?? process.env['MLFLOW_TRACKING_URI'], process.env);
  if (!server) throw invalid('cairn monitor run needs a cairn server: pass --tracking-uri http://host:port or set MLFLOW_TRACKING_URI');
  const url = `${server.url}/api/v1/monitors/${encodeURIComponent(name)}/run`;
  const response = await fetch(url, { method: 'POST', headers: { ...server.headers, 'content-type': 'application/json' }, body: '{}' }).catch((error: unknown) => {
    throw new CairnError('TEMPORARILY_UNAVAILABLE', `cannot reach ${server.url}: ${(error as Error).message}`);
  });
  const body = (await response.json().catch(() => ({}))) as RunAnswer & { error_code?: ErrorCode; message?: string };
  if (!response.ok) throw new CairnError(body.error_code ?? 'INTERNAL_ERROR', body.message ?? `HTTP ${response.status} from ${server.url}`);
  process.stdout.write(flags.json ? `${JSON.stringify(body.run, null, 2)}\n` : formatRun(name, body));
  // A failed run is an answer, not an error of the command; scripts still learn of it from the exit code.
  // A run whose window had no rows (status no_data) did not fail.
  if (body.run.status === 'failed') process.exit(1);
}

/** Register `cairn monitor` on the program. */
export function registerMonitorCommand(program: Command): void {
  const monitor = program.command('monitor').description('Monitors: drift, performance and alerts on a cairn server').helpOption('--help', 'show this help');
  monitor
    .command('run')
    .description('run a monitor once now and print the result (exit 1 when the run failed)')
    .argument('<name>', 'monitor name')
    .option('--tracking-uri <uri>', 'the cairn server (default: $MLFLOW_TRACKING_URI)')
    .option('--json', 'print the run as JSON')
    .action(async (name: string, flags: MonitorFlags) => {
      await runOnce(name, flags).catch(fail);
    });
}
