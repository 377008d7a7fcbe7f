//! The distribution of Democratic electoral votes: one bar per total that occurs in the
//! simulations, coloured by who wins with it, the majority line and the actual result.

use std::fmt::Write;

use leptos::prelude::*;

use crate::colour::{DEM_COLOUR, MAJORITY_COLOUR, REP_COLOUR, RESULT_COLOUR, TIE_COLOUR};
use crate::format::{self, Tick};
use crate::layout::{legend_positions, place, text_width, Frame, PlacedTick};
use crate::parts::{
    self, chart, ChartHead, ChartKind, ChartLayout, Interaction, LegendItem, LegendKey, Outline,
};
use crate::path::num;
use crate::scale::{decimals_for, nice_domain, nice_step, nice_ticks, Linear};

/// One electoral-vote total's bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Democratic electoral votes.
    pub ev: u32,
    /// Share of simulations.
    pub p: f64,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub fill: &'static str,
    /// `300 electoral votes: 1.2% of simulations`.
    pub label: String,
}

/// A vertical line across the plot with its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Guide {
    pub x: f64,
    pub label: String,
    pub label_x: f64,
    pub label_y: f64,
    /// `start` or `end`: the label's side of the line.
    pub anchor: &'static str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HistogramLayout {
    pub head: ChartHead,
    pub x_ticks: Vec<PlacedTick>,
    pub y_ticks: Vec<PlacedTick>,
    pub bars: Vec<Bar>,
    /// Each bar's column over the whole plot height, for hovering thin bars: (x, width).
    pub columns: Vec<(f64, f64)>,
    pub majority: Option<Guide>,
    pub actual: Option<Guide>,
    pub legend: Vec<LegendItem>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 340.0;
/// Nice x ticks nearer than this to the majority tick give way to it (its label is
/// about 20 px wide).
const MIN_TICK_GAP: f64 = 24.0;

/// Who wins with `ev` Democratic electoral votes: the Democrat from `majority`, nobody
/// at exactly half of `total`, else the Republican.
pub fn ev_fill(ev: u32, total: u32, majority: u32) -> &'static str {
    if ev >= majority {
        DEM_COLOUR
    } else if u64::from(ev) * 2 == u64::from(total) {
        TIE_COLOUR
    } else {
        REP_COLOUR
    }
}

/// Places the bars of `distribution` ((Democratic electoral votes, share of
/// simulations), the totals that occur) over `0..=total`.
pub fn layout_ev_histogram(
    distribution: &[(u32, f64)],
    total: u32,
    majority: u32,
    actual: Option<u32>,
    title: String,
) -> HistogramLayout {
    let mut frame = Frame {
        width: WIDTH,
        height: HEIGHT,
        left: 56.0,
        right: 16.0,
        top: 60.0,
        bottom: 44.0,
    };
    let title = if title.trim().is_empty() {
        "Democratic electoral votes".to_string()
    } else {
        title
    };
    let mut out = HistogramLayout {
        head: ChartHead::new(frame, title),
        x_ticks: Vec::new(),
        y_ticks: Vec::new(),
        bars: Vec::new(),
        columns: Vec::new(),
        majority: None,
        actual: None,
        legend: Vec::new(),
    };
    // The totals that occur, once each, in order.
    let mut shares: Vec<(u32, f64)> = distribution
        .iter()
        .copied()
        .filter(|&(_, p)| p.is_finite() && p > 0.0)
        .collect();
    shares.sort_by_key(|&(ev, _)| ev);
    shares.dedup_by_key(|&mut (ev, _)| ev);
    if shares.is_empty() {
        out.head.empty = Some("No electoral-college forecast yet".into());
        return out;
    }

    let tie_possible = total.is_multiple_of(2) && total > 0;
    let mut labels = vec![
        (
            LegendKey::Swatch(DEM_COLOUR.to_string()),
            format!("Democrat wins ({majority} or more)"),
        ),
        (
            LegendKey::Swatch(REP_COLOUR.to_string()),
            "Republican wins".to_string(),
        ),
    ];
    if tie_possible {
        labels.push((
            LegendKey::Swatch(TIE_COLOUR.to_string()),
            format!("Tie ({})", total / 2),
        ));
    }
    let texts: Vec<String> = labels.iter().map(|(_, l)| l.clone()).collect();
    let (positions, rows) = legend_positions(&texts, frame.left, 46.0, WIDTH - 8.0, 12.0);
    frame.top = 46.0 + rows as f64 * 19.2 + 34.0;
    out.head.frame = frame;
    out.legend = labels
        .into_iter()
        .zip(positions)
        .map(|((key, label), (x, y))| LegendItem { key, label, x, y })
        .collect();

    // x: every total from 0 to the largest of the table, the data and the result; a
    // bar centred on its total.
    let top = shares
        .iter()
        .map(|&(ev, _)| ev)
        .chain([total])
        .chain(actual)
        .max()
        .unwrap_or(total);
    let top = f64::from(top);
    let x = Linear::new((-0.5, top + 0.5), (frame.x0(), frame.x1()));
    let step = (frame.x1() - frame.x0()) / (top + 1.0);
    let bar_width = step.max(1.0);

    let max_p = shares.iter().map(|&(_, p)| p).fold(0.0, f64::max);
    let (y_lo, y_hi) = nice_domain(0.0, max_p, 4);
    let y = Linear::new((y_lo, y_hi), (frame.y1(), frame.y0()));
    let decimals = decimals_for(nice_step(y_hi - y_lo, 4), 100.0);
    out.y_ticks = place(
        nice_ticks(y_lo, y_hi, 4)
            .into_iter()
            .map(|v| Tick {
                value: v,
                label: format::percent_with(v, decimals),
            })
            .collect(),
        &y,
    );

    let majority_in_plot = majority > 0 && f64::from(majority) <= top;
    let mut x_ticks: Vec<Tick> = nice_ticks(0.0, top, 6)
        .into_iter()
        .filter(|&v| {
            !majority_in_plot || (x.map(v) - x.map(f64::from(majority))).abs() >= MIN_TICK_GAP
        })
        .map(|v| Tick {
            value: v,
            label: format::plain(v, 0),
        })
        .collect();
    if majority_in_plot {
        x_ticks.push(Tick {
            value: f64::from(majority),
            label: majority.to_string(),
        });
        x_ticks.sort_by(|a, b| a.value.total_cmp(&b.value));
    }
    out.x_ticks = place(x_ticks, &x);

    out.bars = shares
        .iter()
        .map(|&(ev, p)| {
            let top_y = y.map(p);
            let tie = ev < majority && u64::from(ev) * 2 == u64::from(total);
            Bar {
                ev,
                p,
                x: x.map(f64::from(ev)) - bar_width / 2.0,
                y: top_y,
                width: bar_width,
                height: (frame.y1() - top_y).max(0.0),
                fill: ev_fill(ev, total, majority),
                label: format!(
                    "{}: {} of simulations{}",
                    format::electoral_votes(ev),
                    format::share(p),
                    if tie { ", a tie" } else { "" }
                ),
            }
        })
        .collect();
    out.columns = out.bars.iter().map(|b| (b.x, b.width)).collect();
    out.head.summary = histogram_summary(&shares, total, majority, actual);

    // The majority line runs between the last losing total and the first winning one;
    // its label on the first row, the result's on the second.
    let guide = |at: f64, label: String, row: f64, right: bool| {
        let w = text_width(&label, 11.0);
        let right = if right {
            at + 4.0 + w <= frame.x1()
        } else {
            at - 4.0 - w < frame.x0()
        };
        Guide {
            x: at,
            label_x: if right { at + 4.0 } else { at - 4.0 },
            label_y: frame.y0() - 20.0 + row * 14.0,
            anchor: if right { "start" } else { "end" },
            label,
        }
    };
    if majority_in_plot {
        out.majority = Some(guide(
            x.map(f64::from(majority) - 0.5),
            format!("{majority} to win"),
            0.0,
            true,
        ));
    }
    out.actual = actual.map(|a| {
        guide(
            x.map(f64::from(a)),
            format!("Result: {a}"),
            1.0,
            a >= majority,
        )
    });
    out
}

/// The histogram's text alternative: the range of totals, the most likely one and the
/// median, each side's share of the simulations, and the result. `shares` are the
/// totals that occur, in order.
pub fn histogram_summary(
    shares: &[(u32, f64)],
    total: u32,
    majority: u32,
    actual: Option<u32>,
) -> String {
    let (Some(first), Some(last)) = (shares.first(), shares.last()) else {
        return String::new();
    };
    // The first of equal shares: the smallest total.
    let mode = shares
        .iter()
        .fold(*first, |best, &b| if b.1 > best.1 { b } else { best });
    let sum: f64 = shares.iter().map(|&(_, p)| p).sum();
    let mut cumulative = 0.0;
    let median = shares
        .iter()
        .find(|&&(_, p)| {
            cumulative += p;
            cumulative >= sum / 2.0 - 1e-12
        })
        .map_or(last.0, |&(ev, _)| ev);
    let share_where = |keep: &dyn Fn(u32) -> bool| -> f64 {
        shares
            .iter()
            .filter(|&&(ev, _)| keep(ev))
            .map(|&(_, p)| p)
            .sum()
    };
    let dem = share_where(&|ev| ev >= majority);
    let tie = share_where(&|ev| ev < majority && u64::from(ev) * 2 == u64::from(total));
    let mut text = format!(
        "Bars of the share of simulations giving the Democrat each total of electoral votes, \
         from {} to {}: most likely {} ({} of simulations), median {}. The Democrat reaches \
         {majority} in {}",
        first.0,
        last.0,
        mode.0,
        format::share(mode.1),
        median,
        format::share(dem),
    );
    if tie > 0.0 {
        text.push_str(&format!(", a tie in {}", format::share(tie)));
    }
    text.push('.');
    if let Some(a) = actual {
        text.push_str(&format!(" Result: {}.", format::electoral_votes(a)));
    }
    text
}

impl ChartLayout for HistogramLayout {
    fn head(&self) -> &ChartHead {
        &self.head
    }

    fn has_label(&self, text: &str) -> bool {
        self.bars.iter().any(|b| b.label == text)
    }
}

const KIND: ChartKind = ChartKind {
    testid: "ec-histogram",
    class: "fc-ec-histogram",
    hint: "Hover over, tap or focus a bar for its share of simulations (Tab, then the arrow keys)",
    left: 8.0,
};

/// The electoral-vote histogram. Renders `<svg data-testid="ec-histogram" id=...>` with
/// one `<rect class="fc-bar" data-ev=300 data-p=0.012…>` per total that occurs
/// (`data-p` in full precision), blue where the Democrat wins, red where the Republican
/// does, grey for a tie; a `g.fc-majority` line and, when known, a dashed
/// `g.fc-actual` line. The bars share one tab stop; the arrow keys, Home and End move
/// among them.
///
/// - `distribution`: (Democratic electoral votes, share of simulations), the totals
///   that occur (`Outcome::distribution`).
/// - `total`, `majority`: of the electoral-votes table.
/// - `actual`: the actual Democratic electoral votes, when known.
/// - `title`: e.g. "Democratic electoral votes: Hierarchical Bayes, forecast of Nov 7,
///   2016".
/// - `id`: the root `<svg>`'s id (default `ec-histogram-svg`).
#[component]
pub fn EvHistogram(
    #[prop(into)] distribution: Signal<Vec<(u32, f64)>>,
    #[prop(into)] total: Signal<u32>,
    #[prop(into)] majority: Signal<u32>,
    #[prop(into)] actual: Signal<Option<u32>>,
    #[prop(into)] title: Signal<String>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| "ec-histogram-svg".to_string());
    let layout = Memo::new(move |_| {
        distribution.with(|d| {
            layout_ev_histogram(d, total.get(), majority.get(), actual.get(), title.get())
        })
    });
    chart(id, KIND, layout, histogram_body)
}

fn guide_view(
    g: Guide,
    class: &'static str,
    f: Frame,
    colour: &'static str,
    dashed: bool,
) -> impl IntoView {
    view! {
        <g class=class>
            <line
                x1=num(g.x)
                x2=num(g.x)
                y1=num(g.label_y - 10.0)
                y2=num(f.y1())
                stroke=colour
                stroke-width="1.5"
                stroke-dasharray=if dashed { "5 3" } else { "none" }
            >
                {crate::parts::svg_title(g.label.clone())}
            </line>
            <text
                x=num(g.label_x)
                y=num(g.label_y)
                text-anchor=g.anchor
                font-size="11"
                fill=colour
                stroke="#ffffff"
                stroke-width="3"
                paint-order="stroke"
                pointer-events="none"
            >
                {g.label}
            </text>
        </g>
    }
}

fn histogram_body(l: HistogramLayout, ui: Interaction) -> impl IntoView {
    let f = l.head.frame;
    let outlines: Vec<Outline> = l
        .bars
        .iter()
        .map(|b| Outline::Rect {
            x: b.x,
            y: b.y,
            width: b.width,
            height: b.height,
        })
        .collect();
    let items = ui.items(l.bars.len(), || None);
    // A few hundred bars, each with its column: one string of markup (see
    // `Items::markup_group`).
    let mut markup = String::with_capacity(l.bars.len() * 360);
    // Thin bars are hard to point at: their whole column answers the pointer too.
    markup.push_str("<g class=\"fc-columns\">");
    for (i, &(cx, cw)) in l.columns.iter().enumerate().take(l.bars.len()) {
        let _ = write!(
            markup,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" \
             fill-opacity=\"0\" aria-hidden=\"true\" data-fc-hover=\"{i}\"/>",
            num(cx),
            num(f.y0()),
            num(cw),
            num(f.y1() - f.y0()),
        );
    }
    markup
        .push_str("</g><g class=\"fc-bars\" role=\"group\" aria-label=\"Electoral-vote totals\">");
    for (i, b) in l.bars.iter().enumerate() {
        let _ = write!(
            markup,
            "<rect class=\"fc-bar\" data-ev=\"{}\" data-p=\"{}\" x=\"{}\" y=\"{}\" \
             width=\"{}\" height=\"{}\" fill=\"{}\" role=\"img\"{}><title>{}</title></rect>",
            b.ev,
            format::full(b.p),
            num(b.x),
            num(b.y),
            num(b.width),
            num(b.height),
            b.fill,
            items.markup_attrs(i),
            format::escape(&b.label),
        );
    }
    markup.push_str("</g>");
    let texts = l.bars.into_iter().map(|b| b.label).collect();
    let majority = l
        .majority
        .map(|g| guide_view(g, "fc-majority", f, MAJORITY_COLOUR, false));
    let actual = l
        .actual
        .map(|g| guide_view(g, "fc-actual", f, RESULT_COLOUR, true));
    view! {
        <g class="fc-body">
            {parts::legend(l.legend)}
            {parts::y_axis(l.y_ticks, f)}
            {parts::x_axis(l.x_ticks, f)}
            {parts::axis_title("Democratic electoral votes".to_string(), f, false)}
            {parts::axis_title("Share of simulations".to_string(), f, true)}
            {items.markup_group("fc-items", markup, texts, None, None)}
            {majority}
            {actual}
            {items.focus_ring(outlines)}
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(dist: &[(u32, f64)], actual: Option<u32>) -> HistogramLayout {
        layout_ev_histogram(dist, 538, 270, actual, "EV".into())
    }

    #[test]
    fn one_bar_per_total_coloured_by_the_winner() {
        let dist = [(200, 0.1), (269, 0.05), (270, 0.2), (300, 0.65)];
        let l = layout(&dist, Some(233));
        assert_eq!(l.head.empty, None);
        assert_eq!(l.bars.len(), 4);
        let fills: Vec<_> = l.bars.iter().map(|b| b.fill).collect();
        assert_eq!(fills, [REP_COLOUR, TIE_COLOUR, DEM_COLOUR, DEM_COLOUR]);
        let f = l.head.frame;
        // 539 totals (0..=538) across the plot: each bar is a 539th of it, centred on
        // its total.
        let step = (f.x1() - f.x0()) / 539.0;
        assert!(step >= 1.0);
        for b in &l.bars {
            assert!((b.width - step).abs() < 1e-9);
            let centre = f.x0() + (f64::from(b.ev) + 0.5) * step;
            assert!((b.x + b.width / 2.0 - centre).abs() < 1e-6, "{b:?}");
            assert!(
                (b.y + b.height - f.y1()).abs() < 1e-9,
                "bars stand on the axis"
            );
            assert!(b.y >= f.y0() - 1e-9);
        }
        // Heights in proportion to the shares.
        let (h270, h300) = (l.bars[2].height, l.bars[3].height);
        assert!((h300 / h270 - 0.65 / 0.2).abs() < 1e-9);
        assert_eq!(l.bars[3].label, "300 electoral votes: 65.0% of simulations");
        assert_eq!(
            l.head.summary,
            "Bars of the share of simulations giving the Democrat each total of electoral \
             votes, from 200 to 300: most likely 300 (65.0% of simulations), median 300. The \
             Democrat reaches 270 in 85.0%, a tie in 5.0%. Result: 233 electoral votes."
        );
        assert_eq!(
            l.bars[1].label,
            "269 electoral votes: 5.0% of simulations, a tie"
        );
        // The majority line between 269 and 270, the result on 233.
        let m = l.majority.as_ref().unwrap();
        assert!((m.x - (f.x0() + 270.0 * step)).abs() < 1e-6);
        assert_eq!(m.label, "270 to win");
        let a = l.actual.as_ref().unwrap();
        assert!((a.x - (f.x0() + 233.5 * step)).abs() < 1e-6);
        assert_eq!(a.label, "Result: 233");
        assert_eq!(
            a.anchor, "end",
            "a losing result's label goes left of its line"
        );
        assert!(a.label_y > m.label_y);
        // Ticks every 100 votes and at the majority, in order.
        let labels: Vec<_> = l.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "100", "200", "270", "300", "400", "500"]);
        let y_labels: Vec<_> = l.y_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(y_labels, ["0%", "20%", "40%", "60%", "80%"]);
        assert_eq!(l.legend.len(), 3);
    }

    #[test]
    fn bars_stay_a_pixel_wide_on_a_huge_table() {
        let l = layout_ev_histogram(&[(0, 0.5), (9_999, 0.5)], 10_000, 5_001, None, "".into());
        assert!(l.bars.iter().all(|b| b.width >= 1.0));
        let f = l.head.frame;
        assert!((f.x1() - f.x0()) / 10_001.0 < 1.0);
        let labels: Vec<_> = l.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            ["0", "2000", "4000", "5001", "6000", "8000", "10000"]
        );
        // A nice tick 10 votes (about 10 px) from the majority's gives way to it.
        let l = layout_ev_histogram(&[(300, 1.0)], 538, 290, None, "x".into());
        let labels: Vec<_> = l.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "100", "200", "290", "400", "500"]);
        let untitled = layout_ev_histogram(&[(0, 1.0)], 538, 270, None, " ".into());
        assert_eq!(untitled.head.title, "Democratic electoral votes");
        assert!(l.actual.is_none());
        // An odd total has no tie.
        let l = layout_ev_histogram(&[(268, 1.0)], 537, 269, None, "x".into());
        assert_eq!(l.bars[0].fill, REP_COLOUR);
        assert_eq!(l.legend.len(), 2);
    }

    #[test]
    fn empty_odd_and_extreme_inputs() {
        assert!(layout(&[], None).head.empty.is_some());
        assert!(layout(&[(300, 0.0), (200, f64::NAN)], None)
            .head
            .empty
            .is_some());
        // Duplicates keep one bar; shares out of order are sorted; totals past the
        // table widen the axis.
        let l = layout(&[(300, 0.2), (100, 0.3), (300, 0.5), (600, 0.1)], Some(700));
        let evs: Vec<_> = l.bars.iter().map(|b| b.ev).collect();
        assert_eq!(evs, [100, 300, 600]);
        let f = l.head.frame;
        for b in &l.bars {
            assert!(b.x >= f.x0() - b.width && b.x + b.width <= f.x1() + b.width);
        }
        let a = l.actual.unwrap();
        assert!(a.x <= f.x1() + 1e-9);
        // A result at the right edge puts its label to the left.
        assert_eq!(a.anchor, "end");
        let l = layout_ev_histogram(
            &[(u32::MAX, f64::MAX)],
            u32::MAX,
            0,
            Some(u32::MAX),
            "".into(),
        );
        assert!(l
            .bars
            .iter()
            .all(|b| b.x.is_finite() && b.height.is_finite()));
        let l = layout_ev_histogram(&[(3, 1.0)], 0, 0, None, "".into());
        assert_eq!(l.bars[0].fill, DEM_COLOUR);
    }
}
