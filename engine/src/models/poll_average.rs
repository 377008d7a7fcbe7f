//! Poll average (MODELS.md §4): a sample-size-weighted mean of the last two weeks.

use super::{
    clamp_to, finite, normal_cdf, recent_window, CellInput, CellRng, Forecast, Model, ModelError,
    ModelKind,
};
use crate::polls::Poll;

pub(crate) struct PollAverage;

impl Model for PollAverage {
    fn forecast(&self, input: &CellInput, _rng: &mut CellRng) -> Result<Forecast, ModelError> {
        let window = recent_window(input.training, input.date, 14.0, 5)?;
        let total: f64 = window.iter().map(|p| p.sample_size).sum();
        let weight = |p: &Poll| p.sample_size / total;
        let avg: f64 = window.iter().map(|p| weight(p) * p.margin).sum();

        let n = window.len() as f64;
        let plain_mean = window.iter().map(|p| p.margin).sum::<f64>() / n;
        // Sample standard deviation; a single poll has no spread of its own.
        let emp = if window.len() > 1 {
            (window
                .iter()
                .map(|p| (p.margin - plain_mean).powi(2))
                .sum::<f64>()
                / (n - 1.0))
                .sqrt()
        } else {
            0.0
        };
        let samp = 1.0
            / window
                .iter()
                .map(|p| weight(p) * p.sample_size)
                .sum::<f64>()
                .sqrt();
        let horizon = 0.001 * input.days as f64;
        let spread = emp.max(samp).max(0.02);
        let std = (spread * spread + horizon * horizon).sqrt();
        finite(Forecast {
            win_probability: clamp_to(normal_cdf(avg / std), ModelKind::PollAverage.win_bounds()),
            margin: avg,
            std,
        })
    }
}
