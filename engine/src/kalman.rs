//! The local-level Kalman filter with drift and its RTS smoother (MODELS.md §3),
//! shared by the three Kalman-based models.

/// Observation variance of a poll: sampling error plus a floor for everything else.
pub fn observation_variance(sample_size: f64) -> f64 {
    1.0 / sample_size + 0.015 * 0.015
}

/// Filtered (or smoothed) means and variances, one per observation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Path {
    pub x: Vec<f64>,
    pub p: Vec<f64>,
}

impl Path {
    pub fn last(&self) -> Option<(f64, f64)> {
        Some((*self.x.last()?, *self.p.last()?))
    }
}

/// Filters observations `y` at whole-day times `t` with variances `r`, drift `mu` and
/// daily diffusion variance `s2`, into a path whose buffers are reused (the EM fit filters
/// ten times a cell). Empty input gives an empty path.
pub fn filter_into(t: &[f64], y: &[f64], r: &[f64], mu: f64, s2: f64, path: &mut Path) {
    let n = y.len().min(t.len()).min(r.len());
    path.x.clear();
    path.p.clear();
    path.x.reserve(n);
    path.p.reserve(n);
    if n == 0 {
        return;
    }
    path.x.push(y[0]);
    path.p.push(r[0]);
    for i in 1..n {
        let (x, p) = step(
            (path.x[i - 1], path.p[i - 1]),
            t[i] - t[i - 1],
            y[i],
            r[i],
            mu,
            s2,
        );
        path.x.push(x);
        path.p.push(p);
    }
}

/// The filter's last state alone, from `(t, y, r)` observations, storing nothing. It is
/// also the smoother's last point, which the smoother leaves as filtered: the models that
/// use only the last smoothed point need no path.
pub fn filter_last(
    observations: impl IntoIterator<Item = (f64, f64, f64)>,
    mu: f64,
    s2: f64,
) -> Option<(f64, f64)> {
    let mut observations = observations.into_iter();
    let (mut last_t, y0, r0) = observations.next()?;
    let mut state = (y0, r0);
    for (t, y, r) in observations {
        state = step(state, t - last_t, y, r, mu, s2);
        last_t = t;
    }
    Some(state)
}

/// One filter step: from the state `(x, p)` at the last observation to observation `y`
/// of variance `r`, `days` later (same-day polls count as one day apart).
fn step((x, p): (f64, f64), days: f64, y: f64, r: f64, mu: f64, s2: f64) -> (f64, f64) {
    let dt = days.max(1.0);
    let xp = x + mu * dt;
    let pp = p + s2 * dt;
    let k = pp / (pp + r);
    (xp + k * (y - xp), (1.0 - k) * pp)
}

/// The Rauch–Tung–Striebel smoother over a filtered path, into a path whose buffers are
/// reused.
pub fn smooth_into(t: &[f64], filtered: &Path, mu: f64, s2: f64, smoothed: &mut Path) {
    smoothed.x.clone_from(&filtered.x);
    smoothed.p.clone_from(&filtered.p);
    let n = filtered.x.len().min(t.len());
    for i in (0..n.saturating_sub(1)).rev() {
        let dt = (t[i + 1] - t[i]).max(1.0);
        let pp = filtered.p[i] + s2 * dt;
        if pp > 0.0 {
            let j = filtered.p[i] / pp;
            smoothed.x[i] = filtered.x[i] + j * (smoothed.x[i + 1] - filtered.x[i] - mu * dt);
            smoothed.p[i] = filtered.p[i] + j * j * (smoothed.p[i + 1] - pp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(t: &[f64], y: &[f64], r: &[f64], mu: f64, s2: f64) -> Path {
        let mut path = Path::default();
        filter_into(t, y, r, mu, s2, &mut path);
        path
    }

    fn smooth(t: &[f64], filtered: &Path, mu: f64, s2: f64) -> Path {
        let mut smoothed = Path::default();
        smooth_into(t, filtered, mu, s2, &mut smoothed);
        smoothed
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// Worked by hand: y = [0, 1, 1], t = [0, 1, 3], R = 1, mu = 0, s2 = 1.
    /// Filter: x0 = 0, P0 = 1; i=1: Pp = 2, K = 2/3, x1 = 2/3, P1 = 2/3;
    /// i=2: dt = 2, Pp = 2/3 + 2 = 8/3, K = 8/11, x2 = 2/3 + 8/11 * 1/3 = 10/11, P2 = 8/11.
    /// Smoother: i=1: Pp = 8/3, J = 1/4, xs1 = 2/3 + (10/11 - 2/3)/4 = 8/11,
    /// Ps1 = 2/3 + (8/11 - 8/3)/16 = 6/11; i=0: Pp = 2, J = 1/2, xs0 = 4/11,
    /// Ps0 = 1 + (6/11 - 2)/4 = 7/11.
    #[test]
    fn hand_computed_filter_and_smoother() {
        let (t, y, r) = ([0.0, 1.0, 3.0], [0.0, 1.0, 1.0], [1.0, 1.0, 1.0]);
        let f = filter(&t, &y, &r, 0.0, 1.0);
        for (a, b) in f.x.iter().zip([0.0, 2.0 / 3.0, 10.0 / 11.0]) {
            assert!(close(*a, b), "{:?}", f.x);
        }
        for (a, b) in f.p.iter().zip([1.0, 2.0 / 3.0, 8.0 / 11.0]) {
            assert!(close(*a, b), "{:?}", f.p);
        }
        let s = smooth(&t, &f, 0.0, 1.0);
        for (a, b) in s.x.iter().zip([4.0 / 11.0, 8.0 / 11.0, 10.0 / 11.0]) {
            assert!(close(*a, b), "{:?}", s.x);
        }
        for (a, b) in s.p.iter().zip([7.0 / 11.0, 6.0 / 11.0, 8.0 / 11.0]) {
            assert!(close(*a, b), "{:?}", s.p);
        }
    }

    /// With drift, same times: mu = 0.5 moves the prediction by mu * dt.
    /// i=1: xp = 0.5, K = 2/3, x1 = 0.5 + 2/3 * 0.5 = 5/6.
    #[test]
    fn drift_moves_the_prediction() {
        let f = filter(&[0.0, 1.0], &[0.0, 1.0], &[1.0, 1.0], 0.5, 1.0);
        assert!(close(f.x[1], 5.0 / 6.0));
        // Same-day polls count as one day apart.
        let g = filter(&[0.0, 0.0], &[0.0, 1.0], &[1.0, 1.0], 0.0, 1.0);
        assert!(close(g.x[1], 2.0 / 3.0));
        assert!(filter(&[], &[], &[], 0.0, 1.0).x.is_empty());
    }

    /// The storing-nothing filter ends exactly (bit for bit) where the filter's path and
    /// the smoother's path end, on irregular times with same-day polls.
    #[test]
    fn filter_last_is_the_last_filtered_and_smoothed_point() {
        let t = [0.0, 0.0, 2.0, 3.0, 3.0, 9.0, 10.0, 17.0];
        let y = [0.031, -0.02, 0.044, 0.012, 0.05, -0.007, 0.021, 0.033];
        let r = [4e-4, 9e-4, 3e-4, 6e-4, 2e-4, 8e-4, 5e-4, 4e-4];
        for (mu, s2) in [(0.0, 1e-6), (0.0007, 2.5e-5), (-0.002, 0.003)] {
            let filtered = filter(&t, &y, &r, mu, s2);
            let smoothed = smooth(&t, &filtered, mu, s2);
            let last = filter_last((0..t.len()).map(|i| (t[i], y[i], r[i])), mu, s2);
            assert_eq!(last, filtered.last());
            assert_eq!(last, smoothed.last());
        }
        assert_eq!(filter_last(std::iter::empty(), 0.0, 1.0), None);
        assert_eq!(filter_last([(5.0, 0.1, 0.2)], 0.0, 1.0), Some((0.1, 0.2)));
    }
}
