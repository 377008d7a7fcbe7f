//! The browser app: a Leptos page that runs the forecasting engine on every core through
//! wasm-bindgen-rayon's Web Workers, which share this module's memory.
//!
//! Only the wasm32 build has a page; a native build of the workspace compiles a stub.

// Portable, and tested natively; only the wasm32 build installs it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod alloc;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod runner;
#[cfg(target_arch = "wasm32")]
mod state;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: alloc::CacheLineAlloc = alloc::CacheLineAlloc;

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen_futures::JsFuture;

    // Each pool worker instantiates this same module and runs this entry point too:
    // only the page's own thread has a window and mounts the UI.
    let Some(window) = web_sys::window() else {
        return;
    };
    let pool_threads = (window.navigator().hardware_concurrency() as usize).max(1);
    leptos::mount::mount_to_body(move || {
        let pool = state::provide(pool_threads);
        // Started once for the page's lifetime; runs ask for 1..=pool_threads tasks on it.
        wasm_bindgen_futures::spawn_local(async move {
            let started = JsFuture::from(wasm_bindgen_rayon::init_thread_pool(pool_threads)).await;
            pool.set_started(
                started
                    .map(|_| ())
                    .map_err(|e| state::pool::PoolError(format!("{e:?}"))),
            );
        });
        leptos::view! { <app::App /> }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("forecast-web is a browser app: build it with `trunk build` (see README.md)");
}
