//! How numbers read on the page. The data-* attributes keep full precision instead.

/// `0.7341` -> `73.4%`.
pub fn percent(p: f64) -> String {
    format!("{:.1}%", p * 100.0)
}

/// A two-party margin as points to the side ahead: `0.042` -> `D+4.2`, `-0.031` -> `R+3.1`.
pub fn margin(m: f64) -> String {
    let points = m * 100.0;
    if points.abs() < 0.05 {
        "even".to_string()
    } else if points > 0.0 {
        format!("D+{points:.1}")
    } else {
        format!("R+{:.1}", -points)
    }
}

/// A spread in points: `0.0412` -> `4.1`.
pub fn points(x: f64) -> String {
    format!("{:.1}", x * 100.0)
}

/// The shortest text that reads back as the same number.
pub fn full(x: f64) -> String {
    format!("{x}")
}

/// `53.2` -> `53 ms`, `1234.0` -> `1.23 s`.
pub fn duration(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// A score to four decimals.
pub fn score(x: f64) -> String {
    format!("{x:.4}")
}
