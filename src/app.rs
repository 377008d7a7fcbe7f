//! The page: its state provided once (see [`crate::state`]), and its layout.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{
    charts::Charts, headline::Headline, presidency::Presidency, results_table::ResultsTable,
    run_bar::RunBar, scores_table::ScoresTable, setup::Setup, share::LinkNotes,
    speedup::SpeedupPanel, summary::RunSummary,
};
use crate::runner;
use crate::state::data::use_data;
use crate::state::pool::use_pool;
use crate::state::settings::use_settings;

#[component]
pub fn App() -> impl IntoView {
    let after_start = after_start();
    view! {
        <header class="masthead">
            <h1>"Election forecaster"</h1>
            <p class="tagline">
                "Who wins the presidency: four models of every state from the polls, then the electoral college, computed on this machine. Your polls never leave the page."
            </p>
            <PoolBadge />
        </header>
        <main>
            <SingleThreadNote />
            <LinkNotes />
            <Headline />
            <RunBar />
            {move || after_start.get().then(|| view! { <Setup /> })}
            <Presidency />
            <Charts />
            <ScoresTable />
            <ResultsTable />
            <RunSummary />
            {move || after_start.get().then(|| view! { <SpeedupPanel /> })}
        </main>
        <footer>
            "2016 polls: FiveThirtyEight (CC BY 4.0), via the dslabs R package. State results 1976-2020: MIT Election Data and Science Lab (CC0)."
        </footer>
    }
}

/// Longest wait for the start before [`after_start`] turns true anyway (a fetch of the
/// built-in polls that never answers, say).
const START_PATIENCE_MS: u32 = 1_000;

/// Turns true once the page's start is over
/// ([`crate::state::data::Data::started`]), in the task after the frame that draws Run
/// enabled: the settings and the speed-up panel mount then. They are most of the page's
/// first mounting; mounted with the rest, they held back that first layout, the workers'
/// start (whose messages the page's thread passes on once it is free) and so Run. They
/// sit below the Run bar, out of the first view on a phone.
fn after_start() -> ReadSignal<bool> {
    let data = use_data();
    let (shown, show) = signal(false);
    // Set once: every set notifies, and the panels would mount again (their state lost).
    let show_once = move || {
        if !shown.get_untracked() {
            show.set(true);
        }
    };
    Effect::new(move |_| {
        if data.started.get() && !shown.get_untracked() {
            spawn_local(async move {
                runner::after_next_paint().await;
                show_once();
            });
        }
    });
    spawn_local(async move {
        TimeoutFuture::new(START_PATIENCE_MS).await;
        show_once();
    });
    shown
}

/// Whether the workers are up, and how many.
#[component]
fn PoolBadge() -> impl IntoView {
    let pool = use_pool();
    let single = pool.not_isolated().is_some();
    let settings = use_settings();
    let text = move || match (pool.started(), single) {
        (None, false) => format!("starting {} worker threads…", pool.threads),
        (Some(Ok(())), false) => format!(
            "{} worker threads ready; runs use {} (set under Workers)",
            pool.threads,
            settings.workers.get()
        ),
        (None, true) => "starting the engine's worker (1 thread)…".to_string(),
        (Some(Ok(())), true) => "1 thread: this page is not cross-origin isolated".to_string(),
        (Some(Err(e)), _) => format!("{e}. Nothing can run: reload the page to try again."),
    };
    let failed = move || matches!(pool.started(), Some(Err(_)));
    let isolated = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"crossOriginIsolated".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    view! {
        <p
            class=move || if failed() { "pool error" } else { "pool" }
            role=move || failed().then_some("alert")
            data-testid="pool"
            data-threads=pool.threads
            data-engine=if single { "single" } else { "threads" }
            data-ready=move || pool.is_ready().to_string()
            data-isolated=isolated.to_string()
        >
            {text}
        </p>
    }
}

/// Why the engine runs on one thread, and what a host sends for all cores.
#[component]
fn SingleThreadNote() -> impl IntoView {
    let pool = use_pool();
    pool.not_isolated().map(|why| {
        view! {
            <aside class="note single-thread" data-testid="single-thread">
                <p>
                    <strong>"Running on 1 thread"</strong>
                    " because this page is not cross-origin isolated: " {why.to_string()} "."
                </p>
                <p>
                    "Results are the same, only slower. For all cores, the host must send "
                    <code>"Cross-Origin-Opener-Policy: same-origin"</code> " and "
                    <code>"Cross-Origin-Embedder-Policy: require-corp"</code>
                    " with the page, over https (a _headers file does this on Netlify and Cloudflare Pages), or let the page's service worker add them."
                </p>
            </aside>
        }
    })
}
