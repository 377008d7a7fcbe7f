//! Kalman diffusion (MODELS.md §5): drift and diffusion fitted by EM, then simulated
//! daily to election day.

use super::{
    kalman_series, normal, summarize, CellInput, CellRng, Forecast, Model, ModelError, ModelKind,
};
use crate::kalman::{filter_into, smooth_into, Path};

pub(crate) struct KalmanDiffusion;

const EM_PASSES: usize = 10;
const S2_RANGE: (f64, f64) = (1e-6, 0.005);
/// A path is clipped to this range every day.
const DAILY_BOUND: f64 = 1.5;

/// Drift, diffusion and the smoothed path (with `Ps` clipped) of the last EM pass.
pub(crate) fn fit_em(t: &[f64], y: &[f64], r: &[f64]) -> (f64, f64, Path) {
    let (mut mu, mut s2) = (0.0, 0.0005);
    let (mut filtered, mut path) = (Path::default(), Path::default());
    for _ in 0..EM_PASSES {
        filter_into(t, y, r, mu, s2, &mut filtered);
        smooth_into(t, &filtered, mu, s2, &mut path);
        for p in &mut path.p {
            *p = p.clamp(1e-8, 1.0);
        }
        let (mut drift_sum, mut var_sum, mut count) = (0.0, 0.0, 0usize);
        for i in 1..t.len() {
            let dt = t[i] - t[i - 1];
            if dt > 0.0 {
                drift_sum += (path.x[i] - path.x[i - 1]) / dt;
                var_sum += ((path.p[i] + path.p[i - 1]) / dt).clamp(1e-6, 0.005);
                count += 1;
            }
        }
        if count > 0 {
            mu = drift_sum / count as f64;
            s2 = var_sum / count as f64;
        } else {
            mu = 0.0;
            s2 = 0.0005;
        }
        s2 = s2.clamp(S2_RANGE.0, S2_RANGE.1);
    }
    (mu, s2, path)
}

impl Model for KalmanDiffusion {
    fn forecast(&self, input: &CellInput, rng: &mut CellRng) -> Result<Forecast, ModelError> {
        let (t, y, r) = kalman_series(input.training, 0.5);
        let (mu, s2, path) = fit_em(&t, &y, &r);
        let (last_x, last_p) = path.last().ok_or(ModelError::NoPolls)?;
        // Shrink 10 % toward a prior of 0.
        let x0 = 0.9 * last_x;
        let days = input.days as f64;
        let p0 = (last_p + (0.001 * days).powi(2)).max(1e-10);
        let s2 = s2.clamp(S2_RANGE.0, S2_RANGE.1);
        let ends = simulate(
            rng,
            input.settings.sims.max(1),
            x0,
            p0.sqrt(),
            mu,
            s2.sqrt(),
            input.days,
        );
        summarize(ends, ModelKind::KalmanDiffusion.win_bounds())
    }
}

/// Final margins of `sims` paths: a start drawn around `x0`, then `days` daily steps,
/// each clipped to ±1.5, then the end clipped to ±1.
fn simulate(
    rng: &mut CellRng,
    sims: usize,
    x0: f64,
    sd0: f64,
    mu: f64,
    step_sd: f64,
    days: i64,
) -> impl Iterator<Item = f64> + '_ {
    (0..sims).map(move |_| {
        let start = x0 + sd0 * normal(rng);
        clipped_walk(rng, start, mu, step_sd, days).clamp(-1.0, 1.0)
    })
}

/// `-ln(1e-17)`: below that chance of touching the bound, a stretch is taken whole.
const NEGLIGIBLE: f64 = 39.1;

/// The end of `days` steps `x = clip(x + mu + step_sd * Z, ±1.5)` from `start`.
///
/// Exact in law without walking every day: the walk's unclipped increment over the
/// whole stretch is drawn at once (a sum of normal steps is normal). Given both ends,
/// the chance that the walk touched the bound in between is at most the Brownian
/// bridge's, `exp(-2 (b - a)(b - c) / (s2 k))`; below 1e-17 the clip did not act and
/// the end stands. Otherwise the stretch is cut in two at a point drawn from the
/// bridge (the partial sum given the total is normal), and each half is treated the
/// same way, down to single days, where the clip is applied.
fn clipped_walk(rng: &mut CellRng, start: f64, mu: f64, step_sd: f64, days: i64) -> f64 {
    if days <= 0 {
        return start;
    }
    let k = days as f64;
    let increment = mu * k + step_sd * k.sqrt() * normal(rng);
    stretch(rng, start, increment, step_sd * step_sd, days)
}

/// The clipped walk over `days` days from `x`, given the unclipped `increment`.
fn stretch(rng: &mut CellRng, x: f64, increment: f64, s2: f64, days: i64) -> f64 {
    if days == 1 {
        return (x + increment).clamp(-DAILY_BOUND, DAILY_BOUND);
    }
    let end = x + increment;
    if !bridge_may_touch(x, end, s2 * days as f64) {
        return end;
    }
    let (k, first) = (days as f64, days / 2);
    let m = first as f64;
    let first_increment = increment * m / k + (s2 * m * (k - m) / k).sqrt() * normal(rng);
    let middle = stretch(rng, x, first_increment, s2, first);
    stretch(rng, middle, increment - first_increment, s2, days - first)
}

/// Whether a walk from `a` to `c` with total variance `variance` may have touched ±1.5
/// with a chance of 1e-17 or more.
fn bridge_may_touch(a: f64, c: f64, variance: f64) -> bool {
    let up = (DAILY_BOUND - a) * (DAILY_BOUND - c);
    let down = (DAILY_BOUND + a) * (DAILY_BOUND + c);
    let outside = a.abs() >= DAILY_BOUND || c.abs() >= DAILY_BOUND;
    // A comparison, not `f64::min`: WebAssembly's `min` instruction treats NaN otherwise
    // than Rust's, so `f64::min` is a function call there, in the models' hottest path.
    // Both ends are finite, so the two agree.
    let nearer = if up < down { up } else { down };
    outside || variance <= 0.0 || 2.0 * nearer / variance < NEGLIGIBLE
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn daily(rng: &mut CellRng, start: f64, mu: f64, sd: f64, days: i64) -> f64 {
        (0..days).fold(start, |x, _| (x + mu + sd * normal(rng)).clamp(-1.5, 1.5))
    }

    fn stats(v: &[f64]) -> (f64, f64) {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        (
            m,
            (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt(),
        )
    }

    /// The block walk and the day-by-day walk give the same distribution.
    #[test]
    fn block_walk_matches_the_daily_walk() {
        let mut rng = CellRng::seed_from_u64(1);
        let fast: Vec<f64> = simulate(&mut rng, 20000, 0.1, 0.05, 0.001, 0.01, 40).collect();
        let mut rng = CellRng::seed_from_u64(2);
        let slow: Vec<f64> = (0..20000)
            .map(|_| {
                let start = 0.1 + 0.05 * normal(&mut rng);
                daily(&mut rng, start, 0.001, 0.01, 40)
            })
            .collect();
        let ((mf, sf), (ms, ss)) = (stats(&fast), stats(&slow));
        // Mean 0.14, std sqrt(0.05^2 + 40 * 0.01^2) = 0.0806.
        assert!(
            (mf - 0.14).abs() < 0.003 && (ms - 0.14).abs() < 0.003,
            "{mf} {ms}"
        );
        assert!(
            (sf - 0.0806).abs() < 0.002 && (ss - 0.0806).abs() < 0.002,
            "{sf} {ss}"
        );
    }

    /// Where the clip acts often (start near the bound, large steps), the block walk still
    /// has the daily walk's distribution: compare mean, spread and the share at the bound.
    #[test]
    fn block_walk_matches_near_the_bound() {
        let mut rng = CellRng::seed_from_u64(4);
        let fast: Vec<f64> = (0..40000)
            .map(|_| clipped_walk(&mut rng, 1.2, 0.01, 0.07, 37))
            .collect();
        let slow: Vec<f64> = (0..40000)
            .map(|_| daily(&mut rng, 1.2, 0.01, 0.07, 37))
            .collect();
        let ((mf, sf), (ms, ss)) = (stats(&fast), stats(&slow));
        assert!((mf - ms).abs() < 0.006, "{mf} {ms}");
        assert!((sf - ss).abs() < 0.006, "{sf} {ss}");
        let at_bound = |v: &[f64]| v.iter().filter(|&&x| x == 1.5).count() as f64 / v.len() as f64;
        assert!(
            (at_bound(&fast) - at_bound(&slow)).abs() < 0.01,
            "{} {}",
            at_bound(&fast),
            at_bound(&slow)
        );
        assert!(at_bound(&slow) > 0.1);
    }

    /// Near the bound the walk is clipped every day, as the model says.
    #[test]
    fn paths_near_the_bound_are_clipped() {
        let mut rng = CellRng::seed_from_u64(3);
        let ends: Vec<f64> = simulate(&mut rng, 2000, 1.45, 0.0, 0.05, 0.07, 30).collect();
        assert!(ends.iter().all(|x| (-1.0..=1.0).contains(x)));
        assert!(ends.iter().filter(|&&x| x == 1.0).count() > 1500);
    }
}
