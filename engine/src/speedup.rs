//! The speed-up table that ends the original program's report: for each worker count,
//! the median and the fastest of its runs, the speed-up and the efficiency.
//!
//! ```text
//! speed-up(w)   = median(1) / median(w)
//! efficiency(w) = speed-up(w) / w
//! ```
//!
//! The median (of an even count, the mean of the middle two) resists the odd slow run
//! that another program's work causes.

use std::fmt::Write;

/// One worker count's runs, summarised.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedupRow {
    pub workers: usize,
    pub runs: usize,
    pub median_ms: f64,
    pub fastest_ms: f64,
    /// Over one worker's median; none without a 1-worker row.
    pub speedup: Option<f64>,
    pub efficiency: Option<f64>,
}

/// The median of `values`; none when empty. NaNs sort last (`total_cmp`).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// One row per worker count with at least one run, in worker order, from
/// (workers, run milliseconds) pairs in any order.
pub fn speedup_table(runs: &[(usize, f64)]) -> Vec<SpeedupRow> {
    let mut counts: Vec<usize> = runs.iter().map(|&(w, _)| w).collect();
    counts.sort_unstable();
    counts.dedup();
    let summarise = |workers: usize| {
        let times: Vec<f64> = runs
            .iter()
            .filter(|&&(w, _)| w == workers)
            .map(|&(_, ms)| ms)
            .collect();
        let fastest = times.iter().copied().fold(f64::INFINITY, f64::min);
        (times.len(), median(&times).unwrap_or(f64::NAN), fastest)
    };
    let base = counts
        .contains(&1)
        .then(|| summarise(1).1)
        .filter(|&ms| ms > 0.0);
    counts
        .into_iter()
        .map(|workers| {
            let (runs, median_ms, fastest_ms) = summarise(workers);
            let speedup = base.map(|one| one / median_ms);
            SpeedupRow {
                workers,
                runs,
                median_ms,
                fastest_ms,
                speedup,
                efficiency: speedup.map(|s| s / workers as f64),
            }
        })
        .collect()
}

/// The table as CSV: `workers,runs,median_ms,fastest_ms,speedup,efficiency`, times to
/// 0.1 ms, ratios to 0.001; an empty field where there is no 1-worker row.
pub fn speedup_csv(rows: &[SpeedupRow]) -> String {
    let mut out = String::from("workers,runs,median_ms,fastest_ms,speedup,efficiency\n");
    let ratio = |r: Option<f64>| r.map(|r| format!("{r:.3}")).unwrap_or_default();
    for row in rows {
        let _ = writeln!(
            out,
            "{},{},{:.1},{:.1},{},{}",
            row.workers,
            row.runs,
            row.median_ms,
            row.fastest_ms,
            ratio(row.speedup),
            ratio(row.efficiency)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn table_by_hand() {
        // 1 worker: 100, 120, 110 -> median 110, fastest 100.
        // 2 workers: 60, 50, 70, 65 -> median 62.5, fastest 50; speed-up 110 / 62.5 = 1.76,
        // efficiency 0.88.
        let runs = [
            (2, 60.0),
            (1, 100.0),
            (2, 50.0),
            (1, 120.0),
            (2, 70.0),
            (1, 110.0),
            (2, 65.0),
        ];
        let rows = speedup_table(&runs);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].workers, rows[0].runs), (1, 3));
        assert_eq!((rows[0].median_ms, rows[0].fastest_ms), (110.0, 100.0));
        assert_eq!(rows[0].speedup, Some(1.0));
        assert_eq!((rows[1].median_ms, rows[1].fastest_ms), (62.5, 50.0));
        assert!((rows[1].speedup.unwrap() - 1.76).abs() < 1e-12);
        assert!((rows[1].efficiency.unwrap() - 0.88).abs() < 1e-12);
        assert_eq!(
            speedup_csv(&rows),
            "workers,runs,median_ms,fastest_ms,speedup,efficiency\n\
             1,3,110.0,100.0,1.000,1.000\n\
             2,4,62.5,50.0,1.760,0.880\n"
        );
    }

    #[test]
    fn no_one_worker_row_gives_no_ratios() {
        let rows = speedup_table(&[(2, 10.0), (4, 5.0)]);
        assert!(rows
            .iter()
            .all(|r| r.speedup.is_none() && r.efficiency.is_none()));
        assert!(speedup_csv(&rows).ends_with("4,1,5.0,5.0,,\n"));
    }
}
