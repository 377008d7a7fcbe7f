// "Download all": forecast-run.zip holds the page's files (the same bytes as its single
// downloads), a README that explains every column, a skipped.csv that with the forecasts
// covers the grid, and a settings.txt whose command makes the same files through the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

import { launchBrowser, withPage, setFields, runAndWait, resultRows, download } from './helpers.mjs';
import { polls2024Csv } from './fixtures.mjs';

const APP_URL = process.env.APP_URL;
if (!APP_URL) throw new Error('APP_URL is not set: run scripts/test-browser.sh');
const CLI = process.env.FORECAST_CLI;
if (!CLI) throw new Error('FORECAST_CLI is not set: run scripts/test-browser.sh');

const MODELS = ['poll_average', 'kalman_diffusion', 'improved_kalman', 'hierarchical_bayes'];
const ELECTORAL = ['electoral.csv', 'electoral_votes.csv', 'electoral_states.csv', 'correlation.csv'];

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const withApp = (fn) => withPage(browser.context, APP_URL, null, fn);

/** Clicks `testid` and resolves with the download's file name and bytes. */
async function downloadBytes(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The entries of a zip archive (stored or deflated), by name, in archive order: read from
 * the central directory, each checked against its CRC-32 and size.
 */
function readZip(zip) {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  assert.ok(end >= 0, 'the archive has an end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'a central directory header');
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    assert.equal(zip.readUInt32LE(local), 0x04034b50, `${name}: a local header`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + packed);
    let data;
    if (method === 0) data = raw;
    else if (method === 8) data = inflateRawSync(raw);
    else assert.fail(`${name}: compression method ${method}`);
    assert.equal(data.length, size, `${name}: its size`);
    assert.equal(crc32(data), crc, `${name}: its CRC-32`);
    assert.ok(!entries.has(name), `${name} once`);
    entries.set(name, data.toString('utf8'));
  }
  return entries;
}

/** The value of a `label: value` line of settings.txt. */
function setting(settings, label) {
  const line = settings.split('\n').find((l) => l.startsWith(`${label}: `));
  assert.ok(line !== undefined, `settings.txt has ${label}`);
  return line.slice(label.length + 2);
}

/** The fields of a CSV line whose last field alone may be quoted (skipped.csv's reason). */
function fieldsWithReason(line) {
  const parts = line.split(',');
  const reason = parts.slice(3).join(',');
  return [...parts.slice(0, 3), reason.startsWith('"') ? reason.slice(1, -1).replaceAll('""', '"') : reason];
}

/** Each of the archive's CSVs names every column in README.txt. */
function assertReadmeExplainsEveryColumn(files) {
  const readme = files.get('README.txt');
  const words = new Set(readme.split(/[^A-Za-z0-9_.]+/).map((w) => w.replace(/\.+$/, '')));
  for (const [name, text] of files) {
    if (!name.endsWith('.csv')) continue;
    assert.ok(words.has(name), `README.txt names ${name}`);
    for (const column of text.split('\n')[0].split(',')) {
      assert.ok(words.has(column), `README.txt explains ${name}'s column ${column}`);
    }
  }
}

/**
 * The model files and skipped.csv hold every (model, state, date) of the grid once: the
 * models and dates of settings.txt, the 51 states less those left out of the run.
 */
function assertCoversTheGrid(files, states) {
  const settings = files.get('settings.txt');
  const models = setting(settings, 'models').split(',');
  const dates = setting(settings, 'forecast dates').split(' ')[0].split(',');
  const seen = new Map();
  const count = (key) => seen.set(key, (seen.get(key) ?? 0) + 1);
  let forecasts = 0;
  for (const model of models) {
    const text = files.get(`${model}.csv`);
    assert.ok(text !== undefined, `${model}.csv`);
    for (const line of text.trimEnd().split('\n').slice(1)) {
      const [state, date] = line.split(',');
      count(`${model}|${state}|${date}`);
      forecasts++;
    }
  }
  const skipped = files.get('skipped.csv').trimEnd().split('\n');
  assert.equal(skipped[0], 'model,state,forecast_date,reason');
  const leftOut = new Set();
  for (const line of skipped.slice(1)) {
    const [model, state, date, reason] = fieldsWithReason(line);
    if (model === '') {
      assert.equal(date, '', line);
      assert.match(reason, /^state left out: /, line);
      leftOut.add(state);
    } else {
      assert.match(reason, /^(too few polls: \d+ by this date, fewer than the minimum of \d+|failed: .+)$/, line);
      count(`${model}|${state}|${date}`);
    }
  }
  const grid = [];
  for (const model of models) {
    for (const state of states.filter((s) => !leftOut.has(s))) {
      for (const date of dates) grid.push(`${model}|${state}|${date}`);
    }
  }
  assert.ok(grid.length > 0);
  assert.deepEqual([...seen.keys()].sort(), [...grid].sort(), 'the cells are the grid');
  assert.ok([...seen.values()].every((n) => n === 1), 'each cell once');
  return forecasts;
}

/**
 * Runs the command of settings.txt through the shell, with the CLI for `forecast`, in a
 * new folder holding `inputs` ({ name: text }); returns the files it wrote, by name.
 */
function runCommand(settings, inputs = {}) {
  const command = setting(settings, 'command');
  assert.match(command, /^forecast .* --out forecast-run$/);
  const dir = mkdtempSync(join(tmpdir(), 'forecast-bundle-'));
  try {
    for (const [name, text] of Object.entries(inputs)) writeFileSync(join(dir, name), text);
    const cli = `'${CLI.replaceAll("'", "'\\''")}'`;
    execFileSync('sh', ['-c', `${cli} ${command.slice('forecast '.length)}`], { cwd: dir, stdio: 'pipe' });
    const out = join(dir, 'forecast-run');
    return new Map(readdirSync(out).map((name) => [name, readFileSync(join(out, name), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CLI's files (from the command of settings.txt) equal the archive's. */
function assertTheCommandMakesTheSameFiles(files, inputs) {
  const cli = runCommand(files.get('settings.txt'), inputs);
  assert.deepEqual([...cli.keys()].sort(), [...files.keys()].sort(), 'the same files');
  for (const [name, text] of files) {
    if (name === 'settings.txt') continue;
    assert.ok(cli.get(name) === text, `${name} from the command equals the archive's, byte for byte`);
  }
  // The CLI's settings give the same command (the input names and workers are each one's own).
  assert.equal(setting(cli.get('settings.txt'), 'command'), setting(files.get('settings.txt'), 'command'));
}

test('Download all: the page\'s files, a README of every column, the grid covered, the command reproduces them', async () => {
  await withApp(async (page) => {
    assert.equal(await runAndWait(page), 'done');
    const zip = await downloadBytes(page, 'download-all');
    assert.equal(zip.name, 'forecast-run.zip');
    const files = readZip(zip.bytes);
    assert.deepEqual([...files.keys()], [
      'README.txt', 'settings.txt', ...MODELS.map((m) => `${m}.csv`), 'scores.csv', ...ELECTORAL, 'skipped.csv',
    ]);

    // The same bytes as the page's single downloads.
    const forecasts = await download(page, 'download-predictions');
    const [header, ...rows] = forecasts.text.trimEnd().split('\n');
    for (const model of MODELS) {
      const own = files.get(`${model}.csv`);
      assert.equal(`model,${own.split('\n')[0]}`, header);
      const body = rows.filter((r) => r.startsWith(`${model},`)).map((r) => r.slice(model.length + 1));
      assert.equal(own, [own.split('\n')[0], ...body].join('\n') + '\n', `${model}.csv is forecasts.csv's rows`);
    }
    for (const [testid, name] of [
      ['download-scores', 'scores.csv'],
      ['download-electoral', 'electoral.csv'],
      ['download-electoral-votes', 'electoral_votes.csv'],
      ['download-electoral-states', 'electoral_states.csv'],
    ]) {
      const single = await download(page, testid);
      assert.equal(single.name, name);
      assert.ok(single.text === files.get(name), `${name} in the archive equals its own download`);
    }

    assertReadmeExplainsEveryColumn(files);
    const readme = files.get('README.txt');
    assert.match(readme, /Democrat minus Republican/);
    assert.match(readme.replace(/\s+/g, ' '), /Hierarchical Bayes to 0\.02-0\.98 \(2-98 %\)/);

    const states = files.get('correlation.csv').split('\n')[0].split(',').slice(1);
    assert.equal(states.length, 51);
    const forecastRows = assertCoversTheGrid(files, states);
    assert.equal(forecastRows, (await resultRows(page)).length, 'as many forecasts as the table has rows');

    const settings = files.get('settings.txt');
    assert.equal(setting(settings, 'models'), MODELS.join(','));
    assert.equal(setting(settings, 'forecast dates asked for'), '4');
    assert.equal(setting(settings, 'forecast dates'), '2016-09-01,2016-09-24,2016-10-16,2016-11-07 (4 dates)');
    assert.equal(setting(settings, 'seed'), '42');
    assert.equal(setting(settings, 'electoral-college simulations'), '20000');
    assert.match(setting(settings, 'polls'), /^built-in 2016 polls/);
    assert.match(setting(settings, 'workers'), /^\d+ /);
    assert.doesNotMatch(setting(settings, 'command'), /--polls|--results/, 'built-in data: no input files');

    assertTheCommandMakesTheSameFiles(files, {});
  });
});

// Last: the polls file loaded here is kept in the browser for the next page.
test('Download all of a run on a polls file with other settings: the command names the file', async () => {
  await withApp(async (page) => {
    const { csv } = polls2024Csv();
    const name = 'polls-2024.csv';
    await page.getByTestId('polls-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => /polls-2024\.csv/.test(document.querySelector('[data-testid=polls-report]')?.textContent ?? ''));
    await setFields(page, { 'min-polls': 5, dates: 6, seed: 7, sims: 500 });
    await page.getByTestId('ec-on').uncheck();
    assert.equal(await runAndWait(page), 'done');
    const files = readZip((await downloadBytes(page, 'download-all')).bytes);
    assert.deepEqual([...files.keys()], [
      'README.txt', 'settings.txt', ...MODELS.map((m) => `${m}.csv`), 'scores.csv', 'skipped.csv',
    ]);
    const settings = files.get('settings.txt');
    assert.equal(setting(settings, 'polls'), `file ${name}`);
    assert.equal(setting(settings, 'electoral college'), 'off');
    assert.equal(setting(settings, 'minimum polls'), '5');
    const command = setting(settings, 'command');
    for (const flag of [`--polls ${name}`, '--dates 6', '--seed 7', '--sims 500', '--min-polls 5', '--no-electoral']) {
      assert.ok(command.includes(` ${flag} `), `${flag} in ${command}`);
    }
    assert.match(files.get('README.txt'), /No electoral-college files: the electoral college was not asked for\./);
    // Six states polled; the other 45 are left out for want of polls.
    const states = [
      'AK', 'AL', 'AR', 'AZ', 'CA', 'CO', 'CT', 'DC', 'DE', 'FL', 'GA', 'HI', 'IA', 'ID', 'IL', 'IN', 'KS', 'KY',
      'LA', 'MA', 'MD', 'ME', 'MI', 'MN', 'MO', 'MS', 'MT', 'NC', 'ND', 'NE', 'NH', 'NJ', 'NM', 'NV', 'NY', 'OH',
      'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VA', 'VT', 'WA', 'WI', 'WV', 'WY',
    ];
    assertCoversTheGrid(files, states);
    const leftOut = files.get('skipped.csv').split('\n').filter((l) => l.startsWith(',')).length;
    assert.equal(leftOut, 45);
    assertReadmeExplainsEveryColumn(files);
    assertTheCommandMakesTheSameFiles(files, { [name]: csv });
  });
});
