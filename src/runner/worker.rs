//! The page's side of the single-thread worker (the build for pages that are not
//! cross-origin isolated): requests go out in order and their replies come back in the
//! same order. Cancelling a run ends the worker (it cannot read messages mid-run) and
//! starts a new one, to which the requests still waiting are sent again.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::Arc;

use forecast_engine::electoral::{Electoral, Inputs, Pinned, Pins};
use forecast_engine::{Plan, Progress};
use futures::channel::oneshot;
use futures::future::{select, Either};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use super::messages::{from_js, to_js, Reply, Request};
use super::{Finished, PoolLost, Stopped, POLL_MS};
use crate::jobs::Loaded;
use crate::state::data::{DataError, FileKind};

/// A request sent (or waiting to be) and where its reply goes.
struct Pending {
    message: JsValue,
    reply: oneshot::Sender<Result<Reply, PoolLost>>,
    /// The run's progress, for [`Reply::Progress`].
    progress: Option<Arc<Progress>>,
}

/// Told once whether the first worker started, and the browser's error if not.
type OnStart = Box<dyn FnOnce(Result<(), String>)>;

/// The worker's `message` and `error` listeners.
type Handlers = (
    Closure<dyn FnMut(MessageEvent)>,
    Closure<dyn FnMut(ErrorEvent)>,
);

#[derive(Default)]
struct Client {
    worker: Option<Worker>,
    /// The current worker has said it listens; until then requests wait.
    listening: bool,
    pending: VecDeque<Pending>,
    on_start: Option<OnStart>,
    /// Kept alive while the worker is.
    handlers: Option<Handlers>,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::default();
}

/// The worker script: `boot.js` names it (its file name carries the build's hash).
fn worker_url() -> Result<String, String> {
    let boot = js_sys::Reflect::get(&js_sys::global(), &"forecastBoot".into())
        .map_err(|e| format!("{e:?}"))?;
    js_sys::Reflect::get(&boot, &"worker".into())
        .ok()
        .and_then(|url| url.as_string())
        .ok_or_else(|| "boot.js did not name the engine's worker script".to_string())
}

/// Starts the first worker; `on_start` hears whether it listens.
pub fn start(on_start: impl FnOnce(Result<(), String>) + 'static) {
    CLIENT.with_borrow_mut(|client| client.on_start = Some(Box::new(on_start)));
    if let Err(error) = spawn() {
        fail_start(error);
    }
}

fn fail_start(error: String) {
    if let Some(on_start) = CLIENT.with_borrow_mut(|client| client.on_start.take()) {
        on_start(Err(error));
    }
}

/// A new worker in place of the current one (if any); the requests waiting are sent to it
/// once it listens.
fn spawn() -> Result<(), String> {
    let url = worker_url()?;
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(&url, &options).map_err(|e| format!("{e:?}"))?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        heard(event.data());
    });
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(|event: ErrorEvent| {
        event.prevent_default();
        died(event.message());
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    CLIENT.with_borrow_mut(|client| {
        if let Some(old) = client.worker.replace(worker) {
            old.terminate();
        }
        client.listening = false;
        client.handlers = Some((on_message, on_error));
    });
    Ok(())
}

fn heard(message: JsValue) {
    let reply = from_js::<Reply>(message)
        .unwrap_or_else(|e| Reply::Garbled(format!("the page could not read the worker: {e}")));
    match reply {
        Reply::Ready => {
            let on_start = CLIENT.with_borrow_mut(|client| {
                client.listening = true;
                if let Some(worker) = &client.worker {
                    for pending in &client.pending {
                        let _ = worker.post_message(&pending.message);
                    }
                }
                client.on_start.take()
            });
            if let Some(on_start) = on_start {
                on_start(Ok(()));
            }
        }
        Reply::Progress { done } => CLIENT.with_borrow(|client| {
            if let Some(progress) = client.pending.front().and_then(|p| p.progress.as_ref()) {
                progress.advance_to(done);
            }
        }),
        reply => {
            if let Some(pending) = CLIENT.with_borrow_mut(|client| client.pending.pop_front()) {
                let _ = pending.reply.send(Ok(reply));
            }
        }
    }
}

/// The worker failed (it could not load, or the engine stopped): what it was doing is
/// lost; the next request starts a new one.
fn died(message: String) {
    let (pending, started) = CLIENT.with_borrow_mut(|client| {
        if let Some(worker) = client.worker.take() {
            worker.terminate();
        }
        client.handlers = None;
        client.listening = false;
        (
            std::mem::take(&mut client.pending),
            client.on_start.is_none(),
        )
    });
    if !started {
        fail_start(message);
    }
    for p in pending {
        let _ = p.reply.send(Err(PoolLost));
    }
}

/// Queues `request`; sends it at once if the worker listens.
fn send(
    request: &Request,
    progress: Option<Arc<Progress>>,
) -> Result<oneshot::Receiver<Result<Reply, PoolLost>>, PoolLost> {
    let message = to_js(request).map_err(|_| PoolLost)?;
    let (reply, answer) = oneshot::channel();
    let needs_worker = CLIENT.with_borrow_mut(|client| {
        if client.listening {
            if let Some(worker) = &client.worker {
                let _ = worker.post_message(&message);
            }
        }
        client.pending.push_back(Pending {
            message,
            reply,
            progress,
        });
        client.worker.is_none()
    });
    if needs_worker && spawn().is_err() {
        died("the engine's worker could not start again".into());
    }
    Ok(answer)
}

/// Ends the current worker, drops the request that `progress` belongs to, and sends the
/// others to a new worker.
fn cancel(progress: &Arc<Progress>) {
    CLIENT.with_borrow_mut(|client| {
        client.pending.retain(|p| {
            !p.progress
                .as_ref()
                .is_some_and(|mine| Arc::ptr_eq(mine, progress))
        });
    });
    if spawn().is_err() {
        died("the engine's worker could not start again".into());
    }
}

async fn ask(request: &Request) -> Result<Reply, PoolLost> {
    send(request, None)?.await.unwrap_or(Err(PoolLost))
}

pub async fn load(
    file: String,
    bytes: Vec<u8>,
    kind: FileKind,
) -> Result<Result<Loaded, DataError>, PoolLost> {
    match ask(&Request::Load { file, bytes, kind }).await? {
        Reply::Loaded(loaded) => Ok(loaded),
        _ => Err(PoolLost),
    }
}

pub async fn pinned(
    electoral: Arc<Electoral>,
    inputs: Inputs,
    pins: Pins,
) -> Result<Pinned, PoolLost> {
    match ask(&Request::Pinned {
        electoral,
        inputs: Box::new(inputs),
        pins,
    })
    .await?
    {
        Reply::Pinned(pinned) => Ok(pinned),
        _ => Err(PoolLost),
    }
}

/// Runs `plan` in the worker; `on_tick` runs on the page's thread until its end, and a
/// cancel through `progress` ends the worker.
pub async fn run_plan(
    plan: Arc<Plan>,
    progress: Arc<Progress>,
    mut on_tick: impl FnMut(),
) -> Result<Finished, Stopped> {
    let mut answer =
        send(&Request::Run { plan }, Some(Arc::clone(&progress))).map_err(Stopped::Lost)?;
    loop {
        match select(&mut answer, TimeoutFuture::new(POLL_MS)).await {
            Either::Left((reply, _)) => {
                on_tick();
                return match reply {
                    Ok(Ok(Reply::Finished {
                        output,
                        ms,
                        ended_at,
                    })) => Ok(Finished {
                        output,
                        ms,
                        tasks: 1,
                        ended_at,
                    }),
                    _ => Err(Stopped::Lost(PoolLost)),
                };
            }
            Either::Right(_) => {
                on_tick();
                if progress.is_cancelled() {
                    cancel(&progress);
                    return Err(Stopped::Cancelled);
                }
            }
        }
    }
}
