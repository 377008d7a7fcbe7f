// Accessibility: axe-core on the whole page (before a run, after it, with the data and
// settings open, with a state's details shown) on a laptop and a phone, failing on any
// serious or critical violation; every control has an accessible name as the browser
// computes it; every chart has a name and a text summary drawn from its data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { launchBrowser, withPage, openSetup, runAndWait } from './helpers.mjs';

const APP_URL = process.env.APP_URL;
if (!APP_URL) throw new Error('APP_URL is not set: run scripts/test-browser.sh');

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const VIEWPORTS = [
  ['laptop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
];
const BLOCKING = new Set(['serious', 'critical']);

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const withApp = (fn, viewport) => withPage(browser.context, APP_URL, viewport, fn);

/**
 * axe's violations on the whole page. axe is evaluated through the DevTools protocol, not
 * added as a `<script>`: the page's Content-Security-Policy would block an inline script.
 */
async function axeViolations(page) {
  await page.evaluate(`if (!window.axe) { ${AXE_SOURCE}\n }`);
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), impact: n.impact, summary: n.failureSummary })),
    }));
  });
}

/** Fails on serious or critical violations, naming each rule, its help and its targets. */
async function assertAccessible(page, where) {
  const violations = await axeViolations(page);
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  const lines = blocking.flatMap((v) => [
    `${v.id} (${v.impact}): ${v.help}`,
    ...v.nodes.slice(0, 10).map((n) => `    ${n.target}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`),
    ...(v.nodes.length > 10 ? [`    … and ${v.nodes.length - 10} more`] : []),
  ]);
  assert.equal(blocking.length, 0, `axe, ${where}: serious or critical violations:\n${lines.join('\n')}`);
  const minor = violations.filter((v) => !BLOCKING.has(v.impact));
  if (minor.length) {
    console.log(`# axe, ${where}, minor: ${minor.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(', ')}`);
  }
  return violations;
}

/**
 * The browser's accessibility tree for the elements that `selector` matches: role, name
 * and description as a screen reader gets them (Chromium's own computation).
 */
async function axNodes(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector });
    const out = [];
    for (const nodeId of nodeIds) {
      const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
      const ax = nodes.find((n) => n.backendDOMNodeId !== undefined) ?? nodes[0];
      const { node } = await cdp.send('DOM.describeNode', { nodeId });
      const attrs = Object.fromEntries((node.attributes ?? []).reduce((pairs, v, i, a) => (i % 2 ? pairs : [...pairs, [v, a[i + 1]]]), []));
      out.push({
        tag: node.localName,
        testid: attrs['data-testid'] ?? '',
        describe: `<${node.localName}${['data-testid', 'type', 'class', 'data-state', 'data-pick'].map((k) => (attrs[k] ? ` ${k}="${attrs[k]}"` : '')).join('')}>`,
        ignored: ax.ignored,
        role: ax.role?.value ?? '',
        name: (ax.name?.value ?? '').trim(),
        description: (ax.description?.value ?? '').trim(),
      });
    }
    return out;
  } finally {
    await cdp.detach();
  }
}

/** Shows a state's chart and its details box: picks Florida and focuses its map tile. */
async function showState(page) {
  await page.getByTestId('state-select').selectOption('FL');
  // A hovered item comes before the focused one in the details box: the pointer leaves.
  await page.mouse.move(0, 0);
  await page.locator('[data-testid=map] g.fc-tile[data-state=FL]').focus();
  await page.waitForFunction(() =>
    /Florida/.test(document.querySelector('[data-chart=map] [data-testid=chart-details]')?.textContent ?? ''));
}

for (const [name, viewport] of VIEWPORTS) {
  test(`axe: no serious or critical violations before and after a run (${name}, ${viewport.width}x${viewport.height})`, async () => {
    await withApp(async (page) => {
      await assertAccessible(page, `${name}, before a run`);
      assert.equal(await runAndWait(page), 'done');
      await page.evaluate(() => scrollTo(0, 0));
      await assertAccessible(page, `${name}, after a run`);
      await openSetup(page);
      await assertAccessible(page, `${name}, after a run, data and settings open`);
      await showState(page);
      await assertAccessible(page, `${name}, after a run, a state's details shown`);
    }, viewport);
  });
}

test('every control has an accessible name, as the browser computes it', async () => {
  await withApp(async (page) => {
    assert.equal(await runAndWait(page), 'done');
    await openSetup(page);
    await showState(page);
    // Chart items (map tiles, snake segments, bars, points) are controls too: they take focus.
    const controls = await axNodes(page, 'input, select, button, textarea, [tabindex], [role=button]');
    assert.ok(controls.length > 100, `${controls.length} controls`);
    for (const testid of ['polls-file', 'results-file', 'workers', 'ec-national', 'ec-structure', 'map-model', 'state-select', 'pin-FL', 'run']) {
      assert.ok(controls.some((c) => c.testid === testid), `${testid} is among the controls`);
    }
    const unnamed = controls.filter((c) => !c.ignored && c.name === '');
    assert.deepEqual(unnamed.map((c) => `${c.describe} (${c.role})`), [], 'controls without a name');
    // Names say what a control is for, not only its value.
    const byTestid = (id) => controls.find((c) => c.testid === id);
    assert.match(byTestid('polls-file').name, /polls/i);
    assert.match(byTestid('results-file').name, /results/i);
    assert.match(byTestid('workers').name, /workers/i);
    assert.match(byTestid('ec-national').name, /national share/i);
    assert.match(byTestid('state-select').name, /state/i);
    assert.match(byTestid('pin-FL').name, /Florida/);
  }, VIEWPORTS[0][1]);
});

test('every chart has a name and a text summary computed from its data', async () => {
  await withApp(async (page) => {
    assert.equal(await runAndWait(page), 'done');
    await showState(page);
    const charts = await axNodes(page, 'svg.fc-chart');
    const expected = ['map', 'state-chart', 'scores-chart', 'calibration-chart', 'ec-histogram', 'ec-over-time', 'snake-chart'];
    assert.deepEqual(charts.map((c) => c.testid).sort(), [...expected].sort());
    for (const c of charts) {
      assert.ok(c.name.length > 10, `${c.testid} has a name: "${c.name}"`);
      assert.ok(c.description.length > 20, `${c.testid} has a summary: "${c.description}"`);
    }
    const summary = (testid) => charts.find((c) => c.testid === testid).description;

    // The map: how many states each side is favoured in, read off the tiles.
    const wins = await page.$$eval('[data-testid=map] g.fc-tile', (gs) => gs.map((g) => g.dataset.win).filter((w) => w !== '').map(Number));
    const demFavoured = wins.filter((w) => w > 0.5).length;
    const repFavoured = wins.filter((w) => w < 0.5).length;
    assert.match(summary('map'), /51 states/);
    assert.match(summary('map'), new RegExp(`Democrat favoured in ${demFavoured}\\b`), summary('map'));
    assert.match(summary('map'), new RegExp(`Republican favoured in ${repFavoured}\\b`), summary('map'));

    // The histogram: the range of totals drawn and the most likely one, read off the bars.
    const bars = await page.$$eval('[data-testid=ec-histogram] [data-ev]', (rs) => rs.map((r) => ({ ev: Number(r.dataset.ev), p: Number(r.dataset.p) })));
    const evs = bars.map((b) => b.ev);
    const mode = bars.reduce((best, b) => (b.p > best.p ? b : best));
    assert.match(summary('ec-histogram'), new RegExp(`from ${Math.min(...evs)} to ${Math.max(...evs)}\\b`), summary('ec-histogram'));
    assert.match(summary('ec-histogram'), new RegExp(`most likely ${mode.ev}\\b`), summary('ec-histogram'));

    // The snake: 51 states and the tipping point's state.
    assert.match(summary('snake-chart'), /51 states/);
    // The state chart names its state.
    assert.match(charts.find((c) => c.testid === 'state-chart').name + summary('state-chart'), /Florida/);

    // The summaries are in the page for everyone to find, hidden from sight only.
    const hidden = await page.$$eval('svg.fc-chart', (svgs) => svgs.map((svg) => {
      const el = document.getElementById(svg.getAttribute('aria-describedby'));
      const r = el.getBoundingClientRect();
      return { id: svg.id, w: r.width, h: r.height, text: el.textContent };
    }));
    for (const h of hidden) {
      assert.ok(h.w <= 1 && h.h <= 1, `${h.id}'s summary is visually hidden (${h.w}x${h.h})`);
    }
  }, VIEWPORTS[0][1]);
});
