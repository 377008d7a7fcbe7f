//! Which of the accepted layouts a polls file is in, and the columns each one needs.

use std::fmt;

use crate::report::LoadError;
use crate::table::Table;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

pub(crate) const ACCEPTED_POLL_LAYOUTS: &str = "accepted layouts: \
FiveThirtyEight 2016 timeseries (state,startdate,enddate,pollster,samplesize,rawpoll_clinton,rawpoll_trump); \
FiveThirtyEight president_polls.csv (poll_id,pollster,state,start_date,end_date,sample_size,party or candidate_party,pct); \
plain (state,start_date,end_date,pollster,sample_size,dem,rep; or date instead of the two dates)";

pub(super) fn detect_layout(header: &[String]) -> Result<PollLayout, LoadError> {
    let has = |name: &str| header.iter().any(|h| h == name);
    let layout = if has("rawpoll_clinton") || has("rawpoll_trump") {
        PollLayout::FiveThirtyEight2016
    } else if has("pct") || has("poll_id") || has("candidate_party") {
        PollLayout::FiveThirtyEightLong
    } else if has("dem") || has("rep") {
        PollLayout::Plain
    } else {
        return Err(LoadError::UnknownLayout {
            columns: header.to_vec(),
            accepted: ACCEPTED_POLL_LAYOUTS,
        });
    };
    let required: Vec<&[&str]> = match layout {
        PollLayout::FiveThirtyEight2016 => WIDE_COLUMNS.names(),
        PollLayout::Plain if has("date") && !has("start_date") => PLAIN_ONE_DATE_COLUMNS.names(),
        PollLayout::Plain => PLAIN_COLUMNS.names(),
        PollLayout::FiveThirtyEightLong => LONG_COLUMNS.to_vec(),
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

/// The columns the long layout reads, besides the required ones.
pub(super) const LONG_OPTIONAL_COLUMNS: [&str; 5] = [
    "cycle",
    "office_type",
    "stage",
    "question_id",
    "candidate_name",
];

/// The names of a header given twice: an error when the layout reads that column (which
/// copy holds the data is unknown), else returned for the report.
pub(super) fn check_duplicate_columns(
    table: &Table,
    layout: PollLayout,
) -> Result<Vec<String>, LoadError> {
    let reads = |name: &str| match layout {
        PollLayout::FiveThirtyEight2016 => WIDE_COLUMNS.reads(name),
        PollLayout::Plain => PLAIN_COLUMNS.reads(name) || PLAIN_ONE_DATE_COLUMNS.reads(name),
        PollLayout::FiveThirtyEightLong => {
            LONG_COLUMNS.iter().any(|names| names.contains(&name))
                || LONG_OPTIONAL_COLUMNS.contains(&name)
        }
    };
    let mut ignored = Vec::new();
    for name in table.duplicate_names() {
        if reads(name) {
            return Err(LoadError::DuplicateColumn {
                column: name.to_string(),
            });
        }
        ignored.push(name.to_string());
    }
    Ok(ignored)
}

/// Column names of a one-row-per-poll layout; each field lists accepted spellings.
pub(super) struct WideColumns {
    pub(super) state: &'static [&'static str],
    pub(super) start: &'static [&'static str],
    pub(super) end: &'static [&'static str],
    pub(super) pollster: &'static [&'static str],
    pub(super) sample_size: &'static [&'static str],
    pub(super) dem: &'static [&'static str],
    pub(super) rep: &'static [&'static str],
}

/// The columns the long layout needs; each lists accepted spellings.
const LONG_COLUMNS: [&[&str]; 8] = [
    &["poll_id"],
    &["pollster"],
    &["state"],
    &["start_date"],
    &["end_date"],
    &["sample_size"],
    &["party", "candidate_party"],
    &["pct"],
];

impl WideColumns {
    fn reads(&self, name: &str) -> bool {
        self.names().iter().any(|names| names.contains(&name))
    }

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

pub(super) const WIDE_COLUMNS: WideColumns = WideColumns {
    state: &["state"],
    start: &["startdate"],
    end: &["enddate"],
    pollster: &["pollster"],
    sample_size: &["samplesize"],
    dem: &["rawpoll_clinton"],
    rep: &["rawpoll_trump"],
};

pub(super) const PLAIN_COLUMNS: WideColumns = WideColumns {
    state: &["state"],
    start: &["start_date", "startdate"],
    end: &["end_date", "enddate"],
    pollster: &["pollster"],
    sample_size: &["sample_size", "samplesize"],
    dem: &["dem"],
    rep: &["rep"],
};

pub(super) const PLAIN_ONE_DATE_COLUMNS: WideColumns = WideColumns {
    state: &["state"],
    start: &["date"],
    end: &["date"],
    pollster: &["pollster"],
    sample_size: &["sample_size", "samplesize"],
    dem: &["dem"],
    rep: &["rep"],
};

pub(super) fn find(table: &Table, names: &[&str]) -> Result<usize, LoadError> {
    names
        .iter()
        .find_map(|n| table.column(n))
        .ok_or_else(|| LoadError::MissingColumns {
            layout: "polls".into(),
            missing: vec![names.join(" or ")],
            accepted: ACCEPTED_POLL_LAYOUTS,
        })
}
