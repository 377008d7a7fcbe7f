//! Polls from CSV bytes, in any of the three accepted layouts (see [`PollLayout`]).
//! Every row that is not used is counted by reason; a few examples name row and column.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::dates::{day_number, Day};
use crate::report::{LoadError, LoadReport, SkipReason};
use crate::states::State;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollLayout {
    /// FiveThirtyEight's 2016 "timeseries" table (`rawpoll_clinton`, `rawpoll_trump`).
    FiveThirtyEight2016,
    /// FiveThirtyEight's long `president_polls.csv`: one row per poll and answer.
    FiveThirtyEightLong,
    /// `state,start_date,end_date,pollster,sample_size,dem,rep` (or `date`).
    Plain,
}

impl fmt::Display for PollLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PollLayout::FiveThirtyEight2016 => "FiveThirtyEight 2016 timeseries",
            PollLayout::FiveThirtyEightLong => "FiveThirtyEight president_polls (long)",
            PollLayout::Plain => "plain (state, dates, pollster, sample size, dem, rep)",
        })
    }
}

pub const ACCEPTED_POLL_LAYOUTS: &str = "accepted layouts: \
FiveThirtyEight 2016 timeseries (state,startdate,enddate,pollster,samplesize,rawpoll_clinton,rawpoll_trump); \
FiveThirtyEight president_polls.csv (poll_id,pollster,state,start_date,end_date,sample_size,party or candidate_party,pct); \
plain (state,start_date,end_date,pollster,sample_size,dem,rep; or date instead of the two dates)";

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

/// A whole CSV file: header and rows, with each row's line number.
pub(crate) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u64, csv::StringRecord)>,
    pub malformed: Vec<(u64, String)>,
}

impl Table {
    pub fn read(bytes: &[u8]) -> Result<Table, LoadError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(LoadError::Empty);
        }
        if bytes.contains(&0) {
            return Err(LoadError::NotCsv(
                "the file holds binary data (a NUL byte)".into(),
            ));
        }
        let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let delimiter = if first_line.contains(&b'\t') {
            b'\t'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(bytes);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| LoadError::NotCsv(format!("the header cannot be read: {e}")))?
            .iter()
            .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
            .collect();
        let width = header.len();
        let mut rows = Vec::new();
        let mut malformed = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line());
                    if record.len() == 1 && record[0].trim().is_empty() {
                        continue;
                    }
                    if record.len() != width {
                        malformed.push((
                            line,
                            format!("{} fields, the header has {width}", record.len()),
                        ));
                    } else {
                        rows.push((line, record.clone()));
                    }
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    malformed.push((line, e.to_string()));
                    // The csv reader may not advance past some errors; stop rather than spin.
                    if !matches!(
                        e.kind(),
                        csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. }
                    ) {
                        break;
                    }
                }
            }
        }
        if rows.is_empty()
            && malformed.is_empty()
            && width <= 1
            && header.iter().all(|h| h.is_empty())
        {
            return Err(LoadError::Empty);
        }
        Ok(Table {
            header,
            rows,
            malformed,
        })
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

fn detect_layout(header: &[String]) -> Result<PollLayout, LoadError> {
    let has = |name: &str| header.iter().any(|h| h == name);
    let layout = if has("rawpoll_clinton") || has("rawpoll_trump") {
        PollLayout::FiveThirtyEight2016
    } else if has("pct") || has("poll_id") || has("candidate_party") {
        PollLayout::FiveThirtyEightLong
    } else if has("dem") || has("rep") {
        PollLayout::Plain
    } else {
        return Err(LoadError::UnknownLayout {
            header: header.join(","),
            accepted: ACCEPTED_POLL_LAYOUTS,
        });
    };
    let required: Vec<&[&str]> = match layout {
        PollLayout::FiveThirtyEight2016 => WIDE_COLUMNS.names(),
        PollLayout::Plain if has("date") && !has("start_date") => PLAIN_ONE_DATE_COLUMNS.names(),
        PollLayout::Plain => PLAIN_COLUMNS.names(),
        PollLayout::FiveThirtyEightLong => vec![
            &["poll_id"],
            &["pollster"],
            &["state"],
            &["start_date"],
            &["end_date"],
            &["sample_size"],
            &["party", "candidate_party"],
            &["pct"],
        ],
    };
    let missing: Vec<String> = required
        .iter()
        .filter(|names| !names.iter().any(|n| has(n)))
        .map(|names| names.join(" or "))
        .collect();
    if missing.is_empty() {
        Ok(layout)
    } else {
        Err(LoadError::MissingColumns {
            layout: layout.to_string(),
            missing,
            accepted: ACCEPTED_POLL_LAYOUTS,
        })
    }
}

/// Column names of a one-row-per-poll layout; each field lists accepted spellings.
struct WideColumns {
    state: &'static [&'static str],
    start: &'static [&'static str],
    end: &'static [&'static str],
    pollster: &'static [&'static str],
    sample_size: &'static [&'static str],
    dem: &'static [&'static str],
    rep: &'static [&'static str],
}

impl WideColumns {
    fn names(&self) -> Vec<&[&'static str]> {
        vec![
            self.state,
            self.start,
            self.end,
            self.pollster,
            self.sample_size,
            self.dem,
            self.rep,
        ]
    }
}

const WIDE_COLUMNS: WideColumns = WideColumns {
    state: &["state"],
    start: &["startdate"],
    end: &["enddate"],
    pollster: &["pollster"],
    sample_size: &["samplesize"],
    dem: &["rawpoll_clinton"],
    rep: &["rawpoll_trump"],
};

const PLAIN_COLUMNS: WideColumns = WideColumns {
    state: &["state"],
    start: &["start_date", "startdate"],
    end: &["end_date", "enddate"],
    pollster: &["pollster"],
    sample_size: &["sample_size", "samplesize"],
    dem: &["dem"],
    rep: &["rep"],
};

const PLAIN_ONE_DATE_COLUMNS: WideColumns = WideColumns {
    state: &["state"],
    start: &["date"],
    end: &["date"],
    pollster: &["pollster"],
    sample_size: &["sample_size", "samplesize"],
    dem: &["dem"],
    rep: &["rep"],
};

fn find(table: &Table, names: &[&str]) -> Result<usize, LoadError> {
    names
        .iter()
        .find_map(|n| table.column(n))
        .ok_or_else(|| LoadError::MissingColumns {
            layout: "polls".into(),
            missing: vec![names.join(" or ")],
            accepted: ACCEPTED_POLL_LAYOUTS,
        })
}

/// A field that failed, and why: the row is skipped and counted.
type Rejection = (SkipReason, &'static str, String);

struct Fields {
    state: State,
    start: NaiveDate,
    end: NaiveDate,
    pollster: String,
    sample_size: f64,
    dem: f64,
    rep: f64,
}

fn read_wide(table: &Table, builder: &mut Builder, columns: &WideColumns) -> Result<(), LoadError> {
    let state = find(table, columns.state)?;
    let start = find(table, columns.start)?;
    let end = find(table, columns.end)?;
    let pollster = find(table, columns.pollster)?;
    let sample_size = find(table, columns.sample_size)?;
    let dem = find(table, columns.dem)?;
    let rep = find(table, columns.rep)?;
    builder.add_malformed(table);
    for (line, record) in &table.rows {
        let name = |i: usize| table.header[i].clone();
        let parsed = (|| -> Result<Fields, Rejection> {
            let state_text = &record[state];
            let state_code = State::parse(state_text).ok_or_else(|| {
                (
                    SkipReason::NotAState,
                    columns.state[0],
                    state_text.to_string(),
                )
            })?;
            let start_date = parse_date(&record[start])
                .map_err(|r| (r, columns.start[0], record[start].to_string()))?;
            let end_date = parse_date(&record[end])
                .map_err(|r| (r, columns.end[0], record[end].to_string()))?;
            let n = parse_sample_size(&record[sample_size])
                .map_err(|r| (r, columns.sample_size[0], record[sample_size].to_string()))?;
            let d = parse_share(&record[dem])
                .map_err(|r| (r, columns.dem[0], record[dem].to_string()))?;
            let r = parse_share(&record[rep])
                .map_err(|r| (r, columns.rep[0], record[rep].to_string()))?;
            Ok(Fields {
                state: state_code,
                start: start_date,
                end: end_date,
                pollster: record[pollster].trim().to_string(),
                sample_size: n,
                dem: d,
                rep: r,
            })
        })();
        match parsed {
            Ok(fields) => builder.push(*line, fields, &name(end)),
            Err((reason, column, value)) => builder.skip(*line, reason, column, &value, 1),
        }
    }
    Ok(())
}

/// The answers of one poll in a long file, gathered by poll.
#[derive(Default)]
struct LongPoll {
    first_line: u64,
    rows: u64,
    dem: Vec<f64>,
    rep: Vec<f64>,
}

fn read_long(table: &Table, builder: &mut Builder) -> Result<(), LoadError> {
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

/// Accepts `YYYY-MM-DD`, `M/D/YY` and `M/D/YYYY`.
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, SkipReason> {
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

fn parse_sample_size(text: &str) -> Result<f64, SkipReason> {
    match parse_number(text)? {
        None => Err(SkipReason::MissingSampleSize),
        Some(n) if n >= 1.0 => Ok(n),
        Some(_) => Err(SkipReason::SampleSizeNotPositive),
    }
}

fn parse_share(text: &str) -> Result<f64, SkipReason> {
    match parse_number(text)? {
        None => Err(SkipReason::MissingShare),
        Some(v) if (0.0..=100.0).contains(&v) => Ok(v),
        Some(_) => Err(SkipReason::ShareOutOfRange),
    }
}

struct Builder {
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
