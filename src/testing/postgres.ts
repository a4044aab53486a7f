/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temporary folder, start it on a free
 * port bound to 127.0.0.1, create one database, and remove everything again on stop().
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { freePort } from './ports.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A running throwaway cluster: its connection URI and the way to get rid of it. */
export interface TestPostgres {
  readonly uri: string;
  stop(): Promise<void>;
}

/** Tuning for the throwaway cluster; the defaults suit a test run. */
export interface StartPostgresOptions {
  /** Database created inside the cluster (default `cairn`). */
  readonly database?: string;
}

const SUPERUSER = 'postgres';
const PG_ROOT = '/usr/lib/postgresql';

interface SystemUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The folder holding initdb/pg_ctl: the newest Debian-packaged version, else whatever PATH finds. */
export function findPostgresBinDir(): string | undefined {
  if (existsSync(PG_ROOT)) {
    const versions = readdirSync(PG_ROOT)
      .filter((entry) => /^\d+(\.\d+)?$/.test(entry) && existsSync(join(PG_ROOT, entry, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    const newest = versions[0];
    if (newest !== undefined) return join(PG_ROOT, newest, 'bin');
  }
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return undefined;
}

async function systemUser(name: string): Promise<SystemUser> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined && fields[3] !== undefined) {
      return { name, uid: Number(fields[2]), gid: Number(fields[3]) };
    }
  }
  throw new Error(`PostgreSQL refuses to run as root and there is no '${name}' system user to run it as (install the postgresql package)`);
}

/** Run a PostgreSQL program, as `runAs` when given (we are root), failing with its output. */
function runProgram(program: string, args: readonly string[], cwd: string, runAs: SystemUser | undefined): Promise<string> {
  const [command, fullArgs] = runAs === undefined ? [program, [...args]] : ['runuser', ['-u', runAs.name, '--', program, ...args]];
  return new Promise((resolve, reject) => {
    // LC_ALL=C keeps initdb away from locales the machine may not have generated.
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' };
    execFile(command, fullArgs, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${program} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}


async function makeClusterFolder(owner: SystemUser | undefined): Promise<string> {
  // Under /tmp rather than os.tmpdir(): TMPDIR may point into root's home, which postgres cannot enter.
  const base = owner === undefined ? tmpdir() : '/tmp';
  const folder = await mkdtemp(join(base, 'cairn-pg-'));
  await chmod(folder, 0o700);
  if (owner !== undefined) await chown(folder, owner.uid, owner.gid);
  return folder;
}

async function logTail(logFile: string): Promise<string> {
  try {
    const text = await readFile(logFile, 'utf8');
    return text.split('\n').slice(-30).join('\n');
  } catch {
    return '(no server log)';
  }
}

async function createDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Start a throwaway PostgreSQL cluster and return `postgresql://postgres@127.0.0.1:<port>/<db>`.
 * @example const db = await startPostgres(); try { use(db.uri) } finally { await db.stop() }
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const database = options.database ?? 'cairn';
  const binDir = findPostgresBinDir();
  if (binDir === undefined) throw new Error('PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin or on PATH');
  const runAs = process.getuid?.() === 0 ? await systemUser('postgres') : undefined;
  const folder = await makeClusterFolder(runAs);
  const dataDir = join(folder, 'data');
  const logFile = join(folder, 'server.log');
  const pgCtl = join(binDir, 'pg_ctl');
  let started = false;

  async function stop(): Promise<void> {
    if (started) {
      started = false;
      await runProgram(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], folder, runAs).catch(() => undefined);
    }
    await rm(folder, { recursive: true, force: true });
  }

  try {
    await runProgram(
      join(binDir, 'initdb'),
      ['-D', dataDir, '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
      folder,
      runAs,
    );
    // Another process can grab the port between freePort() and bind; a retry picks a new one.
    let lastError: unknown;
    for (let attempt = 0; attempt < 3 && !started; attempt++) {
      const port = await freePort();
      // fsync off: the cluster lives for one test run, speed matters more than crash safety.
      const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
      try {
        await runProgram(pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions], folder, runAs);
        started = true;
        await createDatabase(port, database);
        return { uri: `postgresql://${SUPERUSER}@127.0.0.1:${port}/${database}`, stop };
      } catch (error) {
        lastError = error;
        if (started) throw error;
      }
    }
    throw new Error(`PostgreSQL did not start: ${(lastError as Error).message}\n${await logTail(logFile)}`);
  } catch (error) {
    await stop();
    throw error;
  }
}
