import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { composeServices } from '../../compose.js';
import { parseServerConfig } from '../../core/config.js';
import type { Services } from '../../services.js';
import { buildApp } from '../app.js';

type Answer = { status: number; body: any };

describe('MLflow model registry over HTTP', () => {
  let folder: string;
  let services: Services & { close(): Promise<void> };
  let app: FastifyInstance;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cairn-registry-http-'));
    const config = parseServerConfig(
      { host: '127.0.0.1', port: 0, backendStoreUri: `sqlite:///${join(folder, 'cairn.db')}`, artifactsDestination: join(folder, 'artifacts'), workers: 1, bodyLimitBytes: 1 << 20, serveUi: false, logLevel: 'silent' },
      {},
    );
    services = await composeServices(config);
    app = await buildApp(services);
  });
  after(async () => {
    await app.close();
    await services.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** Call an MLflow path; GET bodies become the query string with repeated keys for lists, as the Python client sends them. */
  async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload: Record<string, unknown> = {}, prefix = '/api/2.0/mlflow/'): Promise<Answer> {
    if (method === 'GET') {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(payload)) for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
      const response = await app.inject({ method, url: `${prefix}${path}?${query}` });
      return { status: response.statusCode, body: response.json() };
    }
    const response = await app.inject({ method, url: `${prefix}${path}`, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    return { status: response.statusCode, body: response.json() };
  }
  async function ok(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload: Record<string, unknown> = {}): Promise<any> {
    const answer = await call(method, path, payload);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  }
  async function fails(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload: Record<string, unknown>, status: number, code: string, text?: string): Promise<void> {
    const answer = await call(method, path, payload);
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.body.error_code, code);
    if (text !== undefined) assert.ok(String(answer.body.message).includes(text), answer.body.message);
  }
  const SOURCE = 'mlflow-artifacts:/0/runs/r/artifacts/model';

  test('create and get answer MLflow’s JSON: strings for versions, numbers for times, READY, unset fields omitted', async () => {
    const created = await ok('POST', 'registered-models/create', { name: 'shapes', tags: [{ key: 'team', value: 'ml' }] });
    const { creation_timestamp: created_at, last_updated_timestamp: updated_at, ...model } = created.registered_model;
    assert.equal(typeof created_at, 'number');
    assert.equal(updated_at, created_at);
    assert.deepEqual(model, { name: 'shapes', tags: [{ key: 'team', value: 'ml' }] });
    const version = (await ok('POST', 'model-versions/create', { name: 'shapes', source: SOURCE, run_id: 'r' })).model_version;
    const { creation_timestamp, last_updated_timestamp, ...rest } = version;
    assert.equal(typeof creation_timestamp, 'number');
    assert.equal(typeof last_updated_timestamp, 'number');
    assert.deepEqual(rest, { name: 'shapes', version: '1', current_stage: 'None', source: SOURCE, run_id: 'r', status: 'READY' });
    const both = await Promise.all([
      call('GET', 'registered-models/get', { name: 'shapes' }),
      call('GET', 'registered-models/get', { name: 'shapes' }, '/ajax-api/2.0/mlflow/'),
    ]);
    assert.deepEqual(both[0], both[1]);
    assert.deepEqual(both[0].body.registered_model.latest_versions, [version]);
    assert.deepEqual((await ok('GET', 'model-versions/get', { name: 'shapes', version: '1' })).model_version, version);
    assert.deepEqual(await ok('GET', 'model-versions/get-download-uri', { name: 'shapes', version: 1 }), { artifact_uri: SOURCE });
  });

  test('errors carry MLflow’s codes, statuses and messages', async () => {
    await fails('POST', 'registered-models/create', { name: 'shapes' }, 400, 'RESOURCE_ALREADY_EXISTS', 'Registered Model (name=shapes) already exists.');
    await fails('POST', 'registered-models/create', {}, 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'name'");
    await fails('POST', 'registered-models/create', { name: 'a/b' }, 400, 'INVALID_PARAMETER_VALUE');
    await fails('GET', 'registered-models/get', { name: 'nobody' }, 404, 'RESOURCE_DOES_NOT_EXIST', 'Registered Model with name=nobody not found');
    await fails('GET', 'model-versions/get', { name: 'shapes', version: '99' }, 404, 'RESOURCE_DOES_NOT_EXIST', 'Model Version (name=shapes, version=99) not found');
    await fails('GET', 'model-versions/get', { name: 'shapes', version: 'one' }, 400, 'INVALID_PARAMETER_VALUE');
    await fails('POST', 'model-versions/create', { name: 'shapes', source: 'file:///etc/passwd' }, 400, 'INVALID_PARAMETER_VALUE', 'accepts only models:/');
    await fails('POST', 'model-versions/create', { name: 'shapes', source: '/tmp/model' }, 400, 'INVALID_PARAMETER_VALUE', 'accepts only models:/');
    await fails('GET', 'registered-models/search', { max_results: 1001 }, 400, 'INVALID_PARAMETER_VALUE');
  });

  test('aliases: set, get (latest too), unknown alias is 400, delete with a JSON body', async () => {
    await ok('POST', 'registered-models/create', { name: 'aliased' });
    await ok('POST', 'model-versions/create', { name: 'aliased', source: SOURCE });
    await ok('POST', 'model-versions/create', { name: 'aliased', source: SOURCE });
    assert.deepEqual(await ok('POST', 'registered-models/alias', { name: 'aliased', alias: 'champion', version: '1' }), {});
    const champion = (await ok('GET', 'registered-models/alias', { name: 'aliased', alias: 'champion' })).model_version;
    assert.equal(champion.version, '1');
    assert.deepEqual(champion.aliases, ['champion']);
    assert.equal((await ok('GET', 'registered-models/alias', { name: 'aliased', alias: 'latest' })).model_version.version, '2');
    assert.deepEqual((await ok('GET', 'registered-models/get', { name: 'aliased' })).registered_model.aliases, [{ alias: 'champion', version: '1' }]);
    await fails('GET', 'registered-models/alias', { name: 'aliased', alias: 'nope' }, 400, 'INVALID_PARAMETER_VALUE', 'Registered model alias nope not found.');
    await fails('POST', 'registered-models/alias', { name: 'aliased', alias: 'latest', version: '1' }, 400, 'INVALID_PARAMETER_VALUE', 'reserved');
    await ok('DELETE', 'registered-models/alias', { name: 'aliased', alias: 'champion' });
    await fails('GET', 'registered-models/alias', { name: 'aliased', alias: 'champion' }, 400, 'INVALID_PARAMETER_VALUE');
  });

  test('stages and latest versions, by POST and by GET with repeated stages', async () => {
    await ok('POST', 'registered-models/create', { name: 'staged' });
    for (let i = 0; i < 3; i++) await ok('POST', 'model-versions/create', { name: 'staged', source: SOURCE });
    const moved = await ok('POST', 'model-versions/transition-stage', { name: 'staged', version: '1', stage: 'production', archive_existing_versions: false });
    assert.equal(moved.model_version.current_stage, 'Production');
    await ok('POST', 'model-versions/transition-stage', { name: 'staged', version: '2', stage: 'Production', archive_existing_versions: true });
    const all = await ok('POST', 'registered-models/get-latest-versions', { name: 'staged' });
    assert.deepEqual(all.model_versions.map((v: any) => [v.version, v.current_stage]), [['1', 'Archived'], ['2', 'Production'], ['3', 'None']]);
    const some = await ok('GET', 'registered-models/get-latest-versions', { name: 'staged', stages: ['None', 'production'] });
    assert.deepEqual(some.model_versions.map((v: any) => v.version), ['3', '2']);
    await fails('POST', 'model-versions/transition-stage', { name: 'staged', version: '1', stage: 'Live', archive_existing_versions: false }, 400, 'INVALID_PARAMETER_VALUE');
  });

  test('update (PATCH), tags (set and DELETE), rename, and delete with JSON bodies', async () => {
    await ok('POST', 'registered-models/create', { name: 'editable' });
    await ok('POST', 'model-versions/create', { name: 'editable', source: SOURCE });
    assert.equal((await ok('PATCH', 'registered-models/update', { name: 'editable', description: 'about' })).registered_model.description, 'about');
    assert.equal((await ok('PATCH', 'model-versions/update', { name: 'editable', version: '1', description: 'v1' })).model_version.description, 'v1');
    await ok('POST', 'registered-models/set-tag', { name: 'editable', key: 'k', value: 'v' });
    await ok('POST', 'model-versions/set-tag', { name: 'editable', version: '1', key: 'vk', value: 'vv' });
    await ok('POST', 'registered-models/alias', { name: 'editable', alias: 'prod', version: '1' });
    const renamed = (await ok('POST', 'registered-models/rename', { name: 'editable', new_name: 'edited' })).registered_model;
    assert.equal(renamed.name, 'edited');
    assert.deepEqual(renamed.tags, [{ key: 'k', value: 'v' }]);
    assert.deepEqual(renamed.latest_versions[0].tags, [{ key: 'vk', value: 'vv' }]);
    assert.equal((await ok('GET', 'registered-models/alias', { name: 'edited', alias: 'prod' })).model_version.name, 'edited');
    await fails('GET', 'registered-models/get', { name: 'editable' }, 404, 'RESOURCE_DOES_NOT_EXIST');
    await ok('DELETE', 'registered-models/delete-tag', { name: 'edited', key: 'k' });
    await ok('DELETE', 'model-versions/delete-tag', { name: 'edited', version: '1', key: 'vk' });
    const after = (await ok('GET', 'registered-models/get', { name: 'edited' })).registered_model;
    assert.equal(after.tags, undefined);
    assert.equal(after.latest_versions[0].tags, undefined);
    await ok('DELETE', 'model-versions/delete', { name: 'edited', version: '1' });
    await fails('GET', 'model-versions/get', { name: 'edited', version: '1' }, 404, 'RESOURCE_DOES_NOT_EXIST');
    assert.equal((await ok('POST', 'model-versions/create', { name: 'edited', source: SOURCE })).model_version.version, '2');
    await ok('DELETE', 'registered-models/delete', { name: 'edited' });
    await fails('GET', 'registered-models/get', { name: 'edited' }, 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  test('search by GET and POST, with the client’s prompt-exclusion filter, ordering and paging', async () => {
    await ok('POST', 'registered-models/create', { name: 'find-b' });
    await ok('POST', 'registered-models/create', { name: 'find-a' });
    await ok('POST', 'registered-models/create', { name: 'find-prompt', tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] });
    const filter = "name LIKE 'find-%' AND tag.`mlflow.prompt.is_prompt` != 'true'";
    const byGet = await ok('GET', 'registered-models/search', { filter, order_by: ['name DESC'], max_results: 1 });
    assert.deepEqual(byGet.registered_models.map((m: any) => m.name), ['find-b']);
    assert.ok(byGet.next_page_token);
    const rest = await ok('POST', 'registered-models/search', { filter, order_by: ['name DESC'], max_results: 1, page_token: byGet.next_page_token });
    assert.deepEqual(rest.registered_models.map((m: any) => m.name), ['find-a']);
    assert.equal(rest.next_page_token, undefined);
    const prompts = await ok('GET', 'registered-models/search', { filter: "name LIKE 'find-%' AND tags.`mlflow.prompt.is_prompt` = 'true'" });
    assert.deepEqual(prompts.registered_models.map((m: any) => m.name), ['find-prompt']);
    assert.deepEqual(await ok('GET', 'registered-models/search', { filter: "name = 'nothing-here'" }), {});

    await ok('POST', 'model-versions/create', { name: 'find-a', source: SOURCE, run_id: 'run-1' });
    await ok('POST', 'model-versions/create', { name: 'find-a', source: SOURCE, run_id: 'run-2' });
    const versions = await ok('GET', 'model-versions/search', { filter: "name = 'find-a'", order_by: ['version_number ASC'], max_results: 10000 });
    assert.deepEqual(versions.model_versions.map((v: any) => v.version), ['1', '2']);
    const byRun = await ok('POST', 'model-versions/search', { filter: "run_id = 'run-2'" });
    assert.deepEqual(byRun.model_versions.map((v: any) => [v.name, v.version]), [['find-a', '2']]);
  });

  test('prompt registration as mlflow.genai does it: tagged model, dummy-source version, latest alias', async () => {
    const promptTag = { key: 'mlflow.prompt.is_prompt', value: 'true' };
    await ok('POST', 'registered-models/create', { name: 'greeting', tags: [promptTag] });
    const v = await ok('POST', 'model-versions/create', {
      name: 'greeting', source: 'dummy-source', description: 'first draft',
      tags: [promptTag, { key: 'mlflow.prompt.text', value: 'Hello {{name}}!' }, { key: '_mlflow_prompt_type', value: 'text' }],
    });
    assert.equal(v.model_version.status, 'READY');
    const latest = (await ok('GET', 'registered-models/alias', { name: 'greeting', alias: 'latest' })).model_version;
    assert.equal(latest.version, '1');
    assert.equal(latest.description, 'first draft');
    const found = await ok('GET', 'model-versions/search', { filter: "name = 'greeting' AND tag.`mlflow.prompt.is_prompt` = 'true'", order_by: ['version_number DESC'] });
    assert.deepEqual(found.model_versions.map((x: any) => x.version), ['1']);
    await fails('POST', 'registered-models/create', { name: 'greeting' }, 400, 'RESOURCE_ALREADY_EXISTS');
  });

  test('registering a logged model from a run, as log_model(registered_model_name=...) does', async () => {
    const run = (await ok('POST', 'runs/create', { experiment_id: '0' })).run.info;
    const logged = (await ok('POST', 'logged-models', { experiment_id: '0', name: 'model', source_run_id: run.run_id })).model.info;
    await ok('POST', 'registered-models/create', { name: 'from-log' });
    const v = (await ok('POST', 'model-versions/create', { name: 'from-log', source: `models:/${logged.model_id}`, model_id: logged.model_id })).model_version;
    assert.equal(v.run_id, run.run_id);
    assert.equal(v.model_id, logged.model_id);
    assert.deepEqual(await ok('GET', 'model-versions/get-download-uri', { name: 'from-log', version: '1' }), { artifact_uri: logged.artifact_uri });
    const fromRun = (await ok('POST', 'model-versions/create', { name: 'from-log', source: `runs:/${run.run_id}/model` })).model_version;
    assert.equal(fromRun.run_id, run.run_id);
    assert.deepEqual(await ok('GET', 'model-versions/get-download-uri', { name: 'from-log', version: '2' }), { artifact_uri: `${run.artifact_uri}/model` });
  });
});
