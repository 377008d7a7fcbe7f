//! One row per (state, model, forecast date), sorted by clicking a header.

use std::cmp::Ordering;
use std::fmt::Write;

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
    // browser in one go (node-by-node building would hold the page for seconds), and one
    // `<tbody>` that the browser lays out and paints only when in view (see style.css).
    let chunks = move || {
        let (column, ascending) = sort.get();
        run.rows.with(|rows| chunked(rows, column, ascending))
    };
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
                    <table data-testid="results" class="sortable" on:click=pick>
                        <thead>
                            <tr>{Column::ALL.into_iter().map(|c| header(c, sort)).collect_view()}</tr>
                        </thead>
                        {chunks}
                    </table>
                </div>
            </section>
        </Show>
    }
}

/// The rows sorted by `column`, in `<tbody>` chunks of HTML text.
fn chunked(rows: &[ForecastRow], column: Column, ascending: bool) -> Vec<AnyView> {
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
        .chunks(ROWS_PER_BODY)
        .map(|chunk| {
            let mut html = String::with_capacity(chunk.len() * 400);
            for &i in chunk {
                write_row(&mut html, &rows[i]);
            }
            view! { <tbody inner_html=html></tbody> }.into_any()
        })
        .collect()
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
