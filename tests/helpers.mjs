// Shared by the browser tests and the benchmark: Debian's Chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const RUN_TIMEOUT = 180_000;

/** How every test and benchmark starts Chromium. */
export const BROWSER = {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    // Chromium 156 loads its WebUI omnibox popups (chrome://omnibox-popup.top-chrome) in a
    // renderer of their own for every new window: a headless window's omnibox, never shown,
    // took about 400 ms of that renderer's time during the page's first load on two cores.
    // Puppeteer turns them off by default too.
    '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
  ],
};

/**
 * A headless Chromium with a fresh profile of its own; `close()` removes the profile.
 * `options` go to Playwright's context (e.g. `serviceWorkers: 'block'`).
 */
export async function launchBrowser(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'forecast-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { ...options, ...BROWSER });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Deletes the files an earlier page of `url`'s origin kept in this browser. */
export async function forgetKeptFiles(context, url) {
  // A page of the same origin that is not the app (a script shown as text), closed before
  // the app opens: the store is deleted before the app can open it.
  const cleaner = await context.newPage();
  await cleaner.goto(new URL('coi-config.js', url).href);
  await cleaner.evaluate(() => new Promise((done, fail) => {
    // With the flag that says files may be kept (src/state/store.rs).
    localStorage.removeItem('election-forecaster.kept');
    const request = indexedDB.deleteDatabase('election-forecaster');
    request.onsuccess = done;
    request.onerror = () => fail(request.error);
    request.onblocked = done;
  }));
  await cleaner.close();
}

/**
 * Opens the app in a new tab and waits until its worker pool is up. Collects console
 * errors, page errors and every requested URL (to check that nothing leaves the origin).
 * The files an earlier page kept in this browser are deleted first (the tests of a file
 * share one profile), unless `keptFiles` says they are what is tested.
 */
export async function openApp(context, url, { waitForPool = true, keptFiles = false, initScript } = {}) {
  if (!keptFiles) await forgetKeptFiles(context, url);
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  page.problems = [];
  page.requests = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => page.requests.push(r.url()));
  await page.goto(url);
  if (waitForPool) await waitForPool_(page);
  return page;
}

/**
 * Opens the app at `viewport` (`null`: the browser's default), runs `fn` on the page,
 * then fails on any error the page logged, and closes it.
 */
export async function withPage(context, url, viewport, fn) {
  const page = await openApp(context, url);
  if (viewport) await page.setViewportSize(viewport);
  try {
    await fn(page);
    if (page.problems.length) throw new Error(`errors in the page:\n${page.problems.join('\n')}`);
  } finally {
    await page.close();
  }
}

async function waitForPool_(page, timeout = 60_000) {
  await page.waitForSelector('[data-testid=pool][data-ready=true]', { timeout });
}
export { waitForPool_ as waitForPool };

/** Opens the data and settings (folded away after a run). */
export async function openSetup(page) {
  await page.getByTestId('setup').evaluate((details) => { details.open = true; });
}

export async function setWorkers(page, workers) {
  await openSetup(page);
  await page.getByTestId('workers').fill(String(workers));
  const shown = await page.getByTestId('workers-value').textContent();
  if (Number(shown) !== workers) throw new Error(`workers slider shows ${shown}, wanted ${workers}`);
}

/** Sets the text fields (dates, seed, sims, min-polls) that are given. */
export async function setFields(page, fields) {
  await openSetup(page);
  for (const [testid, value] of Object.entries(fields)) {
    await page.getByTestId(testid).fill(String(value));
  }
}

/** The status element's run counter and text. */
export async function status(page) {
  return page.getByTestId('status').evaluate((el) => ({ run: Number(el.dataset.run), text: el.textContent.trim() }));
}

/**
 * Clicks Run; resolves with the final status text once this run has ended. `quiet` clicks
 * from inside the page, as a person's click would: Playwright's click checks the button and
 * runs script in the page around the click, which the benchmark should not time.
 */
export async function runAndWait(page, { timeout = RUN_TIMEOUT, quiet = false } = {}) {
  const before = (await status(page)).run;
  if (quiet) {
    await page.getByTestId('run').evaluate((button) => button.click());
  } else {
    await page.getByTestId('run').click();
  }
  // Watched inside the page: polling from here would take CPU from the run it times.
  await page.evaluate(
    ({ before, timeout }) =>
      new Promise((resolve, reject) => {
        const el = document.querySelector('[data-testid=status]');
        const ended = () => Number(el.dataset.run) === before + 1 && el.textContent.trim() !== 'running';
        if (ended()) return resolve();
        const observer = new MutationObserver(() => {
          if (!ended()) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve();
        });
        observer.observe(el, { attributes: true, childList: true, characterData: true, subtree: true });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`the run did not end within ${timeout} ms`));
        }, timeout);
      }),
    { before, timeout },
  );
  const text = (await status(page)).text;
  if (text === 'done' || text === 'cancelled') {
    await page.getByTestId('run-summary').waitFor({ timeout: 30_000 });
  }
  return text;
}

/** Waits until the forecasts table holds every row of the last run or sort: its bodies
 * fill in slices after the answer is drawn, `aria-busy` until the last. */
export async function tableFilled(page) {
  await page.locator('[data-testid=results][aria-busy=false]').waitFor({ state: 'attached', timeout: 30_000 });
}

/** Every result row's data-* attributes. */
export async function resultRows(page) {
  await tableFilled(page);
  return page.$$eval('[data-testid=results] tbody tr', (trs) => trs.map((tr) => ({ ...tr.dataset })));
}

export async function summary(page) {
  return page.getByTestId('run-summary').evaluate((el) => {
    const d = el.dataset;
    return {
      workers: Number(d.workers),
      threads: Number(d.threads),
      ms: Number(d.ms),
      cells: Number(d.cells),
      cellsDone: Number(d.cellsDone),
      rows: Number(d.rows),
      cancelled: d.cancelled === 'true',
    };
  });
}

/** Clicks `testid` and resolves with the download's file name and text. */
export async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
