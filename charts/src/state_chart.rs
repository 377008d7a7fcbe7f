//! The state chart: a state's polls as points over time, each model's forecast as a
//! line with its 90 % band, the actual result, election day and zero.

use std::fmt::Write;

use chrono::NaiveDate;
use forecast_engine::dates::day_number;
use forecast_engine::{ForecastRow, ModelKind, Plan, Poll, PollSet, State};
use leptos::prelude::*;

use crate::colour::{model_colour, POLL_COLOUR, RESULT_COLOUR};
use crate::format::{self, date_ticks, Tick};
use crate::layout::{legend_positions, place, Frame, PlacedTick};
pub use crate::layout::{Mark, ModelSeries};
use crate::parts::{
    self, chart, ChartHead, ChartKind, ChartLayout, Interaction, LegendItem, LegendKey, Outline,
};
use crate::path::{num, Point};
use crate::scale::{decimals_for, extent, nice_domain, nice_step, nice_ticks, Linear};

/// A poll as the chart draws it: the engine's poll with its pollster's name.
#[derive(Clone, Debug, PartialEq)]
pub struct PollPoint {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Middle of the field dates in days since 1970-01-01 (may be x.5).
    pub mid: f64,
    /// User data: shown only as text.
    pub pollster: String,
    pub sample_size: f64,
    pub margin: f64,
}

impl PollPoint {
    pub fn from_poll(poll: &Poll, set: &PollSet) -> PollPoint {
        PollPoint {
            start: poll.start,
            end: poll.end,
            mid: poll.mid,
            pollster: set.pollster_name(poll).to_string(),
            sample_size: poll.sample_size,
            margin: poll.margin,
        }
    }

    /// What the state chart draws for `state`: its polls up to the last forecast date.
    pub fn for_state(plan: &Plan, set: &PollSet, state: State) -> Vec<PollPoint> {
        plan.polls_by_last_date(state)
            .iter()
            .map(|p| PollPoint::from_poll(p, set))
            .collect()
    }

    /// `Quinnipiac: Oct 1–4, 2016, n = 800, D+2.0`.
    pub fn describe(&self) -> String {
        let pollster = if self.pollster.trim().is_empty() {
            "Unknown pollster"
        } else {
            self.pollster.as_str()
        };
        let dates = if self.start == self.end {
            format::long_date(self.end)
        } else {
            format!(
                "{} – {}",
                format::short_date(self.start),
                format::long_date(self.end)
            )
        };
        let n = if self.sample_size.is_finite() && self.sample_size > 0.0 {
            format!("n = {:.0}", self.sample_size)
        } else {
            "sample size unknown".to_string()
        };
        format!("{pollster}: {dates}, {n}, {}", format::margin(self.margin))
    }
}

/// Everything the state chart draws, placed.
#[derive(Clone, Debug, PartialEq)]
pub struct StateLayout {
    pub head: ChartHead,
    pub x_ticks: Vec<PlacedTick>,
    pub y_ticks: Vec<PlacedTick>,
    pub polls: Vec<Mark>,
    pub series: Vec<ModelSeries>,
    pub result: Option<Mark>,
    pub election: Option<Mark>,
    pub zero_y: f64,
    pub legend: Vec<LegendItem>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 400.0;
/// Forecast dates up to this many get a marker with hover text each.
const MAX_MARKED_DATES: usize = 20;

/// Places the chart of `state`: `rows` may hold every state and model (the chart keeps
/// the state's rows of `models`); `polls` are the state's polls to draw, all of them.
pub fn layout_state(
    state: Option<State>,
    rows: &[ForecastRow],
    models: &[ModelKind],
    all_polls: &[PollPoint],
    election_day: Option<NaiveDate>,
    from: Option<NaiveDate>,
) -> StateLayout {
    // From `from` on only (the campaign): earlier polls are left out and counted.
    let start = from.map(|d| day_number(d) as f64);
    let polls: Vec<PollPoint> = all_polls
        .iter()
        .filter(|p| start.is_none_or(|s| p.mid >= s))
        .cloned()
        .collect();
    let hidden = all_polls.len() - polls.len();
    let mut frame = Frame {
        width: WIDTH,
        height: HEIGHT,
        left: 56.0,
        right: 16.0,
        top: 60.0,
        bottom: 44.0,
    };
    let title = match state {
        Some(s) => format!(
            "{} ({}): polls and forecasts of the Democratic margin",
            s.name(),
            s.code()
        ),
        None => "State chart: pick a state".to_string(),
    };
    let mut out = StateLayout {
        head: ChartHead::new(frame, title),
        x_ticks: Vec::new(),
        y_ticks: Vec::new(),
        polls: Vec::new(),
        series: Vec::new(),
        result: None,
        election: None,
        zero_y: 0.0,
        legend: Vec::new(),
    };
    let Some(state) = state else {
        out.head.empty = Some("Pick a state from the table, the map or the list".into());
        return out;
    };

    // The state's rows per model, in date order.
    let mut series_rows: Vec<(ModelKind, Vec<&ForecastRow>)> = models
        .iter()
        .map(|&m| {
            let mut r: Vec<&ForecastRow> = rows
                .iter()
                .filter(|r| r.state == state && r.model == m)
                .collect();
            r.sort_by_key(|r| r.forecast_date);
            (m, r)
        })
        .filter(|(_, r)| !r.is_empty())
        .collect();
    series_rows.dedup_by_key(|(m, _)| *m);
    let actual = series_rows
        .iter()
        .flat_map(|(_, r)| r.first())
        .filter_map(|r| r.actual_margin)
        .find(|m| m.is_finite());
    let election = election_day.map(|d| day_number(d) as f64);

    if series_rows.is_empty() && polls.is_empty() {
        out.head.empty = Some(format!("No polls or forecasts for {}", state.name()));
        return out;
    }

    // Legend first: its rows decide where the plot starts.
    let mut labels: Vec<(LegendKey, String)> = series_rows
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
    if !series_rows.is_empty() {
        labels.push((LegendKey::Band("#777777".into()), "90% band".to_string()));
    }
    labels.push((
        LegendKey::Dot,
        if hidden > 0 {
            format!("Polls ({}; {hidden} earlier not shown)", polls.len())
        } else {
            format!("Polls ({})", polls.len())
        },
    ));
    if actual.is_some() {
        labels.push((
            LegendKey::Line {
                colour: RESULT_COLOUR.to_string(),
                dashed: true,
            },
            "Actual result".to_string(),
        ));
    }
    let texts: Vec<String> = labels.iter().map(|(_, l)| l.clone()).collect();
    let (positions, legend_rows) = legend_positions(&texts, frame.left, 46.0, WIDTH - 8.0, 12.0);
    frame.top = 46.0 + legend_rows as f64 * 19.2 + 10.0;
    out.head.frame = frame;
    out.legend = labels
        .into_iter()
        .zip(positions)
        .map(|((key, label), (x, y))| LegendItem { key, label, x, y })
        .collect();

    // x: days, over every poll shown, forecast date and election day, from `from`.
    let days = polls
        .iter()
        .map(|p| p.mid)
        .chain(
            series_rows
                .iter()
                .flat_map(|(_, r)| r.iter().map(|r| day_number(r.forecast_date) as f64)),
        )
        .chain(election)
        .chain(start);
    let (mut x_lo, mut x_hi) = extent(days).unwrap_or((0.0, 1.0));
    if x_hi - x_lo < 14.0 {
        // Too short a span to read: show at least two weeks around it.
        let mid = (x_lo + x_hi) / 2.0;
        x_lo = mid - 7.0;
        x_hi = mid + 7.0;
    }
    let pad = ((x_hi - x_lo) * 0.02).max(1.0);
    let x = Linear::new((x_lo - pad, x_hi + pad), (frame.x0(), frame.x1()));

    // y: margins, over polls, forecasts, the result and zero (always shown). Bands are
    // left out: an early, wide band would squash the polls into a thin strip; bands are
    // cut at the frame instead.
    let values = polls
        .iter()
        .map(|p| p.margin)
        .chain(
            series_rows
                .iter()
                .flat_map(|(_, r)| r.iter().map(|r| r.predicted_margin)),
        )
        .chain(actual)
        .chain([-0.02, 0.02]);
    let (y_lo, y_hi) = extent(values).unwrap_or((-0.1, 0.1));
    let (y_lo, y_hi) = nice_domain(y_lo, y_hi, 6);
    let y = Linear::new((y_lo, y_hi), (frame.y1(), frame.y0()));
    let y_decimals = decimals_for(nice_step(y_hi - y_lo, 6), 100.0);

    out.x_ticks = place(date_ticks(x_lo - pad, x_hi + pad, 7), &x);
    out.y_ticks = place(
        nice_ticks(y_lo, y_hi, 6)
            .into_iter()
            .map(|v| Tick {
                value: v,
                label: format::margin_with(v, y_decimals),
            })
            .collect(),
        &y,
    );
    out.zero_y = y.map(0.0);
    out.polls = polls
        .iter()
        .map(|p| Mark {
            x: x.map(p.mid),
            y: y.map(p.margin),
            label: p.describe(),
        })
        .collect();
    out.series = series_rows
        .iter()
        .map(|(model, rows)| {
            let at =
                |r: &ForecastRow, v: f64| (x.map(day_number(r.forecast_date) as f64), y.map(v));
            let centre: Vec<Point> = rows.iter().map(|r| at(r, r.predicted_margin)).collect();
            let in_frame = |v: f64| v.max(y_lo).min(y_hi); // never panics, unlike clamp
            let upper: Vec<Point> = rows
                .iter()
                .map(|r| at(r, in_frame(r.band_90().1)))
                .collect();
            let lower: Vec<Point> = rows
                .iter()
                .map(|r| at(r, in_frame(r.band_90().0)))
                .collect();
            let marks = if rows.len() <= MAX_MARKED_DATES {
                rows.iter()
                    .zip(&centre)
                    .map(|(r, &(mx, my))| {
                        let (lo, hi) = r.band_90();
                        Mark {
                            x: mx,
                            y: my,
                            label: format!(
                                "{}, {}: {} (90% band {} to {}), P(Democrat wins) {}",
                                model.label(),
                                format::long_date(r.forecast_date),
                                format::margin(r.predicted_margin),
                                format::margin(lo),
                                format::margin(hi),
                                format::percent(r.win_probability)
                            ),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            ModelSeries::new(*model, &centre, &upper, &lower, marks)
        })
        .collect();
    // The result's label ends before the election-day line, which is near the right.
    let label_end =
        election_day.map_or(frame.x1(), |d| x.map(day_number(d) as f64).min(frame.x1()));
    out.result = actual.map(|a| Mark {
        x: label_end,
        y: y.map(a),
        label: format!("Result {}", format::margin(a)),
    });
    out.election = election_day.map(|d| Mark {
        x: x.map(day_number(d) as f64),
        y: frame.y0(),
        label: format!("Election day, {}", format::long_date(d)),
    });
    out.head.summary = state_summary(state, &polls, hidden, &series_rows, actual);
    out
}

/// The state chart's text alternative: the polls drawn (how many, when, the range of
/// their margins, how many earlier ones are left out), each model's forecast on its last
/// date, and the result.
pub fn state_summary(
    state: State,
    polls: &[PollPoint],
    hidden: usize,
    series: &[(ModelKind, Vec<&ForecastRow>)],
    actual: Option<f64>,
) -> String {
    let mut text = format!("{}: ", state.name());
    let margins = extent(polls.iter().map(|p| p.margin));
    let first = polls.iter().map(|p| p.start).min();
    let last = polls.iter().map(|p| p.end).max();
    match (margins, first, last) {
        (Some((lo, hi)), Some(first), Some(last)) => text.push_str(&format!(
            "{} poll{} from {} to {}, margins from {} to {}",
            polls.len(),
            if polls.len() == 1 { "" } else { "s" },
            format::short_date(first),
            format::long_date(last),
            format::margin(lo),
            format::margin(hi)
        )),
        _ => text.push_str("no polls drawn"),
    }
    if hidden > 0 {
        text.push_str(&format!(" ({hidden} earlier not shown)"));
    }
    text.push('.');
    for (model, rows) in series {
        let Some(r) = rows.last() else { continue };
        let (lo, hi) = r.band_90();
        text.push_str(&format!(
            " {}, {}: {} (90% band {} to {}), Democrat wins {}.",
            model.label(),
            format::long_date(r.forecast_date),
            format::margin(r.predicted_margin),
            format::margin(lo),
            format::margin(hi),
            format::chance(r.win_probability)
        ));
    }
    if let Some(a) = actual {
        text.push_str(&format!(" Result: {}.", format::margin(a)));
    }
    text
}

impl ChartLayout for StateLayout {
    fn head(&self) -> &ChartHead {
        &self.head
    }

    fn has_label(&self, text: &str) -> bool {
        self.polls.iter().any(|m| m.label == text)
            || self
                .series
                .iter()
                .any(|s| s.marks.iter().any(|m| m.label == text))
    }
}

const KIND: ChartKind = ChartKind {
    testid: "state-chart",
    class: "fc-state-chart",
    hint: "Hover over, tap or focus a poll for its details (Tab, then the arrow keys)",
    left: 8.0,
};

/// The state chart. Renders `<svg data-testid="state-chart" id=...>` with one
/// `<circle data-poll=i>` per poll in `polls`, each with a `<title>`. The polls, then the
/// forecast points, share one tab stop (the first); the arrow keys, Home and End move
/// among them.
///
/// - `state`: the state to draw (`None` shows a prompt).
/// - `rows`: forecast rows; every state and model may be passed, the chart keeps the
///   state's rows of `models`.
/// - `models`: models to draw (default: every model).
/// - `polls`: the state's polls up to the last forecast date ([`PollPoint::for_state`]).
/// - `election_day`: marked with a vertical line.
/// - `from`: the first day shown (earlier polls are left out and counted); `None`: all.
/// - `id`: the root `<svg>`'s id (default `state-chart-svg`), for SVG download.
#[component]
pub fn StateChart(
    #[prop(into)] state: Signal<Option<State>>,
    #[prop(into)] rows: Signal<Vec<ForecastRow>>,
    #[prop(into)] polls: Signal<Vec<PollPoint>>,
    #[prop(into)] election_day: Signal<Option<NaiveDate>>,
    #[prop(optional, into)] models: Option<Signal<Vec<ModelKind>>>,
    #[prop(optional, into)] from: Option<Signal<Option<NaiveDate>>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| "state-chart-svg".to_string());
    let layout = Memo::new(move |_| {
        let models = models.map_or_else(|| ModelKind::ALL.to_vec(), |m| m.get());
        rows.with(|rows| {
            polls.with(|polls| {
                layout_state(
                    state.get(),
                    rows,
                    &models,
                    polls,
                    election_day.get(),
                    from.and_then(|f| f.get()),
                )
            })
        })
    });
    chart(id, KIND, layout, state_body)
}

fn state_body(l: StateLayout, ui: Interaction) -> impl IntoView {
    let f = l.head.frame;
    // Keyboard order: the polls in date order, then each model's forecast points.
    let polls_len = l.polls.len();
    let outlines: Vec<Outline> = l
        .polls
        .iter()
        .map(|m| (m, POLL_R))
        .chain(
            l.series
                .iter()
                .flat_map(|s| s.marks.iter().map(|m| (m, MARK_R))),
        )
        .map(|(m, r)| Outline::Circle {
            cx: m.x,
            cy: m.y,
            r,
        })
        .collect();
    let items = ui.items(outlines.len(), || None);
    let bands = parts::model_bands(&l.series);
    let mut next_mark = polls_len;
    let lines = parts::model_lines(l.series, move |m, colour| {
        let i = next_mark;
        next_mark += 1;
        let attrs = items.attrs(i, m.label.clone(), None);
        view! {
            <circle
                class="fc-forecast-point"
                cx=num(m.x)
                cy=num(m.y)
                r=num(MARK_R)
                fill=colour
                role="img"
                {..attrs}
            >
                {crate::parts::svg_title(m.label)}
            </circle>
        }
    });
    let result = l.result.as_ref().map(|r| {
        view! {
            <g class="fc-result">
                <line
                    x1=num(f.x0())
                    x2=num(f.x1())
                    y1=num(r.y)
                    y2=num(r.y)
                    stroke=RESULT_COLOUR
                    stroke-width="1.5"
                    stroke-dasharray="6 4"
                >
                    {crate::parts::svg_title(r.label.clone())}
                </line>
            </g>
        }
    });
    // Drawn over the polls (which crowd the last weeks), and never in the way of hovering.
    let result_label = l.result.as_ref().map(|r| {
        view! {
            <text
                class="fc-result-label"
                x=num(r.x - 6.0)
                y=num(r.y - 5.0)
                text-anchor="end"
                font-size="11"
                fill=RESULT_COLOUR
                stroke="#ffffff"
                stroke-width="3"
                paint-order="stroke"
                pointer-events="none"
            >
                {r.label.clone()}
            </text>
        }
    });
    let election = l.election.map(|e| {
        view! {
            <g class="fc-election-day">
                <line
                    x1=num(e.x)
                    x2=num(e.x)
                    y1=num(f.y0())
                    y2=num(f.y1())
                    stroke="#7a0177"
                    stroke-width="1.5"
                >
                    {crate::parts::svg_title(e.label.clone())}
                </line>
                <text x=num(e.x - 4.0) y=num(f.y0() + 12.0) text-anchor="end" font-size="11" fill="#7a0177">
                    "Election day"
                </text>
            </g>
        }
    });
    // Hundreds of polls in a swing state: one string of markup (see
    // `Items::markup_group`), pollsters' names escaped.
    let mut markup = String::with_capacity(l.polls.len() * 300);
    for (i, m) in l.polls.iter().enumerate() {
        let _ = write!(
            markup,
            "<circle class=\"fc-poll\" data-poll=\"{i}\" cx=\"{}\" cy=\"{}\" r=\"{}\" \
             fill=\"{POLL_COLOUR}\" fill-opacity=\"0.5\" stroke=\"#ffffff\" \
             stroke-width=\"0.75\" role=\"img\"{}><title>{}</title></circle>",
            num(m.x),
            num(m.y),
            num(POLL_R),
            items.markup_attrs(i),
            crate::format::escape(&m.label),
        );
    }
    let texts = l.polls.into_iter().map(|m| m.label).collect();
    let polls = items.markup_group("fc-polls", markup, texts, None, None);
    view! {
        <g class="fc-body">
            {parts::y_axis(l.y_ticks, f)}
            {parts::x_axis(l.x_ticks, f)}
            {parts::axis_title("Margin (D+ above zero, R+ below)".to_string(), f, true)}
            <line
                class="fc-zero"
                x1=num(f.x0())
                x2=num(f.x1())
                y1=num(l.zero_y)
                y2=num(l.zero_y)
                stroke="#888888"
                stroke-width="1.25"
            />
            {bands}
            {election}
            {result}
            {lines}
            <g role="group" aria-label="Polls">
                {polls}
            </g>
            {result_label}
            {parts::legend(l.legend)}
            {items.focus_ring(outlines)}
        </g>
    }
}

const POLL_R: f64 = 3.5;
const MARK_R: f64 = 3.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2016, m, day).unwrap()
    }

    fn fl() -> State {
        State::parse("FL").unwrap()
    }

    fn row(model: ModelKind, date: NaiveDate, margin: f64) -> ForecastRow {
        ForecastRow {
            model,
            state: fl(),
            forecast_date: date,
            win_probability: 0.6,
            predicted_margin: margin,
            margin_std: 0.03,
            actual_margin: Some(-0.012),
        }
    }

    fn poll(pollster: &str, day: u32, margin: f64) -> PollPoint {
        PollPoint {
            start: d(9, day),
            end: d(9, day + 2),
            mid: day_number(d(9, day)) as f64 + 1.0,
            pollster: pollster.into(),
            sample_size: 800.0,
            margin,
        }
    }

    fn inside(l: &StateLayout, x: f64, y: f64) -> bool {
        let f = l.head.frame;
        x >= f.x0() - 0.01 && x <= f.x1() + 0.01 && y >= f.y0() - 0.01 && y <= f.y1() + 0.01
    }

    #[test]
    fn draws_every_poll_inside_the_plot() {
        let polls: Vec<_> = (1..20)
            .map(|i| poll("A", i, (i as f64 - 10.0) / 100.0))
            .collect();
        let rows: Vec<_> = (1..=4)
            .map(|i| row(ModelKind::PollAverage, d(10, i * 7), 0.01))
            .collect();
        let l = layout_state(
            Some(fl()),
            &rows,
            &ModelKind::ALL,
            &polls,
            Some(d(11, 8)),
            None,
        );
        assert_eq!(l.head.empty, None);
        assert_eq!(l.polls.len(), 19);
        assert!(l.polls.iter().all(|m| inside(&l, m.x, m.y)));
        assert_eq!(l.series.len(), 1);
        let s = &l.series[0];
        assert!(
            s.line.starts_with('M') && !s.line.contains('C'),
            "few dates: straight"
        );
        assert!(s.band.ends_with('Z'));
        assert_eq!(s.marks.len(), 4);
        let e = l.election.as_ref().unwrap();
        assert!(inside(&l, e.x, e.y));
        assert_eq!(l.result.as_ref().unwrap().label, "Result R+1.2");
        assert!(l.y_ticks.iter().any(|t| t.label == "0"));
        assert!(!l.x_ticks.is_empty());
        assert!(l.head.title.contains("Florida"));
        assert_eq!(
            l.head.summary,
            "Florida: 19 polls from Sep 1 to Sep 21, 2016, margins from R+9.0 to D+9.0. Poll \
             average, Oct 28, 2016: D+1.0 (90% band R+3.9 to D+5.9), Democrat wins 60%. \
             Result: R+1.2."
        );
    }

    #[test]
    fn a_daily_grid_draws_smooth_curves_without_markers() {
        let rows: Vec<_> = (0..68)
            .map(|i| {
                let date = d(9, 1) + chrono::Days::new(i);
                row(
                    ModelKind::KalmanDiffusion,
                    date,
                    (i as f64 / 30.0).sin() / 20.0,
                )
            })
            .collect();
        let l = layout_state(
            Some(fl()),
            &rows,
            &ModelKind::ALL,
            &[],
            Some(d(11, 8)),
            None,
        );
        let s = &l.series[0];
        assert!(s.line.contains('C'));
        assert!(s.marks.is_empty());
        assert!(l.polls.is_empty());
    }

    #[test]
    fn only_the_state_and_chosen_models() {
        let mut rows = vec![
            row(ModelKind::PollAverage, d(10, 1), 0.01),
            row(ModelKind::ImprovedKalman, d(10, 1), 0.01),
        ];
        let mut other = row(ModelKind::PollAverage, d(10, 1), 0.5);
        other.state = State::parse("TX").unwrap();
        rows.push(other);
        let l = layout_state(
            Some(fl()),
            &rows,
            &[ModelKind::ImprovedKalman],
            &[],
            None,
            None,
        );
        assert_eq!(l.series.len(), 1);
        assert_eq!(l.series[0].model, ModelKind::ImprovedKalman);
        // One date: a bar instead of a band.
        assert!(l.series[0].band.is_empty());
        assert!(l.series[0].bar.is_some());
        assert!(l.election.is_none());
    }

    #[test]
    fn empty_and_extreme_inputs_do_not_panic() {
        let l = layout_state(None, &[], &[], &[], None, None);
        assert!(l.head.empty.is_some());
        let l = layout_state(Some(fl()), &[], &ModelKind::ALL, &[], Some(d(11, 8)), None);
        assert!(l.head.empty.is_some());
        // One poll, no forecasts.
        let l = layout_state(
            Some(fl()),
            &[],
            &ModelKind::ALL,
            &[poll("x", 3, 0.0)],
            None,
            None,
        );
        assert_eq!(l.polls.len(), 1);
        assert!(inside(&l, l.polls[0].x, l.polls[0].y));
        // Extreme but finite values.
        let mut wild = row(ModelKind::PollAverage, d(10, 1), 1e12);
        wild.margin_std = 1e300;
        wild.actual_margin = Some(-1e200);
        let polls = [poll("y", 1, 1e9), poll("z", 1, -1e9)];
        let l = layout_state(
            Some(fl()),
            &[wild],
            &ModelKind::ALL,
            &polls,
            Some(d(11, 8)),
            None,
        );
        for m in &l.polls {
            assert!(m.x.is_finite() && m.y.is_finite());
        }
        assert!(!l.series[0].line.contains("NaN"));
        // Dates far apart.
        let mut early = poll("w", 1, 0.0);
        early.mid = -1e7;
        let l = layout_state(
            Some(fl()),
            &[],
            &ModelKind::ALL,
            &[early, poll("v", 2, 0.1)],
            None,
            None,
        );
        assert_eq!(l.polls.len(), 2);
    }

    /// From a date on: earlier polls are left out, counted in the legend, and the axis
    /// starts at that date.
    #[test]
    fn the_campaign_window_leaves_earlier_polls_out() {
        let polls: Vec<PollPoint> = (1..=9).map(|i| poll("p", i * 3, 0.01)).collect();
        let from = d(9, 10);
        let l = layout_state(
            Some(fl()),
            &[],
            &ModelKind::ALL,
            &polls,
            Some(d(11, 8)),
            Some(from),
        );
        let kept = polls
            .iter()
            .filter(|p| p.mid >= day_number(from) as f64)
            .count();
        assert_eq!(l.polls.len(), kept);
        assert!(kept < polls.len());
        let legend: Vec<&str> = l.legend.iter().map(|i| i.label.as_str()).collect();
        let hidden = polls.len() - kept;
        assert!(
            legend.contains(&format!("Polls ({kept}; {hidden} earlier not shown)").as_str()),
            "{legend:?}"
        );
        // Every poll shown lies right of the axis's start.
        assert!(l.polls.iter().all(|m| m.x >= l.head.frame.x0()));
        let all = layout_state(
            Some(fl()),
            &[],
            &ModelKind::ALL,
            &polls,
            Some(d(11, 8)),
            None,
        );
        assert_eq!(all.polls.len(), polls.len());
    }

    #[test]
    fn poll_text_keeps_user_data_verbatim() {
        let p = poll("<img src=x onerror=alert(1)>", 3, 0.021);
        assert_eq!(
            p.describe(),
            "<img src=x onerror=alert(1)>: Sep 3 – Sep 5, 2016, n = 800, D+2.1"
        );
        assert!(poll(" ", 3, 0.0).describe().starts_with("Unknown pollster"));
    }
}
