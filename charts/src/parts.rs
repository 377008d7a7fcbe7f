//! View pieces shared by the charts: axes with grid lines, legends, empty-state text.
//! Labels are text nodes only (Leptos escapes them); nothing here sets inner HTML.

use leptos::prelude::*;

use crate::colour::{GRID_COLOUR, POLL_COLOUR, RESULT_COLOUR};
use crate::layout::{Frame, PlacedTick, LEGEND_KEY_WIDTH};
use crate::path::num;

/// Font of every chart; set on the root `<svg>` so a downloaded SVG looks the same.
pub const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const AXIS_TEXT: &str = "#444444";

/// Horizontal grid lines with labels to the left of the plot.
pub fn y_axis(ticks: Vec<PlacedTick>, frame: Frame) -> impl IntoView {
    let (x0, x1) = (frame.x0(), frame.x1());
    view! {
        <g class="fc-axis fc-y-axis" font-size="11" fill=AXIS_TEXT>
            {ticks
                .into_iter()
                .map(|t| {
                    view! {
                        <line
                            x1=num(x0)
                            x2=num(x1)
                            y1=num(t.pos)
                            y2=num(t.pos)
                            stroke=GRID_COLOUR
                            stroke-width="1"
                        />
                        <text x=num(x0 - 6.0) y=num(t.pos + 4.0) text-anchor="end">
                            {t.label}
                        </text>
                    }
                })
                .collect_view()}
        </g>
    }
}

/// Tick marks and labels below the plot, with faint vertical grid lines.
pub fn x_axis(ticks: Vec<PlacedTick>, frame: Frame) -> impl IntoView {
    let (y0, y1) = (frame.y0(), frame.y1());
    view! {
        <g class="fc-axis fc-x-axis" font-size="11" fill=AXIS_TEXT>
            <line
                x1=num(frame.x0())
                x2=num(frame.x1())
                y1=num(y1)
                y2=num(y1)
                stroke=AXIS_TEXT
                stroke-width="1"
            />
            {ticks
                .into_iter()
                .map(|t| {
                    view! {
                        <line
                            x1=num(t.pos)
                            x2=num(t.pos)
                            y1=num(y0)
                            y2=num(y1)
                            stroke=GRID_COLOUR
                            stroke-width="1"
                            stroke-opacity="0.6"
                        />
                        <line
                            x1=num(t.pos)
                            x2=num(t.pos)
                            y1=num(y1)
                            y2=num(y1 + 4.0)
                            stroke=AXIS_TEXT
                        />
                        <text x=num(t.pos) y=num(y1 + 16.0) text-anchor="middle">
                            {t.label}
                        </text>
                    }
                })
                .collect_view()}
        </g>
    }
}

/// An axis title: below the plot (`vertical == false`) or rotated along its left edge.
pub fn axis_title(text: String, frame: Frame, vertical: bool) -> impl IntoView {
    if vertical {
        let (x, y) = (12.0, (frame.y0() + frame.y1()) / 2.0);
        view! {
            <text
                class="fc-axis-title"
                x=num(x)
                y=num(y)
                text-anchor="middle"
                font-size="11"
                fill=AXIS_TEXT
                transform=format!("rotate(-90 {} {})", num(x), num(y))
            >
                {text}
            </text>
        }
        .into_any()
    } else {
        view! {
            <text
                class="fc-axis-title"
                x=num((frame.x0() + frame.x1()) / 2.0)
                y=num(frame.y1() + 30.0)
                text-anchor="middle"
                font-size="11"
                fill=AXIS_TEXT
            >
                {text}
            </text>
        }
        .into_any()
    }
}

/// What stands in front of a legend label.
#[derive(Clone, Debug, PartialEq)]
pub enum LegendKey {
    Line { colour: String, dashed: bool },
    Band(String),
    Dot,
    Swatch(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub key: LegendKey,
    pub label: String,
    /// Top-left corner of the item (see [`crate::layout::legend_positions`]).
    pub x: f64,
    pub y: f64,
}

pub fn legend(items: Vec<LegendItem>) -> impl IntoView {
    view! {
        <g class="fc-legend" font-size="12" fill="#222222">
            {items
                .into_iter()
                .map(|item| {
                    let cy = item.y + 6.0;
                    let key = match item.key {
                        LegendKey::Line { colour, dashed } => {
                            view! {
                                <line
                                    x1=num(item.x)
                                    x2=num(item.x + LEGEND_KEY_WIDTH)
                                    y1=num(cy)
                                    y2=num(cy)
                                    stroke=colour
                                    stroke-width="2.5"
                                    stroke-dasharray=if dashed { "5 3" } else { "none" }
                                />
                            }
                                .into_any()
                        }
                        LegendKey::Band(colour) => {
                            view! {
                                <rect
                                    x=num(item.x)
                                    y=num(cy - 5.0)
                                    width=num(LEGEND_KEY_WIDTH)
                                    height="10"
                                    fill=colour
                                    fill-opacity="0.2"
                                />
                            }
                                .into_any()
                        }
                        LegendKey::Dot => {
                            view! {
                                <circle
                                    cx=num(item.x + LEGEND_KEY_WIDTH / 2.0)
                                    cy=num(cy)
                                    r="3.5"
                                    fill=POLL_COLOUR
                                    fill-opacity="0.55"
                                />
                            }
                                .into_any()
                        }
                        LegendKey::Swatch(colour) => {
                            view! {
                                <rect
                                    x=num(item.x + 3.0)
                                    y=num(cy - 6.0)
                                    width="12"
                                    height="12"
                                    fill=colour
                                    stroke="#999999"
                                    stroke-width="0.5"
                                />
                            }
                                .into_any()
                        }
                    };
                    view! {
                        <g class="fc-legend-item">
                            {key}
                            <text x=num(item.x + LEGEND_KEY_WIDTH + 6.0) y=num(cy + 4.0)>
                                {item.label}
                            </text>
                        </g>
                    }
                })
                .collect_view()}
        </g>
    }
}

/// A message in the middle of an empty chart ("No forecasts yet").
pub fn empty_message(text: String, frame: Frame) -> impl IntoView {
    view! {
        <text
            class="fc-empty"
            x=num(frame.width / 2.0)
            y=num(frame.height / 2.0)
            text-anchor="middle"
            font-size="14"
            fill="#666666"
        >
            {text}
        </text>
    }
}

/// The result line's colour, re-exported for legends.
pub fn result_colour() -> String {
    RESULT_COLOUR.to_string()
}

/// What every chart's layout has: its size and margins, its title, and why nothing is
/// drawn (if so).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartHead {
    pub frame: Frame,
    pub title: String,
    pub empty: Option<String>,
}

impl ChartHead {
    pub fn new(frame: Frame, title: String) -> ChartHead {
        ChartHead {
            frame,
            title,
            empty: None,
        }
    }
}

/// What the chart frame needs of a chart's layout.
pub trait ChartLayout: Clone + PartialEq + Send + Sync + 'static {
    fn head(&self) -> &ChartHead;
    /// Whether an item with this hover text is drawn (a stale detail is not shown:
    /// removed elements need not fire blur or mouseleave).
    fn has_label(&self, text: &str) -> bool;
}

/// What tells one chart's root from another's.
#[derive(Clone, Copy, Debug)]
pub struct ChartKind {
    /// The root's `data-testid`.
    pub testid: &'static str,
    /// The root's class, after `fc-chart`.
    pub class: &'static str,
    /// The detail line while nothing is hovered or focused.
    pub hint: &'static str,
    /// Where the title and detail lines start.
    pub left: f64,
}

/// A chart: the root `<svg>` (see [`ChartSvg`]) around the body that `body` draws from
/// the layout, or the layout's empty message. The body gets the detail line to set on
/// hover and focus.
pub fn chart<L, V>(
    id: String,
    kind: ChartKind,
    layout: Memo<L>,
    body: impl Fn(L, RwSignal<Option<String>>) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    L: ChartLayout,
    V: IntoView + 'static,
{
    let detail = RwSignal::new(None::<String>);
    view! {
        <ChartSvg id=id kind=kind layout=layout detail=detail>
            {move || {
                let l = layout.get();
                let head = l.head().clone();
                match head.empty {
                    Some(message) => {
                        view! { <g class="fc-body">{empty_message(message, head.frame)}</g> }
                            .into_any()
                    }
                    None => body(l, detail).into_any(),
                }
            }}
        </ChartSvg>
    }
}

/// The root `<svg>` of every chart: its id (for SVG download) and test id, a `<title>`
/// for screen readers, the same title drawn, and a live line for the details of the
/// hovered or focused item (`hint` when there is none). The chart's body goes inside.
#[component]
fn ChartSvg<L: ChartLayout>(
    id: String,
    kind: ChartKind,
    layout: Memo<L>,
    detail: RwSignal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let ChartKind {
        testid,
        class,
        hint,
        left,
    } = kind;
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let title = move || layout.with(|l| l.head().title.clone());
    let shown = move || {
        detail
            .get()
            .filter(|text| layout.with(|l| l.has_label(text)))
            .unwrap_or_else(|| hint.to_string())
    };
    view! {
        <svg
            id=id
            data-testid=testid
            class=format!("fc-chart {class}")
            width="100%"
            viewBox=move || layout.with(|l| l.head().frame.view_box())
            preserveAspectRatio="xMidYMid meet"
            aria-labelledby=labelled_by
            font-family=FONT
            font-size="12"
        >
            <title id=title_id>{title}</title>
            <text class="fc-title" x=num(left) y="18" font-size="14" font-weight="600" fill="#111111">
                {title}
            </text>
            <text class="fc-detail" x=num(left) y="36" font-size="12" fill="#333333" aria-live="polite">
                {shown}
            </text>
            {children()}
        </svg>
    }
}
