//! Scores over the campaign: Brier, log loss and MAE against days before the election,
//! one line per model, in three stacked panels sharing the x axis.

use std::fmt::Write;

use chrono::NaiveDate;
use forecast_engine::dates::day_number;
use forecast_engine::{ModelKind, ScoreRow};
use leptos::prelude::*;

use crate::colour::model_colour;
use crate::format::{self, escape, Tick};
use crate::layout::{legend_positions, place, Frame, PlacedTick};
use crate::parts::{
    self, chart, ChartHead, ChartKind, ChartLayout, Interaction, LegendItem, LegendKey, Outline,
};
use crate::path::{self, num, Point};
use crate::scale::{decimals_for, extent, nice_domain, nice_step, nice_ticks, Linear};

/// Which score a panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Brier,
    LogLoss,
    Mae,
}

impl Metric {
    pub const ALL: [Metric; 3] = [Metric::Brier, Metric::LogLoss, Metric::Mae];

    /// Matches the scores CSV column.
    pub fn key(self) -> &'static str {
        match self {
            Metric::Brier => "brier",
            Metric::LogLoss => "log_loss",
            Metric::Mae => "mae",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::Brier => "Brier score (lower is better)",
            Metric::LogLoss => "Log loss (lower is better)",
            Metric::Mae => "Mean absolute error of the margin, points (lower is better)",
        }
    }

    fn value(self, s: &ScoreRow) -> f64 {
        match self {
            Metric::Brier => s.brier,
            Metric::LogLoss => s.log_loss,
            Metric::Mae => s.mae,
        }
    }

    /// Axis and hover text; MAE is a margin, shown in points.
    fn text(self, v: f64, decimals: Option<usize>) -> String {
        match (self, decimals) {
            (Metric::Mae, Some(d)) => format::plain(v * 100.0, d),
            (Metric::Mae, None) => format!("{} pts", format::plain(v * 100.0, 2)),
            (_, Some(d)) => format::plain(v, d),
            (_, None) => format::score(v),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScorePoint {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScoreSeries {
    pub model: ModelKind,
    pub path: String,
    pub points: Vec<ScorePoint>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub metric: Metric,
    /// The panel's plot area (shares x with the others).
    pub frame: Frame,
    pub y_ticks: Vec<PlacedTick>,
    pub x_ticks: Vec<PlacedTick>,
    pub series: Vec<ScoreSeries>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScoresLayout {
    pub head: ChartHead,
    pub panels: Vec<Panel>,
    pub legend: Vec<LegendItem>,
}

const WIDTH: f64 = 640.0;
const PANEL_HEIGHT: f64 = 140.0;
const PANEL_GAP: f64 = 58.0;

/// Places the chart. `election_day` gives "days before"; without it the day after the
/// last forecast date is used (the engine's grid always ends the day before).
pub fn layout_scores(scores: &[ScoreRow], election_day: Option<NaiveDate>) -> ScoresLayout {
    let title = "Scores by days before the election: Brier, log loss, MAE".to_string();
    let mut frame = Frame {
        width: WIDTH,
        height: 200.0,
        left: 56.0,
        right: 16.0,
        top: 60.0,
        bottom: 0.0,
    };
    let mut out = ScoresLayout {
        head: ChartHead::new(frame, title),
        panels: Vec::new(),
        legend: Vec::new(),
    };
    let election = election_day
        .map(day_number)
        .or_else(|| scores.iter().map(|s| day_number(s.forecast_date) + 1).max());
    let Some(election) = election.filter(|_| !scores.is_empty()) else {
        out.head.empty = Some("No scores yet: run the models".into());
        return out;
    };
    let days_before = |s: &ScoreRow| (election - day_number(s.forecast_date)) as f64;

    // Models in their fixed order; each model's scores from far to near.
    let series_rows: Vec<(ModelKind, Vec<&ScoreRow>)> = ModelKind::ALL
        .iter()
        .map(|&m| {
            let mut r: Vec<&ScoreRow> = scores.iter().filter(|s| s.model == m).collect();
            r.sort_by_key(|s| s.forecast_date);
            (m, r)
        })
        .filter(|(_, r)| !r.is_empty())
        .collect();

    let labels: Vec<String> = series_rows
        .iter()
        .map(|(m, _)| m.label().to_string())
        .collect();
    let (positions, legend_rows) = legend_positions(&labels, frame.left, 46.0, WIDTH - 8.0, 12.0);
    frame.top = 46.0 + legend_rows as f64 * 19.2 + 24.0;
    frame.height = frame.top + Metric::ALL.len() as f64 * (PANEL_HEIGHT + PANEL_GAP);
    out.head.frame = frame;
    out.legend = series_rows
        .iter()
        .zip(positions)
        .map(|((m, _), (x, y))| LegendItem {
            key: LegendKey::Line {
                colour: model_colour(*m).to_string(),
                dashed: false,
            },
            label: m.label().to_string(),
            x,
            y,
        })
        .collect();

    // Far from the election on the left, election day on the right.
    let max_days = extent(scores.iter().map(days_before)).map_or(1.0, |(_, hi)| hi.max(1.0));
    let x = Linear::new((max_days, 0.0), (frame.x0(), frame.x1()));
    let x_ticks: Vec<Tick> = nice_ticks(0.0, max_days, 7)
        .into_iter()
        .map(|v| Tick {
            value: v,
            label: format::plain(v, 0),
        })
        .collect();

    out.panels = Metric::ALL
        .iter()
        .enumerate()
        .map(|(i, &metric)| {
            let top = frame.top + i as f64 * (PANEL_HEIGHT + PANEL_GAP);
            let panel = Frame {
                top,
                bottom: frame.height - top - PANEL_HEIGHT,
                ..frame
            };
            let hi = extent(scores.iter().map(|s| metric.value(s)))
                .map_or(1.0, |(lo, hi)| hi.max(lo.abs()));
            let lo =
                extent(scores.iter().map(|s| metric.value(s))).map_or(0.0, |(lo, _)| lo.min(0.0));
            let (lo, hi) = nice_domain(lo, hi, 4);
            let y = Linear::new((lo, hi), (panel.y1(), panel.y0()));
            let decimals = decimals_for(
                nice_step(hi - lo, 4),
                if metric == Metric::Mae { 100.0 } else { 1.0 },
            );
            let y_ticks = place(
                nice_ticks(lo, hi, 4)
                    .into_iter()
                    .map(|v| Tick {
                        value: v,
                        label: metric.text(v, Some(decimals)),
                    })
                    .collect(),
                &y,
            );
            let series = series_rows
                .iter()
                .map(|(model, rows)| {
                    let points: Vec<ScorePoint> = rows
                        .iter()
                        .map(|s| {
                            let days = days_before(s);
                            ScorePoint {
                                x: x.map(days),
                                y: y.map(metric.value(s)),
                                label: format!(
                                    "{}, {} ({} days before): {} {} over {} states",
                                    model.label(),
                                    format::long_date(s.forecast_date),
                                    format::plain(days, 0),
                                    match metric {
                                        Metric::Brier => "Brier",
                                        Metric::LogLoss => "log loss",
                                        Metric::Mae => "MAE",
                                    },
                                    metric.text(metric.value(s), None),
                                    s.n_states
                                ),
                            }
                        })
                        .collect();
                    let coords: Vec<Point> = points.iter().map(|p| (p.x, p.y)).collect();
                    ScoreSeries {
                        model: *model,
                        path: path::line(&coords),
                        points,
                    }
                })
                .collect();
            Panel {
                metric,
                frame: panel,
                y_ticks,
                x_ticks: place(x_ticks.clone(), &x),
                series,
            }
        })
        .collect();
    out.head.summary = scores_summary(&series_rows, election);
    out
}

/// The chart's text alternative: the span of days drawn, each model's three scores on
/// its date nearest the election, and the model with the lowest Brier score there.
/// `series_rows` holds each model's scores in date order; `election` is its day number.
pub fn scores_summary(series_rows: &[(ModelKind, Vec<&ScoreRow>)], election: i64) -> String {
    let days: Vec<i64> = series_rows
        .iter()
        .flat_map(|(_, r)| r.iter().map(|s| election - day_number(s.forecast_date)))
        .collect();
    let (Some(far), Some(near)) = (days.iter().max(), days.iter().min()) else {
        return String::new();
    };
    let mut text = format!(
        "Brier score, log loss and mean absolute error of the margin (lower is better) of \
         each model's state forecasts, from {far} to {near} days before the election."
    );
    let last: Vec<(ModelKind, &ScoreRow)> = series_rows
        .iter()
        .filter_map(|(m, r)| r.last().map(|s| (*m, *s)))
        .collect();
    for (model, s) in &last {
        text.push_str(&format!(
            " {}, {} days before: Brier {}, log loss {}, MAE {}.",
            model.label(),
            election - day_number(s.forecast_date),
            Metric::Brier.text(s.brier, None),
            Metric::LogLoss.text(s.log_loss, None),
            Metric::Mae.text(s.mae, None)
        ));
    }
    let best = last
        .iter()
        .filter(|(_, s)| s.brier.is_finite())
        .min_by(|a, b| a.1.brier.total_cmp(&b.1.brier));
    if let (Some((model, _)), true) = (best, last.len() > 1) {
        text.push_str(&format!(" Lowest Brier score: {}.", model.label()));
    }
    text
}

impl ChartLayout for ScoresLayout {
    fn head(&self) -> &ChartHead {
        &self.head
    }

    fn has_label(&self, text: &str) -> bool {
        self.panels
            .iter()
            .flat_map(|p| &p.series)
            .any(|s| s.points.iter().any(|p| p.label == text))
    }
}

const KIND: ChartKind = ChartKind {
    testid: "scores-chart",
    class: "fc-scores-chart",
    hint: "Hover over, tap or focus a point for its score (Tab, then the arrow keys)",
    left: 8.0,
};

/// Scores over the campaign. Renders `<svg data-testid="scores-chart" id=...>` with a
/// `<g data-metric="brier|log_loss|mae">` panel each, holding one
/// `<path data-model=...>` line per model. The points share one tab stop; the arrow
/// keys, Home and End move among them.
///
/// - `scores`: the run's score rows.
/// - `election_day`: for "days before" (default: the day after the last forecast date).
/// - `id`: the root `<svg>`'s id (default `scores-chart-svg`).
#[component]
pub fn ScoresChart(
    #[prop(into)] scores: Signal<Vec<ScoreRow>>,
    #[prop(optional, into)] election_day: Option<Signal<Option<NaiveDate>>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| "scores-chart-svg".to_string());
    let layout = Memo::new(move |_| {
        let day = election_day.and_then(|d| d.get());
        scores.with(|s| layout_scores(s, day))
    });
    chart(id, KIND, layout, scores_body)
}

fn scores_body(l: ScoresLayout, ui: Interaction) -> impl IntoView {
    // Keyboard order: panel by panel, model by model, far from the election to near.
    let outlines: Vec<Outline> = l
        .panels
        .iter()
        .flat_map(|p| &p.series)
        .flat_map(|s| {
            let r = point_radius(s.points.len());
            s.points.iter().map(move |pt| Outline::Circle {
                cx: pt.x,
                cy: pt.y,
                r,
            })
        })
        .collect();
    let items = ui.items(outlines.len(), || None);
    let mut next = 0usize;
    let panels = l
        .panels
        .into_iter()
        .map(|p| {
            let f = p.frame;
            // A daily grid has hundreds of points a panel: each panel's lines and points
            // are one string of markup (see `Items::markup_group`).
            let mut markup = String::with_capacity(p.series.len() * 8_000);
            let mut texts = Vec::new();
            for s in p.series {
                let colour = model_colour(s.model);
                let r = num(point_radius(s.points.len()));
                let model = s.model.name();
                let _ = write!(
                    markup,
                    "<g class=\"fc-series\" data-model=\"{model}\"><path data-model=\"{model}\" \
                     d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" \
                     stroke-linejoin=\"round\"><title>{}</title></path>",
                    s.path,
                    escape(s.model.label()),
                );
                for pt in s.points {
                    let _ = write!(
                        markup,
                        "<circle cx=\"{}\" cy=\"{}\" r=\"{r}\" fill=\"{colour}\" role=\"img\"{}>\
                         <title>{}</title></circle>",
                        num(pt.x),
                        num(pt.y),
                        items.markup_attrs(next),
                        escape(&pt.label),
                    );
                    next += 1;
                    texts.push(pt.label);
                }
                markup.push_str("</g>");
            }
            // Texts are looked up by item index: the earlier panels' items come first.
            let mut all_texts = vec![String::new(); next - texts.len()];
            all_texts.extend(texts);
            view! {
                <g class="fc-panel" data-metric=p.metric.key()>
                    <text x=num(f.x0()) y=num(f.y0() - 8.0) font-size="12" font-weight="600" fill="#222222">
                        {p.metric.label()}
                    </text>
                    {parts::y_axis(p.y_ticks, f)}
                    {parts::x_axis(p.x_ticks, f)}
                    <text
                        x=num(f.x1())
                        y=num(f.y1() + 30.0)
                        text-anchor="end"
                        font-size="11"
                        fill="#444444"
                    >
                        "Days before the election →"
                    </text>
                    {items.markup_group("fc-items", markup, all_texts, None, None)}
                </g>
            }
        })
        .collect_view();
    view! {
        <g class="fc-body">
            {parts::legend(l.legend)}
            {panels}
            {items.focus_ring(outlines)}
        </g>
    }
}

/// Small points on a dense (daily) series, so that they do not hide its line.
fn point_radius(points: usize) -> f64 {
    if points > 31 {
        1.75
    } else {
        3.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(model: ModelKind, day: u32, brier: f64) -> ScoreRow {
        ScoreRow {
            model,
            forecast_date: NaiveDate::from_ymd_opt(2016, 10, day).unwrap(),
            n_states: 40,
            brier,
            log_loss: brier * 3.0,
            mae: 0.04,
        }
    }

    #[test]
    fn three_panels_one_line_per_model() {
        let rows = vec![
            score(ModelKind::PollAverage, 1, 0.1),
            score(ModelKind::PollAverage, 20, 0.05),
            score(ModelKind::HierarchicalBayes, 1, 0.12),
            score(ModelKind::HierarchicalBayes, 20, 0.07),
        ];
        let election = NaiveDate::from_ymd_opt(2016, 11, 8);
        let l = layout_scores(&rows, election);
        assert_eq!(l.head.empty, None);
        assert_eq!(l.panels.len(), 3);
        assert_eq!(l.legend.len(), 2);
        for p in &l.panels {
            assert_eq!(p.series.len(), 2);
            let s = &p.series[0];
            assert_eq!(s.points.len(), 2);
            // Earlier forecast (more days before) sits further left.
            assert!(s.points[0].x < s.points[1].x);
            for pt in &s.points {
                assert!(pt.y >= p.frame.y0() && pt.y <= p.frame.y1());
                assert!(pt.x >= p.frame.x0() && pt.x <= p.frame.x1());
            }
            assert!(!p.y_ticks.is_empty() && !p.x_ticks.is_empty());
        }
        assert!(l.panels[0].series[0].points[0]
            .label
            .contains("(38 days before): Brier 0.1000 over 40 states"));
        assert!(l.panels[2].series[0].points[0]
            .label
            .contains("MAE 4.00 pts"));
        assert!(l.panels[2].y_ticks.iter().any(|t| t.label == "4"));
        assert_eq!(
            l.head.summary,
            "Brier score, log loss and mean absolute error of the margin (lower is better) \
             of each model's state forecasts, from 38 to 19 days before the election. Poll \
             average, 19 days before: Brier 0.0500, log loss 0.1500, MAE 4.00 pts. \
             Hierarchical Bayes, 19 days before: Brier 0.0700, log loss 0.2100, MAE 4.00 \
             pts. Lowest Brier score: Poll average."
        );
        // Panels do not overlap and fit the frame.
        assert!(l.panels[0].frame.y1() < l.panels[1].frame.y0());
        assert!(l.panels[2].frame.y1() + 30.0 < l.head.frame.height);
    }

    #[test]
    fn empty_single_and_extreme() {
        assert!(layout_scores(&[], None).head.empty.is_some());
        let l = layout_scores(&[score(ModelKind::PollAverage, 1, 0.0)], None);
        assert_eq!(l.panels[0].series[0].points.len(), 1);
        assert!(l.panels[0].series[0].path.starts_with('M'));
        let l = layout_scores(&[score(ModelKind::PollAverage, 1, 1e300)], None);
        assert!(l.panels[0].series[0].points[0].y.is_finite());
        // Election day before the forecast: negative days still place.
        let l = layout_scores(
            &[score(ModelKind::PollAverage, 20, 0.1)],
            NaiveDate::from_ymd_opt(2016, 10, 1),
        );
        assert!(l.panels[0].series[0].points[0].x.is_finite());
    }
}
