import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { alreadyExists, invalid } from '../core/errors.js';
import { GATE_METRICS, githubWorkflow, type GateMetric } from '../serving/gate/index.js';
import { fail } from './output.js';

interface InitCiFlags {
  readonly model: string;
  readonly candidate: string;
  readonly champion: string;
  readonly data: string;
  readonly label: string;
  readonly metric: string;
  readonly minDelta?: string;
  readonly maxP95LatencyMs?: string;
  readonly promote?: string;
  readonly branch: string;
  readonly output: string;
  readonly force?: boolean;
}

const optionalNumber = (value: string | undefined, flag: string): number | null => {
  if (value === undefined) return null;
  if (!Number.isFinite(Number(value)) || value.trim() === '') throw invalid(`${flag} ${value}: must be a number`);
  return Number(value);
};

async function initCi(flags: InitCiFlags): Promise<void> {
  if (!(GATE_METRICS as readonly string[]).includes(flags.metric)) throw invalid(`--metric ${flags.metric}: use one of ${GATE_METRICS.join(', ')}`);
  const text = githubWorkflow({
    model: flags.model,
    candidate: flags.candidate,
    champion: flags.champion,
    data: flags.data,
    label: flags.label,
    metric: flags.metric as GateMetric,
    minDelta: optionalNumber(flags.minDelta, '--min-delta'),
    maxP95LatencyMs: optionalNumber(flags.maxP95LatencyMs, '--max-p95-latency-ms'),
    promote: flags.promote ?? null,
    branch: flags.branch,
  });
  const target = resolve(flags.output);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, text, { flag: flags.force ? 'w' : 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw alreadyExists(`${flags.output} exists; pass --force to overwrite it`);
    throw error;
  });
  process.stdout.write(`cairn init ci: wrote ${flags.output}; set the MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN repository secrets\n`);
}

/** `cairn init ci`: write a GitHub Actions workflow that runs `cairn gate`. */
export function registerInitCommand(program: Command): void {
  const init = program.command('init').description('Write starter files for a project').helpOption('--help', 'show this help');
  init
    .command('ci')
    .description('Write a GitHub Actions workflow that runs the cairn gate on pull requests and promotes on the main branch')
    .requiredOption('--model <name>', 'registered model name')
    .option('--candidate <version|alias>', 'the version to judge', 'challenger')
    .option('--champion <alias>', 'the version serving now', 'champion')
    .option('--data <file>', 'holdout data in the repository', 'data/holdout.parquet')
    .requiredOption('--label <column>', 'the column holding the true value')
    .option('--metric <metric>', `one of ${GATE_METRICS.join(', ')}`, 'f1')
    .option('--min-delta <x>', 'required improvement over the champion')
    .option('--max-p95-latency-ms <y>', 'latency ceiling for the candidate')
    .option('--promote <alias>', 'alias to move on a pass (pushes to the branch only)')
    .option('--branch <name>', 'the branch whose pushes promote', 'main')
    .option('-o, --output <file>', 'where to write the workflow', '.github/workflows/cairn-gate.yml')
    .option('--force', 'overwrite an existing file')
    .helpOption('--help', 'show this help')
    .action(async (flags: InitCiFlags) => {
      await initCi(flags).catch(fail);
    });
}
