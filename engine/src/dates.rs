//! Calendar days as numbers, the election-day rule and the forecast-date grid (MODELS.md §2).

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
pub enum DateGrid {
    /// `n` dates evenly spaced from September 1 to the day before the election.
    Count(usize),
    /// Every day from September 1 to the day before the election.
    Daily,
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
    let days: Vec<i64> = match grid {
        DateGrid::Daily => (first..=last).collect(),
        DateGrid::Count(0) => Vec::new(),
        DateGrid::Count(1) => vec![last],
        DateGrid::Count(n) => {
            let n = n as i64;
            let mut days: Vec<i64> = (0..n)
                .map(|i| last - total * (n - 1 - i) / (n - 1))
                .collect();
            // More dates than days repeats some; a date is forecast once.
            days.dedup();
            days
        }
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
    }
}
