import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { invalid } from '../core/errors.js';
import { predictFile } from '../serving/batch.js';
import { parseModelSource } from '../serving/config.js';
import { loadModel, onnxRuntime } from '../serving/index.js';
import { fail } from './output.js';

interface PredictFlags {
  readonly input: string;
  readonly output: string;
  readonly batchSize: string;
  readonly trackingUri?: string;
  readonly modelCache?: string;
  readonly threads?: string;
}

async function predict(model: string, flags: PredictFlags): Promise<void> {
  const batchSize = z.coerce.number().int().min(1).max(10_000_000).safeParse(flags.batchSize);
  if (!batchSize.success) throw invalid(`--batch-size ${flags.batchSize}: must be a whole number from 1 to 10000000`);
  const threads = flags.threads ? Number(flags.threads) : undefined;
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw invalid(`--threads ${flags.threads}: must be a positive whole number`);
  const loaded = await loadModel(model, parseModelSource(flags, process.env), onnxRuntime(threads ? { intraOpThreads: threads } : {}));
  for (const warning of loaded.model.warnings) process.stderr.write(`cairn predict: warning: ${warning}\n`);
  const bar = new SingleBar({ format: 'cairn predict [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left', stream: process.stderr }, Presets.shades_classic);
  let started = false;
  try {
    const result = await predictFile({
      model: loaded.model,
      input: flags.input,
      output: flags.output,
      batchSize: batchSize.data,
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      },
    });
    bar.stop();
    process.stdout.write(`cairn predict: ${result.rows} rows in ${result.batches} batches -> ${flags.output} (columns: ${result.outputColumns.join(', ')})\n`);
  } finally {
    bar.stop();
    await loaded.model.close();
  }
}

/** `cairn predict`: batch inference over a Parquet or CSV file, in chunks. */
export function registerPredictCommand(program: Command): void {
  program
    .command('predict')
    .description('Score a Parquet or CSV file with a model and write the predictions (Parquet or CSV), streaming in batches')
    .argument('<model>', 'models:/<name>@<alias>, models:/<name>/<version>, or a local model folder')
    .requiredOption('-i, --input <file>', 'input rows: .parquet or .csv with a header')
    .requiredOption('-o, --output <file>', 'predictions: .parquet or .csv, one row per input row, in input order')
    .option('--batch-size <rows>', 'rows per model call', '10000')
    .option('--tracking-uri <uri>', 'tracking server to fetch models:/ URIs from (default: $MLFLOW_TRACKING_URI)')
    .option('--model-cache <dir>', 'where downloaded models are kept and verified (default: $CAIRN_MODEL_CACHE or ~/.cache/cairn/models)')
    .option('--threads <n>', 'threads onnxruntime uses')
    .helpOption('--help', 'show this help')
    .action(async (model: string, flags: PredictFlags) => {
      await predict(model, flags).catch(fail);
    });
}
