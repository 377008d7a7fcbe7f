//! The MIT Election Lab layout: one row per candidate (tab-separated), the Democratic and
//! Republican rows of a state and year summed.
//!
//! A party may have several rows in a state and year (a write-in line, a fusion ticket):
//! they add up. A row given twice, alike in every column that tells rows apart, is a copy
//! and counted once.

use std::collections::BTreeMap;

use super::{parse_votes, KeyColumns, Tallies};
use crate::report::{LoadReport, SkipReason};
use crate::states::State;
use crate::table::{Row, Table};

/// Read when present: `office` to keep the presidential rows, the others to tell a
/// party's several rows from a copy of one.
pub(super) const OPTIONAL_COLUMNS: [&str; 4] = ["office", "candidate", "party_detailed", "writein"];

pub(super) fn read(table: &Table, report: &mut LoadReport) -> Tallies {
    let col = |n: &str| table.column(n).unwrap_or(0);
    let key_columns = KeyColumns::new(table, "state_po");
    let (party_col, votes_col) = (col("party_simplified"), col("candidatevotes"));
    let office = table.column("office");
    let identity: Vec<usize> = ["candidate", "party_detailed", "writein"]
        .iter()
        .filter_map(|n| table.column(n))
        .collect();
    let mut tallies = Tallies::new();
    // Each Democratic and Republican row seen, by what tells it apart, with its line.
    let mut seen: BTreeMap<(i32, State, String), u64> = BTreeMap::new();
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
        let Some((year, state)) = key_columns.read(line, record, report) else {
            continue;
        };
        if let Some(c) = office {
            if !record[c]
                .trim_matches('"')
                .eq_ignore_ascii_case("US PRESIDENT")
            {
                report.skip(
                    line,
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
            report.skip(line, SkipReason::ThirdParty, "party_simplified", &party, 1);
            continue;
        }
        let mut identity_text = party.clone();
        for &c in identity.iter().chain([&votes_col]) {
            identity_text.push('\t');
            identity_text.push_str(record[c].trim().trim_matches('"'));
        }
        if let Some(first) = seen.get(&(year, state, identity_text.clone())) {
            let value = format!("same as line {first}");
            report.skip(line, SkipReason::DuplicateRow, "", &value, 1);
            continue;
        }
        seen.insert((year, state, identity_text), line);
        let tally = tallies.entry((year, state)).or_default();
        tally.note_row(line);
        tally.counts = true;
        let text = &record[votes_col];
        let votes = match parse_votes(text) {
            Ok(votes) => votes,
            Err(reason) => {
                report.skip(line, reason, "candidatevotes", text, 1);
                tally.unreadable.get_or_insert(line);
                continue;
            }
        };
        tally.rows += 1;
        if is_dem {
            tally.dem += votes;
            tally.has_dem = true;
        } else {
            tally.rep += votes;
            tally.has_rep = true;
        }
    }
    tallies
}
