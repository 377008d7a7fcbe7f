//! Election results: the two-party margin of each state in each year, and its vote counts
//! where the file gives counts. Gives the actual margins (for scores) and earlier years
//! (for the fundamentals prior).

mod mit;
mod plain;

use std::collections::BTreeMap;

use crate::report::{LoadError, LoadReport, SkipReason};
use crate::states::State;
use crate::table::Table;

pub(crate) const ACCEPTED_RESULT_LAYOUTS: &str = "accepted layouts: \
MIT Election Lab (tab-separated: year, state_po, party_simplified, candidatevotes); \
plain (state,year,dem,rep: votes or percentages)";

#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ResultSet {
    /// `(dem - rep) / (dem + rep)` by year and state; always finite.
    pub margins: BTreeMap<(i32, State), f64>,
    /// Democratic and Republican vote counts by year and state, where the file gives
    /// counts rather than percentages.
    votes: BTreeMap<(i32, State), (f64, f64)>,
    pub report: LoadReport,
}

impl ResultSet {
    pub fn margin(&self, year: i32, state: State) -> Option<f64> {
        self.margins.get(&(year, state)).copied()
    }

    /// The Democratic and Republican vote counts of a state's result: always for an MIT
    /// file; for a plain file, the rows whose `dem + rep` exceeds 100 (a smaller total is
    /// percentages or fractions, which have no counts).
    pub fn votes(&self, year: i32, state: State) -> Option<(f64, f64)> {
        self.votes.get(&(year, state)).copied()
    }

    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.margins.keys().map(|(y, _)| *y).collect();
        years.dedup();
        years
    }
}

/// The results layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// MIT Election Lab: one row per candidate, tab-separated.
    Mit,
    /// `state,year,dem,rep`.
    Plain,
}

impl Layout {
    fn name(self) -> &'static str {
        match self {
            Layout::Mit => "MIT Election Lab",
            Layout::Plain => "plain results",
        }
    }

    fn required(self) -> &'static [&'static str] {
        match self {
            Layout::Mit => &["year", "state_po", "party_simplified", "candidatevotes"],
            Layout::Plain => &["state", "year", "dem", "rep"],
        }
    }

    /// Every column the layout reads.
    fn reads(self, name: &str) -> bool {
        self.required().contains(&name)
            || (self == Layout::Mit && mit::OPTIONAL_COLUMNS.contains(&name))
    }

    fn detect(table: &Table) -> Result<Layout, LoadError> {
        let has = |n: &str| table.column(n).is_some();
        let layout = if has("party_simplified") || has("candidatevotes") || has("state_po") {
            Layout::Mit
        } else if has("dem") || has("rep") {
            Layout::Plain
        } else {
            return Err(LoadError::UnknownLayout {
                columns: table.header.clone(),
                accepted: ACCEPTED_RESULT_LAYOUTS,
            });
        };
        let missing: Vec<String> = layout
            .required()
            .iter()
            .filter(|c| !has(c))
            .map(|c| c.to_string())
            .collect();
        if missing.is_empty() {
            Ok(layout)
        } else {
            Err(LoadError::MissingColumns {
                layout: layout.name().into(),
                missing,
                accepted: ACCEPTED_RESULT_LAYOUTS,
            })
        }
    }
}

/// The Democratic and Republican votes of one state and year, as a reader gathers them.
#[derive(Clone, Debug, Default)]
struct Tally {
    dem: f64,
    rep: f64,
    /// Rows read into it, and whether they gave each party.
    rows: u64,
    has_dem: bool,
    has_rep: bool,
    /// The first row of the state and year.
    first_line: u64,
    /// The first Democratic or Republican row of it that could not be read.
    unreadable: Option<u64>,
    /// Vote counts, not percentages.
    counts: bool,
}

impl Tally {
    /// Remembers the line of its first row.
    fn note_row(&mut self, line: u64) {
        if self.rows == 0 && self.unreadable.is_none() {
            self.first_line = line;
        }
    }
}

/// Tallies by year and state.
type Tallies = BTreeMap<(i32, State), Tally>;

pub fn load_results(bytes: &[u8]) -> Result<ResultSet, LoadError> {
    let table = Table::read(bytes)?;
    let layout = Layout::detect(&table)?;
    let mut report = LoadReport {
        layout: layout.name().into(),
        encoding: table.encoding,
        ..Default::default()
    };
    for name in table.duplicate_names() {
        if layout.reads(name) {
            return Err(LoadError::DuplicateColumn {
                column: name.to_string(),
            });
        }
        report.duplicate_columns.push(name.to_string());
    }
    let tallies = match layout {
        Layout::Mit => mit::read(&table, &mut report),
        Layout::Plain => plain::read(&table, &mut report),
    };
    let (party_column, votes_column) = match layout {
        Layout::Mit => ("party_simplified", "candidatevotes"),
        Layout::Plain => ("", "dem, rep"),
    };
    let mut set = ResultSet::default();
    for ((year, state), tally) in tallies {
        let rows = tally.rows;
        let total = tally.dem + tally.rep;
        let which = format!("{state} {year}");
        let problem = if let Some(line) = tally.unreadable {
            // Its unreadable row is counted already; the rest go with it.
            (rows > 0).then_some((line, SkipReason::IncompleteResult, "", which))
        } else if !tally.has_dem || !tally.has_rep {
            let missing = if !tally.has_dem {
                "DEMOCRAT"
            } else {
                "REPUBLICAN"
            };
            let value = format!("{which}: no {missing} row");
            Some((tally.first_line, SkipReason::OneParty, party_column, value))
        } else if !total.is_finite() {
            Some((
                tally.first_line,
                SkipReason::VotesOverflow,
                votes_column,
                which,
            ))
        } else if total <= 0.0 {
            Some((tally.first_line, SkipReason::NoTwoPartyTotal, "", which))
        } else {
            None
        };
        match problem {
            Some((line, reason, column, value)) => report.skip(line, reason, column, &value, rows),
            None if tally.unreadable.is_some() => {}
            None => {
                report.used_rows += rows;
                set.margins
                    .insert((year, state), (tally.dem - tally.rep) / total);
                if tally.counts {
                    set.votes.insert((year, state), (tally.dem, tally.rep));
                }
            }
        }
    }
    report.used = set.margins.len() as u64;
    if set.margins.is_empty() {
        return Err(LoadError::NoUsableRows {
            layout: layout.name().into(),
            report: report.to_string(),
        });
    }
    set.report = report;
    Ok(set)
}

/// The year and state columns of a layout.
struct KeyColumns {
    year: usize,
    state: usize,
    state_name: &'static str,
}

impl KeyColumns {
    fn new(table: &Table, state_name: &'static str) -> KeyColumns {
        KeyColumns {
            year: table.column("year").unwrap_or(0),
            state: table.column(state_name).unwrap_or(0),
            state_name,
        }
    }

    /// The year and state of a row, or the row is skipped and counted.
    fn read(
        &self,
        line: u64,
        record: &csv::StringRecord,
        report: &mut LoadReport,
    ) -> Option<(i32, State)> {
        let year_text = record[self.year].trim().trim_matches('"');
        let Ok(year) = year_text.parse::<i32>() else {
            report.skip(line, SkipReason::BadYear, "year", &record[self.year], 1);
            return None;
        };
        let Some(state) = State::parse(record[self.state].trim().trim_matches('"')) else {
            let text = &record[self.state];
            report.skip(line, SkipReason::NotAState, self.state_name, text, 1);
            return None;
        };
        Some((year, state))
    }
}

/// A vote count or share: finite and not negative.
fn parse_votes(text: &str) -> Result<f64, SkipReason> {
    match text.trim().trim_matches('"').parse::<f64>() {
        Ok(v) if v.is_infinite() && v > 0.0 => Err(SkipReason::VotesOverflow),
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v + 0.0),
        _ => Err(SkipReason::BadNumber),
    }
}
