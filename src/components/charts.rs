//! The charts of the last run: the map, the state chart, scores over the campaign and
//! calibration. Each reads memos of the run's outcome, so a choice redraws only its
//! chart; the statistics come from the engine.

use leptos::prelude::*;

use crate::components::{
    calibration_panel::CalibrationPanel, map_panel::MapPanel, scores_panel::ScoresPanel,
    state_panel::StatePanel,
};
use crate::state::run::use_run;

/// Scores and calibration compare forecasts with results: before the election there are none.
#[component]
pub fn NoResultsYet() -> impl IntoView {
    let run = use_run();
    let year = move || {
        run.outcome
            .with(|o| o.as_ref().map(|o| o.plan.year.to_string()))
            .unwrap_or_default()
    };
    view! {
        <p class="note" data-testid="no-results">
            "No state has a " {year} " result yet: scores and calibration come once results are in."
        </p>
    }
}

#[component]
pub fn Charts() -> impl IntoView {
    let run = use_run();
    view! {
        <Show when=move || run.has_outcome()>
            <section class="panel charts" class:stale=move || run.dimmed() data-testid="charts">
                <h2>"Charts"</h2>
                <div class="chart-grid">
                    <MapPanel />
                    <StatePanel />
                    <Show
                        when=move || run.scores.with(|s| !s.is_empty())
                        fallback=move || view! { <NoResultsYet /> }
                    >
                        <ScoresPanel />
                        <CalibrationPanel />
                    </Show>
                </div>
            </section>
        </Show>
    }
}
