// `npm run bench -- tracking [--scale small|full] [--only cairn|mlflow] [--out results.json]`
//
// Starts MLflow's own server (PyPI, SQLite, artifact proxy on), then cairn on SQLite, then cairn
// on PostgreSQL, one after the other on this machine; drives each with the same MLflow Python
// client script (bench/tracking_client.py); samples each server's memory; and prints every figure
// for all of them with the cairn/MLflow ratios.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMemorySampler } from './lib/memory.mjs';
import { startCairn, startMlflow, startPostgres } from './lib/servers.mjs';
import { resultsTable, targetLines } from './lib/tracking-report.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const venv = join(repo, '.venv');
const python = join(venv, 'bin', 'python');
const clientScript = join(repo, 'bench', 'tracking_client.py');
const CLIENT_TIMEOUT_MS = { small: 30 * 60_000, full: 4 * 60 * 60_000 };
/** What must be stopped if the benchmark is interrupted: servers, the client, PostgreSQL. */
const running = new Set();

function parseOptions(argv) {
  const options = { scale: 'full', only: undefined, out: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--scale' && (value === 'small' || value === 'full')) options.scale = value;
    else if (flag === '--only' && (value === 'cairn' || value === 'mlflow')) options.only = value;
    else if (flag === '--out' && value) options.out = value;
    else {
      console.error(`usage: npm run bench -- tracking [--scale small|full] [--only cairn|mlflow] [--out results.json]\nunknown or incomplete option: ${flag}`);
      process.exit(2);
    }
    i += 1;
  }
  return options;
}

const started = Date.now();
function say(message) {
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`[${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}] ${message}`);
}

/** Run the client script against one server; relay its progress, feed phases to the sampler. */
function runClient({ label, url, scale, artifactFile, sampler }) {
  return new Promise((resolve) => {
    const child = spawn(python, [clientScript, '--tracking-uri', url, '--scale', scale, '--artifact-file', artifactFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', PYTHONUNBUFFERED: '1' },
    });
    const stopClient = async () => child.kill('SIGKILL');
    running.add(stopClient);
    const timer = setTimeout(() => {
      say(`${label}: the client ran past ${CLIENT_TIMEOUT_MS[scale] / 60_000} min; stopping it`);
      child.kill('SIGKILL');
    }, CLIENT_TIMEOUT_MS[scale]);
    let stdout = '';
    let tail = [];
    // Each phase's figures arrive as they finish, so a client that dies late still reports the rest.
    const partial = {};
    let pending = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onClientLine(line);
    });
    function onClientLine(line) {
      const phase = line.match(/^@phase (\S+) (start|end)(?: (\S+))?/);
      if (phase) {
        const [, name, edge, seconds] = phase;
        if (edge === 'start') sampler.enter(name);
        else sampler.leave(name);
        say(`${label}: ${name} ${edge === 'start' ? 'started' : `done in ${seconds} s`}`);
      } else if (line.startsWith('  ')) {
        say(`${label}:${line}`);
      } else if (line.startsWith('@result ')) {
        const [, name, json] = line.match(/^@result (\S+) (.*)$/) ?? [];
        if (name && json) partial[name] = JSON.parse(json);
      } else if (line.trim()) {
        // MLflow's "View run at" chatter and any traceback: kept for the error message only.
        tail = [...tail.slice(-40), line];
      }
    }
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(stopClient);
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) return resolve(JSON.parse(last));
      const failure = `the client exited with ${code ?? 'a signal'}`;
      say(`${label}: ${failure}; its last output:\n${tail.join('\n')}`);
      resolve({ ...partial, failed: failure });
    });
  });
}

/** One server end to end: start it, sample it while the client drives it, stop it. */
async function benchServer({ key, label, start, scale, artifactFile, workRoot }) {
  const dir = join(workRoot, key);
  say(`${label}: starting the server`);
  const server = await start(dir);
  running.add(server.stop);
  const sampler = startMemorySampler(server.pid);
  const processes = sampler.processCount();
  say(`${label}: listening at ${server.url} (${processes} process${processes === 1 ? '' : 'es'} at start)`);
  try {
    const client = await runClient({ label, url: server.url, scale, artifactFile, sampler });
    const memory = sampler.stop();
    return { label, processes, client, memory };
  } finally {
    sampler.stop();
    await server.stop();
    running.delete(server.stop);
    // Keep the server's log for a look afterwards (errors, retries); the data goes.
    const keptLog = join(tmpdir(), `cairn-bench-tracking-${key}.log`);
    copyFileSync(server.logFile, keptLog);
    rmSync(dir, { recursive: true, force: true });
    say(`${label}: server stopped; its log is at ${keptLog}`);
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(python)) throw new Error(`${python} is missing; run \`node scripts/ensure-python.mjs\` first`);
  if (!existsSync(join(repo, 'dist', 'cli'))) throw new Error('dist/ is missing; run `npx tsc -p .` first');
  const workRoot = mkdtempSync(join(tmpdir(), 'cairn-bench-tracking-'));
  const artifactFile = join(workRoot, 'artifact.bin');
  const results = {};
  let postgres;
  const cleanUp = async () => {
    await postgres?.stop();
    rmSync(workRoot, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      say(`${signal}: stopping everything the benchmark started`);
      Promise.all([...running].map((stop) => stop()))
        .then(cleanUp)
        .finally(() => process.exit(130));
    });
  }
  say(`tracking benchmark, scale ${options.scale}; working in ${workRoot}`);
  try {
    const common = { scale: options.scale, artifactFile, workRoot };
    if (options.only !== 'cairn') {
      results.mlflow = await benchServer({ ...common, key: 'mlflow', label: 'MLflow (SQLite)', start: (dir) => startMlflow({ venv, dir }) });
    }
    if (options.only !== 'mlflow') {
      results.cairnSqlite = await benchServer({ ...common, key: 'cairn-sqlite', label: 'cairn (SQLite)', start: (dir) => startCairn({ repo, dir }) });
      say('starting a throwaway PostgreSQL cluster');
      postgres = await startPostgres({ repo });
      results.cairnPostgres = await benchServer({
        ...common,
        key: 'cairn-postgres',
        label: 'cairn (PostgreSQL)',
        start: (dir) => startCairn({ repo, dir, storeUri: postgres.uri }),
      });
    }
  } finally {
    await cleanUp();
  }
  const out = options.out ?? join(tmpdir(), `cairn-bench-tracking-${options.scale}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify({ scale: options.scale, results }, null, 2)}\n`);
  console.log(`\n${resultsTable(results)}\n`);
  for (const line of targetLines(results)) console.log(line);
  for (const run of Object.values(results)) if (run.client.failed) console.log(`${run.label}: ${run.client.failed}; its figures are partial`);
  if (results.mlflow) console.log(`\nMLflow ran as up to ${results.mlflow.memory.mostProcesses} processes (the CLI, uvicorn and its workers, the job runner and its huey consumers).`);
  console.log(`raw figures: ${out}`);
  say('done');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
