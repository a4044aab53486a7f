// Browser tests of the web UI against a real cairn server and Debian's Chromium.
// Run after `npx tsc -p .` and `npm run build:ui`:  node --test ui/tests/ui.test.mjs
// Set CAIRN_UI_SCREENSHOTS=<folder> to save a screenshot of every page visited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bigRunName, callApi, NOTES_TEXT, seedBigExperiment, seedDemoExperiment, seedRegisteredModel } from './seed.mjs';
import { launchChromium, screenshot as takeScreenshot, openPage } from './browser.mjs';
import { startCairnServer } from './server.mjs';

const BIG_RUN_COUNT = 10_000;

let server;
let browser;
let page;
let big;
let demo;

const screenshot = (name) => takeScreenshot(page, name);

/** Text of every rendered runs-table row's cells, read in the page. */
function renderedRows() {
  return page.$$eval('.runs-row', (rows) =>
    rows.map((row) => [...row.querySelectorAll('.cell')].map((cell) => cell.textContent ?? '')),
  );
}

describe('cairn web UI', { timeout: 900_000 }, () => {
  // Seeding 10,000 runs is 20,000 acknowledged (fsynced) writes; allow for a slow disk.
  before(async () => {
    server = await startCairnServer();
    [big, demo] = await Promise.all([seedBigExperiment(server.baseUrl, BIG_RUN_COUNT), seedDemoExperiment(server.baseUrl)]);
    browser = await launchChromium();
    page = await openPage(browser, { width: 1280, height: 800 });
  }, { timeout: 600_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('experiments list shows the seeded experiments and opens one', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('link', { name: 'ui-demo' }).waitFor();
    await page.getByRole('link', { name: 'ui-big' }).waitFor();
    await screenshot('experiments');
    await page.getByRole('link', { name: 'ui-demo' }).click();
    await page.waitForURL(`**/experiments/${demo.experimentId}`);
    await page.getByRole('link', { name: 'demo-2' }).waitFor();
  });

  test('runs table loads 10,000 runs, keeps the DOM small, and scrolls to the last run', async () => {
    await page.goto(`${server.baseUrl}/experiments/${big.experimentId}`);
    await page.getByTestId('runs-status').filter({ hasText: '10,000 runs' }).waitFor({ timeout: 60_000 });
    await screenshot('runs-10k');
    const rowsInDom = await page.locator('.runs-row').count();
    assert.ok(rowsInDom > 5 && rowsInDom < 200, `expected a virtualised table, found ${rowsInDom} rows in the DOM`);
    // Newest first: the first run created is the last row.
    assert.equal(await page.getByRole('link', { name: bigRunName(0), exact: true }).count(), 0);
    await page.getByTestId('runs-scroll').evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await page.getByRole('link', { name: bigRunName(0), exact: true }).waitFor();
    assert.ok((await page.locator('.runs-row').count()) < 200);
  });

  test('sorting by a metric column orders the rows by that metric', async () => {
    await page.goto(`${server.baseUrl}/experiments/${big.experimentId}`);
    await page.getByTestId('runs-status').filter({ hasText: '10,000 runs' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /^acc/ }).click();
    const rows = await renderedRows();
    const accColumn = 6; // checkbox, name, status, started, duration, user, then metrics (acc first)
    const values = rows.map((cells) => Number(cells[accColumn]));
    assert.equal(values[0], 0.9999);
    for (let index = 1; index < values.length; index += 1) assert.ok(values[index - 1] >= values[index]);
  });

  test('filter metrics.acc > 0.5 narrows the rows; a bad filter shows the server error', async () => {
    await page.goto(`${server.baseUrl}/experiments/${big.experimentId}`);
    const filterBox = page.getByRole('searchbox', { name: 'Search runs' });
    await filterBox.fill('metrics.acc > 0.5');
    await filterBox.press('Enter');
    const expected = Array.from({ length: BIG_RUN_COUNT }, (_, index) => ((index * 7919) % BIG_RUN_COUNT) / BIG_RUN_COUNT > 0.5)
      .filter(Boolean).length;
    await page.getByTestId('runs-status').filter({ hasText: `${expected.toLocaleString('en-US')} runs match` }).waitFor({ timeout: 60_000 });
    assert.match(page.url(), /filter=metrics\.acc/);
    const rows = await renderedRows();
    assert.ok(rows.length > 0);
    for (const cells of rows) assert.ok(Number(cells[6]) > 0.5, `row ${cells[1]} has acc ${cells[6]}`);
    await screenshot('runs-filtered');

    await filterBox.fill('metrics.acc >>> nonsense');
    await filterBox.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /INVALID_PARAMETER_VALUE|BAD_REQUEST/);
    await screenshot('runs-bad-filter');
  });

  test('run page shows params, latest metrics and a chart canvas per metric', async () => {
    await page.goto(`${server.baseUrl}/runs/${demo.runIds[1]}`);
    await page.getByRole('heading', { name: 'demo-2' }).waitFor();
    const params = page.getByTestId('params');
    await params.getByRole('row', { name: /lr\s*0\.01/ }).waitFor();
    await params.getByRole('row', { name: /optimizer\s*adam/ }).waitFor();
    await page.locator('.chart-canvas[data-metric="loss"] canvas').waitFor();
    await page.locator('.chart-canvas[data-metric="accuracy"] canvas').waitFor();
    await screenshot('run');
  });

  test('artifact browser previews text, pretty-prints JSON and shows images', async () => {
    await page.goto(`${server.baseUrl}/runs/${demo.runIds[0]}`);
    await page.getByRole('button', { name: /^notes\.txt/ }).click();
    const preview = page.getByTestId('artifact-text');
    await preview.filter({ hasText: 'the quick brown fox' }).waitFor();
    assert.equal(await preview.textContent(), NOTES_TEXT);
    const download = page.getByRole('link', { name: 'Download' });
    assert.match(await download.getAttribute('href'), /\/api\/2\.0\/mlflow-artifacts\/artifacts\/.+\/artifacts\/notes\.txt$/);

    await page.getByRole('button', { name: /^config\.json/ }).click();
    await preview.filter({ hasText: '"dropout": 0.2' }).waitFor();
    assert.match(await preview.textContent(), /\{\n {2}"layers": \[/);

    await page.getByRole('button', { name: /plots\// }).click();
    await page.getByRole('button', { name: /^chart\.svg/ }).click();
    const image = page.getByRole('img', { name: 'chart.svg' });
    await image.waitFor();
    await page.waitForFunction(() => document.querySelector('img.artifact-image')?.naturalWidth > 0);
    await image.scrollIntoViewIfNeeded();
    await screenshot('artifacts');
  });

  test('selecting two runs and pressing Compare shows overlaid charts, a params diff and parallel coordinates', async () => {
    await page.goto(`${server.baseUrl}/experiments/${demo.experimentId}`);
    const compare = page.getByRole('button', { name: /^Compare/ });
    await page.getByRole('checkbox', { name: 'Select demo-1' }).check();
    assert.equal(await compare.isDisabled(), true);
    await page.getByRole('checkbox', { name: 'Select demo-3' }).check();
    await compare.click();
    await page.waitForURL(/\/compare\?runs=/);
    await page.locator('.chart-canvas[data-metric="loss"] canvas').waitFor();
    await page.locator('.chart-canvas[data-metric="accuracy"] canvas').waitFor();
    const legend = await page.locator('.chart').first().locator('.u-legend').textContent();
    assert.match(legend, /demo-1/);
    assert.match(legend, /demo-3/);
    const diffRows = page.locator('.params-diff tr.differs');
    assert.equal(await diffRows.count(), 3);
    assert.equal(await page.locator('svg.parallel polyline').count(), 2);
    await screenshot('compare');
  });

  test('models page lists the registered model and its version; the model page shows versions', async () => {
    const { name } = await seedRegisteredModel(server.baseUrl, {
      runId: demo.runIds[0],
      artifactUri: (await callApi(server.baseUrl, 'GET', 'runs/get', { run_id: demo.runIds[0] })).run.info.artifact_uri,
    });
    await page.goto(`${server.baseUrl}/models`);
    const row = page.getByRole('row', { name: new RegExp(name) });
    await row.waitFor();
    assert.match(await row.textContent(), /Version 1/);
    assert.match(await row.textContent(), /@champion/);
    await screenshot('models');
    await page.getByRole('link', { name }).click();
    await page.waitForURL(`**/models/${name}`);
    const versionRow = page.locator('table.versions tbody tr').first();
    await versionRow.waitFor();
    assert.match(await versionRow.textContent(), /Version 1/);
    assert.equal(await versionRow.getByRole('link').getAttribute('href'), `/runs/${demo.runIds[0]}`);
    await page.getByText('Classifies demo images.').waitFor();
    await screenshot('model');
  });
});
