//! The MIT Election Lab layout: one row per candidate (tab-separated), the Democratic and
//! Republican rows of a state and year summed.

use super::{parse_votes, year_and_state, Votes};
use crate::report::{LoadReport, SkipReason};
use crate::table::Table;

pub(super) fn read(table: &Table, report: &mut LoadReport) -> Votes {
    let col = |n: &str| table.column(n).unwrap_or(0);
    let (party_col, votes_col) = (col("party_simplified"), col("candidatevotes"));
    let office = table.column("office");
    let mut votes = Votes::new();
    for (line, record) in &table.rows {
        let Some(key) = year_and_state(table, *line, record, "state_po", report) else {
            continue;
        };
        if let Some(c) = office {
            if !record[c]
                .trim_matches('"')
                .eq_ignore_ascii_case("US PRESIDENT")
            {
                report.skip(
                    *line,
                    SkipReason::NotGeneralPresidential,
                    "office",
                    &record[c],
                    1,
                );
                continue;
            }
        }
        let party = record[party_col]
            .trim()
            .trim_matches('"')
            .to_ascii_uppercase();
        let is_dem = party == "DEMOCRAT";
        if !is_dem && party != "REPUBLICAN" {
            report.skip(*line, SkipReason::ThirdParty, "party_simplified", &party, 1);
            continue;
        }
        let text = &record[votes_col];
        let Some(v) = parse_votes(text) else {
            report.skip(*line, SkipReason::BadNumber, "candidatevotes", text, 1);
            continue;
        };
        let entry = votes.entry(key).or_insert((0.0, 0.0));
        if is_dem {
            entry.0 += v
        } else {
            entry.1 += v
        }
        report.used_rows += 1;
    }
    votes
}
