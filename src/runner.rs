//! Work handed to the rayon pool, watched from the page's thread without ever blocking it:
//! a timer polls atomics (progress) and a completion slot with `try_lock`. The page's thread
//! must not wait on a lock or futex (browsers forbid `Atomics.wait` there), so it never
//! calls `lock()`, `par_iter` or `run` itself.

use std::sync::{Arc, Mutex};

use forecast_engine::{Plan, Progress, RunOutput};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;

/// How often the page looks at the pool's work.
const POLL_MS: u32 = 20;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`, on the page and in a worker alike (both have `performance`).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn now_ms() -> f64;
}

/// A finished (or cancelled) run, timed on the pool thread that ran it.
pub struct Finished {
    pub output: RunOutput,
    /// From the start of the run on the pool to its end, in milliseconds.
    pub ms: f64,
    pub tasks: usize,
}

/// Runs `work` on the pool and resolves with its result; `on_tick` runs on the page's
/// thread at every poll until then.
pub async fn on_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    mut on_tick: impl FnMut(),
) -> T {
    let slot: Arc<Mutex<Option<T>>> = Arc::new(Mutex::new(None));
    let filled = Arc::clone(&slot);
    rayon::spawn(move || {
        let result = work();
        // A worker may wait for the lock; it is only ever held for a moment.
        let mut guard = filled.lock().unwrap_or_else(|e| e.into_inner());
        *guard = Some(result);
    });
    loop {
        TimeoutFuture::new(POLL_MS).await;
        on_tick();
        // Never wait: if the worker holds the lock right now, look again next tick.
        if let Ok(mut guard) = slot.try_lock() {
            if let Some(result) = guard.take() {
                return result;
            }
        }
    }
}

/// Runs `plan` with `tasks` tasks pulling cells on the pool; `progress` is shared with the
/// caller, who reads it in `on_tick` and may cancel through it.
pub async fn run_plan(
    plan: Arc<Plan>,
    tasks: usize,
    progress: Arc<Progress>,
    on_tick: impl FnMut(),
) -> Finished {
    on_pool(
        move || {
            let start = now_ms();
            let output = forecast_engine::run(&plan, &progress, tasks);
            Finished {
                output,
                ms: now_ms() - start,
                tasks,
            }
        },
        on_tick,
    )
    .await
}
