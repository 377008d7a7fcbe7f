//! The run as it goes: status, a bar of the steps done (cells, then the electoral
//! college's simulations) and the time elapsed.

use leptos::prelude::*;

use forecast_charts::format;

use crate::state::run::use_run;

#[component]
pub fn RunProgress() -> impl IntoView {
    let run = use_run();
    view! {
        <section class="panel progress" aria-live="polite">
            <span class=move || format!("status {}", run.status.get().as_str()) data-testid="status" data-run=move || run.runs.get()>
                {move || run.status.get().as_str()}
            </span>
            <progress
                data-testid="progress"
                max=move || run.total.get().max(1)
                value=move || run.done.get()
                aria-label="Progress of the run"
            ></progress>
            <span class="counts" title="Steps: the cells (model, state, date), then the electoral college's simulations">
                {move || format!("{} / {} steps", format::count(run.done.get() as u64), format::count(run.total.get() as u64))} " · "
                {move || format::duration(run.elapsed_ms.get())}
            </span>
        </section>
    }
}
