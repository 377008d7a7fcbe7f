//! Reliability of each model's win probabilities (bins from the engine).

use forecast_charts::CalibrationChart;
use forecast_engine::calibration::calibration;
use leptos::prelude::*;

use crate::components::chart_panel::ChartPanel;
use crate::state::run::use_run;

const CALIBRATION_ID: &str = "calibration-chart-svg";
/// Equal-width probability bins per model.
const BINS: usize = 10;

#[component]
pub fn CalibrationPanel() -> impl IntoView {
    let run = use_run();
    let bins = Memo::new(move |_| {
        run.rows
            .with(|rows| run.models.with(|models| calibration(rows, models, BINS)))
    });
    view! {
        <ChartPanel
            class="calibration-chart"
            label="Calibration of win probabilities"
            svg_id=CALIBRATION_ID
            file="calibration.svg"
            download_testid="download-calibration-svg"
        >
            <CalibrationChart bins=bins id=CALIBRATION_ID />
        </ChartPanel>
    }
}
