//! Shared geometry of the charts: the plot frame, axis ticks in SVG coordinates and the
//! legend's item positions. Pure code, tested natively.

use forecast_engine::ModelKind;

use crate::format::Tick;
use crate::path::{self, Point};
use crate::scale::Linear;

/// A chart's size (the viewBox) and the margins around its plot area.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    pub fn x0(&self) -> f64 {
        self.left
    }

    pub fn x1(&self) -> f64 {
        (self.width - self.right).max(self.left + 1.0)
    }

    pub fn y0(&self) -> f64 {
        self.top
    }

    pub fn y1(&self) -> f64 {
        (self.height - self.bottom).max(self.top + 1.0)
    }

    pub fn view_box(&self) -> String {
        format!("0 0 {} {}", self.width, self.height)
    }
}

/// A tick placed on the page: its coordinate along the axis and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedTick {
    pub pos: f64,
    pub label: String,
}

/// Places data ticks with `scale`, dropping any that fall outside its range.
pub fn place(ticks: Vec<Tick>, scale: &Linear) -> Vec<PlacedTick> {
    let (a, b) = scale.range();
    let (lo, hi) = (a.min(b) - 0.5, a.max(b) + 0.5);
    ticks
        .into_iter()
        .map(|t| PlacedTick {
            pos: scale.map(t.value),
            label: t.label,
        })
        .filter(|t| t.pos >= lo && t.pos <= hi)
        .collect()
}

/// Rough width of `text` at `font_size` in a sans-serif font: enough to lay out legends
/// without measuring (which SVG can only do once mounted).
pub fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().count() as f64 * font_size * 0.56
}

/// Legend items flow left to right from `x0` and wrap before `max_x`: the top-left
/// corner of each item and the number of rows used.
pub fn legend_positions(
    labels: &[String],
    x0: f64,
    y0: f64,
    max_x: f64,
    font_size: f64,
) -> (Vec<(f64, f64)>, usize) {
    let row_height = font_size * 1.6;
    let (mut x, mut y, mut rows) = (x0, y0, 1);
    let mut out = Vec::with_capacity(labels.len());
    for label in labels {
        let width = LEGEND_KEY_WIDTH + 6.0 + text_width(label, font_size) + 16.0;
        if x > x0 && x + width > max_x {
            x = x0;
            y += row_height;
            rows += 1;
        }
        out.push((x, y));
        x += width;
    }
    if labels.is_empty() {
        rows = 0;
    }
    (out, rows)
}

/// Width of the line or swatch in front of a legend label.
pub const LEGEND_KEY_WIDTH: f64 = 18.0;

/// A point with its hover text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// One model's forecast over time in SVG coordinates: a line, its band and its marks
/// (the state chart's margins, the electoral votes over the campaign).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSeries {
    pub model: ModelKind,
    pub line: String,
    /// The band as a closed area; empty for a single date, which gets `bar`.
    pub band: String,
    /// A single date's band as a vertical bar: (x, top, bottom).
    pub bar: Option<(f64, f64, f64)>,
    /// Points with hover text, where the dates are few enough to mark.
    pub marks: Vec<Mark>,
}

impl ModelSeries {
    /// The line through `centre` (smooth when dense), the band between `upper` and
    /// `lower` (the same dates), or a bar when there is one date.
    pub fn new(
        model: ModelKind,
        centre: &[Point],
        upper: &[Point],
        lower: &[Point],
        marks: Vec<Mark>,
    ) -> ModelSeries {
        let bar = match (centre.len(), upper.first(), lower.first()) {
            (1, Some(&(bx, top)), Some(&(_, bottom))) => Some((bx, top, bottom)),
            _ => None,
        };
        ModelSeries {
            model,
            line: path::line(centre),
            band: path::band(upper, lower),
            bar,
            marks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_outside_the_range_are_dropped() {
        let s = Linear::new((0.0, 10.0), (0.0, 100.0));
        let ticks = vec![
            Tick {
                value: -1.0,
                label: "a".into(),
            },
            Tick {
                value: 5.0,
                label: "b".into(),
            },
            Tick {
                value: 11.0,
                label: "c".into(),
            },
        ];
        assert_eq!(
            place(ticks, &s),
            vec![PlacedTick {
                pos: 50.0,
                label: "b".into()
            }]
        );
    }

    #[test]
    fn legends_wrap() {
        let labels: Vec<String> = ["Hierarchical Bayes", "Improved Kalman", "Kalman diffusion"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (pos, rows) = legend_positions(&labels, 10.0, 20.0, 300.0, 12.0);
        assert_eq!(pos.len(), 3);
        assert!(rows >= 2);
        assert_eq!(pos[0], (10.0, 20.0));
        assert!(pos.iter().all(|(x, _)| *x < 300.0));
        assert_eq!(legend_positions(&[], 0.0, 0.0, 100.0, 12.0).1, 0);
        // An item wider than the space still gets a row of its own, no endless loop.
        let (pos, rows) = legend_positions(&["x".repeat(500)], 0.0, 0.0, 100.0, 12.0);
        assert_eq!((pos.len(), rows), (1, 1));
    }

    #[test]
    fn a_series_of_one_date_has_a_bar_instead_of_a_band() {
        let one = ModelSeries::new(
            ModelKind::PollAverage,
            &[(5.0, 50.0)],
            &[(5.0, 40.0)],
            &[(5.0, 70.0)],
            Vec::new(),
        );
        assert_eq!(one.bar, Some((5.0, 40.0, 70.0)));
        assert_eq!(one.band, "");
        assert_eq!(one.line, "M5,50");
        let two = ModelSeries::new(
            ModelKind::PollAverage,
            &[(0.0, 50.0), (10.0, 60.0)],
            &[(0.0, 40.0), (10.0, 50.0)],
            &[(0.0, 70.0), (10.0, 80.0)],
            Vec::new(),
        );
        assert_eq!(two.bar, None);
        assert_eq!(two.band, "M0,40 L10,50 L10,80 L0,70 Z");
        assert_eq!(two.line, "M0,50 L10,60");
    }

    #[test]
    fn frames_never_invert() {
        let f = Frame {
            width: 10.0,
            height: 10.0,
            left: 8.0,
            right: 8.0,
            top: 8.0,
            bottom: 8.0,
        };
        assert!(f.x1() > f.x0() && f.y1() > f.y0());
        assert_eq!(f.view_box(), "0 0 10 10");
    }
}
