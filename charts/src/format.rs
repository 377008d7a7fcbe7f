//! How numbers and dates read on the page and in its charts (one place for both), and
//! date-axis ticks. The page's data-* attributes keep full precision instead ([`full`]).

use chrono::{Datelike, NaiveDate};
use forecast_engine::dates::{day_number, from_day_number};
use forecast_engine::ModelKind;

/// A two-party margin as points to the side ahead: `0.042` -> `D+4.2`, `-0.031` ->
/// `R+3.1`, and `even` in between (as the results table reads).
pub fn margin(m: f64) -> String {
    margin_with(m, 1)
}

/// [`margin`] with `decimals` decimals; axis labels use 0 on a coarse axis.
pub fn margin_with(m: f64, decimals: usize) -> String {
    if !m.is_finite() {
        return "–".to_string();
    }
    let points = m * 100.0;
    let shown = format!("{:.*}", decimals, points.abs());
    if shown.trim_start_matches(['0', '.']).is_empty() {
        // Rounds to zero: neither side is ahead.
        if decimals == 0 {
            "0".to_string()
        } else {
            "even".to_string()
        }
    } else if points > 0.0 {
        format!("D+{shown}")
    } else {
        format!("R+{shown}")
    }
}

/// A model's bounds on a state's chance, as people read them: `2-98 %`.
pub fn bounds(model: ModelKind) -> String {
    let (low, high) = model.win_bounds();
    format!("{}-{} %", plain(low * 100.0, 0), plain(high * 100.0, 0))
}

/// Every model's bounds in one line: `Poll average 5-95 %, ...`.
pub fn bounds_text() -> String {
    ModelKind::ALL
        .iter()
        .map(|&m| format!("{} {}", m.label(), bounds(m)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a chance at a model's bound means (a tooltip, a details line).
pub fn cap_note(model: ModelKind) -> String {
    format!(
        "{} never goes past {}: a chance at its bound means at least that sure",
        model.label(),
        bounds(model)
    )
}

/// `0.7341` -> `73.4%`.
pub fn percent(p: f64) -> String {
    percent_with(p, 1)
}

pub fn percent_with(p: f64, decimals: usize) -> String {
    if p.is_finite() {
        format!("{:.*}%", decimals, p * 100.0)
    } else {
        "–".to_string()
    }
}

/// A chance as people read one: whole percents (`54%`), a decimal near the ends
/// (`0.8%`, `99.2%`), and `<0.1%` / `>99.9%` rather than a certainty the simulations
/// cannot give.
pub fn chance(p: f64) -> String {
    if !p.is_finite() {
        "–".to_string()
    } else if p <= 0.0 {
        "0%".to_string()
    } else if p >= 1.0 {
        "100%".to_string()
    } else if p < 0.0005 {
        "<0.1%".to_string()
    } else if p > 0.9995 {
        ">99.9%".to_string()
    } else if !(0.0095..=0.9905).contains(&p) {
        percent_with(p, 1)
    } else {
        percent_with(p, 0)
    }
}

/// A share of simulations with one decimal (`1.2%`); `<0.1%` for a share that occurs
/// but rounds to zero.
pub fn share(p: f64) -> String {
    if p.is_finite() && p > 0.0 && p < 0.0005 {
        "<0.1%".to_string()
    } else {
        percent(p)
    }
}

/// `1 electoral vote`, `29 electoral votes`.
pub fn electoral_votes(n: u32) -> String {
    if n == 1 {
        "1 electoral vote".to_string()
    } else {
        format!("{n} electoral votes")
    }
}

/// A whole number with thousands separators: `20000` -> `20,000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A spread in points: `0.0412` -> `4.1`.
pub fn points(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1}", x * 100.0)
    } else {
        "–".to_string()
    }
}

/// The shortest text that reads back as the same number (for data-* attributes).
pub fn full(x: f64) -> String {
    format!("{x}")
}

/// `53.2` -> `53 ms`, `1234.0` -> `1.23 s`.
pub fn duration(ms: f64) -> String {
    if !ms.is_finite() {
        "–".to_string()
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// A score on an axis or in a tooltip: four significant-ish decimals.
pub fn score(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.4}")
    } else {
        "–".to_string()
    }
}

/// An axis number with `decimals` decimals.
pub fn plain(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        format!("{:.*}", decimals, x)
    } else {
        "–".to_string()
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_name(date: NaiveDate) -> &'static str {
    MONTHS.get(date.month0() as usize).copied().unwrap_or("")
}

/// `Sep 1`.
pub fn short_date(date: NaiveDate) -> String {
    format!("{} {}", month_name(date), date.day())
}

/// `Sep 1, 2016`.
pub fn long_date(date: NaiveDate) -> String {
    format!("{} {}, {}", month_name(date), date.day(), date.year())
}

/// A day number (days since 1970-01-01, maybe x.5) as a date, if representable.
pub fn day_to_date(day: f64) -> Option<NaiveDate> {
    if !day.is_finite() || day.abs() > 1.0e8 {
        return None;
    }
    from_day_number(day.floor() as i64)
}

/// A tick on an axis: where (in data units) and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub value: f64,
    pub label: String,
}

/// Ticks for a date axis over day numbers `[lo, hi]`, about `target` of them: every
/// 1, 2, 7 or 14 days over short spans ("Sep 12"), month starts over longer ones
/// ("Oct", with the year on January and on the first tick).
pub fn date_ticks(lo: f64, hi: f64, target: usize) -> Vec<Tick> {
    if !(lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    let (Some(start), Some(end)) = (day_to_date(lo.min(hi)), day_to_date(lo.max(hi))) else {
        return Vec::new();
    };
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let target = target.max(1) as f64;
    let span = hi - lo;
    if span / target <= 14.0 {
        let step = [1i64, 2, 7, 14]
            .into_iter()
            .find(|&s| span / s as f64 <= target * 1.5)
            .unwrap_or(14);
        let first = (lo / step as f64).ceil() as i64 * step;
        return (0..)
            .map(|k| first + k * step)
            .take_while(|&d| d as f64 <= hi)
            .take(400)
            .filter_map(|d| {
                from_day_number(d).map(|date| Tick {
                    value: d as f64,
                    label: short_date(date),
                })
            })
            .collect();
    }
    let months = |d: NaiveDate| d.year() as i64 * 12 + d.month0() as i64;
    let (m_lo, m_hi) = (months(start), months(end));
    let month_span = (m_hi - m_lo) as f64;
    // Whole months up to a half-year, then whole years (1, 2, 5, 10, ...).
    let step = [1i64, 2, 3, 6]
        .into_iter()
        .find(|&s| month_span / s as f64 <= target * 1.2)
        .unwrap_or_else(|| {
            let years = crate::scale::nice_step(month_span / 12.0, target as usize).ceil();
            (years.clamp(1.0, 1.0e6) as i64) * 12
        });
    let first = m_lo.div_euclid(step) * step;
    let mut ticks = Vec::new();
    let mut m = first;
    while m <= m_hi && ticks.len() < 400 {
        let date = i32::try_from(m.div_euclid(12))
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m.rem_euclid(12) as u32 + 1, 1));
        if let Some(date) = date {
            let day = day_number(date) as f64;
            if day >= lo && day <= hi {
                ticks.push(Tick {
                    value: day,
                    label: String::new(),
                });
            }
        }
        m += step;
    }
    for (i, tick) in ticks.iter_mut().enumerate() {
        if let Some(date) = day_to_date(tick.value) {
            tick.label = if i == 0 || date.month() == 1 {
                format!("{} {}", month_name(date), date.year())
            } else {
                month_name(date).to_string()
            };
        }
    }
    ticks
}

/// Text safe inside HTML content and quoted attributes.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_read_as_whole_percents() {
        assert_eq!(bounds(ModelKind::HierarchicalBayes), "2-98 %");
        assert_eq!(bounds(ModelKind::PollAverage), "5-95 %");
        assert_eq!(
            bounds_text(),
            "Poll average 5-95 %, Kalman diffusion 1-99 %, Improved Kalman 1-99 %, Hierarchical Bayes 2-98 %"
        );
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn margins() {
        assert_eq!(margin(0.05), "D+5.0");
        assert_eq!(margin(-0.032), "R+3.2");
        assert_eq!(margin(0.0001), "even");
        assert_eq!(margin(-0.0004), "even");
        assert_eq!(margin_with(0.1, 0), "D+10");
        assert_eq!(margin_with(0.0, 0), "0");
        assert_eq!(margin(f64::NAN), "–");
        assert_eq!(percent(0.7341), "73.4%");
        assert_eq!(points(0.0412), "4.1");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(20000), "20,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(full(0.1), "0.1");
        assert_eq!(duration(53.2), "53 ms");
        assert_eq!(duration(1234.0), "1.23 s");
        assert_eq!(score(0.123456), "0.1235");
    }

    #[test]
    fn chances_and_shares() {
        assert_eq!(chance(0.54), "54%");
        assert_eq!(chance(0.126), "13%");
        assert_eq!(chance(0.008), "0.8%");
        assert_eq!(chance(0.992), "99.2%");
        assert_eq!(chance(0.0001), "<0.1%");
        assert_eq!(chance(0.9999), ">99.9%");
        assert_eq!(chance(0.0), "0%");
        assert_eq!(chance(1.0), "100%");
        assert_eq!(chance(-2.0), "0%");
        assert_eq!(chance(f64::NAN), "–");
        assert_eq!(share(0.0123), "1.2%");
        assert_eq!(share(0.0001), "<0.1%");
        assert_eq!(share(0.0), "0.0%");
        assert_eq!(share(f64::INFINITY), "–");
        assert_eq!(electoral_votes(1), "1 electoral vote");
        assert_eq!(electoral_votes(270), "270 electoral votes");
    }

    #[test]
    fn dates() {
        assert_eq!(short_date(d(2016, 9, 1)), "Sep 1");
        assert_eq!(long_date(d(2016, 11, 8)), "Nov 8, 2016");
        assert_eq!(
            day_to_date(day_number(d(2016, 9, 1)) as f64 + 0.5),
            Some(d(2016, 9, 1))
        );
        assert_eq!(day_to_date(1e300), None);
        assert_eq!(day_to_date(f64::NAN), None);
    }

    #[test]
    fn month_ticks_over_a_campaign() {
        let lo = day_number(d(2016, 6, 10)) as f64;
        let hi = day_number(d(2016, 11, 10)) as f64;
        let ticks = date_ticks(lo, hi, 6);
        let labels: Vec<_> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Jul 2016", "Aug", "Sep", "Oct", "Nov"]);
        assert_eq!(ticks[0].value, day_number(d(2016, 7, 1)) as f64);
        // A long span thins the months out.
        let ticks = date_ticks(day_number(d(2015, 1, 1)) as f64, hi, 6);
        assert!(ticks.len() <= 8 && ticks.len() >= 3, "{ticks:?}");
    }

    #[test]
    fn day_ticks_over_weeks() {
        let lo = day_number(d(2016, 10, 1)) as f64;
        let ticks = date_ticks(lo, lo + 20.0, 6);
        assert!(ticks.len() >= 3 && ticks.len() <= 10, "{ticks:?}");
        assert!(ticks.windows(2).all(|w| w[0].value < w[1].value));
        let ticks = date_ticks(lo, lo, 6);
        assert_eq!(ticks.len(), 1);
        assert_eq!(ticks[0].label, "Oct 1");
    }

    #[test]
    fn absurd_spans_give_few_or_no_ticks() {
        assert!(date_ticks(-1e300, 1e300, 6).is_empty());
        assert!(date_ticks(f64::NAN, 5.0, 6).is_empty());
        assert!(date_ticks(-3_000_000.0, 3_000_000.0, 6).len() <= 400);
    }
}
