//! Calibration: a reliability diagram per model. Each bin the engine computed is drawn
//! at (mean forecast, how often the Democrat won), sized and labelled by its count,
//! against the diagonal of perfect calibration.

use forecast_engine::calibration::CalibrationBin;
use forecast_engine::ModelKind;
use leptos::prelude::*;

use crate::colour::model_colour;
use crate::format::{self, Tick};
use crate::layout::{place, Frame, PlacedTick};
use crate::parts::{self, chart, ChartHead, ChartKind, ChartLayout, Interaction, Outline};
use crate::path::{self, num, Point};
use crate::scale::Linear;

#[derive(Clone, Debug, PartialEq)]
pub struct BinMark {
    pub x: f64,
    pub y: f64,
    pub r: f64,
    pub count: usize,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ModelPanel {
    pub model: ModelKind,
    pub frame: Frame,
    pub x_ticks: Vec<PlacedTick>,
    pub y_ticks: Vec<PlacedTick>,
    /// The diagonal from (0, 0) to (1, 1).
    pub diagonal: String,
    /// Through the bins in forecast order.
    pub path: String,
    pub bins: Vec<BinMark>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CalibrationLayout {
    pub head: ChartHead,
    pub panels: Vec<ModelPanel>,
}

const WIDTH: f64 = 640.0;
const PANEL: f64 = 320.0;
const PLOT: f64 = 220.0;
const HEAD: f64 = 48.0;
const MIN_R: f64 = 2.5;
const MAX_R: f64 = 10.0;

/// Places one panel per model with bins (in the fixed model order), two per row.
pub fn layout_calibration(bins: &[CalibrationBin]) -> CalibrationLayout {
    let title = "Calibration: forecast probability against how often the Democrat won".to_string();
    let models: Vec<ModelKind> = ModelKind::ALL
        .into_iter()
        .filter(|m| bins.iter().any(|b| b.model == *m))
        .collect();
    let columns = if models.len() > 1 { 2 } else { 1 };
    let rows = models.len().div_ceil(columns).max(1);
    let frame = Frame {
        width: WIDTH,
        height: HEAD + rows as f64 * (PANEL - 20.0) + 30.0,
        left: 0.0,
        right: 0.0,
        top: HEAD,
        bottom: 0.0,
    };
    let mut out = CalibrationLayout {
        head: ChartHead::new(frame, title),
        panels: Vec::new(),
    };
    if models.is_empty() {
        out.head.empty = Some("No calibration yet: run the models".into());
        return out;
    }
    // Areas proportional to counts, comparable across panels.
    let max_count = bins.iter().map(|b| b.count).max().unwrap_or(1).max(1) as f64;
    let pct_ticks = |decimals| {
        (0..=4)
            .map(|i| {
                let v = i as f64 / 4.0;
                Tick {
                    value: v,
                    label: format::percent_with(v, decimals),
                }
            })
            .collect::<Vec<_>>()
    };
    out.panels = models
        .iter()
        .enumerate()
        .map(|(i, &model)| {
            let (col, row) = ((i % columns) as f64, (i / columns) as f64);
            let left = col * PANEL + 60.0;
            let top = HEAD + row * (PANEL - 20.0) + 44.0;
            let panel = Frame {
                width: WIDTH,
                height: frame.height,
                left,
                right: WIDTH - left - PLOT,
                top,
                bottom: frame.height - top - PLOT,
            };
            let x = Linear::new((0.0, 1.0), (panel.x0(), panel.x1()));
            let y = Linear::new((0.0, 1.0), (panel.y1(), panel.y0()));
            let mut model_bins: Vec<&CalibrationBin> =
                bins.iter().filter(|b| b.model == model).collect();
            model_bins.sort_by(|a, b| a.mean_forecast.total_cmp(&b.mean_forecast));
            let marks: Vec<BinMark> = model_bins
                .iter()
                .map(|b| BinMark {
                    // Probabilities outside [0, 1] cannot come from the engine; clamp
                    // so a mark never leaves its panel.
                    x: x.map(clamp01(b.mean_forecast)),
                    y: y.map(clamp01(b.observed)),
                    r: MIN_R + (MAX_R - MIN_R) * (b.count as f64 / max_count).sqrt(),
                    count: b.count,
                    label: format!(
                        "{}, forecasts {}–{}: {} forecasts, mean {}, Democrat won {}",
                        model.label(),
                        format::percent_with(b.lower, 0),
                        format::percent_with(b.upper, 0),
                        b.count,
                        format::percent(b.mean_forecast),
                        format::percent(b.observed)
                    ),
                })
                .collect();
            let coords: Vec<Point> = marks.iter().map(|m| (m.x, m.y)).collect();
            ModelPanel {
                model,
                frame: panel,
                x_ticks: place(pct_ticks(0), &x),
                y_ticks: place(pct_ticks(0), &y),
                diagonal: path::polyline(&[(x.map(0.0), y.map(0.0)), (x.map(1.0), y.map(1.0))]),
                path: path::polyline(&coords),
                bins: marks,
            }
        })
        .collect();
    out.head.summary = calibration_summary(&models, bins);
    out
}

/// The chart's text alternative: what a calibrated model looks like, then per model its
/// forecasts and bins and the bin furthest from the diagonal.
pub fn calibration_summary(models: &[ModelKind], bins: &[CalibrationBin]) -> String {
    let mut text = "Per model, the forecasts grouped by their chance that the Democrat wins, \
                    against how often the Democrat won: a calibrated model's bins lie on the \
                    diagonal."
        .to_string();
    for &model in models {
        let own: Vec<&CalibrationBin> = bins.iter().filter(|b| b.model == model).collect();
        let forecasts: usize = own.iter().map(|b| b.count).sum();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        text.push_str(&format!(
            " {}: {} in {}",
            model.label(),
            plural(forecasts, "forecast", "forecasts"),
            plural(own.len(), "bin", "bins")
        ));
        let gap = |b: &CalibrationBin| (b.observed - b.mean_forecast).abs();
        let worst = own.iter().filter(|b| gap(b).is_finite()).fold(
            None::<&&CalibrationBin>,
            |w, b| match w {
                Some(w) if gap(w) >= gap(b) => Some(w),
                _ => Some(b),
            },
        );
        if let Some(b) = worst {
            text.push_str(&format!(
                "; furthest from the diagonal, {}–{}: mean forecast {}, Democrat won {} of {}",
                format::percent_with(b.lower, 0),
                format::percent_with(b.upper, 0),
                format::percent(b.mean_forecast),
                format::percent(b.observed),
                b.count
            ));
        }
        text.push('.');
    }
    text
}

fn clamp01(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

impl ChartLayout for CalibrationLayout {
    fn head(&self) -> &ChartHead {
        &self.head
    }

    fn has_label(&self, text: &str) -> bool {
        self.panels
            .iter()
            .any(|p| p.bins.iter().any(|b| b.label == text))
    }
}

const KIND: ChartKind = ChartKind {
    testid: "calibration-chart",
    class: "fc-calibration-chart",
    hint: "Hover over, tap or focus a bin for its numbers (Tab, then the arrow keys); \
           the number above each is its count",
    left: 8.0,
};

/// Calibration. Renders `<svg data-testid="calibration-chart" id=...>` with a
/// `<g data-model=...>` panel per model holding one `<circle data-count=n>` per bin. The
/// bins share one tab stop; the arrow keys, Home and End move among them.
///
/// - `bins`: `forecast_engine::calibration::calibration(rows, models, bins)`.
/// - `id`: the root `<svg>`'s id (default `calibration-chart-svg`).
#[component]
pub fn CalibrationChart(
    #[prop(into)] bins: Signal<Vec<CalibrationBin>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| "calibration-chart-svg".to_string());
    let layout = Memo::new(move |_| bins.with(|b| layout_calibration(b)));
    chart(id, KIND, layout, calibration_body)
}

fn calibration_body(l: CalibrationLayout, ui: Interaction) -> impl IntoView {
    let outlines: Vec<Outline> = l
        .panels
        .iter()
        .flat_map(|p| &p.bins)
        .map(|b| Outline::Circle {
            cx: b.x,
            cy: b.y,
            r: b.r,
        })
        .collect();
    let items = ui.items(outlines.len(), || None);
    let mut next = 0usize;
    let panels = l
        .panels
        .into_iter()
        .map(|p| {
            let f = p.frame;
            let colour = model_colour(p.model);
            let bins = p
                .bins
                .into_iter()
                .map(|b| {
                    let i = next;
                    next += 1;
                    let attrs = items.attrs(i, b.label.clone(), None);
                    view! {
                        <g class="fc-bin">
                            <circle
                                data-count=b.count.to_string()
                                cx=num(b.x)
                                cy=num(b.y)
                                r=num(b.r)
                                fill=colour
                                fill-opacity="0.75"
                                stroke="#ffffff"
                                role="img"
                                {..attrs}
                            >
                                {crate::parts::svg_title(b.label)}
                            </circle>
                            <text
                                x=num(b.x)
                                y=num(b.y - b.r - 3.0)
                                text-anchor="middle"
                                font-size="10"
                                fill="#333333"
                                pointer-events="none"
                            >
                                {b.count.to_string()}
                            </text>
                        </g>
                    }
                })
                .collect_view();
            view! {
                <g class="fc-panel" data-model=p.model.name()>
                    <text x=num(f.x0()) y=num(f.y0() - 26.0) font-size="12" font-weight="600" fill="#222222">
                        {p.model.label()}
                    </text>
                    {parts::y_axis(p.y_ticks, f)}
                    {parts::x_axis(p.x_ticks, f)}
                    <text
                        x=num((f.x0() + f.x1()) / 2.0)
                        y=num(f.y1() + 30.0)
                        text-anchor="middle"
                        font-size="11"
                        fill="#444444"
                    >
                        "Forecast probability"
                    </text>
                    <text
                        x=num(f.x0() - 44.0)
                        y=num((f.y0() + f.y1()) / 2.0)
                        text-anchor="middle"
                        font-size="11"
                        fill="#444444"
                        transform=format!(
                            "rotate(-90 {} {})",
                            num(f.x0() - 44.0),
                            num((f.y0() + f.y1()) / 2.0),
                        )
                    >
                        "Democrat won"
                    </text>
                    <path
                        class="fc-diagonal"
                        d=p.diagonal
                        stroke="#888888"
                        stroke-dasharray="4 3"
                        fill="none"
                    >
                        {crate::parts::svg_title("Perfect calibration")}
                    </path>
                    <path d=p.path stroke=colour stroke-width="1.5" fill="none" />
                    {bins}
                </g>
            }
        })
        .collect_view();
    view! {
        {panels}
        {items.focus_ring(outlines)}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(model: ModelKind, lower: f64, count: usize, mean: f64, observed: f64) -> CalibrationBin {
        CalibrationBin {
            model,
            lower,
            upper: lower + 0.1,
            count,
            mean_forecast: mean,
            observed,
        }
    }

    #[test]
    fn a_panel_per_model_with_its_bins() {
        let bins = vec![
            bin(ModelKind::PollAverage, 0.0, 10, 0.05, 0.0),
            bin(ModelKind::PollAverage, 0.9, 40, 0.95, 1.0),
            bin(ModelKind::ImprovedKalman, 0.5, 3, 0.55, 0.33),
        ];
        let l = layout_calibration(&bins);
        assert_eq!(l.head.empty, None);
        assert_eq!(l.panels.len(), 2);
        assert_eq!(l.panels[0].model, ModelKind::PollAverage);
        let p = &l.panels[0];
        assert_eq!(p.bins.len(), 2);
        assert!(p.bins[1].r > p.bins[0].r);
        assert_eq!(p.bins[1].r, MAX_R);
        for b in &p.bins {
            assert!(b.x >= p.frame.x0() && b.x <= p.frame.x1());
            assert!(b.y >= p.frame.y0() && b.y <= p.frame.y1());
        }
        // (0, 0) is bottom left.
        assert_eq!(p.bins[0].y, p.frame.y1());
        assert!(p.bins[0].label.contains("0%–10%: 10 forecasts"));
        assert_eq!(p.x_ticks.len(), 5);
        assert!(l.panels[1].frame.x0() > p.frame.x1());
        assert!(l.panels[1].frame.x1() <= l.head.frame.width);
    }

    #[test]
    fn the_summary_names_each_model_s_bin_furthest_from_the_diagonal() {
        let bins = vec![
            bin(ModelKind::PollAverage, 0.0, 10, 0.05, 0.0),
            bin(ModelKind::PollAverage, 0.4, 6, 0.45, 0.2),
            bin(ModelKind::PollAverage, 0.9, 40, 0.95, 1.0),
            bin(ModelKind::ImprovedKalman, 0.5, 1, 0.55, 1.0),
        ];
        assert_eq!(
            layout_calibration(&bins).head.summary,
            "Per model, the forecasts grouped by their chance that the Democrat wins, \
             against how often the Democrat won: a calibrated model's bins lie on the \
             diagonal. Poll average: 56 forecasts in 3 bins; furthest from the diagonal, \
             40%–50%: mean forecast 45.0%, Democrat won 20.0% of 6. Improved Kalman: 1 \
             forecast in 1 bin; furthest from the diagonal, 50%–60%: mean forecast 55.0%, \
             Democrat won 100.0% of 1."
        );
    }

    #[test]
    fn empty_and_odd_bins() {
        assert!(layout_calibration(&[]).head.empty.is_some());
        let l = layout_calibration(&[bin(ModelKind::HierarchicalBayes, 0.0, 0, 7.0, -1.0)]);
        let b = &l.panels[0].bins[0];
        assert!(b.x.is_finite() && b.y.is_finite() && b.r.is_finite());
        assert_eq!(l.panels.len(), 1);
    }
}
