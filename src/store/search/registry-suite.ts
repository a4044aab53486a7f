/** The search_experiments, search_registered_models and search_model_versions suites. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Db } from '../db.js';
import { searchExperimentIds, type SearchExperimentsQuery } from './experiments.js';
import { seedRegistry } from './fixtures.js';
import { searchModelVersionKeys, type SearchModelVersionsQuery } from './model-versions.js';
import { searchRegisteredModelNames, type SearchRegisteredModelsQuery } from './registered-models.js';
import { allPages, rejectsInvalid } from './suite-helpers.js';

/** Check search_experiments; expects the tracking fixture (seedTracking) already in `db`. */
export async function experimentsSuite(t: TestContext, db: Db): Promise<void> {
  const ids = async (query: Partial<SearchExperimentsQuery>) => (await searchExperimentIds(db, { maxResults: 100, ...query })).experimentIds;

  await t.test('experiments: default order is creation_time DESC; view types', async () => {
    assert.deepEqual(await ids({}), ['0', '2', '1'], 'the Default experiment is the newest');
    assert.deepEqual(await ids({ viewType: 'ALL' }), ['0', '3', '2', '1']);
    assert.deepEqual(await ids({ viewType: 'DELETED_ONLY' }), ['3']);
  });

  await t.test('experiments: name, time and tag filters', async () => {
    assert.deepEqual(await ids({ filter: "name LIKE 'exp-%'" }), ['2', '1']);
    assert.deepEqual(await ids({ filter: "name ILIKE 'EXP-B%'" }), ['2']);
    assert.deepEqual(await ids({ filter: "attribute.name != 'exp-alpha'" }), ['0', '2']);
    assert.deepEqual(await ids({ filter: "tags.env = 'prod'" }), ['1']);
    assert.deepEqual(await ids({ filter: "tags.env != 'prod'" }), ['2']);
    assert.deepEqual(await ids({ filter: 'tags.env IS NULL' }), ['0']);
    assert.deepEqual(await ids({ filter: 'tags.env IS NOT NULL AND creation_time < 150' }), ['1']);
    assert.deepEqual(await ids({ filter: 'last_update_time >= 300 AND creation_time <= 200', viewType: 'ALL' }), ['2', '1']);
  });

  await t.test('experiments: ORDER BY and paging', async () => {
    assert.deepEqual(await ids({ viewType: 'ALL', orderBy: ['name'] }), ['0', '3', '2', '1']);
    assert.deepEqual(await ids({ viewType: 'ALL', orderBy: ['experiment_id DESC'] }), ['3', '2', '1', '0']);
    assert.deepEqual(await ids({ viewType: 'ALL', filter: "name != 'Default'", orderBy: ['last_update_time'] }), ['2', '3', '1']);
    const pages = await allPages(async (pageToken) => {
      const result = await searchExperimentIds(db, { viewType: 'ALL', maxResults: 3, pageToken });
      return { items: result.experimentIds, nextPageToken: result.nextPageToken };
    });
    assert.deepEqual(pages, [['0', '3', '2'], ['1']]);
    await rejectsInvalid(ids({ filter: 'metrics.a > 1' }), /Invalid entity type/);
    await rejectsInvalid(ids({ orderBy: ['tags.env'] }), /Invalid order_by entity type/);
  });
}

/** Seed the registry fixture into `db` and check search_registered_models and search_model_versions. */
export async function registrySuite(t: TestContext, db: Db): Promise<void> {
  await seedRegistry(db);
  const names = async (query: Partial<SearchRegisteredModelsQuery>) => (await searchRegisteredModelNames(db, { maxResults: 100, ...query })).names;
  const versions = async (query: Partial<SearchModelVersionsQuery>) =>
    (await searchModelVersionKeys(db, { maxResults: 100, ...query })).versions.map((v) => `${v.name}/${v.version}`);

  await t.test('registered models: prompts are hidden unless asked for; missing tag counts as false', async () => {
    assert.deepEqual(await names({}), ['Beta', 'alpha', 'gamma']);
    assert.deepEqual(await names({ filter: "tags.`mlflow.prompt.is_prompt` != 'true'" }), ['Beta', 'alpha', 'gamma']);
    assert.deepEqual(await names({ filter: "tag.`mlflow.prompt.is_prompt` = 'false'" }), ['Beta', 'alpha', 'gamma']);
    assert.deepEqual(await names({ filter: "name LIKE 'a%' AND tags.`mlflow.prompt.is_prompt` != 'true'" }), ['alpha']);
    assert.deepEqual(await names({ filter: "tags.`mlflow.prompt.is_prompt` = 'true'" }), ['prompt-1']);
  });

  await t.test('registered models: name and tag filters', async () => {
    assert.deepEqual(await names({ filter: "name = 'alpha'" }), ['alpha']);
    assert.deepEqual(await names({ filter: "name LIKE 'b%'" }), []);
    assert.deepEqual(await names({ filter: "name ILIKE 'b%'" }), ['Beta']);
    assert.deepEqual(await names({ filter: "name != 'alpha'" }), ['Beta', 'gamma']);
    assert.deepEqual(await names({ filter: "tags.owner = 'ann'" }), ['alpha']);
    assert.deepEqual(await names({ filter: "tags.owner != 'ann'" }), ['gamma']);
    await rejectsInvalid(names({ filter: "name IN ('alpha')" }), /Invalid comparator 'IN'/);
  });

  await t.test('registered models: ORDER BY timestamps and paging', async () => {
    assert.deepEqual(await names({ orderBy: ['timestamp DESC'] }), ['gamma', 'Beta', 'alpha']);
    assert.deepEqual(await names({ orderBy: ['creation_timestamp'] }), ['alpha', 'Beta', 'gamma']);
    assert.deepEqual(await names({ orderBy: ['last_updated_timestamp ASC'] }), ['gamma', 'Beta', 'alpha']);
    assert.deepEqual(await names({ orderBy: ['name DESC'] }), ['gamma', 'alpha', 'Beta']);
    const pages = await allPages(async (pageToken) => {
      const result = await searchRegisteredModelNames(db, { maxResults: 2, pageToken });
      return { items: result.names, nextPageToken: result.nextPageToken };
    });
    assert.deepEqual(pages, [['Beta', 'alpha'], ['gamma']]);
  });

  await t.test('model versions: deleted and prompt versions hidden; default order', async () => {
    assert.deepEqual(await versions({}), ['Beta/1', 'alpha/2', 'alpha/1']);
    assert.deepEqual(await versions({ filter: "tags.`mlflow.prompt.is_prompt` = 'true'" }), ['prompt-1/1']);
    assert.deepEqual(await versions({ filter: "name = 'alpha' AND tags.`mlflow.prompt.is_prompt` != 'true'" }), ['alpha/2', 'alpha/1']);
  });

  await t.test('model versions: attribute and tag filters', async () => {
    assert.deepEqual(await versions({ filter: "name = 'alpha'" }), ['alpha/2', 'alpha/1']);
    assert.deepEqual(await versions({ filter: "run_id IN ('run1', 'run3')" }), ['Beta/1', 'alpha/1']);
    assert.deepEqual(await versions({ filter: "run_id = 'run2'" }), ['alpha/2']);
    assert.deepEqual(await versions({ filter: 'version_number > 1' }), ['alpha/2']);
    assert.deepEqual(await versions({ filter: "source_path LIKE 'models:/%'" }), ['alpha/2']);
    assert.deepEqual(await versions({ filter: "tags.stage = 'prod'" }), ['alpha/1']);
    assert.deepEqual(await versions({ filter: "name ILIKE 'ALPHA' AND version_number <= 1" }), ['alpha/1']);
  });

  await t.test('model versions: ORDER BY with name and version tie-breakers, and paging', async () => {
    assert.deepEqual(await versions({ orderBy: ['version_number ASC'] }), ['Beta/1', 'alpha/1', 'alpha/2']);
    assert.deepEqual(await versions({ orderBy: ['name DESC'] }), ['alpha/2', 'alpha/1', 'Beta/1']);
    assert.deepEqual(await versions({ orderBy: ['creation_timestamp DESC'] }), ['Beta/1', 'alpha/2', 'alpha/1']);
    const pages = await allPages(async (pageToken) => {
      const result = await searchModelVersionKeys(db, { maxResults: 1, pageToken });
      return { items: result.versions.map((v) => `${v.name}/${v.version}`), nextPageToken: result.nextPageToken };
    });
    assert.deepEqual(pages, [['Beta/1'], ['alpha/2'], ['alpha/1']]);
    await rejectsInvalid(versions({ filter: "run_id NOT IN ('run1')" }), /Invalid comparator 'NOT IN'/);
  });
}
