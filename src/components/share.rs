//! "Copy link": the page's address with every setting and choice in it; what the link
//! does not carry (the files); and what an opened link asked for that could not be used.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::state::data::{use_data, BUILTIN_POLLS, BUILTIN_RESULTS};
use crate::state::link::{use_link, Link};

#[component]
pub fn Share() -> impl IntoView {
    let data = use_data();
    let copied = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let Some(url) = Link::url() else { return };
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            return;
        };
        spawn_local(async move {
            copied.set(Some(
                JsFuture::from(clipboard.write_text(&url)).await.is_ok(),
            ));
        });
    };
    let own_files = move || {
        data.polls_source.get() != BUILTIN_POLLS || data.results_source.get() != BUILTIN_RESULTS
    };
    view! {
        <div class="share">
            <button type="button" data-testid="copy-link" on:click=copy>"Copy link"</button>
            <span class="hint" data-testid="copy-status" aria-live="polite">
                {move || match copied.get() {
                    Some(true) => "Link copied: it opens the page with these settings.",
                    Some(false) => "The browser did not allow copying: copy the address from the address bar.",
                    None => "",
                }}
            </span>
            <Show when=own_files>
                <span class="hint" data-testid="link-files-note">
                    "The link carries the settings, not your files: whoever opens it sees the built-in data unless they load the same files."
                </span>
            </Show>
        </div>
    }
}

/// What the link the page was opened with asked for and could not be used.
#[component]
pub fn LinkNotes() -> impl IntoView {
    let link = use_link();
    view! {
        <Show when=move || link.notes.with(|n| !n.is_empty())>
            <div class="note-box" role="status" data-testid="link-notes">
                <ul>{move || link.notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                <button type="button" on:click=move |_| link.notes.set(Vec::new())>"Dismiss"</button>
            </div>
        </Show>
    }
}
