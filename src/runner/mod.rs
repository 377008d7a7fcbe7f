//! The engine's work for the page, run off the page's thread: on the rayon pool of Web
//! Workers in the threaded build, in one dedicated Web Worker in the single-thread build
//! (pages that are not cross-origin isolated). Both run the same engine functions, so
//! their results are the same bytes; the page's thread never blocks on either.

use std::fmt;
use std::sync::Arc;

use forecast_engine::electoral::{Electoral, Inputs, Pinned, Pins};
use forecast_engine::{builtin, Plan, PollSet, Progress, ResultSet, RunOutput};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::jobs::{self, Loaded};
use crate::state::data::{DataError, FileKind};

#[cfg(not(target_feature = "atomics"))]
pub mod messages;
#[cfg(target_feature = "atomics")]
mod pool;
#[cfg(not(target_feature = "atomics"))]
pub mod worker;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`, on the page and in a worker alike (both have `performance`).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn now_ms() -> f64;

    /// When this thread's `performance.now()` began: each worker has its own.
    #[wasm_bindgen(thread_local_v2, js_namespace = performance, js_name = timeOrigin)]
    static TIME_ORIGIN: f64;
}

/// Milliseconds since 1970 on a clock that the page and every worker share
/// (`now_ms` counts from each one's own start).
pub fn clock_ms() -> f64 {
    TIME_ORIGIN.with(|origin| *origin) + now_ms()
}

/// How often the page looks at the engine's work when not woken by its end.
const POLL_MS: u32 = 50;

/// The engine's workers went away without handing back a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    not(target_feature = "atomics"),
    derive(serde::Serialize, serde::Deserialize)
)]
pub struct PoolLost;

impl fmt::Display for PoolLost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the engine's worker stopped before the work was done; reload the page")
    }
}

/// Why a run handed back no output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(target_feature = "atomics", allow(dead_code))]
pub enum Stopped {
    Lost(PoolLost),
    /// Cancelled where the engine cannot stop in the middle (the single-thread worker is
    /// ended instead): nothing of the run is kept.
    Cancelled,
}

/// A finished (or cancelled) run, timed where it ran.
pub struct Finished {
    pub output: RunOutput,
    /// From the start of the first of the run's tasks to the end of the last, in
    /// milliseconds.
    pub ms: f64,
    pub tasks: usize,
    /// When the last task ended, on [`clock_ms`].
    pub ended_at: f64,
}

/// Decodes the built-in polls ([`builtin::decode_polls`]) and the built-in results
/// ([`builtin::RESULTS_ENCODED`]):
/// on a worker of the threaded build once its pool has started (`engine_ready`), since
/// during the start the page's thread passes the workers' messages on; otherwise on the
/// page's thread, where it takes a few milliseconds (the single-thread build's worker
/// would hand 3,000 polls back through serde-wasm-bindgen, which costs more).
pub async fn builtin_data(
    encoded_polls: Vec<u8>,
    engine_ready: bool,
) -> Result<(PollSet, ResultSet), DataError> {
    let decode = move || {
        let polls = builtin::decode_polls(&encoded_polls).map_err(DataError::BuiltinDamaged)?;
        let results =
            builtin::decode_results(builtin::RESULTS_ENCODED).map_err(DataError::BuiltinDamaged)?;
        Ok((polls, results))
    };
    #[cfg(target_feature = "atomics")]
    if engine_ready {
        return pool::on_pool(decode, || {})
            .await
            .unwrap_or_else(|lost| Err(DataError::Pool(lost)));
    }
    let _ = engine_ready;
    decode()
}

/// Reads `bytes` as `kind` off the page's thread; on it only if the engine's workers did
/// not start (`engine_ready` false).
pub async fn load(
    file: String,
    bytes: Vec<u8>,
    kind: FileKind,
    engine_ready: bool,
) -> Result<Loaded, DataError> {
    if !engine_ready {
        return jobs::load(file, &bytes, kind);
    }
    // One task: it leaves a core to the page, which need not draw first.
    #[cfg(target_feature = "atomics")]
    let loaded = pool::on_pool(move || jobs::load(file, &bytes, kind), || {}).await;
    #[cfg(not(target_feature = "atomics"))]
    let loaded = worker::load(file, bytes, kind).await;
    loaded.unwrap_or_else(|lost| Err(DataError::Pool(lost)))
}

/// Runs `plan` with `tasks` tasks; `progress` is shared with the caller, who reads it in
/// `on_tick` (on the page's thread, a few times a second) and may cancel through it.
pub async fn run_plan(
    plan: Arc<Plan>,
    tasks: usize,
    progress: Arc<Progress>,
    on_tick: impl FnMut(),
) -> Result<Finished, Stopped> {
    // The page's thread first draws the run's start (status, dimmed results): drawn while
    // the tasks run, that frame would take a core from them.
    after_next_paint().await;
    #[cfg(target_feature = "atomics")]
    return pool::run_plan(plan, tasks, progress, on_tick)
        .await
        .map_err(Stopped::Lost);
    #[cfg(not(target_feature = "atomics"))]
    {
        let _ = tasks;
        worker::run_plan(plan, progress, on_tick).await
    }
}

/// The what-if: `electoral`'s outcomes over the draws in which every pin holds.
pub async fn pinned(
    electoral: Arc<Electoral>,
    inputs: Inputs,
    pins: Pins,
) -> Result<Pinned, PoolLost> {
    #[cfg(target_feature = "atomics")]
    {
        // It spreads over every core: the page's frame is drawn first.
        after_next_paint().await;
        pool::on_pool(move || electoral.simulate_pinned(&inputs, &pins), || {}).await
    }
    #[cfg(not(target_feature = "atomics"))]
    worker::pinned(electoral, inputs, pins).await
}

/// The tipping points `electoral` has yet to find (a run that found those of the pair
/// shown only), found on the pool; `None` if cancelled through `cancel` first. Only the
/// threaded build's runs leave them for later: its pool takes this while the page is idle.
#[cfg(target_feature = "atomics")]
pub async fn pending_tipping(
    mut electoral: forecast_engine::electoral::ElectoralOutput,
    cancel: Arc<Progress>,
) -> Result<Option<forecast_engine::electoral::ElectoralOutput>, PoolLost> {
    // Its search spreads over every core: the page's frame is drawn first.
    after_next_paint().await;
    pool::on_pool(
        move || {
            electoral
                .find_pending_tipping(&|| cancel.is_cancelled())
                .ok()
                .map(|()| electoral)
        },
        || {},
    )
    .await
}

/// Resolves once the page has drawn its next frame, or at once when the page is hidden
/// (a hidden page draws no frames).
pub async fn after_next_paint() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if window.document().is_none_or(|d| d.hidden()) {
        return;
    }
    let frame = js_sys::Promise::new(&mut |resolve, _reject| {
        if window.request_animation_frame(&resolve).is_err() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(frame).await;
    // Animation-frame callbacks run before the frame is drawn; a task queued now runs after.
    TimeoutFuture::new(0).await;
}
