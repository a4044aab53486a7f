import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { DIALECTS } from '../../testing/dialects.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { route, type Route } from '../route.js';
import { allRoutes, checked } from '../routes.js';
import { isRoutePermission } from './permission-types.js';

const PASSWORD = 'correct horse battery';

interface Answer {
  status: number;
  body: any;
}

async function send(server: TestServer, who: string | undefined, method: string, path: string, body?: unknown): Promise<Answer> {
  const url = path.startsWith('/') ? `${server.url}${path}` : `${server.url}/api/2.0/mlflow/${path}`;
  const headers: Record<string, string> = who ? { authorization: `Basic ${Buffer.from(`${who}:${PASSWORD}`).toString('base64')}` } : {};
  if (body !== undefined && typeof body !== 'string') headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    // bytes and plain text stay strings
  }
  return { status: response.status, body: parsed };
}

function ok(answer: Answer): any {
  assert.ok(answer.status < 300, `expected success, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

function refused(answer: Answer, need: string, resource: RegExp, user: string): void {
  assert.equal(answer.status, 403, JSON.stringify(answer.body));
  assert.equal(answer.body.error_code, 'PERMISSION_DENIED');
  assert.match(answer.body.message, new RegExp(`needs the ${need} permission`));
  assert.match(answer.body.message, resource);
  assert.match(answer.body.message, new RegExp(`user '${user}'`));
}

/** A concrete URL for a route pattern: every parameter and wildcard becomes a plain name. */
const concrete = (pattern: string): string => pattern.replace(/:[a-z_]+/g, 'x').replace(/\*$/, 'x/y.txt');

test('every route declares a resource permission, and a route list without one is refused', () => {
  for (const r of allRoutes) assert.ok(isRoutePermission(r.permission), `${r.method} ${r.paths[0]} has no permission declaration`);
  const undeclared = { method: 'GET', paths: ['/api/v1/nothing'], tag: 'x', access: 'read', summary: 'x', response: z.object({}), handler: () => ({}) } as unknown as Route;
  assert.throws(() => checked([undeclared]), /declares no resource permission/);
  const emptyReason = route({ method: 'GET', paths: ['/api/v1/nothing'], tag: 'x', access: 'read', permission: { none: ' ' }, summary: 'x', response: z.object({}), handler: () => ({}) });
  assert.throws(() => checked([emptyReason]), /declares no resource permission/);
});

for (const dialect of DIALECTS) {
  describe(`per-resource permissions over HTTP, default NONE [${dialect}]`, () => {
    let server: TestServer;
    let experimentId: string;
    let runId: string;
    before(async () => {
      server = await startTestServer(dialect, { auth: true, flags: { defaultPermission: 'NONE' } });
      const { users } = server.services.auth;
      await users.create({ name: 'root', password: PASSWORD, role: 'admin' });
      await users.create({ name: 'mia', password: PASSWORD, role: 'member' });
      await users.create({ name: 'max', password: PASSWORD, role: 'member' });
      await users.create({ name: 'vera', password: PASSWORD, role: 'viewer' });
      experimentId = ok(await send(server, 'mia', 'POST', 'experiments/create', { name: 'mia-private' })).experiment_id;
      runId = ok(await send(server, 'mia', 'POST', 'runs/create', { experiment_id: experimentId })).run.info.run_id;
      ok(await send(server, 'mia', 'POST', 'runs/log-metric', { run_id: runId, key: 'loss', value: 0.5, timestamp: 1, step: 0 }));
      ok(await send(server, 'mia', 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/notes.txt`, 'secret notes'));
      ok(await send(server, 'mia', 'POST', 'registered-models/create', { name: 'mia-model' }));
      ok(await send(server, 'mia', 'POST', '/api/v1/datasets', { name: 'mia-data' }));
    });
    after(() => server.close());

    test('a viewer is refused every state-changing route, and a caller without credentials gets 401', async () => {
      const changing = allRoutes.filter((r) => r.access === 'write' || r.access === 'admin');
      assert.ok(changing.length > 60, `only ${changing.length} state-changing routes found`);
      for (const r of changing) {
        for (const path of r.paths) {
          const url = concrete(path);
          const body = r.method === 'GET' ? undefined : {};
          const asViewer = await send(server, 'vera', r.method, url, body);
          assert.equal(asViewer.status, 403, `viewer ${r.method} ${url}: ${JSON.stringify(asViewer.body)}`);
          const anonymous = await send(server, undefined, r.method, url, body);
          assert.equal(anonymous.status, 401, `anonymous ${r.method} ${url}`);
        }
      }
    });

    test('the creator holds MANAGE, and may delete', async () => {
      const grants = ok(await send(server, 'mia', 'GET', `/api/v1/permissions?resource_type=experiment&resource_id=${experimentId}`));
      assert.equal(grants.default_permission, 'NONE');
      assert.deepEqual(grants.grants.map((g: any) => [g.user, g.permission]), [['mia', 'MANAGE']]);
      const model = ok(await send(server, 'mia', 'GET', '/api/v1/permissions?resource_type=registered_model&resource_id=mia-model'));
      assert.deepEqual(model.grants.map((g: any) => [g.user, g.permission]), [['mia', 'MANAGE']]);
      // A dataset the MLflow client logs for the first time belongs to whoever logged it.
      const dataset = { name: 'mia-logged', digest: 'd1', source_type: 'local', source: '{"uri": "train.csv"}' };
      ok(await send(server, 'mia', 'POST', 'runs/log-inputs', { run_id: runId, datasets: [{ dataset }] }));
      const logged = ok(await send(server, 'mia', 'GET', '/api/v1/permissions?resource_type=dataset&resource_id=mia-logged'));
      assert.deepEqual(logged.grants.map((g: any) => [g.user, g.permission]), [['mia', 'MANAGE']]);
      refused(await send(server, 'max', 'GET', '/api/v1/datasets/mia-logged'), 'READ', /dataset 'mia-logged'/, 'max');
      const scratch = ok(await send(server, 'mia', 'POST', 'runs/create', { experiment_id: experimentId })).run.info.run_id;
      ok(await send(server, 'mia', 'POST', 'runs/delete', { run_id: scratch }));
    });

    test('a member without a grant cannot read another user’s runs, metrics, artifacts, models or datasets', async () => {
      const experiment = new RegExp(`experiment '${experimentId}'`);
      refused(await send(server, 'max', 'GET', `runs/get?run_id=${runId}`), 'READ', experiment, 'max');
      refused(await send(server, 'max', 'GET', `experiments/get?experiment_id=${experimentId}`), 'READ', experiment, 'max');
      // '01' names experiment 1 too: a lenient spelling must not slip past the grant check.
      refused(await send(server, 'max', 'GET', `experiments/get?experiment_id=0${experimentId}`), 'READ', experiment, 'max');
      refused(await send(server, 'max', 'GET', 'experiments/get-by-name?experiment_name=mia-private'), 'READ', experiment, 'max');
      refused(await send(server, 'max', 'GET', `metrics/get-history?run_id=${runId}&metric_key=loss`), 'READ', experiment, 'max');
      refused(await send(server, 'max', 'GET', `metrics/get-history-bulk-interval?run_ids=${runId}&metric_key=loss`), 'READ', experiment, 'max');
      refused(await send(server, 'max', 'GET', `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/notes.txt`), 'READ', experiment, 'max');
      refused(await send(server, 'max', 'GET', `/get-artifact?run_id=${runId}&path=notes.txt`), 'READ', experiment, 'max');
      refused(await send(server, 'max', 'GET', `artifacts/list?run_id=${runId}`), 'READ', experiment, 'max');
      refused(await send(server, 'max', 'POST', 'runs/log-metric', { run_id: runId, key: 'loss', value: 1, timestamp: 2 }), 'EDIT', experiment, 'max');
      refused(await send(server, 'max', 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/evil.txt`, 'x'), 'EDIT', experiment, 'max');
      refused(await send(server, 'max', 'GET', 'registered-models/get?name=mia-model'), 'READ', /registered_model 'mia-model'/, 'max');
      refused(await send(server, 'max', 'POST', 'model-versions/create', { name: 'mia-model', source: 'mlflow-artifacts:/x' }), 'EDIT', /registered_model 'mia-model'/, 'max');
      refused(await send(server, 'max', 'GET', '/api/v1/datasets/mia-data'), 'READ', /dataset 'mia-data'/, 'max');
      // Registering a version of one's own model from another user's run reads that run's artifacts.
      ok(await send(server, 'max', 'POST', 'registered-models/create', { name: 'max-model' }));
      for (const source of [`runs:/${runId}/model`, `mlflow-artifacts:/${experimentId}/${runId}/artifacts/model`]) {
        refused(await send(server, 'max', 'POST', 'model-versions/create', { name: 'max-model', source }), 'READ', experiment, 'max');
      }
      refused(await send(server, 'max', 'POST', 'model-versions/create', { name: 'max-model', source: 'models:/mia-model/1' }), 'READ', /registered_model 'mia-model'/, 'max');
      ok(await send(server, 'max', 'DELETE', 'registered-models/delete', { name: 'max-model' }));
      // A monitor would show its creator the data it reads: creating or re-pointing one needs READ on it.
      const onMiaData = { reference: { type: 'dataset', dataset: 'mia-data', version: '1' }, current: { type: 'dataset', dataset: 'mia-data', version: '2' } };
      refused(await send(server, 'max', 'POST', '/api/v1/monitors', { name: 'max-monitor', ...onMiaData }), 'READ', /dataset 'mia-data'/, 'max');
      const artifact = { type: 'artifact', uri: `runs:/${runId}/notes.txt` };
      refused(await send(server, 'max', 'POST', '/api/v1/monitors', { name: 'max-monitor', reference: artifact, current: artifact }), 'READ', experiment, 'max');
      refused(await send(server, 'max', 'GET', `/api/v1/permissions?resource_type=experiment&resource_id=${experimentId}`), 'MANAGE', experiment, 'max');
      // Artifacts outside every experiment's location are for admins only.
      assert.equal((await send(server, 'max', 'GET', '/api/2.0/mlflow-artifacts/artifacts?path=')).status, 403);
      // A resource that does not exist answers 404, as without permissions.
      assert.equal((await send(server, 'max', 'GET', 'experiments/get?experiment_id=987654')).status, 404);
      assert.equal((await send(server, 'max', 'GET', 'registered-models/get?name=nobody-has-this')).status, 404);
    });

    test('searches and lists return only what the caller may read', async () => {
      const own = ok(await send(server, 'max', 'POST', 'experiments/create', { name: 'max-own' })).experiment_id;
      const experiments = ok(await send(server, 'max', 'POST', 'experiments/search', { max_results: 100 })).experiments ?? [];
      assert.deepEqual(experiments.map((e: any) => e.experiment_id), [own]);
      const runs = ok(await send(server, 'max', 'POST', 'runs/search', { experiment_ids: [experimentId, own] }));
      assert.deepEqual(runs.runs ?? [], []);
      assert.equal(ok(await send(server, 'max', 'GET', 'registered-models/search')).registered_models, undefined);
      assert.deepEqual(ok(await send(server, 'max', 'GET', '/api/v1/datasets')).datasets, []);
      const asRoot = ok(await send(server, 'root', 'POST', 'experiments/search', { max_results: 100 })).experiments.map((e: any) => e.experiment_id);
      assert.ok(asRoot.includes(experimentId) && asRoot.includes(own) && asRoot.includes('0'));
      const forMia = ok(await send(server, 'mia', 'GET', 'registered-models/search')).registered_models.map((m: any) => m.name);
      assert.deepEqual(forMia, ['mia-model']);
    });

    test('grants change what a user may do; the role still caps them', async () => {
      ok(await send(server, 'mia', 'PUT', '/api/v1/permissions', { resource_type: 'experiment', resource_id: experimentId, user: 'max', permission: 'read' }));
      assert.equal(ok(await send(server, 'max', 'GET', `runs/get?run_id=${runId}`)).run.info.run_id, runId);
      assert.equal(ok(await send(server, 'max', 'POST', 'runs/search', { experiment_ids: [experimentId] })).runs.length, 1);
      refused(await send(server, 'max', 'POST', 'runs/set-tag', { run_id: runId, key: 'k', value: 'v' }), 'EDIT', new RegExp(`experiment '${experimentId}'`), 'max');
      // MLflow's basic-auth RPCs see and change the same grants.
      const got = ok(await send(server, 'mia', 'GET', `experiments/permissions/get?experiment_id=${experimentId}&username=max`));
      assert.deepEqual(got.experiment_permission, { experiment_id: experimentId, user_id: 'max', permission: 'READ' });
      ok(await send(server, 'mia', 'PATCH', 'experiments/permissions/update', { experiment_id: experimentId, username: 'max', permission: 'EDIT' }));
      ok(await send(server, 'max', 'POST', 'runs/set-tag', { run_id: runId, key: 'k', value: 'v' }));
      refused(await send(server, 'max', 'POST', 'runs/delete', { run_id: runId }), 'MANAGE', new RegExp(`experiment '${experimentId}'`), 'max');
      ok(await send(server, 'mia', 'DELETE', 'experiments/permissions/delete', { experiment_id: experimentId, username: 'max' }));
      refused(await send(server, 'max', 'GET', `runs/get?run_id=${runId}`), 'READ', new RegExp(`experiment '${experimentId}'`), 'max');
      // A viewer granted MANAGE still only reads.
      ok(await send(server, 'mia', 'POST', 'registered-models/permissions/create', { name: 'mia-model', username: 'vera', permission: 'MANAGE' }));
      assert.equal(ok(await send(server, 'vera', 'GET', 'registered-models/get?name=mia-model')).registered_model.name, 'mia-model');
      refused(await send(server, 'vera', 'GET', '/api/v1/permissions?resource_type=registered_model&resource_id=mia-model'), 'MANAGE', /registered_model 'mia-model'/, 'vera');
    });

    test('renaming a registered model keeps its grants; deleting it drops them', async () => {
      ok(await send(server, 'mia', 'POST', 'registered-models/create', { name: 'to-rename' }));
      ok(await send(server, 'mia', 'POST', 'registered-models/rename', { name: 'to-rename', new_name: 'renamed' }));
      const grants = ok(await send(server, 'mia', 'GET', '/api/v1/permissions?resource_type=registered_model&resource_id=renamed'));
      assert.deepEqual(grants.grants.map((g: any) => [g.user, g.permission]), [['mia', 'MANAGE']]);
      ok(await send(server, 'mia', 'DELETE', 'registered-models/delete', { name: 'renamed' }));
      // Max creates a model of the same name: mia's old grant must not come back with it.
      ok(await send(server, 'max', 'POST', 'registered-models/create', { name: 'renamed' }));
      refused(await send(server, 'mia', 'GET', 'registered-models/get?name=renamed'), 'READ', /registered_model 'renamed'/, 'mia');
    });
  });
}
