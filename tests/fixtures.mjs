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
