// The charts section: state chart, map, scores, calibration, downloads; screenshots of it
// at a laptop and a phone width go to tests/screenshots/ (gitignored) for a look.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser, openApp, setFields, runAndWait, resultRows } from './helpers.mjs';

const APP_URL = process.env.APP_URL;
if (!APP_URL) throw new Error('APP_URL is not set: run scripts/test-browser.sh');

const HERE = dirname(fileURLToPath(import.meta.url));
const POLLS_2016 = join(HERE, '..', 'engine', 'data', 'polls_2016.csv');
const SCREENSHOTS = join(HERE, 'screenshots');
const EVIL = '<img src=x onerror=alert(1)>';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A new tab on the app (dialogs counted), closed after the test. */
async function withApp(fn, viewport) {
  const page = await openApp(browser.context, APP_URL);
  page.dialogs = [];
  page.on('dialog', async (d) => {
    page.dialogs.push(d.message());
    await d.dismiss();
  });
  if (viewport) await page.setViewportSize(viewport);
  try {
    await fn(page);
    assert.deepEqual(page.problems, [], 'no errors in the page');
    assert.deepEqual(page.dialogs, [], 'no dialogs');
  } finally {
    await page.close();
  }
}

/** RFC 4180 CSV: quoted fields with commas, doubled quotes and newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** CSV text as objects keyed by its header. */
function csvObjects(text) {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const DAY_MS = 86_400_000;
const dayNumber = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

/**
 * Florida's polls in the built-in file that a chart up to `lastDate` draws, counted here
 * from the CSV: a sample size, both shares, and the middle of the field dates on or
 * before the last forecast date.
 */
function floridaPollsUpTo(lastDate, from = null) {
  const rows = csvObjects(readFileSync(POLLS_2016, 'utf8'));
  const last = dayNumber(lastDate);
  const first = from === null ? -Infinity : dayNumber(from);
  const number = (t) => (t === undefined || t.trim() === '' || t.trim().toUpperCase() === 'NA' ? NaN : Number(t));
  return rows.filter((r) => {
    if (r.state !== 'Florida') return false;
    const n = number(r.samplesize);
    const dem = number(r.rawpoll_clinton);
    const rep = number(r.rawpoll_trump);
    if (!(n >= 1) || !(dem >= 0 && dem <= 100) || !(rep >= 0 && rep <= 100) || dem + rep <= 0) return false;
    const start = dayNumber(r.startdate);
    const end = dayNumber(r.enddate);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return false;
    const mid = start + (end - start) / 2;
    return mid <= last && mid >= first;
  }).length;
}

/** The day `days` before the ISO date `date`, as an ISO date. */
function daysBefore(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

async function mapTiles(page) {
  return page.$$eval('[data-testid=map] [data-state]', (gs) =>
    gs.map((g) => ({ state: g.dataset.state, win: g.dataset.win, reason: g.getAttribute('data-reason') })));
}


/** The map's tiles against the results table's rows of the model and date it shows. */
async function checkMapAgainstTable(page) {
  const model = await page.getByTestId('map-model').inputValue();
  const date = await page.getByTestId('ec-headline').getAttribute('data-date');
  const rows = (await resultRows(page)).filter((r) => r.model === model && r.date === date);
  assert.ok(model && date, `map shows model ${model} on ${date}`);
  const byState = new Map(rows.map((r) => [r.state, r.win]));
  const tiles = await mapTiles(page);
  assert.equal(tiles.length, 51, '51 tiles');
  assert.equal(new Set(tiles.map((t) => t.state)).size, 51, 'one tile per state and DC');
  for (const tile of tiles) {
    if (byState.has(tile.state)) {
      assert.equal(tile.win, byState.get(tile.state), `data-win of ${tile.state} (${model}, ${date})`);
    } else {
      assert.equal(tile.win, '', `${tile.state} has no row, so a grey tile`);
      assert.ok(tile.reason, `grey ${tile.state} says why`);
    }
  }
  return { model, date, rows, tiles };
}

async function statePolls(page) {
  return page.locator('[data-testid=state-chart] [data-poll]').count();
}

test('charts after a 4-date run: FL polls, map = table, downloads, map click, SVGs, screenshots', async () => {
  await withApp(async (page) => {
    await setFields(page, { dates: 4 });
    assert.equal(await runAndWait(page), 'done');
    await page.getByTestId('charts').waitFor();
    const rows = await resultRows(page);
    const lastDate = rows.map((r) => r.date).sort().at(-1);
    assert.equal(lastDate, '2016-11-07');

    // (a) The state chart shows Florida by default: the campaign (from a month before the
    // first forecast date) at first, then, asked for, one point per poll up to the last date.
    assert.equal(await page.getByTestId('state-select').inputValue(), 'FL');
    const firstDate = rows.map((r) => r.date).sort()[0];
    const campaign = floridaPollsUpTo(lastDate, daysBefore(firstDate, 30));
    assert.equal(await statePolls(page), campaign, 'poll points of FL in the campaign');
    assert.match(await page.getByTestId('state-chart').textContent(), /earlier not shown/);
    await page.getByTestId('state-all-polls').check();
    const expected = floridaPollsUpTo(lastDate);
    assert.ok(expected > campaign && expected > 100, `Florida polls in the file: ${expected}`);
    assert.equal(await statePolls(page), expected, 'poll points of FL');
    assert.equal(await page.locator('[data-testid=state-chart] circle[data-poll]').count(), expected);
    const models = await page.$$eval('[data-testid=state-chart] g.fc-series', (gs) => gs.map((g) => g.dataset.model).sort());
    assert.deepEqual(models, ['hierarchical_bayes', 'improved_kalman', 'kalman_diffusion', 'poll_average']);
    assert.match(await page.locator('[data-testid=state-chart] > title').textContent(), /Florida/);
    const firstPoll = await page.locator('[data-testid=state-chart] [data-poll] title').first().textContent();
    assert.match(firstPoll, /n = \d+/, `a poll's title: ${firstPoll}`);

    // The selector changes the state: Pennsylvania's count differs from Florida's.
    await page.getByTestId('state-select').selectOption('PA');
    await page.waitForFunction(() => /Pennsylvania/.test(document.querySelector('[data-testid=state-chart] > title')?.textContent ?? ''));
    assert.notEqual(await statePolls(page), expected);
    await page.getByTestId('state-select').selectOption('FL');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=state-chart] [data-poll]').length === n, expected);

    // (b) The map equals the table for the default model and date, and after changing both.
    const shown = await checkMapAgainstTable(page);
    assert.equal(shown.model, 'hierarchical_bayes');
    assert.equal(shown.date, lastDate);
    assert.equal(shown.rows.length, 51, 'every state has a row on the last date');
    await page.getByTestId('map-model').selectOption('poll_average');
    await page.getByTestId('map-date').selectOption({ index: 0 });
    const changed = await checkMapAgainstTable(page);
    assert.equal(changed.model, 'poll_average');
    assert.equal(changed.date, firstDate);
    assert.notDeepEqual(changed.tiles.map((t) => t.win), shown.tiles.map((t) => t.win), 'the colours follow the choice');

    // (e) A map tile and a table cell pick the state chart's state.
    await page.locator('[data-testid=map] [data-state=PA]').click();
    assert.equal(await page.getByTestId('state-select').inputValue(), 'PA');
    assert.match(await page.locator('[data-testid=state-chart] > title').textContent(), /Pennsylvania/);
    assert.equal(await page.locator('[data-testid=map] [data-state=PA]').getAttribute('aria-pressed'), 'true');
    await page.locator('[data-testid=map] [data-state=OH]').press('Enter');
    assert.equal(await page.getByTestId('state-select').inputValue(), 'OH');
    await page.locator('[data-testid=results] tbody button[data-pick=MI]').first().click();
    assert.equal(await page.getByTestId('state-select').inputValue(), 'MI');
    assert.match(await page.locator('[data-testid=state-chart] > title').textContent(), /Michigan/);
    // One tile pressed, the chosen one, outlined; the tab stop on it once focused.
    const pressed = () => page.$$eval('[data-testid=map] [aria-pressed=true]', (gs) => gs.map((g) => g.dataset.state));
    await page.waitForFunction(() => document.querySelector('[data-testid=map] [data-state=MI]')?.getAttribute('aria-pressed') === 'true');
    assert.deepEqual(await pressed(), ['MI']);
    assert.equal(await page.locator('[data-testid=map] .fc-selected').count(), 1);
    await page.locator('[data-testid=map] [data-state=OH]').focus();
    assert.deepEqual(await page.$$eval('[data-testid=map] [tabindex="0"]', (gs) => gs.map((g) => g.dataset.state)), ['OH']);
    await page.getByTestId('state-select').selectOption('FL');
    await page.waitForFunction(() => document.querySelector('[data-testid=map] [data-state=FL]')?.getAttribute('aria-pressed') === 'true');
    assert.deepEqual(await pressed(), ['FL']);

    // (c) The predictions CSV is the table; the scores CSV the scores table.
    const predictions = await download(page, 'download-predictions');
    assert.equal(predictions.name, 'forecasts.csv');
    assert.equal(predictions.text.split('\n')[0],
      'model,state,forecast_date,win_probability,predicted_margin,margin_std,actual_margin');
    const csvRows = csvObjects(predictions.text);
    assert.equal(csvRows.length, rows.length, 'as many CSV rows as table rows');
    const table = new Map(rows.map((r) => [`${r.model}|${r.state}|${r.date}`, r]));
    assert.equal(table.size, rows.length);
    const seen = new Set();
    for (const c of csvRows) {
      const key = `${c.model}|${c.state}|${c.forecast_date}`;
      const r = table.get(key);
      assert.ok(r, `CSV row ${key} is in the table`);
      seen.add(key);
      assert.equal(Number(c.win_probability), Number(r.win), `win of ${key}`);
      assert.equal(Number(c.predicted_margin), Number(r.margin), `margin of ${key}`);
      assert.equal(Number(c.margin_std), Number(r.std), `std of ${key}`);
      assert.equal(Number(c.actual_margin), Number(r.actual), `actual of ${key}`);
    }
    assert.equal(seen.size, rows.length, 'every table row is in the CSV');

    const scores = await download(page, 'download-scores');
    assert.equal(scores.name, 'scores.csv');
    const scoreRows = csvObjects(scores.text);
    const scoreTable = await page.$$eval('[data-testid=scores] tbody tr', (trs) => trs.map((tr) => ({ ...tr.dataset })));
    assert.equal(scoreRows.length, scoreTable.length);
    assert.equal(scoreRows.length, 16);
    for (const [i, s] of scoreTable.entries()) {
      const c = scoreRows[i];
      assert.deepEqual(
        [c.model, c.forecast_date, Number(c.brier), Number(c.log_loss), Number(c.mae)],
        [s.model, s.date, Number(s.brier), Number(s.logLoss), Number(s.mae)],
        `scores row ${i}`,
      );
    }

    // The scores and calibration charts: a line per model, bins with counts.
    const scoreLines = await page.$$eval('[data-testid=scores-chart] [data-metric] path[data-model]', (ps) =>
      [...new Set(ps.map((p) => p.dataset.model))].sort());
    assert.deepEqual(scoreLines, ['hierarchical_bayes', 'improved_kalman', 'kalman_diffusion', 'poll_average']);
    const binCounts = await page.$$eval('[data-testid=calibration-chart] [data-count]', (cs) =>
      cs.reduce((sum, c) => sum + Number(c.dataset.count), 0));
    assert.equal(binCounts, rows.length, 'every forecast falls in one calibration bin');

    // (f) Each chart downloads as an SVG that parses, with what the page shows.
    for (const [testid, chart] of [
      ['download-state-svg', 'state-chart'],
      ['download-map-svg', 'map'],
      ['download-scores-svg', 'scores-chart'],
      ['download-calibration-svg', 'calibration-chart'],
    ]) {
      const svg = await download(page, testid);
      assert.match(svg.name, /\.svg$/);
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        const root = doc.documentElement;
        return {
          error: doc.getElementsByTagName('parsererror').length,
          root: root.localName,
          ns: root.namespaceURI,
          testid: root.getAttribute('data-testid'),
          polls: doc.querySelectorAll('[data-poll]').length,
          tiles: doc.querySelectorAll('[data-state]').length,
          title: root.querySelector('title')?.textContent ?? '',
        };
      }, svg.text);
      assert.equal(parsed.error, 0, `${testid} parses`);
      assert.equal(parsed.root, 'svg');
      assert.equal(parsed.ns, 'http://www.w3.org/2000/svg');
      assert.equal(parsed.testid, chart);
      assert.ok(parsed.title.length > 0, `${testid} has a title`);
      if (chart === 'state-chart') assert.equal(parsed.polls, expected);
      if (chart === 'map') assert.equal(parsed.tiles, 51);
    }

    // Screenshots of the charts section at a laptop and a phone width.
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(200);
      await page.getByTestId('charts').screenshot({ path: join(SCREENSHOTS, `charts-${width}.png`) });
      const fit = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth - innerWidth,
        charts: [...document.querySelectorAll('.chart-scroll')].map((e) => e.scrollWidth - e.clientWidth),
      }));
      assert.ok(fit.page <= 0, `the page is no wider than ${width} px (by ${fit.page})`);
      assert.ok(fit.charts.every((d) => d <= 0), `charts fit their columns at ${width} px: ${fit.charts}`);
    }
    await page.locator('.state-chart').screenshot({ path: join(SCREENSHOTS, 'state-chart-390.png') });
  });
});

test('a pollster named like HTML shows as text in the state chart', async () => {
  await withApp(async (page) => {
    const lines = ['state,start_date,end_date,pollster,sample_size,dem,rep'];
    const isoDay = (offset) => new Date(Date.UTC(2016, 8, 1 + offset)).toISOString().slice(0, 10);
    for (let i = 0; i < 14; i++) {
      // CSV quoting: the name has no comma or quote, but a file may quote any field.
      const pollster = i === 5 ? `"${EVIL}"` : `"Pollster ${i % 3}, Inc."`;
      lines.push(`Ohio,${isoDay(i * 4)},${isoDay(i * 4 + 2)},${pollster},${700 + i},${45 + (i % 3)},${44 + (i % 4)}`);
    }
    // A poll on election day (Nov 8), after the last forecast date (Nov 7): used, not
    // drawn. One that ends after election day belongs to no campaign of 2016: skipped.
    lines.push('Ohio,2016-11-08,2016-11-08,Late Pollster,800,44,47');
    lines.push('Ohio,2016-11-06,2016-11-10,Late Pollster,900,46,45');
    await page.getByTestId('polls-file').setInputFiles({
      name: 'evil.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n'),
    });
    await page.waitForFunction(() => /evil\.csv/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? ''));
    assert.equal(Number(await page.getByTestId('polls-report').getAttribute('data-used')), 15);
    await setFields(page, { dates: 4 });
    assert.equal(await runAndWait(page), 'done');
    await page.getByTestId('charts').waitFor();

    // Ohio is the only state run: the selector's default, and the map's only coloured tile.
    const options = await page.getByTestId('state-select').locator('option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(options, ['OH']);
    await page.getByTestId('state-select').selectOption('OH');
    const tiles = await mapTiles(page);
    assert.equal(tiles.length, 51);
    assert.deepEqual(tiles.filter((t) => t.win !== '').map((t) => t.state), ['OH']);
    assert.ok(tiles.filter((t) => t.win === '').every((t) => /no polls/.test(t.reason)), 'grey tiles say why');

    assert.equal((await resultRows(page)).map((r) => r.date).sort().at(-1), '2016-11-07');
    assert.equal(await statePolls(page), 14, 'the 14 polls up to Nov 7, not the one after it');
    const titlesAll = await page.locator('[data-testid=state-chart] [data-poll] title').allTextContents();
    assert.ok(!titlesAll.some((t) => t.includes('Late Pollster')));
    const titles = await page.locator('[data-testid=state-chart] [data-poll] title').allTextContents();
    assert.equal(titles.filter((t) => t.includes(EVIL)).length, 1, `the name as text: ${titles.join(' | ')}`);
    // Hovering shows it as text in the chart too.
    const evilIndex = titles.findIndex((t) => t.includes(EVIL));
    await page.locator(`[data-testid=state-chart] [data-poll="${evilIndex}"]`).hover();
    assert.match(await page.locator('.fc-chart-wrap[data-chart=state-chart] .fc-detail').textContent(), /<img src=x onerror=alert\(1\)>/);
    assert.equal(await page.locator('img').count(), 0, 'no img element in the page');
    // The polls (one string of markup) and the forecast points (elements of their own)
    // share one tab stop, which follows the focus across both.
    const stops = () => page.$$eval('[data-testid=state-chart] [tabindex="0"]', (els) =>
      els.map((e) => (e.dataset.poll !== undefined ? `poll ${e.dataset.poll}` : e.getAttribute('class'))));
    assert.deepEqual(await stops(), ['poll 0']);
    await page.locator('[data-testid=state-chart] [data-poll="0"]').focus();
    await page.keyboard.press('End');
    assert.deepEqual(await stops(), ['fc-forecast-point'], 'the last item, a forecast point, is the tab stop');
    await page.keyboard.press('Home');
    assert.deepEqual(await stops(), ['poll 0']);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.poll), '1');
    assert.deepEqual(await stops(), ['poll 1']);
    await page.waitForTimeout(300);
  });
});

test('with the daily grid (~14,000 rows) the charts draw smooth lines and switching state stays quick', async () => {
  await withApp(async (page) => {
    await setFields(page, { dates: 'daily', sims: 500 });
    assert.equal(await runAndWait(page), 'done');
    await page.getByTestId('charts').waitFor();
    const rows = await resultRows(page);
    assert.ok(rows.length > 10_000, `rows: ${rows.length}`);
    const lastDate = rows.map((r) => r.date).sort().at(-1);
    await page.getByTestId('state-all-polls').check();
    assert.equal(await statePolls(page), floridaPollsUpTo(lastDate), 'FL poll points with the daily grid');
    const line = await page.locator('[data-testid=state-chart] g.fc-series path').first().getAttribute('d');
    assert.match(line, /C/, 'a smooth curve through the daily forecasts');
    assert.equal(await page.getByTestId('map-date').locator('option').count(), new Set(rows.map((r) => r.date)).size);
    await checkMapAgainstTable(page);

    // Switching the state redraws in well under a second, without holding the page.
    for (const code of ['OH', 'PA', 'NC']) {
      const took = await page.evaluate(async (code) => {
        const select = document.querySelector('[data-testid=state-select]');
        const t0 = performance.now();
        select.value = code;
        select.dispatchEvent(new Event('change', { bubbles: true }));
        await new Promise((resolve) => {
          const check = () => (document.querySelector('[data-testid=state-chart] > title')?.textContent.includes(`(${code})`)
            ? resolve() : requestAnimationFrame(check));
          check();
        });
        return performance.now() - t0;
      }, code);
      assert.ok(took < 1000, `the chart of ${code} took ${took.toFixed(0)} ms`);
    }
    // And the map's date: the last but one.
    const t0 = Date.now();
    const dates = await page.getByTestId('map-date').locator('option').count();
    await page.getByTestId('map-date').selectOption({ index: dates - 2 });
    await checkMapAgainstTable(page);
    assert.ok(Date.now() - t0 < 5000);
  });
});
