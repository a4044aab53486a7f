import type { Command } from 'commander';
import { invalid } from '../core/errors.js';
import { parseModelSource, parseTrackingServer } from '../serving/config.js';
import { formatGateReport, GATE_METRICS, runGate, type GateMetric } from '../serving/gate/index.js';
import { onnxRuntime } from '../serving/index.js';
import { fail } from './output.js';

interface GateFlags {
  readonly model: string;
  readonly candidate: string;
  readonly champion: string;
  readonly data: string;
  readonly label: string;
  readonly metric: string;
  readonly minDelta?: string;
  readonly maxP95LatencyMs?: string;
  readonly promote?: string;
  readonly experiment: string;
  readonly trackingUri?: string;
  readonly modelCache?: string;
  readonly json?: boolean;
}

function numberFlag(value: string | undefined, flag: string): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw invalid(`${flag} ${value}: must be a number`);
  return n;
}

async function gate(flags: GateFlags): Promise<void> {
  if (!(GATE_METRICS as readonly string[]).includes(flags.metric)) throw invalid(`--metric ${flags.metric}: use one of ${GATE_METRICS.join(', ')}`);
  const server = parseTrackingServer(flags.trackingUri ?? process.env['MLFLOW_TRACKING_URI'], process.env);
  if (!server) throw invalid('cairn gate needs a tracking server: pass --tracking-uri http://host:port or set MLFLOW_TRACKING_URI');
  const latency = numberFlag(flags.maxP95LatencyMs, '--max-p95-latency-ms');
  if (latency !== null && latency <= 0) throw invalid(`--max-p95-latency-ms ${latency}: must be above 0`);
  const report = await runGate(
    {
      model: flags.model,
      candidate: flags.candidate,
      champion: flags.champion,
      data: flags.data,
      label: flags.label,
      metric: flags.metric as GateMetric,
      minDelta: numberFlag(flags.minDelta, '--min-delta') ?? 0,
      maxP95LatencyMs: latency,
      promote: flags.promote ?? null,
      experiment: flags.experiment,
    },
    server,
    parseModelSource(flags, process.env).cacheRoot,
    onnxRuntime(),
  );
  process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatGateReport(report));
  process.exit(report.passed ? 0 : 1);
}

/** `cairn gate`: compare a candidate version with the champion on holdout data; exit 0 only when it passes. */
export function registerGateCommand(program: Command): void {
  program
    .command('gate')
    .description('CI/CD gate: score candidate and champion on holdout data, log an evaluation run, check signatures; exit 0 (and promote) only when every rule passes')
    .requiredOption('--model <name>', 'registered model name')
    .requiredOption('--candidate <version|alias>', 'the version to judge (a number or an alias)')
    .requiredOption('--champion <alias>', 'the version serving now (an alias or a number)')
    .requiredOption('--data <file>', 'holdout data, .parquet or .csv, with the label column')
    .requiredOption('--label <column>', 'the column holding the true value')
    .requiredOption('--metric <metric>', `one of ${GATE_METRICS.join(', ')}`)
    .option('--min-delta <x>', 'the candidate must beat the champion by at least this much (default 0)')
    .option('--max-p95-latency-ms <y>', "fail when the candidate's p95 single-row latency is above this")
    .option('--promote <alias>', 'on a pass, point this alias at the candidate')
    .option('--experiment <name>', 'experiment for the evaluation run', 'cairn-gate')
    .option('--tracking-uri <uri>', 'tracking server (default: $MLFLOW_TRACKING_URI)')
    .option('--model-cache <dir>', 'where downloaded models are kept (default: $CAIRN_MODEL_CACHE or ~/.cache/cairn/models)')
    .option('--json', 'print the report as JSON')
    .helpOption('--help', 'show this help')
    .action(async (flags: GateFlags) => {
      await gate(flags).catch(fail);
    });
}
