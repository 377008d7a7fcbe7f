// The presidency on the page: the headline, the electoral-vote charts, the snake, the
// tipping points, what-if pins, the electoral college's settings and files (equal to
// the command line's), an election without results; screenshots at laptop and phone width
// go to tests/screenshots/ for a look.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser, openApp, setFields, runAndWait, resultRows } from './helpers.mjs';
import { polls2024Csv } from './fixtures.mjs';

const APP_URL = process.env.APP_URL;
if (!APP_URL) throw new Error('APP_URL is not set: run scripts/test-browser.sh');
const CLI = process.env.FORECAST_CLI;
if (!CLI) throw new Error('FORECAST_CLI is not set: run scripts/test-browser.sh');

const HERE = dirname(fileURLToPath(import.meta.url));
const SCREENSHOTS = join(HERE, 'screenshots');
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function withApp(fn, viewport = LAPTOP) {
  const page = await openApp(browser.context, APP_URL);
  await page.setViewportSize(viewport);
  try {
    await fn(page);
    assert.deepEqual(page.problems, [], 'no errors in the page');
  } finally {
    await page.close();
  }
}

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

async function headline(page) {
  return page.getByTestId('ec-headline').evaluate((el) => ({
    demWin: Number(el.dataset.demWin),
    repWin: Number(el.dataset.repWin),
    evP50: Number(el.dataset.evP50),
    model: el.dataset.model,
    date: el.dataset.date,
    text: el.textContent,
  }));
}

/** Whether the element's box lies inside the viewport. */
async function inView(page, testid) {
  return page.getByTestId(testid).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
  });
}

async function snake(page) {
  return page.$$eval('[data-testid=snake-chart] g.fc-segment[data-state]', (gs) =>
    gs.map((g) => ({ state: g.dataset.state, win: Number(g.dataset.win), votes: Number(g.dataset.votes), pin: g.dataset.pin ?? '' })));
}

/** Waits until the headline's what-if has caught up with the pins (or has none). */
async function settledMatching(page) {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid=ec-matching]');
    const pinned = [...document.querySelectorAll('button.pin')].some((b) => b.dataset.pin);
    return el && (pinned ? el.dataset.count !== '' : el.dataset.count === '');
  });
  return page.getByTestId('ec-matching').evaluate((el) => ({ count: el.dataset.count === '' ? null : Number(el.dataset.count), text: el.textContent }));
}

test('after a run the headline answers first, in view on a laptop and on a phone', async () => {
  for (const [name, viewport] of [['laptop', LAPTOP], ['phone', PHONE]]) {
    await withApp(async (page) => {
      assert.match(await page.getByTestId('ec-headline').textContent(), /Press Run/);
      assert.equal(await runAndWait(page), 'done');
      await page.evaluate(() => scrollTo(0, 0));
      const h = await headline(page);
      assert.equal(h.model, 'hierarchical_bayes');
      assert.equal(h.date, '2016-11-07', 'the latest date by default');
      assert.ok(h.demWin > 0 && h.demWin < 1 && h.repWin > 0 && h.repWin < 1, JSON.stringify(h));
      assert.ok(h.evP50 > 0 && h.evP50 < 538);
      assert.match(h.text, /Democrat/);
      assert.match(h.text, /median/i);
      assert.match(h.text, /90% of simulations: \d+ to \d+/);
      assert.match(h.text, /Popular vote: the Democrat wins it in [\d.]+% of simulations/);
      assert.match(h.text, /Split outcomes/);
      assert.match(h.text, /Result: 233 electoral votes for the Democrat, who lost/);
      assert.equal(await inView(page, 'ec-headline'), true, `headline in view (${name})`);
      assert.equal(await page.getByTestId('setup').evaluate((d) => d.open), false, 'the setup folds away');
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `presidency-${name}.png`), fullPage: false });
      await page.screenshot({ path: join(SCREENSHOTS, `presidency-${name}-full.png`), fullPage: true });
    }, viewport);
  }
});

test('the answer is drawn a frame before the other panels, not dimmed, and stays', async () => {
  await withApp(async (page) => {
    assert.equal(await runAndWait(page), 'done');
    const old = await headline(page);
    await setFields(page, { seed: 7 });
    // What the page shows at the frame after the headline first shows the new run, and
    // once the status says the run is over.
    const seen = await page.evaluate(() => new Promise((resolve) => {
      const status = document.querySelector('[data-testid=status]');
      const answer = document.querySelector('[data-testid=ec-headline]');
      const before = Number(status.dataset.run);
      let first = null;
      const observer = new MutationObserver(() => {
        if (first === null && Number(answer.dataset.run) === before + 1) {
          first = new Promise((done) => requestAnimationFrame(() => done({
            status: status.textContent.trim(),
            dimmed: answer.classList.contains('stale'),
            demWin: answer.dataset.demWin,
          })));
        }
        if (first !== null && Number(status.dataset.run) === before + 1 && status.textContent.trim() !== 'running') {
          observer.disconnect();
          const end = { status: status.textContent.trim(), demWin: answer.dataset.demWin };
          first.then((first) => resolve({ first, end }));
        }
      });
      observer.observe(document.body, { attributes: true, childList: true, characterData: true, subtree: true });
      document.querySelector('[data-testid=run]').click();
    }));
    assert.equal(seen.first.status, 'running', 'the answer comes before the other panels');
    assert.equal(seen.first.dimmed, false, 'the new answer is not dimmed');
    assert.equal(seen.end.status, 'done');
    assert.equal(seen.first.demWin, seen.end.demWin, 'the same answer once every panel is drawn');
    assert.notEqual(Number(seen.end.demWin), old.demWin, 'a new seed gives a new answer');
  });
});

test('electoral-vote histogram, over the campaign, snake, tipping points', async () => {
  await withApp(async (page) => {
    await setFields(page, { dates: 16 });
    assert.equal(await runAndWait(page), 'done');
    const h = await headline(page);
    // Histogram: shares sum to 1; bars on both sides of 270 coloured by winner.
    const bars = await page.$$eval('[data-testid=ec-histogram] [data-ev]', (rs) =>
      rs.map((r) => ({ ev: Number(r.dataset.ev), p: Number(r.dataset.p), fill: r.getAttribute('fill') })));
    assert.ok(bars.length > 20, `${bars.length} bars`);
    const sum = bars.reduce((s, b) => s + b.p, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `shares sum to ${sum}`);
    const dem = new Set(bars.filter((b) => b.ev >= 270).map((b) => b.fill));
    const rep = new Set(bars.filter((b) => b.ev < 269).map((b) => b.fill));
    assert.equal(dem.size, 1);
    assert.equal(rep.size, 1);
    assert.notDeepEqual([...dem], [...rep]);
    // The median read off the bars is the headline's.
    let cum = 0;
    const median = bars.sort((a, b) => a.ev - b.ev).find((b) => (cum += b.p) >= 0.5 - 1e-12).ev;
    assert.equal(median, h.evP50);
    assert.match(await page.getByTestId('ec-histogram').textContent(), /270 to win/);
    assert.match(await page.getByTestId('ec-histogram').textContent(), /233/);
    // The bars are drawn from one string of markup and answer the pointer and the keyboard
    // through their chart: a bar's column shows its share, the arrows move the one tab stop.
    const details = () => page.locator('[data-chart=ec-histogram] [data-testid=chart-details]').textContent();
    const hovered = bars[Math.floor(bars.length / 2)];
    await page.locator(`[data-testid=ec-histogram] [data-fc-hover="${bars.indexOf(hovered)}"]`).hover({ force: true });
    assert.match(await details(), new RegExp(`^${hovered.ev} electoral votes: `));
    await page.mouse.move(0, 0);
    const stops = () => page.$$eval('[data-testid=ec-histogram] [data-fc-item]', (rs) =>
      rs.filter((r) => r.getAttribute('tabindex') === '0').map((r) => Number(r.dataset.ev)));
    assert.deepEqual(await stops(), [bars[0].ev], 'the first bar takes Tab');
    await page.locator('[data-testid=ec-histogram] [data-fc-item="0"]').focus();
    await page.keyboard.press('ArrowRight');
    const focused = await page.evaluate(() => Number(document.activeElement.dataset.ev));
    assert.equal(focused, bars[1].ev, 'the right arrow moves to the next bar');
    assert.deepEqual(await stops(), [bars[1].ev], 'and the tab stop with it');
    assert.match(await details(), new RegExp(`^${bars[1].ev} electoral votes: `));
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => Number(document.activeElement.dataset.ev)), bars.at(-1).ev);
    assert.equal(await page.locator('[data-testid=ec-histogram] .fc-focus-ring').count(), 1, 'a ring around the focused bar');

    // Over the campaign: every model, 16 dates.
    const models = await page.$$eval('[data-testid=ec-over-time] [data-model]', (gs) => [...new Set(gs.map((g) => g.dataset.model))].sort());
    assert.deepEqual(models, ['hierarchical_bayes', 'improved_kalman', 'kalman_diffusion', 'poll_average']);

    // Snake: 51 states, widths of 538 votes, ordered from most Democratic.
    const units = await snake(page);
    assert.equal(units.length, 51);
    assert.equal(units.reduce((s, u) => s + u.votes, 0), 538);
    assert.match(await page.getByTestId('snake-chart').textContent(), /tipping point/i);

    // Tipping points: ten states, most likely first.
    const tipping = await page.$$eval('[data-testid=tipping-points] li', (lis) => lis.map((li) => ({ state: li.dataset.state, p: Number(li.dataset.tipping) })));
    assert.equal(tipping.length, 10);
    for (let i = 1; i < tipping.length; i++) assert.ok(tipping[i - 1].p >= tipping[i].p);
    assert.ok(tipping[0].p > 0.05, JSON.stringify(tipping[0]));

    // The scores table has the electoral college's Brier score beside the states'.
    const ecBrier = await page.$$eval('[data-testid=scores] tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.ecBrier)));
    assert.equal(ecBrier.length, 16 * 4);
    assert.ok(ecBrier.every((b) => b >= 0 && b <= 1), ecBrier.join());

    // A click on a snake state opens its chart.
    const target = tipping[0].state;
    await page.locator(`[data-testid=snake-chart] g.fc-segment[data-state=${target}]`).click();
    await page.waitForFunction((s) => document.querySelector('[data-testid=state-select]').value === s, target);
    // It is the one snake state pressed (outlined), and a state too narrow for its code
    // shows the code below the row while pointed at.
    await page.waitForFunction((s) => document.querySelector(`[data-testid=snake-chart] [data-state=${s}]`)?.getAttribute('aria-pressed') === 'true', target);
    const pressed = await page.$$eval('[data-testid=snake-chart] [aria-pressed=true]', (gs) => gs.map((g) => g.dataset.state));
    assert.deepEqual(pressed, [target]);
    assert.equal(await page.locator('[data-testid=snake-chart] .fc-selected').count(), 1);
    const narrow = await page.$$eval('[data-testid=snake-chart] g.fc-segment', (gs) =>
      gs.filter((g) => !g.querySelector('text')).map((g) => g.dataset.state));
    assert.ok(narrow.includes('DC'), `narrow: ${narrow.join()}`);
    assert.equal(await page.locator('[data-testid=snake-chart] .fc-code-below').count(), 0);
    await page.locator('[data-testid=snake-chart] g.fc-segment[data-state=DC] rect').hover({ force: true });
    assert.equal(await page.locator('[data-testid=snake-chart] .fc-code-below').textContent(), 'DC');
    await page.mouse.move(0, 0);
    assert.equal(await page.locator('[data-testid=snake-chart] .fc-code-below').count(), 0);
  });
});

test('the run finds the shown date\'s tipping points, the other dates\' follow on the pool', async () => {
  await withApp(async (page) => {
    await setFields(page, { dates: 16 });
    assert.equal(await runAndWait(page), 'done');
    // The shown (latest) date's are there with the answer.
    assert.equal(await page.locator('[data-testid=tipping-points] li').count(), 10);
    // The others are found after it: the summary says when, the states' file waits for them.
    await page.waitForFunction(() => document.querySelector('[data-testid=run-summary]')?.dataset.tippingMs !== '');
    const ms = Number(await page.getByTestId('run-summary').getAttribute('data-tipping-ms'));
    assert.ok(ms > 0 && ms < 60_000, `tipping points found ${ms} ms after the run`);
    assert.equal(await page.getByTestId('download-electoral-states').isDisabled(), false);
    assert.equal(await page.getByTestId('download-all').isDisabled(), false);
    // Any other date shows its own, with no wait.
    const dates = await page.$$eval('[data-testid=map-date] option', (os) => os.map((o) => o.value));
    assert.equal(dates.length, 16);
    const latest = await page.$$eval('[data-testid=tipping-points] li', (lis) => lis.map((li) => li.dataset.tipping).join());
    await page.getByTestId('map-date').selectOption(dates[0]);
    await page.waitForFunction((d) => document.querySelector('[data-testid=ec-headline]')?.dataset.date === d, dates[0]);
    assert.equal(await page.getByTestId('tipping-pending').count(), 0);
    const first = await page.$$eval('[data-testid=tipping-points] li', (lis) => lis.map((li) => Number(li.dataset.tipping)));
    assert.equal(first.length, 10);
    assert.ok(first.every((p) => p > 0), first.join());
    assert.notEqual(first.join(), latest, 'another date, other chances');
  });
});

test('a run that cannot start leaves the tipping points of the results shown to be found', async () => {
  await withApp(async (page) => {
    await setFields(page, { dates: 'daily' });
    const before = await page.getByTestId('status').evaluate((el) => Number(el.dataset.run));
    await page.getByTestId('run').click();
    // A seed that is not a number, typed while the run goes: the next run cannot start.
    await setFields(page, { seed: 'not a seed' });
    // Run again the moment the run is done, before the other dates' tipping points are
    // found (their search starts once the results are drawn).
    const tipping = await page.evaluate((b) => new Promise((resolve) => {
      const status = document.querySelector('[data-testid=status]');
      const check = () => {
        if (Number(status.dataset.run) !== b + 1 || status.textContent.trim() !== 'done') return;
        observer.disconnect();
        const ms = document.querySelector('[data-testid=run-summary]')?.dataset.tippingMs;
        document.querySelector('[data-testid=run]').click();
        resolve(ms);
      };
      const observer = new MutationObserver(check);
      observer.observe(status, { attributes: true, childList: true, characterData: true, subtree: true });
      check();
    }), before);
    assert.equal(tipping, '', 'being found when the next run was asked for');
    await page.waitForFunction((b) => {
      const el = document.querySelector('[data-testid=status]');
      return Number(el.dataset.run) === b + 2 && el.textContent.trim() === 'error';
    }, before);
    // They are found all the same, for the results still shown.
    await page.waitForFunction(() => document.querySelector('[data-testid=run-summary]')?.dataset.tippingMs !== '');
    assert.equal(await page.getByTestId('download-electoral-states').isDisabled(), false);
  });
});

test('what-if pins: a safe state barely moves the answer, the other way moves it; clear all', async () => {
  await withApp(async (page) => {
    assert.equal(await runAndWait(page), 'done');
    const before = await headline(page);
    const units = await snake(page);
    // A state the model gives 96-99 % to one party, so that the other way still matches a
    // few hundred simulations.
    const safe = units
      .map((u) => ({ ...u, side: u.win > 0.5 ? 'D' : 'R', own: Math.max(u.win, 1 - u.win) }))
      .filter((u) => u.own >= 0.96 && u.own <= 0.99)
      .sort((a, b) => b.votes - a.votes)[0];
    assert.ok(safe, 'a safe state');
    const pin = page.getByTestId(`pin-${safe.state}`);
    assert.equal(await pin.getAttribute('data-pin'), '');
    const clicksTo = (party) => (party === 'D' ? 1 : 2);
    // Its own party.
    for (let i = 0; i < clicksTo(safe.side); i++) await pin.click();
    assert.equal(await pin.getAttribute('data-pin'), safe.side);
    let matching = await settledMatching(page);
    assert.ok(Math.abs(matching.count / 20000 - safe.own) < 0.003, `${matching.count} match, ${safe.own}`);
    await page.waitForFunction(() => document.querySelector('[data-testid=ec-given]'));
    const own = await headline(page);
    assert.ok(Math.abs(own.demWin - before.demWin) < 0.02, `${before.demWin} -> ${own.demWin}`);
    assert.match(await page.getByTestId('ec-headline').textContent(), /What-if/);
    // The other way.
    await page.getByTestId('pins-clear').click();
    await settledMatching(page);
    const other = safe.side === 'D' ? 'R' : 'D';
    for (let i = 0; i < clicksTo(other); i++) await pin.click();
    assert.equal(await pin.getAttribute('data-pin'), other);
    matching = await settledMatching(page);
    assert.ok(Math.abs(matching.count / 20000 - (1 - safe.own)) < 0.003, `${matching.count} match`);
    assert.match(matching.text, new RegExp(`${matching.count.toLocaleString('en-US')} of 20,000 simulations match`));
    const flipped = await headline(page);
    const moved = other === 'R' ? before.demWin - flipped.demWin : flipped.demWin - before.demWin;
    assert.ok(moved > 0.05, `${before.demWin} -> ${flipped.demWin}`);
    // The snake marks the pin.
    const pinned = (await snake(page)).find((u) => u.state === safe.state);
    assert.equal(pinned.pin, other);
    // Clear all.
    await page.getByTestId('pins-clear').click();
    matching = await settledMatching(page);
    assert.equal(matching.count, null);
    assert.equal((await headline(page)).demWin, before.demWin);
  });
});

test('the electoral settings run, and the files equal the command line\'s', async () => {
  await withApp(async (page) => {
    assert.equal(await page.getByTestId('ec-national').evaluate((el) => [el.type, el.min, el.max, el.value].join()), 'range,0,1,0.5');
    assert.equal(await page.getByTestId('ec-structure').inputValue(), 'historical');
    assert.equal(await page.getByTestId('ec-sims').inputValue(), '20000');
    assert.equal(await runAndWait(page), 'done');
    const out = mkdtempSync(join(tmpdir(), 'forecast-cli-'));
    try {
      execFileSync(CLI, ['--out', out], { stdio: 'pipe' });
      for (const [testid, file] of [
        ['download-electoral', 'electoral.csv'],
        ['download-electoral-votes', 'electoral_votes.csv'],
        ['download-electoral-states', 'electoral_states.csv'],
      ]) {
        const got = await download(page, testid);
        assert.equal(got.name, file);
        assert.ok(got.text === readFileSync(join(out, file), 'utf8'), `${file} equals the CLI's`);
      }
      // Other settings: the same as the CLI with the same flags.
      await setFields(page, { 'ec-sims': 5000 });
      await page.getByTestId('ec-national').fill('0.3');
      await page.getByTestId('ec-structure').selectOption('none');
      assert.equal(await runAndWait(page), 'done');
      assert.match(await page.getByTestId('ec-headline').textContent(), /5,000 simulations/);
      execFileSync(CLI, ['--out', out, '--ec-sims', '5000', '--ec-national', '0.3', '--ec-structure', 'none'], { stdio: 'pipe' });
      const got = await download(page, 'download-electoral');
      assert.ok(got.text === readFileSync(join(out, 'electoral.csv'), 'utf8'), 'electoral.csv with other settings');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

test('an election without results: the headline answers, scores say results are not in', async () => {
  await withApp(async (page) => {
    const { csv } = polls2024Csv();
    await page.getByTestId('polls-file').setInputFiles({ name: 'polls-2024.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => /polls-2024\.csv/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? ''));
    await setFields(page, { 'min-polls': 5 });
    assert.equal(await runAndWait(page), 'done');
    const h = await headline(page);
    assert.equal(h.date, '2024-11-04');
    assert.ok(h.demWin > 0 && h.demWin < 1);
    assert.doesNotMatch(h.text, /Result:/);
    assert.match(await page.getByTestId('no-results').first().textContent(), /No state has a 2024 result yet/);
    const actual = (await resultRows(page)).map((r) => r.actual);
    assert.ok(actual.length > 0 && actual.every((a) => a === ''));
  });
});
