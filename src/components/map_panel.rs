//! The tile map, coloured by the chosen model's win probability on the chosen date (both
//! chosen in the headline).

use forecast_charts::{format, TileMap};
use leptos::prelude::*;

use crate::components::chart_panel::ChartPanel;
use crate::state::presidency::{use_presidency, ClickAction};
use crate::state::run::use_run;
use crate::state::selection::use_selection;

const MAP_ID: &str = "map-svg";

#[component]
pub fn MapPanel() -> impl IntoView {
    let run = use_run();
    let selection = use_selection();
    let presidency = use_presidency();
    let on_select = Callback::new(move |state| match presidency.click.get_untracked() {
        ClickAction::Pin => presidency.cycle_pin(state),
        ClickAction::OpenChart => selection.pick(state),
    });
    view! {
        <ChartPanel
            class="map-chart"
            label="Map of win probabilities"
            svg_id=MAP_ID
            file="map.svg"
            download_testid="download-map-svg"
        >
            <TileMap
                rows=run.rows
                model=selection.model
                date=selection.date
                excluded=run.excluded
                on_select=on_select
                selected=selection.state
                id=MAP_ID
            />
        </ChartPanel>
        <p class="hint" data-testid="map-caps">
            {move || selection.model.get().map(|m| format!("{}.", format::cap_note(m)))}
        </p>
    }
}
