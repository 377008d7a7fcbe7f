//! Brier score, log loss and MAE against days before the election, a line per model.

use forecast_charts::ScoresChart;
use leptos::prelude::*;

use crate::components::chart_panel::ChartPanel;
use crate::state::run::use_run;

const SCORES_ID: &str = "scores-chart-svg";

#[component]
pub fn ScoresPanel() -> impl IntoView {
    let run = use_run();
    view! {
        <ChartPanel
            class="scores-chart"
            label="Scores over the campaign"
            svg_id=SCORES_ID
            file="scores.svg"
            download_testid="download-scores-svg"
        >
            <ScoresChart scores=run.scores election_day=run.election_day id=SCORES_ID />
        </ChartPanel>
    }
}
