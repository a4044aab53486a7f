// Browser test of the monitor pages: a real cairn server with a monitor that drifted, recovered
// and failed once, and Debian's Chromium.
// Run after `npx tsc -p .` and `npm run build:ui`:  node --test ui/tests/monitors.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callV1, launchChromium, screenshot as takeScreenshot, openPage } from './browser.mjs';
import { startCairnServer } from './server.mjs';


let server;
let browser;
let page;

const screenshot = (name) => takeScreenshot(page, name);

const v1 = (method, path, body) => callV1(server.baseUrl, method, path, body);

/** A CSV with a number that can shift, a category, predictions and labels. */
function table(rows, shift, seed) {
  let s = seed;
  const random = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['x,color,prediction,label'];
  for (let i = 0; i < rows; i++) {
    const label = random() < 0.5 ? 1 : 0;
    lines.push(`${(random() * 10 + shift).toFixed(3)},${['red', 'green', 'blue'][i % 3]},${random() < 0.8 ? label : 1 - label},${label}`);
  }
  return `${lines.join('\n')}\n`;
}

async function upload(path, text) {
  const response = await fetch(`${server.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: 'PUT', body: text });
  assert.equal(response.status, 200, await response.text());
}

describe('monitor pages', { timeout: 300_000 }, () => {
  before(async () => {
    server = await startCairnServer();
    await upload('monitoring-ui/ref.csv', table(500, 0, 1));
    await upload('monitoring-ui/drifted.csv', table(400, 5, 2));
    await upload('monitoring-ui/same.csv', table(400, 0, 3));
    await v1('POST', 'monitors', {
      name: 'churn',
      description: 'Churn model inputs and accuracy',
      reference: { type: 'artifact', uri: 'monitoring-ui/ref.csv' },
      current: { type: 'artifact', uri: 'monitoring-ui/drifted.csv' },
      columns: ['x', 'color'],
      performance: { task: 'classification' },
      alerts: [{ name: 'x-drift', metric: 'drift_detected', column: 'x', comparator: '==', threshold: 1, channels: ['retrain'] }],
      channels: [{ name: 'retrain', type: 'retrain', model: 'churn' }],
    });
    await v1('POST', 'monitors/churn/run');
    await v1('PATCH', 'monitors/churn', { current: { type: 'artifact', uri: 'monitoring-ui/same.csv' } });
    await v1('POST', 'monitors/churn/run');
    await v1('PATCH', 'monitors/churn', { current: { type: 'artifact', uri: 'monitoring-ui/gone.csv' }, schedule: '0 * * * *' });
    await v1('POST', 'monitors/churn/run');
    browser = await launchChromium();
    page = await openPage(browser);
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the monitor list shows the schedule and the failed last run', async () => {
    await page.goto(`${server.baseUrl}/monitors`);
    const row = page.locator('table.monitors tbody tr', { hasText: 'churn' });
    await row.waitFor();
    assert.match(await row.textContent(), /0 \* \* \* \*/);
    assert.match(await row.locator('.run-status').textContent(), /failed/);
    assert.equal(await page.locator('nav a.active').textContent(), 'Monitors');
    await screenshot('monitors');
    await page.getByRole('link', { name: 'churn' }).click();
    await page.waitForURL('**/monitors/churn');
  });

  test('the monitor page charts drift and performance over time and shows the failure reason', async () => {
    await page.getByRole('heading', { name: 'Drift score over time' }).waitFor();
    assert.match(await page.locator('.monitor-facts').textContent(), /no artifact at 'monitoring-ui\/gone\.csv'/);
    const driftChart = page.locator('section', { has: page.getByRole('heading', { name: 'Drift score over time' }) });
    await driftChart.locator('canvas').waitFor();
    assert.match(await driftChart.textContent(), /x/);
    assert.match(await driftChart.textContent(), /color/);
    const performance = page.locator('section', { has: page.getByRole('heading', { name: 'Performance over time' }) });
    await performance.locator('canvas').waitFor();
    assert.match(await performance.textContent(), /accuracy/);
    const runs = page.locator('table.monitor-runs tbody tr');
    assert.equal(await runs.count(), 3);
    assert.match(await runs.first().textContent(), /failed.*no artifact/);
    await screenshot('monitor');
  });

  test('reference vs current distribution for a chosen run and column', async () => {
    await page.locator('figure.distribution').waitFor();
    assert.equal(await page.locator('figure.distribution').getAttribute('aria-label'), 'Distribution of x');
    await page.getByLabel('Column').selectOption('color');
    await page.locator('figure[aria-label="Distribution of color"]').waitFor();
    assert.match(await page.locator('figure.distribution figcaption').textContent(), /3 categories/);
    const options = await page.getByLabel('Run').locator('option').allTextContents();
    assert.equal(options.length, 2);
    assert.match(options[1], /1 drifted/);
    await page.getByLabel('Run').selectOption({ index: 1 });
    await page.getByLabel('Column').selectOption('x');
    await page.locator('table.drift-columns tr.drifted', { hasText: 'x' }).waitFor();
  });

  test('the alert history lists the firing and its resolution', async () => {
    const rows = page.locator('table.alert-history tbody tr');
    await rows.first().waitFor();
    assert.deepEqual(await rows.locator('td:nth-child(3)').allTextContents(), ['resolved', 'firing']);
    assert.match(await rows.nth(1).textContent(), /drift_detected\[x\] == 1/);
    assert.match(await rows.nth(1).textContent(), /retrain ✓/);
  });
});
