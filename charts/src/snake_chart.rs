//! The snake: the states in a row from the most Democratic expected margin (left) to the
//! most Republican (right), each as wide as its electoral votes and coloured by the
//! chance the Democrat wins it. Where the votes counted from the left reach the majority
//! is the tipping-point state of this order.

use std::fmt::Write;

use forecast_engine::electoral::Party;
use forecast_engine::State;
use leptos::prelude::*;

use crate::colour::{
    legend_swatches, text_colour_on, win_colour, DEM_COLOUR, MAJORITY_COLOUR, REP_COLOUR,
    TIPPING_COLOUR,
};
use crate::format;
use crate::layout::{text_width, Frame};
use crate::parts::{self, chart, ChartHead, ChartKind, ChartLayout, Interaction, Outline};
use crate::path::num;
use crate::scale::Linear;

/// One state (or DC) as the snake draws it; every number from the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct SnakeUnit {
    pub state: State,
    pub votes: u32,
    /// The expected Democratic margin (the simulation's `mu`): orders the row.
    pub mu: f64,
    /// The chance the Democrat wins it.
    pub win: f64,
    /// The chance it is the tipping point; `None` while it is being found.
    pub tipping: Option<f64>,
    /// Pinned to a party in a what-if.
    pub pin: Option<Party>,
}

impl SnakeUnit {
    /// `Florida, 29 electoral votes: Democrat 54%, tipping point 12%, expected margin
    /// R+0.8`, and the pin if any.
    pub fn describe(&self) -> String {
        let pin = match self.pin {
            Some(Party::Dem) => ", pinned Democratic",
            Some(Party::Rep) => ", pinned Republican",
            None => "",
        };
        let tipping = match self.tipping {
            Some(t) => format!(", tipping point {}", format::chance(t)),
            None => String::new(),
        };
        format!(
            "{}, {}: Democrat {}{tipping}, expected margin {}{pin}",
            self.state.name(),
            format::electoral_votes(self.votes),
            format::chance(self.win),
            format::margin(self.mu)
        )
    }
}

/// A state's segment of the row, placed.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub state: State,
    pub votes: u32,
    pub win: f64,
    pub pin: Option<Party>,
    pub x: f64,
    pub width: f64,
    pub fill: String,
    pub text_fill: &'static str,
    /// Whether the state's code fits inside; otherwise it shows below on hover or focus.
    pub code_inside: bool,
    pub label: String,
}

/// A step of the colour legend.
#[derive(Clone, Debug, PartialEq)]
pub struct Swatch {
    pub x: f64,
    pub fill: String,
    pub label: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SnakeLayout {
    pub head: ChartHead,
    /// Left to right.
    pub segments: Vec<Segment>,
    /// The segment where the votes from the left reach the majority.
    pub tipping: Option<usize>,
    /// The majority's place in the row and its label.
    pub majority: Option<(f64, String)>,
    pub row_top: f64,
    pub row_height: f64,
    pub swatches: Vec<Swatch>,
    pub swatch_width: f64,
    pub legend_y: f64,
}

const WIDTH: f64 = 1040.0;
const LEFT: f64 = 20.0;
const ROW_TOP: f64 = 76.0;
const ROW_HEIGHT: f64 = 44.0;
const CODE_FONT: f64 = 11.0;
const BADGE_R: f64 = 6.5;

/// The units in the row's order: most Democratic `mu` first, equal `mu` by state code,
/// a unit without a finite `mu` last; each state once, none without votes.
pub fn snake_order(units: &[SnakeUnit]) -> Vec<&SnakeUnit> {
    let mut seen = [false; 64];
    let mut order: Vec<&SnakeUnit> = units
        .iter()
        .filter(|u| u.votes > 0)
        .filter(|u| match seen.get_mut(u.state.index()) {
            Some(s) if !*s => {
                *s = true;
                true
            }
            _ => false,
        })
        .collect();
    let key = |u: &SnakeUnit| {
        if u.mu.is_finite() {
            u.mu
        } else {
            f64::NEG_INFINITY
        }
    };
    order.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.state.cmp(&b.state)));
    order
}

/// Places the row across the chart: the whole width is `total` votes (or the units'
/// sum, if larger).
pub fn layout_snake(units: &[SnakeUnit], majority: u32, total: u32) -> SnakeLayout {
    let row_bottom = ROW_TOP + ROW_HEIGHT;
    let legend_y = row_bottom + 52.0;
    let frame = Frame {
        width: WIDTH,
        height: legend_y + 40.0,
        left: LEFT,
        right: LEFT,
        top: ROW_TOP,
        bottom: 0.0,
    };
    let title = "States from the most Democratic to the most Republican, \
                 each as wide as its electoral votes"
        .to_string();
    let swatch_width = 22.0;
    let swatch_x0 = LEFT + 170.0;
    let swatches = legend_swatches(10)
        .into_iter()
        .enumerate()
        .map(|(i, (p, fill))| Swatch {
            x: swatch_x0 + i as f64 * swatch_width,
            fill,
            label: (i % 5 == 0).then(|| format::percent_with(p, 0)),
        })
        .collect();
    let mut out = SnakeLayout {
        head: ChartHead::new(frame, title),
        segments: Vec::new(),
        tipping: None,
        majority: None,
        row_top: ROW_TOP,
        row_height: ROW_HEIGHT,
        swatches,
        swatch_width,
        legend_y,
    };
    let order = snake_order(units);
    if order.is_empty() {
        out.head.empty = Some("No electoral-college forecast yet".into());
        return out;
    }
    let sum: u64 = order.iter().map(|u| u64::from(u.votes)).sum();
    let span = (sum.max(u64::from(total))) as f64;
    let x = Linear::new((0.0, span), (frame.x0(), frame.x1()));
    let mut before = 0u64;
    for (i, u) in order.iter().enumerate() {
        let (x0, x1) = (
            x.map(before as f64),
            x.map((before + u64::from(u.votes)) as f64),
        );
        before += u64::from(u.votes);
        if out.tipping.is_none() && majority > 0 && before >= u64::from(majority) {
            out.tipping = Some(i);
        }
        let width = (x1 - x0).max(0.0);
        out.segments.push(Segment {
            state: u.state,
            votes: u.votes,
            win: u.win,
            pin: u.pin,
            x: x0,
            width,
            fill: win_colour(u.win),
            text_fill: text_colour_on(u.win),
            code_inside: width >= text_width(u.state.code(), CODE_FONT) + 4.0,
            label: u.describe(),
        });
    }
    out.majority = (majority > 0 && f64::from(majority) <= span)
        .then(|| (x.map(f64::from(majority)), format!("{majority} to win")));
    out.head.summary = snake_summary(&order, out.tipping, majority);
    out
}

/// The snake's text alternative: the states each side is favoured in and their votes,
/// the state where the votes counted from the Democratic end reach `majority`, the most
/// likely tipping point and the pins. `order` is the row's order, `tipping` its index of
/// the state reaching the majority.
pub fn snake_summary(order: &[&SnakeUnit], tipping: Option<usize>, majority: u32) -> String {
    let side = |keep: fn(f64) -> bool| {
        let states: Vec<&&SnakeUnit> = order.iter().filter(|u| keep(u.win)).collect();
        let votes: u64 = states.iter().map(|u| u64::from(u.votes)).sum();
        (states.len(), votes)
    };
    let (dem, dem_votes) = side(|p| p > 0.5);
    let (rep, rep_votes) = side(|p| p < 0.5);
    let mut text = format!(
        "{} states in a row from the most Democratic expected margin to the most \
         Republican, each as wide as its electoral votes. The Democrat is favoured in {dem} \
         of them, with {dem_votes} electoral votes, the Republican in {rep}, with \
         {rep_votes}.",
        order.len()
    );
    if let Some(u) = tipping.and_then(|i| order.get(i)) {
        text.push_str(&format!(
            " Counted from the Democratic end, the votes reach {majority} in {}.",
            u.state.name()
        ));
    }
    let likeliest = order
        .iter()
        .filter_map(|u| Some((u, u.tipping?)))
        .filter(|(_, t)| t.is_finite() && *t > 0.0)
        .fold(None::<(&&SnakeUnit, f64)>, |best, (u, t)| match best {
            Some((b, bt)) if bt >= t => Some((b, bt)),
            _ => Some((u, t)),
        });
    if let Some((u, t)) = likeliest {
        text.push_str(&format!(
            " Most likely tipping point: {} ({}).",
            u.state.name(),
            format::chance(t)
        ));
    }
    let pins: Vec<String> = order
        .iter()
        .filter_map(|u| {
            let party = match u.pin? {
                Party::Dem => "Democratic",
                Party::Rep => "Republican",
            };
            Some(format!("{} {party}", u.state.name()))
        })
        .collect();
    if !pins.is_empty() {
        text.push_str(&format!(" Pinned: {}.", pins.join(", ")));
    }
    text
}

impl ChartLayout for SnakeLayout {
    fn head(&self) -> &ChartHead {
        &self.head
    }

    fn has_label(&self, text: &str) -> bool {
        self.segments.iter().any(|s| s.label == text)
    }
}

const KIND: ChartKind = ChartKind {
    testid: "snake-chart",
    class: "fc-snake-chart",
    hint: "Hover over, tap or focus a state for its numbers (Tab, then the arrow keys); \
           click or press Enter to select it",
    left: LEFT,
};

/// The snake of states. Renders `<svg data-testid="snake-chart" id=...>` with one
/// `<g class="fc-segment" data-state="FL" data-win=... data-votes=29 data-pin="D">` per
/// state with votes, left to right from the most Democratic `mu` (`data-win` in full
/// precision, `data-pin` only when pinned); the tipping-point state of the order is
/// outlined (`g.fc-tipping`), the majority marked (`g.fc-majority`). One segment is a tab
/// stop (the selected one, else the first); the arrow keys, Home and End move among
/// them; click, Enter and Space call `on_select`.
///
/// - `units`: every state's votes, `mu`, chances and pin ([`SnakeUnit`]).
/// - `majority`, `total`: of the electoral-votes table; the row spans `total` votes.
/// - `selected`: outlined segment.
/// - `on_select`: called with the state on click, Enter or Space.
/// - `id`: the root `<svg>`'s id (default `snake-chart-svg`).
#[component]
pub fn SnakeChart(
    #[prop(into)] units: Signal<Vec<SnakeUnit>>,
    #[prop(into)] majority: Signal<u32>,
    #[prop(into)] total: Signal<u32>,
    #[prop(optional, into)] selected: Option<Signal<Option<State>>>,
    #[prop(optional, into)] on_select: Option<Callback<State>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| "snake-chart-svg".to_string());
    let layout = Memo::new(move |_| units.with(|u| layout_snake(u, majority.get(), total.get())));
    chart(id, KIND, layout, move |l, ui| {
        snake_body(l, ui, on_select, selected)
    })
}

fn pin_code(pin: Option<Party>) -> Option<&'static str> {
    pin.map(|p| match p {
        Party::Dem => "D",
        Party::Rep => "R",
    })
}

fn snake_body(
    l: SnakeLayout,
    ui: Interaction,
    on_select: Option<Callback<State>>,
    selected: Option<Signal<Option<State>>>,
) -> impl IntoView {
    let (top, height) = (l.row_top, l.row_height);
    let bottom = top + height;
    let f = l.head.frame;
    let order: Vec<State> = l.segments.iter().map(|s| s.state).collect();
    let selected_index = move || {
        let state = selected?.get()?;
        order.iter().position(|&s| s == state)
    };
    let items = ui.items(l.segments.len(), selected_index.clone());
    let outlines: Vec<Outline> = l
        .segments
        .iter()
        .map(|s| Outline::Rect {
            x: s.x,
            y: top,
            width: s.width,
            height,
        })
        .collect();
    let boxes: Vec<(f64, f64)> = l.segments.iter().map(|s| (s.x, s.width)).collect();
    let tipping = l.tipping.and_then(|i| {
        let s = l.segments.get(i)?;
        let centre = (s.x + s.width / 2.0).clamp(f.x0() + 40.0, f.x1() - 40.0);
        Some(view! {
            <g class="fc-tipping" data-state=s.state.code() pointer-events="none">
                <rect
                    x=num(s.x)
                    y=num(top)
                    width=num(s.width)
                    height=num(height)
                    fill="none"
                    stroke=TIPPING_COLOUR
                    stroke-width="2"
                    stroke-dasharray="4 2"
                />
                <text
                    x=num(centre)
                    y=num(top - 18.0)
                    text-anchor="middle"
                    font-size="11"
                    font-weight="600"
                    fill=TIPPING_COLOUR
                >
                    {format!("tipping point: {}", s.state.code())}
                </text>
            </g>
        })
    });
    let majority = l.majority.map(|(mx, label)| {
        view! {
            <g class="fc-majority" pointer-events="none">
                <line
                    x1=num(mx)
                    x2=num(mx)
                    y1=num(top - 4.0)
                    y2=num(bottom + 6.0)
                    stroke=MAJORITY_COLOUR
                    stroke-width="2"
                />
                <text x=num(mx) y=num(bottom + 18.0) text-anchor="middle" font-size="11" fill=MAJORITY_COLOUR>
                    {label}
                </text>
            </g>
        }
    });
    // The segments as one string of markup (see `Items::markup_group`); a narrow
    // segment's code shows below the row from one reactive label.
    let mut markup = String::with_capacity(l.segments.len() * 600);
    let initially = selected_index.clone()();
    for (i, s) in l.segments.iter().enumerate() {
        let centre = s.x + s.width / 2.0;
        let _ = write!(
            markup,
            "<g class=\"fc-segment\" data-state=\"{}\" data-win=\"{}\" data-votes=\"{}\"{} \
             role=\"{}\"{} cursor=\"{}\"{}><title>{}</title>\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\" \
             stroke-width=\"1\"/>",
            s.state.code(),
            format::full(s.win),
            s.votes,
            pin_code(s.pin)
                .map(|p| format!(" data-pin=\"{p}\""))
                .unwrap_or_default(),
            if on_select.is_some() { "button" } else { "img" },
            if on_select.is_some() {
                format!(" aria-pressed=\"{}\"", initially == Some(i))
            } else {
                String::new()
            },
            if on_select.is_some() {
                "pointer"
            } else {
                "default"
            },
            items.markup_attrs(i),
            format::escape(&s.label),
            num(s.x),
            num(top),
            num(s.width),
            num(height),
            format::escape(&s.fill),
        );
        if s.code_inside {
            let _ = write!(
                markup,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" \
                 font-weight=\"600\" fill=\"{}\" pointer-events=\"none\">{}</text>",
                num(centre),
                num(top + height / 2.0 + 4.0),
                num(CODE_FONT),
                s.text_fill,
                s.state.code(),
            );
        }
        if let Some(letter) = pin_code(s.pin) {
            let fill = if letter == "D" {
                DEM_COLOUR
            } else {
                REP_COLOUR
            };
            let _ = write!(
                markup,
                "<g class=\"fc-pin\" pointer-events=\"none\"><circle cx=\"{cx}\" cy=\"{}\" \
                 r=\"{}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"1\"/>\
                 <text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" \
                 font-weight=\"700\" fill=\"#ffffff\">{letter}</text></g>",
                num(top - BADGE_R - 1.0),
                num(BADGE_R),
                num(top - BADGE_R + 2.0),
                cx = num(centre),
            );
        }
        markup.push_str("</g>");
    }
    // Too narrow for its code: shown below the row while it is pointed at.
    let below: Vec<(String, f64, State)> = l
        .segments
        .iter()
        .filter(|s| !s.code_inside)
        .map(|s| (s.label.clone(), s.x + s.width / 2.0, s.state))
        .collect();
    let code_below = move || {
        let (_, centre, state) = below.iter().find(|(label, ..)| ui.is_shown(label))?;
        Some(view! {
            <text
                class="fc-code-below"
                x=num(*centre)
                y=num(bottom + 32.0)
                text-anchor="middle"
                font-size=num(CODE_FONT)
                font-weight="600"
                fill="#111111"
                pointer-events="none"
            >
                {state.code()}
            </text>
        })
    };
    let states: Vec<State> = l.segments.iter().map(|s| s.state).collect();
    let texts = l.segments.into_iter().map(|s| s.label).collect();
    let action = parts::action_by_index(on_select, states);
    let pressed = on_select
        .and(selected)
        .map(|_| Signal::derive(selected_index.clone()));
    let segments = items.markup_group("fc-segment-items", markup, texts, action, pressed);
    // Over the neighbours, which would hide part of an outline drawn with the segment.
    let selected_outline = move || {
        let (sx, sw) = boxes.get(selected_index()?).copied()?;
        Some(parts::selected_outline(sx, top, sw, height, 0.0))
    };
    let y = l.legend_y;
    let w = l.swatch_width;
    let swatches_end = l.swatches.last().map_or(LEFT, |s| s.x + w);
    let swatches = l
        .swatches
        .into_iter()
        .map(|s| {
            let label = s.label.map(|text| {
                view! {
                    <text x=num(s.x + w / 2.0) y=num(y + 26.0) text-anchor="middle" font-size="11">
                        {text}
                    </text>
                }
            });
            view! {
                <rect x=num(s.x) y=num(y) width=num(w) height="12" fill=s.fill />
                {label}
            }
        })
        .collect_view();
    let key_x = swatches_end + 30.0;
    view! {
        <g class="fc-body">
            <text x=num(f.x0()) y=num(bottom + 18.0) font-size="11" fill="#444444">
                "← Most Democratic"
            </text>
            <text x=num(f.x1()) y=num(bottom + 18.0) text-anchor="end" font-size="11" fill="#444444">
                "Most Republican →"
            </text>
            <g class="fc-segments" role="group" aria-label="States in order of expected margin">
                {segments}
            </g>
            {code_below}
            {tipping}
            {majority}
            {selected_outline}
            <g class="fc-legend" font-size="12" fill="#222222">
                <text x=num(LEFT) y=num(y + 10.0)>"Chance the Democrat wins"</text>
                {swatches}
                <circle cx=num(key_x + BADGE_R) cy=num(y + 6.0) r=num(BADGE_R) fill=DEM_COLOUR />
                <circle cx=num(key_x + 3.0 * BADGE_R + 2.0) cy=num(y + 6.0) r=num(BADGE_R) fill=REP_COLOUR />
                <text x=num(key_x + 4.0 * BADGE_R + 8.0) y=num(y + 10.0)>"Pinned (what-if)"</text>
                <rect
                    x=num(key_x + 140.0)
                    y=num(y)
                    width="18"
                    height="12"
                    fill="none"
                    stroke=TIPPING_COLOUR
                    stroke-width="2"
                    stroke-dasharray="4 2"
                />
                <text x=num(key_x + 164.0) y=num(y + 10.0)>
                    "Tipping point (the votes from the left reach the majority)"
                </text>
            </g>
            {items.focus_ring(outlines)}
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, votes: u32, mu: f64) -> SnakeUnit {
        SnakeUnit {
            state: State::parse(code).unwrap(),
            votes,
            mu,
            win: 0.5 + mu,
            tipping: Some(0.01),
            pin: None,
        }
    }

    fn codes(l: &SnakeLayout) -> Vec<&'static str> {
        l.segments.iter().map(|s| s.state.code()).collect()
    }

    #[test]
    fn ordered_by_margin_ties_by_code_widths_by_votes() {
        let units = [
            unit("TX", 38, -0.09),
            unit("CA", 55, 0.25),
            unit("FL", 29, -0.008),
            unit("PA", 20, 0.02),
            unit("NH", 4, 0.02),
            unit("WY", 3, -0.4),
        ];
        let l = layout_snake(&units, 75, 149);
        assert_eq!(l.head.empty, None);
        assert_eq!(codes(&l), ["CA", "NH", "PA", "FL", "TX", "WY"]);
        let f = l.head.frame;
        let per_vote = (f.x1() - f.x0()) / 149.0;
        let mut x = f.x0();
        for s in &l.segments {
            assert!((s.x - x).abs() < 1e-9, "{s:?}");
            assert!((s.width - f64::from(s.votes) * per_vote).abs() < 1e-9);
            x += s.width;
        }
        assert!((x - f.x1()).abs() < 1e-9, "the row spans the plot");
        // 55 + 4 + 20 = 79 >= 75: PA tips it.
        assert_eq!(l.tipping, Some(2));
        let (mx, label) = l.majority.clone().unwrap();
        assert!((mx - (f.x0() + 75.0 * per_vote)).abs() < 1e-9);
        assert_eq!(label, "75 to win");
        let pa = &l.segments[2];
        assert!(
            mx > pa.x && mx <= pa.x + pa.width,
            "the majority falls in the tipping state"
        );
        assert_eq!(l.segments[0].fill, win_colour(0.75));
    }

    #[test]
    fn the_summary_counts_each_side_and_names_the_tipping_point() {
        let mut units = [
            unit("CA", 55, 0.3),
            unit("FL", 29, -0.008),
            unit("PA", 20, 0.02),
            unit("WY", 3, -0.4),
        ];
        for u in &mut units {
            u.win = if u.mu > 0.0 { 0.8 } else { 0.3 };
        }
        units[1].tipping = Some(0.4);
        units[2].tipping = Some(0.5);
        units[3].pin = Some(Party::Rep);
        let l = layout_snake(&units, 54, 107);
        assert_eq!(
            l.head.summary,
            "4 states in a row from the most Democratic expected margin to the most \
             Republican, each as wide as its electoral votes. The Democrat is favoured in 2 \
             of them, with 75 electoral votes, the Republican in 2, with 32. Counted from \
             the Democratic end, the votes reach 54 in California. Most likely tipping \
             point: Pennsylvania (50%). Pinned: Wyoming Republican."
        );
    }

    #[test]
    fn the_row_spans_the_total_and_describes_each_state() {
        let mut fl = unit("FL", 29, -0.008);
        fl.win = 0.54;
        fl.tipping = Some(0.12);
        fl.pin = Some(Party::Dem);
        assert_eq!(
            fl.describe(),
            "Florida, 29 electoral votes: Democrat 54%, tipping point 12%, \
             expected margin R+0.8, pinned Democratic"
        );
        // Before its tipping point is found, the description leaves it out.
        let mut pending = fl.clone();
        pending.tipping = None;
        assert_eq!(
            pending.describe(),
            "Florida, 29 electoral votes: Democrat 54%, expected margin R+0.8, pinned Democratic"
        );
        // Three states of a 538-vote table: the row covers 48 / 538 of the width and no
        // state reaches the majority.
        let l = layout_snake(&[fl, unit("GA", 16, -0.05), unit("DC", 3, 0.9)], 270, 538);
        assert_eq!(codes(&l), ["DC", "FL", "GA"]);
        let f = l.head.frame;
        let per_vote = (f.x1() - f.x0()) / 538.0;
        let end = l.segments.last().map(|s| s.x + s.width).unwrap();
        assert!((end - (f.x0() + 48.0 * per_vote)).abs() < 1e-9);
        assert_eq!(l.tipping, None);
        assert_eq!(l.segments[1].pin, Some(Party::Dem));
        // A code of two letters at 11 px needs about 16 px: FL's 29 votes (about 54 px)
        // have room, DC's 3 (under 6 px) do not.
        assert!(per_vote * 3.0 < 6.0 && per_vote * 29.0 > 50.0);
        assert!(!l.segments[0].code_inside);
        assert!(l.segments[1].code_inside);
    }

    #[test]
    fn empty_odd_and_extreme_inputs() {
        assert!(layout_snake(&[], 270, 538).head.empty.is_some());
        assert!(layout_snake(&[unit("FL", 0, 0.1)], 270, 538)
            .head
            .empty
            .is_some());
        // NaN margins go last (by code), a repeated state counts once, a sum over the
        // total widens the row, majority 0 has no tipping point.
        let units = [
            unit("OH", 18, f64::NAN),
            unit("AL", 9, f64::NAN),
            unit("NY", 29, 0.2),
            unit("NY", 29, 0.3),
            unit("ME", u32::MAX, -0.1),
        ];
        let l = layout_snake(&units, 0, 10);
        assert_eq!(codes(&l), ["NY", "ME", "AL", "OH"]);
        assert_eq!(l.tipping, None);
        assert!(l.majority.is_none());
        let f = l.head.frame;
        for s in &l.segments {
            assert!(s.x.is_finite() && s.width.is_finite());
            assert!(s.x >= f.x0() - 1e-6 && s.x + s.width <= f.x1() + 1e-6);
        }
        assert_eq!(l.segments[2].fill, win_colour(f64::NAN));
    }
}
