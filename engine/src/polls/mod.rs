//! Polls from CSV bytes, in any of the three accepted layouts (see [`PollLayout`]).
//! Every row that is not used is counted by reason; a few examples name row and column.

mod layout;
mod long;
mod wide;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

pub use layout::PollLayout;
use layout::{detect_layout, PLAIN_COLUMNS, PLAIN_ONE_DATE_COLUMNS, WIDE_COLUMNS};
use long::read_long;
use wide::read_wide;

use crate::dates::{day_number, Day};
use crate::report::{LoadError, LoadReport, SkipReason};
use crate::states::State;
use crate::table::Table;

/// One state poll, Democrat against Republican.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, Default)]
pub struct PollSet {
    pub polls: Vec<Poll>,
    pub pollsters: Vec<String>,
    pub report: LoadReport,
    /// The election year the file speaks of: the latest cycle of a long file,
    /// otherwise the year of the latest poll.
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
    let mut builder = Builder::new(layout);
    match layout {
        PollLayout::FiveThirtyEight2016 => read_wide(&table, &mut builder, &WIDE_COLUMNS)?,
        PollLayout::Plain => {
            let columns = if table.column("date").is_some() && table.column("start_date").is_none()
            {
                &PLAIN_ONE_DATE_COLUMNS
            } else {
                &PLAIN_COLUMNS
            };
            read_wide(&table, &mut builder, columns)?
        }
        PollLayout::FiveThirtyEightLong => read_long(&table, &mut builder)?,
    }
    let set = builder.finish(table.rows.len() as u64);
    if set.polls.is_empty() {
        return Err(LoadError::NoUsableRows {
            layout: set.report.layout.clone(),
            report: set.report.to_string(),
        });
    }
    Ok(set)
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
    polls: Vec<Poll>,
    pollsters: Vec<String>,
    pollster_index: BTreeMap<String, u32>,
    report: LoadReport,
    used_rows: u64,
    year: Option<i32>,
}

impl Builder {
    fn new(layout: PollLayout) -> Builder {
        Builder {
            layout,
            polls: Vec::new(),
            pollsters: Vec::new(),
            pollster_index: BTreeMap::new(),
            report: LoadReport::default(),
            used_rows: 0,
            year: None,
        }
    }

    fn add_malformed(&mut self, table: &Table) {
        for (line, message) in &table.malformed {
            self.skip(*line, SkipReason::MalformedRow, "", message, 1);
        }
    }

    fn skip(&mut self, line: u64, reason: SkipReason, column: &str, value: &str, rows: u64) {
        self.report.skip(line, reason, column, value, rows);
    }

    fn push(&mut self, line: u64, f: Fields, end_column: &str) {
        if f.end < f.start {
            let value = format!("{} before {}", f.end, f.start);
            self.skip(line, SkipReason::EndBeforeStart, end_column, &value, 1);
            return;
        }
        let total = f.dem + f.rep;
        if total <= 0.0 {
            self.skip(line, SkipReason::NoTwoPartyTotal, "", "dem + rep = 0", 1);
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
        self.used_rows += 1;
        self.polls.push(Poll {
            state: f.state,
            start: f.start,
            end: f.end,
            mid: start + (end - start) / 2.0,
            pollster,
            sample_size: f.sample_size,
            dem: f.dem,
            rep: f.rep,
            margin: (f.dem - f.rep) / total,
            line,
        });
    }

    fn finish(mut self, data_rows: u64) -> PollSet {
        // Stable: ties in time keep file order.
        self.polls.sort_by(|a, b| a.mid.total_cmp(&b.mid));
        self.report.layout = self.layout.to_string();
        self.report.rows = data_rows + self.report.count(SkipReason::MalformedRow);
        self.report.used = self.polls.len() as u64;
        self.report.used_rows = self.used_rows;
        let year = self
            .year
            .or_else(|| self.polls.iter().map(|p| p.end.year()).max());
        PollSet {
            polls: self.polls,
            pollsters: self.pollsters,
            report: self.report,
            year,
        }
    }
}
