//! The speed-up on this machine: for each worker count, the median run's speed-up over
//! one worker, against the ideal (speed-up = workers).

use forecast_engine::speedup::SpeedupRow;
use leptos::prelude::*;

use crate::colour::{MAJORITY_COLOUR, POLL_COLOUR};
use crate::format::{self, Tick};
use crate::layout::{place, Frame, PlacedTick};
use crate::parts::{self, chart, ChartHead, ChartKind, ChartLayout, Interaction, Outline};
use crate::path::{self, num, Point};
use crate::scale::Linear;

#[derive(Clone, Debug, PartialEq)]
pub struct SpeedupMark {
    pub workers: usize,
    pub x: f64,
    pub y: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SpeedupLayout {
    pub head: ChartHead,
    pub x_ticks: Vec<PlacedTick>,
    pub y_ticks: Vec<PlacedTick>,
    /// Speed-up = workers, from 1 to the most workers measured.
    pub ideal: String,
    pub path: String,
    pub marks: Vec<SpeedupMark>,
}

const WIDTH: f64 = 420.0;
const HEIGHT: f64 = 260.0;

/// Places the rows that have a speed-up (those measured with a 1-worker row).
pub fn layout_speedup(rows: &[SpeedupRow]) -> SpeedupLayout {
    let frame = Frame {
        width: WIDTH,
        height: HEIGHT,
        left: 48.0,
        right: 16.0,
        top: 40.0,
        bottom: 44.0,
    };
    let mut out = SpeedupLayout {
        head: ChartHead::new(frame, "Speed-up over one worker (median run)".into()),
        x_ticks: Vec::new(),
        y_ticks: Vec::new(),
        ideal: String::new(),
        path: String::new(),
        marks: Vec::new(),
    };
    let measured: Vec<(&SpeedupRow, f64)> = rows
        .iter()
        .filter_map(|r| Some((r, r.speedup.filter(|s| s.is_finite())?)))
        .collect();
    if measured.is_empty() {
        out.head.empty = Some("No speed-up yet: measure it".into());
        return out;
    }
    let most = measured
        .iter()
        .map(|(r, _)| r.workers)
        .max()
        .unwrap_or(1)
        .max(2) as f64;
    let top = measured.iter().map(|&(_, s)| s).fold(most, f64::max).ceil();
    let x = Linear::new((1.0, most), (frame.x0(), frame.x1()));
    let y = Linear::new((0.0, top), (frame.y1(), frame.y0()));
    let whole = |lo: usize, hi: usize| -> Vec<Tick> {
        // At most about eight labels.
        let step = (hi - lo).div_ceil(8).max(1);
        (lo..=hi)
            .step_by(step)
            .map(|v| Tick {
                value: v as f64,
                label: v.to_string(),
            })
            .collect()
    };
    out.x_ticks = place(whole(1, most as usize), &x);
    out.y_ticks = place(whole(0, top as usize), &y);
    out.ideal = path::polyline(&[(x.map(1.0), y.map(1.0)), (x.map(most), y.map(most))]);
    out.marks = measured
        .iter()
        .map(|&(r, s)| SpeedupMark {
            workers: r.workers,
            x: x.map(r.workers as f64),
            y: y.map(s),
            label: format!(
                "{} {}: median {}, speed-up {}×, efficiency {}",
                r.workers,
                if r.workers == 1 { "worker" } else { "workers" },
                format::duration(r.median_ms),
                format::plain(s, 2),
                format::percent(r.efficiency.unwrap_or(f64::NAN)),
            ),
        })
        .collect();
    let points: Vec<Point> = out.marks.iter().map(|m| (m.x, m.y)).collect();
    out.path = path::polyline(&points);
    out
}

impl ChartLayout for SpeedupLayout {
    fn head(&self) -> &ChartHead {
        &self.head
    }

    fn has_label(&self, text: &str) -> bool {
        self.marks.iter().any(|m| m.label == text)
    }
}

const KIND: ChartKind = ChartKind {
    testid: "speedup-chart",
    class: "fc-speedup-chart",
    hint: "Hover over, tap or focus a point for its numbers (Tab, then the arrow keys); \
           the dashed line is the ideal, speed-up equal to workers",
    left: 8.0,
};

const MARK_R: f64 = 4.5;

/// The speed-up chart: `<svg data-testid="speedup-chart">` with one `<circle
/// data-workers=w>` per worker count measured.
#[component]
pub fn SpeedupChart(
    #[prop(into)] rows: Signal<Vec<SpeedupRow>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| "speedup-chart-svg".to_string());
    let layout = Memo::new(move |_| rows.with(|r| layout_speedup(r)));
    chart(id, KIND, layout, speedup_body)
}

fn speedup_body(l: SpeedupLayout, ui: Interaction) -> impl IntoView {
    let f = l.head.frame;
    let outlines: Vec<Outline> = l
        .marks
        .iter()
        .map(|m| Outline::Circle {
            cx: m.x,
            cy: m.y,
            r: MARK_R,
        })
        .collect();
    let items = ui.items(outlines.len(), || None);
    let marks = l
        .marks
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let attrs = items.attrs(i, m.label.clone(), None);
            view! {
                <circle
                    data-workers=m.workers.to_string()
                    cx=num(m.x)
                    cy=num(m.y)
                    r=num(MARK_R)
                    fill=MAJORITY_COLOUR
                    role="img"
                    {..attrs}
                >
                    <title>{m.label}</title>
                </circle>
            }
        })
        .collect_view();
    view! {
        {parts::y_axis(l.y_ticks, f)}
        {parts::x_axis(l.x_ticks, f)}
        {parts::axis_title("Workers".into(), f, false)}
        {parts::axis_title("Speed-up".into(), f, true)}
        <path d=l.ideal fill="none" stroke=POLL_COLOUR stroke-width="1.5" stroke-dasharray="5 4" />
        <path d=l.path fill="none" stroke=MAJORITY_COLOUR stroke-width="2" />
        {marks}
        {items.focus_ring(outlines)}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forecast_engine::speedup::speedup_table;

    #[test]
    fn one_mark_per_measured_count_on_the_ideal_scale() {
        let rows = speedup_table(&[(1, 100.0), (2, 50.0), (4, 40.0)]);
        let l = layout_speedup(&rows);
        assert_eq!(l.marks.len(), 3);
        assert!(l.head.empty.is_none());
        // 2 workers at speed-up 2 sit on the ideal line: same y as x's ideal point.
        let x = Linear::new((1.0, 4.0), (48.0, WIDTH - 16.0));
        let y = Linear::new((0.0, 4.0), (HEIGHT - 44.0, 40.0));
        assert!((l.marks[1].x - x.map(2.0)).abs() < 1e-9);
        assert!((l.marks[1].y - y.map(2.0)).abs() < 1e-9);
        assert!(l.marks[2].label.starts_with("4 workers: median"));
        assert!(l.marks[2].label.contains("speed-up 2.50×"));
    }

    #[test]
    fn nothing_measured_is_an_empty_chart() {
        assert!(layout_speedup(&[]).head.empty.is_some());
        let rows = speedup_table(&[(2, 10.0)]);
        assert!(layout_speedup(&rows).head.empty.is_some());
    }
}
