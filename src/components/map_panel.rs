//! The tile map, coloured by a chosen model's win probability on a chosen date.

use forecast_charts::TileMap;
use forecast_engine::ModelKind;
use leptos::prelude::*;

use crate::components::chart_panel::ChartPanel;
use crate::state::run::use_run;
use crate::state::selection::use_selection;

const MAP_ID: &str = "map-svg";

#[component]
pub fn MapPanel() -> impl IntoView {
    let run = use_run();
    let selection = use_selection();
    let date = Memo::new(move |_| {
        let i = selection.date.get()?;
        run.dates.with(|dates| dates.get(i).copied())
    });
    let on_select = Callback::new(move |state| selection.pick(state));
    view! {
        <ChartPanel
            class="map-chart"
            label="Map of win probabilities"
            svg_id=MAP_ID
            file="map.svg"
            download_testid="download-map-svg"
            controls=move || view! { <ModelSelect /> <DateSelect /> }
        >
            <TileMap
                rows=run.rows
                model=selection.model
                date=date
                excluded=run.excluded
                on_select=on_select
                selected=selection.state
                id=MAP_ID
            />
        </ChartPanel>
    }
}

#[component]
fn ModelSelect() -> impl IntoView {
    let run = use_run();
    let selection = use_selection();
    let options = move || {
        run.models
            .get()
            .into_iter()
            .map(|m| {
                let selected = move || selection.model.get() == Some(m);
                view! { <option value=m.name() selected=selected>{m.label()}</option> }
            })
            .collect_view()
    };
    let on_change = move |ev| {
        if let Some(m) = ModelKind::parse(&event_target_value(&ev)) {
            selection.model.set(Some(m));
        }
    };
    view! {
        <label>
            "Model "
            <select
                data-testid="map-model"
                on:change=on_change
                prop:value=move || selection.model.get().map(|m| m.name()).unwrap_or_default()
            >
                {options}
            </select>
        </label>
    }
}

#[component]
fn DateSelect() -> impl IntoView {
    let run = use_run();
    let selection = use_selection();
    let options = move || {
        run.dates
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                let selected = move || selection.date.get() == Some(i);
                view! { <option value=i.to_string() selected=selected>{d.to_string()}</option> }
            })
            .collect_view()
    };
    let on_change = move |ev| {
        if let Ok(i) = event_target_value(&ev).parse::<usize>() {
            selection.date.set(Some(i));
        }
    };
    view! {
        <label>
            "Date "
            <select
                data-testid="map-date"
                on:change=on_change
                prop:value=move || selection.date.get().map(|i| i.to_string()).unwrap_or_default()
            >
                {options}
            </select>
        </label>
    }
}
