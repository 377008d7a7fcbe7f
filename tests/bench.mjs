// Times runs in the browser (run-summary's data-ms, measured on the pool) for the 4-date,
// 16-date and daily grids with 1 and 2 workers; prints the median and the fastest of a few
// runs each, and the speed-up of 2 workers by both.
//   node tests/bench.mjs [--runs 15]      (after a release build: scripts/test-browser.sh or
//                                         CARGO_UNSTABLE_BUILD_STD=panic_abort,std trunk build --release)
import { startServer } from './static-server.mjs';
import { launchBrowser, openApp, setFields, setWorkers, runAndWait, summary, median } from './helpers.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 15;
const GRIDS = [['4', '4-date'], ['16', '16-date'], ['daily', 'daily']];

/** Lets the page finish drawing the last run's table and charts (an idle callback, then a
 * pause), so that its thread does not share the two cores with the next run's workers. */
function settle(page) {
  return page.evaluate(
    () => new Promise((done) => requestIdleCallback(() => setTimeout(done, 300), { timeout: 10_000 })),
  );
}

const { loadavg } = await import('node:os');
const busy = () => loadavg()[0].toFixed(2);
console.log(`load average before: ${busy()} (other work on the machine skews the numbers)`);
const { server, url } = await startServer({ root: 'dist', headers: true });
const browser = await launchBrowser();
try {
  const page = await openApp(browser.context, url);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const workerCounts = [1, 2].filter((w) => w <= cores);
  console.log(`Chromium, ${cores} hardware threads; ${RUNS} runs after one warm-up, 1 and 2 workers in turn; N 2000, seed 42, all models`);
  console.log('Each time: median (fastest); speed-up: of the medians (of the fastest)\n');
  console.log('| grid | cells | ' + workerCounts.map((w) => `${w} worker${w > 1 ? 's' : ''}`).join(' | ') + ' | speed-up |');
  console.log('| --- | ---: | ' + workerCounts.map(() => '---:').join(' | ') + ' | ---: |');
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
    const cellsText = medians.map((m, k) => `${m.toFixed(1)} ms (${fastest[k].toFixed(1)})`);
    console.log(`| ${name} | ${cells} | ${cellsText.join(' | ')} | ${speedup} |`);
  }
  console.log(`\nload average after: ${busy()}`);
} finally {
  await browser.close();
  server.close();
}
