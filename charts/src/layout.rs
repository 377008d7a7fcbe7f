//! Shared geometry of the charts: the plot frame, axis ticks in SVG coordinates and the
//! legend's item positions. Pure code, tested natively.

use crate::format::Tick;
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
