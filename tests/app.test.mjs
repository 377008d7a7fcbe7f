// The app served with the COOP/COEP headers (APP_URL, started by scripts/test-browser.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  launchBrowser, withPage, forgetKeptFiles, openSetup, setWorkers, setFields, runAndWait, resultRows, summary, status,
} from './helpers.mjs';
import { hostileFiles, longLayoutCsv, plainCsvWithBadRows } from './fixtures.mjs';

const APP_URL = process.env.APP_URL;
const POLLS_2016 = join(dirname(fileURLToPath(import.meta.url)), '..', 'engine', 'data', 'polls_2016.csv');
if (!APP_URL) throw new Error('APP_URL is not set: run scripts/test-browser.sh');

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A new tab on the app, closed after the test. */
const withApp = (t, fn) => withPage(browser.context, APP_URL, null, fn);

function byKey(rows) {
  return new Map(rows.map((r) => [`${r.state}|${r.model}|${r.date}`, r]));
}

function lastDateRows(rows) {
  const last = rows.map((r) => r.date).sort().at(-1);
  return rows.filter((r) => r.date === last);
}

async function pickFile(page, testid, name, text) {
  await page.getByTestId(testid).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

test('the page is cross-origin isolated, with shared memory and a pool of hardwareConcurrency threads', async (t) => {
  await withApp(t, async (page) => {
    const env = await page.evaluate(() => ({
      isolated: globalThis.crossOriginIsolated,
      sab: typeof SharedArrayBuffer,
      cores: navigator.hardwareConcurrency,
    }));
    assert.equal(env.isolated, true, 'crossOriginIsolated');
    assert.equal(env.sab, 'function', 'SharedArrayBuffer is available');
    const pool = await page.getByTestId('pool').evaluate((el) => ({ ...el.dataset }));
    assert.equal(Number(pool.threads), env.cores, 'the pool has one thread per core');
    assert.equal(pool.isolated, 'true');
    const slider = await page.getByTestId('workers').evaluate((el) => ({
      type: el.type, min: Number(el.min), max: Number(el.max), value: Number(el.value),
    }));
    assert.deepEqual(slider, { type: 'range', min: 1, max: env.cores, value: Math.max(env.cores - 1, 1) });
    assert.equal(await page.getByTestId('progress').evaluate((el) => el.tagName), 'PROGRESS');
    assert.equal((await status(page)).text, 'idle');
    // Nothing came from another origin (no CDN fonts or scripts).
    const origin = new URL(APP_URL).origin;
    const foreign = page.requests.filter((u) => !u.startsWith(origin) && !/^(blob|data):/.test(u));
    assert.deepEqual(foreign, []);
  });
});

test('the masthead shows while the module loads, the page replaces it, and a module that cannot load says so', async (t) => {
  const page = await browser.context.newPage();
  try {
    // Hold the module back: the page has only its static masthead meanwhile.
    let release;
    const held = new Promise((done) => { release = done; });
    await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
    await page.goto(APP_URL);
    const loading = page.getByTestId('loading');
    await loading.waitFor();
    assert.match(await loading.textContent(), /^Loading the forecasting engine/);
    assert.equal(await page.locator('h1').count(), 1);
    release();
    await page.waitForSelector('[data-testid=pool][data-ready=true]', { timeout: 60_000 });
    assert.equal(await loading.count(), 0, 'the loading line is gone');
    assert.deepEqual(await page.locator('h1').allTextContents(), ['Election forecaster']);
    // Neither module loads: the loading line says why instead of waiting forever.
    await page.unroute('**/*.wasm');
    await page.route('**/*.wasm', (route) => route.abort());
    await page.reload();
    await page.waitForFunction(
      () => /could not start/.test(document.querySelector('[data-testid=loading]')?.textContent ?? ''),
      null, { timeout: 30_000 },
    );
  } finally {
    await page.close();
  }
});

test('the built-in polls are decoded once the workers are up, and by the page itself if they cannot start', async (t) => {
  const page = await browser.context.newPage();
  try {
    // The page asks for the workers' script first (a module preload); each worker then
    // asks for it again. Hold the workers' requests back: no pool yet.
    let asked = 0;
    let release;
    const held = new Promise((done) => { release = done; });
    await page.route('**/workerHelpers.no-bundler.js', async (route) => {
      asked += 1;
      if (asked > 1) await held;
      await route.continue();
    });
    await page.goto(APP_URL);
    await page.getByTestId('pool').waitFor();
    // Time enough for the polls to have been decoded, had the page not waited for the pool.
    await page.waitForFunction(() => performance.now() > 1500);
    assert.equal(await page.getByTestId('pool').getAttribute('data-ready'), 'false');
    assert.match(await page.getByTestId('data-loading').textContent(), /Reading built-in 2016 polls/);
    assert.equal(await page.getByTestId('run').isDisabled(), true);
    release();
    await page.waitForSelector('[data-testid=pool][data-ready=true]', { timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid=run]').disabled, null, { timeout: 30_000 });
    assert.match(await page.getByTestId('load-report').textContent(), /FiveThirtyEight 2016 timeseries layout: 4208 rows/);
    assert.equal(await page.getByTestId('data-loading').count(), 0);

    // A worker whose script does not load: the pool's start fails and says why, rather
    // than waiting forever, and the page decodes the built-in polls itself.
    asked = 0;
    await page.unroute('**/workerHelpers.no-bundler.js');
    await page.route('**/workerHelpers.no-bundler.js', (route) => {
      asked += 1;
      return asked > 1 ? route.abort() : route.continue();
    });
    await page.reload();
    await page.waitForFunction(
      () => /could not start/.test(document.querySelector('[data-testid=pool]')?.textContent ?? ''),
      null, { timeout: 30_000 },
    );
    assert.match(await page.getByTestId('pool').textContent(), /a worker's script did not load.*reload the page/);
    assert.equal(await page.getByTestId('pool').getAttribute('role'), 'alert');
    await page.waitForFunction(
      () => /4208 rows/.test(document.querySelector('[data-testid=load-report]')?.textContent ?? ''),
      null, { timeout: 30_000 },
    );
    assert.equal(await page.getByTestId('run').isDisabled(), true, 'no run without workers');
  } finally {
    await page.close();
  }
});

test('a built-in polls file that is missing or damaged is told, and a polls file can still be loaded', async (t) => {
  const page = await browser.context.newPage();
  try {
    for (const [answer, expected] of [
      [{ status: 404, body: 'not found' }, /built-in polls \(polls_2016\.postcard\) could not be fetched \(HTTP 404\); load a polls file instead/],
      [{ status: 200, body: Buffer.from('state,startdate\nOH,2016-01-01\n') }, /built-in polls \(polls_2016\.postcard\) cannot be used: the encoded polls do not decode: the file is damaged or of another version \(.+\); reload the page, or load a polls file instead/],
    ]) {
      await page.unroute('**/polls_2016.postcard');
      await page.route('**/polls_2016.postcard', (route) => route.fulfill(answer));
      await page.goto(APP_URL);
      const error = page.locator('[data-testid=error][data-kind=data]');
      await error.waitFor({ state: 'attached', timeout: 30_000 });
      assert.match(await error.textContent(), expected);
      assert.equal(await page.getByTestId('data-loading').count(), 0, 'not left reading');
    }
    // Run says what is missing, not a setting.
    await page.getByTestId('run').click();
    await page.waitForFunction(() => /no polls loaded: load a polls file/.test(document.body.textContent));
    // A polls file of the reader's own runs all the same.
    await openSetup(page);
    await page.getByTestId('polls-file').setInputFiles(POLLS_2016);
    await page.waitForFunction(
      () => /4208 rows/.test(document.querySelector('[data-testid=load-report]')?.textContent ?? ''),
      null, { timeout: 30_000 },
    );
    await page.waitForFunction(() => !document.querySelector('[data-testid=run]').disabled, null, { timeout: 60_000 });
    assert.equal(await page.locator('[data-testid=error][data-kind=data]').count(), 0);
  } finally {
    await page.close();
  }
});

test('the settings mount once the start is over, and within a second if the built-in polls never come', async (t) => {
  // Files kept by earlier tests would make Run wait for them, after the settings mount.
  await forgetKeptFiles(browser.context, APP_URL);
  const page = await browser.context.newPage();
  try {
    // In a normal start they mount after the frame that draws Run enabled.
    await page.addInitScript(() => {
      const observer = new MutationObserver(() => {
        const run = document.querySelector('[data-testid=run]');
        if (!run || run.disabled) return;
        observer.disconnect();
        window.__settingsAtReady = document.querySelector('[data-testid=polls-file]') !== null;
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true });
    });
    await page.goto(APP_URL);
    await page.getByTestId('polls-file').waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await page.evaluate(() => window.__settingsAtReady), false, 'Run was enabled first');
    assert.equal(await page.getByTestId('run').isDisabled(), false);
    // They mount once: a run folds them, the reader opens them again, and past the second
    // after which they would mount anyway they are still open (mounted again, they would
    // fold once more, the run's outcome in).
    assert.equal(await runAndWait(page), 'done');
    await openSetup(page);
    await page.waitForTimeout(1_500);
    assert.equal(await page.getByTestId('setup').evaluate((details) => details.open), true, 'mounted once');
    // A fetch that never answers: the file pickers come all the same.
    await page.route('**/polls_2016.postcard', () => {});
    const start = Date.now();
    await page.goto(APP_URL, { waitUntil: 'domcontentloaded' });
    await page.getByTestId('polls-file').waitFor({ state: 'attached', timeout: 30_000 });
    assert.ok(Date.now() - start < 10_000, `the pickers came after ${Date.now() - start} ms`);
    assert.equal(await page.getByTestId('data-loading').count(), 1, 'still reading the built-in polls');
  } finally {
    await page.close();
  }
});

test('the built-in data loads on first open and a run completes: 51 states for the last date, 4 models', async (t) => {
  await withApp(t, async (page) => {
    const report = await page.getByTestId('load-report').textContent();
    assert.match(report, /built-in 2016 polls/);
    assert.match(report, /FiveThirtyEight 2016 timeseries layout: 4208 rows/);
    assert.match(report, /not a state/, 'the national and district rows are counted as skipped');
    const used = Number(await page.getByTestId('polls-report').getAttribute('data-used'));
    assert.ok(used > 3000, `built-in polls used: ${used}`);
    // Nothing to choose from before a run: no empty model and date pickers.
    assert.equal(await page.getByTestId('map-model').count(), 0, 'no pickers before a run');

    assert.equal(await runAndWait(page), 'done');
    assert.equal(await page.getByTestId('map-model').locator('option').count(), 4, 'a model picker after it');
    const rows = await resultRows(page);
    const last = lastDateRows(rows);
    assert.equal(new Set(last.map((r) => r.state)).size, 51, 'states on the last date');
    assert.equal(new Set(last.map((r) => r.model)).size, 4, 'models on the last date');
    assert.equal(last.length, 51 * 4);
    assert.equal(new Set(rows.map((r) => r.date)).size, 4, 'four forecast dates by default');
    for (const r of rows) {
      const win = Number(r.win);
      assert.ok(win >= 0 && win <= 1, `win probability ${r.win}`);
      assert.ok(Number.isFinite(Number(r.margin)), `margin ${r.margin}`);
    }
    // Percentages for people, full precision in the attributes.
    const firstCells = await page.$$eval('[data-testid=results] tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
    assert.match(firstCells[3], /^\d{1,3}\.\d%$/);

    const s = await summary(page);
    assert.equal(s.cells, 4 * 51 * 4);
    assert.equal(s.cellsDone, s.cells);
    assert.equal(s.rows, rows.length);
    assert.ok(s.ms > 0);
    assert.equal(s.cancelled, false);

    const scores = await page.$$eval('[data-testid=scores] tbody tr', (trs) => trs.map((tr) => ({ ...tr.dataset })));
    assert.equal(scores.length, 4 * 4, 'a score row per model and date');
    for (const sc of scores) {
      assert.ok(Number(sc.brier) >= 0 && Number(sc.brier) <= 1, `brier ${sc.brier}`);
      assert.ok(Number(sc.logLoss) >= 0, `log loss ${sc.logLoss}`);
      assert.ok(Number(sc.mae) >= 0, `mae ${sc.mae}`);
    }
  });
});

test('workers 1 and 2 give identical results, and data-threads equals the slider', async (t) => {
  await withApp(t, async (page) => {
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    if (cores < 2) {
      t.skip(`needs 2 cores, this browser reports ${cores}`);
      return;
    }
    await setFields(page, { dates: 16 });
    const results = {};
    for (const workers of [1, 2]) {
      await setWorkers(page, workers);
      assert.equal(await runAndWait(page), 'done');
      const s = await summary(page);
      assert.equal(s.workers, workers);
      assert.equal(s.threads, workers, `distinct threads that ran cells with ${workers} worker(s)`);
      results[workers] = await resultRows(page);
    }
    assert.ok(results[1].length > 3000, `rows: ${results[1].length}`);
    assert.equal(results[2].length, results[1].length);
    const two = byKey(results[2]);
    for (const row of results[1]) {
      const other = two.get(`${row.state}|${row.model}|${row.date}`);
      assert.ok(other, `row ${row.state} ${row.model} ${row.date} with 2 workers`);
      assert.equal(other.win, row.win, `data-win of ${row.state} ${row.model} ${row.date}`);
      assert.equal(other.margin, row.margin, `data-margin of ${row.state} ${row.model} ${row.date}`);
    }
  });
});

test('a different seed gives different numbers; the same seed the same', async (t) => {
  await withApp(t, async (page) => {
    const runWithSeed = async (seed) => {
      await setFields(page, { seed, dates: 1 });
      assert.equal(await runAndWait(page), 'done');
      return (await resultRows(page)).map((r) => `${r.win}/${r.margin}`).join();
    };
    const a = await runWithSeed(42);
    const b = await runWithSeed(7);
    const c = await runWithSeed(42);
    assert.notEqual(a, b);
    assert.equal(a, c);
  });
});

test('clicking a column header sorts the table, again reverses it', async (t) => {
  await withApp(t, async (page) => {
    await setFields(page, { dates: 1 });
    assert.equal(await runAndWait(page), 'done');
    const header = page.locator('[data-testid=results] th[data-sort=win]');
    await header.click();
    let wins = (await resultRows(page)).map((r) => Number(r.win));
    assert.deepEqual(wins, [...wins].sort((a, b) => a - b), 'ascending');
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    await header.click();
    wins = (await resultRows(page)).map((r) => Number(r.win));
    assert.deepEqual(wins, [...wins].sort((a, b) => b - a), 'descending');
    await page.locator('[data-testid=results] th[data-sort=state]').click();
    const states = (await resultRows(page)).map((r) => r.state);
    assert.deepEqual(states, [...states].sort());
  });
});

test('the forecasts table fills every row, and a shorter run leaves none of the rows before', async (t) => {
  await withApp(t, async (page) => {
    await setFields(page, { dates: 4 });
    assert.equal(await runAndWait(page), 'done');
    assert.equal((await resultRows(page)).length, (await summary(page)).rows);
    await setFields(page, { dates: 1 });
    assert.equal(await runAndWait(page), 'done');
    const rows = await resultRows(page);
    assert.equal(rows.length, (await summary(page)).rows);
    assert.equal(new Set(rows.map((r) => r.date)).size, 1, 'one forecast date');
    const table = page.getByTestId('results');
    assert.equal(await table.locator('tbody.stale-rows').count(), 0, 'no body waits for its rows');
    assert.equal(await table.locator('tbody').count(), Math.ceil(rows.length / 64));
  });
});

test('only the chosen models run', async (t) => {
  await withApp(t, async (page) => {
    await setFields(page, { dates: 2 });
    await openSetup(page);
    await page.getByTestId('model-kalman_diffusion').uncheck();
    await page.getByTestId('model-hierarchical_bayes').uncheck();
    assert.equal(await runAndWait(page), 'done');
    const models = new Set((await resultRows(page)).map((r) => r.model));
    assert.deepEqual([...models].sort(), ['improved_kalman', 'poll_average']);
    // No model at all: an error, and no run.
    await openSetup(page);
    await page.getByTestId('model-poll_average').uncheck();
    await page.getByTestId('model-improved_kalman').uncheck();
    assert.equal(await runAndWait(page), 'error');
    assert.match(await page.getByTestId('error').textContent(), /no model selected/);
  });
});

test('a malformed file shows the error, the previous data stays, and the page still runs', async (t) => {
  await withApp(t, async (page) => {
    const usedBefore = await page.getByTestId('polls-report').getAttribute('data-used');
    await pickFile(page, 'polls-file', 'garbage.csv', 'this,is,not\na,poll,file\n1,2,3\n');
    const error = page.getByTestId('error');
    await error.waitFor();
    assert.match(await error.textContent(), /garbage\.csv.*unknown layout/s);
    assert.match(await error.textContent(), /accepted layouts/);
    assert.equal(await page.getByTestId('polls-report').getAttribute('data-used'), usedBefore);
    assert.match(await page.getByTestId('polls-report').textContent(), /built-in 2016 polls/);

    // Binary junk as results: refused as well.
    await page.getByTestId('results-file').setInputFiles({ name: 'junk.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 255, 0]) });
    await page.waitForFunction(() => /junk\.bin/.test(document.querySelector('[data-testid=error]')?.textContent ?? ''));
    assert.match(await error.textContent(), /binary data/);
    assert.match(await page.getByTestId('results-report').textContent(), /built-in results/);

    assert.equal(await runAndWait(page), 'done');
    const last = lastDateRows(await resultRows(page));
    assert.equal(new Set(last.map((r) => r.state)).size, 51);
    assert.equal(await page.getByTestId('error').count(), 0, 'the error is cleared by a run');
  });
});

test('after hostile files (huge fields, a million commas, Windows-1252, CR endings, UTF-16, NUL) the page recovers', async (t) => {
  await withApp(t, async (page) => {
    for (const { testid, name, buffer } of hostileFiles()) {
      const runsBefore = (await status(page)).run;
      await page.getByTestId(testid).setInputFiles({ name, mimeType: 'text/csv', buffer });
      // Loaded (its name in a report) or refused (its name in the error); never stuck reading.
      await page.waitForFunction(
        (name) => [...document.querySelectorAll('[data-testid=load-report], [data-testid=error]')]
          .some((el) => el.textContent.includes(name))
          && !document.querySelector('.loading'),
        name,
        { timeout: 60_000 },
      );
      assert.equal((await status(page)).run, runsBefore);
    }
    // The decoded files load with their rows, named by their lines.
    const crOnly = hostileFiles().find((f) => f.name === 'cr-only.csv');
    await page.getByTestId('polls-file').setInputFiles({ name: crOnly.name, mimeType: 'text/csv', buffer: crOnly.buffer });
    await page.waitForFunction(() => /cr-only\.csv/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? ''));
    assert.match(await page.getByTestId('polls-report').textContent(), /line 32, column state/);

    await openSetup(page);
    await page.getByTestId('use-builtin').click();
    assert.match(await page.getByTestId('polls-report').textContent(), /built-in 2016 polls/);
    assert.match(await page.getByTestId('results-report').textContent(), /built-in results/);
    assert.equal(await runAndWait(page), 'done');
    const last = lastDateRows(await resultRows(page));
    assert.equal(new Set(last.map((r) => r.state)).size, 51);
  });
});

test('the load report counts skipped rows by reason and names the first ones; the new polls are used', async (t) => {
  await withApp(t, async (page) => {
    const { csv, goodPolls, state } = plainCsvWithBadRows();
    await pickFile(page, 'polls-file', 'ohio.csv', csv);
    await page.waitForFunction(() => /ohio\.csv/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? ''));
    const report = page.getByTestId('polls-report');
    assert.equal(Number(await report.getAttribute('data-used')), goodPolls);
    const reasons = await report.locator('li[data-reason]').evaluateAll((lis) =>
      Object.fromEntries(lis.map((li) => [li.dataset.reason, Number(li.dataset.count)])));
    assert.deepEqual(reasons, { NotAState: 2, SampleSizeNotPositive: 1, BadDate: 1 });
    const examples = await report.locator('.examples li').allTextContents();
    assert.ok(examples.some((e) => /line 3, column state: not a state/.test(e)), examples.join('\n'));
    assert.ok(examples.some((e) => /column sample_size/.test(e)), examples.join('\n'));

    assert.equal(await runAndWait(page), 'done');
    const rows = await resultRows(page);
    assert.ok(rows.length > 0);
    assert.deepEqual([...new Set(rows.map((r) => r.state))], [state]);

    // Back to the built-in data.
    await openSetup(page);
    await page.getByTestId('use-builtin').click();
    assert.match(await page.getByTestId('polls-report').textContent(), /built-in 2016 polls/);
  });
});

test('the long FiveThirtyEight layout (president_polls.csv) loads and runs', async (t) => {
  await withApp(t, async (page) => {
    const { csv, polls, states, thirdPartyRows, otherCycleRows } = longLayoutCsv();
    await pickFile(page, 'polls-file', 'president_polls.csv', csv);
    await page.waitForFunction(() => /president_polls\.csv/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? ''));
    const report = page.getByTestId('polls-report');
    assert.match(await report.textContent(), /president_polls \(long\)/);
    assert.match(await report.textContent(), /election of 2016/);
    assert.equal(Number(await report.getAttribute('data-used')), polls);
    const reasons = await report.locator('li[data-reason]').evaluateAll((lis) =>
      Object.fromEntries(lis.map((li) => [li.dataset.reason, Number(li.dataset.count)])));
    assert.deepEqual(reasons, { ThirdParty: thirdPartyRows, OtherCycle: otherCycleRows });

    assert.equal(await runAndWait(page), 'done');
    const last = lastDateRows(await resultRows(page));
    assert.deepEqual([...new Set(last.map((r) => r.state))].sort(), [...states].sort());
    assert.equal(new Set(last.map((r) => r.model)).size, 4);
  });
});

test('files dropped on the drop zone load: polls as polls, results as results', async (t) => {
  await withApp(t, async (page) => {
    const { csv } = plainCsvWithBadRows();
    // Results of 2016 for Ohio only, in the plain results layout.
    const results = 'state,year,dem,rep\nOhio,2016,43.56,51.69\nOhio,2012,50.67,47.69\n';
    await page.getByTestId('dropzone').evaluate((zone, files) => {
      const transfer = new DataTransfer();
      for (const [name, text] of files) transfer.items.add(new File([text], name, { type: 'text/csv' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, [['dropped-polls.csv', csv], ['dropped-results.csv', results]]);
    await page.waitForFunction(() => /dropped-polls\.csv/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? '')
      && /dropped-results\.csv/.test(document.querySelector('[data-testid=results-report]')?.textContent ?? ''));
    assert.equal(Number(await page.getByTestId('results-report').getAttribute('data-used')), 2);
    assert.equal(await page.getByTestId('error').count(), 0);
    assert.equal(await runAndWait(page), 'done');
    const rows = await resultRows(page);
    assert.ok(rows.length > 0);
    const ohio2016 = (43.56 - 51.69) / (43.56 + 51.69);
    for (const r of rows) assert.ok(Math.abs(Number(r.actual) - ohio2016) < 1e-12, `actual margin ${r.actual}`);

    // A dropped file that is neither: the error names both, and the data stays.
    await page.getByTestId('dropzone').evaluate((zone) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['a,b,c\n1,2,3\n'], 'neither.csv', { type: 'text/csv' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await page.getByTestId('error').waitFor();
    assert.match(await page.getByTestId('error').textContent(), /neither\.csv.*neither a polls file.*nor a results file/s);
    assert.match(await page.getByTestId('polls-report').textContent(), /dropped-polls\.csv/);
  });
});

test('a daily-grid run keeps the page responsive, and Cancel stops it', async (t) => {
  await withApp(t, async (page) => {
    await setFields(page, { dates: 'daily', sims: 20000 });
    const before = (await status(page)).run;
    await page.getByTestId('run').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=progress]').value) > 0, null, { polling: 20 });
    assert.equal((await status(page)).run, before + 1);
    assert.equal((await status(page)).text, 'running');

    // The page's thread is free: timers fire on time and the bar moves.
    const first = await page.getByTestId('progress').evaluate((el) => Number(el.value));
    const lag = await page.evaluate(async () => {
      let worst = 0;
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        await new Promise((r) => setTimeout(r, 20));
        worst = Math.max(worst, performance.now() - t0 - 20);
      }
      return worst;
    });
    assert.ok(lag < 200, `a 20 ms timer came ${lag.toFixed(0)} ms late during the run`);
    const second = await page.getByTestId('progress').evaluate((el) => Number(el.value));
    assert.ok(second > first, `the bar moves: ${first} -> ${second}`);
    const total = await page.getByTestId('progress').evaluate((el) => Number(el.max));
    // Cells, then the electoral college: its 20 chunks of 1,000 draws, then one unit per
    // (model, date) and chunk.
    assert.equal(total, 68 * 51 * 4 + 20 + 68 * 4 * 20, 'daily grid cells and electoral work');
    assert.equal(await page.getByTestId('cancel').isEnabled(), true);

    await page.getByTestId('cancel').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=status]').textContent.trim() !== 'running', null, { timeout: 30_000 });
    assert.equal((await status(page)).text, 'cancelled');
    const s = await summary(page);
    assert.equal(s.cancelled, true);
    assert.ok(s.cellsDone < s.cells, `cells done ${s.cellsDone} of ${s.cells}`);

    // The pool is still good after a cancel.
    await setFields(page, { dates: 4, sims: 2000 });
    assert.equal(await runAndWait(page), 'done');
    assert.equal((await summary(page)).cellsDone, 4 * 51 * 4);
  });
});
