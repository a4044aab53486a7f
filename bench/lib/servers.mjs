// The servers the tracking benchmark compares, each started on 127.0.0.1 in its own process
// group (so stopping it also stops MLflow's uvicorn workers) and awaited on /health.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free loopback port, chosen by the kernel. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}; see ${logFile}`);
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`server did not answer ${url}/health within ${timeoutMs / 1000} s; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Stop a whole process group: SIGTERM, then SIGKILL if it has not gone after graceMs. */
function stopGroup(child, graceMs = 20_000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      // Workers may outlive their supervisor by a moment; make sure none are left behind.
      signalGroup(child, 'SIGKILL');
      resolve();
    });
    signalGroup(child, 'SIGTERM');
  });
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

async function startDetached(command, args, { dir, env, healthTimeoutMs }) {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const logFile = join(dir, 'server.log');
  const log = createWriteStream(logFile);
  const child = spawn(command, args(port), { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, logFile, healthTimeoutMs);
  } catch (error) {
    await stopGroup(child, 2000);
    throw error;
  }
  return { url, pid: child.pid, logFile, stop: () => stopGroup(child) };
}

/** `mlflow server` from the venv: SQLite backend, artifact proxy on, its default workers. */
export function startMlflow({ venv, dir }) {
  const mlflow = join(venv, 'bin', 'mlflow');
  if (!existsSync(mlflow)) throw new Error(`${mlflow} is missing; run \`node scripts/ensure-python.mjs\``);
  return startDetached(
    mlflow,
    (port) => [
      'server', '--host', '127.0.0.1', '--port', String(port),
      '--backend-store-uri', `sqlite:///${join(dir, 'mlflow.db')}`,
      '--artifacts-destination', join(dir, 'mlflow-artifacts'),
      '--serve-artifacts',
    ],
    { dir, env: { MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' }, healthTimeoutMs: 180_000 },
  );
}

/** `cairn server` from this checkout's build, on SQLite (storeUri undefined) or the given URI. */
export function startCairn({ repo, dir, storeUri }) {
  const bin = join(repo, 'bin', 'cairn');
  return startDetached(
    process.execPath,
    (port) => [
      bin, 'server', '--host', '127.0.0.1', '--port', String(port),
      '--backend-store-uri', storeUri ?? `sqlite:///${join(dir, 'cairn.db')}`,
      '--artifacts-destination', join(dir, 'cairn-artifacts'),
      '--no-ui',
    ],
    { dir, env: {}, healthTimeoutMs: 60_000 },
  );
}

/** A throwaway PostgreSQL cluster (dist/testing/postgres-cli.js): its URI and a stop(). */
export function startPostgres({ repo }) {
  const cli = join(repo, 'dist', 'testing', 'postgres-cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing; build with \`npx tsc -p .\``);
  const child = spawn(process.execPath, [cli], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`PostgreSQL did not start within 120 s: ${stderr}`));
    }, 120_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line.startsWith('postgres')) {
        clearTimeout(timer);
        resolve({ uri: line.trim(), stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`postgres-cli exited with ${code}: ${stderr}`));
    });
  });
}
