//! Calendar days as numbers, the election-day rule and the forecast-date grid (MODELS.md §2).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, Weekday};

/// Days since 1970-01-01; a poll's middle date may fall at noon (x.5).
pub type Day = f64;

pub fn day_number(date: NaiveDate) -> i64 {
    date.signed_duration_since(epoch()).num_days()
}

pub fn from_day_number(day: i64) -> Option<NaiveDate> {
    epoch().checked_add_signed(chrono::TimeDelta::try_days(day)?)
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid epoch")
}

/// The Tuesday after the first Monday of November.
pub fn election_day(year: i32) -> Option<NaiveDate> {
    let first_monday = NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Mon, 1)?;
    first_monday.succ_opt()
}

pub fn september_first(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 9, 1)
}

/// Which forecast dates to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DateGrid {
    /// `n` dates evenly spaced from September 1 to the day before the election; more
    /// dates than days means every day.
    Count(usize),
    /// Every day from September 1 to the day before the election.
    Daily,
}

impl Default for DateGrid {
    fn default() -> Self {
        DateGrid::Count(4)
    }
}

/// `4`, or `daily`: the text that [`DateGrid::from_str`] reads back.
impl fmt::Display for DateGrid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateGrid::Count(n) => write!(f, "{n}"),
            DateGrid::Daily => f.write_str("daily"),
        }
    }
}

/// A grid that is neither `daily` nor a number of dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridParseError(pub String);

impl fmt::Display for GridParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: String = self.0.chars().take(40).collect();
        write!(
            f,
            "{text:?} is neither a number of forecast dates (1 or more) nor \"daily\""
        )
    }
}

impl std::error::Error for GridParseError {}

impl FromStr for DateGrid {
    type Err = GridParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("daily") {
            return Ok(DateGrid::Daily);
        }
        match text.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(DateGrid::Count(n)),
            _ => Err(GridParseError(text.to_string())),
        }
    }
}

/// The forecast dates for an election on `election`, in ascending order.
/// Empty when the election falls on or before September 1 of its year.
pub fn forecast_dates(grid: DateGrid, election: NaiveDate) -> Vec<NaiveDate> {
    let Some(start) = september_first(election.year()) else {
        return Vec::new();
    };
    let last = day_number(election) - 1;
    let first = day_number(start);
    if last < first {
        return Vec::new();
    }
    let total = last - first;
    // As many dates as days, or more, is every day: the evenly spaced dates then repeat
    // some days and leave none out, and nothing is made in proportion to the count asked.
    let count = match grid {
        DateGrid::Count(n) => i64::try_from(n).unwrap_or(i64::MAX),
        DateGrid::Daily => i64::MAX,
    };
    let days: Vec<i64> = match count {
        0 => Vec::new(),
        1 => vec![last],
        n if n > total => (first..=last).collect(),
        n => (0..n)
            .map(|i| last - total * (n - 1 - i) / (n - 1))
            .collect(),
    };
    days.into_iter().filter_map(from_day_number).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn election_days() {
        assert_eq!(election_day(2016), Some(d(2016, 11, 8)));
        assert_eq!(election_day(2020), Some(d(2020, 11, 3)));
        assert_eq!(election_day(2024), Some(d(2024, 11, 5)));
        assert_eq!(election_day(2012), Some(d(2012, 11, 6)));
    }

    #[test]
    fn four_dates_of_2016() {
        let dates = forecast_dates(DateGrid::Count(4), d(2016, 11, 8));
        assert_eq!(
            dates,
            vec![
                d(2016, 9, 1),
                d(2016, 9, 24),
                d(2016, 10, 16),
                d(2016, 11, 7)
            ]
        );
        assert_eq!(
            forecast_dates(DateGrid::Count(16), d(2016, 11, 8)).len(),
            16
        );
        assert_eq!(forecast_dates(DateGrid::Daily, d(2016, 11, 8)).len(), 68);
        assert_eq!(
            forecast_dates(DateGrid::Count(1), d(2016, 11, 8)),
            vec![d(2016, 11, 7)]
        );
        assert_eq!(
            forecast_dates(DateGrid::Count(500), d(2016, 11, 8)).len(),
            68
        );
        // As many dates as days is every day, and so is any larger count.
        let daily = forecast_dates(DateGrid::Daily, d(2016, 11, 8));
        for n in [68, 69, 1_000_000_000, usize::MAX] {
            assert_eq!(forecast_dates(DateGrid::Count(n), d(2016, 11, 8)), daily);
        }
        // One fewer than the days: evenly spaced, every date distinct.
        let dates = forecast_dates(DateGrid::Count(67), d(2016, 11, 8));
        assert_eq!(dates.len(), 67);
        assert!(dates.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn grids_read_and_print() {
        assert_eq!("4".parse(), Ok(DateGrid::Count(4)));
        assert_eq!(" Daily ".parse(), Ok(DateGrid::Daily));
        assert!("0".parse::<DateGrid>().is_err());
        assert!("abc".parse::<DateGrid>().is_err());
        assert!("-3".parse::<DateGrid>().is_err());
        assert_eq!(DateGrid::default().to_string(), "4");
        assert_eq!(DateGrid::Daily.to_string(), "daily");
    }
}
