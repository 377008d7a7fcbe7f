//! What a load did with every row: used, or skipped for a counted reason; and the errors
//! that make a whole file unusable.

use std::collections::BTreeMap;
use std::fmt;

/// Why a row was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    DuplicatePoll,
    OtherElection,
    DuplicateRow,
    IncompleteResult,
    OneParty,
    VotesOverflow,
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
            SkipReason::OtherCycle => "another election cycle",
            SkipReason::ThirdParty => "answer for another party (only DEM and REP are used)",
            SkipReason::MissingParty => "poll without both a DEM and a REP answer",
            SkipReason::BadYear => "unreadable year",
            SkipReason::DuplicateResult => "second result for the same state and year",
            SkipReason::DuplicatePoll => {
                "the same poll again (state, pollster, dates, sample size, shares): counted once"
            }
            SkipReason::OtherElection => {
                "dates outside the election's campaign (after the previous election, by election day)"
            }
            SkipReason::DuplicateRow => "the same row again: counted once",
            SkipReason::IncompleteResult => {
                "state and year with an unreadable Democratic or Republican row: no result"
            }
            SkipReason::OneParty => {
                "state and year without both a Democratic and a Republican row: no result"
            }
            SkipReason::VotesOverflow => "vote total too large to add up: no result",
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// The text encoding a file was read in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Encoding {
    #[default]
    Utf8,
    /// Not valid UTF-8: read as Windows-1252, what spreadsheets on Windows save as "CSV".
    Windows1252,
    /// UTF-16 with a byte-order mark, what spreadsheets save as "Unicode text".
    Utf16Le,
    Utf16Be,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252 (not UTF-8)",
            Encoding::Utf16Le => "UTF-16 little-endian (byte-order mark)",
            Encoding::Utf16Be => "UTF-16 big-endian (byte-order mark)",
        })
    }
}

/// How a polls file's election was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ElectionRule {
    /// The `cycle` of most rows of a long file.
    Cycle,
    /// The election most polls come before: a poll belongs to the first election day on
    /// or after its end date.
    MostPolls,
}

/// The election a polls file was read for, and how many of its polls or rows speak of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ElectionChoice {
    pub year: i32,
    pub rule: ElectionRule,
    /// Polls (or rows, for a cycle) of that election, and of all elections.
    pub count: u64,
    pub total: u64,
}

impl fmt::Display for ElectionChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ElectionChoice {
            year, count, total, ..
        } = self;
        match self.rule {
            ElectionRule::Cycle => write!(
                f,
                "election {year}: the cycle of most rows ({count} of {total} rows with a cycle)"
            ),
            ElectionRule::MostPolls => write!(
                f,
                "election {year}: the election of most polls ({count} of {total}; a poll \
                 belongs to the first election day on or after its end date)"
            ),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    pub encoding: Encoding,
    /// Header names given more than once, in columns the layout does not read.
    pub duplicate_columns: Vec<String>,
    /// The election of a polls file.
    pub election: Option<ElectionChoice>,
}

impl LoadReport {
    pub fn skip(&mut self, line: u64, reason: SkipReason, column: &str, value: &str, rows: u64) {
        let count = self.skipped.entry(reason).or_insert(0);
        *count += rows;
        // The first lines of each reason, whatever order the rows are skipped in.
        let same = || {
            self.examples
                .iter()
                .enumerate()
                .filter(|(_, e)| e.reason == reason)
        };
        let replace = if same().count() < EXAMPLES_PER_REASON {
            None
        } else {
            match same().max_by_key(|(_, e)| e.line) {
                Some((i, last)) if last.line > line => Some(i),
                _ => return,
            }
        };
        let example = RowIssue {
            line,
            column: column.chars().take(60).collect(),
            value: value.chars().take(60).collect(),
            reason,
        };
        match replace {
            Some(i) => self.examples[i] = example,
            None => self.examples.push(example),
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
        if self.encoding != Encoding::Utf8 {
            writeln!(f, "  read as {}", self.encoding)?;
        }
        if let Some(election) = &self.election {
            writeln!(f, "  {election}")?;
        }
        if !self.duplicate_columns.is_empty() {
            writeln!(
                f,
                "  columns named more than once, not read: {}",
                self.duplicate_columns.join(", ")
            )?;
        }
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

/// `&'static str` by another name, for fields that hold one of the engine's own texts:
/// serde's derive borrows every field spelled `&str` from its input, which a value read
/// back cannot do for `'static`; these are read back as the engine's text instead.
pub(crate) type StaticText = &'static str;

/// The text of [`LoadError::UnknownLayout`] and [`LoadError::MissingColumns`].
#[cfg(feature = "serde")]
fn accepted_layouts<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<&'static str, D::Error> {
    crate::serde_text::one_of(
        deserializer,
        &[
            crate::polls::ACCEPTED_POLL_LAYOUTS,
            crate::results::ACCEPTED_RESULT_LAYOUTS,
        ],
    )
}

/// A file that cannot be used at all.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LoadError {
    Empty,
    /// An error of the CSV reader itself (reading from memory, it has none to give).
    NotCsv(String),
    /// A NUL byte: binary data, or UTF-16 text without a byte-order mark.
    NulByte {
        line: u64,
    },
    /// UTF-16 (by its byte-order mark) that does not decode.
    BadUtf16 {
        line: u64,
    },
    /// More header columns than any accepted layout could need.
    TooManyColumns {
        columns: usize,
        max: usize,
    },
    /// A column the layout reads is named twice: which one holds the data is unknown.
    DuplicateColumn {
        column: String,
    },
    /// The header's columns (as split: a wrong delimiter shows as one column) name no
    /// layout.
    UnknownLayout {
        columns: Vec<String>,
        #[cfg_attr(feature = "serde", serde(deserialize_with = "accepted_layouts"))]
        accepted: StaticText,
    },
    MissingColumns {
        layout: String,
        missing: Vec<String>,
        #[cfg_attr(feature = "serde", serde(deserialize_with = "accepted_layouts"))]
        accepted: StaticText,
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
            LoadError::NulByte { line } => write!(
                f,
                "not a CSV file: line {line} holds a NUL byte (binary data, or UTF-16 text \
                 without a byte-order mark): save it as CSV UTF-8"
            ),
            LoadError::BadUtf16 { line } => write!(
                f,
                "line {line} is not valid UTF-16, though the file starts as UTF-16: save it \
                 as CSV UTF-8"
            ),
            LoadError::TooManyColumns { columns, max } => write!(
                f,
                "the header has {columns} columns; the accepted layouts need a few dozen, and \
                 at most {max} are read"
            ),
            LoadError::DuplicateColumn { column } => {
                let column: String = column.chars().take(60).collect();
                write!(
                    f,
                    "the header names the column {column:?} more than once: which one holds \
                     the data is unknown"
                )
            }
            LoadError::UnknownLayout { columns, accepted } => {
                const SHOWN: usize = 20;
                let shown: Vec<String> = columns
                    .iter()
                    .take(SHOWN)
                    .map(|c| format!("{:?}", c.chars().take(40).collect::<String>()))
                    .collect();
                let more = if columns.len() > SHOWN { ", ..." } else { "" };
                write!(
                    f,
                    "unknown layout: the header's {} column(s) are {}{more}; {accepted}",
                    columns.len(),
                    shown.join(", ")
                )
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
