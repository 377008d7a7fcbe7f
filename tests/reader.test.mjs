// A first-time reader's way through the page: the answer in view after Run, feedback
// where one acts, results never stale without saying so, explained controls, models'
// bounds named, the keyboard, and a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, withPage, openSetup, runAndWait, resultRows, setFields, tableFilled } from './helpers.mjs';
import { plainCsvWithBadRows } from './fixtures.mjs';

const APP_URL = process.env.APP_URL;
if (!APP_URL) throw new Error('APP_URL is not set: run scripts/test-browser.sh');

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const withApp = (viewport, fn) => withPage(browser.context, APP_URL, viewport, fn);

/** Whether the element's box is inside the viewport (entirely, or its top part). */
async function inViewport(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.top < innerHeight && r.bottom > 0 && r.left >= 0 && r.right <= innerWidth + 1;
  });
}

test('after Run on a laptop the answer is in view, focus stays on Run, the run summary is folded', async () => {
  await withApp(LAPTOP, async (page) => {
    // The reader scrolls down to look around, then runs from the keyboard.
    await page.evaluate(() => scrollTo(0, document.body.scrollHeight));
    await page.getByTestId('run').focus();
    const before = await page.getByTestId('status').getAttribute('data-run');
    await page.keyboard.press('Enter');
    await page.waitForFunction((b) => {
      const el = document.querySelector('[data-testid=status]');
      return Number(el.dataset.run) === Number(b) + 1 && el.textContent.trim() === 'done';
    }, before);
    await page.waitForFunction(() => document.querySelector('[data-testid=ec-headline]').dataset.demWin !== '');
    assert.ok(await inViewport(page.getByTestId('ec-headline')), 'the headline is in the viewport after Run');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'run', 'focus stays on Run');
    // Details of the run are there for those who open them.
    const summary = page.getByTestId('run-summary');
    assert.equal(await summary.locator('details').evaluate((d) => d.open), false);
    assert.match(await summary.locator('summary').textContent(), /Run summary: [\d,]+ forecasts in .* on \d+ threads?/);
  });
});

test('a bad value is marked on its field, and Run says so without mixing in the last run', async () => {
  await withApp(LAPTOP, async (page) => {
    assert.equal(await runAndWait(page), 'done');
    const counts = await page.locator('.progress .counts').textContent();
    assert.doesNotMatch(counts, /^0 \/ 0/);

    for (const [testid, value] of [['seed', 'abc'], ['sims', '1e9'], ['min-polls', '0'], ['dates', 'often'], ['ec-sims', '-3']]) {
      await setFields(page, { [testid]: value });
      const field = page.getByTestId(testid);
      assert.equal(await field.getAttribute('aria-invalid'), 'true', `${testid}=${value} is marked`);
      const message = page.getByTestId(`${testid}-error`);
      assert.ok(await message.isVisible(), `${testid}'s message shows`);
      const describedBy = (await field.getAttribute('aria-describedby')).split(' ');
      assert.ok(describedBy.includes(await message.getAttribute('id')), `${testid} is described by its message`);
      // Next to the field: within a few lines of it.
      const [f, m] = [await field.boundingBox(), await message.boundingBox()];
      assert.ok(Math.abs(m.y - f.y) < 120, `${testid}'s message is beside it (${f.y} vs ${m.y})`);
      await setFields(page, { [testid]: { seed: '42', sims: '2000', 'min-polls': '10', dates: '4', 'ec-sims': '20000' }[testid] });
      assert.equal(await field.getAttribute('aria-invalid'), 'false', `${testid} fixed`);
    }

    // Run with a bad value: the status is an error with no progress of the last run, the
    // settings open, and the cursor is in the field.
    await setFields(page, { seed: 'abc' });
    await page.getByTestId('setup').evaluate((d) => { d.open = false; });
    assert.equal(await runAndWait(page), 'error');
    assert.match(await page.getByTestId('error').textContent(), /seed/);
    assert.equal(await page.locator('[data-testid=progress]').evaluate((p) => p.value), 0);
    assert.match(await page.locator('.progress .counts').textContent(), /^0 \/ 0 steps/);
    assert.equal(await page.getByTestId('setup').evaluate((d) => d.open), true);
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'seed');
    // The results shown are from before: marked as such.
    assert.equal(await page.getByTestId('stale').getAttribute('data-stale'), 'failed');
  });
});

test('a file that cannot be used is told beside the file picker, which is marked', async () => {
  await withApp(LAPTOP, async (page) => {
    await openSetup(page);
    const picker = page.getByTestId('polls-file');
    await picker.setInputFiles({ name: 'garbage.csv', mimeType: 'text/csv', buffer: Buffer.from('this,is,not\na,poll,file\n') });
    const error = page.locator('[data-testid=error][data-kind=data]');
    await error.waitFor();
    assert.match(await error.textContent(), /garbage\.csv/);
    assert.equal(await picker.getAttribute('aria-invalid'), 'true');
    assert.equal(await picker.getAttribute('aria-describedby'), await error.getAttribute('id'));
    const [p, e] = [await picker.boundingBox(), await error.boundingBox()];
    assert.ok(Math.abs(e.y - p.y) < 250, `the message is next to the picker (${p.y} vs ${e.y})`);
    assert.ok(await inViewport(error), 'the message is in view');
  });
});

test('results never look current for other data or settings', async () => {
  await withApp(LAPTOP, async (page) => {
    assert.equal(await runAndWait(page), 'done');
    assert.equal(await page.getByTestId('stale').count(), 0, 'fresh results are not marked');
    assert.equal(await page.getByTestId('ec-headline').getAttribute('data-stale'), '');

    // A setting changes: marked, dimmed; changed back: current again.
    await setFields(page, { seed: '7' });
    assert.equal(await page.getByTestId('stale').getAttribute('data-stale'), 'settings');
    assert.equal(await page.getByTestId('ec-headline').getAttribute('data-stale'), 'settings');
    for (const panel of ['ec-headline', 'charts', 'presidency']) {
      assert.match(await page.getByTestId(panel).getAttribute('class'), /\bstale\b/, `${panel} is dimmed`);
    }
    assert.match(await page.locator('section.results').getAttribute('class'), /\bstale\b/);
    await setFields(page, { seed: '42' });
    assert.equal(await page.getByTestId('stale').count(), 0);
    // Workers do not change results.
    await page.getByTestId('workers').fill('1');
    assert.equal(await page.getByTestId('stale').count(), 0);

    // Another polls file: the results are for other data.
    await page.getByTestId('polls-file').setInputFiles({ name: 'ohio.csv', mimeType: 'text/csv', buffer: Buffer.from(plainCsvWithBadRows().csv) });
    await page.waitForFunction(() => /ohio\.csv/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? ''));
    assert.equal(await page.getByTestId('stale').getAttribute('data-stale'), 'data');
    assert.match(await page.getByTestId('stale').textContent(), /other data/);

    // The next run is of the new data: current.
    assert.equal(await runAndWait(page), 'done');
    assert.equal(await page.getByTestId('stale').count(), 0);
    const states = new Set((await resultRows(page)).map((r) => r.state));
    assert.deepEqual([...states], ['OH']);
  });
});

test('every control is explained: the dates typed, each model, the workers in the header', async () => {
  await withApp(LAPTOP, async (page) => {
    await openSetup(page);
    const hint = async (testid) => page.getByTestId(testid).evaluate((el) =>
      el.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    for (const testid of ['dates', 'seed', 'sims', 'min-polls', 'ec-sims', 'workers']) {
      assert.ok((await hint(testid)).length > 30, `${testid} has a hint: "${await hint(testid)}"`);
    }
    // 2016: September 1 to November 7, the day before the election, is 68 days.
    assert.match(await hint('dates'), /Now: 4 dates from Sep 1 to Nov 7/);
    await setFields(page, { dates: '1000' });
    assert.match(await hint('dates'), /Now: 68 dates from Sep 1 to Nov 7/);
    await setFields(page, { dates: 'daily' });
    assert.match(await hint('dates'), /Now: 68 dates/);
    await setFields(page, { dates: '4' });

    const models = await page.locator('.models .model').allTextContents();
    assert.equal(models.length, 4);
    for (const text of models) assert.ok(text.length > 80, `a model is described: "${text}"`);
    assert.match(models.join(' '), /Kalman diffusion.*early forecasts are wide/s);

    // The header says what a run uses, as the slider does.
    const workers = await page.getByTestId('workers-value').textContent();
    assert.match(await page.getByTestId('pool').textContent(), new RegExp(`runs use ${workers}\\b`));
  });
});

test('a chance at a model\'s bound is marked and explained, in the table and the map', async () => {
  await withApp(LAPTOP, async (page) => {
    assert.equal(await runAndWait(page), 'done');
    const bounds = { poll_average: [0.05, 0.95], kalman_diffusion: [0.01, 0.99], improved_kalman: [0.01, 0.99], hierarchical_bayes: [0.02, 0.98] };
    await tableFilled(page);
    const cells = await page.$$eval('[data-testid=results] tbody tr', (trs) => trs.map((tr) => ({
      model: tr.dataset.model,
      win: Number(tr.dataset.win),
      capped: tr.children[3].classList.contains('capped'),
      title: tr.children[3].getAttribute('title') ?? '',
    })));
    const atBound = cells.filter((c) => c.win <= bounds[c.model][0] || c.win >= bounds[c.model][1]);
    assert.ok(atBound.length > 20, `${atBound.length} chances at a bound`);
    for (const c of cells) {
      const expected = c.win <= bounds[c.model][0] || c.win >= bounds[c.model][1];
      assert.equal(c.capped, expected, `${c.model} ${c.win}`);
      if (expected) assert.match(c.title, /never goes past \d+-\d+ %/);
    }
    assert.match(await page.locator('section.results .hint').textContent(), /Hierarchical Bayes 2-98 %/);
    assert.match(await page.getByTestId('map-caps').textContent(), /never goes past/);
    // A capped tile's details say so.
    const model = await page.getByTestId('ec-headline').getAttribute('data-model');
    const [lo, hi] = bounds[model];
    const tile = await page.$$eval('[data-testid=map] g.fc-tile', (gs, [lo, hi]) =>
      gs.map((g) => ({ state: g.dataset.state, win: g.dataset.win })).find((t) => t.win !== '' && (Number(t.win) <= lo || Number(t.win) >= hi))?.state, [lo, hi]);
    assert.ok(tile, 'a tile at the bound');
    await page.mouse.move(0, 0);
    await page.locator(`[data-testid=map] g.fc-tile[data-state=${tile}]`).focus();
    await page.waitForFunction(() => /never goes past/.test(document.querySelector('[data-chart=map] [data-testid=chart-details]')?.textContent ?? ''));
  });
});

test('the keyboard: the map is one tab stop, and Run to the forecasts\' download is a short way', async () => {
  await withApp(LAPTOP, async (page) => {
    assert.equal(await runAndWait(page), 'done');
    const mapStops = await page.$$eval('[data-testid=map] [tabindex]', (els) => els.filter((e) => e.tabIndex >= 0).length);
    assert.equal(mapStops, 1, 'one tab stop in the map');
    // The 51 pin buttons are one tab stop too; the arrow keys move between them.
    const pins = await page.$$eval('.pins button', (bs) => bs.map((b) => ({ id: b.dataset.testid, stop: b.tabIndex >= 0 })));
    assert.equal(pins.length, 51);
    assert.deepEqual(pins.filter((p) => p.stop).map((p) => p.id), [pins[0].id], 'one tab stop among the pins');
    await page.getByTestId(pins[0].id).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), pins[1].id);
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), pins[50].id);
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId(pins[50].id).getAttribute('data-pin'), 'D', 'Enter pins the focused state');
    await page.getByTestId('pins-clear').click();
    await page.getByTestId('run').focus();
    let presses = 0;
    while (presses < 60) {
      await page.keyboard.press('Tab');
      presses += 1;
      if (await page.evaluate(() => document.activeElement?.dataset.testid === 'download-predictions')) break;
    }
    assert.ok(presses < 60, `the forecasts' download is ${presses} Tab presses from Run`);
    console.log(`# Tab presses from Run to the forecasts' download: ${presses}`);
  });
});

test('on a phone: no chart wider than the screen, the map fits, the table shows chance and margin', async () => {
  await withApp(PHONE, async (page) => {
    assert.equal(await runAndWait(page), 'done');
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'the page does not scroll sideways');
    const charts = await page.$$eval('svg.fc-chart', (svgs) => svgs.map((s) => {
      const r = s.getBoundingClientRect();
      const box = s.closest('.chart-scroll') ?? s.parentElement;
      return { id: s.id, left: r.left, right: r.right, scrolls: box.scrollWidth > box.clientWidth + 1 };
    }));
    assert.ok(charts.length >= 6, `${charts.length} charts`);
    for (const c of charts) {
      assert.ok(c.left >= 0 && c.right <= width + 1, `${c.id} fits the screen (${c.left}..${c.right} of ${width})`);
      assert.equal(c.scrolls, false, `${c.id} does not scroll sideways`);
    }
    // Every tile of the map, the east coast's too, is on the screen.
    const tiles = await page.$$eval('[data-testid=map] g.fc-tile', (gs) => gs.map((g) => g.getBoundingClientRect().right));
    assert.ok(Math.max(...tiles) <= width + 1, 'the map\'s east coast is on the screen');
    // The first forecast row shows its chance and margin, with their names.
    const row = page.locator('[data-testid=results] tbody tr').first();
    for (const i of [3, 4]) {
      const cell = row.locator('td').nth(i);
      const box = await cell.boundingBox();
      assert.ok(box && box.width > 20 && box.x >= 0 && box.x + box.width <= width + 1, `cell ${i} is on the screen`);
      assert.match(await cell.evaluate((td) => getComputedStyle(td, '::before').content), /P\(Democrat wins\)|Predicted margin/);
    }
  });
});
