//! FiveThirtyEight's long `president_polls.csv`: one row per poll and answer, gathered by
//! poll.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::layout::find;
use super::{parse_date, parse_sample_size, parse_share, Builder, Fields, Rejection};
use crate::report::{LoadError, SkipReason};
use crate::states::State;
use crate::table::{Row, Table};

/// One answer row of a poll in a long file.
struct Answer {
    line: u64,
    dem: bool,
    share: f64,
    /// Its question id and candidate, when the file has question ids: an answer alike in
    /// these, party and share is the same row again.
    question: Option<String>,
}

impl Answer {
    fn identity(&self) -> Option<(&str, bool, u64)> {
        let question = self.question.as_deref()?;
        Some((question, self.dem, (self.share + 0.0).to_bits()))
    }
}

/// The answers of one poll in a long file, in file order.
type LongPoll = Vec<Answer>;

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
        let question = question.map(|q| {
            let candidate = candidate.map_or("", |c| record[c].trim());
            format!("{}\t{candidate}", record[q].trim())
        });
        groups.entry(key).or_default().push(Answer {
            line,
            dem: is_dem,
            share: value,
            question,
        });
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    // In key order: the polls are put in time and file order when all are read.
    for ((_, state_code, pollster_name, n, s, e), answers) in groups {
        let answers = drop_repeated_answers(answers, builder);
        let Some(first_line) = answers.first().map(|a| a.line) else {
            continue;
        };
        let rows = answers.len() as u64;
        let shares = |dem: bool| -> Vec<f64> {
            answers
                .iter()
                .filter(|a| a.dem == dem)
                .map(|a| a.share)
                .collect()
        };
        let (dem, rep) = (shares(true), shares(false));
        if dem.is_empty() || rep.is_empty() {
            let missing = if dem.is_empty() { "DEM" } else { "REP" };
            builder.skip(first_line, SkipReason::MissingParty, "party", missing, rows);
            continue;
        }
        let fields = Fields {
            state: state_code,
            start: s,
            end: e,
            pollster: pollster_name,
            sample_size: f64::from_bits(n),
            dem: mean(&dem),
            rep: mean(&rep),
        };
        // The poll's other answer rows are part of it, not lost.
        builder.push(first_line, fields, rows);
    }
    Ok(())
}

/// A poll's answers less those given again (same question, candidate, party and share),
/// which are skipped naming the first; file order kept.
fn drop_repeated_answers(mut answers: LongPoll, builder: &mut Builder) -> LongPoll {
    if answers.len() < 2 || answers[0].question.is_none() {
        return answers;
    }
    // Sorted, copies sit together, the first in the file first: n log n for any poll.
    answers.sort_by(|a, b| a.identity().cmp(&b.identity()).then(a.line.cmp(&b.line)));
    let mut first = 0;
    let mut repeated = vec![false; answers.len()];
    for i in 1..answers.len() {
        if answers[i].identity() != answers[first].identity() {
            first = i;
            continue;
        }
        let value = format!("same as line {}", answers[first].line);
        builder.skip(answers[i].line, SkipReason::DuplicateRow, "", &value, 1);
        repeated[i] = true;
    }
    let mut index = 0;
    answers.retain(|_| {
        index += 1;
        !repeated[index - 1]
    });
    answers.sort_by_key(|a| a.line);
    answers
}
