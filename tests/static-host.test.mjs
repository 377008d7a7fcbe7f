// dist/ served by a plain static server that sends no COOP/COEP headers (PLAIN_URL, like
// GitHub Pages): the bundled service worker must make the page cross-origin isolated.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, openApp, waitForPool, setWorkers, runAndWait, resultRows, summary } from './helpers.mjs';
import { startServer } from './static-server.mjs';

const PLAIN_URL = process.env.PLAIN_URL;
if (!PLAIN_URL) throw new Error('PLAIN_URL is not set: run scripts/test-browser.sh');

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the plain server really sends no isolation headers', async () => {
  const response = await fetch(PLAIN_URL);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cross-origin-opener-policy'), null);
  assert.equal(response.headers.get('cross-origin-embedder-policy'), null);
  const headersFile = await (await fetch(new URL('_headers', PLAIN_URL))).text();
  assert.match(headersFile, /Cross-Origin-Opener-Policy: same-origin/);
  assert.match(headersFile, /Cross-Origin-Embedder-Policy: require-corp/);
});

test('without headers the service worker makes the page cross-origin isolated, and it runs with 2 threads', async () => {
  const page = await openApp(browser.context, PLAIN_URL, { waitForPool: false });
  try {
    // First load: not isolated; the service worker installs and reloads the page once.
    await page.waitForFunction(() => globalThis.crossOriginIsolated === true, null, { timeout: 60_000, polling: 200 });
    await waitForPool(page);
    assert.equal(await page.evaluate(() => !!navigator.serviceWorker.controller), true, 'a service worker controls the page');
    assert.equal(await page.getByTestId('pool').getAttribute('data-isolated'), 'true');

    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.ok(cores >= 2, `needs 2 cores, the browser reports ${cores}`);
    await setWorkers(page, 2);
    assert.equal(await runAndWait(page), 'done');
    const s = await summary(page);
    assert.equal(s.workers, 2);
    assert.equal(s.threads, 2);
    const rows = await resultRows(page);
    const last = rows.map((r) => r.date).sort().at(-1);
    assert.equal(new Set(rows.filter((r) => r.date === last).map((r) => r.state)).size, 51);
  } finally {
    await page.close();
  }
});

test('a service worker slow to install (a busy phone) still isolates the first visit, with one reload', async () => {
  // A server of its own: a new origin, so this browser has no service worker for it yet.
  const { server, url } = await startServer({ root: 'dist', serviceWorkerInstallMs: 1500 });
  const page = await browser.context.newPage();
  const loads = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) loads.push(frame.url());
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => globalThis.crossOriginIsolated === true, null, { timeout: 60_000, polling: 200 });
    await waitForPool(page);
    assert.equal(await page.getByTestId('pool').getAttribute('data-isolated'), 'true');
    assert.equal(await page.evaluate(() => window.forecastBoot.threads), true);
    assert.equal(loads.length, 2, `the first load and one reload, not: ${loads.join(', ')}`);

    // A forced reload bypasses the service worker; the page reloads once more through it.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Page.reload', { ignoreCache: true });
    await page.waitForFunction(() => globalThis.crossOriginIsolated === true && !!navigator.serviceWorker.controller, null, {
      timeout: 60_000,
      polling: 200,
    });
    await waitForPool(page);
    assert.equal(await page.evaluate(() => window.forecastBoot.threads), true);

    // A browser whose every load bypasses the worker: one reload, then one thread, no loop.
    await cdp.send('Network.enable');
    await cdp.send('Network.setBypassServiceWorker', { bypass: true });
    loads.length = 0;
    await page.reload();
    await waitForPool(page);
    assert.deepEqual(await page.evaluate(() => [window.forecastBoot.threads, !!navigator.serviceWorker.controller]), [false, false]);
    await page.waitForTimeout(2000);
    assert.equal(loads.length, 2, `the load and one reload, not: ${loads.join(', ')}`);
  } finally {
    await page.close();
    server.close();
  }
});
