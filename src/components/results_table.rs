//! One row per (state, model, forecast date), sorted by clicking a header.

use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt::Write;
use std::rc::Rc;

use forecast_engine::output::all_predictions_csv;
use forecast_engine::{ForecastRow, State};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use forecast_charts::format::{self, escape};

use crate::components::download::DownloadButton;
use crate::state::run::use_run;
use crate::state::selection::use_selection;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    State,
    Model,
    Date,
    Win,
    Margin,
    Std,
    Actual,
}

impl Column {
    const ALL: [Column; 7] = [
        Column::State,
        Column::Model,
        Column::Date,
        Column::Win,
        Column::Margin,
        Column::Std,
        Column::Actual,
    ];

    fn label(self) -> &'static str {
        match self {
            Column::State => "State",
            Column::Model => "Model",
            Column::Date => "Forecast date",
            Column::Win => "P(Democrat wins)",
            Column::Margin => "Predicted margin",
            Column::Std => "Margin std (pts)",
            Column::Actual => "Actual margin",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Column::State => "state",
            Column::Model => "model",
            Column::Date => "date",
            Column::Win => "win",
            Column::Margin => "margin",
            Column::Std => "std",
            Column::Actual => "actual",
        }
    }

    fn compare(self, a: &ForecastRow, b: &ForecastRow) -> Ordering {
        match self {
            Column::State => a.state.code().cmp(b.state.code()),
            Column::Model => a.model.cmp(&b.model),
            Column::Date => a.forecast_date.cmp(&b.forecast_date),
            Column::Win => a.win_probability.total_cmp(&b.win_probability),
            Column::Margin => a.predicted_margin.total_cmp(&b.predicted_margin),
            Column::Std => a.margin_std.total_cmp(&b.margin_std),
            // States without a result yet sort first.
            Column::Actual => match (a.actual_margin, b.actual_margin) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (x, y) => x.is_some().cmp(&y.is_some()),
            },
        }
    }

    fn numeric(self) -> bool {
        !matches!(self, Column::State | Column::Model | Column::Date)
    }
}

/// Rows in each `<tbody>`: even, so that the stripes run on across bodies; small enough that
/// the rows in view are a few bodies, large enough that there are few bodies to track.
const ROWS_PER_BODY: usize = 64;

/// The column sorted on, and whether ascending.
type Sort = (Column, bool);

#[component]
pub fn ResultsTable() -> impl IntoView {
    let run = use_run();
    let selection = use_selection();
    let sort = RwSignal::new((Column::State, true));
    // A daily grid has ~14,000 rows. Each chunk of rows is one HTML string, parsed by the
    // browser in one go (node-by-node building would hold the page for seconds), into one
    // `<tbody>` that the browser lays out and paints only when in view (see style.css).
    // The bodies fill in slices after the frame that shows a run's answer (see `fill`).
    let table = NodeRef::<leptos::html::Table>::new();
    let fills = Rc::new(Cell::new(0u64));
    Effect::new(move |_| {
        // A new fill stops the one before, also when the table is gone.
        let fill_id = fills.get().wrapping_add(1);
        fills.set(fill_id);
        let Some(table) = table.get() else {
            return;
        };
        let (column, ascending) = sort.get();
        let order = run.rows.with(|rows| sorted(rows, column, ascending));
        let fills = Rc::clone(&fills);
        let rows = run.rows;
        let body = move |chunk: &[usize]| rows.try_with_untracked(|rows| body_html(rows, chunk));
        leptos::task::spawn_local(fill(table, order, body, move || fills.get() == fill_id));
    });
    let csv = Callback::new(move |()| {
        run.has_outcome()
            .then(|| run.rows.with_untracked(|rows| all_predictions_csv(rows)))
    });

    // One listener for every row's state button: the body is HTML text.
    let pick = move |ev: leptos::ev::MouseEvent| {
        if let Some(state) = picked_state(&ev) {
            selection.pick(state);
        }
    };

    view! {
        <Show when=move || run.has_outcome()>
            <section class="panel results" class:stale=move || run.dimmed()>
                <h2>
                    "Forecasts "
                    <DownloadButton make=csv file="forecasts.csv" testid="download-predictions" />
                    <crate::components::download_all::DownloadAllButton />
                </h2>
                <p class="hint">
                    "Margins are Democrat minus Republican, in points of the two-party vote. "
                    <span class="capped-key">"Underlined"</span>
                    " chances are at the model's bound, which it never goes past: "
                    {format::bounds_text()}
                    "; such a chance means at least that sure."
                </p>
                <div class="scroll" tabindex="0" role="region" aria-label="Forecasts table">
                    <table
                        data-testid="results"
                        class="sortable"
                        aria-busy="true"
                        node_ref=table
                        on:click=pick
                    >
                        <thead>
                            <tr>{Column::ALL.into_iter().map(|c| header(c, sort)).collect_view()}</tr>
                        </thead>
                    </table>
                </div>
            </section>
        </Show>
    }
}

/// The rows' indices sorted by `column`.
fn sorted(rows: &[ForecastRow], column: Column, ascending: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    // Stable: ties keep the engine's order (model, state, date).
    order.sort_by(|&a, &b| {
        let by = column.compare(&rows[a], &rows[b]);
        if ascending {
            by
        } else {
            by.reverse()
        }
    });
    order
}

/// The HTML text of a `<tbody>` of the rows `chunk` (indices into `rows`).
fn body_html(rows: &[ForecastRow], chunk: &[usize]) -> String {
    let mut html = String::with_capacity(chunk.len() * 400);
    for row in chunk.iter().filter_map(|&i| rows.get(i)) {
        write_row(&mut html, row);
    }
    html
}

/// Page-thread time one slice of filling may take before the page draws and takes input.
const FILL_SLICE_MS: f64 = 8.0;

/// Puts the rows of `order`, [`ROWS_PER_BODY`] to a `<tbody>` of `table` (its HTML text
/// from `body`), written and parsed a body at a time: the first at once, the others after
/// the next frame, in slices of [`FILL_SLICE_MS`], so that the answer and the charts are
/// drawn first and the page takes input while the rows of a long grid are written. Stops
/// when `current` says a newer fill has begun, or when `body` has no rows any more. A
/// body still holding the rows before is hidden (`.stale-rows`, which keeps its height)
/// until it is filled; the table is `aria-busy` until every body is.
async fn fill(
    table: web_sys::HtmlTableElement,
    order: Vec<usize>,
    body: impl Fn(&[usize]) -> Option<String>,
    current: impl Fn() -> bool,
) {
    let chunks: Vec<&[usize]> = order.chunks(ROWS_PER_BODY).collect();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let _ = table.set_attribute("aria-busy", "true");
    let old = table.t_bodies();
    // Extra bodies of a longer table before go; the others wait hidden for their rows.
    while old.length() as usize > chunks.len() {
        let Some(last) = old.item(old.length() - 1) else {
            break;
        };
        last.remove();
    }
    for i in 0..old.length() {
        if let Some(body) = old.item(i) {
            let _ = body.class_list().add_1("stale-rows");
        }
    }
    let now = || js_sys::Date::now();
    let mut slice_start = now();
    for (i, chunk) in chunks.iter().enumerate() {
        if !current() {
            return;
        }
        let Some(html) = body(chunk) else {
            return;
        };
        let element = match old.item(i as u32) {
            Some(element) => element,
            None => match document.create_element("tbody") {
                Ok(element) => {
                    let _ = table.append_child(&element);
                    element
                }
                Err(_) => return,
            },
        };
        element.set_inner_html(&html);
        let _ = element.class_list().remove_1("stale-rows");
        if i == 0 {
            crate::runner::after_next_paint().await;
            slice_start = now();
        } else if now() - slice_start > FILL_SLICE_MS {
            gloo_timers::future::TimeoutFuture::new(0).await;
            slice_start = now();
        }
    }
    if current() {
        let _ = table.set_attribute("aria-busy", "false");
    }
}

fn header(column: Column, sort: RwSignal<Sort>) -> impl IntoView {
    let aria = move || match sort.get() {
        (c, true) if c == column => "ascending",
        (c, false) if c == column => "descending",
        _ => "none",
    };
    let arrow = move || match aria() {
        "ascending" => " ▲",
        "descending" => " ▼",
        _ => "",
    };
    let on_click = move |_| {
        sort.update(|(c, ascending)| {
            if *c == column {
                *ascending = !*ascending;
            } else {
                *c = column;
                *ascending = true;
            }
        })
    };
    view! {
        <th
            scope="col"
            class:num=column.numeric()
            data-sort=column.key()
            aria-sort=aria
            on:click=on_click
        >
            <button type="button" class="sort">{column.label()}{arrow}</button>
        </th>
    }
}

/// One `<tr>`: numbers for people in the cells, full precision in the data-* attributes.
/// Each cell carries its column's name (`data-label`), which a phone shows beside the
/// value when the rows become cards (style.css). A chance at the model's bound is marked.
fn write_row(html: &mut String, row: &ForecastRow) {
    let capped = row.model.at_bound(row.win_probability);
    let _ = write!(
        html,
        "<tr data-state=\"{code}\" data-model=\"{model}\" data-date=\"{date}\" data-win=\"{win}\" \
         data-margin=\"{margin}\" data-std=\"{std}\" data-actual=\"{actual}\">\
         <td data-label=\"{l_state}\"><button type=\"button\" class=\"pick\" data-pick=\"{code}\" \
         title=\"{name}: show its chart\">{code}</button></td>\
         <td data-label=\"{l_model}\">{label}</td><td data-label=\"{l_date}\">{date}</td>\
         <td class=\"num{cap_class}\" data-label=\"{l_win}\"{cap_title}>{win_text}</td>\
         <td class=\"num\" data-label=\"{l_margin}\">{margin_text}</td>\
         <td class=\"num\" data-label=\"{l_std}\">{std_text}</td>\
         <td class=\"num\" data-label=\"{l_actual}\">{actual_text}</td></tr>",
        code = escape(row.state.code()),
        name = escape(row.state.name()),
        model = escape(row.model.name()),
        label = escape(row.model.label()),
        date = row.forecast_date,
        win = format::full(row.win_probability),
        margin = format::full(row.predicted_margin),
        std = format::full(row.margin_std),
        actual = row.actual_margin.map(format::full).unwrap_or_default(),
        win_text = format::percent(row.win_probability),
        cap_class = if capped { " capped" } else { "" },
        cap_title = if capped {
            format!(" title=\"{}\"", escape(&format::cap_note(row.model)))
        } else {
            String::new()
        },
        margin_text = format::margin(row.predicted_margin),
        std_text = format::points(row.margin_std),
        actual_text = row
            .actual_margin
            .map_or_else(|| "not in yet".to_string(), format::margin),
        l_state = Column::State.label(),
        l_model = Column::Model.label(),
        l_date = Column::Date.label(),
        l_win = Column::Win.label(),
        l_margin = Column::Margin.label(),
        l_std = Column::Std.label(),
        l_actual = Column::Actual.label(),
    );
}

/// The state of the row's state button that `ev` clicked, if it was one.
fn picked_state(ev: &leptos::ev::MouseEvent) -> Option<State> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let button = target.closest("[data-pick]").ok()??;
    State::parse(&button.get_attribute("data-pick")?)
}
