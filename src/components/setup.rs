//! The data and the settings, folded away once a run has answered (the answer then leads
//! the page), open again at a click.

use leptos::prelude::*;

use crate::components::{controls::Controls, loader::Loader};
use crate::state::data::use_data;
use crate::state::layout::use_layout;
use crate::state::run::use_run;

#[component]
pub fn Setup() -> impl IntoView {
    let run = use_run();
    let open = use_layout().setup_open;
    // Folds when the first outcome arrives; the reader may open it again.
    Effect::new(move |folded: Option<bool>| {
        let has = run.has_outcome();
        if has && folded != Some(true) {
            open.set(false);
        }
        has
    });
    // A file that could not be used is told beside the file pickers: they must show.
    let data = use_data();
    Effect::new(move |_| {
        if data.error.with(Option::is_some) {
            open.set(true);
        }
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
