// Starts a real `cairn server` on a free 127.0.0.1 port with a throw-away SQLite file and
// artifact folder, for the browser tests. Needs `npx tsc -p .` and `npm run build:ui` first.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CAIRN_BIN = join(REPO_ROOT, 'bin', 'cairn');

/** Asks the OS for a port nobody is listening on. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(address.port));
    });
  });
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls GET /health until it answers "OK", the process dies, or the deadline passes. */
async function waitForHealth(baseUrl, child, output, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`cairn server exited with code ${child.exitCode} before it was healthy:\n${output.join('')}`);
    }
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok && (await response.text()).trim() === 'OK') return;
    } catch {
      // Not listening yet.
    }
    await delay(100);
  }
  throw new Error(`cairn server did not answer /health within ${deadlineMs} ms:\n${output.join('')}`);
}

/**
 * Spawns `cairn server`, waits until it is healthy, and returns its base URL and a stop()
 * that ends the process and deletes its data folder.
 */
export async function startCairnServer({ startupTimeoutMs = 30_000, extraArgs = [] } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-ui-test-'));
  const port = await freePort();
  const args = [
    CAIRN_BIN, 'server',
    '--host', '127.0.0.1',
    '--port', String(port),
    '--backend-store-uri', `sqlite:///${join(dataDir, 'cairn.db')}`,
    '--artifacts-destination', join(dataDir, 'artifacts'),
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  // Keep the last lines of output for error messages without letting them grow without bound.
  const output = [];
  const remember = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout.on('data', remember);
  child.stderr.on('data', remember);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, output, startupTimeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  async function stop() {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  }

  return { baseUrl, dataDir, stop, output };
}

/** Run a `cairn` CLI command against the server's data folder, feeding `input` on stdin. */
export function cairnCli(args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CAIRN_BIN, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`cairn ${args.join(' ')} exited ${code}: ${output}`))));
    child.stdin.end(input);
  });
}
