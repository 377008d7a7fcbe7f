//! Improved Kalman (MODELS.md §6): fixed slow diffusion, no drift, one smoothing pass.

use super::{
    kalman_observations, normal, summarize, CellInput, CellRng, Forecast, Model, ModelError,
    ModelKind,
};
use crate::kalman::filter_last;

pub(crate) struct ImprovedKalman;

const MU: f64 = 0.0;
const S2: f64 = 0.0008 * 0.0008;

impl Model for ImprovedKalman {
    fn forecast(&self, input: &CellInput, rng: &mut CellRng) -> Result<Forecast, ModelError> {
        // The last point of the smoothed series, which is the filter's last state.
        let (x, p) = filter_last(kalman_observations(input.training, 0.7), MU, S2)
            .ok_or(ModelError::NoPolls)?;
        let days = input.days as f64;
        let p0 = p.max(1e-6) + (0.0005 * days).powi(2);
        // The unclipped daily walk ends exactly normal: draw the end at once.
        let end_mean = x + MU * days;
        let end_sd = (p0 + S2 * days).sqrt();
        let ends = (0..input.settings.sims.max(1)).map(|_| end_mean + end_sd * normal(rng));
        summarize(ends, ModelKind::ImprovedKalman.win_bounds())
    }
}
