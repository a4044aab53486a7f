// `npm run bench -- drift [--rows 100000,1000000] [--format parquet|csv] [--only cairn|evidently]`
//
// Writes a reference and a current window of 20 mixed columns (tests/reference/make_drift_data.py,
// cached under the system temp folder), then runs `cairn drift` and Evidently's DataDriftPreset
// (Python, .venv) on the same files, each end to end including reading the files. Prints wall time,
// peak memory (the process tree's RSS, sampled), the Evidently/cairn time ratio, and whether the
// per-column scores (1e-9 relative), the drifted-column count and the dataset verdict agree.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMemorySampler } from './lib/memory.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const python = join(repo, '.venv', 'bin', 'python');

function parseOptions(argv) {
  const options = { rows: [100000, 1000000], format: 'parquet', only: undefined };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--rows' && value) options.rows = value.split(',').map(Number);
    else if (flag === '--format' && (value === 'parquet' || value === 'csv')) options.format = value;
    else if (flag === '--only' && (value === 'cairn' || value === 'evidently')) options.only = value;
    else {
      console.error('usage: npm run bench -- drift [--rows 100000,1000000] [--format parquet|csv] [--only cairn|evidently]');
      process.exit(2);
    }
  }
  if (options.rows.some((n) => !Number.isInteger(n) || n <= 0)) {
    console.error('--rows takes positive integers, comma-separated');
    process.exit(2);
  }
  return options;
}

/** Run a command; resolve with its stdout, wall time and peak memory of its process tree. */
function measure(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = startMemorySampler(child.pid, 100);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const { peakKiB } = sampler.stop();
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ stdout, seconds, peakMiB: peakKiB / 1024 });
    });
  });
}

async function dataFor(rows, format) {
  const dir = join(tmpdir(), `cairn-drift-bench-${rows}-${format}`);
  const files = ['reference', 'current'].map((n) => join(dir, `${n}.${format}`));
  if (!files.every(existsSync)) {
    mkdirSync(dir, { recursive: true });
    console.log(`writing ${rows} rows × 20 columns (${format}) to ${dir} ...`);
    const args = [join(repo, 'tests', 'reference', 'make_drift_data.py'), String(rows), dir];
    if (format === 'parquet') args.push('--parquet');
    await measure(python, args);
  }
  return files;
}

function agreement(cairn, evidently) {
  let worst = 0;
  for (const column of cairn.columns.filter((c) => c.status === 'tested')) {
    const theirs = evidently.values[column.column];
    if (theirs === undefined) return { agree: false, why: `Evidently has no result for ${column.column}` };
    const rel = Math.abs(column.score - theirs) / Math.max(Math.abs(theirs), 1e-300);
    worst = Math.max(worst, Math.abs(column.score - theirs) <= 1e-15 ? 0 : rel);
  }
  const countsAgree = cairn.dataset.number_of_drifted_columns === evidently.count;
  const verdictAgrees = cairn.dataset.dataset_drift === evidently.share >= 0.5;
  return { agree: worst <= 1e-9 && countsAgree && verdictAgrees, why: `worst relative score difference ${worst.toExponential(2)}, drifted columns ${cairn.dataset.number_of_drifted_columns} vs ${evidently.count}` };
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const lines = [];
  for (const rows of options.rows) {
    const [reference, current] = await dataFor(rows, options.format);
    let cairn;
    let evidently;
    if (options.only !== 'evidently') {
      const run = await measure(process.execPath, [join(repo, 'bin', 'cairn'), 'drift', '--reference', reference, '--current', current, '--format', 'json']);
      cairn = { ...run, result: JSON.parse(run.stdout) };
      console.log(`cairn     ${rows} rows: ${cairn.seconds.toFixed(2)} s, peak ${cairn.peakMiB.toFixed(0)} MiB`);
    }
    if (options.only !== 'cairn') {
      const types = cairn ? Object.fromEntries(cairn.result.columns.map((c) => [c.column, c.type])) : {};
      const run = await measure(python, [join(repo, 'bench', 'drift_evidently.py'), reference, current, JSON.stringify(types)]);
      evidently = { ...run, result: JSON.parse(run.stdout) };
      console.log(`evidently ${rows} rows: ${evidently.seconds.toFixed(2)} s, peak ${evidently.peakMiB.toFixed(0)} MiB`);
    }
    if (cairn && evidently) {
      const { agree, why } = agreement(cairn.result, evidently.result);
      lines.push(`${rows} rows × 20 columns (${options.format}): cairn ${cairn.seconds.toFixed(2)} s / ${cairn.peakMiB.toFixed(0)} MiB, ` +
        `Evidently ${evidently.seconds.toFixed(2)} s / ${evidently.peakMiB.toFixed(0)} MiB, ` +
        `${(evidently.seconds / cairn.seconds).toFixed(1)}× faster; verdicts ${agree ? 'agree' : 'DIFFER'} (${why})`);
    }
  }
  if (lines.length) console.log(`\n${lines.join('\n')}`);
}

await main();
