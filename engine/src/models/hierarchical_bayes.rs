//! Hierarchical Bayes (MODELS.md §7): a Kalman estimate of the polls, net of house
//! effects, combined with a fundamentals prior whose weight fades in September.

use super::{
    clamp_to, finite, first_day, mean, normal_cdf, recent_window, whole_days, CellInput, CellRng,
    Forecast, Model, ModelError, ModelKind,
};
use crate::kalman::{filter_last, observation_variance};
use crate::polls::Poll;

pub(crate) struct HierarchicalBayes;

const S2: f64 = 0.003 * 0.003;

impl Model for HierarchicalBayes {
    fn forecast(&self, input: &CellInput, _rng: &mut CellRng) -> Result<Forecast, ModelError> {
        let window = recent_window(input.training, input.date, 45.0, 10)?;
        let first = first_day(window);
        let t = |p: &Poll| whole_days(p, first);
        let y = |p: &Poll| p.margin - input.house_effects.effect(p.pollster);
        let mu = if window.len() > 1 {
            let dy = mean(window.windows(2).map(|w| y(&w[1]) - y(&w[0]))).unwrap_or(0.0);
            let dt = mean(window.windows(2).map(|w| t(&w[1]) - t(&w[0]))).unwrap_or(0.0);
            dy / dt.max(1.0)
        } else {
            0.0
        };
        // The last point of the smoothed series, which is the filter's last state.
        let observations = window
            .iter()
            .map(|p| (t(p), y(p), observation_variance(p.sample_size)));
        let (m, v) = filter_last(observations, mu, S2).ok_or(ModelError::NoPolls)?;
        let v = v.max(1e-6);

        let days = input.days as f64;
        let elapsed = input.elapsed as f64;
        let prior = input.prior.unwrap_or(0.0);
        let prior_var = 0.08f64.powi(2) + (0.0015 * days).powi(2);
        let w_prior = 0.3 / (1.0 + (elapsed / 21.0).powi(2));
        let a = w_prior / prior_var;
        let b = 1.0 / v;
        let mut margin = (prior * a + m * b) / (a + b);
        let var = 1.0 / (a + b);
        if input.prior.is_some() {
            let lw = (elapsed / 30.0).min(1.0);
            let settings = input.settings;
            margin -= lw * (settings.hb_bias_intercept - settings.hb_bias_slope * prior);
        }
        let std = (var + (0.003 * days).powi(2) + 0.04f64.powi(2)).sqrt();
        finite(Forecast {
            win_probability: clamp_to(
                normal_cdf(margin / std),
                ModelKind::HierarchicalBayes.win_bounds(),
            ),
            margin,
            std,
        })
    }
}
