//! The tile map: one square per state and DC, coloured by the selected model's win
//! probability on the selected forecast date; grey with the reason where there is none.

use std::fmt::Write;

use chrono::NaiveDate;
use forecast_engine::plan::ExcludedState;
use forecast_engine::{ForecastRow, ModelKind, State};
use leptos::prelude::*;

use crate::colour::{legend_swatches, text_colour_on, win_colour, NO_FORECAST_COLOUR};
use crate::format;
use crate::layout::Frame;
use crate::parts::{self, chart, ChartHead, ChartKind, ChartLayout, Interaction, Outline};
use crate::path::num;
use crate::tiles::{tile_position, COLUMNS, ROWS};

/// One state's tile, placed.
#[derive(Clone, Debug, PartialEq)]
pub struct Tile {
    pub state: State,
    pub x: f64,
    pub y: f64,
    /// The forecast's win probability; `None` draws the tile grey.
    pub win: Option<f64>,
    pub fill: String,
    pub text_fill: &'static str,
    /// The short number under the code (`73%`), empty when grey.
    pub value: String,
    /// Hover text: state, model, date, probability and margin, or why there is none.
    pub label: String,
    pub reason: Option<String>,
}

/// A step of the colour legend.
#[derive(Clone, Debug, PartialEq)]
pub struct Swatch {
    pub x: f64,
    pub fill: String,
    pub label: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MapLayout {
    pub head: ChartHead,
    pub tiles: Vec<Tile>,
    pub legend_y: f64,
    pub swatches: Vec<Swatch>,
    pub swatch_width: f64,
    /// Where the grey "no forecast" key goes.
    pub no_forecast_x: f64,
}

pub const TILE: f64 = 48.0;
const GAP: f64 = 4.0;
const LEFT: f64 = 14.0;
const TOP: f64 = 48.0;

/// Places the tiles. `rows` may hold every model and date; the map keeps `model` on
/// `date`. `excluded` tells why a state was left out of the run.
pub fn layout_map(
    rows: &[ForecastRow],
    model: Option<ModelKind>,
    date: Option<NaiveDate>,
    excluded: &[ExcludedState],
) -> MapLayout {
    let pitch = TILE + GAP;
    let grid_w = COLUMNS as f64 * pitch - GAP;
    let grid_h = ROWS as f64 * pitch - GAP;
    let legend_y = TOP + grid_h + 30.0;
    let frame = Frame {
        width: LEFT * 2.0 + grid_w,
        height: legend_y + 44.0,
        left: LEFT,
        right: LEFT,
        top: TOP,
        bottom: 0.0,
    };
    let title = match (model, date) {
        (Some(m), Some(d)) => format!(
            "Chance the Democrat wins: {}, forecast of {}",
            m.label(),
            format::long_date(d)
        ),
        _ => "Chance the Democrat wins (no forecast selected)".to_string(),
    };

    // The chosen cell of each state, in one pass over the rows.
    let mut chosen: [Option<&ForecastRow>; 51] = [None; 51];
    let mut has_model_rows = [false; 51];
    if let (Some(m), Some(d)) = (model, date) {
        for row in rows.iter().filter(|r| r.model == m) {
            let i = row.state.index();
            if let Some(flag) = has_model_rows.get_mut(i) {
                *flag = true;
            }
            if row.forecast_date == d {
                if let Some(slot) = chosen.get_mut(i) {
                    slot.get_or_insert(row);
                }
            }
        }
    }

    // In reading order (row by row, west to east): the arrow keys step through them so.
    let mut states: Vec<State> = State::all().collect();
    states.sort_by_key(|&s| {
        let (col, row) = tile_position(s);
        (row, col)
    });
    let tiles: Vec<Tile> = states
        .into_iter()
        .map(|state| {
            let (col, row) = tile_position(state);
            let (x, y) = (LEFT + col as f64 * pitch, TOP + row as f64 * pitch);
            let i = state.index();
            let found = chosen.get(i).copied().flatten();
            match (found, model, date) {
                (Some(r), Some(m), Some(d)) => {
                    let p = r.win_probability;
                    let (lo, hi) = r.band_90();
                    Tile {
                        state,
                        x,
                        y,
                        win: Some(p),
                        fill: win_colour(p),
                        text_fill: text_colour_on(p),
                        value: format::percent_with(p, 0),
                        label: format!(
                            "{}: {}, {}: P(Democrat wins) {}{}, predicted margin {} (90% band {} to {}), {}",
                            state.name(),
                            m.label(),
                            format::long_date(d),
                            format::percent(p),
                            if m.at_bound(p) {
                                format!(" ({})", format::cap_note(m))
                            } else {
                                String::new()
                            },
                            format::margin(r.predicted_margin),
                            format::margin(lo),
                            format::margin(hi),
                            r.actual_margin.map_or("result not in yet".to_string(), |m| {
                                format!("result {}", format::margin(m))
                            })
                        ),
                        reason: None,
                    }
                }
                _ => {
                    let reason = if let Some(e) = excluded.iter().find(|e| e.state == state) {
                        format!("left out of the run: {}", e.reason)
                    } else if model.is_none() || date.is_none() {
                        "no model and forecast date selected".to_string()
                    } else if has_model_rows.get(i).copied().unwrap_or(false) {
                        "no forecast on this date (too few polls by then)".to_string()
                    } else {
                        "no forecast for this state from this model".to_string()
                    };
                    Tile {
                        state,
                        x,
                        y,
                        win: None,
                        fill: NO_FORECAST_COLOUR.to_string(),
                        text_fill: "#333333",
                        value: String::new(),
                        label: format!("{}: no forecast, {reason}", state.name()),
                        reason: Some(reason),
                    }
                }
            }
        })
        .collect();

    let swatch_width = 30.0;
    let swatches = legend_swatches(10)
        .into_iter()
        .enumerate()
        .map(|(i, (p, fill))| Swatch {
            x: LEFT + i as f64 * swatch_width,
            fill,
            label: (i % 5 == 0).then(|| format::percent_with(p, 0)),
        })
        .collect::<Vec<_>>();
    let no_forecast_x = LEFT + swatches.len() as f64 * swatch_width + 40.0;
    let mut head = ChartHead::new(frame, title);
    head.summary = map_summary(&tiles);
    MapLayout {
        head,
        tiles,
        legend_y,
        swatches,
        swatch_width,
        no_forecast_x,
    }
}

/// States named as the closest races in the map's summary.
const CLOSEST_NAMED: usize = 3;

/// The map's text alternative: how many states each side is favoured in (a chance above
/// or below one half), how many have no forecast, and the closest races.
pub fn map_summary(tiles: &[Tile]) -> String {
    let wins: Vec<(State, f64)> = tiles
        .iter()
        .filter_map(|t| t.win.map(|p| (t.state, p)))
        .collect();
    let mut text = format!(
        "Map of {} states (with DC) coloured by the chance the Democrat wins",
        tiles.len()
    );
    if wins.is_empty() {
        text.push_str(": no forecast to show.");
        return text;
    }
    let dem = wins.iter().filter(|(_, p)| *p > 0.5).count();
    let rep = wins.iter().filter(|(_, p)| *p < 0.5).count();
    let even = wins.len() - dem - rep;
    text.push_str(&format!(
        ": the Democrat favoured in {dem}, the Republican favoured in {rep}"
    ));
    if even > 0 {
        text.push_str(&format!(", even in {even}"));
    }
    let none = tiles.len() - wins.len();
    if none > 0 {
        text.push_str(&format!(", no forecast for {none}"));
    }
    let mut closest = wins;
    closest.sort_by(|a, b| {
        (a.1 - 0.5)
            .abs()
            .total_cmp(&(b.1 - 0.5).abs())
            .then(a.0.cmp(&b.0))
    });
    let named: Vec<String> = closest
        .iter()
        .take(CLOSEST_NAMED)
        .map(|(s, p)| format!("{} {}", s.name(), format::percent(*p)))
        .collect();
    text.push_str(&format!(". Closest: {}.", named.join(", ")));
    text
}

impl ChartLayout for MapLayout {
    fn head(&self) -> &ChartHead {
        &self.head
    }

    fn has_label(&self, text: &str) -> bool {
        self.tiles.iter().any(|t| t.label == text)
    }
}

const KIND: ChartKind = ChartKind {
    testid: "map",
    class: "fc-map",
    hint: "Hover over, tap or focus a state for its numbers (Tab, then the arrow keys); \
           click or press Enter to open its chart",
    left: LEFT,
};

/// The tile map. Renders `<svg data-testid="map" id=...>` with one
/// `<g data-state="FL" data-win="0.73…">` per state and DC (51), in reading order:
/// `data-win` is the win probability in full precision (as `format!("{}", p)`), empty
/// for grey tiles, which also carry `data-reason`. One tile is a tab stop (the selected
/// one, else the first); the arrow keys, Home and End move among them.
///
/// - `rows`: forecast rows (any models and dates; the map keeps `model` on `date`).
/// - `model`, `date`: which forecast to colour by.
/// - `excluded`: states left out of the run, with why (`plan.excluded`).
/// - `on_select`: called with the state on click, Enter or Space.
/// - `selected`: outlined tile.
/// - `id`: the root `<svg>`'s id (default `map-svg`).
#[component]
pub fn TileMap(
    #[prop(into)] rows: Signal<Vec<ForecastRow>>,
    #[prop(into)] model: Signal<Option<ModelKind>>,
    #[prop(into)] date: Signal<Option<NaiveDate>>,
    #[prop(optional, into)] excluded: Option<Signal<Vec<ExcludedState>>>,
    #[prop(optional, into)] on_select: Option<Callback<State>>,
    #[prop(optional, into)] selected: Option<Signal<Option<State>>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| "map-svg".to_string());
    let layout = Memo::new(move |_| {
        let excluded = excluded.map(|e| e.get()).unwrap_or_default();
        rows.with(|rows| layout_map(rows, model.get(), date.get(), &excluded))
    });
    chart(id, KIND, layout, move |l, ui| {
        map_body(l, ui, on_select, selected)
    })
}

fn map_body(
    l: MapLayout,
    ui: Interaction,
    on_select: Option<Callback<State>>,
    selected: Option<Signal<Option<State>>>,
) -> impl IntoView {
    let states: Vec<State> = l.tiles.iter().map(|t| t.state).collect();
    let order = states.clone();
    let selected_index = move || {
        let state = selected?.get()?;
        order.iter().position(|&s| s == state)
    };
    let items = ui.items(l.tiles.len(), selected_index.clone());
    let outlines = l
        .tiles
        .iter()
        .map(|t| Outline::Rect {
            x: t.x,
            y: t.y,
            width: TILE,
            height: TILE,
        })
        .collect();
    // The tiles as one string of markup (see `Items::markup_group`); the selection is
    // an outline of its own over them.
    let pressed = selected.map(|_| Signal::derive(selected_index.clone()));
    let boxes: Vec<(f64, f64)> = l.tiles.iter().map(|t| (t.x, t.y)).collect();
    let initially = selected_index.clone()();
    let mut markup = String::with_capacity(l.tiles.len() * 700);
    for (i, t) in l.tiles.iter().enumerate() {
        let _ = write!(
            markup,
            "<g class=\"fc-tile{}\" data-state=\"{code}\" data-win=\"{}\"{} role=\"button\" \
             aria-pressed=\"{}\" cursor=\"pointer\"{}><title>{}</title>\
             <rect x=\"{}\" y=\"{}\" width=\"{tile}\" height=\"{tile}\" rx=\"4\" fill=\"{}\" \
             stroke=\"#ffffff\" stroke-width=\"1\"/>\
             <text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" \
             font-weight=\"600\" fill=\"{fill}\">{code}</text>\
             <text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" \
             fill=\"{fill}\">{}</text></g>",
            if t.win.is_none() {
                " fc-no-forecast"
            } else {
                ""
            },
            t.win.map(|p| format!("{p}")).unwrap_or_default(),
            t.reason
                .as_deref()
                .map(|r| format!(" data-reason=\"{}\"", format::escape(r)))
                .unwrap_or_default(),
            initially == Some(i),
            items.markup_attrs(i),
            format::escape(&t.label),
            num(t.x),
            num(t.y),
            format::escape(&t.fill),
            num(t.y + TILE / 2.0 - 2.0),
            num(t.y + TILE / 2.0 + 14.0),
            format::escape(&t.value),
            code = t.state.code(),
            tile = num(TILE),
            cx = num(t.x + TILE / 2.0),
            fill = t.text_fill,
        );
    }
    let texts = l.tiles.into_iter().map(|t| t.label).collect();
    let action = parts::action_by_index(on_select, states);
    let tiles = items.markup_group("fc-tile-items", markup, texts, action, pressed);
    let selected_outline = move || {
        let (x, y) = boxes.get(selected_index()?).copied()?;
        Some(parts::selected_outline(x, y, TILE, TILE, 4.0))
    };
    let y = l.legend_y;
    let w = l.swatch_width;
    let swatches = l
        .swatches
        .into_iter()
        .map(|s| {
            let label = s.label.map(|text| {
                view! {
                    <text x=num(s.x + w / 2.0) y=num(y + 30.0) text-anchor="middle" font-size="11">
                        {text}
                    </text>
                }
            });
            view! {
                <rect x=num(s.x) y=num(y) width=num(w) height="14" fill=s.fill />
                {label}
            }
        })
        .collect_view();
    view! {
        <g class="fc-tiles" role="group" aria-label="States">
            {tiles}
        </g>
        {selected_outline}
        <g class="fc-legend" fill="#222222">
            <text x=num(LEFT) y=num(y - 6.0) font-size="12">
                "Chance the Democrat wins (red: Republican favoured, blue: Democrat favoured)"
            </text>
            {swatches}
            <rect
                x=num(l.no_forecast_x)
                y=num(y)
                width="14"
                height="14"
                fill=NO_FORECAST_COLOUR
            />
            <text x=num(l.no_forecast_x + 20.0) y=num(y + 11.0) font-size="12">
                "No forecast (hover for why)"
            </text>
        </g>
        {items.focus_ring(outlines)}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2016, 10, day).unwrap()
    }

    fn row(state: &str, model: ModelKind, day: u32, p: f64) -> ForecastRow {
        ForecastRow {
            model,
            state: State::parse(state).unwrap(),
            forecast_date: d(day),
            win_probability: p,
            predicted_margin: 0.02,
            margin_std: 0.03,
            actual_margin: Some(-0.01),
        }
    }

    #[test]
    fn one_tile_per_state_coloured_by_the_chosen_cell() {
        let rows = vec![
            row("FL", ModelKind::PollAverage, 1, 0.25),
            row("FL", ModelKind::PollAverage, 2, 0.7341),
            row("FL", ModelKind::ImprovedKalman, 2, 0.99),
            row("TX", ModelKind::PollAverage, 1, 0.1),
        ];
        let excluded = vec![ExcludedState {
            state: State::parse("WY").unwrap(),
            polls: 2,
            reason: "2 polls, fewer than the minimum of 5".into(),
        }];
        let l = layout_map(&rows, Some(ModelKind::PollAverage), Some(d(2)), &excluded);
        assert_eq!(l.tiles.len(), 51);
        let tile = |c: &str| l.tiles.iter().find(|t| t.state.code() == c).unwrap();
        assert_eq!(tile("FL").win, Some(0.7341));
        assert_eq!(tile("FL").value, "73%");
        assert!(tile("FL")
            .label
            .contains("Florida: Poll average, Oct 2, 2016: P(Democrat wins) 73.4%"));
        assert_eq!(tile("TX").win, None);
        assert!(tile("TX")
            .reason
            .as_deref()
            .unwrap()
            .contains("too few polls"));
        assert!(tile("WY")
            .reason
            .as_deref()
            .unwrap()
            .contains("fewer than the minimum"));
        assert!(tile("CA").reason.is_some());
        assert_eq!(tile("CA").fill, NO_FORECAST_COLOUR);
        // Tiles do not overlap and stay inside the frame.
        for t in &l.tiles {
            assert!(t.x >= 0.0 && t.x + TILE <= l.head.frame.width);
            assert!(t.y >= 0.0 && t.y + TILE <= l.legend_y);
        }
        assert!(l.no_forecast_x + 200.0 <= l.head.frame.width);
    }

    #[test]
    fn tiles_run_in_reading_order_for_the_arrow_keys() {
        let l = layout_map(&[], None, None, &[]);
        let codes: Vec<_> = l.tiles.iter().take(5).map(|t| t.state.code()).collect();
        assert_eq!(codes, ["AK", "ME", "WI", "VT", "NH"]);
        assert!(l
            .tiles
            .windows(2)
            .all(|w| (w[0].y, w[0].x) < (w[1].y, w[1].x)));
        assert_eq!(l.tiles.last().unwrap().state.code(), "FL");
    }

    #[test]
    fn the_summary_counts_each_side_from_the_tiles() {
        let rows = vec![
            row("FL", ModelKind::PollAverage, 2, 0.47),
            row("PA", ModelKind::PollAverage, 2, 0.6),
            row("TX", ModelKind::PollAverage, 2, 0.1),
            row("OH", ModelKind::PollAverage, 2, 0.5),
        ];
        let l = layout_map(&rows, Some(ModelKind::PollAverage), Some(d(2)), &[]);
        assert_eq!(
            l.head.summary,
            "Map of 51 states (with DC) coloured by the chance the Democrat wins: the \
             Democrat favoured in 1, the Republican favoured in 2, even in 1, no forecast \
             for 47. Closest: Ohio 50.0%, Florida 47.0%, Pennsylvania 60.0%."
        );
        let grey = layout_map(&[], None, None, &[]);
        assert!(grey.head.summary.ends_with("no forecast to show."));
    }

    #[test]
    fn nothing_selected_is_all_grey() {
        let l = layout_map(&[], None, None, &[]);
        assert_eq!(l.tiles.len(), 51);
        assert!(l
            .tiles
            .iter()
            .all(|t| t.win.is_none() && t.reason.is_some()));
    }
}
