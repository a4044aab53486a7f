import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Migrator, PostgresDialect, SqliteDialect, sql, type Kysely, type Migration } from 'kysely';
import pg from 'pg';
import { CairnError } from '../core/errors.js';
import { parseStoreUri, type DialectKind } from './dialect.js';
import type { Database } from './schema.js';
import { createUnitOfWorkKysely } from './unit-of-work.js';
import * as m001 from './migrations/001-tracking-and-registry.js';
import * as m002 from './migrations/002-traces.js';
import * as m003 from './migrations/003-identity.js';
import * as m004 from './migrations/004-deployments.js';
import * as m005 from './migrations/005-datasets-lineage.js';
import * as m006 from './migrations/006-monitors.js';
import * as m007 from './migrations/007-permissions.js';
import * as m008 from './migrations/008-audit.js';
import * as m009 from './migrations/009-model-cards.js';

/** An open database: the Kysely handle, its dialect, and the raw SQLite handle for hot paths. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectKind;
  /** Present on SQLite only: prepared statements for the metric write path live in store/. */
  readonly sqlite: BetterSqlite3.Database | undefined;
  /** Answers once the database takes a query (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS: ReadonlyArray<[string, (db: Kysely<unknown>, dialect: DialectKind) => Promise<void>]> = [
  ['001-tracking-and-registry', m001.up],
  ['002-traces', m002.up],
  ['003-identity', m003.up],
  ['004-deployments', m004.up],
  ['005-datasets-lineage', m005.up],
  ['006-monitors', m006.up],
  ['007-permissions', m007.up],
  ['008-audit', m008.up],
  ['009-model-cards', m009.up],
];

/** mkdir -p, one level at a time: Node's recursive mkdir spins forever under /proc. */
function ensureFolder(folder: string): void {
  if (existsSync(folder)) return;
  ensureFolder(dirname(folder));
  mkdirSync(folder);
}

function openSqlite(path: string): BetterSqlite3.Database {
  if (path !== ':memory:') ensureFolder(dirname(path));
  const handle = new BetterSqlite3(path);
  // WAL lets readers run beside the writer; FULL syncs each commit so an acknowledged write
  // survives power loss and kill -9.
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = FULL');
  handle.pragma('busy_timeout = 10000');
  handle.pragma('cache_size = -65536');
  return handle;
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

function pgPool(connectionString: string): pg.Pool {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      // int64 columns hold epoch milliseconds and counts, all well inside 2^53.
      if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({ connectionString, max: 20, types: types as pg.CustomTypesConfig });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool opens a new one on the next query.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`));
  return pool;
}

/** Open the database a store URI names, run pending migrations once (under a lock), and return it. */
export async function openDatabase(uri: string): Promise<Db> {
  const location = parseStoreUri(uri);
  let kysely: Kysely<Database>;
  let sqlite: BetterSqlite3.Database | undefined;
  if (location.kind === 'sqlite') {
    try {
      sqlite = openSqlite(location.path);
    } catch (error) {
      throw new CairnError('INVALID_PARAMETER_VALUE', `cannot open SQLite database ${location.path}: ${(error as Error).message}`);
    }
    kysely = createUnitOfWorkKysely<Database>(new SqliteDialect({ database: sqlite }), 'sqlite');
  } else {
    const pool = pgPool(location.connectionString);
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      const where = location.connectionString.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
      throw new CairnError('TEMPORARILY_UNAVAILABLE', `cannot connect to PostgreSQL at ${where}: ${(error as Error).message}`);
    }
    kysely = createUnitOfWorkKysely<Database>(new PostgresDialect({ pool }), 'postgres');
  }
  await migrate(kysely, location.kind);
  return {
    kysely,
    dialect: location.kind,
    sqlite,
    ping: async () => {
      await sql`select 1`.execute(kysely);
    },
    close: () => kysely.destroy(),
  };
}

async function migrate(kysely: Kysely<Database>, dialect: DialectKind): Promise<void> {
  const migrations: Record<string, Migration> = {};
  for (const [name, up] of MIGRATIONS) migrations[name] = { up: (db) => up(db, dialect) };
  const migrator = new Migrator({
    db: kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'cairn_migrations',
    migrationLockTableName: 'cairn_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new CairnError('INTERNAL_ERROR', `database migration failed: ${(error as Error).message}`, { cause: error });
}
