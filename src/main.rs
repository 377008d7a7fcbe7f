//! The browser app: a Leptos page that runs the forecasting engine off the page's thread.
//! Built twice: with atomics, on every core through wasm-bindgen-rayon's Web Workers that
//! share this module's memory; without, in one dedicated Web Worker, for pages that are
//! not cross-origin isolated (`www/boot.js` picks one).
//!
//! Only the wasm32 build has a page; a native build of the workspace compiles a stub.

// Portable, and tested natively; only the wasm32 build installs it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod alloc;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod engine_worker;
#[cfg(target_arch = "wasm32")]
mod jobs;
#[cfg(target_arch = "wasm32")]
mod runner;
#[cfg(target_arch = "wasm32")]
mod state;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: alloc::CacheLineAlloc = alloc::CacheLineAlloc;

#[cfg(target_arch = "wasm32")]
fn main() {
    // Every worker instantiates this same module and runs this entry point too: only the
    // page's own thread has a window and mounts the UI. The pool's workers then wait for
    // work from rayon; the single-thread build's worker serves the page's requests.
    let Some(window) = web_sys::window() else {
        #[cfg(not(target_feature = "atomics"))]
        engine_worker::serve();
        return;
    };
    let hardware_threads = (window.navigator().hardware_concurrency() as usize).max(1);
    // The workers start before the page is built: their scripts load and the module
    // instantiates in them while this thread mounts the page.
    let threads = state::pool::Pool::threads_of_this_build(hardware_threads);
    let started = start_engine(threads);
    // The static masthead of index.html, shown while the module loaded: the page's own
    // takes its place.
    if let Some(shell) = window
        .document()
        .and_then(|d| d.get_element_by_id("loading-shell"))
    {
        shell.remove();
    }
    leptos::mount::mount_to_body(move || {
        let pool = state::provide(threads);
        wasm_bindgen_futures::spawn_local(async move {
            let started = wasm_bindgen_futures::JsFuture::from(started).await;
            pool.set_started(started.map(|_| ()).map_err(|e| {
                use wasm_bindgen::JsCast;
                let why = match e.dyn_ref::<js_sys::Error>() {
                    Some(error) => String::from(error.message()),
                    None => e.as_string().unwrap_or_else(|| format!("{e:?}")),
                };
                state::pool::PoolError(why)
            }));
        });
        leptos::view! { <app::App /> }
    });
}

/// Starts the rayon pool of `threads` workers, once for the page's lifetime; runs ask
/// for 1..=threads tasks on it. Settles once every worker has started.
#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
fn start_engine(threads: usize) -> js_sys::Promise {
    wasm_bindgen_rayon::init_thread_pool(threads)
}

/// Starts the engine's one worker; settles once it listens.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
fn start_engine(_threads: usize) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        runner::worker::start(move |started| {
            let _ = match started {
                Ok(()) => resolve.call0(&wasm_bindgen::JsValue::UNDEFINED),
                Err(why) => reject.call1(&wasm_bindgen::JsValue::UNDEFINED, &why.into()),
            };
        });
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("forecast-web is a browser app: build it with `trunk build` (see README.md)");
}
