// Where the page is deployed: the single-thread build where shared memory is not allowed
// (served without headers, service workers blocked), with the same bytes as the threaded
// build; the Content-Security-Policy, threaded and single-thread: the page runs under it
// and cannot reach another origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  launchBrowser, openApp, waitForPool, openSetup, setFields, runAndWait, status, summary, download,
} from './helpers.mjs';

const APP_URL = process.env.APP_URL;
const PLAIN_URL = process.env.PLAIN_URL;
if (!APP_URL || !PLAIN_URL) throw new Error('APP_URL and PLAIN_URL are not set: run scripts/test-browser.sh');

const FILES = [
  ['download-predictions', 'forecasts.csv'],
  ['download-scores', 'scores.csv'],
  ['download-electoral', 'electoral.csv'],
  ['download-electoral-votes', 'electoral_votes.csv'],
  ['download-electoral-states', 'electoral_states.csv'],
];

let threaded;
let blocked;
before(async () => {
  threaded = await launchBrowser();
  blocked = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => {
  await threaded?.close();
  await blocked?.close();
});

/** The single-thread page: no headers, and no service worker to add them. */
async function openSingle() {
  const page = await openApp(blocked.context, PLAIN_URL, { waitForPool: false });
  await waitForPool(page);
  return page;
}

/** Every download of a run with the 16-date grid. */
async function runFiles(page) {
  await setFields(page, { dates: 16 });
  assert.equal(await runAndWait(page), 'done');
  const files = {};
  for (const [testid, name] of FILES) {
    const got = await download(page, testid);
    assert.equal(got.name, name);
    files[name] = got.text;
  }
  return files;
}

test('without isolation the page runs its single-thread build, says why, and fixes the workers at 1', async () => {
  const page = await openSingle();
  try {
    const env = await page.evaluate(() => ({ isolated: globalThis.crossOriginIsolated, boot: globalThis.forecastBoot }));
    assert.equal(env.isolated, false);
    assert.equal(env.boot.threads, false);
    assert.equal(env.boot.reason, 'service-worker-failed');
    const pool = await page.getByTestId('pool').evaluate((el) => ({ ...el.dataset, text: el.textContent }));
    assert.equal(pool.engine, 'single');
    assert.equal(pool.threads, '1');
    assert.match(pool.text, /1 thread/);
    const note = await page.getByTestId('single-thread').textContent();
    assert.match(note, /Running on 1 thread because this page is not cross-origin isolated/);
    assert.match(note, /service worker/);
    assert.match(note, /Cross-Origin-Opener-Policy: same-origin/);
    assert.match(note, /Cross-Origin-Embedder-Policy: require-corp/);
    await openSetup(page);
    const slider = await page.getByTestId('workers').evaluate((el) => ({ max: el.max, value: el.value, disabled: el.disabled }));
    assert.deepEqual(slider, { max: '1', value: '1', disabled: true });
    assert.match(await page.getByTestId('workers-fixed').textContent(), /fixed at 1/);
    // The threaded module's shared memory never started: no SharedArrayBuffer error.
    assert.deepEqual(page.problems, []);
  } finally {
    await page.close();
  }
});

test('the single-thread build gives the threaded build\'s files, byte for byte', async () => {
  const isolated = await openApp(threaded.context, APP_URL);
  const single = await openSingle();
  try {
    const want = await runFiles(isolated);
    const got = await runFiles(single);
    for (const [, name] of FILES) {
      assert.ok(want[name].length > 100, `${name} has rows`);
      assert.ok(got[name] === want[name], `${name}: the single-thread build's equals the threaded build's`);
    }
    const s = await summary(single);
    assert.equal(s.threads, 1);
    assert.deepEqual(single.problems, []);
    assert.deepEqual(isolated.problems, []);
  } finally {
    await isolated.close();
    await single.close();
  }
});

test('single-thread: progress moves, Cancel stops the run, the next run works; files load; pins answer', async () => {
  const page = await openSingle();
  try {
    // The daily grid takes seconds on one thread: long enough to watch and cancel.
    await setFields(page, { dates: 'daily' });
    const before = (await status(page)).run;
    await page.getByTestId('run').click();
    await page.waitForFunction(() => {
      const bar = document.querySelector('[data-testid=progress]');
      return bar && Number(bar.value) > 0;
    }, null, { timeout: 60_000, polling: 50 });
    await page.getByTestId('cancel').click();
    await page.waitForFunction((b) => {
      const el = document.querySelector('[data-testid=status]');
      return Number(el.dataset.run) === b + 1 && el.textContent.trim() === 'cancelled';
    }, before, { timeout: 30_000 });
    // A new worker takes over: the next run ends.
    await setFields(page, { dates: 4 });
    assert.equal(await runAndWait(page), 'done');
    assert.equal((await summary(page)).rows > 0, true);

    // A file is read in the worker.
    const csv = 'state,date,pollster,sample_size,dem,rep\n' + Array.from({ length: 12 }, (_, i) => `OH,2016-10-${String(10 + i).padStart(2, '0')},P${i % 3},800,4${i % 5},45`).join('\n') + '\n';
    await page.getByTestId('polls-file').setInputFiles({ name: 'ohio.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => /ohio\.csv/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? ''));
    assert.equal(await page.getByTestId('polls-report').getAttribute('data-used'), '12');
    await openSetup(page);
    await page.getByTestId('use-builtin').click();

    // What-if pins are simulated in the worker too.
    assert.equal(await runAndWait(page), 'done');
    await page.locator('button.pin').first().click();
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid=ec-matching]');
      return el && el.dataset.count !== '';
    }, null, { timeout: 30_000 });
    const matching = Number(await page.getByTestId('ec-matching').getAttribute('data-count'));
    assert.ok(matching > 0 && matching <= 20000, `draws matching the pin: ${matching}`);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.close();
  }
});

/** Asks the page to fetch `url`; resolves with the CSP violation it caused, if any. */
async function crossOriginFetch(page, url) {
  return page.evaluate(async (target) => {
    const violation = new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve({ directive: e.effectiveDirective, blocked: e.blockedURI }), { once: true });
      setTimeout(() => resolve(null), 3000);
    });
    const fetched = await fetch(target, { mode: 'no-cors' }).then(() => 'fetched', (e) => `failed: ${e.message}`);
    return { fetched, violation: await violation };
  }, url);
}

test('the Content-Security-Policy: sent by the headers and in the page, the page runs under it, another origin is out of reach', async () => {
  const response = await fetch(APP_URL);
  assert.match(response.headers.get('content-security-policy') ?? '', /connect-src 'self'/);
  const html = await response.text();
  assert.match(html, /<meta\s+http-equiv="Content-Security-Policy"/);
  assert.doesNotMatch(html.replace(/<script[^>]*\bsrc=[^>]*><\/script>/g, ''), /<script/, 'no inline script');
  for (const [name, url, open] of [
    ['threaded', APP_URL, () => openApp(threaded.context, APP_URL)],
    ['single-thread', PLAIN_URL, openSingle],
  ]) {
    const page = await open();
    try {
      assert.equal(await runAndWait(page), 'done', `${name}: runs`);
      // The other test server is another origin (another port), and reachable.
      const other = new URL(url === APP_URL ? PLAIN_URL : APP_URL).origin + '/index.html';
      assert.equal((await fetch(other)).status, 200);
      const { fetched, violation } = await crossOriginFetch(page, other);
      assert.match(fetched, /^failed/, `${name}: a fetch to ${other} fails`);
      assert.equal(violation?.directive, 'connect-src', `${name}: blocked by connect-src`);
      page.problems = page.problems.filter((p) => !/Content Security Policy|Failed to fetch/.test(p));
      assert.deepEqual(page.problems, [], `${name}: no other errors`);
    } finally {
      await page.close();
    }
  }
});
