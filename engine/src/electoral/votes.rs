//! Electoral votes per unit: the built-in tables by census apportionment and a user's
//! table read from CSV bytes (ELECTORAL.md §1).
//!
//! ```text
//! majority = floor(total / 2) + 1        tie = total / 2   (only when total is even)
//! ```

use std::fmt;

use crate::report::{LoadError, StaticText};
use crate::states::{State, STATES};
use crate::table::{Row, Table};

/// Units, in [`State`] index order.
pub const UNITS: usize = STATES.len();

/// The largest total a user's table may have: it sizes every histogram of electoral-vote
/// totals, and no real electoral college comes near it.
pub const MAX_TOTAL: u32 = 10_000;

/// Which census apportioned a built-in table, or the user's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum VotesSource {
    /// The apportionment after this census (1990, 2000, 2010 or 2020).
    Census(i32),
    /// A table read from the user's file.
    UserFile,
}

impl fmt::Display for VotesSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VotesSource::Census(year) => write!(f, "{year} census apportionment"),
            VotesSource::UserFile => f.write_str("the electoral-votes file"),
        }
    }
}

/// Electoral votes of the 51 units.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ElectoralVotes {
    #[cfg_attr(feature = "serde", serde(with = "serde_big_array::BigArray"))]
    votes: [u32; UNITS],
    total: u32,
    source: VotesSource,
}

// In State index order: AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME
// MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY.
#[rustfmt::skip]
const CENSUS_1990: [u32; UNITS] = [
    3, 9, 6, 8, 54, 8, 8, 3, 3, 25, 13, 4, 7, 4, 22, 12, 6, 8, 9, 12, 10, 4,
    18, 10, 11, 7, 3, 14, 3, 5, 4, 15, 5, 4, 33, 21, 8, 7, 23, 4, 8, 3, 11, 32, 5, 13, 3, 11, 11, 5, 3,
];
#[rustfmt::skip]
const CENSUS_2000: [u32; UNITS] = [
    3, 9, 6, 10, 55, 9, 7, 3, 3, 27, 15, 4, 7, 4, 21, 11, 6, 8, 9, 12, 10, 4,
    17, 10, 11, 6, 3, 15, 3, 5, 4, 15, 5, 5, 31, 20, 7, 7, 21, 4, 8, 3, 11, 34, 5, 13, 3, 11, 10, 5, 3,
];
#[rustfmt::skip]
const CENSUS_2010: [u32; UNITS] = [
    3, 9, 6, 11, 55, 9, 7, 3, 3, 29, 16, 4, 6, 4, 20, 11, 6, 8, 8, 11, 10, 4,
    16, 10, 10, 6, 3, 15, 3, 5, 4, 14, 5, 6, 29, 18, 7, 7, 20, 4, 9, 3, 11, 38, 6, 13, 3, 12, 10, 5, 3,
];
#[rustfmt::skip]
const CENSUS_2020: [u32; UNITS] = [
    3, 9, 6, 11, 54, 10, 7, 3, 3, 30, 16, 4, 6, 4, 19, 11, 6, 8, 8, 11, 10, 4,
    15, 10, 10, 6, 4, 16, 3, 5, 4, 14, 5, 6, 28, 17, 7, 8, 19, 4, 9, 3, 11, 40, 6, 13, 3, 12, 10, 4, 3,
];

impl ElectoralVotes {
    /// The first and last election years with a built-in table.
    pub const BUILTIN_YEARS: (i32, i32) = (1992, 2028);

    /// The built-in table of a presidential election year (a multiple of 4) from 1992 to
    /// 2028: the apportionment of the census before it. Other years: `None`.
    pub fn builtin(year: i32) -> Option<ElectoralVotes> {
        let (census, votes) = match year {
            _ if year % 4 != 0 => return None,
            1992..=2000 => (1990, CENSUS_1990),
            2004..=2008 => (2000, CENSUS_2000),
            2012..=2020 => (2010, CENSUS_2010),
            2024..=2028 => (2020, CENSUS_2020),
            _ => return None,
        };
        Some(ElectoralVotes {
            votes,
            total: votes.iter().sum(),
            source: VotesSource::Census(census),
        })
    }

    /// A table from counts in [`State`] index order (any total from 1 to [`MAX_TOTAL`]).
    pub fn new(votes: [u32; UNITS], source: VotesSource) -> Result<ElectoralVotes, VotesError> {
        let total: u64 = votes.iter().map(|&v| u64::from(v)).sum();
        if total == 0 {
            return Err(VotesError::ZeroTotal);
        }
        if total > u64::from(MAX_TOTAL) {
            return Err(VotesError::TotalTooLarge { total });
        }
        Ok(ElectoralVotes {
            votes,
            total: total as u32,
            source,
        })
    }

    /// A user's table: `state,electoral_votes` (state as name or two-letter code), every
    /// unit exactly once. Every problem is reported with its line and column; nothing is
    /// built from part of a table.
    pub fn from_csv(bytes: &[u8]) -> Result<ElectoralVotes, VotesError> {
        let table = Table::read(bytes).map_err(VotesError::Unreadable)?;
        let state_col = table.column(STATE_COLUMN);
        let votes_col = table.column(VOTES_COLUMN);
        let (Some(state_col), Some(votes_col)) = (state_col, votes_col) else {
            let missing = [STATE_COLUMN, VOTES_COLUMN]
                .into_iter()
                .filter(|c| table.column(c).is_none())
                .collect();
            return Err(VotesError::MissingColumns {
                missing,
                header: table.header.join(","),
            });
        };
        let mut problems: Vec<RowProblem> = Vec::new();
        let mut seen: [Option<u64>; UNITS] = [None; UNITS];
        let mut votes = [0u32; UNITS];
        let mut rows = table.rows();
        while let Some(row) = rows.next_row() {
            let (line, record) = match row {
                Row::Fields(line, record) => (line, record),
                Row::Malformed(line, why) => {
                    problems.push(RowProblem {
                        line,
                        column: "",
                        value: why,
                        kind: RowProblemKind::Malformed,
                    });
                    continue;
                }
            };
            let state_text = record.get(state_col).unwrap_or_default().trim();
            let votes_text = record.get(votes_col).unwrap_or_default().trim();
            let state = State::parse(state_text.trim_matches('"'));
            if state.is_none() {
                problems.push(RowProblem::new(
                    line,
                    STATE_COLUMN,
                    state_text,
                    RowProblemKind::UnknownState,
                ));
            }
            let count = parse_count(votes_text);
            if let Err(kind) = &count {
                problems.push(RowProblem::new(
                    line,
                    VOTES_COLUMN,
                    votes_text,
                    kind.clone(),
                ));
            }
            // A unit named twice is a problem even when its first count was not usable.
            let Some(state) = state else {
                continue;
            };
            match seen[state.index()] {
                Some(first_line) => problems.push(RowProblem::new(
                    line,
                    STATE_COLUMN,
                    state_text,
                    RowProblemKind::Duplicate { first_line },
                )),
                None => {
                    seen[state.index()] = Some(line);
                    if let Ok(count) = count {
                        votes[state.index()] = count;
                    }
                }
            }
        }
        let missing: Vec<State> = State::all().filter(|s| seen[s.index()].is_none()).collect();
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(VotesError::BadRows { problems, missing });
        }
        if !missing.is_empty() {
            return Err(VotesError::MissingUnits(missing));
        }
        ElectoralVotes::new(votes, VotesSource::UserFile)
    }

    pub fn votes(&self, state: State) -> u32 {
        self.votes.get(state.index()).copied().unwrap_or(0)
    }

    /// Every unit's votes, in [`State`] index order.
    pub fn all(&self) -> &[u32; UNITS] {
        &self.votes
    }

    pub fn total(&self) -> u32 {
        self.total
    }

    /// `floor(total / 2) + 1`.
    pub fn majority(&self) -> u32 {
        self.total / 2 + 1
    }

    /// `total / 2` when the total is even; no tie is possible otherwise.
    pub fn tie(&self) -> Option<u32> {
        self.total.is_multiple_of(2).then_some(self.total / 2)
    }

    pub fn source(&self) -> VotesSource {
        self.source
    }

    /// Democratic electoral votes given a margin per unit: the units with margin > 0.
    /// `None` unless all 51 units have a (finite) margin.
    pub fn dem_votes(&self, margins: &[Option<f64>; UNITS]) -> Option<u32> {
        let mut ev = 0;
        for (m, v) in margins.iter().zip(self.votes) {
            let m = (*m).filter(|m| m.is_finite())?;
            if m > 0.0 {
                ev += v;
            }
        }
        Some(ev)
    }
}

const STATE_COLUMN: &str = "state";
const VOTES_COLUMN: &str = "electoral_votes";

/// The columns a [`RowProblem`] or [`VotesError`] names, empty for none.
#[cfg(feature = "serde")]
const COLUMNS: [&str; 3] = [STATE_COLUMN, VOTES_COLUMN, ""];

#[cfg(feature = "serde")]
fn column<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    crate::serde_text::one_of(deserializer, &COLUMNS)
}

#[cfg(feature = "serde")]
fn columns<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<&'static str>, D::Error> {
    crate::serde_text::all_of(deserializer, &COLUMNS)
}

fn parse_count(text: &str) -> Result<u32, RowProblemKind> {
    let text = text.trim_matches('"').trim();
    if let Ok(count) = text.parse::<u32>() {
        return Ok(count);
    }
    match text.parse::<i64>() {
        Ok(n) if n < 0 => Err(RowProblemKind::Negative),
        Ok(_) => Err(RowProblemKind::TooLarge),
        Err(_) => Err(RowProblemKind::NotACount),
    }
}

/// Why a row of the user's table cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RowProblemKind {
    UnknownState,
    /// Not a whole number.
    NotACount,
    Negative,
    TooLarge,
    /// The unit already has a row at `first_line`.
    Duplicate {
        first_line: u64,
    },
    /// Not a CSV row of the header's width.
    Malformed,
}

/// One unusable row, by line (1 is the header) and column.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RowProblem {
    pub line: u64,
    /// `state` or `electoral_votes` (empty for a malformed row).
    #[cfg_attr(feature = "serde", serde(deserialize_with = "column"))]
    pub column: StaticText,
    pub value: String,
    pub kind: RowProblemKind,
}

impl RowProblem {
    fn new(line: u64, column: &'static str, value: &str, kind: RowProblemKind) -> RowProblem {
        RowProblem {
            line,
            column,
            value: value.chars().take(60).collect(),
            kind,
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if !self.column.is_empty() {
            write!(f, ", column {}", self.column)?;
        }
        match &self.kind {
            RowProblemKind::UnknownState => write!(f, ": not a state or DC ({:?})", self.value),
            RowProblemKind::NotACount => write!(f, ": not a whole number ({:?})", self.value),
            RowProblemKind::Negative => write!(f, ": negative ({:?})", self.value),
            RowProblemKind::TooLarge => write!(f, ": too large ({:?})", self.value),
            RowProblemKind::Duplicate { first_line } => {
                write!(f, ": {} again (first on line {first_line})", self.value)
            }
            RowProblemKind::Malformed => write!(f, ": malformed row ({})", self.value),
        }
    }
}

/// A user's electoral-votes table that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum VotesError {
    /// Empty, binary or without a readable header.
    Unreadable(LoadError),
    MissingColumns {
        #[cfg_attr(feature = "serde", serde(deserialize_with = "columns"))]
        missing: Vec<&'static str>,
        header: String,
    },
    /// Rows that cannot be used, in line order, and the units no row names.
    BadRows {
        problems: Vec<RowProblem>,
        missing: Vec<State>,
    },
    /// Units without a row.
    MissingUnits(Vec<State>),
    ZeroTotal,
    TotalTooLarge {
        total: u64,
    },
}

/// Problems listed in an error message; the rest are counted.
const LISTED: usize = 10;

impl fmt::Display for VotesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VotesError::Unreadable(e) => write!(f, "electoral votes: {e}"),
            VotesError::MissingColumns { missing, header } => {
                let header: String = header.chars().take(200).collect();
                write!(
                    f,
                    "electoral votes: the header {header:?} lacks the column(s) {}; \
                     expected state,electoral_votes",
                    missing.join(", ")
                )
            }
            VotesError::BadRows { problems, missing } => {
                write!(f, "electoral votes: {} unusable row(s):", problems.len())?;
                for p in problems.iter().take(LISTED) {
                    write!(f, "\n  {p}")?;
                }
                if problems.len() > LISTED {
                    write!(f, "\n  and {} more", problems.len() - LISTED)?;
                }
                if !missing.is_empty() {
                    let codes: Vec<&str> = missing.iter().map(|s| s.code()).collect();
                    write!(f, "\n  and no row for {}", codes.join(", "))?;
                }
                Ok(())
            }
            VotesError::MissingUnits(units) => {
                let codes: Vec<&str> = units.iter().map(|s| s.code()).collect();
                write!(
                    f,
                    "electoral votes: no row for {} (every state and DC needs one)",
                    codes.join(", ")
                )
            }
            VotesError::ZeroTotal => write!(f, "electoral votes: the total is 0"),
            VotesError::TotalTooLarge { total } => write!(
                f,
                "electoral votes: the total {total} is above the maximum of {MAX_TOTAL}"
            ),
        }
    }
}

impl std::error::Error for VotesError {}
