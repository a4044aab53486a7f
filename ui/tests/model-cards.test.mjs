// Browser test of the model card on the model page: a real cairn server with a model whose
// versions came from runs that read a dataset, a card holding Markdown (and markup that must stay
// text), and Debian's Chromium. Run after `npx tsc -p .` and `npm run build:ui`:
//   node --test ui/tests/model-cards.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callApi } from './seed.mjs';
import { callV1, launchChromium, screenshot as takeScreenshot, openPage } from './browser.mjs';
import { startCairnServer } from './server.mjs';

let server;
let browser;
let page;
const alerts = [];

const screenshot = (name) => takeScreenshot(page, name);
const v1 = (method, path, body) => callV1(server.baseUrl, method, path, body);

const CARD_TEXT = [
  'Ranks **active customers** by churn risk; see [the playbook](https://example.com/playbook).',
  '',
  '- weekly batch scoring',
  '- retention campaigns',
  '',
  '<img src=x onerror="window.__injected = true"> [do not follow](javascript:window.__injected=true) `code stays code`',
].join('\n');

/** A run that read dataset `digest` and logged accuracy, registered as the next version of `name`. */
async function trainVersion(experiment, name, digest, accuracy) {
  const run = (await callApi(server.baseUrl, 'POST', 'runs/create', { experiment_id: experiment, run_name: `train-${digest}` })).run.info.run_id;
  await callApi(server.baseUrl, 'POST', 'runs/log-batch', { run_id: run, metrics: [{ key: 'accuracy', value: accuracy, timestamp: 1, step: 0 }] });
  await callApi(server.baseUrl, 'POST', 'runs/log-inputs', { run_id: run, datasets: [{ tags: [], dataset: { name: 'customers', digest, source_type: 's3', source: `s3://bucket/customers-${digest}.parquet` } }] });
  await callApi(server.baseUrl, 'POST', 'model-versions/create', { name, source: `runs:/${run}/model`, run_id: run });
}

describe('model card', { timeout: 300_000 }, () => {
  before(async () => {
    server = await startCairnServer();
    const experiment = (await callApi(server.baseUrl, 'POST', 'experiments/create', { name: 'churn-training' })).experiment_id;
    await callApi(server.baseUrl, 'POST', 'registered-models/create', { name: 'ui-churn' });
    await trainVersion(experiment, 'ui-churn', 'c0ffee01', 0.82);
    await trainVersion(experiment, 'ui-churn', 'c0ffee02', 0.87);
    await v1('PUT', 'registry/models/ui-churn/card', { sections: { intended_use: CARD_TEXT, limitations: 'Trained on *EU* customers only.' } });
    browser = await launchChromium();
    page = await openPage(browser, { width: 1280, height: 1000 });
    page.on('dialog', (dialog) => {
      alerts.push(dialog.message());
      void dialog.dismiss();
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the model page renders the card’s Markdown safely, beside what cairn recorded', async () => {
    await page.goto(`${server.baseUrl}/models/ui-churn`);
    await page.getByRole('heading', { name: 'Model card' }).waitFor();
    const intended = page.locator('.card-section[data-section="intended_use"] .card-markdown');
    await intended.locator('strong', { hasText: 'active customers' }).waitFor();
    assert.equal(await intended.locator('li').count(), 2);
    assert.equal(await intended.locator('a').getAttribute('href'), 'https://example.com/playbook');
    assert.equal(await intended.locator('a').count(), 1, 'the javascript: link is shown as text, not a link');
    assert.equal(await intended.locator('img').count(), 0, 'raw HTML is shown as text');
    assert.match(await intended.textContent(), /<img src=x onerror=/);
    assert.equal(await intended.locator('code').textContent(), 'code stays code');
    assert.equal(await page.evaluate(() => window.__injected ?? false), false);
    await page.locator('.card-section[data-section="limitations"] em', { hasText: 'EU' }).waitFor();

    // The newest revision describes no version in particular: facts are about the newest version, 2.
    await page.locator('.card-described', { hasText: 'version 2' }).waitFor();
    const training = page.locator('.card-section[data-section="training_data"] .card-recorded');
    await training.getByRole('link', { name: 'customers v2' }).waitFor();
    assert.match(await training.textContent(), /s3:\/\/bucket\/customers-c0ffee02\.parquet/);
    const evaluation = page.locator('.card-section[data-section="evaluation"] .card-recorded');
    assert.match(await evaluation.locator('.card-metrics').textContent(), /accuracy\s*0\.87/);
    await screenshot('model-card');
  });

  test('editing saves a new revision for a version; the picker shows each version’s card', async () => {
    await page.goto(`${server.baseUrl}/models/ui-churn`);
    await page.getByRole('button', { name: 'Edit card' }).click();
    await page.locator('.card-editor select').selectOption('2');
    await page.locator('textarea[name="evaluation"]').fill('Holdout of **March**: accuracy 0.87.');
    await screenshot('model-card-editor');
    await page.getByRole('button', { name: 'Save as new revision' }).click();
    await page.locator('.card-revision', { hasText: 'Revision 2 for version 2' }).waitFor();
    await page.locator('.card-section[data-section="evaluation"] strong', { hasText: 'March' }).waitFor();
    // The editor started from the shown card, so the other sections were carried into revision 2.
    await page.locator('.card-section[data-section="limitations"] em', { hasText: 'EU' }).waitFor();

    const { revisions } = await v1('GET', 'registry/models/ui-churn/card/revisions');
    assert.deepEqual(revisions.map((r) => [r.revision, r.model_version]), [[2, 2], [1, null]]);

    const picker = page.getByLabel('Card to show');
    await picker.selectOption('version:1');
    await page.locator('.card-revision', { hasText: 'Revision 1 for the model as a whole' }).waitFor();
    await page.locator('.card-described', { hasText: 'version 1' }).waitFor();
    await page.locator('.card-section[data-section="training_data"] .card-recorded').getByRole('link', { name: 'customers v1' }).waitFor();
    assert.match(await page.locator('.card-section[data-section="evaluation"] .card-text').textContent(), /Not written yet/);

    await picker.selectOption('version:2');
    await page.locator('.card-revision', { hasText: 'Revision 2 for version 2' }).waitFor();
    const href = await page.getByRole('link', { name: 'Export Markdown' }).getAttribute('href');
    assert.equal(href, '/api/v1/registry/models/ui-churn/card.md?version=2');
    const markdown = await (await fetch(`${server.baseUrl}${href}`)).text();
    assert.match(markdown, /## Evaluation\n\nHoldout of \*\*March\*\*: accuracy 0\.87\./);
    await screenshot('model-card-version-2');
    assert.deepEqual(alerts, []);
  });
});
