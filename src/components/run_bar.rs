//! Run and Cancel with the run's status and progress, next to the answer; why a run
//! could not start, and whether the results shown are out of date.

use leptos::prelude::*;

use crate::components::progress::RunProgress;
use crate::components::share::Share;
use crate::state::data::use_data;
use crate::state::layout::use_layout;
use crate::state::run::{use_run, RunError};

#[component]
pub fn RunBar() -> impl IntoView {
    let run = use_run();
    let layout = use_layout();
    let start = move |_| {
        run.start();
        // A setting that cannot be read is fixed where it is typed.
        if let Some(RunError::Setting(error)) = run.error.get_untracked() {
            layout.show_field(error.field());
        }
    };
    view! {
        <section class="panel run-bar" aria-label="Run">
            <div class="buttons">
                // Not disabled while running (`aria-disabled` instead): a disabled button
                // drops the keyboard's focus to the page's start.
                <button
                    type="button"
                    class="primary"
                    data-testid="run"
                    prop:disabled=move || !run.can_start() && !run.is_running()
                    aria-disabled=move || run.is_running().to_string()
                    on:click=start
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
            <RunError />
            <StaleNote />
        </section>
    }
}

/// Why the last run did not start or finish. A file that could not be used is told
/// beside the file pickers instead (see the loader).
#[component]
fn RunError() -> impl IntoView {
    let run = use_run();
    let data = use_data();
    let message = move || {
        if data.error.with(Option::is_some) {
            return None;
        }
        run.error.get().map(|e| match e {
            RunError::Setting(e) => format!("{e} (marked in the settings)"),
            e => e.to_string(),
        })
    };
    view! {
        <Show when=move || message().is_some()>
            <p class="error" role="alert" data-testid="error" data-kind="run">
                {move || message().unwrap_or_default()}
            </p>
        </Show>
    }
}

/// The results below are not those of the data and settings now in place.
#[component]
fn StaleNote() -> impl IntoView {
    let run = use_run();
    view! {
        <Show when=move || run.stale.with(Option::is_some) && !run.is_running()>
            <p
                class="stale-note"
                role="status"
                data-testid="stale"
                data-stale=move || run.stale.get().map(|s| s.name()).unwrap_or_default()
            >
                {move || run.stale.get().map(|s| s.to_string()).unwrap_or_default()}
                " Press Run again to update them."
            </p>
        </Show>
    }
}
