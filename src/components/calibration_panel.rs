//! Reliability of each model's win probabilities (bins from the engine).

use forecast_charts::CalibrationChart;
use forecast_engine::calibration::calibration;
use forecast_engine::ForecastRow;
use leptos::prelude::*;

use crate::app::RunState;
use crate::components::download::SvgDownloadButton;

const CALIBRATION_ID: &str = "calibration-chart-svg";
/// Equal-width probability bins per model.
const BINS: usize = 10;

#[component]
pub fn CalibrationPanel(run: RunState, rows: Memo<Vec<ForecastRow>>) -> impl IntoView {
    let bins = Memo::new(move |_| {
        let models = run
            .outcome
            .with(|o| o.as_ref().map(|o| o.plan.models.clone()))
            .unwrap_or_default();
        rows.with(|rows| calibration(rows, &models, BINS))
    });
    view! {
        <figure class="chart calibration-chart">
            <div class="chart-controls">
                <SvgDownloadButton
                    target=CALIBRATION_ID
                    file="calibration.svg"
                    testid="download-calibration-svg"
                />
            </div>
            <div class="chart-scroll">
                <CalibrationChart bins=bins id=CALIBRATION_ID />
            </div>
            <p class="scroll-hint">"Scroll sideways for the whole chart."</p>
        </figure>
    }
}
