//! The plain layout: `state,year,dem,rep`, one row per state and year (votes or shares).

use super::{parse_votes, year_and_state, Votes};
use crate::report::{LoadReport, SkipReason};
use crate::table::Table;

pub(super) fn read(table: &Table, report: &mut LoadReport) -> Votes {
    let col = |n: &str| table.column(n).unwrap_or(0);
    let mut votes = Votes::new();
    for (line, record) in &table.rows {
        let Some(key) = year_and_state(table, *line, record, "state", report) else {
            continue;
        };
        let mut parse = |name: &'static str| -> Option<f64> {
            let text = &record[col(name)];
            let v = parse_votes(text);
            if v.is_none() {
                report.skip(*line, SkipReason::BadNumber, name, text, 1);
            }
            v
        };
        let Some(dem) = parse("dem") else { continue };
        let Some(rep) = parse("rep") else { continue };
        if votes.contains_key(&key) {
            report.skip(
                *line,
                SkipReason::DuplicateResult,
                "state",
                &record[col("state")],
                1,
            );
            continue;
        }
        votes.insert(key, (dem, rep));
        report.used_rows += 1;
    }
    votes
}
