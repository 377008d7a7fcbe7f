//! The run as it goes: status, a bar with cells done / total, elapsed time, cells per second.

use leptos::prelude::*;

use forecast_charts::format;

use crate::state::run::use_run;

#[component]
pub fn RunProgress() -> impl IntoView {
    let run = use_run();
    let rate = move || {
        let seconds = run.elapsed_ms.get() / 1000.0;
        if seconds > 0.0 {
            format!("{:.0} cells/s", run.done.get() as f64 / seconds)
        } else {
            "– cells/s".to_string()
        }
    };
    view! {
        <section class="panel progress" aria-live="polite">
            <span class=move || format!("status {}", run.status.get().as_str()) data-testid="status" data-run=move || run.runs.get()>
                {move || run.status.get().as_str()}
            </span>
            <progress
                data-testid="progress"
                max=move || run.total.get().max(1)
                value=move || run.done.get()
            ></progress>
            <span class="counts">
                {move || format!("{} / {} cells", run.done.get(), run.total.get())} " · "
                {move || format::duration(run.elapsed_ms.get())} " · " {rate}
            </span>
        </section>
    }
}
