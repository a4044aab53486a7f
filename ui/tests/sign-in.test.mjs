// With authentication on, the web UI asks for a user name and password, signs in with a session
// cookie, and then works — including POSTs, which carry the CSRF token.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchChromium, screenshot as takeScreenshot } from './browser.mjs';
import { cairnCli, startCairnServer } from './server.mjs';

const PASSWORD = 'correct horse battery staple';

describe('signing in to the web UI when authentication is on', () => {
  let server;
  let browser;
  let page;
  before(async () => {
    server = await startCairnServer({ extraArgs: ['--auth'] });
    await cairnCli(['users', 'create', 'alice', '--admin', '--password-stdin', '--backend-store-uri', `sqlite:///${join(server.dataDir, 'cairn.db')}`], `${PASSWORD}\n`);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a wrong password is refused on the page; the right one shows the experiments', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in to cairn' }).waitFor();
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = await page.getByRole('alert').textContent();
    assert.match(alert ?? '', /user name or password/i);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // experiments/search is a POST: it only succeeds with the session cookie and the CSRF token.
    await page.getByRole('link', { name: 'Default' }).waitFor();
    await takeScreenshot(page, 'signed-in');
  });
});
