//! What a load did with every row: used, or skipped for a counted reason; and the errors
//! that make a whole file unusable.

use std::collections::BTreeMap;
use std::fmt;

/// Why a row was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    MalformedRow,
    NotAState,
    MissingSampleSize,
    SampleSizeNotPositive,
    BadNumber,
    MissingShare,
    ShareOutOfRange,
    NoTwoPartyTotal,
    MissingDate,
    BadDate,
    EndBeforeStart,
    NotGeneralPresidential,
    OtherCycle,
    ThirdParty,
    MissingParty,
    BadYear,
    DuplicateResult,
}

impl SkipReason {
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::MalformedRow => "malformed CSV row",
            SkipReason::NotAState => "not a state (national, district or unknown)",
            SkipReason::MissingSampleSize => "no sample size",
            SkipReason::SampleSizeNotPositive => "sample size below 1",
            SkipReason::BadNumber => "unreadable number",
            SkipReason::MissingShare => "missing vote share",
            SkipReason::ShareOutOfRange => "share out of range (0 to 100)",
            SkipReason::NoTwoPartyTotal => "Democrat plus Republican is zero",
            SkipReason::MissingDate => "missing date",
            SkipReason::BadDate => "impossible date",
            SkipReason::EndBeforeStart => "end date before start date",
            SkipReason::NotGeneralPresidential => "not a general-election presidential question",
            SkipReason::OtherCycle => "an earlier election cycle",
            SkipReason::ThirdParty => "answer for another party (only DEM and REP are used)",
            SkipReason::MissingParty => "poll without both a DEM and a REP answer",
            SkipReason::BadYear => "unreadable year",
            SkipReason::DuplicateResult => "second result for the same state and year",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One skipped row, named by line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowIssue {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: SkipReason,
}

impl fmt::Display for RowIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if !self.column.is_empty() {
            write!(f, ", column {}", self.column)?;
        }
        write!(f, ": {}", self.reason)?;
        if !self.value.is_empty() {
            write!(f, " ({:?})", self.value)?;
        }
        Ok(())
    }
}

/// Examples kept per reason, so that every reason shows where it happened.
pub const EXAMPLES_PER_REASON: usize = 3;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadReport {
    pub layout: String,
    /// Data rows in the file (the header not counted).
    pub rows: u64,
    /// Rows that went into a poll or result.
    pub used_rows: u64,
    /// Polls or results made from them (several long-layout rows make one poll).
    pub used: u64,
    pub skipped: BTreeMap<SkipReason, u64>,
    pub examples: Vec<RowIssue>,
}

impl LoadReport {
    pub fn skip(&mut self, line: u64, reason: SkipReason, column: &str, value: &str, rows: u64) {
        let count = self.skipped.entry(reason).or_insert(0);
        *count += rows;
        if self.examples.iter().filter(|e| e.reason == reason).count() < EXAMPLES_PER_REASON {
            let value: String = value.chars().take(60).collect();
            self.examples.push(RowIssue {
                line,
                column: column.to_string(),
                value,
                reason,
            });
        }
    }

    pub fn count(&self, reason: SkipReason) -> u64 {
        self.skipped.get(&reason).copied().unwrap_or(0)
    }

    pub fn skipped_rows(&self) -> u64 {
        self.skipped.values().sum()
    }
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} layout: {} rows, {} used ({} records), {} skipped",
            self.layout,
            self.rows,
            self.used_rows,
            self.used,
            self.skipped_rows()
        )?;
        for (reason, count) in &self.skipped {
            writeln!(f, "  {count:>6}  {reason}")?;
        }
        let mut examples = self.examples.clone();
        examples.sort_by_key(|e| e.line);
        for example in &examples {
            writeln!(f, "    {example}")?;
        }
        Ok(())
    }
}

/// A file that cannot be used at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    Empty,
    NotCsv(String),
    UnknownLayout {
        header: String,
        accepted: &'static str,
    },
    MissingColumns {
        layout: String,
        missing: Vec<String>,
        accepted: &'static str,
    },
    NoUsableRows {
        layout: String,
        report: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Empty => write!(f, "the file is empty"),
            LoadError::NotCsv(why) => write!(f, "not a CSV file: {why}"),
            LoadError::UnknownLayout { header, accepted } => {
                let header: String = header.chars().take(200).collect();
                write!(f, "unknown layout: the header is {header:?}; {accepted}")
            }
            LoadError::MissingColumns {
                layout,
                missing,
                accepted,
            } => write!(
                f,
                "the {layout} layout needs the column(s) {} which the header lacks; {accepted}",
                missing.join(", ")
            ),
            LoadError::NoUsableRows { layout, report } => {
                write!(f, "no usable row in this {layout} file:\n{report}")
            }
        }
    }
}

impl std::error::Error for LoadError {}
