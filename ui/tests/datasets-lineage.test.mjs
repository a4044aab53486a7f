// Browser tests of the dataset registry and lineage pages against a real cairn server and
// Debian's Chromium. Run after `npx tsc -p .` and `npm run build:ui`:
//   node --test ui/tests/datasets-lineage.test.mjs
// Set CAIRN_UI_SCREENSHOTS=<folder> to save a screenshot of every page visited.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { callApi } from './seed.mjs';
import { callV1, launchChromium, screenshot as takeScreenshot, openPage } from './browser.mjs';
import { startCairnServer } from './server.mjs';


const md5 = (text) => createHash('md5').update(text).digest('hex');
const TRAIN_V1 = 'age,city\n30,Oslo\n40,Lima\n50,Oslo\n60,Pune\n';
const TRAIN_V2 = 'age,city,income\n30,Oslo,1\n,Lima,2\n,Oslo,3\n90,Kyiv,4\n100,Kyiv,5\n';

let server;
let browser;
let page;
let seeded;

const screenshot = (name) => takeScreenshot(page, name);

const v1 = (method, path, body) => callV1(server.baseUrl, method, path, body);

/** Push a folder's files and manifest as data objects, as `cairn data push` does, and return the manifest's id. */
async function pushFolder(files) {
  const entries = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [, body] of entries) {
    const oid = md5(body);
    await fetch(`${server.baseUrl}/api/v1/data/objects/md5/${oid.slice(0, 2)}/${oid.slice(2)}`, { method: 'PUT', body });
  }
  const manifest = `[${entries.map(([path, body]) => `{"md5": "${md5(body)}", "relpath": "${path}"}`).join(', ')}]`;
  const oid = `${md5(manifest)}.dir`;
  await fetch(`${server.baseUrl}/api/v1/data/objects/md5/${oid.slice(0, 2)}/${oid.slice(2)}`, { method: 'PUT', body: manifest });
  return oid;
}

/** Two pushed versions of `churn`, and an MLflow-logged `iris` that leads to a served model version. */
async function seed() {
  await v1('POST', 'datasets/churn/versions', { object: await pushFolder({ 'train.csv': TRAIN_V1, 'README.md': 'about\n' }), git_commit: 'aaaa1111' });
  await v1('POST', 'datasets/churn/versions', { object: await pushFolder({ 'train.csv': TRAIN_V2 }), git_commit: 'bbbb2222' });
  const experimentId = (await callApi(server.baseUrl, 'POST', 'experiments/create', { name: 'lineage-ui' })).experiment_id;
  const runId = (await callApi(server.baseUrl, 'POST', 'runs/create', { experiment_id: experimentId, run_name: 'train-iris' })).run.info.run_id;
  await callApi(server.baseUrl, 'POST', 'runs/log-inputs', {
    run_id: runId,
    datasets: [{ tags: [], dataset: { name: 'iris', digest: 'd1', source_type: 'code', source: '{}', profile: '{"num_rows": 150}' } }],
  });
  const modelId = (await callApi(server.baseUrl, 'POST', 'logged-models', { experiment_id: experimentId, name: 'clf', source_run_id: runId })).model.info.model_id;
  await callApi(server.baseUrl, 'POST', 'registered-models/create', { name: 'iris-clf' });
  await callApi(server.baseUrl, 'POST', 'model-versions/create', { name: 'iris-clf', source: `models:/${modelId}`, model_id: modelId });
  await v1('POST', 'lineage/edges', { from: 'model_version:iris-clf/1', to: 'deployment:iris-prod', kind: 'served' });
  return { runId, modelId };
}

describe('dataset registry and lineage pages', { timeout: 300_000 }, () => {
  before(async () => {
    server = await startCairnServer();
    seeded = await seed();
    browser = await launchChromium();
    page = await openPage(browser, { width: 1400, height: 900 });
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the dataset list shows both datasets and opens one from the navigation bar', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('link', { name: 'Datasets', exact: true }).click();
    await page.waitForURL('**/datasets');
    const churnRow = page.locator('tr', { has: page.getByRole('link', { name: 'churn', exact: true }) });
    await churnRow.waitFor();
    assert.match(await churnRow.innerText(), /\t2\t/);
    await page.getByRole('link', { name: 'iris', exact: true }).waitFor();
    await screenshot('datasets');
    await page.getByRole('link', { name: 'churn', exact: true }).click();
    await page.waitForURL('**/datasets/churn');
    await page.getByRole('link', { name: 'Version 2' }).waitFor();
    await page.getByRole('link', { name: 'Version 1' }).waitFor();
    await screenshot('dataset-versions');
  });

  test('a version page shows its files and the profile of its table', async () => {
    await page.goto(`${server.baseUrl}/datasets/churn`);
    await page.getByRole('link', { name: 'Version 1' }).click();
    await page.waitForURL('**/datasets/churn/versions/1');
    const profile = page.getByRole('region', { name: 'Profile of train.csv' });
    await profile.waitFor();
    const age = profile.locator('tr[data-column="age"]');
    const cells = await age.locator('td').allInnerTexts();
    // type, nulls, distinct, min, mean, median, max
    assert.deepEqual(cells.slice(0, 7), ['BIGINT', '0.0%', '4', '30', '45', '45', '60']);
    assert.match(await profile.locator('tr[data-column="city"]').innerText(), /Oslo \(2\)/);
    await page.getByText('README.md').first().waitFor();
    await screenshot('dataset-version');
  });

  test('comparing two versions shows file, schema and column changes', async () => {
    await page.goto(`${server.baseUrl}/datasets/churn`);
    await page.getByLabel('Compare version 1').check();
    await page.getByLabel('Compare version 2').check();
    await page.getByRole('button', { name: 'Compare selected' }).click();
    await page.waitForURL('**/datasets/churn/diff?from=1&to=2');
    const files = page.getByRole('region', { name: 'File changes' });
    await files.getByText('− README.md').waitFor();
    await files.getByText('~ train.csv').waitFor();
    const table = page.getByRole('region', { name: 'Table changes in train.csv' });
    await table.getByText('+ column income (BIGINT)').waitFor();
    const age = table.locator('tr[data-column="age"]');
    assert.equal(await age.getAttribute('class'), 'notable');
    assert.match(await age.innerText(), /0\.0% → 40\.0%/);
    await screenshot('dataset-diff');
  });

  test('the lineage graph draws dataset → run → logged model → version → deployment, left to right, with impact', async () => {
    await page.goto(`${server.baseUrl}/datasets/iris`);
    await page.getByRole('link', { name: 'graph' }).click();
    await page.waitForURL('**/lineage?node=dataset%3Airis%40d1');
    const nodes = page.locator('.react-flow__node');
    await nodes.nth(4).waitFor();
    assert.equal(await nodes.count(), 5);
    assert.equal(await page.locator('.react-flow__edge').count(), 4);
    const box = async (type) => page.locator(`.react-flow__node.type-${type}`).boundingBox();
    const order = await Promise.all(['dataset', 'run', 'logged_model', 'model_version', 'deployment'].map(box));
    for (let i = 1; i < order.length; i++) assert.ok(order[i].x > order[i - 1].x, `node ${i} should sit right of node ${i - 1}`);
    const impact = page.getByRole('region', { name: 'Impact' });
    await impact.getByText('Model versions (1)').waitFor();
    await impact.getByRole('link', { name: 'iris-clf' }).waitFor();
    await impact.getByText('Live deployments (1)').waitFor();
    await impact.getByText('iris-prod').waitFor();
    await screenshot('lineage');
  });

  test('clicking a node shows it, and "Center here" redraws the graph around it', async () => {
    await page.goto(`${server.baseUrl}/lineage?node=${encodeURIComponent('dataset:iris@d1')}`);
    await page.locator('.react-flow__node.type-run').click();
    const selected = page.getByRole('region', { name: 'Selected node' });
    await selected.getByText(`run:${seeded.runId}`).waitFor();
    await selected.getByText('1 step downstream').waitFor();
    await selected.getByRole('button', { name: 'Center here' }).click();
    await page.waitForURL(`**/lineage?node=run%3A${seeded.runId}**`);
    await page.locator('.react-flow__node.type-run.self').waitFor();
    await page.getByLabel('Direction').selectOption('upstream');
    await page.waitForURL('**direction=upstream**');
    await page.locator('.react-flow__node.type-dataset').waitFor();
    assert.equal(await page.locator('.react-flow__node').count(), 2);
  });

  test('the lineage page without a node lists recently recorded nodes; a bad id is a clear error', async () => {
    await page.goto(`${server.baseUrl}/lineage`);
    await page.getByRole('link', { name: 'deployment:iris-prod' }).waitFor();
    await page.getByLabel('Node').fill('nonsense');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('alert').filter({ hasText: 'a lineage node is one of' }).waitFor();
  });
});
