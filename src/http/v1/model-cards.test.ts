import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../testing/server.js';

const CARD = '/api/v1/registry/models/churn/card';

describe('model cards over HTTP', () => {
  let server: TestServer;
  const runs: string[] = [];

  async function ok(method: string, path: string, body?: unknown): Promise<any> {
    const answer = await server.call(method, path, body);
    assert.ok(answer.status === 200 || answer.status === 201, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async function refused(method: string, path: string, body: unknown, status: number, code: string, text: string): Promise<void> {
    const answer = await server.call(method, path, body);
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.body.error_code, code);
    assert.ok(String(answer.body.message).includes(text), `expected '${text}' in: ${answer.body.message}`);
  }

  /** A training run that read dataset `digest` and logged `accuracy`, registered as the next version through a logged model. */
  async function trainVersion(experiment: string, digest: string, accuracy: number): Promise<void> {
    const user = digest === 'd2' ? { user_id: 'maria' } : {};
    const run = (await ok('POST', 'runs/create', { experiment_id: experiment, run_name: `train-${digest}`, ...user })).run.info.run_id as string;
    runs.push(run);
    await ok('POST', 'runs/log-batch', { run_id: run, metrics: [{ key: 'accuracy', value: accuracy, timestamp: 1, step: 0 }] });
    await ok('POST', 'runs/log-inputs', { run_id: run, datasets: [{ tags: [], dataset: { name: 'customers', digest, source_type: 's3', source: `s3://bucket/customers-${digest}.parquet` } }] });
    const model = (await ok('POST', 'logged-models', { experiment_id: experiment, name: 'clf', source_run_id: run })).model.info.model_id as string;
    // No run_id on the version: the card finds the run through the logged model, as for MLflow 3 clients.
    await ok('POST', 'model-versions/create', { name: 'churn', source: `models:/${model}`, model_id: model });
  }

  before(async () => {
    server = await startTestServer('sqlite');
    const experiment = (await ok('POST', 'experiments/create', { name: 'churn-training' })).experiment_id as string;
    await ok('POST', 'registered-models/create', { name: 'churn', description: 'Who is about to cancel' });
    await trainVersion(experiment, 'd1', 0.81);
    await trainVersion(experiment, 'd2', 0.86);
    await trainVersion(experiment, 'd3', 0.88);
    await ok('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '2' });
    // What `cairn gate` logs when it scores version 3 against version 2.
    const gate = (await ok('POST', 'runs/create', { experiment_id: experiment, tags: [{ key: 'cairn.gate', value: 'passed' }, { key: 'cairn.gate.model', value: 'churn' }] })).run.info.run_id;
    await ok('POST', 'runs/log-batch', {
      run_id: gate,
      params: [{ key: 'candidate_version', value: '3' }, { key: 'champion_version', value: '2' }],
      metrics: [{ key: 'candidate_accuracy', value: 0.88, timestamp: 1, step: 0 }, { key: 'gate_passed', value: 1, timestamp: 1, step: 0 }],
    });
  });
  after(async () => {
    await server.close();
  });

  test('a model without a saved card shows empty sections and what cairn knows about its newest version', async () => {
    const card = await ok('GET', CARD);
    assert.equal(card.revision, null);
    assert.equal(card.sections.intended_use, '');
    assert.equal(card.facts.model_version, 3);
    assert.equal(card.facts.description, 'Who is about to cancel');
    assert.deepEqual(card.facts.aliases, [{ alias: 'champion', version: 2 }]);
    assert.deepEqual(await ok('GET', `${CARD}/revisions`), { revisions: [] });
  });

  test('every save is a new revision, and a version reads the revision in effect for it', async () => {
    const general = await ok('PUT', CARD, { sections: { intended_use: 'Rank customers by churn risk for the retention team.', limitations: 'Trained on EU customers only.' } });
    assert.equal(general.revision.revision, 1);
    assert.equal(general.revision.model_version, null);
    assert.equal(general.revision.author, null);
    assert.equal(general.revision.sections.notes, '');
    // Before any revision names a version, every version reads the general one.
    assert.equal((await ok('GET', `${CARD}?version=2`)).revision.revision, 1);

    await ok('PUT', CARD, { sections: { intended_use: 'v1 text' }, model_version: 1 });
    await ok('PUT', CARD, { sections: { intended_use: 'v2 text', evaluation: 'Holdout of March.' }, model_version: '2' });
    // A later fix to version 1's text must not become the card of version 2 or 3.
    await ok('PUT', CARD, { sections: { intended_use: 'v1 text, corrected' }, model_version: 1 });

    const v1 = await ok('GET', `${CARD}?version=1`);
    assert.equal(v1.revision.revision, 4);
    assert.equal(v1.sections.intended_use, 'v1 text, corrected');
    assert.equal((await ok('GET', `${CARD}?version=2`)).revision.revision, 3);
    const v3 = await ok('GET', `${CARD}?version=3`);
    assert.equal(v3.revision.revision, 3, 'version 3 has no revision of its own: the one for version 2 is in effect');
    assert.equal(v3.facts.model_version, 3);

    const newest = await ok('GET', CARD);
    assert.equal(newest.revision.revision, 4);
    assert.equal(newest.facts.model_version, 1, 'facts describe the version the newest revision names');
    assert.equal((await ok('GET', `${CARD}?revision=1`)).sections.limitations, 'Trained on EU customers only.');

    const listed = (await ok('GET', `${CARD}/revisions`)).revisions;
    assert.deepEqual(listed.map((r: any) => [r.revision, r.model_version]), [[4, 1], [3, 2], [2, 1], [1, null]]);
    assert.ok(listed.every((r: any) => typeof r.created_at === 'number' && r.sections === undefined));
  });

  test('generated parts: training data from lineage, the training run’s metrics, gate evaluations, owners', async () => {
    const v2 = (await ok('GET', `${CARD}?version=2`)).facts;
    assert.deepEqual(v2.training_data, [{ name: 'customers', version: 2, digest: 'd2', source: 's3://bucket/customers-d2.parquet', source_type: 's3' }]);
    assert.equal(v2.training_run.run_id, runs[1]);
    assert.deepEqual(v2.training_run.metrics, [{ key: 'accuracy', value: 0.86 }]);
    assert.deepEqual(v2.gate_evaluations, []);
    assert.equal(v2.signature, null, 'the version has no MLmodel file');
    assert.deepEqual(v2.deployments, []);
    assert.deepEqual(v2.owners, [{ user: 'maria', role: 'trained the version' }]);
    assert.deepEqual((await ok('GET', `${CARD}?version=1`)).facts.owners, [], "a run created without a user ('unknown') names nobody");

    const v3 = (await ok('GET', `${CARD}?version=3`)).facts;
    assert.equal(v3.gate_evaluations.length, 1);
    assert.equal(v3.gate_evaluations[0].passed, true);
    assert.equal(v3.gate_evaluations[0].champion_version, '2');
    assert.deepEqual(v3.gate_evaluations[0].metrics.map((m: any) => m.key).sort(), ['candidate_accuracy', 'gate_passed']);
  });

  test('the Markdown export is the card in effect for the version, with cairn’s records beside the text', async () => {
    const response = await fetch(`${server.url}${CARD}.md?version=2`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/markdown/);
    const text = await response.text();
    assert.ok(text.startsWith('# Model card: churn\n'), text);
    assert.match(text, /Revision 3 \(for version 2\), saved \d{4}-\d\d-\d\dT/);
    assert.match(text, /## Intended use\n\nv2 text\n/);
    assert.match(text, /## Evaluation\n\nHoldout of March\.\n/);
    assert.match(text, /\| customers \| 2 \| `d2` \| s3:\/\/bucket\/customers-d2\.parquet \|/);
    assert.match(text, /\| accuracy \| 0\.86 \|/);
    assert.match(text, /- Aliases: @champion → version 2/);
    assert.match(text, /## Limitations\n\n_Not written yet\._/);
  });

  test('unknown models, versions and revisions are 404', async () => {
    await refused('GET', '/api/v1/registry/models/nope/card', undefined, 404, 'RESOURCE_DOES_NOT_EXIST', 'nope');
    await refused('PUT', '/api/v1/registry/models/nope/card', { sections: {} }, 404, 'RESOURCE_DOES_NOT_EXIST', 'nope');
    await refused('GET', '/api/v1/registry/models/nope/card/revisions', undefined, 404, 'RESOURCE_DOES_NOT_EXIST', 'nope');
    await refused('GET', '/api/v1/registry/models/nope/card.md', undefined, 404, 'RESOURCE_DOES_NOT_EXIST', 'nope');
    await refused('GET', `${CARD}?version=9`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST', 'version=9');
    await refused('GET', `${CARD}?revision=99`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST', 'no revision 99');
    await refused('PUT', CARD, { sections: {}, model_version: 9 }, 404, 'RESOURCE_DOES_NOT_EXIST', 'version=9');
  });

  test('bad input is a 400 naming the field, and saves nothing', async () => {
    const before = (await ok('GET', `${CARD}/revisions`)).revisions.length;
    await refused('PUT', CARD, {}, 400, 'INVALID_PARAMETER_VALUE', "'sections'");
    await refused('PUT', CARD, { sections: { limitations: 42 } }, 400, 'INVALID_PARAMETER_VALUE', "'sections.limitations'");
    await refused('PUT', CARD, { sections: { purpose: 'x' } }, 400, 'INVALID_PARAMETER_VALUE', "'purpose'");
    await refused('PUT', CARD, { sections: { notes: 'x'.repeat(65_537) } }, 400, 'INVALID_PARAMETER_VALUE', "'sections.notes'");
    await refused('PUT', CARD, { sections: { notes: 'bell \u0007' } }, 400, 'INVALID_PARAMETER_VALUE', "'sections.notes'");
    await refused('PUT', CARD, { sections: {}, model_version: 'latest' }, 400, 'INVALID_PARAMETER_VALUE', "'model_version'");
    await refused('GET', `${CARD}?version=abc`, undefined, 400, 'INVALID_PARAMETER_VALUE', "'version'");
    await refused('GET', `${CARD}?revision=0`, undefined, 400, 'INVALID_PARAMETER_VALUE', "'revision'");
    await refused('GET', `${CARD}?version=1&revision=1`, undefined, 400, 'INVALID_PARAMETER_VALUE', "'version' and 'revision'");
    assert.equal((await ok('GET', `${CARD}/revisions`)).revisions.length, before);
  });

  test('a deleted model takes its card along, a renamed one keeps it', async () => {
    await ok('POST', 'registered-models/create', { name: 'short-lived' });
    await ok('PUT', '/api/v1/registry/models/short-lived/card', { sections: { notes: 'old' } });
    await ok('DELETE', 'registered-models/delete', { name: 'short-lived' });
    await ok('POST', 'registered-models/create', { name: 'short-lived' });
    assert.equal((await ok('GET', '/api/v1/registry/models/short-lived/card')).revision, null);
    await ok('PUT', '/api/v1/registry/models/short-lived/card', { sections: { notes: 'kept' } });
    await ok('POST', 'registered-models/rename', { name: 'short-lived', new_name: 'long-lived' });
    assert.equal((await ok('GET', '/api/v1/registry/models/long-lived/card')).sections.notes, 'kept', 'a renamed model keeps its card');
  });
});
