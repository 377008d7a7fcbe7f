//! The single-thread build's engine: this module, instantiated again in a dedicated Web
//! Worker, answers the page's requests one at a time, so that the page's thread never
//! runs the engine.

use std::cell::Cell;

use forecast_engine::Progress;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::jobs;
use crate::runner::messages::{from_js, to_js, Reply, Request};
use crate::runner::{clock_ms, now_ms};

/// The least time between two progress messages: the page redraws a few times a second.
const PROGRESS_MS: f64 = 50.0;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Listens for the page's requests, then says so.
pub fn serve() {
    let on_message =
        Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| post(&answer(event.data())));
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker's lifetime: it listens until the page ends it.
    on_message.forget();
    post(&Reply::Ready);
}

fn answer(request: JsValue) -> Reply {
    match from_js::<Request>(request) {
        Err(e) => Reply::Garbled(format!("the worker could not read a request: {e}")),
        Ok(Request::Load { file, bytes, kind }) => Reply::Loaded(jobs::load(file, &bytes, kind)),
        Ok(Request::Run { plan }) => {
            let progress = Progress::observed(report_progress);
            let start = clock_ms();
            let output = forecast_engine::run(&plan, &progress, 1);
            let ended_at = clock_ms();
            Reply::Finished {
                output,
                ms: ended_at - start,
                ended_at,
            }
        }
        Ok(Request::Pinned {
            electoral,
            inputs,
            pins,
        }) => Reply::Pinned(electoral.simulate_pinned(&inputs, &pins)),
    }
}

fn post(reply: &Reply) {
    let sent = to_js(reply)
        .or_else(|e| {
            to_js(&Reply::Garbled(format!(
                "the worker could not write its answer: {e}"
            )))
        })
        .map(|message| scope().post_message(&message));
    if let Err(e) = sent {
        web_sys::console::error_1(&format!("the engine worker could not answer: {e}").into());
    }
}

thread_local! {
    static LAST_PROGRESS: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
}

/// Posts the run's progress, at most every [`PROGRESS_MS`].
fn report_progress(done: usize) {
    let now = now_ms();
    if now - LAST_PROGRESS.get() >= PROGRESS_MS {
        LAST_PROGRESS.set(now);
        post(&Reply::Progress { done });
    }
}
