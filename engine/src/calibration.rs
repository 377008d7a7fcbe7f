//! Reliability of win probabilities: forecasts in probability bins against how often
//! the Democrat won.

use crate::models::ModelKind;
use crate::runner::ForecastRow;

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CalibrationBin {
    pub model: ModelKind,
    /// `[lower, upper)`; the last bin includes 1.
    pub lower: f64,
    pub upper: f64,
    pub count: usize,
    /// Mean forecast probability of the bin's rows.
    pub mean_forecast: f64,
    /// Share of the bin's rows where the Democrat won.
    pub observed: f64,
}

/// `bins` equal-width bins per model in `models`, over every forecast date and the rows
/// with a result; empty bins are left out.
pub fn calibration(rows: &[ForecastRow], models: &[ModelKind], bins: usize) -> Vec<CalibrationBin> {
    let bins = bins.max(1);
    let mut out = Vec::new();
    for &model in models {
        let mut sums = vec![(0usize, 0.0f64, 0usize); bins];
        for (row, actual) in rows
            .iter()
            .filter(|r| r.model == model)
            .filter_map(|r| Some((r, r.actual_margin?)))
        {
            let p = row.win_probability.clamp(0.0, 1.0);
            let bin = ((p * bins as f64) as usize).min(bins - 1);
            sums[bin].0 += 1;
            sums[bin].1 += p;
            sums[bin].2 += usize::from(actual > 0.0);
        }
        for (i, (count, p_sum, wins)) in sums.into_iter().enumerate() {
            if count > 0 {
                out.push(CalibrationBin {
                    model,
                    lower: i as f64 / bins as f64,
                    upper: (i + 1) as f64 / bins as f64,
                    count,
                    mean_forecast: p_sum / count as f64,
                    observed: wins as f64 / count as f64,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn bins_count_and_frequencies() {
        let row = |p: f64, actual: f64| ForecastRow {
            model: ModelKind::PollAverage,
            state: crate::State::from_index(0).unwrap(),
            forecast_date: NaiveDate::from_ymd_opt(2016, 9, 1).unwrap(),
            win_probability: p,
            predicted_margin: 0.0,
            margin_std: 0.1,
            actual_margin: Some(actual),
        };
        let rows = [
            row(0.05, -0.1),
            row(0.95, 0.1),
            row(0.92, -0.1),
            row(1.0, 0.2),
        ];
        let bins = calibration(&rows, &[ModelKind::PollAverage], 10);
        assert_eq!(bins.len(), 2);
        assert_eq!((bins[0].count, bins[0].observed), (1, 0.0));
        assert_eq!(bins[1].count, 3);
        assert!((bins[1].observed - 2.0 / 3.0).abs() < 1e-12);
        assert!((bins[1].mean_forecast - (0.95 + 0.92 + 1.0) / 3.0).abs() < 1e-12);
    }
}
