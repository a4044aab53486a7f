// What every browser test shares: Debian's Chromium with the flags this machine needs, optional
// screenshots (CAIRN_UI_SCREENSHOTS=<dir>), and a JSON call to cairn's /api/v1.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Start Debian's Chromium (never a downloaded browser). */
export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Save a full-page screenshot when CAIRN_UI_SCREENSHOTS names a folder; otherwise do nothing. */
export async function screenshot(page, name) {
  const dir = process.env.CAIRN_UI_SCREENSHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Call a cairn /api/v1 path with a JSON body; a non-2xx answer throws with its text. */
export async function callV1(baseUrl, method, path, body) {
  const response = await fetch(`${baseUrl}/api/v1/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

/** A fresh page in its own context: English locale, the given viewport, 20 s to find anything. */
export async function openPage(browser, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}
