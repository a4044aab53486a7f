import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rejectsWith } from '../testing/assertions.js';
import { describeEachDialect } from '../testing/dialects.js';
import { createTracking } from '../tracking/index.js';
import { createRegistry, type Registry } from './index.js';


const SOURCE = 'mlflow-artifacts:/0/runs/abc/artifacts/model';
const PROMPT = 'mlflow.prompt.is_prompt';

describeEachDialect('registry service', (ctx) => {
  let counter = 0;
  const registry = (): Registry => createRegistry(ctx.db(), createTracking(ctx.db()));
  const unique = (prefix: string): string => `${prefix}-${++counter}`;
  const addVersion = (r: Registry, name: string) => r.versions.create({ name, source: SOURCE, tags: [] });

  test('a registered model is created once, read back, and refused a second time', async () => {
    const r = registry();
    const name = unique('model');
    const created = await r.models.create({ name, description: 'first', tags: [{ key: 'team', value: 'a' }, { key: 'team', value: 'b' }] });
    assert.equal(created.name, name);
    assert.equal(created.description, 'first');
    assert.deepEqual(created.tags, [{ key: 'team', value: 'b' }]);
    assert.deepEqual(created.latestVersions, []);
    assert.equal(created.creationTime, created.lastUpdatedTime);
    await rejectsWith(r.models.create({ name, tags: [] }), 'RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
    await rejectsWith(r.models.get(unique('missing')), 'RESOURCE_DOES_NOT_EXIST', 'Registered Model with name=missing-');
  });

  test('model names must be non-empty and free of / and :', async () => {
    const r = registry();
    for (const bad of ['', 'a/b', 'a:b']) await rejectsWith(r.models.create({ name: bad, tags: [] }), 'INVALID_PARAMETER_VALUE');
  });

  test('version numbers increase per model and are never reused after a delete', async () => {
    const r = registry();
    const name = unique('numbers');
    await r.models.create({ name, tags: [] });
    assert.deepEqual([(await addVersion(r, name)).version, (await addVersion(r, name)).version, (await addVersion(r, name)).version], [1, 2, 3]);
    await r.versions.delete(name, '3');
    await rejectsWith(r.versions.get(name, '3'), 'RESOURCE_DOES_NOT_EXIST', `Model Version (name=${name}, version=3) not found`);
    assert.equal((await addVersion(r, name)).version, 4);
    const found = await r.versions.search({ filter: `name = '${name}'`, orderBy: ['version_number ASC'] });
    assert.deepEqual(found.versions.map((v) => v.version), [1, 2, 4]);
    await rejectsWith(r.versions.delete(name, '3'), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(r.versions.get(name, 'abc'), 'INVALID_PARAMETER_VALUE', "must be an integer");
    await rejectsWith(r.versions.get(unique('nomodel'), '1'), 'RESOURCE_DOES_NOT_EXIST', 'Registered Model with name=');
  });

  test('versions created at the same time all get distinct numbers', async () => {
    const r = registry();
    const name = unique('parallel');
    await r.models.create({ name, tags: [] });
    const created = await Promise.all(Array.from({ length: 12 }, () => addVersion(r, name)));
    assert.deepEqual(created.map((v) => v.version).sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i + 1));
  });

  test('a new version is READY, stage None, and carries its tags, run and description', async () => {
    const r = registry();
    const name = unique('fields');
    await r.models.create({ name, tags: [] });
    const v = await r.versions.create({ name, source: SOURCE, runId: 'r1', runLink: 'http://x/r1', description: 'd', tags: [{ key: 'k', value: 'v' }] });
    assert.equal(v.status, 'READY');
    assert.equal(v.currentStage, 'None');
    assert.equal(v.runId, 'r1');
    assert.equal(v.runLink, 'http://x/r1');
    assert.equal(v.description, 'd');
    assert.deepEqual(v.tags, [{ key: 'k', value: 'v' }]);
    assert.equal(await r.versions.downloadUri(name, 1), SOURCE);
    const updated = await r.versions.update(name, '1', 'new words');
    assert.equal(updated.description, 'new words');
    await rejectsWith(r.versions.create({ name: unique('ghost'), source: SOURCE, tags: [] }), 'RESOURCE_DOES_NOT_EXIST');
  });

  test('aliases point at versions; latest resolves, reserved names and unknown aliases are 400', async () => {
    const r = registry();
    const name = unique('aliases');
    await r.models.create({ name, tags: [] });
    await addVersion(r, name);
    await addVersion(r, name);
    await addVersion(r, name);
    await r.aliases.set(name, 'champion', '1');
    await r.aliases.set(name, 'champion', 2);
    await r.aliases.set(name, 'old-one', '1');
    assert.equal((await r.aliases.resolve(name, 'champion')).version, 2);
    assert.deepEqual((await r.versions.get(name, 1)).aliases, ['old-one']);
    assert.deepEqual((await r.models.get(name)).aliases, [{ alias: 'champion', version: 2 }, { alias: 'old-one', version: 1 }]);
    assert.equal((await r.aliases.resolve(name, 'LaTeSt')).version, 3);
    for (const reserved of ['latest', 'LATEST', 'v1', 'V12']) await rejectsWith(r.aliases.set(name, reserved, '1'), 'INVALID_PARAMETER_VALUE', 'reserved');
    await rejectsWith(r.aliases.set(name, 'has space', '1'), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(r.aliases.set(name, 'x'.repeat(256), '1'), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(r.aliases.set(name, 'fine', '9'), 'RESOURCE_DOES_NOT_EXIST', `Model Version (name=${name}, version=9) not found`);
    await rejectsWith(r.aliases.resolve(name, 'nobody'), 'INVALID_PARAMETER_VALUE', 'Registered model alias nobody not found.');

    await r.versions.delete(name, 2);
    await rejectsWith(r.aliases.resolve(name, 'champion'), 'INVALID_PARAMETER_VALUE');
    await r.aliases.delete(name, 'old-one');
    await r.aliases.delete(name, 'old-one');
    assert.deepEqual((await r.models.get(name)).aliases, []);
    await r.versions.delete(name, 3);
    await r.versions.delete(name, 1);
    await rejectsWith(r.aliases.resolve(name, 'latest'), 'INVALID_PARAMETER_VALUE');
  });

  test('stages: any case in, capitalised out; archive_existing_versions; latest per stage', async () => {
    const r = registry();
    const name = unique('stages');
    await r.models.create({ name, tags: [] });
    for (let i = 0; i < 4; i++) await addVersion(r, name);
    assert.equal((await r.versions.transitionStage(name, '1', 'production', false)).currentStage, 'Production');
    assert.equal((await r.versions.transitionStage(name, '2', 'STAGING', false)).currentStage, 'Staging');
    await r.versions.transitionStage(name, '3', 'Production', true);
    assert.equal((await r.versions.get(name, 1)).currentStage, 'Archived');
    const latest = await r.versions.latest(name, []);
    assert.deepEqual(latest.map((v) => [v.version, v.currentStage]), [[1, 'Archived'], [2, 'Staging'], [3, 'Production'], [4, 'None']]);
    assert.deepEqual((await r.versions.latest(name, ['production', 'none'])).map((v) => v.version), [3, 4]);
    assert.deepEqual((await r.models.get(name)).latestVersions.map((v) => v.version), [1, 2, 3, 4]);
    await rejectsWith(r.versions.transitionStage(name, '1', 'Live', false), 'INVALID_PARAMETER_VALUE', 'Invalid Model Version stage');
    await rejectsWith(r.versions.transitionStage(name, '1', 'None', true), 'INVALID_PARAMETER_VALUE', 'not an Active stage');
    await rejectsWith(r.versions.latest(name, ['Live']), 'INVALID_PARAMETER_VALUE');
  });

  test('rename carries tags, versions, version tags and aliases, and keeps numbering', async () => {
    const r = registry();
    const name = unique('before');
    const renamed = unique('after');
    await r.models.create({ name, tags: [{ key: 'owner', value: 'ana' }] });
    await addVersion(r, name);
    await addVersion(r, name);
    await r.versions.delete(name, 2);
    await r.versions.setTag(name, 1, 'stage', 'qa');
    await r.aliases.set(name, 'best', 1);
    const model = await r.models.rename(name, renamed);
    assert.equal(model.name, renamed);
    assert.deepEqual(model.tags, [{ key: 'owner', value: 'ana' }]);
    assert.deepEqual(model.aliases, [{ alias: 'best', version: 1 }]);
    assert.deepEqual((await r.versions.get(renamed, 1)).tags, [{ key: 'stage', value: 'qa' }]);
    assert.equal((await r.aliases.resolve(renamed, 'best')).name, renamed);
    await rejectsWith(r.models.get(name), 'RESOURCE_DOES_NOT_EXIST');
    assert.equal((await addVersion(r, renamed)).version, 3);
    const other = unique('taken');
    await r.models.create({ name: other, tags: [] });
    await rejectsWith(r.models.rename(renamed, other), 'RESOURCE_ALREADY_EXISTS');
    await rejectsWith(r.models.rename(renamed, 'bad/name'), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(r.models.rename(unique('ghost'), unique('x')), 'RESOURCE_DOES_NOT_EXIST');
  });

  test('deleting a model removes its versions, tags and aliases; the name can be reused from version 1', async () => {
    const r = registry();
    const name = unique('doomed');
    await r.models.create({ name, tags: [{ key: 't', value: '1' }] });
    await addVersion(r, name);
    await r.aliases.set(name, 'a', 1);
    await r.models.delete(name);
    await rejectsWith(r.models.get(name), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(r.models.delete(name), 'RESOURCE_DOES_NOT_EXIST');
    const again = await r.models.create({ name, tags: [] });
    assert.deepEqual([again.tags, again.aliases, again.latestVersions], [[], [], []]);
    assert.equal((await addVersion(r, name)).version, 1);
    assert.deepEqual((await r.versions.get(name, 1)).aliases, []);
  });

  test('tags on models and versions: set, overwrite, delete (missing is a no-op), bad keys refused', async () => {
    const r = registry();
    const name = unique('tags');
    await r.models.create({ name, tags: [] });
    await addVersion(r, name);
    await r.models.setTag(name, 'k', 'v1');
    await r.models.setTag(name, 'k', 'v2');
    assert.deepEqual((await r.models.get(name)).tags, [{ key: 'k', value: 'v2' }]);
    await r.models.deleteTag(name, 'k');
    await r.models.deleteTag(name, 'k');
    assert.deepEqual((await r.models.get(name)).tags, []);
    await r.versions.setTag(name, '1', 'long', 'x'.repeat(50_000));
    assert.equal((await r.versions.get(name, 1)).tags[0]?.value.length, 50_000);
    await r.versions.deleteTag(name, '1', 'long');
    assert.deepEqual((await r.versions.get(name, 1)).tags, []);
    await rejectsWith(r.models.setTag(name, '', 'v'), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(r.versions.setTag(name, '1', 'bad\u0000key', 'v'), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(r.versions.setTag(name, '7', 'k', 'v'), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(r.models.setTag(unique('ghost'), 'k', 'v'), 'RESOURCE_DOES_NOT_EXIST');
  });

  test('search keeps models and prompts apart, pages, and limits max_results', async () => {
    const r = registry();
    const stem = unique('searchable');
    await r.models.create({ name: `${stem}-a`, tags: [] });
    await r.models.create({ name: `${stem}-b`, tags: [{ key: PROMPT, value: 'false' }] });
    await r.models.create({ name: `${stem}-prompt`, tags: [{ key: PROMPT, value: 'true' }] });
    const models = await r.models.search({ filter: `name LIKE '${stem}-%' AND tag.\`${PROMPT}\` != 'true'` });
    assert.deepEqual(models.models.map((m) => m.name), [`${stem}-a`, `${stem}-b`]);
    const prompts = await r.models.search({ filter: `name LIKE '${stem}-%' AND tags.\`${PROMPT}\` = 'true'` });
    assert.deepEqual(prompts.models.map((m) => m.name), [`${stem}-prompt`]);
    const first = await r.models.search({ filter: `name LIKE '${stem}-%'`, maxResults: 1 });
    assert.deepEqual(first.models.map((m) => m.name), [`${stem}-a`]);
    assert.ok(first.nextPageToken);
    const second = await r.models.search({ filter: `name LIKE '${stem}-%'`, maxResults: 1, pageToken: first.nextPageToken });
    assert.deepEqual(second.models.map((m) => m.name), [`${stem}-b`]);
    assert.equal(second.nextPageToken, undefined);
    await rejectsWith(r.models.search({ maxResults: 1001 }), 'INVALID_PARAMETER_VALUE', 'at most 1000');
    await rejectsWith(r.versions.search({ maxResults: 200_001 }), 'INVALID_PARAMETER_VALUE', 'at most 200000');
  });

  test('prompts are models with tags: versions from dummy-source, searchable by the prompt tag, names shared with models refused', async () => {
    const r = registry();
    const name = unique('greeting');
    const promptTags = [{ key: PROMPT, value: 'true' }];
    await r.models.create({ name, tags: promptTags });
    const v = await r.versions.create({ name, source: 'dummy-source', description: 'first', tags: [...promptTags, { key: 'mlflow.prompt.text', value: 'Hello {{name}}' }] });
    assert.equal(v.storageLocation, 'dummy-source');
    const found = await r.versions.search({ filter: `name = '${name}' AND tag.\`${PROMPT}\` = 'true'`, orderBy: ['version_number DESC'] });
    assert.deepEqual(found.versions.map((x) => x.version), [1]);
    assert.deepEqual((await r.versions.search({ filter: `name = '${name}'` })).versions, []);
    await rejectsWith(r.models.create({ name, tags: [] }), 'RESOURCE_ALREADY_EXISTS');
    const model = unique('plain');
    await r.models.create({ name: model, tags: [] });
    await rejectsWith(r.models.create({ name: model, tags: promptTags }), 'RESOURCE_ALREADY_EXISTS');
  });
});
