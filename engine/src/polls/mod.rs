//! Polls from CSV bytes, in any of the three accepted layouts (see [`PollLayout`]).
//! Every row that is not used is counted by reason; a few examples name row and column.

mod layout;
mod long;
mod wide;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

pub use layout::PollLayout;
#[cfg(feature = "serde")]
pub(crate) use layout::ACCEPTED_POLL_LAYOUTS;
use layout::{
    check_duplicate_columns, detect_layout, WideColumns, PLAIN_COLUMNS, PLAIN_ONE_DATE_COLUMNS,
    WIDE_COLUMNS,
};
use long::read_long;
use wide::read_wide;

use crate::dates::{day_number, election_day, Day};
use crate::report::{ElectionChoice, ElectionRule, LoadError, LoadReport, SkipReason};
use crate::states::State;
use crate::table::Table;

/// One state poll, Democrat against Republican.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Poll {
    pub state: State,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// `start + (end - start) / 2`, in days; keeps the half day.
    pub mid: Day,
    /// Index into [`PollSet::pollsters`].
    pub pollster: u32,
    pub sample_size: f64,
    pub dem: f64,
    pub rep: f64,
    /// `(dem - rep) / (dem + rep)`.
    pub margin: f64,
    /// The file line the poll came from (1 is the header).
    pub line: u64,
}

/// The polls of one file, in time order (`mid` ascending, ties in file order).
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PollSet {
    pub polls: Vec<Poll>,
    pub pollsters: Vec<String>,
    pub report: LoadReport,
    /// The election the polls are of: the cycle of most rows of a long file, otherwise
    /// the election of most polls (see [`election_of`]); the report says which and why.
    pub year: Option<i32>,
}

impl PollSet {
    pub fn pollster_name(&self, poll: &Poll) -> &str {
        self.pollsters
            .get(poll.pollster as usize)
            .map_or("", String::as_str)
    }
}

/// Reads polls from CSV bytes, detecting the layout from the header.
pub fn load_polls(bytes: &[u8]) -> Result<PollSet, LoadError> {
    let table = Table::read(bytes)?;
    let layout = detect_layout(&table.header)?;
    let duplicate_columns = check_duplicate_columns(&table, layout)?;
    let mut builder = Builder::new(layout, &table);
    builder.report.duplicate_columns = duplicate_columns;
    match layout {
        PollLayout::FiveThirtyEight2016 => read_wide(&table, &mut builder, &WIDE_COLUMNS)?,
        PollLayout::Plain => read_wide(&table, &mut builder, plain_columns(&table))?,
        PollLayout::FiveThirtyEightLong => read_long(&table, &mut builder)?,
    }
    let set = builder.finish();
    if set.polls.is_empty() {
        return Err(LoadError::NoUsableRows {
            layout: set.report.layout.clone(),
            report: set.report.to_string(),
        });
    }
    Ok(set)
}

fn plain_columns(table: &Table) -> &'static WideColumns {
    if table.column("date").is_some() && table.column("start_date").is_none() {
        &PLAIN_ONE_DATE_COLUMNS
    } else {
        &PLAIN_COLUMNS
    }
}

/// A field that failed, and why: the row is skipped and counted.
pub(super) type Rejection = (SkipReason, &'static str, String);

pub(super) struct Fields {
    state: State,
    start: NaiveDate,
    end: NaiveDate,
    pollster: String,
    sample_size: f64,
    dem: f64,
    rep: f64,
}

/// Accepts `YYYY-MM-DD`, `M/D/YY` and `M/D/YYYY`.
pub(super) fn parse_date(text: &str) -> Result<NaiveDate, SkipReason> {
    let text = text.trim();
    if text.is_empty() {
        return Err(SkipReason::MissingDate);
    }
    if let Some(date) = iso_date(text) {
        return date;
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date);
    }
    let parts: Vec<&str> = text.split('/').collect();
    if let [m, d, y] = parts[..] {
        let (Ok(m), Ok(d), Ok(mut y)) = (m.parse::<u32>(), d.parse::<u32>(), y.parse::<i32>())
        else {
            return Err(SkipReason::BadDate);
        };
        if parts[2].len() <= 2 {
            y += 2000;
        }
        return NaiveDate::from_ymd_opt(y, m, d).ok_or(SkipReason::BadDate);
    }
    Err(SkipReason::BadDate)
}

/// A date written `YYYY-MM-DD` with exactly those digits, the form of most polls files,
/// read without chrono's format parser (an eighth of the built-in polls' read natively);
/// `None` for any other shape, left to the parser. The same dates as `%Y-%m-%d` gives.
fn iso_date(text: &str) -> Option<Result<NaiveDate, SkipReason>> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let digits = |from: usize, to: usize| {
        bytes[from..to].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let year = i32::try_from(digits(0, 4)?).ok()?;
    let (month, day) = (digits(5, 7)?, digits(8, 10)?);
    Some(NaiveDate::from_ymd_opt(year, month, day).ok_or(SkipReason::BadDate))
}

fn parse_number(text: &str) -> Result<Option<f64>, SkipReason> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("na") || text.eq_ignore_ascii_case("nan") {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(SkipReason::BadNumber),
    }
}

pub(super) fn parse_sample_size(text: &str) -> Result<f64, SkipReason> {
    match parse_number(text)? {
        None => Err(SkipReason::MissingSampleSize),
        Some(n) if n >= 1.0 => Ok(n),
        Some(_) => Err(SkipReason::SampleSizeNotPositive),
    }
}

pub(super) fn parse_share(text: &str) -> Result<f64, SkipReason> {
    match parse_number(text)? {
        None => Err(SkipReason::MissingShare),
        Some(v) if (0.0..=100.0).contains(&v) => Ok(v),
        Some(_) => Err(SkipReason::ShareOutOfRange),
    }
}

pub(super) struct Builder {
    layout: PollLayout,
    /// The header's names of the date columns, for the rows skipped on their dates.
    start_column: String,
    end_column: String,
    polls: Vec<Poll>,
    /// The file rows each poll was made of (several in a long file).
    poll_rows: Vec<u64>,
    pollsters: Vec<String>,
    pollster_index: BTreeMap<String, u32>,
    report: LoadReport,
    /// Data rows read, malformed ones too.
    rows: u64,
    used_rows: u64,
    /// The cycle a long file was read for, with its rows and the rows with a cycle.
    cycle: Option<(i32, u64, u64)>,
}

impl Builder {
    fn new(layout: PollLayout, table: &Table) -> Builder {
        let columns = match layout {
            PollLayout::FiveThirtyEight2016 => &WIDE_COLUMNS,
            PollLayout::Plain => plain_columns(table),
            PollLayout::FiveThirtyEightLong => &PLAIN_COLUMNS,
        };
        let name = |names: &[&str]| {
            let found = names.iter().find(|n| table.column(n).is_some());
            found
                .or(names.first())
                .map_or(String::new(), |n| n.to_string())
        };
        Builder {
            layout,
            start_column: name(columns.start),
            end_column: name(columns.end),
            polls: Vec::new(),
            poll_rows: Vec::new(),
            pollsters: Vec::new(),
            pollster_index: BTreeMap::new(),
            report: LoadReport {
                encoding: table.encoding,
                ..LoadReport::default()
            },
            rows: 0,
            used_rows: 0,
            cycle: None,
        }
    }

    fn malformed(&mut self, line: u64, why: &str) {
        self.skip(line, SkipReason::MalformedRow, "", why, 1);
    }

    fn skip(&mut self, line: u64, reason: SkipReason, column: &str, value: &str, rows: u64) {
        self.report.skip(line, reason, column, value, rows);
    }

    /// A poll made of `rows` file rows, the first on `line`.
    fn push(&mut self, line: u64, f: Fields, rows: u64) {
        if f.end < f.start {
            let value = format!("{} before {}", f.end, f.start);
            let column = self.end_column.clone();
            self.skip(line, SkipReason::EndBeforeStart, &column, &value, rows);
            return;
        }
        let total = f.dem + f.rep;
        if total <= 0.0 {
            self.skip(line, SkipReason::NoTwoPartyTotal, "", "dem + rep = 0", rows);
            return;
        }
        let next = self.pollsters.len() as u32;
        let pollster = *self
            .pollster_index
            .entry(f.pollster.clone())
            .or_insert_with(|| {
                self.pollsters.push(f.pollster.clone());
                next
            });
        let start = day_number(f.start) as f64;
        let end = day_number(f.end) as f64;
        self.used_rows += rows;
        self.poll_rows.push(rows);
        self.polls.push(Poll {
            state: f.state,
            start: f.start,
            end: f.end,
            mid: start + (end - start) / 2.0,
            pollster,
            sample_size: f.sample_size,
            // -0 and 0 are one share: copies of a poll must compare equal.
            dem: f.dem + 0.0,
            rep: f.rep + 0.0,
            margin: (f.dem - f.rep) / total,
            line,
        });
    }

    /// Skips poll `i` for `reason`, counting its rows; the caller then drops it.
    fn skip_poll(&mut self, i: usize, reason: SkipReason, column: &str, value: &str) {
        let rows = self.poll_rows[i];
        self.used_rows -= rows;
        self.report
            .skip(self.polls[i].line, reason, column, value, rows);
    }

    /// Drops the polls marked in `drop`, in place.
    fn drop_polls(&mut self, drop: &[bool]) {
        if !drop.contains(&true) {
            return;
        }
        let mut index = 0;
        self.polls.retain(|_| {
            index += 1;
            !drop[index - 1]
        });
        let mut index = 0;
        self.poll_rows.retain(|_| {
            index += 1;
            !drop[index - 1]
        });
    }

    /// Each poll once: a later copy (same state, pollster, dates, sample size and shares)
    /// is skipped, naming the line of the first.
    fn drop_duplicates(&mut self) {
        let key = |p: &Poll| {
            (
                p.state,
                p.pollster,
                p.start,
                p.end,
                p.sample_size.to_bits(),
                p.dem.to_bits(),
                p.rep.to_bits(),
            )
        };
        // Sorted by key, copies sit together, the first in the file first. The keys are
        // sorted beside their polls' indices, not looked up at each comparison.
        let mut order: Vec<_> = self
            .polls
            .iter()
            .enumerate()
            .map(|(i, p)| (key(p), p.line, i))
            .collect();
        order.sort_unstable();
        let mut drop = vec![false; self.polls.len()];
        let mut first = 0;
        for pair in order.windows(2) {
            if pair[0].0 != pair[1].0 {
                first = pair[1].2;
                continue;
            }
            let value = format!("same as line {}", self.polls[first].line);
            self.skip_poll(pair[1].2, SkipReason::DuplicatePoll, "", &value);
            drop[pair[1].2] = true;
        }
        self.drop_polls(&drop);
    }

    /// Keeps the polls of one election: the cycle of a long file, or else the election of
    /// most polls. The others, and polls that start before the previous election, are
    /// skipped and named. Returns the election's year.
    fn keep_one_election(&mut self) -> Option<i32> {
        let choice = match self.cycle {
            Some((year, count, total)) => ElectionChoice {
                year,
                rule: ElectionRule::Cycle,
                count,
                total,
            },
            None => {
                let mut counts: BTreeMap<i32, u64> = BTreeMap::new();
                for year in self.polls.iter().filter_map(|p| election_of(p.end)) {
                    *counts.entry(year).or_insert(0) += 1;
                }
                // The most polls; a tie goes to the later election.
                let (&year, &count) = counts.iter().max_by_key(|(y, n)| (**n, **y))?;
                ElectionChoice {
                    year,
                    rule: ElectionRule::MostPolls,
                    count,
                    total: self.polls.len() as u64,
                }
            }
        };
        self.report.election = Some(choice);
        let previous = election_day(choice.year.saturating_sub(4));
        let mut drop = vec![false; self.polls.len()];
        for (i, dropped) in drop.iter_mut().enumerate() {
            let poll = &self.polls[i];
            let election = election_of(poll.end);
            let (column, value) = if election != Some(choice.year) {
                let value = format!("{} (election {})", poll.end, fmt_year(election));
                (self.end_column.clone(), value)
            } else if previous.is_some_and(|previous| poll.start <= previous) {
                let value = format!("{} (election {})", poll.start, choice.year);
                (self.start_column.clone(), value)
            } else {
                continue;
            };
            self.skip_poll(i, SkipReason::OtherElection, &column, &value);
            *dropped = true;
        }
        self.drop_polls(&drop);
        Some(choice.year)
    }

    fn finish(mut self) -> PollSet {
        self.drop_duplicates();
        let year = self.keep_one_election();
        // Ties in time keep file order: a poll's line is its first row's.
        self.polls
            .sort_unstable_by(|a, b| a.mid.total_cmp(&b.mid).then(a.line.cmp(&b.line)));
        self.report.layout = self.layout.to_string();
        self.report.rows = self.rows;
        self.report.used = self.polls.len() as u64;
        self.report.used_rows = self.used_rows;
        PollSet {
            year: year.filter(|_| !self.polls.is_empty()),
            polls: self.polls,
            pollsters: self.pollsters,
            report: self.report,
        }
    }
}

fn fmt_year(year: Option<i32>) -> String {
    year.map_or("unknown".into(), |y| y.to_string())
}

/// The presidential election a poll belongs to: the first election day on or after its
/// end date. `None` out of the calendar's range.
pub fn election_of(end: NaiveDate) -> Option<i32> {
    let year = end.year();
    let mut election = year.checked_add((4 - year.rem_euclid(4)) % 4)?;
    if election_day(election)? < end {
        election = election.checked_add(4)?;
    }
    election_day(election).map(|_| election)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `parse_date` before its `YYYY-MM-DD` shortcut: chrono's format, then `m/d/y`.
    fn by_chrono(text: &str) -> Result<NaiveDate, SkipReason> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SkipReason::MissingDate);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").or_else(|_| {
            let parts: Vec<&str> = text.split('/').collect();
            match parts[..] {
                [m, d, y] => match (m.parse::<u32>(), d.parse::<u32>(), y.parse::<i32>()) {
                    (Ok(m), Ok(d), Ok(y)) => {
                        let y = if parts[2].len() <= 2 { y + 2000 } else { y };
                        NaiveDate::from_ymd_opt(y, m, d).ok_or(SkipReason::BadDate)
                    }
                    _ => Err(SkipReason::BadDate),
                },
                _ => Err(SkipReason::BadDate),
            }
        })
    }

    #[test]
    fn dates_read_as_chronos_format_does() {
        let mut texts: Vec<String> = [
            "2016-11-03",
            " 2016-11-03 ",
            "2016-02-29",
            "2015-02-29",
            "2016-02-30",
            "2016-13-01",
            "2016-00-10",
            "2016-01-00",
            "0000-01-01",
            "9999-12-31",
            "2016-1-05",
            "2016-01-5",
            "16-01-05",
            "+2016-01-05",
            "2016-01-05x",
            "2016/01/05",
            "2016-0a-05",
            "20160105",
            "2016--1-05",
            "11/3/2016",
            "11/03/16",
            "",
            "na",
            "２０１６-01-05",
            "2016-01-0٥",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        // Every date of a leap year and the next, and each day's shape without its zeros.
        let mut day = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
        while day.year() < 2018 {
            texts.push(day.format("%Y-%m-%d").to_string());
            texts.push(day.format("%Y-%-m-%-d").to_string());
            day = day.succ_opt().unwrap();
        }
        for text in &texts {
            assert_eq!(parse_date(text), by_chrono(text), "{text:?}");
        }
    }
}
