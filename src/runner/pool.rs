//! Work handed to the rayon pool, watched from the page's thread without ever blocking it.
//!
//! A pool thread hands its result over through a `futures` oneshot channel: sending
//! stores the value (the channel's lock is only ever tried, never waited on) and wakes
//! the page's task through wasm-bindgen-futures' waker, which notifies the page's thread
//! through `Atomics.waitAsync`. The page's thread also wakes on a timer to show progress
//! (read from atomics). It must not wait on a lock or futex (browsers forbid
//! `Atomics.wait` there), so it never calls `lock()`, `par_iter` or `run` itself.

use std::sync::{Arc, Mutex, OnceLock};

use forecast_engine::{Plan, Progress};
use futures::channel::oneshot;
use futures::future::{select, Either};
use gloo_timers::future::TimeoutFuture;

use super::{clock_ms, Finished, PoolLost, POLL_MS};

/// One of a run's tasks.
type Job = Box<dyn FnOnce() + Send>;

/// Resolves with what the pool sends through `result`; `on_tick` runs at every wake
/// until then, on the page's thread.
async fn picked_up<T>(
    mut result: oneshot::Receiver<T>,
    mut on_tick: impl FnMut(),
) -> Result<T, PoolLost> {
    loop {
        match select(&mut result, TimeoutFuture::new(POLL_MS)).await {
            Either::Left((sent, _)) => {
                on_tick();
                return sent.map_err(|_| PoolLost);
            }
            Either::Right(_) => on_tick(),
        }
    }
}

/// Runs `work` on the pool and resolves with its result; `on_tick` runs on the page's
/// thread at every poll until then.
pub async fn on_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    on_tick: impl FnMut(),
) -> Result<T, PoolLost> {
    let (sender, result) = oneshot::channel();
    rayon::spawn(move || {
        // The page may have stopped waiting; the result then has nowhere to go.
        let _ = sender.send(work());
    });
    picked_up(result, on_tick).await
}

/// Runs `plan` with `tasks` tasks pulling cells on the pool; `progress` is shared with the
/// caller, who reads it in `on_tick` and may cancel through it.
pub async fn run_plan(
    plan: Arc<Plan>,
    tasks: usize,
    progress: Arc<Progress>,
    on_tick: impl FnMut(),
) -> Result<Finished, PoolLost> {
    let (sender, result) = oneshot::channel();
    let started: Arc<OnceLock<f64>> = Arc::new(OnceLock::new());
    let first_start = Arc::clone(&started);
    let jobs: Vec<Job> = forecast_engine::run_tasks(plan, progress, tasks, move |output| {
        let ended_at = clock_ms();
        let ms = first_start.get().map_or(0.0, |start| ended_at - start);
        let _ = sender.send(Finished {
            output,
            ms,
            tasks,
            ended_at,
        });
    })
    .into_iter()
    .map(|job| Box::new(job) as Job)
    .collect();
    let begin = move |job: Job| {
        started.get_or_init(clock_ms);
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
    picked_up(result, on_tick).await
}
