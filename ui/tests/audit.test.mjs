// Browser test of the audit page: a real cairn server where a few changes were made, and
// Debian's Chromium. Run after `npx tsc -p .` and `npm run build:ui`:  node --test ui/tests/audit.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchChromium, screenshot as takeScreenshot, openPage } from './browser.mjs';
import { startCairnServer } from './server.mjs';

let server;
let browser;
let page;

const screenshot = (name) => takeScreenshot(page, name);

async function mlflow(path, body) {
  const response = await fetch(`${server.baseUrl}/api/2.0/mlflow/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json();
  assert.equal(response.status, 200, JSON.stringify(answer));
  return answer;
}

describe('audit page', { timeout: 300_000 }, () => {
  before(async () => {
    server = await startCairnServer();
    const { experiment_id: experimentId } = await mlflow('experiments/create', { name: 'audited-experiment' });
    const { run } = await mlflow('runs/create', { experiment_id: experimentId });
    await mlflow('runs/log-batch', { run_id: run.info.run_id, metrics: [{ key: 'loss', value: 0.25, timestamp: 1, step: 0 }] });
    await mlflow('registered-models/create', { name: 'audited-model' });
    // A search changes nothing: no entry.
    await mlflow('runs/search', { experiment_ids: [experimentId] });
    browser = await launchChromium();
    page = await openPage(browser);
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the nav links to the audit page, which lists every change newest first', async () => {
    await page.goto(`${server.baseUrl}/experiments`);
    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await page.waitForURL('**/audit');
    const rows = page.locator('table.audit-entries tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 4);
    assert.deepEqual(await rows.locator('td:nth-child(4)').allTextContents(), ['create registered_model', 'log-batch run', 'create run', 'create experiment']);
    assert.match(await rows.nth(3).textContent(), /anonymous.*experiment\s*1/);
    assert.equal(await page.locator('nav a.active').textContent(), 'Audit');
    await screenshot('audit');
  });

  test('filters by resource kind and by action narrow the table', async () => {
    await page.getByLabel('Resource kind').fill('run');
    await page.getByRole('button', { name: 'Apply' }).click();
    const rows = page.locator('table.audit-entries tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('table.audit-entries tbody tr').length === 2);
    assert.deepEqual(await rows.locator('td:nth-child(4)').allTextContents(), ['log-batch run', 'create run']);
    await page.getByLabel('Action').fill('log-batch');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table.audit-entries tbody tr').length === 1);
    assert.match(await rows.first().textContent(), /loss/);
    await page.getByLabel('Actor').fill('somebody-else');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No audit entries match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table.audit-entries tbody tr').length === 4);
  });

  test('a time range in the future matches nothing; the export link carries the filters', async () => {
    await page.getByLabel('From').fill('2999-01-01T00:00');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No audit entries match these filters.').waitFor();
    const href = await page.getByRole('link', { name: 'Export JSON lines' }).getAttribute('href');
    assert.match(href, /^\/api\/v1\/audit\/export\?since=\d+$/);
  });
});
