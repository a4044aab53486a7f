import { test, type TestContext } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db.js';
import { findPostgresBinDir, startPostgres } from '../../testing/postgres.js';
import { loggedModelsSuite } from './logged-models-suite.js';
import { experimentsSuite, registrySuite } from './registry-suite.js';
import { runsSuite } from './runs-suite.js';

async function everySuite(t: TestContext, db: Db): Promise<void> {
  await runsSuite(t, db);
  await experimentsSuite(t, db);
  await registrySuite(t, db);
  await loggedModelsSuite(t, db);
}

test('searches on SQLite', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'cairn-search-'));
  const db = await openDatabase(`sqlite:///${join(folder, 'search.db')}`);
  try {
    await everySuite(t, db);
  } finally {
    await db.close();
    rmSync(folder, { recursive: true, force: true });
  }
});

test('searches on PostgreSQL', { skip: findPostgresBinDir() === undefined ? 'PostgreSQL is not installed' : false }, async (t) => {
  const cluster = await startPostgres({ database: 'search_suite' });
  try {
    const db = await openDatabase(cluster.uri);
    try {
      await everySuite(t, db);
    } finally {
      await db.close();
    }
  } finally {
    await cluster.stop();
  }
});
