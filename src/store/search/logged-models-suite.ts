/** The search_logged_models suite, run against any database (see search.test.ts). */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Db } from '../db.js';
import { seedLoggedModels } from './fixtures.js';
import { searchLoggedModelIds, type SearchLoggedModelsQuery } from './logged-models.js';
import { allPages, rejectsInvalid } from './suite-helpers.js';

/** Seed the logged-model fixture into `db` and check search_logged_models against it. */
export async function loggedModelsSuite(t: TestContext, db: Db): Promise<void> {
  await seedLoggedModels(db);
  const ids = async (query: Partial<SearchLoggedModelsQuery>) => (await searchLoggedModelIds(db, { experimentIds: ['5'], maxResults: 100, ...query })).modelIds;

  await t.test('logged models: active only, default order creation_timestamp DESC', async () => {
    assert.deepEqual(await ids({}), ['m2', 'm1']);
    assert.deepEqual(await ids({ experimentIds: ['5', '6'] }), ['m2', 'm1', 'm4']);
  });

  await t.test('logged models: attribute, param and tag filters', async () => {
    assert.deepEqual(await ids({ filter: "name = 'model-a'" }), ['m1']);
    assert.deepEqual(await ids({ filter: "name LIKE 'model-%'" }), ['m2', 'm1']);
    assert.deepEqual(await ids({ filter: "model_type = 'agent'" }), ['m1']);
    assert.deepEqual(await ids({ filter: "status IN ('PENDING')" }), ['m2']);
    assert.deepEqual(await ids({ filter: "source_run_id = 'run1'" }), ['m1']);
    assert.deepEqual(await ids({ filter: 'creation_time > 150' }), ['m2']);
    assert.deepEqual(await ids({ filter: 'last_updated_timestamp <= 150' }), ['m1']);
    assert.deepEqual(await ids({ filter: "params.p IN ('2')" }), ['m2']);
    assert.deepEqual(await ids({ filter: "params.p != '2'" }), ['m1']);
    assert.deepEqual(await ids({ filter: "tags.t = 'x'" }), ['m1']);
  });

  await t.test('logged models: metric filters, restricted by datasets', async () => {
    assert.deepEqual(await ids({ filter: 'metrics.acc > 0.8' }), ['m1']);
    assert.deepEqual(await ids({ filter: 'metrics.acc < 0.4' }), ['m1'], 'any logged point counts, as in MLflow');
    assert.deepEqual(await ids({ filter: 'metrics.acc > 0.6', datasets: [{ dataset_name: 'ds2' }] }), ['m2']);
    assert.deepEqual(await ids({ filter: 'metrics.acc > 0.6', datasets: [{ dataset_name: 'ds2', dataset_digest: 'other' }] }), []);
    assert.deepEqual(await ids({ datasets: [{ dataset_name: 'ds1', dataset_digest: 'ds1-digest' }] }), ['m1']);
    assert.deepEqual(await ids({ datasets: [{ dataset_name: 'ds1' }, { dataset_name: 'ds2' }] }), ['m2', 'm1']);
  });

  await t.test('logged models: ORDER BY latest metric value, per dataset, and attributes', async () => {
    assert.deepEqual(await ids({ orderBy: [{ field_name: 'metrics.acc', ascending: false }] }), ['m1', 'm2']);
    assert.deepEqual(await ids({ orderBy: [{ field_name: 'metrics.acc' }] }), ['m2', 'm1']);
    assert.deepEqual(await ids({ orderBy: [{ field_name: 'metrics.acc', dataset_name: 'ds2' }] }), ['m1', 'm2']);
    assert.deepEqual(await ids({ orderBy: [{ field_name: 'metrics.acc', dataset_name: 'ds1' }] }), ['m1', 'm2'], 'm2 has no ds1 point: last');
    assert.deepEqual(await ids({ orderBy: [{ field_name: 'metrics.acc', ascending: false, dataset_name: 'ds1' }] }), ['m1', 'm2']);
    assert.deepEqual(await ids({ orderBy: [{ field_name: 'model_type', ascending: false }] }), ['m1', 'm2'], 'null model_type last');
    assert.deepEqual(await ids({ orderBy: [{ field_name: 'creation_timestamp', ascending: true }] }), ['m1', 'm2']);
    assert.deepEqual(await ids({ orderBy: [{ field_name: 'name', ascending: false }] }), ['m2', 'm1']);
  });

  await t.test('logged models: paging, and a token only fits the search that made it', async () => {
    const query = { experimentIds: ['5', '6'], maxResults: 1, filter: "name LIKE 'model%'" };
    const pages = await allPages(async (pageToken) => {
      const result = await searchLoggedModelIds(db, { ...query, pageToken });
      return { items: result.modelIds, nextPageToken: result.nextPageToken };
    });
    assert.deepEqual(pages, [['m2'], ['m1'], ['m4']]);
    const first = await searchLoggedModelIds(db, query);
    assert.ok(first.nextPageToken !== undefined);
    await rejectsInvalid(searchLoggedModelIds(db, { ...query, filter: "name = 'x'", pageToken: first.nextPageToken }), /^Invalid page token/);
    await rejectsInvalid(searchLoggedModelIds(db, { ...query, experimentIds: ['5'], pageToken: first.nextPageToken }), /^Invalid page token/);
    await rejectsInvalid(ids({ orderBy: [{ field_name: 'params.p' }] }), /Only metrics are supported/);
    await rejectsInvalid(ids({ filter: "dataset.name = 'x'" }), /Invalid entity type/);
  });
}
