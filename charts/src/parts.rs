//! View pieces shared by the charts: the frame (root `<svg>`, title and details box),
//! keyboard focus among a chart's items, axes with grid lines, legends, model lines and
//! bands, empty-state text. Labels are text nodes (Leptos escapes them), or escaped
//! with [`crate::format::escape`] in the markup of a body of many items
//! ([`Items::markup_group`]).

use leptos::attr::Attribute;
use leptos::ev;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;

use crate::colour::{
    model_colour, FOCUS_COLOUR, GRID_COLOUR, POLL_COLOUR, RESULT_COLOUR, SELECTED_COLOUR,
};
use crate::layout::{Frame, Mark, ModelSeries, PlacedTick, LEGEND_KEY_WIDTH};
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

/// Model bands (90 % intervals), one `<g class="fc-band" data-model=...>` each, drawn
/// under everything else.
pub fn model_bands(series: &[ModelSeries]) -> impl IntoView {
    let bands = series
        .iter()
        .map(|s| {
            let colour = model_colour(s.model);
            let bar = s.bar.map(|(bx, top, bottom)| {
                view! {
                    <line
                        x1=num(bx)
                        x2=num(bx)
                        y1=num(top)
                        y2=num(bottom)
                        stroke=colour
                        stroke-opacity="0.35"
                        stroke-width="8"
                    />
                }
            });
            view! {
                <g class="fc-band" data-model=s.model.name()>
                    <path d=s.band.clone() fill=colour fill-opacity="0.15" stroke="none" />
                    {bar}
                </g>
            }
        })
        .collect_view();
    view! { <g class="fc-bands">{bands}</g> }
}

/// Model lines, one `<g class="fc-series" data-model=...>` each, with its marks drawn by
/// `mark` (which gets the mark and the model's colour), in order.
pub fn model_lines<V: IntoView + 'static>(
    series: Vec<ModelSeries>,
    mut mark: impl FnMut(Mark, &'static str) -> V,
) -> AnyView {
    let lines = series
        .into_iter()
        .map(|s| {
            let colour = model_colour(s.model);
            let marks = s
                .marks
                .into_iter()
                .map(|m| mark(m, colour))
                .collect_view();
            view! {
                <g class="fc-series" data-model=s.model.name()>
                    <path d=s.line fill="none" stroke=colour stroke-width="2.25" stroke-linejoin="round">
                        {svg_title(format!("{} forecast", s.model.label()))}
                    </path>
                    {marks}
                </g>
            }
        })
        .collect_view();
    // A concrete type: the view is built here and keeps no borrow of `mark`.
    view! { <g class="fc-lines">{lines}</g> }.into_any()
}

/// What every chart's layout has: its size and margins, its title, a summary of what it
/// shows, and why nothing is drawn (if so).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartHead {
    pub frame: Frame,
    pub title: String,
    /// The chart's text alternative: a few sentences computed from the data drawn, the
    /// root's description for screen readers (its `<desc>`).
    pub summary: String,
    pub empty: Option<String>,
}

impl ChartHead {
    pub fn new(frame: Frame, title: String) -> ChartHead {
        ChartHead {
            frame,
            title,
            summary: String::new(),
            empty: None,
        }
    }

    /// The description read out: the summary, or why nothing is drawn.
    pub fn description(&self) -> String {
        match &self.empty {
            Some(why) => why.clone(),
            None => self.summary.clone(),
        }
    }
}

/// An SVG `<title>`: the name of its parent for screen readers and its tooltip. Built
/// here, not in `view!`, which makes an ambiguous `<title>` an HTML element wherever its
/// parent has more than one child, and an HTML `<title>` names nothing.
pub fn svg_title(text: impl IntoView + 'static) -> impl IntoView {
    leptos::svg::title().child(text)
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
    /// The root's `data-testid`, and the wrapper's `data-chart`.
    pub testid: &'static str,
    /// The root's class, after `fc-chart`.
    pub class: &'static str,
    /// The details box's text while nothing is hovered, focused or tapped.
    pub hint: &'static str,
    /// Where the title starts.
    pub left: f64,
}

/// Where the focus moves from item `current` of `len` on `key` (roving tabindex): the
/// arrows step to the next or previous item and stop at the ends, Home and End jump
/// there; `None` for any other key.
pub fn roving_target(key: &str, current: usize, len: usize) -> Option<usize> {
    let last = len.checked_sub(1)?;
    let current = current.min(last);
    match key {
        "ArrowRight" | "ArrowDown" => Some((current + 1).min(last)),
        "ArrowLeft" | "ArrowUp" => Some(current.saturating_sub(1)),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// The item that takes Tab: the last one focused, else the preferred one (the
/// selection), else the first; indices past the end (items of an earlier layout) do not
/// count.
pub fn tab_stop(last_focused: Option<usize>, preferred: Option<usize>, len: usize) -> usize {
    last_focused
        .filter(|&i| i < len)
        .or(preferred.filter(|&i| i < len))
        .unwrap_or(0)
}

/// What a chart's items share with its frame: the texts for the details box (hovered,
/// and focused or tapped), and the keyboard focus among the items.
#[derive(Clone, Copy, Debug)]
pub struct Interaction {
    hovered: RwSignal<Option<String>>,
    /// The focused item's text, or the last one clicked or tapped (a tap need not focus).
    focused: RwSignal<Option<String>>,
    /// The item focused last: it keeps the tab stop.
    last_focused: RwSignal<Option<usize>>,
    /// The item with a focus ring: focused from the keyboard (`:focus-visible`).
    ring: RwSignal<Option<usize>>,
}

impl Interaction {
    fn new() -> Interaction {
        Interaction {
            hovered: RwSignal::new(None),
            focused: RwSignal::new(None),
            last_focused: RwSignal::new(None),
            ring: RwSignal::new(None),
        }
    }

    /// The text the details box shows, hovered before focused, among the texts that
    /// `drawn` still draws.
    fn shown(&self, drawn: impl Fn(&str) -> bool) -> Option<String> {
        [self.hovered.get(), self.focused.get()]
            .into_iter()
            .flatten()
            .find(|text| drawn(text))
    }

    /// Whether the details box shows `text` (for labels drawn only while their item is
    /// hovered or focused).
    pub fn is_shown(&self, text: &str) -> bool {
        let hovered = self.hovered.with(|h| h.as_deref().map(|h| h == text));
        hovered.unwrap_or_else(|| self.focused.with(|f| f.as_deref() == Some(text)))
    }

    /// The focusable items of a body: `len` of them, indexed from 0 in keyboard order;
    /// `preferred` names the one that takes Tab before any has had focus.
    pub fn items(
        self,
        len: usize,
        preferred: impl Fn() -> Option<usize> + Send + Sync + 'static,
    ) -> Items {
        let last_focused = self.last_focused;
        let tab_stop = Memo::new(move |_| tab_stop(last_focused.get(), preferred(), len));
        Items {
            ui: self,
            len,
            tab_stop,
        }
    }

    /// Hover and tap only, for marks that repeat a focusable item's details.
    pub fn hover_attrs(self, text: String) -> impl Attribute {
        let (enter, tap) = (text.clone(), text);
        let Interaction {
            hovered, focused, ..
        } = self;
        view! {
            <{..}
                on:mouseenter=move |_| hovered.set(Some(enter.clone()))
                on:mouseleave=move |_| hovered.set(None)
                on:click=move |_| focused.set(Some(tap.clone()))
            />
        }
    }
}

/// The focusable items of a chart's body (see [`Interaction::items`]).
#[derive(Clone, Copy, Debug)]
pub struct Items {
    ui: Interaction,
    len: usize,
    tab_stop: Memo<usize>,
}

/// The shape a focus ring goes around.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outline {
    Rect {
        x: f64,
        y: f64,
        width: f64,
        height: f64,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
    },
}

/// How far outside its item a focus ring runs.
const RING_GAP: f64 = 3.0;

impl Items {
    /// The attributes of item `i` with details `text`: `data-fc-item`, the roving
    /// tabindex, arrow keys, Home and End, and `action` on click, Enter and Space.
    /// Hovering, focusing, clicking or tapping it shows `text` in the details box.
    pub fn attrs(self, i: usize, text: String, action: Option<Callback<()>>) -> impl Attribute {
        let Items { ui, len, tab_stop } = self;
        let (enter, focus, tap) = (text.clone(), text.clone(), text);
        view! {
            <{..}
                data-fc-item=i.to_string()
                tabindex=move || if tab_stop.get() == i { "0" } else { "-1" }
                on:mouseenter=move |_| ui.hovered.set(Some(enter.clone()))
                on:mouseleave=move |_| ui.hovered.set(None)
                on:focus=move |ev: ev::FocusEvent| {
                    ui.last_focused.set(Some(i));
                    ui.ring.set(focus_visible(&ev).then_some(i));
                    ui.focused.set(Some(focus.clone()));
                }
                on:blur=move |_| {
                    ui.ring.update(|r| {
                        if *r == Some(i) {
                            *r = None;
                        }
                    });
                    ui.focused.set(None);
                }
                on:click=move |_| {
                    ui.focused.set(Some(tap.clone()));
                    if let Some(action) = action {
                        action.run(());
                    }
                }
                on:keydown=move |ev: ev::KeyboardEvent| {
                    on_item_key(&ev, i, len, action.map(|a| move || a.run(())))
                }
            />
        }
    }

    /// The ring around the item with keyboard focus, drawn over everything (put it last
    /// in the body); `outlines[i]` is item `i`'s shape.
    pub fn focus_ring(self, outlines: Vec<Outline>) -> impl IntoView {
        let ring = self.ui.ring;
        move || {
            let outline = ring.get().and_then(|i| outlines.get(i).copied())?;
            let shape = |stroke: &'static str, width: &'static str| match outline {
                Outline::Rect {
                    x,
                    y,
                    width: w,
                    height: h,
                } => view! {
                    <rect
                        x=num(x - RING_GAP)
                        y=num(y - RING_GAP)
                        width=num(w.max(0.0) + 2.0 * RING_GAP)
                        height=num(h.max(0.0) + 2.0 * RING_GAP)
                        rx="3"
                        fill="none"
                        stroke=stroke
                        stroke-width=width
                    />
                }
                .into_any(),
                Outline::Circle { cx, cy, r } => view! {
                    <circle
                        cx=num(cx)
                        cy=num(cy)
                        r=num(r.max(0.0) + RING_GAP)
                        fill="none"
                        stroke=stroke
                        stroke-width=width
                    />
                }
                .into_any(),
            };
            Some(view! {
                <g class="fc-focus-ring" pointer-events="none">
                    {shape("#ffffff", "5")}
                    {shape(FOCUS_COLOUR, "2.5")}
                </g>
            })
        }
    }
}

/// `on_select` of the value at an item's index: the action of a markup body whose items
/// stand for `values` (see [`Items::markup_group`]).
pub fn action_by_index<T: Copy + Send + Sync + 'static>(
    on_select: Option<Callback<T>>,
    values: Vec<T>,
) -> Option<Callback<usize>> {
    on_select.map(|cb| {
        Callback::new(move |i: usize| {
            if let Some(&value) = values.get(i) {
                cb.run(value);
            }
        })
    })
}

/// The outline of the chosen item, drawn over its neighbours (an outline drawn with the
/// item would be partly hidden by the items after it).
pub fn selected_outline(x: f64, y: f64, width: f64, height: f64, rx: f64) -> impl IntoView {
    view! {
        <rect
            class="fc-selected"
            x=num(x)
            y=num(y)
            width=num(width)
            height=num(height)
            rx=num(rx)
            fill="none"
            stroke=SELECTED_COLOUR
            stroke-width="3"
            pointer-events="none"
        />
    }
}

/// What an element of a markup body is: `data-fc-item` (focusable) or `data-fc-hover`
/// (hover and tap only), and its index.
fn markup_target(ev: &web_sys::Event) -> Option<(bool, usize)> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let el = target
        .closest("[data-fc-item],[data-fc-hover]")
        .ok()
        .flatten()?;
    if let Some(i) = el.get_attribute("data-fc-item") {
        return Some((true, i.parse().ok()?));
    }
    let i = el.get_attribute("data-fc-hover")?.parse().ok()?;
    Some((false, i))
}

impl Items {
    /// Item `i`'s attributes in markup (see [`Items::markup_group`]): its index and its
    /// place in the roving tabindex.
    pub fn markup_attrs(&self, i: usize) -> String {
        let tab = if self.tab_stop.get_untracked() == i {
            0
        } else {
            -1
        };
        format!(" data-fc-item=\"{i}\" tabindex=\"{tab}\"")
    }

    /// A body's items as one string of SVG markup in a `<g class=class>`: for hundreds
    /// of items, the browser parses them at once instead of taking each element and
    /// attribute from the module, and one listener per kind of event on the group serves
    /// them all. Items carry [`Items::markup_attrs`]; marks that only answer the pointer
    /// carry `data-fc-hover="i"`. Either shows `texts[i]` in the details box, as
    /// [`Items::attrs`] and [`Interaction::hover_attrs`] do; `action` runs with the item's
    /// index on click, Enter and Space; `pressed`, when given, keeps `aria-pressed` of
    /// the items (buttons) true on that index only. Text in `markup` must be escaped
    /// ([`crate::format::escape`]).
    pub fn markup_group(
        self,
        class: &'static str,
        markup: String,
        texts: Vec<String>,
        action: Option<Callback<usize>>,
        pressed: Option<Signal<Option<usize>>>,
    ) -> impl IntoView {
        let Items { ui, len, tab_stop } = self;
        let texts = std::sync::Arc::new(texts);
        let text = move |i: usize| texts.get(i).cloned();
        let (over, focus, click) = (text.clone(), text.clone(), text);
        // The roving tab stop follows the focus, here or on the body's other items.
        let group = NodeRef::<leptos::svg::G>::new();
        // Effects need the browser's executor; rendered to HTML (tests) the markup has
        // the tab stop already.
        if cfg!(target_arch = "wasm32") {
            Effect::new(move |_| {
                let stop = tab_stop.get();
                let Some(group) = group.get() else {
                    return;
                };
                if let Ok(Some(old)) = group.query_selector("[data-fc-item][tabindex=\"0\"]") {
                    let _ = old.set_attribute("tabindex", "-1");
                }
                if let Ok(Some(new)) = group.query_selector(&format!("[data-fc-item=\"{stop}\"]")) {
                    let _ = new.set_attribute("tabindex", "0");
                }
            });
            if let Some(pressed) = pressed {
                Effect::new(move |before: Option<Option<usize>>| {
                    let now = pressed.get();
                    if let Some(group) = group.get() {
                        for (i, value) in [(before.flatten(), "false"), (now, "true")] {
                            let item = i.and_then(|i| {
                                group
                                    .query_selector(&format!("[data-fc-item=\"{i}\"]"))
                                    .ok()
                                    .flatten()
                            });
                            if let Some(item) = item {
                                let _ = item.set_attribute("aria-pressed", value);
                            }
                        }
                    }
                    now
                });
            }
        }
        view! {
            <g
                node_ref=group
                class=class
                inner_html=markup
                on:mouseover=move |ev: ev::MouseEvent| {
                    if let Some((_, i)) = markup_target(&ev) {
                        ui.hovered.set(over(i));
                    }
                }
                on:mouseout=move |ev: ev::MouseEvent| {
                    if markup_target(&ev).is_some() {
                        ui.hovered.set(None);
                    }
                }
                on:focusin=move |ev: ev::FocusEvent| {
                    let Some((true, i)) = markup_target(&ev) else {
                        return;
                    };
                    ui.last_focused.set(Some(i));
                    ui.ring.set(focus_visible(&ev).then_some(i));
                    ui.focused.set(focus(i));
                }
                on:focusout=move |ev: ev::FocusEvent| {
                    let Some((true, i)) = markup_target(&ev) else {
                        return;
                    };
                    ui.ring.update(|r| {
                        if *r == Some(i) {
                            *r = None;
                        }
                    });
                    ui.focused.set(None);
                }
                on:click=move |ev: ev::MouseEvent| {
                    let Some((item, i)) = markup_target(&ev) else {
                        return;
                    };
                    ui.focused.set(click(i));
                    if let Some(action) = action.filter(|_| item) {
                        action.run(i);
                    }
                }
                on:keydown=move |ev: ev::KeyboardEvent| {
                    if let Some((true, i)) = markup_target(&ev) {
                        on_item_key(&ev, i, len, action.map(|a| move || a.run(i)));
                    }
                }
            />
        }
    }
}

/// Moves the focus on arrows, Home and End; runs `action` on Enter and Space.
fn on_item_key(ev: &ev::KeyboardEvent, i: usize, len: usize, action: Option<impl FnOnce()>) {
    if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
        // Browser and screen-reader shortcuts (Alt+Left is Back).
        return;
    }
    let key = ev.key();
    if let Some(target) = roving_target(&key, i, len) {
        ev.prevent_default();
        focus_item(ev, target);
    } else if let Some(action) = action.filter(|_| key == "Enter" || key == " ") {
        ev.prevent_default();
        action();
    }
}

/// Focuses item `index` of the chart whose item got `ev`: found from the root `<svg>`,
/// which holds one list of items.
fn focus_item(ev: &web_sys::Event, index: usize) {
    let root = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("svg").ok().flatten());
    if let Some(root) = root {
        focus_in(&root, index);
    }
}

fn focus_in(root: &web_sys::Element, index: usize) {
    let item = root
        .query_selector(&format!("[data-fc-item=\"{index}\"]"))
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::SvgElement>().ok());
    if let Some(item) = item {
        let _ = item.focus();
    }
}

/// The index of the item of the chart with root id `id` that has the focus, if one has.
fn focused_item(id: &str) -> Option<usize> {
    // Outside the browser (rendering to HTML in tests) nothing has focus, and the
    // DOM bindings would panic.
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    let active = web_sys::window()?.document()?.active_element()?;
    let root = active.closest("svg").ok()??;
    if root.id() != id {
        return None;
    }
    active.get_attribute("data-fc-item")?.parse().ok()
}

/// Focuses item `index` of the chart `id` once the new body is in the page.
fn refocus(id: String, index: usize) {
    request_animation_frame(move || {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id));
        if let Some(root) = root {
            focus_in(&root, index);
        }
    });
}

/// Whether the browser shows focus for this focus event (keyboard, not a click); true
/// where it cannot tell.
fn focus_visible(ev: &web_sys::FocusEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_none_or(|el| el.matches(":focus-visible").unwrap_or(true))
}

/// A chart: the root `<svg>` (see [`ChartSvg`]) around the body that `body` draws from
/// the layout, or the layout's empty message, and the details box after it. The body
/// gets the [`Interaction`] its items share.
pub fn chart<L, V>(
    id: String,
    kind: ChartKind,
    layout: Memo<L>,
    body: impl Fn(L, Interaction) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    L: ChartLayout,
    V: IntoView + 'static,
{
    let ui = Interaction::new();
    let root_id = id.clone();
    view! {
        <ChartSvg id=id kind=kind layout=layout ui=ui>
            {move || {
                let l = layout.get();
                // A new body replaces the focused element without a blur event, and
                // would leave the keyboard user outside the chart (after Enter pins a
                // state, say): the item at the same place takes the focus instead.
                ui.ring.set(None);
                if let Some(index) = focused_item(&root_id) {
                    refocus(root_id.clone(), index);
                }
                let head = l.head().clone();
                match head.empty {
                    Some(message) => {
                        view! { <g class="fc-body">{empty_message(message, head.frame)}</g> }
                            .into_any()
                    }
                    None => body(l, ui).into_any(),
                }
            }}
        </ChartSvg>
    }
}

/// Every chart's frame: a `<div class="fc-chart-wrap" data-chart=testid>` holding the
/// root `<svg>` (its id for SVG download, its test id, a `<title>` naming it for screen
/// readers, a `<desc>` summarising it, and the title drawn; the chart's body inside) and,
/// after it, the details box
/// `<p class="fc-detail" data-testid="chart-details">`: the hovered, focused or tapped
/// item's text (`hint` when there is none), as HTML so that it wraps to the chart's
/// width.
#[component]
fn ChartSvg<L: ChartLayout>(
    id: String,
    kind: ChartKind,
    layout: Memo<L>,
    ui: Interaction,
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
    let desc_id = format!("{id}-desc");
    let described_by = desc_id.clone();
    let title = move || layout.with(|l| l.head().title.clone());
    let description = move || layout.with(|l| l.head().description());
    let shown = move || {
        ui.shown(|text| layout.with(|l| l.has_label(text)))
            .unwrap_or_else(|| hint.to_string())
    };
    view! {
        <div class="fc-chart-wrap" data-chart=testid>
            <svg
                id=id
                data-testid=testid
                class=format!("fc-chart {class}")
                width="100%"
                viewBox=move || layout.with(|l| l.head().frame.view_box())
                preserveAspectRatio="xMidYMid meet"
                role="group"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                font-family=FONT
                font-size="12"
            >
                {leptos::svg::title().id(title_id).child(title)}
                <desc id=desc_id>{description}</desc>
                <text class="fc-title" x=num(left) y="18" font-size="14" font-weight="600" fill="#111111" aria-hidden="true">
                    {title}
                </text>
                {children()}
            </svg>
            <p class="fc-detail" data-testid="chart-details" aria-live="polite">
                {shown}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_step_and_stop_at_the_ends() {
        assert_eq!(roving_target("ArrowRight", 0, 3), Some(1));
        assert_eq!(roving_target("ArrowDown", 1, 3), Some(2));
        assert_eq!(roving_target("ArrowRight", 2, 3), Some(2));
        assert_eq!(roving_target("ArrowLeft", 2, 3), Some(1));
        assert_eq!(roving_target("ArrowUp", 0, 3), Some(0));
        assert_eq!(roving_target("Home", 2, 3), Some(0));
        assert_eq!(roving_target("End", 0, 3), Some(2));
        assert_eq!(roving_target("Enter", 0, 3), None);
        assert_eq!(roving_target("a", 0, 3), None);
        // No items, or an index from a longer, earlier list.
        assert_eq!(roving_target("ArrowRight", 0, 0), None);
        assert_eq!(roving_target("ArrowLeft", 9, 3), Some(1));
        assert_eq!(roving_target("ArrowRight", usize::MAX, 3), Some(2));
    }

    #[test]
    fn the_tab_stop_is_the_last_focused_then_the_selected_then_the_first() {
        assert_eq!(tab_stop(None, None, 5), 0);
        assert_eq!(tab_stop(None, Some(3), 5), 3);
        assert_eq!(tab_stop(Some(1), Some(3), 5), 1);
        assert_eq!(tab_stop(Some(7), Some(3), 5), 3);
        assert_eq!(tab_stop(Some(7), Some(9), 5), 0);
        assert_eq!(tab_stop(None, None, 0), 0);
    }
}
