//! Scores per model and forecast date (MODELS.md §8).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::models::ModelKind;
use crate::runner::ForecastRow;

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScoreRow {
    pub model: ModelKind,
    pub forecast_date: NaiveDate,
    pub n_states: usize,
    pub brier: f64,
    pub log_loss: f64,
    pub mae: f64,
}

/// Scores of `rows` for each model and forecast date present, in that order, over the
/// rows with a result; none when no state has one yet.
pub fn score(rows: &[ForecastRow]) -> Vec<ScoreRow> {
    // (count, brier, log loss, absolute error) sums, summed in row order.
    let mut sums: BTreeMap<(ModelKind, NaiveDate), (usize, f64, f64, f64)> = BTreeMap::new();
    for row in rows {
        let Some(actual) = row.actual_margin else {
            continue;
        };
        let win = if actual > 0.0 { 1.0 } else { 0.0 };
        let p = row.win_probability;
        let entry = sums.entry((row.model, row.forecast_date)).or_default();
        entry.0 += 1;
        entry.1 += (p - win).powi(2);
        // libm, not the system's `ln`: the same last bits natively and in wasm.
        entry.2 -= win * libm::log(p + 1e-10) + (1.0 - win) * libm::log(1.0 - p + 1e-10);
        entry.3 += (row.predicted_margin - actual).abs();
    }
    sums.into_iter()
        .map(
            |((model, forecast_date), (n, brier, log_loss, abs_error))| {
                let count = n as f64;
                ScoreRow {
                    model,
                    forecast_date,
                    n_states: n,
                    brier: brier / count,
                    log_loss: log_loss / count,
                    mae: abs_error / count,
                }
            },
        )
        .collect()
}
