// Poll files made up for the tests: small, deterministic, in the engine's layouts.

/** A tiny deterministic generator (no Math.random: the files are the same every run). */
function numbers(seed) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

function isoDay(offset) {
  const d = new Date(Date.UTC(2016, 8, 1 + offset)); // from 2016-09-01
  return d.toISOString().slice(0, 10);
}

function usDay(offset) {
  const d = new Date(Date.UTC(2016, 8, 1 + offset));
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${String(d.getUTCFullYear()).slice(2)}`;
}

/**
 * The plain layout: 14 good Ohio polls and 4 bad rows (two not states, a sample size of
 * 0, an impossible date). Line 3 is the first bad row.
 */
export function plainCsvWithBadRows() {
  const next = numbers(7);
  const lines = ['state,start_date,end_date,pollster,sample_size,dem,rep'];
  const good = (i) => {
    const dem = (44 + next() * 6).toFixed(1);
    const rep = (43 + next() * 6).toFixed(1);
    return `Ohio,${isoDay(i * 4)},${isoDay(i * 4 + 2)},Pollster ${i % 3},${600 + i * 10},${dem},${rep}`;
  };
  lines.push(good(0));
  lines.push(`Narnia,${isoDay(1)},${isoDay(2)},Pollster X,500,45,44`); // line 3
  for (let i = 1; i < 14; i++) lines.push(good(i));
  lines.push(`OH,${isoDay(5)},${isoDay(6)},Pollster Y,0,45,44`);
  lines.push(`Ohio,2016-02-30,2016-03-02,Pollster Z,500,45,44`);
  lines.push(`U.S.,${isoDay(3)},${isoDay(4)},Pollster W,1500,46,43`);
  return { csv: lines.join('\n') + '\n', goodPolls: 14, state: 'OH' };
}

/**
 * FiveThirtyEight's long president_polls.csv: one row per poll and answer (DEM, REP and a
 * third party), M/D/YY dates, plus two rows of the 2012 cycle that must be skipped.
 */
export function longLayoutCsv() {
  const next = numbers(11);
  const states = ['Florida', 'Pennsylvania', 'Ohio', 'Michigan', 'Wisconsin', 'Texas'];
  const codes = ['FL', 'PA', 'OH', 'MI', 'WI', 'TX'];
  const header = 'poll_id,pollster,sponsors,state,start_date,end_date,sample_size,population,cycle,office_type,stage,candidate_name,party,pct';
  const lines = [header];
  let id = 1000;
  let thirdPartyRows = 0;
  for (const [s, state] of states.entries()) {
    for (let i = 0; i < 15; i++) {
      id += 1;
      const start = i * 4 + s;
      const pollster = `"Pollster ${i % 4}, Inc."`;
      const common = `${id},${pollster},,${state},${usDay(start)},${usDay(start + 3)},${700 + i * 13},lv,2016,U.S. President,general`;
      const lean = (s - 2.5) * 1.5;
      lines.push(`${common},Hillary Clinton,DEM,${(45 - lean + next() * 4).toFixed(1)}`);
      lines.push(`${common},Donald Trump,REP,${(44 + lean + next() * 4).toFixed(1)}`);
      lines.push(`${common},Gary Johnson,LIB,${(4 + next() * 3).toFixed(1)}`);
      thirdPartyRows += 1;
    }
  }
  lines.push(`900,Old Poll,,Ohio,9/1/12,9/3/12,800,lv,2012,U.S. President,general,Barack Obama,DEM,48`);
  lines.push(`900,Old Poll,,Ohio,9/1/12,9/3/12,800,lv,2012,U.S. President,general,Mitt Romney,REP,46`);
  return {
    csv: lines.join('\n') + '\n',
    polls: states.length * 15,
    states: codes,
    thirdPartyRows,
    otherCycleRows: 2,
  };
}

/** `n` ordinary plain-layout poll rows of Ohio, September and October 2016. */
function ohioRows(n) {
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push(`Ohio,${isoDay(i % 60)},${isoDay((i % 60) + 2)},Pollster ${i % 9},${500 + (i % 300)},${44 + (i % 5)},${43 + (i % 7)}`);
  }
  return rows;
}

const PLAIN_HEADER = 'state,start_date,end_date,pollster,sample_size,dem,rep';

/**
 * Files that once crashed, hung or misread the loaders (issue "Hardened inputs"): each
 * `{ testid, name, buffer }` is for the polls or the results file picker.
 */
export function hostileFiles() {
  const utf8 = (text) => Buffer.from(text, 'utf8');
  const huge = 'x'.repeat(1 << 20);
  const polls = (lines) => lines.join('\n') + '\n';
  const windows1252 = Buffer.from(
    polls([PLAIN_HEADER, ...ohioRows(40).map((r, i) => (i % 2 ? r.replace('Pollster', 'Pollster \u0096') : r))]),
    'latin1',
  );
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(polls([PLAIN_HEADER, ...ohioRows(40)]), 'utf16le')]);
  return [
    { testid: 'polls-file', name: 'huge-field.csv', buffer: utf8(polls([PLAIN_HEADER, ...ohioRows(1), `Ohio,2016-09-01,2016-09-03,${huge},500,45,44`, ...ohioRows(3000)])) },
    { testid: 'polls-file', name: 'commas.csv', buffer: utf8(polls([PLAIN_HEADER, ','.repeat(1_000_000), ...ohioRows(600)])) },
    { testid: 'polls-file', name: 'windows-1252.csv', buffer: windows1252 },
    { testid: 'polls-file', name: 'cr-only.csv', buffer: utf8([PLAIN_HEADER, ...ohioRows(30), 'Narnia,2016-09-01,2016-09-02,P,500,45,44'].join('\r') + '\r') },
    { testid: 'polls-file', name: 'utf-16.csv', buffer: utf16 },
    { testid: 'polls-file', name: 'nul.csv', buffer: Buffer.concat([utf8(`${PLAIN_HEADER}\n`), Buffer.from([0, 1, 2])]) },
    { testid: 'results-file', name: 'huge-results.csv', buffer: utf8(`state,year,dem,rep\nOH,2012,50,48\n${huge},2012,1,2\n`) },
  ];
}

/**
 * An election not yet decided: plain-layout polls of six states in September and October
 * 2024 (the built-in results end in 2020).
 */
export function polls2024Csv() {
  const next = numbers(24);
  const day = (offset) => new Date(Date.UTC(2024, 8, 1 + offset)).toISOString().slice(0, 10);
  const codes = ['FL', 'PA', 'OH', 'MI', 'WI', 'AZ'];
  const lines = [PLAIN_HEADER];
  for (const [s, code] of codes.entries()) {
    for (let i = 0; i < 14; i++) {
      const lean = (s - 2.5) * 1.2;
      const dem = (46 - lean + next() * 4).toFixed(1);
      const rep = (45 + lean + next() * 4).toFixed(1);
      lines.push(`${code},${day(i * 4 + s)},${day(i * 4 + s + 2)},Pollster ${i % 5},${650 + i * 11},${dem},${rep}`);
    }
  }
  return { csv: lines.join('\n') + '\n', states: codes, polls: codes.length * 14 };
}
