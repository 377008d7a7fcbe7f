// Screenshots for a look: cold page, after a run, an error, the charts; laptop and phone.
import { launchBrowser, openApp, runAndWait, openSetup, setFields } from './helpers.mjs';
const url = process.argv[2];
const b = await launchBrowser();
for (const [name, vp] of [['laptop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const page = await openApp(b.context, url);
  await page.setViewportSize(vp);
  await page.screenshot({ path: `/tmp/shots/${name}-cold.png` });
  await runAndWait(page);
  await page.screenshot({ path: `/tmp/shots/${name}-run.png` });
  await page.locator('[data-testid=charts]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/shots/${name}-charts.png` });
  await page.locator('section.results').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/shots/${name}-table.png` });
  await setFields(page, { seed: 'abc' });
  await page.getByTestId('seed').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/shots/${name}-error.png` });
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: `/tmp/shots/${name}-stale.png` });
  console.log(name, page.problems);
  await page.close();
}
await b.close();
