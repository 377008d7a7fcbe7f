//! Run and Cancel with the run's status and progress, next to the answer.

use leptos::prelude::*;

use crate::components::progress::RunProgress;
use crate::components::share::Share;
use crate::state::run::use_run;

#[component]
pub fn RunBar() -> impl IntoView {
    let run = use_run();
    view! {
        <section class="panel run-bar" aria-label="Run">
            <div class="buttons">
                <button
                    type="button"
                    class="primary"
                    data-testid="run"
                    prop:disabled=move || !run.can_start()
                    on:click=move |_| run.start()
                >
                    {move || if run.has_outcome() { "Run again" } else { "Run" }}
                </button>
                <button
                    type="button"
                    data-testid="cancel"
                    prop:disabled=move || !run.is_running()
                    on:click=move |_| run.cancel()
                >
                    "Cancel"
                </button>
            </div>
            <RunProgress />
            <Share />
        </section>
    }
}
