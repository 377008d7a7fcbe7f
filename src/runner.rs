//! Work handed to the rayon pool, watched from the page's thread without ever blocking it.
//! The pool thread that finishes leaves the result in a slot and wakes the page's thread
//! through `Atomics.waitAsync` on a word beside it; the page's thread also wakes on a timer
//! to show progress (atomics) and takes the result with `try_lock`. It must not wait on a
//! lock or futex (browsers forbid `Atomics.wait` there), so it never calls `lock()`,
//! `par_iter` or `run` itself.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use forecast_engine::{Plan, Progress, RunOutput};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// How often the page looks at the pool's work when not woken by its end.
const POLL_MS: u32 = 50;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`, on the page and in a worker alike (both have `performance`).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn now_ms() -> f64;

    /// When this thread's `performance.now()` began: each worker has its own.
    #[wasm_bindgen(thread_local_v2, js_namespace = performance, js_name = timeOrigin)]
    static TIME_ORIGIN: f64;
}

/// Milliseconds on a clock that all threads share (`now_ms` is per thread).
fn shared_clock_ms() -> f64 {
    TIME_ORIGIN.with(|origin| *origin) + now_ms()
}

/// One of a run's tasks.
type Job = Box<dyn FnOnce() + Send>;

/// Where a pool thread leaves its result for the page's thread to pick up, and the word it
/// wakes the page's thread with.
struct Handoff<T> {
    result: Mutex<Option<T>>,
    /// 0 until the result is in.
    ready: AtomicI32,
}

impl<T> Handoff<T> {
    fn new() -> Arc<Handoff<T>> {
        Arc::new(Handoff {
            result: Mutex::new(None),
            ready: AtomicI32::new(0),
        })
    }

    /// On a pool thread.
    fn put(&self, value: T) {
        // A worker may wait for the lock; it is only ever held for a moment.
        *self.result.lock().unwrap_or_else(|e| e.into_inner()) = Some(value);
        self.ready.store(1, Ordering::SeqCst);
        let (view, index) = shared_view(&self.ready);
        // The page's thread may not be waiting yet: it reads `ready` before each wait.
        let _ = js_sys::Atomics::notify(&view, index);
    }

    /// On the page's thread: resolves with the result; `on_tick` runs at every wake until
    /// then.
    async fn picked_up(&self, mut on_tick: impl FnMut()) -> T {
        loop {
            if self.ready.load(Ordering::SeqCst) == 0 {
                woken_or_timed_out(&self.ready, POLL_MS).await;
            } else {
                // In, but the pool thread may still be letting go of the lock.
                TimeoutFuture::new(1).await;
            }
            on_tick();
            // Never wait: if a worker holds the lock right now, look again.
            if let Ok(mut guard) = self.result.try_lock() {
                if let Some(result) = guard.take() {
                    return result;
                }
            }
        }
    }
}

/// The shared memory as 32-bit words, and the index of `word` in it.
fn shared_view(word: &AtomicI32) -> (js_sys::Int32Array, u32) {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let index = word.as_ptr() as usize / std::mem::size_of::<i32>();
    (js_sys::Int32Array::new(&memory.buffer()), index as u32)
}

/// Resolves when `word` is notified or is no longer 0, or after `timeout_ms`; where the
/// browser has no `Atomics.waitAsync`, after the timeout.
async fn woken_or_timed_out(word: &AtomicI32, timeout_ms: u32) {
    let (view, index) = shared_view(word);
    let waiting = js_sys::Atomics::wait_async_with_timeout(&view, index, 0, f64::from(timeout_ms));
    let Ok(waiting) = waiting else {
        TimeoutFuture::new(timeout_ms).await;
        return;
    };
    // `{ async: true, value: a promise }`, or `{ async: false }` when already settled.
    let field = |name: &str| js_sys::Reflect::get(&waiting, &JsValue::from_str(name));
    if field("async").ok().and_then(|v| v.as_bool()) == Some(true) {
        if let Ok(promise) = field("value").and_then(|v| v.dyn_into::<js_sys::Promise>()) {
            let _ = JsFuture::from(promise).await;
        }
    }
}

/// A finished (or cancelled) run, timed on the pool.
pub struct Finished {
    pub output: RunOutput,
    /// From the start of the first of the run's tasks to the end of the last, in
    /// milliseconds.
    pub ms: f64,
    pub tasks: usize,
}

/// Runs `work` on the pool and resolves with its result; `on_tick` runs on the page's
/// thread at every poll until then.
pub async fn on_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    on_tick: impl FnMut(),
) -> T {
    after_next_paint().await;
    let handoff = Handoff::new();
    let filled = Arc::clone(&handoff);
    rayon::spawn(move || filled.put(work()));
    handoff.picked_up(on_tick).await
}

/// Runs `plan` with `tasks` tasks pulling cells on the pool; `progress` is shared with the
/// caller, who reads it in `on_tick` and may cancel through it.
pub async fn run_plan(
    plan: Arc<Plan>,
    tasks: usize,
    progress: Arc<Progress>,
    on_tick: impl FnMut(),
) -> Finished {
    // The page's thread first draws the run's start (status, dimmed results): drawn while
    // the tasks run, that frame would take a core from them.
    after_next_paint().await;
    let handoff = Handoff::new();
    let started: Arc<OnceLock<f64>> = Arc::new(OnceLock::new());
    let filled = Arc::clone(&handoff);
    let first_start = Arc::clone(&started);
    let jobs: Vec<Job> = forecast_engine::run_tasks(plan, progress, tasks, move |output| {
        let ms = first_start
            .get()
            .map_or(0.0, |start| shared_clock_ms() - start);
        filled.put(Finished { output, ms, tasks });
    })
    .into_iter()
    .map(|job| Box::new(job) as Job)
    .collect();
    let begin = move |job: Job| {
        started.get_or_init(shared_clock_ms);
        job();
    };
    if jobs.len() > 1 && jobs.len() <= rayon::current_num_threads() {
        // One broadcast wakes the workers together, each taking its own task. Separate
        // spawns would each go through the workers' sleep locks from the first, where a
        // worker woken a moment ago may still hold its own; this thread must never wait.
        let jobs: Vec<Mutex<Option<Job>>> = jobs.into_iter().map(|j| Mutex::new(Some(j))).collect();
        rayon::spawn_broadcast(move |context| {
            let job = jobs
                .get(context.index())
                .and_then(|job| job.lock().unwrap_or_else(|e| e.into_inner()).take());
            if let Some(job) = job {
                begin(job);
            }
        });
    } else {
        for job in jobs {
            let begin = begin.clone();
            rayon::spawn(move || begin(job));
        }
    }
    handoff.picked_up(on_tick).await
}

/// Resolves once the page has drawn its next frame, or at once when the page is hidden
/// (a hidden page draws no frames).
async fn after_next_paint() {
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
