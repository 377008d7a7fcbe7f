//! FiveThirtyEight's long `president_polls.csv`: one row per poll and answer, gathered by
//! poll.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::layout::find;
use super::{parse_date, parse_sample_size, parse_share, Builder, Fields, Rejection};
use crate::report::{LoadError, SkipReason};
use crate::states::State;
use crate::table::{Row, Table};

/// The answers of one poll in a long file, gathered by poll.
#[derive(Default)]
struct LongPoll {
    first_line: u64,
    rows: u64,
    dem: Vec<f64>,
    rep: Vec<f64>,
    /// Each answer row's (question, party and candidate, share) and line, to find a row
    /// given twice.
    answers: Vec<(Answer, u64)>,
}

type Answer = (String, String, u64);

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
    let question = table.column("question_id");
    let candidate = table.column("candidate_name");
    let party_column = if table.column("party").is_some() {
        "party"
    } else {
        "candidate_party"
    };
    // Why a row is not a general-election presidential answer, if it is not.
    let not_presidential = |record: &csv::StringRecord| {
        if let Some(c) =
            office.filter(|&c| !record[c].trim().eq_ignore_ascii_case("U.S. President"))
        {
            return Some(("office_type", c));
        }
        stage
            .filter(|&c| !record[c].trim().eq_ignore_ascii_case("general"))
            .map(|c| ("stage", c))
    };
    let cycle_of =
        |record: &csv::StringRecord| cycle.and_then(|c| record[c].trim().parse::<i32>().ok());

    // A long file may span several elections: it is read for the cycle of most rows, so
    // that one row's typo does not choose it. A first pass counts them.
    let mut cycles: BTreeMap<i32, u64> = BTreeMap::new();
    if cycle.is_some() {
        let mut rows = table.rows();
        while let Some(row) = rows.next_row() {
            if let Row::Fields(_, record) = row {
                if let Some(c) = cycle_of(record).filter(|_| not_presidential(record).is_none()) {
                    *cycles.entry(c).or_insert(0) += 1;
                }
            }
        }
    }
    // The most rows; a tie goes to the later cycle.
    let chosen = cycles
        .iter()
        .max_by_key(|(c, n)| (**n, **c))
        .map(|(c, n)| (*c, *n));
    builder.cycle = chosen.map(|(c, n)| (c, n, cycles.values().sum()));
    let chosen_cycle = chosen.map(|(c, _)| c);

    type Key = (String, State, String, u64, NaiveDate, NaiveDate);
    let mut groups: BTreeMap<Key, LongPoll> = BTreeMap::new();
    let mut rows = table.rows();
    while let Some(row) = rows.next_row() {
        builder.rows += 1;
        let (line, record) = match row {
            Row::Fields(line, record) => (line, record),
            Row::Malformed(line, why) => {
                builder.malformed(line, &why);
                continue;
            }
        };
        if let Some((column, c)) = not_presidential(record) {
            builder.skip(
                line,
                SkipReason::NotGeneralPresidential,
                column,
                &record[c],
                1,
            );
            continue;
        }
        if chosen_cycle.is_some() && cycle_of(record) != chosen_cycle {
            let text = cycle.map_or("", |c| &record[c]);
            builder.skip(line, SkipReason::OtherCycle, "cycle", text, 1);
            continue;
        }
        let party_text = record[party].trim().to_ascii_uppercase();
        let is_dem = party_text == "DEM";
        if !is_dem && party_text != "REP" {
            builder.skip(
                line,
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
        let (key, value) = match parsed {
            Ok(parsed) => parsed,
            Err((reason, column, value)) => {
                builder.skip(line, reason, column, &value, 1);
                continue;
            }
        };
        let group = groups.entry(key).or_default();
        // Without a question id, two answers alike may be two questions.
        if let Some(q) = question {
            let answer = (
                record[q].trim().to_string(),
                format!(
                    "{party_text} {}",
                    candidate.map_or("", |c| record[c].trim())
                ),
                (value + 0.0).to_bits(),
            );
            if let Some((_, first)) = group.answers.iter().find(|(a, _)| *a == answer) {
                let value = format!("same as line {first}");
                builder.skip(line, SkipReason::DuplicateRow, "", &value, 1);
                continue;
            }
            group.answers.push((answer, line));
        }
        if group.rows == 0 {
            group.first_line = line;
        }
        group.rows += 1;
        if is_dem {
            group.dem.push(value)
        } else {
            group.rep.push(value)
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    // In key order: the polls are put in time and file order when all are read.
    for ((_, state_code, pollster_name, n, s, e), group) in groups {
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
        builder.push(group.first_line, fields, group.rows);
    }
    Ok(())
}
