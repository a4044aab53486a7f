#!/usr/bin/env node
// `npm run bench -- serving [--seconds 8]`: the same iris model served by `mlflow models serve`
// (its sklearn pyfunc, from .venv) and by `cairn serve` (its ONNX export), one after the other,
// driven by wrk at 1, 16 and 64 connections with 1-row and 100-row dataframe_split bodies; then
// the overhead cairn adds over a bare node:http server calling onnxruntime-node directly.
// Needs: npx tsc -p ., .venv with mlflow + skl2onnx (node scripts/ensure-python.mjs), wrk (apt-get install -y wrk).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const SECONDS = Number(args.includes('--seconds') ? args[args.indexOf('--seconds') + 1] : 8);
const CONNECTIONS = [1, 16, 64];
const BODIES = [1, 100];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Start a server in its own process group and wait for GET /ping to answer 200. */
async function start(name, command, commandArgs, dir, env = {}) {
  const port = await freePort();
  const logFile = join(dir, `${name}.log`);
  // A file, not a pipe: wrk runs through spawnSync, which would leave a pipe undrained and stall
  // a server that logs every request (uvicorn does).
  const log = openSync(logFile, 'a');
  const child = spawn(command, commandArgs(port), { detached: true, stdio: ['ignore', log, log], cwd: dir, env: { ...process.env, ...env } });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${logFile}`);
    if (await fetch(`${url}/ping`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`${name} did not answer /ping; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        resolve();
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, 10_000).unref();
    });
  return { url, stop };
}

/** One wrk run: requests/s and p50/p99 latency in ms (wrk --latency). */
function wrk(url, connections, script) {
  const result = spawnSync('wrk', ['-t', String(Math.min(2, connections)), '-c', String(connections), '-d', `${SECONDS}s`, '--latency', '-s', script, `${url}/invocations`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  const text = result.stdout;
  const ms = (label) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(text);
    if (!m) return NaN;
    return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 })[m[2]];
  };
  const rps = Number((/Requests\/sec:\s+([\d.]+)/.exec(text) ?? [])[1]);
  if (!Number.isFinite(rps) || rps === 0) throw new Error(`no answers from ${url}:\n${text}`);
  const non2xx = Number((/Non-2xx or 3xx responses:\s+(\d+)/.exec(text) ?? [0, 0])[1]);
  if (non2xx > 0) throw new Error(`${non2xx} requests failed against ${url}:\n${text}`);
  return { rps, p50: ms('50'), p99: ms('99') };
}

async function measure(name, server, scripts) {
  const rows = [];
  for (const bodyRows of BODIES) {
    for (const c of CONNECTIONS) {
      const r = wrk(server.url, c, scripts[bodyRows]);
      rows.push({ server: name, rows: bodyRows, connections: c, ...r });
      console.log(`${name.padEnd(14)} ${String(bodyRows).padStart(3)} rows  c=${String(c).padEnd(3)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`);
    }
  }
  return rows;
}

// A bare scoring server: parse dataframe_split, one onnxruntime run, the same response shape.
const DIRECT_SERVER = `
import http from 'node:http';
import ort from '${import.meta.resolve('onnxruntime-node')}';
const session = await ort.InferenceSession.create(process.argv[2], { graphOptimizationLevel: 'all' });
const input = session.inputNames[0];
const server = http.createServer((req, res) => {
  if (req.method === 'GET') { res.writeHead(200); return res.end('\\n'); }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const { dataframe_split: { data } } = JSON.parse(Buffer.concat(chunks).toString());
    const width = data[0].length;
    const x = new Float32Array(data.length * width);
    data.forEach((row, i) => row.forEach((v, j) => { x[i * width + j] = v; }));
    const out = await session.run({ [input]: new ort.Tensor('float32', x, [data.length, width]) });
    const labels = out.label.data, probs = out.probabilities.data, k = out.probabilities.dims[1];
    const predictions = Array.from({ length: data.length }, (_, i) => ({ label: Number(labels[i]), probabilities: Array.from(probs.slice(i * k, i * k + k)) }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ predictions }));
  });
});
server.listen(Number(process.argv[3]), '127.0.0.1');
`;

async function main() {
  for (const need of [join(REPO, 'dist/cli/main.js'), join(REPO, '.venv/bin/mlflow')]) {
    if (!existsSync(need)) throw new Error(`missing ${need}: run npx tsc -p . and node scripts/ensure-python.mjs`);
  }
  if (spawnSync('wrk', ['--version']).error) throw new Error('wrk is not installed: apt-get install -y wrk');
  const dir = await mkdtemp(join(tmpdir(), 'cairn-bench-serving-'));
  const servers = [];
  try {
    const prep = spawnSync(join(REPO, '.venv/bin/python'), [join(REPO, 'bench/serving_model.py'), dir], { encoding: 'utf8', env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true' } });
    if (prep.status !== 0) throw new Error(`preparing the model failed:\n${prep.stderr}`);
    const scripts = {};
    for (const rows of BODIES) {
      scripts[rows] = join(dir, `post-${rows}.lua`);
      await writeFile(scripts[rows], `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nlocal f = io.open("${join(dir, `body-${rows}.json`)}", "r")\nwrk.body = f:read("*a")\nf:close()\n`);
    }
    console.log(`serving benchmark: ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}, wrk ${SECONDS} s per run, load generator on the same machine\n`);
    const results = [];
    const mlflow = await start('mlflow', join(REPO, '.venv/bin/mlflow'), (port) => ['models', 'serve', '-m', join(dir, 'sklearn'), '--env-manager', 'local', '--host', '127.0.0.1', '--port', String(port)], dir, {
      // mlflow starts uvicorn by name, so the venv's bin must be on PATH.
      PATH: `${join(REPO, '.venv/bin')}:${process.env.PATH ?? ''}`,
      MLFLOW_DISABLE_TELEMETRY: 'true',
    });
    servers.push(mlflow);
    results.push(...(await measure('mlflow sklearn', mlflow, scripts)));
    await mlflow.stop();
    const cairn = await start('cairn', process.execPath, (port) => [join(REPO, 'bin/cairn'), 'serve', join(dir, 'onnx'), '--port', String(port), '--log-level', 'error'], dir);
    servers.push(cairn);
    results.push(...(await measure('cairn onnx', cairn, scripts)));
    await cairn.stop();
    await writeFile(join(dir, 'ort-direct.mjs'), DIRECT_SERVER);
    const direct = await start('ort-direct', process.execPath, (port) => [join(dir, 'ort-direct.mjs'), join(dir, 'onnx', 'model.onnx'), String(port)], dir);
    servers.push(direct);
    results.push(...(await measure('ort direct', direct, scripts)));
    await direct.stop();

    console.log('\n| rows | connections | mlflow req/s | cairn req/s | cairn / mlflow | mlflow p50 / p99 ms | cairn p50 / p99 ms | onnxruntime direct req/s | cairn overhead |');
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const rows of BODIES) {
      for (const c of CONNECTIONS) {
        const pick = (server) => results.find((r) => r.server === server && r.rows === rows && r.connections === c);
        const m = pick('mlflow sklearn');
        const k = pick('cairn onnx');
        const d = pick('ort direct');
        const overhead = (d.rps / k.rps - 1) * 100;
        console.log(`| ${rows} | ${c} | ${m.rps.toFixed(0)} | ${k.rps.toFixed(0)} | ${(k.rps / m.rps).toFixed(1)}× | ${m.p50.toFixed(2)} / ${m.p99.toFixed(2)} | ${k.p50.toFixed(2)} / ${k.p99.toFixed(2)} | ${d.rps.toFixed(0)} | ${overhead.toFixed(1)}% |`);
      }
    }
    console.log('\ncairn overhead = throughput of a bare node:http + onnxruntime-node server over cairn serve\'s, minus 1 (target: under 20% at 100 rows).');
  } finally {
    for (const s of servers) await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
