//! The plain layout: `state,year,dem,rep`, one row per state and year (votes or shares).

use super::{parse_votes, KeyColumns, Tallies, Tally};
use crate::report::{LoadReport, SkipReason};
use crate::table::{Row, Table};

pub(super) fn read(table: &Table, report: &mut LoadReport) -> Tallies {
    let col = |n: &str| table.column(n).unwrap_or(0);
    let key_columns = KeyColumns::new(table, "state");
    let mut tallies = Tallies::new();
    let mut rows = table.rows();
    while let Some(row) = rows.next_row() {
        report.rows += 1;
        let (line, record) = match row {
            Row::Fields(line, record) => (line, record),
            Row::Malformed(line, why) => {
                report.skip(line, SkipReason::MalformedRow, "", &why, 1);
                continue;
            }
        };
        let Some(key) = key_columns.read(line, record, report) else {
            continue;
        };
        let mut parse = |name: &'static str| -> Option<f64> {
            let text = &record[col(name)];
            parse_votes(text)
                .map_err(|reason| report.skip(line, reason, name, text, 1))
                .ok()
        };
        let Some(dem) = parse("dem") else { continue };
        let Some(rep) = parse("rep") else { continue };
        if tallies.contains_key(&key) {
            let text = &record[col("state")];
            report.skip(line, SkipReason::DuplicateResult, "state", text, 1);
            continue;
        }
        tallies.insert(
            key,
            Tally {
                dem,
                rep,
                rows: 1,
                has_dem: true,
                has_rep: true,
                first_line: line,
                unreadable: None,
                // Percentages and fractions add up to 100 at most.
                counts: dem + rep > 100.0,
            },
        );
    }
    tallies
}
