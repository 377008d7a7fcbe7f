//! The frame every chart panel shares: a figure with its controls, the Download SVG
//! button and the chart, scaled to the column's width.

use leptos::prelude::*;

use crate::components::download::SvgDownloadButton;

/// `svg_id` is the chart's `<svg>` id (for the download), `file` the download's name.
#[component]
pub fn ChartPanel(
    /// The figure's class, e.g. `map-chart`.
    class: &'static str,
    /// The figure's accessible name.
    label: &'static str,
    svg_id: &'static str,
    file: &'static str,
    download_testid: &'static str,
    /// Controls shown before the download button (selects, toggles).
    #[prop(optional, into)]
    controls: ViewFn,
    children: Children,
) -> impl IntoView {
    view! {
        <figure class=format!("chart {class}") aria-label=label>
            <div class="chart-controls">
                {controls.run()}
                <SvgDownloadButton target=svg_id file=file testid=download_testid />
            </div>
            <div class="chart-scroll">{children()}</div>
        </figure>
    }
}
