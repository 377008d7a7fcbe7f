// Settings in the link, files kept across visits, and the speed-up measured in the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, openApp, openSetup, setFields, runAndWait, download } from './helpers.mjs';

const APP_URL = process.env.APP_URL;
if (!APP_URL) throw new Error('APP_URL is not set: run scripts/test-browser.sh');

let browser;
before(async () => {
  browser = await launchBrowser();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(APP_URL).origin });
});
after(async () => {
  await browser?.close();
});

async function withApp(url, fn, options = {}) {
  const page = await openApp(browser.context, url, options);
  try {
    await fn(page);
    assert.deepEqual(page.problems, [], 'no errors in the page');
  } finally {
    await page.close();
  }
}

const query = (page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.search)));

test('the settings and choices live in the link; opening it restores them; Copy link copies it', async () => {
  let link;
  await withApp(APP_URL, async (page) => {
    assert.deepEqual(await query(page), {}, 'defaults are not written');
    await setFields(page, { dates: 16, seed: 7, sims: 500, 'min-polls': 5 });
    await page.getByTestId('ec-sims').fill('4000');
    await page.getByTestId('ec-structure').selectOption('none');
    // Not the default (one core left to the page): all of them.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await page.getByTestId('workers').fill(String(cores));
    await page.getByTestId('model-poll_average').uncheck();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('ec_structure') === 'none');
    const q = await query(page);
    assert.equal(q.dates, '16');
    assert.equal(q.seed, '7');
    assert.equal(q.sims, '500');
    assert.equal(q.min_polls, '5');
    assert.equal(q.ec_sims, '4000');
    assert.equal(q.workers, String(cores));
    assert.equal(q.models, 'kalman_diffusion,improved_kalman,hierarchical_bayes');
    // The chart choices join after a run.
    assert.equal(await runAndWait(page), 'done');
    await page.getByTestId('state-select').selectOption('OH');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('state') === 'OH');
    await page.getByTestId('copy-link').click();
    await page.waitForFunction(() => /copied/i.test(document.querySelector('[data-testid=copy-status]').textContent));
    link = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(link, page.url());
  });
  await withApp(link, async (page) => {
    await openSetup(page);
    assert.equal(await page.getByTestId('dates').inputValue(), '16');
    assert.equal(await page.getByTestId('seed').inputValue(), '7');
    assert.equal(await page.getByTestId('sims').inputValue(), '500');
    assert.equal(await page.getByTestId('min-polls').inputValue(), '5');
    assert.equal(await page.getByTestId('ec-sims').inputValue(), '4000');
    assert.equal(await page.getByTestId('ec-structure').inputValue(), 'none');
    assert.equal(await page.getByTestId('workers-value').textContent(), String(await page.evaluate(() => navigator.hardwareConcurrency)));
    assert.equal(await runAndWait(page), 'done');
    assert.equal(await page.getByTestId('state-select').inputValue(), 'OH');
    assert.equal(await page.locator('[data-testid=link-notes]').count(), 0, 'nothing was left out');
  });
});

test('an invalid value in a link is left out with a note, and the page works', async () => {
  const url = new URL(APP_URL);
  url.search = '?dates=abc&seed=-5&workers=999&models=nonsense&state=ZZ&sims=1000';
  await withApp(url.href, async (page) => {
    const notes = await page.getByTestId('link-notes').textContent();
    for (const key of ['dates', 'seed', 'workers', 'models', 'state']) {
      assert.match(notes, new RegExp(`${key}=`), `a note on ${key}`);
    }
    await openSetup(page);
    assert.equal(await page.getByTestId('dates').inputValue(), '4', 'the default stays');
    assert.equal(await page.getByTestId('sims').inputValue(), '1000', 'a valid value is used');
    assert.equal(await runAndWait(page), 'done');
  });
});

test('a loaded file is kept for the next visit, with a note in the link; Forget my files deletes it', async () => {
  const csv = 'state,date,pollster,sample_size,dem,rep\n' + Array.from({ length: 12 }, (_, i) => `OH,2016-10-${String(10 + i).padStart(2, '0')},P${i % 3},800,4${i % 5},45`).join('\n') + '\n';
  await withApp(APP_URL, async (page) => {
    await openSetup(page);
    await page.getByTestId('polls-file').setInputFiles({ name: 'kept-ohio.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => /kept-ohio\.csv \(kept in this browser\)/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? ''));
    assert.match(await page.getByTestId('link-files-note').textContent(), /not your files/);
  });
  // Run, once enabled, is never disabled again before a click: it waits for the kept file
  // rather than being enabled with the built-in polls until the file is found.
  const watchRun = () => {
    const observer = new MutationObserver(() => {
      const run = document.querySelector('[data-testid=run]');
      if (!run) return;
      if (!run.disabled) window.__runEnabled = true;
      else if (window.__runEnabled) window.__runDisabledAgain = true;
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  };
  await withApp(APP_URL, async (page) => {
    await page.waitForFunction(() => /kept-ohio\.csv/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? ''));
    await page.waitForFunction(() => !document.querySelector('[data-testid=run]').disabled);
    assert.equal(await page.evaluate(() => window.__runDisabledAgain ?? false), false, 'Run waited for the kept file');
    assert.equal(await page.getByTestId('polls-report').getAttribute('data-used'), '12');
    assert.match(await page.getByTestId('polls-report').textContent(), /kept in this browser/);
    await openSetup(page);
    await page.getByTestId('forget-files').click();
    await page.waitForFunction(() => /forgotten/.test(document.querySelector('[data-testid=data-notes]')?.textContent ?? ''));
    assert.match(await page.getByTestId('polls-report').textContent(), /built-in 2016 polls/);
  }, { keptFiles: true, initScript: watchRun });
  await withApp(APP_URL, async (page) => {
    // Nothing kept: the built-in polls stay.
    await page.waitForTimeout(300);
    assert.match(await page.getByTestId('polls-report').textContent(), /built-in 2016 polls/);
  }, { keptFiles: true });
});

test('a kept file that no longer loads is dropped with a note', async () => {
  await withApp(APP_URL, async (page) => {
    // As an older version of the page might have kept it.
    await page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('election-forecaster', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('files');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction('files', 'readwrite');
        tx.objectStore('files').put({ name: 'old.csv', bytes: new TextEncoder().encode('not,a,polls\nfile,at,all\n') }, 'polls');
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }));
  });
  await withApp(APP_URL, async (page) => {
    await page.waitForFunction(() => /old\.csv/.test(document.querySelector('[data-testid=data-notes]')?.textContent ?? ''));
    assert.match(await page.getByTestId('data-notes').textContent(), /old\.csv, kept from your last visit, no longer loads and was dropped/);
    assert.match(await page.getByTestId('polls-report').textContent(), /built-in 2016 polls/);
  }, { keptFiles: true });
  await withApp(APP_URL, async (page) => {
    await page.waitForTimeout(300);
    assert.equal(await page.locator('[data-testid=data-notes]').count(), 0, 'dropped for good');
  }, { keptFiles: true });
});

test('Measure speed-up: 1 to all workers, a table, a chart and a CSV; Cancel stops it', async () => {
  await withApp(APP_URL, async (page) => {
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await page.getByTestId('bench-run').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=bench-status]').textContent === ''
      && document.querySelectorAll('[data-testid=bench-table] tbody tr').length > 0, null, { timeout: 120_000 });
    const rows = await page.$$eval('[data-testid=bench-table] tbody tr', (trs) => trs.map((tr) => ({ ...tr.dataset })));
    assert.deepEqual(rows.map((r) => Number(r.workers)), Array.from({ length: cores }, (_, i) => i + 1));
    for (const r of rows) {
      assert.equal(Number(r.runs), 5, 'five timed runs each');
      assert.ok(Number(r.ms) > 0 && Number(r.fastestMs) <= Number(r.ms));
      // Speed-up over the 1-worker median, recomputed here.
      const expect = Number(rows[0].ms) / Number(r.ms);
      assert.ok(Math.abs(Number(r.speedup) - expect) < 1e-9 * expect, `speed-up of ${r.workers}`);
    }
    assert.equal(Number(rows[0].speedup), 1);
    assert.equal(await page.locator('[data-testid=speedup-chart] circle[data-workers]').count(), cores);
    const csv = await download(page, 'bench-csv');
    assert.equal(csv.name, 'speedup.csv');
    const lines = csv.text.trim().split('\n');
    assert.equal(lines[0], 'workers,runs,median_ms,fastest_ms,speedup,efficiency');
    assert.equal(lines.length, cores + 1);

    // Cancel: the measurement stops and Run works again.
    await setFields(page, { dates: 'daily' });
    await page.getByTestId('bench-run').click();
    await page.waitForFunction(() => /measuring/.test(document.querySelector('[data-testid=bench-status]').textContent));
    await page.getByTestId('bench-cancel').click();
    await page.waitForFunction(() => /cancelled/.test(document.querySelector('[data-testid=bench-status]').textContent), null, { timeout: 60_000 });
    await setFields(page, { dates: 4 });
    assert.equal(await runAndWait(page), 'done');
  });
});
