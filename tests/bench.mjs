// Times the page in Chromium:
//   1. runs of the 4-date, 16-date and daily grids, the state forecasts alone, with 1 and 2
//      workers taking turns (run-summary's data-ms, measured on the pool): the speed-up;
//   2. the same grids with the electoral college (2 workers, 20,000 simulations, a new
//      seed each run so that each draws its simulations);
//   3. from a click on Run to the answer drawn (4-date grid, electoral college): the click,
//      the run, the page's update and the frame that shows it; runs with a new seed (new
//      simulations) and runs again with another N (reusing the simulations before); then
//      the engine's end to every panel drawn for the daily grid;
//   4. from a click on a pin to its what-if drawn;
//   5. the first load, from navigation to Run enabled, nothing cached: a first visit from
//      a running browser (a new context) and a browser started for the load (a new
//      profile), taking turns; with the module's size.
// Part 3 also gives the time from the engine's end to the results drawn (run-summary's
// data-drawn-ms), and the page thread's busy time from the click to every panel drawn
// (the browser's TaskDuration metric). Prints medians and the fastest of a few runs each.
//   node tests/bench.mjs [--runs 15] [--parts 1,2,3,4,5]      (after a release build: scripts/test-browser.sh or
//                                         CARGO_UNSTABLE_BUILD_STD=panic_abort,std trunk build --release)
import { startServer } from './static-server.mjs';
import { chromium } from 'playwright-core';
import { BROWSER, launchBrowser, openApp, openSetup, setFields, setWorkers, runAndWait, summary, median } from './helpers.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 15;
// `--parts 1,3`: only those parts.
const partsAt = args.indexOf('--parts');
const PARTS = new Set((partsAt >= 0 ? args[partsAt + 1] : '1,2,3,4,5').split(',').map(Number));
const GRIDS = [['4', '4-date'], ['16', '16-date'], ['daily', 'daily']];

/** Lets the page finish drawing the last run's table and charts (an idle callback, then a
 * pause), so that its thread does not share the two cores with the next run's workers. */
function settle(page) {
  return page.evaluate(
    () => new Promise((done) => requestIdleCallback(() => setTimeout(done, 300), { timeout: 10_000 })),
  );
}

async function setElectoral(page, on) {
  await openSetup(page);
  const box = page.getByTestId('ec-on');
  if ((await box.isChecked()) !== on) await box.click();
}

const stats = (t) => `${median(t).toFixed(1)} ms (${Math.min(...t).toFixed(1)})`;

const { loadavg } = await import('node:os');
const busy = () => loadavg()[0].toFixed(2);
console.log(`load average before: ${busy()} (other work on the machine skews the numbers)`);
const { server, url } = await startServer({ root: 'dist', headers: true });
const browser = await launchBrowser();
try {
  const page = await openApp(browser.context, url);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const workerCounts = [1, 2].filter((w) => w <= cores);
  console.log(`Chromium, ${cores} hardware threads; ${RUNS} runs after one warm-up; N 2000, seed 42, all models`);
  console.log('Each time: median (fastest); speed-up: of the medians (of the fastest)\n');

  if (PARTS.has(1)) {
  console.log('1. The state forecasts alone');
  console.log('| grid | cells | ' + workerCounts.map((w) => `${w} worker${w > 1 ? 's' : ''}`).join(' | ') + ' | speed-up |');
  console.log('| --- | ---: | ' + workerCounts.map(() => '---:').join(' | ') + ' | ---: |');
  await setElectoral(page, false);
  for (const [dates, name] of GRIDS) {
    await setFields(page, { dates });
    // 1 and 2 workers take turns, so that the machine's drift over the minute weighs on both.
    const times = workerCounts.map(() => []);
    let cells = 0;
    for (let i = -1; i < RUNS; i++) {
      for (const [k, workers] of workerCounts.entries()) {
        await setWorkers(page, workers);
        await settle(page);
        const status = await runAndWait(page, { quiet: true });
        if (status !== 'done') throw new Error(`run ended ${status}`);
        if (i < 0) continue; // warm-up
        const s = await summary(page);
        if (s.threads !== workers) console.error(`note: ${workers} workers asked, ${s.threads} threads ran cells`);
        cells = s.cells;
        times[k].push(s.ms);
      }
    }
    const medians = times.map(median);
    const fastest = times.map((t) => Math.min(...t));
    const speedup =
      medians.length > 1
        ? `${(medians[0] / medians[1]).toFixed(2)}x (${(fastest[0] / fastest[1]).toFixed(2)}x)`
        : '–';
    console.log(`| ${name} | ${cells} | ${times.map(stats).join(' | ')} | ${speedup} |`);
  }

  }

  const workers = workerCounts.at(-1);
  await setElectoral(page, true);
  await setWorkers(page, workers);
  if (PARTS.has(2)) {
  // Each run with a seed of its own draws its simulations, as the native benchmark's runs
  // do (a run again with the same seed and electoral settings reuses them).
  console.log(`\n2. With the electoral college (20,000 simulations, drawn by each run), ${workers} workers`);
  console.log('(the run finds the tipping points of the date shown; the other dates\' are found after it)');
  console.log('| grid | run | run\'s end to every tipping point found |');
  console.log('| --- | ---: | ---: |');
  for (const [dates, name] of GRIDS) {
    await setFields(page, { dates });
    const times = [];
    const rest = [];
    for (let i = -1; i < Math.min(RUNS, dates === 'daily' ? 5 : RUNS); i++) {
      await setFields(page, { seed: 1000 + i });
      await settle(page);
      if ((await runAndWait(page, { quiet: true })) !== 'done') throw new Error('run failed');
      const tipping = await page.waitForFunction(() => {
        // Builds before the pair-first search have no such figure: -1.
        const ms = document.querySelector('[data-testid=run-summary]')?.dataset.tippingMs;
        return ms === undefined ? -1 : ms ? Number(ms) : false;
      }, null, { timeout: 60_000, polling: 50 });
      if (i >= 0) {
        times.push((await summary(page)).ms);
        rest.push(await tipping.jsonValue());
      }
    }
    console.log(`| ${name} | ${stats(times)} | ${rest.every((ms) => ms >= 0) ? stats(rest) : '–'} |`);
  }
  }

  if (PARTS.has(3) || PARTS.has(4)) {
  console.log('\n3. From a click on Run to the answer drawn (4-date grid, electoral college)');
  await setFields(page, { dates: 4, seed: 42 });
  // Runs that draw their simulations (a new seed each) take turns with runs again with
  // another N (the states' simulations), which reuse the simulations of the run before;
  // both give new results to draw.
  const clicks = { again: [], drawn: [] };
  const whole = { again: [], drawn: [] };
  const drawn = { again: [], drawn: [] };
  // The page thread's own work (the browser's task time on it), which the workers and
  // idle waits do not inflate: steadier than the times above on a busy machine.
  const busy = { again: [], drawn: [] };
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskMs = async () =>
    1000 * (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  for (let i = -1; i < 2 * RUNS; i++) {
    const kind = i % 2 === 0 ? 'again' : 'drawn';
    await setFields(page, kind === 'drawn' ? { seed: 2000 + i, sims: 2000 } : { sims: 2001 });
    await settle(page);
    const task0 = await taskMs();
    // The answer is drawn a frame before the other panels: the time to the frame after
    // the headline shows this run, and to the frame after the status says done.
    const [answer, all] = await page.evaluate(() => new Promise((resolve) => {
      const status = document.querySelector('[data-testid=status]');
      const headline = document.querySelector('[data-testid=ec-headline]');
      const before = Number(status.dataset.run);
      const t0 = performance.now();
      const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0)));
      let answer = null;
      const observer = new MutationObserver(() => {
        if (answer === null && Number(headline.dataset.run) === before + 1) answer = frame();
        if (Number(status.dataset.run) !== before + 1 || status.textContent.trim() !== 'done') return;
        observer.disconnect();
        const all = frame();
        Promise.all([answer ?? all, all]).then(resolve);
      });
      observer.observe(document.body, { attributes: true, childList: true, characterData: true, subtree: true });
      document.querySelector('[data-testid=run]').click();
    }));
    const task1 = await taskMs();
    if (i >= 0) {
      clicks[kind].push(answer);
      whole[kind].push(all);
      busy[kind].push(task1 - task0);
    }
    await page.waitForFunction(() => document.querySelector('[data-testid=run-summary]')?.dataset.drawnMs);
    if (i >= 0) drawn[kind].push(Number(await page.getByTestId('run-summary').getAttribute('data-drawn-ms')));
  }
  console.log(`click to headline, new simulations: ${stats(clicks.drawn)}`);
  console.log(`click to headline, a run again with another N: ${stats(clicks.again)}`);
  console.log(`click to every panel drawn, new simulations: ${stats(whole.drawn)}`);
  console.log(`click to every panel drawn, a run again with another N: ${stats(whole.again)}`);
  console.log(`engine's end to results drawn, new simulations: ${stats(drawn.drawn)}`);
  console.log(`engine's end to results drawn, a run again with another N: ${stats(drawn.again)}`);
  console.log(`page's thread busy from the click to every panel drawn, new simulations: ${stats(busy.drawn)}`);
  console.log(`page's thread busy from the click to every panel drawn, a run again with another N: ${stats(busy.again)}`);
  await cdp.detach();
  // The daily grid: the engine's end to every panel drawn (its ~14,000 forecast rows then
  // fill the table, after that frame).
  await setFields(page, { dates: 'daily' });
  const daily = [];
  for (let i = -1; i < Math.max(3, Math.ceil(RUNS / 2)); i++) {
    await setFields(page, { seed: 3000 + i });
    await settle(page);
    await runAndWait(page, { quiet: true });
    await page.waitForFunction(() => document.querySelector('[data-testid=run-summary]')?.dataset.drawnMs);
    if (i >= 0) daily.push(Number(await page.getByTestId('run-summary').getAttribute('data-drawn-ms')));
  }
  console.log(`engine's end to results drawn, daily grid, new simulations: ${stats(daily)}`);
  // Part 4 pins on a 4-date run.
  await setFields(page, { dates: 4, seed: 42 });
  await settle(page);
  await runAndWait(page, { quiet: true });

  console.log('\n4. From a click on a pin to its what-if drawn (4-date grid, the latest date)');
  const pins = [];
  const states = ['FL', 'PA', 'OH', 'MI', 'WI', 'NC'];
  for (let i = -1; i < RUNS; i++) {
    await settle(page);
    const state = states[(i + 1) % states.length];
    const ms = await page.evaluate((state) => new Promise((resolve) => {
      const matching = document.querySelector('[data-testid=ec-matching]');
      const before = matching.dataset.count;
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        if (matching.dataset.count === before) return;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      });
      observer.observe(matching, { attributes: true });
      document.querySelector(`[data-testid=pin-${state}]`).click();
    }), state);
    if (i >= 0) pins.push(ms);
  }
  console.log(`pin to what-if: ${stats(pins)}`);
  }
  await page.close();
  if (PARTS.has(5)) {
    const { statSync, readdirSync } = await import('node:fs');
    const wasm = readdirSync('dist').find((f) => f.endsWith('.wasm'));
    console.log(`\n5. First load to Run enabled, nothing cached (${(statSync(`dist/${wasm}`).size / 1e6).toFixed(2)} MB module)`);
    // Read by a script the page is given before its own (it logs the time Run becomes
    // enabled): waiting in Playwright instead would inject its own script into the page,
    // about 25 ms of the page's thread in the middle of the start.
    const whenReady = () => {
      if (typeof document === 'undefined') return;
      const observer = new MutationObserver(() => {
        const run = document.querySelector('[data-testid=run]');
        if (!run || run.disabled) return;
        observer.disconnect();
        console.log(`READY ${performance.now()}`);
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
    };
    const loadIn = async (context) => {
      await context.addInitScript(whenReady);
      const tab = await context.newPage();
      const ready = tab.waitForEvent('console', { predicate: (m) => m.text().startsWith('READY '), timeout: 60_000 });
      await tab.goto(url, { waitUntil: 'commit' });
      return Number((await ready).text().slice('READY '.length));
    };
    // A first visit from a running browser: a new context each time (nothing cached, no
    // service worker, no kept files), taking turns with a browser started for the load
    // (a new profile, which also pays for the browser's own first page).
    const visits = [];
    const started = [];
    const running = await chromium.launch(BROWSER);
    try {
      for (let i = -1; i < RUNS; i++) {
        const context = await running.newContext();
        try {
          const ms = await loadIn(context);
          if (i >= 0) visits.push(ms);
        } finally {
          await context.close();
        }
        const fresh = await launchBrowser();
        try {
          const ms = await loadIn(fresh.context);
          if (i >= 0) started.push(ms);
        } finally {
          await fresh.close();
        }
      }
    } finally {
      await running.close();
    }
    console.log(`navigation to Run enabled, first visit in a running browser: ${stats(visits)}`);
    console.log(`navigation to Run enabled, a browser started for the load: ${stats(started)}`);
  }
  console.log(`\nload average after: ${busy()}`);
} finally {
  await browser.close();
  server.close();
}
