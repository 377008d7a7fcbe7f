//! Election results: the two-party margin of each state in each year.
//! Gives the actual margins (for scores) and earlier years (for the fundamentals prior).

mod mit;
mod plain;

use std::collections::BTreeMap;

use crate::report::{LoadError, LoadReport, SkipReason};
use crate::states::State;
use crate::table::Table;

pub(crate) const ACCEPTED_RESULT_LAYOUTS: &str = "accepted layouts: \
MIT Election Lab (tab-separated: year, state_po, party_simplified, candidatevotes); \
plain (state,year,dem,rep: votes or percentages)";

#[derive(Clone, Debug, Default)]
pub struct ResultSet {
    /// `(dem - rep) / (dem + rep)` by year and state.
    pub margins: BTreeMap<(i32, State), f64>,
    pub report: LoadReport,
}

impl ResultSet {
    pub fn margin(&self, year: i32, state: State) -> Option<f64> {
        self.margins.get(&(year, state)).copied()
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

    fn detect(table: &Table) -> Result<Layout, LoadError> {
        let has = |n: &str| table.column(n).is_some();
        let layout = if has("party_simplified") || has("candidatevotes") || has("state_po") {
            Layout::Mit
        } else if has("dem") || has("rep") {
            Layout::Plain
        } else {
            return Err(LoadError::UnknownLayout {
                header: table.header.join(","),
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

/// (dem, rep) votes by year and state, as the readers gather them.
type Votes = BTreeMap<(i32, State), (f64, f64)>;

pub fn load_results(bytes: &[u8]) -> Result<ResultSet, LoadError> {
    let table = Table::read(bytes)?;
    let layout = Layout::detect(&table)?;
    let mut report = LoadReport {
        layout: layout.name().into(),
        rows: table.rows.len() as u64,
        ..Default::default()
    };
    for (line, message) in &table.malformed {
        report.skip(*line, SkipReason::MalformedRow, "", message, 1);
    }
    report.rows += table.malformed.len() as u64;

    let votes = match layout {
        Layout::Mit => mit::read(&table, &mut report),
        Layout::Plain => plain::read(&table, &mut report),
    };
    let mut margins = BTreeMap::new();
    for ((year, state), (dem, rep)) in votes {
        if dem + rep > 0.0 {
            margins.insert((year, state), (dem - rep) / (dem + rep));
        } else {
            report.skip(
                0,
                SkipReason::NoTwoPartyTotal,
                "",
                &format!("{state} {year}"),
                1,
            );
        }
    }
    report.used = margins.len() as u64;
    if margins.is_empty() {
        return Err(LoadError::NoUsableRows {
            layout: layout.name().into(),
            report: report.to_string(),
        });
    }
    Ok(ResultSet { margins, report })
}

/// The year and state of a row, or the row is skipped and counted.
fn year_and_state(
    table: &Table,
    line: u64,
    record: &csv::StringRecord,
    state_column: &'static str,
    report: &mut LoadReport,
) -> Option<(i32, State)> {
    let year_col = table.column("year").unwrap_or(0);
    let state_col = table.column(state_column).unwrap_or(0);
    let Ok(year) = record[year_col].trim().parse::<i32>() else {
        report.skip(line, SkipReason::BadYear, "year", &record[year_col], 1);
        return None;
    };
    let Some(state) = State::parse(record[state_col].trim().trim_matches('"')) else {
        report.skip(
            line,
            SkipReason::NotAState,
            state_column,
            &record[state_col],
            1,
        );
        return None;
    };
    Some((year, state))
}

/// A vote count or share: finite and not negative.
fn parse_votes(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}
