//! The presidency over the campaign: each model's chance that the Democrat wins (top
//! panel) and its median Democratic electoral votes with their 90 % band (bottom panel),
//! on a shared date axis up to election day.

use chrono::NaiveDate;
use forecast_engine::dates::day_number;
use forecast_engine::ModelKind;
use leptos::prelude::*;

use crate::colour::{model_colour, MAJORITY_COLOUR};
use crate::format::{self, date_ticks, Tick};
use crate::layout::{legend_positions, place, Frame, Mark, ModelSeries, PlacedTick};
use crate::parts::{
    self, chart, ChartHead, ChartKind, ChartLayout, Interaction, LegendItem, LegendKey, Outline,
};
use crate::path::{num, Point};
use crate::scale::{extent, nice_domain, nice_ticks, Linear};

/// One model's electoral-college forecast on one date (from the engine's `Outcome`).
#[derive(Clone, Debug, PartialEq)]
pub struct OverTimePoint {
    pub model: ModelKind,
    pub date: NaiveDate,
    pub dem_win: f64,
    pub ev_p05: u32,
    pub ev_p50: u32,
    pub ev_p95: u32,
}

impl OverTimePoint {
    /// `Hierarchical Bayes, Nov 7, 2016: Democrat wins 71%; median 302 electoral votes
    /// (90% band 250 to 340)`.
    pub fn describe(&self) -> String {
        format!(
            "{}, {}: Democrat wins {}; median {} (90% band {} to {})",
            self.model.label(),
            format::long_date(self.date),
            format::chance(self.dem_win),
            format::electoral_votes(self.ev_p50),
            self.ev_p05,
            self.ev_p95
        )
    }
}

/// A panel's plot area, axes and guide line.
#[derive(Clone, Debug, PartialEq)]
pub struct OverTimePanel {
    /// `win` or `ev`.
    pub key: &'static str,
    pub title: &'static str,
    pub frame: Frame,
    pub x_ticks: Vec<PlacedTick>,
    pub y_ticks: Vec<PlacedTick>,
    /// The 50 % line or the majority line: its y and label.
    pub guide: Option<(f64, String)>,
    pub series: Vec<ModelSeries>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OverTimeLayout {
    pub head: ChartHead,
    /// The chance of winning (its marks take the keyboard), then the electoral votes.
    pub panels: Vec<OverTimePanel>,
    /// Election day's x, if it is given.
    pub election: Option<f64>,
    /// The date and chance of each of the top panel's marks, model by model in date
    /// order (as the marks), for their data attributes.
    pub days: Vec<(NaiveDate, f64)>,
    pub legend: Vec<LegendItem>,
}

const WIDTH: f64 = 640.0;
const WIN_HEIGHT: f64 = 150.0;
const EV_HEIGHT: f64 = 180.0;
const PANEL_GAP: f64 = 62.0;

/// Places both panels. `points` may come in any order; each model's points are drawn in
/// date order (one per date) in the fixed model order.
pub fn layout_over_time(
    points: &[OverTimePoint],
    majority: u32,
    total: u32,
    election_day: Option<NaiveDate>,
) -> OverTimeLayout {
    let mut frame = Frame {
        width: WIDTH,
        height: 200.0,
        left: 56.0,
        right: 16.0,
        top: 60.0,
        bottom: 0.0,
    };
    let title = "The presidency over the campaign: chance of winning and electoral votes";
    let mut out = OverTimeLayout {
        head: ChartHead::new(frame, title.to_string()),
        panels: Vec::new(),
        election: None,
        days: Vec::new(),
        legend: Vec::new(),
    };
    let by_model: Vec<(ModelKind, Vec<&OverTimePoint>)> = ModelKind::ALL
        .iter()
        .map(|&m| {
            let mut p: Vec<&OverTimePoint> = points
                .iter()
                .filter(|p| p.model == m && p.dem_win.is_finite())
                .collect();
            p.sort_by_key(|p| p.date);
            p.dedup_by_key(|p| p.date);
            (m, p)
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    if by_model.is_empty() {
        out.head.empty = Some("No electoral-college forecasts yet".into());
        return out;
    }

    let mut labels: Vec<(LegendKey, String)> = by_model
        .iter()
        .map(|(m, _)| {
            (
                LegendKey::Line {
                    colour: model_colour(*m).to_string(),
                    dashed: false,
                },
                m.label().to_string(),
            )
        })
        .collect();
    labels.push((
        LegendKey::Band("#777777".into()),
        "90% band of electoral votes".to_string(),
    ));
    let texts: Vec<String> = labels.iter().map(|(_, l)| l.clone()).collect();
    let (positions, rows) = legend_positions(&texts, frame.left, 46.0, WIDTH - 8.0, 12.0);
    frame.top = 46.0 + rows as f64 * 19.2 + 24.0;
    frame.height = frame.top + WIN_HEIGHT + PANEL_GAP + EV_HEIGHT + 40.0;
    out.head.frame = frame;
    out.legend = labels
        .into_iter()
        .zip(positions)
        .map(|((key, label), (x, y))| LegendItem { key, label, x, y })
        .collect();

    // x: days, over the forecast dates and election day.
    let election = election_day.map(|d| day_number(d) as f64);
    let days = by_model
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| day_number(p.date) as f64))
        .chain(election);
    let (mut x_lo, x_hi) = extent(days).unwrap_or((0.0, 1.0));
    if x_hi - x_lo < 14.0 {
        // Too short a span to read: show at least two weeks, ending on the last day.
        x_lo = x_hi - 14.0;
    }
    let pad = ((x_hi - x_lo) * 0.02).max(1.0);
    let x = Linear::new((x_lo - pad, x_hi + pad), (frame.x0(), frame.x1()));
    let x_ticks = date_ticks(x_lo - pad, x_hi + pad, 7);
    let day = |p: &OverTimePoint| x.map(day_number(p.date) as f64);
    out.election = election.map(|e| x.map(e));
    out.days = by_model
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| (p.date, p.dem_win)))
        .collect();

    let panel_frame = |top: f64, height: f64| Frame {
        top,
        bottom: frame.height - top - height,
        ..frame
    };

    // Top: the chance of winning, 0 to 100 %.
    let win_frame = panel_frame(frame.top, WIN_HEIGHT);
    let y = Linear::new((0.0, 1.0), (win_frame.y1(), win_frame.y0()));
    let win_series = by_model
        .iter()
        .map(|(model, pts)| {
            let centre: Vec<Point> = pts
                .iter()
                .map(|p| (day(p), y.map(p.dem_win.clamp(0.0, 1.0))))
                .collect();
            let marks = pts
                .iter()
                .zip(&centre)
                .map(|(p, &(mx, my))| Mark {
                    x: mx,
                    y: my,
                    label: p.describe(),
                })
                .collect();
            ModelSeries::new(*model, &centre, &[], &[], marks)
        })
        .collect();
    out.panels.push(OverTimePanel {
        key: "win",
        title: "Chance the Democrat wins the presidency",
        frame: win_frame,
        x_ticks: place(x_ticks.clone(), &x),
        y_ticks: place(
            (0..=4)
                .map(|i| {
                    let v = f64::from(i) / 4.0;
                    Tick {
                        value: v,
                        label: format::percent_with(v, 0),
                    }
                })
                .collect(),
            &y,
        ),
        guide: Some((y.map(0.5), "50%".to_string())),
        series: win_series,
    });

    // Bottom: electoral votes, over the bands and the majority.
    let ev_frame = panel_frame(win_frame.y1() + PANEL_GAP, EV_HEIGHT);
    let values = by_model
        .iter()
        .flat_map(|(_, p)| p.iter().flat_map(|p| [p.ev_p05, p.ev_p50, p.ev_p95]))
        .chain([majority])
        .map(f64::from);
    let (lo, hi) = extent(values).unwrap_or((0.0, f64::from(total)));
    let (lo, hi) = nice_domain(lo, hi, 5);
    // Electoral votes run from 0 to the table's total: the axis goes no further.
    let lo = lo.max(0.0);
    let hi = if f64::from(total) > lo {
        hi.min(f64::from(total))
    } else {
        hi
    };
    let y = Linear::new((lo, hi), (ev_frame.y1(), ev_frame.y0()));
    let ev_series = by_model
        .iter()
        .map(|(model, pts)| {
            let at = |p: &OverTimePoint, v: u32| (day(p), y.map(f64::from(v)));
            let centre: Vec<Point> = pts.iter().map(|p| at(p, p.ev_p50)).collect();
            let upper: Vec<Point> = pts.iter().map(|p| at(p, p.ev_p95)).collect();
            let lower: Vec<Point> = pts.iter().map(|p| at(p, p.ev_p05)).collect();
            let marks = pts
                .iter()
                .zip(&centre)
                .map(|(p, &(mx, my))| Mark {
                    x: mx,
                    y: my,
                    label: p.describe(),
                })
                .collect();
            ModelSeries::new(*model, &centre, &upper, &lower, marks)
        })
        .collect();
    out.panels.push(OverTimePanel {
        key: "ev",
        title: "Democratic electoral votes: median and 90% band",
        frame: ev_frame,
        x_ticks: place(x_ticks, &x),
        y_ticks: place(
            nice_ticks(lo, hi, 5)
                .into_iter()
                .map(|v| Tick {
                    value: v,
                    label: format::plain(v, 0),
                })
                .collect(),
            &y,
        ),
        guide: (majority > 0 && f64::from(majority) <= hi)
            .then(|| (y.map(f64::from(majority)), format!("{majority} to win"))),
        series: ev_series,
    });
    out.head.summary = over_time_summary(&by_model);
    out
}

/// The chart's text alternative: the dates it spans, then each model's chance on the
/// first and the last date, with the last date's median and band of electoral votes.
/// `by_model` holds each drawn model's points in date order.
pub fn over_time_summary(by_model: &[(ModelKind, Vec<&OverTimePoint>)]) -> String {
    let dates = by_model.iter().flat_map(|(_, p)| p.iter().map(|p| p.date));
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
        return String::new();
    };
    let mut text = format!(
        "Each model's chance that the Democrat wins the presidency, and its median \
         electoral votes with their 90% band, from {} to {}.",
        format::long_date(first),
        format::long_date(last)
    );
    for (model, points) in by_model {
        let (Some(a), Some(b)) = (points.first(), points.last()) else {
            continue;
        };
        let change = if a.date == b.date {
            String::new()
        } else {
            format!(
                "{} on {}, then ",
                format::chance(a.dem_win),
                format::short_date(a.date)
            )
        };
        text.push_str(&format!(
            " {}: {change}{} on {} (median {}, 90% band {} to {}).",
            model.label(),
            format::chance(b.dem_win),
            format::short_date(b.date),
            format::electoral_votes(b.ev_p50),
            b.ev_p05,
            b.ev_p95
        ));
    }
    text
}

impl ChartLayout for OverTimeLayout {
    fn head(&self) -> &ChartHead {
        &self.head
    }

    fn has_label(&self, text: &str) -> bool {
        self.panels
            .iter()
            .flat_map(|p| &p.series)
            .any(|s| s.marks.iter().any(|m| m.label == text))
    }
}

const KIND: ChartKind = ChartKind {
    testid: "ec-over-time",
    class: "fc-ec-over-time",
    hint: "Hover over, tap or focus a point for that day's forecast (Tab, then the arrow keys)",
    left: 8.0,
};

/// The presidency over the campaign. Renders `<svg data-testid="ec-over-time" id=...>`
/// with two panels, `<g class="fc-panel" data-panel="win">` (the chance the Democrat
/// wins, a 50 % line) and `data-panel="ev"` (median electoral votes in a 90 % band, the
/// majority line), each holding a `<g data-model=...>` per model; every point of the top
/// panel is a `<circle class="fc-point" data-date=... data-win=...>`. The top panel's
/// points share one tab stop; the arrow keys, Home and End move among them.
///
/// - `points`: one per (model, forecast date) with an electoral-college forecast.
/// - `majority`, `total`: of the electoral-votes table.
/// - `election_day`: where the date axis ends, marked with a line.
/// - `id`: the root `<svg>`'s id (default `ec-over-time-svg`).
#[component]
pub fn EcOverTime(
    #[prop(into)] points: Signal<Vec<OverTimePoint>>,
    #[prop(into)] majority: Signal<u32>,
    #[prop(into)] total: Signal<u32>,
    #[prop(into)] election_day: Signal<Option<NaiveDate>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| "ec-over-time-svg".to_string());
    let layout = Memo::new(move |_| {
        points.with(|p| layout_over_time(p, majority.get(), total.get(), election_day.get()))
    });
    chart(id, KIND, layout, over_time_body)
}

/// Small points on a dense (daily) series, so that they do not hide its line.
fn point_radius(points: usize) -> f64 {
    if points > 31 {
        1.75
    } else {
        3.0
    }
}

fn over_time_body(l: OverTimeLayout, ui: Interaction) -> impl IntoView {
    let election = l.election;
    let days = l.days;
    let r = point_radius(
        l.panels
            .iter()
            .flat_map(|p| &p.series)
            .map(|s| s.marks.len())
            .max()
            .unwrap_or(0),
    );
    let outlines: Vec<Outline> = l
        .panels
        .first()
        .map(|p| {
            p.series
                .iter()
                .flat_map(|s| &s.marks)
                .map(|m| Outline::Circle {
                    cx: m.x,
                    cy: m.y,
                    r,
                })
                .collect()
        })
        .unwrap_or_default();
    let items = ui.items(outlines.len(), || None);
    let panels = l
        .panels
        .into_iter()
        .enumerate()
        .map(|(panel, p)| {
            let f = p.frame;
            let guide = p.guide.map(|(gy, label)| {
                let dashed = panel == 0;
                view! {
                    <g class="fc-guide">
                        <line
                            x1=num(f.x0())
                            x2=num(f.x1())
                            y1=num(gy)
                            y2=num(gy)
                            stroke=if dashed { "#888888" } else { MAJORITY_COLOUR }
                            stroke-width=if dashed { "1" } else { "1.5" }
                            stroke-dasharray=if dashed { "4 3" } else { "none" }
                        />
                        <text
                            x=num(f.x1() - 4.0)
                            y=num(gy - 4.0)
                            text-anchor="end"
                            font-size="11"
                            fill=MAJORITY_COLOUR
                            stroke="#ffffff"
                            stroke-width="3"
                            paint-order="stroke"
                            pointer-events="none"
                        >
                            {label}
                        </text>
                    </g>
                }
            });
            let election_line = election.map(|ex| {
                view! {
                    <g class="fc-election-day">
                        <line
                            x1=num(ex)
                            x2=num(ex)
                            y1=num(f.y0())
                            y2=num(f.y1())
                            stroke="#7a0177"
                            stroke-width="1.5"
                        >
                            {crate::parts::svg_title("Election day")}
                        </line>
                        {(panel == 0)
                            .then(|| {
                                view! {
                                    <text
                                        x=num(ex - 4.0)
                                        y=num(f.y0() + 12.0)
                                        text-anchor="end"
                                        font-size="11"
                                        fill="#7a0177"
                                    >
                                        "Election day"
                                    </text>
                                }
                            })}
                    </g>
                }
            });
            let bands = (panel == 1).then(|| parts::model_bands(&p.series));
            let mut next = 0usize;
            let lines = parts::model_lines(p.series, |m, colour| {
                let i = next;
                next += 1;
                if panel == 0 {
                    let attrs = items.attrs(i, m.label.clone(), None);
                    let (date, win) = days.get(i).copied().unzip();
                    view! {
                        <circle
                            class="fc-point"
                            data-date=date.map(|d| d.to_string())
                            data-win=win.map(format::full)
                            cx=num(m.x)
                            cy=num(m.y)
                            r=num(r)
                            fill=colour
                            role="img"
                            {..attrs}
                        >
                            {crate::parts::svg_title(m.label)}
                        </circle>
                    }
                    .into_any()
                } else {
                    // The same details as the top panel's point of the day: hover and
                    // tap only, one tab stop per day is enough.
                    let attrs = ui.hover_attrs(m.label.clone());
                    view! {
                        <circle
                            class="fc-ev-point"
                            cx=num(m.x)
                            cy=num(m.y)
                            r=num(r)
                            fill=colour
                            aria-hidden="true"
                            {..attrs}
                        />
                    }
                    .into_any()
                }
            });
            view! {
                <g class="fc-panel" data-panel=p.key>
                    <text x=num(f.x0()) y=num(f.y0() - 8.0) font-size="12" font-weight="600" fill="#222222">
                        {p.title}
                    </text>
                    {parts::y_axis(p.y_ticks, f)}
                    {parts::x_axis(p.x_ticks, f)}
                    {bands}
                    {guide}
                    {election_line}
                    {lines}
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2016, m, day).unwrap()
    }

    fn point(model: ModelKind, date: NaiveDate, dem_win: f64, p50: u32) -> OverTimePoint {
        OverTimePoint {
            model,
            date,
            dem_win,
            ev_p05: p50 - 40,
            ev_p50: p50,
            ev_p95: p50 + 40,
        }
    }

    #[test]
    fn two_panels_share_the_dates_one_line_per_model() {
        let points = vec![
            point(ModelKind::HierarchicalBayes, d(10, 15), 0.75, 300),
            point(ModelKind::HierarchicalBayes, d(10, 1), 0.6, 290),
            point(ModelKind::PollAverage, d(10, 1), 0.5, 268),
            point(ModelKind::PollAverage, d(10, 15), 0.25, 250),
        ];
        let l = layout_over_time(&points, 270, 538, Some(d(11, 8)));
        assert_eq!(l.head.empty, None);
        assert_eq!(
            l.head.summary,
            "Each model's chance that the Democrat wins the presidency, and its median \
             electoral votes with their 90% band, from Oct 1, 2016 to Oct 15, 2016. Poll \
             average: 50% on Oct 1, then 25% on Oct 15 (median 250 electoral votes, 90% \
             band 210 to 290). Hierarchical Bayes: 60% on Oct 1, then 75% on Oct 15 (median \
             300 electoral votes, 90% band 260 to 340)."
        );
        assert_eq!(l.panels.len(), 2);
        let (win, ev) = (&l.panels[0], &l.panels[1]);
        assert_eq!((win.key, ev.key), ("win", "ev"));
        assert!(win.frame.y1() < ev.frame.y0(), "stacked, the chance on top");
        // Models in the fixed order, each in date order.
        let models: Vec<_> = win.series.iter().map(|s| s.model).collect();
        assert_eq!(
            models,
            [ModelKind::PollAverage, ModelKind::HierarchicalBayes]
        );
        let f = win.frame;
        for (s, wins) in win.series.iter().zip([[0.5, 0.25], [0.6, 0.75]]) {
            assert_eq!(s.marks.len(), 2);
            assert!(s.marks[0].x < s.marks[1].x);
            for (m, w) in s.marks.iter().zip(wins) {
                let expected = f.y1() - w * (f.y1() - f.y0());
                assert!((m.y - expected).abs() < 1e-9, "{m:?}");
            }
            assert!(
                s.band.is_empty() && s.bar.is_none(),
                "no band on the chance"
            );
        }
        let (y50, label) = win.guide.clone().unwrap();
        assert!((y50 - (f.y0() + f.y1()) / 2.0).abs() < 1e-9);
        assert_eq!(label, "50%");
        // The same dates in both panels; election day right of the last one.
        for (a, b) in win.series.iter().zip(&ev.series) {
            let xs = |s: &ModelSeries| s.marks.iter().map(|m| m.x).collect::<Vec<_>>();
            assert_eq!(xs(a), xs(b));
        }
        let e = l.election.unwrap();
        assert!(e > win.series[0].marks[1].x && e <= f.x1());
        // Electoral votes: bands, the majority line between 250 and 300.
        let g = ev.frame;
        let at = |v: f64| {
            let (lo, hi) = (ev.y_ticks.first().unwrap(), ev.y_ticks.last().unwrap());
            let lo_v: f64 = lo.label.parse().unwrap();
            let hi_v: f64 = hi.label.parse().unwrap();
            lo.pos + (v - lo_v) / (hi_v - lo_v) * (hi.pos - lo.pos)
        };
        let (ym, label) = ev.guide.clone().unwrap();
        assert_eq!(label, "270 to win");
        assert!((ym - at(270.0)).abs() < 1e-6);
        assert!((ev.series[1].marks[1].y - at(300.0)).abs() < 1e-6);
        assert!(ev.series.iter().all(|s| s.band.ends_with('Z')));
        assert!(ev
            .y_ticks
            .iter()
            .all(|t| t.pos >= g.y0() - 0.5 && t.pos <= g.y1() + 0.5));
        // The marks' dates and chances, in keyboard order.
        assert_eq!(
            l.days,
            [
                (d(10, 1), 0.5),
                (d(10, 15), 0.25),
                (d(10, 1), 0.6),
                (d(10, 15), 0.75)
            ]
        );
        assert_eq!(
            win.series[1].marks[1].label,
            "Hierarchical Bayes, Oct 15, 2016: Democrat wins 75%; median 300 electoral votes \
             (90% band 260 to 340)"
        );
        assert!(l.has_label(&win.series[1].marks[1].label));
    }

    #[test]
    fn a_daily_grid_draws_smooth_curves_and_bands() {
        let points: Vec<_> = (0..68u64)
            .map(|i| {
                let t = i as f64;
                point(
                    ModelKind::KalmanDiffusion,
                    d(9, 1) + chrono::Days::new(i),
                    0.5 + 0.3 * (t / 20.0).sin(),
                    280 + (i % 7) as u32,
                )
            })
            .collect();
        let l = layout_over_time(&points, 270, 538, Some(d(11, 8)));
        assert!(l.panels[0].series[0].line.contains('C'));
        assert!(l.panels[1].series[0].band.contains('C'));
        assert_eq!(l.panels[0].series[0].marks.len(), 68);
        // The axis ends at election day (plus a small pad), past the last date.
        let last = l.panels[0].series[0].marks[67].x;
        assert!(l.election.unwrap() > last);
    }

    #[test]
    fn empty_repeated_and_extreme_points() {
        assert!(layout_over_time(&[], 270, 538, None).head.empty.is_some());
        let nan = point(ModelKind::PollAverage, d(10, 1), f64::NAN, 270);
        assert!(layout_over_time(&[nan], 270, 538, None)
            .head
            .empty
            .is_some());
        // One date per model and date; a single date is a bar, not a band.
        let points = [
            point(ModelKind::PollAverage, d(10, 1), 0.4, 260),
            point(ModelKind::PollAverage, d(10, 1), 0.9, 330),
        ];
        let l = layout_over_time(&points, 270, 538, None);
        assert_eq!(l.panels[0].series[0].marks.len(), 1);
        assert!(l.panels[1].series[0].bar.is_some());
        assert!(l.election.is_none());
        // Out-of-range chances stay in the panel; huge vote counts stay finite.
        let wild = OverTimePoint {
            model: ModelKind::ImprovedKalman,
            date: d(10, 1),
            dem_win: 7.0,
            ev_p05: u32::MAX,
            ev_p50: 0,
            ev_p95: u32::MAX,
        };
        let l = layout_over_time(&[wild], 0, 0, Some(d(1, 1)));
        let f = l.panels[0].frame;
        let m = &l.panels[0].series[0].marks[0];
        assert!((m.y - f.y0()).abs() < 1e-9);
        assert!(l.panels[1].guide.is_none());
        for s in &l.panels[1].series {
            assert!(s.marks.iter().all(|m| m.x.is_finite() && m.y.is_finite()));
            assert!(!s.line.contains("NaN"));
        }
    }
}
