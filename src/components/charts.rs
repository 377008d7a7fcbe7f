//! The charts of the last run: the map, the state chart, scores over the campaign and
//! calibration. Every chart is fed from memos of the run's outcome, so a choice redraws
//! only its chart; the statistics come from the engine.

use forecast_engine::ForecastRow;
use leptos::prelude::*;

use crate::app::{ChartChoices, RunState};
use crate::components::{
    calibration_panel::CalibrationPanel, map_panel::MapPanel, scores_panel::ScoresPanel,
    state_panel::StatePanel,
};

#[component]
pub fn Charts(run: RunState, charts: ChartChoices) -> impl IntoView {
    // Every row of the run, once per run (cloned for the charts' `Signal<Vec<_>>` props).
    let rows: Memo<Vec<ForecastRow>> = Memo::new(move |_| {
        run.outcome
            .with(|o| o.as_ref().map(|o| o.output.rows.clone()))
            .unwrap_or_default()
    });
    view! {
        <Show when=move || run.outcome.with(Option::is_some)>
            <section class="panel charts" class:stale=move || run.is_running() data-testid="charts">
                <h2>"Charts"</h2>
                <div class="chart-grid">
                    <MapPanel run=run charts=charts rows=rows />
                    <StatePanel run=run charts=charts rows=rows />
                    <ScoresPanel run=run />
                    <CalibrationPanel run=run rows=rows />
                </div>
            </section>
        </Show>
    }
}
