//! Linear scales and "nice" ticks: data values to SVG coordinates.
//!
//! Every function here takes any `f64` (huge, equal or even non-finite bounds) and
//! returns finite numbers without panicking: a panic in the threaded wasm build kills
//! the page.

/// Largest coordinate magnitude handed to SVG; far beyond any viewBox, yet finite.
const COORD_LIMIT: f64 = 1.0e6;

/// A linear map from a data domain to a coordinate range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Linear {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Linear {
    /// `domain` is widened when empty or degenerate so that `map` never divides by zero.
    /// A reversed domain (`(10.0, 0.0)`) keeps its direction: 10 maps to `range.0`.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Linear {
        let (d0, d1) = usable_domain(domain.0, domain.1);
        let (r0, r1) = if range.0.is_finite() && range.1.is_finite() {
            range
        } else {
            (0.0, 1.0)
        };
        if domain.0 > domain.1 {
            Linear {
                d0,
                d1,
                r0: r1,
                r1: r0,
            }
        } else {
            Linear { d0, d1, r0, r1 }
        }
    }

    pub fn domain(&self) -> (f64, f64) {
        (self.d0, self.d1)
    }

    pub fn range(&self) -> (f64, f64) {
        (self.r0, self.r1)
    }

    /// The coordinate of `v`; values outside the domain extrapolate, clamped to a finite
    /// limit. A non-finite `v` maps to the start of the range.
    pub fn map(&self, v: f64) -> f64 {
        if !v.is_finite() {
            return self.r0;
        }
        // Halves keep `v - d0` and `d1 - d0` finite even for bounds near f64::MAX.
        let t = (v / 2.0 - self.d0 / 2.0) / (self.d1 / 2.0 - self.d0 / 2.0);
        let out = self.r0 + t * (self.r1 - self.r0);
        if out.is_finite() {
            out.clamp(-COORD_LIMIT, COORD_LIMIT)
        } else if t > 0.0 {
            COORD_LIMIT.copysign(self.r1 - self.r0)
        } else {
            self.r0
        }
    }
}

/// Ordered, finite bounds with a non-zero span.
pub fn usable_domain(lo: f64, hi: f64) -> (f64, f64) {
    let (mut lo, mut hi) = match (lo.is_finite(), hi.is_finite()) {
        (true, true) => (lo.min(hi), lo.max(hi)),
        (true, false) => (lo, lo),
        (false, true) => (hi, hi),
        (false, false) => (0.0, 1.0),
    };
    if hi / 2.0 - lo / 2.0 <= 0.0 {
        // A single value: pad by a unit, or relatively where a unit is lost in rounding.
        let pad = (lo.abs() * 1e-6).max(0.5);
        lo -= pad;
        hi += pad;
    }
    (lo, hi)
}

/// 1, 2, 5 or 10 times a power of ten, nearest to `span / target` (as d3 picks
/// it); 0 when there is none.
pub fn nice_step(span: f64, target: usize) -> f64 {
    let raw = span / target.max(1) as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return 0.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    if !(magnitude.is_finite() && magnitude > 0.0) {
        return 0.0;
    }
    let norm = raw / magnitude;
    // Thresholds at the geometric means of neighbouring steps.
    let nice = if norm < 2f64.sqrt() {
        1.0
    } else if norm < 10f64.sqrt() {
        2.0
    } else if norm < 50f64.sqrt() {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// At most this many ticks, whatever the data.
const MAX_TICKS: f64 = 200.0;

/// Round numbers inside `[lo, hi]`, about `target` of them. Falls back to the two bounds
/// when no sensible step exists (e.g. a span too large to represent).
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = usable_domain(lo, hi);
    let step = nice_step(hi - lo, target);
    let fallback = vec![lo, hi];
    if step <= 0.0 {
        return fallback;
    }
    let first = (lo / step).ceil();
    let last = (hi / step).floor();
    if !(first.is_finite() && last.is_finite()) || last - first > MAX_TICKS || last < first {
        return fallback;
    }
    let (first, last) = (first as i64, last as i64);
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            // No "-0" labels.
            if v == 0.0 {
                0.0
            } else {
                v
            }
        })
        .collect()
}

/// `[lo, hi]` extended outwards to the nearest nice ticks, so the axis ends on a tick.
pub fn nice_domain(lo: f64, hi: f64, target: usize) -> (f64, f64) {
    let (lo, hi) = usable_domain(lo, hi);
    let step = nice_step(hi - lo, target);
    if step <= 0.0 {
        return (lo, hi);
    }
    let (nlo, nhi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    if nlo.is_finite() && nhi.is_finite() && nlo < nhi {
        (nlo, nhi)
    } else {
        (lo, hi)
    }
}

/// Decimals needed to tell ticks `step` apart once multiplied by `factor`
/// (e.g. 100 for percentages).
pub fn decimals_for(step: f64, factor: f64) -> usize {
    let s = (step * factor).abs();
    if !(s.is_finite() && s > 0.0) || s >= 1.0 {
        0
    } else {
        ((-s.log10()).ceil() as usize).min(6)
    }
}

/// The smallest and largest finite values, if any.
pub fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_both_directions() {
        let s = Linear::new((0.0, 10.0), (100.0, 0.0));
        assert_eq!(s.map(0.0), 100.0);
        assert_eq!(s.map(10.0), 0.0);
        assert_eq!(s.map(5.0), 50.0);
        assert_eq!(s.map(f64::NAN), 100.0);
        let reversed = Linear::new((10.0, 0.0), (0.0, 100.0));
        assert_eq!(reversed.map(10.0), 0.0);
        assert_eq!(reversed.map(0.0), 100.0);
        assert_eq!(reversed.map(2.5), 75.0);
    }

    #[test]
    fn degenerate_domains_do_not_divide_by_zero() {
        for (lo, hi) in [
            (3.0, 3.0),
            (0.0, 0.0),
            (f64::NAN, f64::NAN),
            (f64::INFINITY, 1.0),
            (-f64::MAX, f64::MAX),
            (1e300, 1e300),
            (5.0, -5.0),
        ] {
            let s = Linear::new((lo, hi), (0.0, 100.0));
            for v in [lo, hi, 0.0, 1e308, -1e308, f64::NAN] {
                assert!(s.map(v).is_finite(), "{lo} {hi} {v}");
            }
            let ticks = nice_ticks(lo, hi, 5);
            assert!(!ticks.is_empty() && ticks.len() <= 202);
            assert!(ticks.iter().all(|t| t.is_finite()));
            let (a, b) = nice_domain(lo, hi, 5);
            assert!(
                a.is_finite() && b.is_finite() && a < b,
                "{lo} {hi} -> {a} {b}"
            );
        }
    }

    #[test]
    fn nice_ticks_are_round() {
        assert_eq!(
            nice_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(nice_ticks(-0.07, 0.12, 4), vec![-0.05, 0.0, 0.05, 0.1]);
        assert_eq!(
            nice_ticks(0.0, 68.0, 6),
            vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
        );
        assert_eq!(nice_domain(-0.07, 0.12, 4), (-0.1, 0.15000000000000002));
        assert_eq!(nice_step(7.0, 1), 5.0);
        assert_eq!(nice_step(8.0, 1), 10.0);
        assert_eq!(nice_step(0.0, 5), 0.0);
    }

    #[test]
    fn decimals() {
        assert_eq!(decimals_for(0.05, 100.0), 0);
        assert_eq!(decimals_for(0.005, 100.0), 1);
        assert_eq!(decimals_for(0.0, 100.0), 0);
    }

    #[test]
    fn extents_skip_non_finite() {
        assert_eq!(extent([]), None);
        assert_eq!(extent([f64::NAN]), None);
        assert_eq!(extent([2.0, f64::INFINITY, -1.0]), Some((-1.0, 2.0)));
    }
}
