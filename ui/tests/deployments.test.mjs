// Browser test of the deployment pages: a real cairn server with two registered tiny ONNX
// versions, a 90/10 deployment with some scored traffic, and Debian's Chromium.
// Run after `npx tsc -p .` and `npm run build:ui`:  node --test ui/tests/deployments.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tinyClassifier, tinyMlmodel } from '../../dist/serving/testing/tiny-onnx.js';
import { callApi } from './seed.mjs';
import { callV1, launchChromium, screenshot as takeScreenshot, openPage } from './browser.mjs';
import { startCairnServer } from './server.mjs';


let server;
let browser;
let page;

const screenshot = (name) => takeScreenshot(page, name);

const v1 = (method, path, body) => callV1(server.baseUrl, method, path, body);

/** Upload a tiny classifier under mlflow-artifacts:/<folder> and register it as a version of `name`. */
async function registerVersion(name, folder) {
  for (const [file, content] of Object.entries({ MLmodel: tinyMlmodel(['a', 'b']), 'model.onnx': tinyClassifier(2) })) {
    const response = await fetch(`${server.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${folder}/${file}`, { method: 'PUT', body: content });
    assert.ok(response.ok, `upload ${file}: ${response.status}`);
  }
  return callApi(server.baseUrl, 'POST', 'model-versions/create', { name, source: `mlflow-artifacts:/${folder}` });
}

describe('deployment pages', { timeout: 300_000 }, () => {
  before(async () => {
    server = await startCairnServer();
    await callApi(server.baseUrl, 'POST', 'registered-models/create', { name: 'ui-iris' });
    await registerVersion('ui-iris', 'ui-models/1');
    await registerVersion('ui-iris', 'ui-models/2');
    await v1('POST', 'deployments', { name: 'ui-prod', model: 'ui-iris', version: 1 });
    await v1('PATCH', 'deployments/ui-prod', { traffic: [{ version: 1, weight: 90 }, { version: 2, weight: 10 }] });
    for (let i = 0; i < 40; i += 1) {
      const body = i % 10 === 9 ? { dataframe_split: { columns: ['a'], data: [[1]] } } : { dataframe_split: { columns: ['a', 'b'], data: [[0.2, 0.8]] } };
      await fetch(`${server.baseUrl}/api/v1/deployments/ui-prod/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    }
    browser = await launchChromium();
    page = await openPage(browser);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the list shows each deployment with its traffic split and status, and opens one', async () => {
    await page.goto(`${server.baseUrl}/deployments`);
    await page.getByRole('link', { name: 'ui-prod' }).waitFor();
    const shares = await page.$$eval('table.deployments .traffic-share', (cells) => cells.map((c) => c.textContent));
    assert.deepEqual(shares, ['v1 90%', 'v2 10%']);
    await page.locator('table.deployments .status-ready').waitFor();
    await screenshot('deployments');
    await page.getByRole('link', { name: 'ui-prod' }).click();
    await page.waitForURL('**/deployments/ui-prod');
  });

  test('the deployment page shows versions serving, latency and error charts, and rolls back', async () => {
    await page.goto(`${server.baseUrl}/deployments/ui-prod`);
    await page.getByRole('heading', { name: 'ui-prod' }).waitFor();
    await page.locator('.serving-versions', { hasText: 'v1 (90), v2 (10)' }).waitFor();
    for (const title of ['p95 latency (ms)', 'p50 latency (ms)', 'requests per minute', 'errors per minute']) {
      await page.locator(`.chart-canvas[data-metric="${title}"] canvas`).first().waitFor();
    }
    const legend = await page.locator('.chart-canvas[data-metric="errors per minute"] .u-legend').textContent();
    assert.match(legend ?? '', /v1/);
    await screenshot('deployment');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Roll back' }).click();
    await page.locator('.deployment-page .traffic-share', { hasText: 'v1 100%' }).waitFor();
    const stored = await v1('GET', 'deployments/ui-prod');
    assert.deepEqual(stored.deployment.traffic, [{ version: '1', weight: 100 }]);
    await page.locator('.serving-versions', { hasText: 'v1 (100)' }).waitFor();
    await screenshot('deployment-rolled-back');
  });

  test('an unknown deployment shows the server\'s message', async () => {
    await page.goto(`${server.baseUrl}/deployments/ghost`);
    await page.getByText("Deployment 'ghost' does not exist").waitFor();
  });
});
