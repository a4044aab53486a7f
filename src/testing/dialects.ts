/**
 * Run a test suite once per SQL dialect, each time against a real database: a SQLite file in a
 * temporary folder, and a fresh database in a throwaway PostgreSQL cluster (one cluster per test
 * file). CAIRN_TEST_DIALECTS=sqlite narrows the run while developing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import type { DialectKind } from '../store/dialect.js';
import { openDatabase, type Db } from '../store/db.js';
import { startPostgres, type TestPostgres } from './postgres.js';

export const DIALECTS: readonly DialectKind[] = (process.env.CAIRN_TEST_DIALECTS?.split(',') as DialectKind[] | undefined) ?? ['sqlite', 'postgres'];

let cluster: Promise<TestPostgres> | undefined;

// Registered at import, on the file's root, so the cluster outlives every suite of the file.
after(async () => {
  if (cluster) await (await cluster).stop();
});

/** The file's PostgreSQL cluster, started on first use and stopped when the file's tests end. */
function sharedCluster(): Promise<TestPostgres> {
  cluster ??= startPostgres();
  return cluster;
}

/** A store URI for a brand-new, empty database of the dialect, and a way to remove it. */
export async function freshStoreUri(dialect: DialectKind): Promise<{ uri: string; cleanup(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const folder = await mkdtemp(join(tmpdir(), 'cairn-test-'));
    return { uri: `sqlite:///${join(folder, 'cairn.db')}`, cleanup: () => rm(folder, { recursive: true, force: true }) };
  }
  const { uri } = await sharedCluster();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: uri });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return { uri: uri.replace(/\/[^/]*$/, `/${name}`), cleanup: async () => undefined };
}

/** A migrated database of the dialect, closed and removed by the returned cleanup. */
export async function openTestDatabase(dialect: DialectKind): Promise<{ db: Db; uri: string; cleanup(): Promise<void> }> {
  const fresh = await freshStoreUri(dialect);
  const db = await openDatabase(fresh.uri);
  return {
    db,
    uri: fresh.uri,
    cleanup: async () => {
      await db.close();
      await fresh.cleanup();
    },
  };
}

/** `describe` once per dialect, with a fresh migrated database for each. */
export function describeEachDialect(name: string, body: (ctx: { db(): Db; dialect: DialectKind }) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let opened: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
      before(async () => {
        opened = await openTestDatabase(dialect);
      });
      after(async () => {
        await opened?.cleanup();
      });
      body({
        db: () => {
          if (!opened) throw new Error('database not open yet');
          return opened.db;
        },
        dialect,
      });
    });
  }
}
