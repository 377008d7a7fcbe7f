//! The tile map, coloured by a chosen model's win probability on a chosen date.

use forecast_charts::TileMap;
use forecast_engine::{ForecastRow, ModelKind};
use leptos::prelude::*;

use crate::app::{ChartChoices, RunState};
use crate::components::download::SvgDownloadButton;

const MAP_ID: &str = "map-svg";

#[component]
pub fn MapPanel(
    run: RunState,
    charts: ChartChoices,
    rows: Memo<Vec<ForecastRow>>,
) -> impl IntoView {
    let models = Memo::new(move |_| {
        run.outcome
            .with(|o| o.as_ref().map(|o| o.plan.models.clone()))
            .unwrap_or_default()
    });
    let dates = Memo::new(move |_| {
        run.outcome
            .with(|o| o.as_ref().map(|o| o.plan.dates.clone()))
            .unwrap_or_default()
    });
    let date = Memo::new(move |_| {
        let i = charts.map_date.get()?;
        dates.with(|d| d.get(i).copied())
    });
    let excluded = Memo::new(move |_| {
        run.outcome
            .with(|o| o.as_ref().map(|o| o.excluded.clone()))
            .unwrap_or_default()
    });
    let on_select = Callback::new(move |state| charts.pick(state));

    let model_options = move || {
        models
            .get()
            .into_iter()
            .map(|m| {
                let selected = move || charts.map_model.get() == Some(m);
                view! { <option value=m.name() selected=selected>{m.label()}</option> }
            })
            .collect_view()
    };
    let date_options = move || {
        dates
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                let selected = move || charts.map_date.get() == Some(i);
                view! { <option value=i.to_string() selected=selected>{d.to_string()}</option> }
            })
            .collect_view()
    };
    let on_model = move |ev| {
        if let Some(m) = ModelKind::parse(&event_target_value(&ev)) {
            charts.map_model.set(Some(m));
        }
    };
    let on_date = move |ev| {
        if let Ok(i) = event_target_value(&ev).parse::<usize>() {
            charts.map_date.set(Some(i));
        }
    };

    view! {
        <figure class="chart map-chart">
            <div class="chart-controls">
                <label>
                    "Model "
                    <select data-testid="map-model" on:change=on_model prop:value=move || {
                        charts.map_model.get().map(|m| m.name()).unwrap_or_default()
                    }>{model_options}</select>
                </label>
                <label>
                    "Date "
                    <select data-testid="map-date" on:change=on_date prop:value=move || {
                        charts.map_date.get().map(|i| i.to_string()).unwrap_or_default()
                    }>{date_options}</select>
                </label>
                <SvgDownloadButton target=MAP_ID file="map.svg" testid="download-map-svg" />
            </div>
            <div class="chart-scroll">
                <TileMap
                    rows=rows
                    model=charts.map_model
                    date=date
                    excluded=excluded
                    on_select=on_select
                    selected=charts.state
                    id=MAP_ID
                />
            </div>
            <p class="scroll-hint">"Scroll sideways for the whole chart."</p>
        </figure>
    }
}
