/** The search_runs suite, run against any database (see search.test.ts). */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Db } from '../db.js';
import { seedTracking } from './fixtures.js';
import { searchRunIds, type SearchRunsQuery } from './runs.js';
import { allPages, rejectsInvalid } from './suite-helpers.js';

/** Seed the tracking fixture into `db` and check search_runs against it. */
export async function runsSuite(t: TestContext, db: Db): Promise<void> {
  await seedTracking(db);
  const ids = async (query: Partial<SearchRunsQuery>) =>
    (await searchRunIds(db, { experimentIds: ['1'], maxResults: 100, ...query })).runIds;
  const filtered = (filter: string) => ids({ filter });

  await t.test('default order is start_time DESC, run id ASC; view types pick lifecycle stages', async () => {
    assert.deepEqual(await ids({}), ['r3', 'r2', 'r1']);
    assert.deepEqual(await ids({ runViewType: 'ALL' }), ['r3', 'r4', 'r2', 'r1']);
    assert.deepEqual(await ids({ runViewType: 'DELETED_ONLY' }), ['r4']);
    assert.deepEqual(await ids({ experimentIds: ['1', 2] }), ['r3', 'r2', 'r1', 'r5']);
    assert.deepEqual(await ids({ experimentIds: [] }), []);
    assert.deepEqual(await ids({ experimentIds: ['99'] }), []);
  });

  await t.test('metric filters are numeric, and NaN matches only !=', async () => {
    assert.deepEqual(await filtered('metrics.acc > 0.6'), ['r1']);
    assert.deepEqual(await filtered('metrics.acc >= 0.5'), ['r2', 'r1']);
    assert.deepEqual(await filtered('metrics.acc != 0.9'), ['r3', 'r2']);
    assert.deepEqual(await filtered('metrics.acc = 0'), [], 'NaN is stored as 0 but is not 0');
    assert.deepEqual(await filtered('metrics.loss < 1'), ['r1']);
    assert.deepEqual(await filtered('metric.acc <= 0.5 AND metrics.acc > 0.1'), ['r2']);
    assert.deepEqual(await filtered('metrics.missing > 0'), []);
  });

  await t.test('param and tag filters follow the SQL store: != needs the key', async () => {
    assert.deepEqual(await filtered("params.lr = '0.01'"), ['r1']);
    assert.deepEqual(await filtered("params.lr != '0.01'"), ['r2']);
    assert.deepEqual(await filtered('params.lr IS NULL'), ['r3']);
    assert.deepEqual(await filtered('tags.team IS NOT NULL'), ['r2', 'r1']);
    assert.deepEqual(await filtered("tags.`mlflow.runName` = 'alpha'"), ['r1']);
    assert.deepEqual(await filtered("parameters.lr = '0.01' AND tags.team = 'ML'"), ['r1']);
  });

  await t.test('LIKE is case-sensitive, ILIKE is not, on every engine', async () => {
    assert.deepEqual(await filtered("params.opt LIKE 'A%'"), ['r1']);
    assert.deepEqual(await filtered("params.opt LIKE 'a%'"), ['r3']);
    assert.deepEqual(await filtered("params.opt ILIKE 'a%'"), ['r3', 'r1']);
    assert.deepEqual(await filtered("tags.team LIKE 'ml'"), ['r2']);
    assert.deepEqual(await filtered("tags.team ILIKE 'ml'"), ['r2', 'r1']);
    assert.deepEqual(await filtered("params.opt LIKE '_dam'"), ['r3', 'r1']);
  });

  await t.test('LIKE wildcards, escapes, and GLOB metacharacters taken literally', async () => {
    assert.deepEqual(await filtered("tags.note LIKE '50\\%%'"), ['r3']);
    assert.deepEqual(await filtered("tags.note LIKE '%\\_off'"), ['r3']);
    assert.deepEqual(await filtered("tags.note LIKE '50\\_%'"), []);
    assert.deepEqual(await filtered("tags.glob LIKE 'a*b[1]?'"), ['r2']);
    assert.deepEqual(await filtered("tags.glob LIKE 'a*b[1]_'"), ['r2']);
    assert.deepEqual(await filtered("tags.glob LIKE 'ab%'"), []);
    assert.deepEqual(await filtered("tags.glob ILIKE 'A*B[1]%'"), ['r2']);
  });

  await t.test('run attributes, with aliases', async () => {
    assert.deepEqual(await filtered("attributes.run_name = 'alpha'"), ['r1']);
    assert.deepEqual(await filtered("`run name` LIKE 'g%'"), []);
    assert.deepEqual(await filtered("\"run name\" ILIKE 'g%'"), ['r3']);
    assert.deepEqual(await filtered("run_id IN ('r1', 'r3')"), ['r3', 'r1']);
    assert.deepEqual(await filtered("attr.run_id NOT IN ('r1')"), ['r3', 'r2']);
    assert.deepEqual(await filtered("status != 'RUNNING'"), ['r3', 'r1']);
    assert.deepEqual(await filtered("user_id = 'ann'"), ['r3', 'r1']);
    assert.deepEqual(await filtered('start_time >= 2000'), ['r3', 'r2']);
    assert.deepEqual(await filtered('created < 2000'), ['r1']);
    assert.deepEqual(await filtered('end_time > 1000'), ['r3', 'r1']);
    assert.deepEqual(await filtered('end_time > 1999.5'), ['r3', 'r1']);
    assert.deepEqual(await filtered("artifact_uri LIKE '%r2'"), ['r2']);
  });

  await t.test('dataset filters look at the inputs of each run', async () => {
    assert.deepEqual(await filtered("dataset.name = 'train_set'"), ['r1']);
    assert.deepEqual(await filtered("datasets.digest IN ('def')"), ['r2', 'r1']);
    assert.deepEqual(await filtered("dataset.context = 'eval'"), ['r2', 'r1']);
    assert.deepEqual(await filtered("dataset.context = 'training'"), ['r1']);
    assert.deepEqual(await filtered("dataset.name != 'train_set'"), ['r2', 'r1']);
    assert.deepEqual(await filtered("dataset.name LIKE 'train%' AND dataset.context = 'eval'"), ['r1']);
  });

  await t.test('ORDER BY metrics: NaN after numbers, missing last, either direction', async () => {
    assert.deepEqual(await ids({ runViewType: 'ALL', orderBy: ['metrics.acc DESC'] }), ['r1', 'r2', 'r3', 'r4']);
    assert.deepEqual(await ids({ runViewType: 'ALL', orderBy: ['metrics.acc'] }), ['r2', 'r1', 'r3', 'r4']);
    assert.deepEqual(await ids({ runViewType: 'ALL', orderBy: ['metrics.loss ASC'] }), ['r1', 'r2', 'r3', 'r4']);
  });

  await t.test('ORDER BY params, tags and attributes; nulls last', async () => {
    assert.deepEqual(await ids({ orderBy: ['params.lr DESC'] }), ['r2', 'r1', 'r3']);
    assert.deepEqual(await ids({ orderBy: ['tags.`mlflow.runName`'] }), ['r1', 'r3', 'r2']);
    assert.deepEqual(await ids({ orderBy: ['run_name ASC'] }), ['r3', 'r1', 'r2'], 'binary order: upper case first');
    assert.deepEqual(await ids({ orderBy: ['end_time DESC'] }), ['r3', 'r1', 'r2']);
    assert.deepEqual(await ids({ orderBy: ['end_time ASC'] }), ['r1', 'r3', 'r2']);
    assert.deepEqual(await ids({ orderBy: ['attribute.start_time ASC'] }), ['r1', 'r2', 'r3']);
    assert.deepEqual(await ids({ orderBy: ['user_id', 'metrics.acc DESC'] }), ['r1', 'r3', 'r2']);
    assert.deepEqual(await ids({ filter: 'metrics.acc >= 0', orderBy: ['metrics.acc DESC'] }), ['r1', 'r2']);
  });

  await t.test('pages: maxResults+1 decides the token, pages never overlap', async () => {
    for (const maxResults of [1, 2, 3, 4]) {
      const pages = await allPages(async (pageToken) => {
        const result = await searchRunIds(db, { experimentIds: ['1'], runViewType: 'ALL', maxResults, orderBy: ['metrics.acc DESC'], pageToken });
        return { items: result.runIds, nextPageToken: result.nextPageToken };
      });
      assert.deepEqual(pages.flat(), ['r1', 'r2', 'r3', 'r4'], `maxResults ${maxResults}`);
      assert.ok(pages.every((page) => page.length <= maxResults));
      assert.equal(pages.length, Math.ceil(4 / maxResults));
    }
  });

  await t.test('bad input is INVALID_PARAMETER_VALUE', async () => {
    await rejectsInvalid(ids({ pageToken: 'garbage!' }), /^Invalid page token/);
    await rejectsInvalid(ids({ filter: "foo = 'x'" }), /^Invalid attribute key 'foo'/);
    await rejectsInvalid(ids({ filter: 'metrics.acc > 1 OR metrics.acc < 0' }), /Invalid clause/);
    await rejectsInvalid(ids({ orderBy: ['metrics.acc', 'metrics.acc DESC'] }), /duplicate fields/);
    await rejectsInvalid(ids({ experimentIds: ['abc'] }), /Invalid experiment ID/);
    await rejectsInvalid(ids({ maxResults: -1 }), /max_results/);
  });
}
