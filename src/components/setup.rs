//! The data and the settings, folded away once a run has answered (the answer then leads
//! the page), open again at a click.

use leptos::prelude::*;

use crate::components::{controls::Controls, loader::Loader};
use crate::state::run::use_run;

#[component]
pub fn Setup() -> impl IntoView {
    let run = use_run();
    let open = RwSignal::new(true);
    // Folds when the first outcome arrives; the reader may open it again.
    Effect::new(move |folded: Option<bool>| {
        let has = run.has_outcome();
        if has && folded != Some(true) {
            open.set(false);
        }
        has
    });
    view! {
        <details
            class="setup"
            data-testid="setup"
            prop:open=move || open.get()
            on:toggle=move |ev| {
                let details: web_sys::HtmlDetailsElement = event_target(&ev);
                open.set(details.open());
            }
        >
            <summary>"Data and settings"</summary>
            <Loader />
            <Controls />
        </details>
    }
}
