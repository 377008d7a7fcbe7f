// Times runs in the browser (run-summary's data-ms, measured on the pool) for the 4-date,
// 16-date and daily grids with 1 and 2 workers; prints the median of a few runs each.
//   node tests/bench.mjs [--runs 5]      (after a release build: scripts/test-browser.sh or
//                                         CARGO_UNSTABLE_BUILD_STD=panic_abort,std trunk build --release)
import { startServer } from './static-server.mjs';
import { launchBrowser, openApp, setFields, setWorkers, runAndWait, summary, median } from './helpers.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
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
  console.log(`Chromium, ${cores} hardware threads; median of ${RUNS} runs after one warm-up; N 2000, seed 42, all models\n`);
  console.log('| grid | cells | ' + workerCounts.map((w) => `${w} worker${w > 1 ? 's' : ''}`).join(' | ') + ' | speed-up |');
  console.log('| --- | ---: | ' + workerCounts.map(() => '---:').join(' | ') + ' | ---: |');
  for (const [dates, name] of GRIDS) {
    await setFields(page, { dates });
    const medians = [];
    let cells = 0;
    for (const workers of workerCounts) {
      await setWorkers(page, workers);
      await runAndWait(page); // warm-up
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        await settle(page);
        const status = await runAndWait(page);
        if (status !== 'done') throw new Error(`run ended ${status}`);
        const s = await summary(page);
        if (s.threads !== workers) console.error(`note: ${workers} workers asked, ${s.threads} threads ran cells`);
        cells = s.cells;
        times.push(s.ms);
      }
      medians.push(median(times));
    }
    const speedup = medians.length > 1 ? `${(medians[0] / medians[1]).toFixed(2)}x` : '–';
    console.log(`| ${name} | ${cells} | ${medians.map((m) => `${m.toFixed(1)} ms`).join(' | ')} | ${speedup} |`);
  }
  console.log(`\nload average after: ${busy()}`);
} finally {
  await browser.close();
  server.close();
}
