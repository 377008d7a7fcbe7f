//! Colours: one per model (the same in every chart) and the win-probability scale.

use forecast_engine::ModelKind;

/// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies; none
/// is the red or blue of the parties.
pub fn model_colour(model: ModelKind) -> &'static str {
    match model {
        ModelKind::PollAverage => "#E69F00",
        ModelKind::KalmanDiffusion => "#009E73",
        ModelKind::ImprovedKalman => "#CC79A7",
        ModelKind::HierarchicalBayes => "#56B4E9",
    }
}

/// The actual result, polls and guide lines.
pub const RESULT_COLOUR: &str = "#222222";
pub const POLL_COLOUR: &str = "#555555";
pub const GRID_COLOUR: &str = "#dddddd";
/// Tiles with no forecast.
pub const NO_FORECAST_COLOUR: &str = "#bdbdbd";

/// The parties, as the page's `--dem` and `--rep`: electoral-vote totals that win for
/// one side, and pins.
pub const DEM_COLOUR: &str = "#1f5fbf";
pub const REP_COLOUR: &str = "#c23b2e";
/// An electoral-vote total that ties (as the page's tie in the odds bar).
pub const TIE_COLOUR: &str = "#9aa1ad";
/// The majority line of the electoral-college charts.
pub const MAJORITY_COLOUR: &str = "#333333";
/// The tipping-point outline: neither the selection's black nor the focus ring.
pub const TIPPING_COLOUR: &str = "#7a0177";
/// The keyboard focus ring, over a white halo so that it shows on any fill.
pub const FOCUS_COLOUR: &str = "#000000";
/// The selected item's persistent outline.
pub const SELECTED_COLOUR: &str = "#111111";

/// ColorBrewer RdBu (7 classes): a diverging scale that stays readable with red–green
/// colour blindness, from Republican red (p = 0) through white (p = 0.5) to Democratic
/// blue (p = 1).
const STOPS: [(u8, u8, u8); 7] = [
    (0xb2, 0x18, 0x2b),
    (0xef, 0x8a, 0x62),
    (0xfd, 0xdb, 0xc7),
    (0xf7, 0xf7, 0xf7),
    (0xd1, 0xe5, 0xf0),
    (0x67, 0xa9, 0xcf),
    (0x21, 0x66, 0xac),
];

/// The fill for a Democratic win probability `p` (clamped to [0, 1]); grey when `p` is
/// not a number.
pub fn win_colour(p: f64) -> String {
    if !p.is_finite() {
        return NO_FORECAST_COLOUR.to_string();
    }
    let t = p.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: u8, y: u8| {
        (x as f64 + (y as f64 - x as f64) * f)
            .round()
            .clamp(0.0, 255.0) as u8
    };
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// Text drawn on a tile of probability `p`: white on the dark ends of the scale.
pub fn text_colour_on(p: f64) -> &'static str {
    if p.is_finite() && !(0.12..=0.88).contains(&p) {
        "#ffffff"
    } else {
        "#111111"
    }
}

/// The legend's swatches: `steps` + 1 probabilities from 0 to 1 with their colours.
pub fn legend_swatches(steps: usize) -> Vec<(f64, String)> {
    let steps = steps.max(1);
    (0..=steps)
        .map(|i| {
            let p = i as f64 / steps as f64;
            (p, win_colour(p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_runs_red_white_blue() {
        assert_eq!(win_colour(0.0), "#b2182b");
        assert_eq!(win_colour(0.5), "#f7f7f7");
        assert_eq!(win_colour(1.0), "#2166ac");
        assert_eq!(win_colour(-3.0), "#b2182b");
        assert_eq!(win_colour(7.0), "#2166ac");
        assert_eq!(win_colour(f64::NAN), NO_FORECAST_COLOUR);
        assert_eq!(win_colour(0.25), "#f6b395");
        assert_eq!(legend_swatches(10).len(), 11);
    }

    #[test]
    fn model_colours_differ() {
        let mut colours: Vec<_> = ModelKind::ALL.iter().map(|&m| model_colour(m)).collect();
        colours.sort();
        colours.dedup();
        assert_eq!(colours.len(), ModelKind::ALL.len());
    }
}
