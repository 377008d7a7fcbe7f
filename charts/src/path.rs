//! SVG path data: straight polylines for few points, monotone cubic Béziers
//! (Fritsch–Carlson, as d3's `curveMonotoneX`) for dense series, and closed bands.
//!
//! Monotone curves never overshoot the data, so a smoothed forecast line never shows a
//! wiggle that is not in the numbers. Points are in SVG coordinates already.

use std::fmt::Write;

pub type Point = (f64, f64);

/// At least this many points make a smooth curve; fewer are drawn straight, where a
/// curve would suggest values between sparse forecast dates.
pub const SMOOTH_MIN_POINTS: usize = 8;

/// A coordinate with two decimals, without "-0.00".
pub fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    // Charts write thousands of coordinates per run: whole hundredths as an integer
    // avoid the exact decimal expansion of `{:.2}` (same text but for a last digit
    // on exact ties), which is a few times slower.
    let hundredths = (v * 100.0).round();
    if hundredths.abs() >= 1e15 {
        let s = format!("{v:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        return if s == "-0" { "0".into() } else { s.into() };
    }
    let h = hundredths as i64;
    let (whole, frac) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
    let sign = if h < 0 { "-" } else { "" };
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

fn finite(points: &[Point]) -> Vec<Point> {
    points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect()
}

fn push_point(out: &mut String, cmd: char, (x, y): Point) {
    if !out.is_empty() {
        out.push(' ');
    }
    let _ = write!(out, "{cmd}{},{}", num(x), num(y));
}

/// `M x,y L x,y ...`; empty for no points.
pub fn polyline(points: &[Point]) -> String {
    let mut out = String::new();
    for (i, p) in finite(points).into_iter().enumerate() {
        push_point(&mut out, if i == 0 { 'M' } else { 'L' }, p);
    }
    out
}

/// One cubic segment: the two control points and the end point.
type Segment = (Point, Point, Point);

/// Monotone cubic segments through `points`, whose x must strictly increase; `None`
/// otherwise (the caller then draws straight lines).
fn monotone_segments(points: &[Point]) -> Option<Vec<Segment>> {
    let n = points.len();
    if n < 3 || points.windows(2).any(|w| w[1].0 <= w[0].0) {
        return None;
    }
    let h: Vec<f64> = points.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let s: Vec<f64> = points
        .windows(2)
        .zip(&h)
        .map(|(w, h)| (w[1].1 - w[0].1) / h)
        .collect();
    if s.iter().any(|v| !v.is_finite()) {
        return None;
    }
    // Tangents: one-sided at the ends; inside, zero at extrema, else limited so the
    // curve stays between its neighbours (Fritsch–Carlson / Steffen).
    let mut m = vec![0.0; n];
    m[0] = s[0];
    m[n - 1] = s[n - 2];
    for i in 1..n - 1 {
        let (s0, s1) = (s[i - 1], s[i]);
        m[i] = if s0 * s1 <= 0.0 {
            0.0
        } else {
            let p = (s0 * h[i] + s1 * h[i - 1]) / (h[i - 1] + h[i]);
            s0.signum() * s0.abs().min(s1.abs()).min(0.5 * p.abs()) * 2.0
        };
    }
    let segments = (0..n - 1)
        .map(|i| {
            let (x0, y0) = points[i];
            let (x1, y1) = points[i + 1];
            let d = h[i] / 3.0;
            (
                (x0 + d, y0 + m[i] * d),
                (x1 - d, y1 - m[i + 1] * d),
                (x1, y1),
            )
        })
        .collect();
    Some(segments)
}

fn push_segment(out: &mut String, (c1, c2, end): Segment) {
    let _ = write!(
        out,
        " C{},{} {},{} {},{}",
        num(c1.0),
        num(c1.1),
        num(c2.0),
        num(c2.1),
        num(end.0),
        num(end.1)
    );
}

/// A smooth monotone curve through points of increasing x; straight segments when the
/// points are few or x does not strictly increase.
pub fn smooth(points: &[Point]) -> String {
    let points = finite(points);
    match monotone_segments(&points) {
        Some(segments) => {
            let mut out = String::new();
            push_point(&mut out, 'M', points[0]);
            for seg in segments {
                push_segment(&mut out, seg);
            }
            out
        }
        None => polyline(&points),
    }
}

/// Smooth when there are at least [`SMOOTH_MIN_POINTS`] points, straight otherwise.
pub fn line(points: &[Point]) -> String {
    if points.len() >= SMOOTH_MIN_POINTS {
        smooth(points)
    } else {
        polyline(points)
    }
}

/// A closed area between `upper` and `lower`, both of increasing x and the same length:
/// along `upper`, then back along `lower`. Empty for fewer than two points, where the
/// caller draws an error bar instead.
pub fn band(upper: &[Point], lower: &[Point]) -> String {
    let (upper, lower) = (finite(upper), finite(lower));
    if upper.len() < 2 || lower.len() < 2 {
        return String::new();
    }
    let curved = upper.len() >= SMOOTH_MIN_POINTS && lower.len() >= SMOOTH_MIN_POINTS;
    let up = if curved {
        monotone_segments(&upper)
    } else {
        None
    };
    let down = if curved {
        monotone_segments(&lower)
    } else {
        None
    };
    let mut out = String::new();
    push_point(&mut out, 'M', upper[0]);
    match up {
        Some(segments) => segments.into_iter().for_each(|s| push_segment(&mut out, s)),
        None => upper[1..]
            .iter()
            .for_each(|&p| push_point(&mut out, 'L', p)),
    }
    let last = lower.len() - 1;
    push_point(&mut out, 'L', lower[last]);
    match down {
        // A cubic run backwards swaps its control points and ends at the segment start.
        Some(segments) => {
            for (i, (c1, c2, _)) in segments.into_iter().enumerate().rev() {
                push_segment(&mut out, (c2, c1, lower[i]));
            }
        }
        None => lower[..last]
            .iter()
            .rev()
            .for_each(|&p| push_point(&mut out, 'L', p)),
    }
    out.push_str(" Z");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(10.5), "10.5");
        assert_eq!(num(-3.07), "-3.07");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(0.004), "0");
        assert_eq!(num(f64::INFINITY), "0");
        assert_eq!(num(2e15), "2000000000000000");
        // The same text as two decimals written out and trimmed, away from exact ties.
        for i in -20_000..20_000 {
            let v = f64::from(i) * 0.0173 + 0.0011;
            if ((v * 100.0).abs().fract() - 0.5).abs() < 1e-6 {
                continue;
            }
            let s = format!("{v:.2}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            let expected = if s == "-0" { "0" } else { s };
            assert_eq!(num(v), expected, "{v}");
        }
    }

    #[test]
    fn polylines() {
        assert_eq!(polyline(&[]), "");
        assert_eq!(polyline(&[(1.0, 2.0)]), "M1,2");
        assert_eq!(polyline(&[(1.0, 2.0), (3.0, 4.5)]), "M1,2 L3,4.5");
        assert_eq!(polyline(&[(1.0, f64::NAN), (3.0, 4.5)]), "M3,4.5");
    }

    #[test]
    fn smooth_curves_pass_through_points_and_stay_monotone() {
        let pts: Vec<Point> = (0..10).map(|i| (i as f64 * 10.0, (i * i) as f64)).collect();
        let d = smooth(&pts);
        assert!(d.starts_with("M0,0 C"));
        assert_eq!(d.matches('C').count(), 9);
        assert!(d.ends_with("90,81"));
        // Monotone data: every control point's y lies within its segment's end values.
        let segs = monotone_segments(&pts).unwrap();
        for (i, (c1, c2, end)) in segs.iter().enumerate() {
            let (lo, hi) = (pts[i].1, end.1);
            assert!(c1.1 >= lo - 1e-9 && c1.1 <= hi + 1e-9);
            assert!(c2.1 >= lo - 1e-9 && c2.1 <= hi + 1e-9);
        }
        // A flat stretch stays flat (no overshoot at extrema).
        let flat = [(0.0, 1.0), (1.0, 5.0), (2.0, 5.0), (3.0, 1.0)];
        for (c1, c2, _) in monotone_segments(&flat).unwrap() {
            assert!(c1.1 <= 5.0 && c2.1 <= 5.0);
        }
    }

    #[test]
    fn smooth_falls_back_to_straight() {
        assert_eq!(smooth(&[(0.0, 0.0), (1.0, 1.0)]), "M0,0 L1,1");
        // Repeated x: no division by zero, straight lines.
        assert_eq!(
            smooth(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]),
            "M0,0 L0,1 L1,1"
        );
        assert_eq!(smooth(&[]), "");
        assert_eq!(
            line(&[(0.0, 0.0), (1.0, 1.0), (2.0, 0.0)]),
            "M0,0 L1,1 L2,0"
        );
    }

    #[test]
    fn bands_close() {
        assert_eq!(band(&[(0.0, 1.0)], &[(0.0, 3.0)]), "");
        assert_eq!(
            band(&[(0.0, 1.0), (1.0, 1.0)], &[(0.0, 3.0), (1.0, 3.0)]),
            "M0,1 L1,1 L1,3 L0,3 Z"
        );
        let up: Vec<Point> = (0..9).map(|i| (i as f64, 0.0)).collect();
        let down: Vec<Point> = (0..9).map(|i| (i as f64, 2.0)).collect();
        let d = band(&up, &down);
        assert!(d.starts_with("M0,0 C"));
        assert!(d.contains("L8,2 C"));
        assert!(d.ends_with("0,2 Z"));
        assert_eq!(d.matches('C').count(), 16);
    }

    #[test]
    fn extreme_values_stay_finite_text() {
        let pts = [(0.0, 1e300), (1.0, -1e300), (2.0, 1e300), (3.0, 0.0)];
        let d = smooth(&pts);
        assert!(!d.contains("NaN") && !d.contains("inf"));
    }
}
