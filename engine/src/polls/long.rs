//! FiveThirtyEight's long `president_polls.csv`: one row per poll and answer, gathered by
//! poll.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::layout::find;
use super::{parse_date, parse_sample_size, parse_share, Builder, Fields, Rejection};
use crate::report::{LoadError, SkipReason};
use crate::states::State;
use crate::table::Table;

/// The answers of one poll in a long file, gathered by poll.
#[derive(Default)]
struct LongPoll {
    first_line: u64,
    rows: u64,
    dem: Vec<f64>,
    rep: Vec<f64>,
}

pub(super) fn read_long(table: &Table, builder: &mut Builder) -> Result<(), LoadError> {
    let poll_id = find(table, &["poll_id"])?;
    let pollster = find(table, &["pollster"])?;
    let state = find(table, &["state"])?;
    let start = find(table, &["start_date"])?;
    let end = find(table, &["end_date"])?;
    let sample_size = find(table, &["sample_size"])?;
    let party = find(table, &["party", "candidate_party"])?;
    let pct = find(table, &["pct"])?;
    let cycle = table.column("cycle");
    let office = table.column("office_type");
    let stage = table.column("stage");
    let party_column = if table.column("party").is_some() {
        "party"
    } else {
        "candidate_party"
    };
    builder.add_malformed(table);

    // Rows of earlier cycles are counted, not used: a long file may span several elections.
    let cycle_of =
        |record: &csv::StringRecord| cycle.and_then(|c| record[c].trim().parse::<i32>().ok());
    let latest_cycle = table.rows.iter().filter_map(|(_, r)| cycle_of(r)).max();
    builder.year = latest_cycle;

    type Key = (String, State, String, u64, NaiveDate, NaiveDate);
    let mut groups: BTreeMap<Key, LongPoll> = BTreeMap::new();
    for (line, record) in &table.rows {
        if office.is_some_and(|c| !record[c].trim().eq_ignore_ascii_case("U.S. President")) {
            builder.skip(
                *line,
                SkipReason::NotGeneralPresidential,
                "office_type",
                &record[office.unwrap_or(0)],
                1,
            );
            continue;
        }
        if stage.is_some_and(|c| !record[c].trim().eq_ignore_ascii_case("general")) {
            builder.skip(
                *line,
                SkipReason::NotGeneralPresidential,
                "stage",
                &record[stage.unwrap_or(0)],
                1,
            );
            continue;
        }
        if cycle.is_some() && cycle_of(record) != latest_cycle {
            builder.skip(
                *line,
                SkipReason::OtherCycle,
                "cycle",
                &record[cycle.unwrap_or(0)],
                1,
            );
            continue;
        }
        let party_text = record[party].trim().to_ascii_uppercase();
        let is_dem = party_text == "DEM";
        if !is_dem && party_text != "REP" {
            builder.skip(
                *line,
                SkipReason::ThirdParty,
                party_column,
                &record[party],
                1,
            );
            continue;
        }
        let parsed = (|| -> Result<(Key, f64), Rejection> {
            let state_code = State::parse(&record[state])
                .ok_or_else(|| (SkipReason::NotAState, "state", record[state].to_string()))?;
            let s = parse_date(&record[start])
                .map_err(|r| (r, "start_date", record[start].to_string()))?;
            let e =
                parse_date(&record[end]).map_err(|r| (r, "end_date", record[end].to_string()))?;
            let n = parse_sample_size(&record[sample_size])
                .map_err(|r| (r, "sample_size", record[sample_size].to_string()))?;
            let value =
                parse_share(&record[pct]).map_err(|r| (r, "pct", record[pct].to_string()))?;
            let key = (
                record[poll_id].trim().to_string(),
                state_code,
                record[pollster].trim().to_string(),
                n.to_bits(),
                s,
                e,
            );
            Ok((key, value))
        })();
        match parsed {
            Ok((key, value)) => {
                let group = groups.entry(key).or_default();
                if group.rows == 0 {
                    group.first_line = *line;
                }
                group.rows += 1;
                if is_dem {
                    group.dem.push(value)
                } else {
                    group.rep.push(value)
                }
            }
            Err((reason, column, value)) => builder.skip(*line, reason, column, &value, 1),
        }
    }
    let mut polls: Vec<(Key, LongPoll)> = groups.into_iter().collect();
    // File order, so that ties in time keep it.
    polls.sort_by_key(|(_, g)| g.first_line);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    for ((_, state_code, pollster_name, n, s, e), group) in polls {
        if group.dem.is_empty() || group.rep.is_empty() {
            let missing = if group.dem.is_empty() { "DEM" } else { "REP" };
            builder.skip(
                group.first_line,
                SkipReason::MissingParty,
                "party",
                missing,
                group.rows,
            );
            continue;
        }
        let fields = Fields {
            state: state_code,
            start: s,
            end: e,
            pollster: pollster_name,
            sample_size: f64::from_bits(n),
            dem: mean(&group.dem),
            rep: mean(&group.rep),
        };
        // The poll's other answer rows are part of it, not lost.
        builder.used_rows += group.rows - 1;
        builder.push(group.first_line, fields, "end_date");
    }
    Ok(())
}
