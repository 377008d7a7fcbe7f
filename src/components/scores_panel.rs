//! Brier score, log loss and MAE against days before the election, a line per model.

use forecast_charts::ScoresChart;
use leptos::prelude::*;

use crate::app::RunState;
use crate::components::download::SvgDownloadButton;

const SCORES_ID: &str = "scores-chart-svg";

#[component]
pub fn ScoresPanel(run: RunState) -> impl IntoView {
    let scores = Memo::new(move |_| {
        run.outcome
            .with(|o| o.as_ref().map(|o| o.output.scores.clone()))
            .unwrap_or_default()
    });
    let election_day = Memo::new(move |_| {
        run.outcome
            .with(|o| o.as_ref().map(|o| o.plan.election_day))
    });
    view! {
        <figure class="chart scores-chart">
            <div class="chart-controls">
                <SvgDownloadButton target=SCORES_ID file="scores.svg" testid="download-scores-svg" />
            </div>
            <div class="chart-scroll">
                <ScoresChart scores=scores election_day=election_day id=SCORES_ID />
            </div>
            <p class="scroll-hint">"Scroll sideways for the whole chart."</p>
        </figure>
    }
}
